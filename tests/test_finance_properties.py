"""Property tests for the finance core (Hypothesis).

Amounts are whole numbers (as in the documents), so sums are exact in floating point and the
properties can be asserted exactly.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from socinvest.case.schema import Case
from socinvest.engine import finance
from socinvest.engine.resolve import evaluate

amount = st.integers(-10_000, 10_000).map(float)
flows = st.lists(amount, min_size=1, max_size=15)


def _case(lines: list[dict], n_years: int, committees=("A", "B")) -> Case:
    return Case.model_validate(
        {
            "id": "prop",
            "title": "property case",
            "unit": "1.000 kr.",
            "price_level": 2020,
            "horizon": {"first": 2020, "last": 2020 + n_years - 1},
            "committees": {c: c for c in committees},
            "lines": lines,
        }
    )


@st.composite
def cases(draw):
    n = draw(st.integers(1, 12))
    k = draw(st.integers(1, 6))
    lines = []
    for i in range(k):
        kind = draw(st.sampled_from(["cost", "saving", "investment"]))
        sign = -1 if kind == "saving" else 1
        values = draw(st.lists(st.integers(0, 5000), min_size=n, max_size=n))
        a = draw(st.integers(0, 4)) / 4
        lines.append(
            {
                "id": f"l{i}",
                "label": f"line {i}",
                "kind": kind,
                "area": draw(st.sampled_from(["service", "anlaeg", "overfoersler"])),
                "allocation": {"A": a, "B": 1 - a},
                "amounts": {2020 + j: sign * v for j, v in enumerate(values)},
            }
        )
    return _case(lines, n)


@given(cases())
@settings(max_examples=60, deadline=None)
def test_totals_equal_the_sum_of_their_rows(case):
    res = evaluate(case)
    rows = res.amounts[0]
    np.testing.assert_allclose(res.impact[0], rows.sum(axis=0))
    np.testing.assert_allclose(res.permanent[0] + res.investment[0], res.impact[0])
    np.testing.assert_allclose(sum(v for v in res.by_area().values())[0], res.impact[0])
    np.testing.assert_allclose(sum(v for v in res.by_committee().values())[0], res.impact[0])
    np.testing.assert_allclose(res.cumulative()[0, -1], rows.sum())


@given(flows, st.data())
@settings(max_examples=200, deadline=None)
def test_payback_does_not_depend_on_how_a_flow_is_split_into_lines(flow, data):
    """Split the net flow into k lines arbitrarily (any signs): same payback on any basis."""
    f = np.array(flow)
    k = data.draw(st.integers(2, 5))
    parts = [
        np.array(data.draw(st.lists(amount, min_size=len(f), max_size=len(f))))
        for _ in range(k - 1)
    ]
    parts.append(f - sum(parts))
    lines = [
        {
            "id": f"p{i}",
            "label": f"p{i}",
            "kind": "cost",
            "owner": "A",
            "amounts": {2020 + j: float(v) for j, v in enumerate(p)},
        }
        for i, p in enumerate(parts)
    ]
    res = evaluate(_case(lines, len(f)))
    whole = finance.payback_year(f)
    np.testing.assert_array_equal(res.payback("service"), whole)
    np.testing.assert_array_equal(res.payback("total"), whole)
    np.testing.assert_array_equal(finance.payback_year(np.stack(parts).sum(axis=0)), whole)


@given(st.integers(1, 6), st.integers(1, 12), st.data())
@settings(max_examples=200, deadline=None)
def test_npv_falls_as_the_rate_rises(n_cost, n_saving, data):
    """For a conventional case (costs first, savings after), NPV falls as the rate rises
    wherever the case is worth doing (NPV >= 0), and it never turns from negative to positive
    as the rate rises. (For arbitrary flows NPV need not be monotone in the rate.)"""
    costs = data.draw(st.lists(st.integers(1, 10_000), min_size=n_cost, max_size=n_cost))
    savings = data.draw(st.lists(st.integers(1, 10_000), min_size=n_saving, max_size=n_saving))
    spending = np.array(costs + [-s for s in savings], dtype=float)
    r0 = data.draw(st.floats(0.0, 0.2))
    r1 = r0 + data.draw(st.floats(0.001, 0.2))
    v0, v1 = finance.npv(spending, r0), finance.npv(spending, r1)
    if v1 >= 0:
        assert v0 > v1
    if v0 < 0:
        assert v1 < 0


@given(flows)
@settings(max_examples=200)
def test_payback_is_where_the_cumulative_sum_first_reaches_zero_after_the_start(flow):
    f = np.array(flow)
    p = finance.payback_year(f)
    cum = np.cumsum(f)
    nz = np.flatnonzero(f != 0)
    if np.isnan(p):
        assert len(nz) == 0 or not (cum[nz[0] :] <= 0).any()
    else:
        k = int(p) - 1
        assert cum[k] <= 0 and k >= nz[0]
        assert not (cum[nz[0] : k] <= 0).any()
        frac = finance.payback_fractional(f)
        assert k <= frac <= k + 1


def test_payback_examples_from_the_conventions():
    # DESIGN.md: cumulative 4.000, 300, -5.200 -> payback year 3.
    assert finance.payback_year(np.array([4000.0, -3700, -5500])) == 3
    # Savings outweigh costs in the first active year: pays back that year.
    assert finance.payback_year(np.array([0.0, -100, 50])) == 2
    # Never back to zero: no payback (NaN), a result, not an error.
    assert np.isnan(finance.payback_year(np.array([100.0, -10, -10])))
    assert np.isnan(finance.payback_year(np.zeros(3)))
    # Vectorised over draws.
    np.testing.assert_array_equal(
        finance.payback_year(np.array([[1.0, -2], [-1.0, 0]])), [2.0, 1.0]
    )


def test_npv_hand_calculation():
    # Spending 100 in year 1, saving 110 in year 2, 3,5 %, year 1 discounted one full year:
    # NPV = -100/1,035 + 110/1,035^2 = 6,0653...
    v = finance.npv(np.array([100.0, -110.0]))
    assert abs(v - (-100 / 1.035 + 110 / 1.035**2)) < 1e-12
    v0 = finance.npv(np.array([100.0, -110.0]), first_year_discounted=False)
    assert abs(v0 - (-100 + 110 / 1.035)) < 1e-12
