"""Property tests for the finance core (Hypothesis), on generated case files
(tests/strategies.py) with every kind of driver, ramp, sign convention and uncertainty.

Explicit amounts are whole numbers and ramps quarters, so sums of explicit lines are exact in
floating point and those properties are asserted exactly.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from socinvest.case.schema import Case
from socinvest.engine import finance
from socinvest.engine.resolve import evaluate

from .strategies import cases, examples, load, spending_sign

amount = st.integers(-10_000, 10_000).map(float)
flows = st.lists(amount, min_size=1, max_size=15)
SETTINGS = examples(30)


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


def _by_year(values, years: list[int], fill: float) -> list[float]:
    """A year mapping written out per year, by hand (the engine's `to_vector` is not used)."""
    if not isinstance(values, dict):
        return [float(values)] * len(years)
    out = {y: fill for y in years}
    for key, v in values.items():
        a, _, b = str(key).partition("-")
        for y in range(int(a), int(b or a) + 1):
            out[y] = float(v)
    return [out[y] for y in years]


@given(cases())
@SETTINGS
def test_totals_equal_the_sum_of_their_rows_and_npv_is_discounted_by_hand(d):
    res = evaluate(load(d))
    rows = res.amounts[0]
    np.testing.assert_allclose(res.impact[0], rows.sum(axis=0))
    np.testing.assert_allclose(res.permanent[0] + res.investment[0], res.impact[0])
    inv = [i for i, ln in enumerate(d["lines"]) if ln["kind"] == "investment"]
    np.testing.assert_allclose(res.investment[0], rows[inv].sum(axis=0))
    np.testing.assert_allclose(sum(v for v in res.by_area().values())[0], res.impact[0])
    np.testing.assert_allclose(sum(v for v in res.by_committee().values())[0], res.impact[0])
    np.testing.assert_allclose(sum(v for v in res.by_funding().values())[0], res.impact[0])
    np.testing.assert_allclose(res.cumulative()[0, -1], rows.sum())
    # NPV (total basis) = -sum(impact_t / 1,035^t), t = 1 for the first year (docs: year 1 is
    # discounted one full year, 3,5 % by default)
    impact = res.impact[0]
    by_hand = -sum(v / 1.035**t for t, v in enumerate(impact, start=1))
    assert abs(res.npv()[0] - by_hand) <= 1e-9 * max(1.0, float(np.abs(impact).sum()))


@given(cases())
@SETTINGS
def test_explicit_lines_are_their_amounts_in_the_spending_convention_times_the_ramp(d):
    res = evaluate(load(d))
    years = [int(y) for y in res.years]
    params = d["parameters"]
    flip = -1.0 if d["sign"] == "savings_positive" else 1.0
    for i, ln in enumerate(d["lines"]):
        ramp = ln.get("ramp")
        if ramp is None:
            r = [1.0] * len(years)
        elif isinstance(ramp, str):
            r = _by_year(params[ramp]["value"], years, 0.0)
        else:
            r = _by_year(ramp, years, 1.0)  # unlisted years have the full effect
        if "amounts" in ln:
            a = _by_year(ln["amounts"], years, 0.0)
            expected = [flip * x * k for x, k in zip(a, r, strict=True)]
            np.testing.assert_array_equal(res.amounts[0, i], expected)
            # written with the convention's sign, a line's amounts are never of the wrong sign
            assert all(spending_sign(ln["kind"]) * v >= 0 for v in res.amounts[0, i])
        elif "fte" in ln["driver"]:
            fte, rate = ln["driver"]["fte"], ln["driver"]["rate"]
            f = _by_year(params[fte]["value"], years, 0) if isinstance(fte, str) else [fte] * 99
            q = _by_year(params[rate]["value"], years, 0) if isinstance(rate, str) else [rate] * 99
            expected = [spending_sign(ln["kind"]) * f[k] * q[k] * r[k] for k in range(len(years))]
            np.testing.assert_allclose(res.amounts[0, i], expected)


@given(cases(explicit_only=True, uncertain=False), st.data())
@SETTINGS
def test_splitting_every_line_in_two_changes_neither_totals_nor_payback(d, data):
    """Whole amounts split into two whole parts (any signs) on two lines of the same kind,
    area and ramp: the same totals, the same payback on both bases, the same NPV."""
    whole = evaluate(load(d))
    split = []
    for ln in d["lines"]:
        a = ln["amounts"]
        keys = list(a) if isinstance(a, dict) else None
        if keys is None:
            part: int | dict = data.draw(st.integers(-3000, 3000))
            rest = a - part
        else:
            part = {k: data.draw(st.integers(-3000, 3000)) for k in keys}
            rest = {k: a[k] - part[k] for k in keys}
        split += [
            {**ln, "id": ln["id"] + "a", "amounts": part},
            {**ln, "id": ln["id"] + "b", "amounts": rest},
        ]
    res = evaluate(load({**d, "lines": split}))
    np.testing.assert_array_equal(res.impact, whole.impact)
    np.testing.assert_array_equal(res.permanent, whole.permanent)
    for basis in ("service", "total"):
        np.testing.assert_array_equal(res.payback(basis), whole.payback(basis))
        np.testing.assert_array_equal(
            res.payback_fractional(basis), whole.payback_fractional(basis)
        )
    np.testing.assert_allclose(res.npv(), whole.npv(), rtol=1e-12, atol=1e-9)


@given(cases(), st.integers(0, 2**32 - 1))
@SETTINGS
def test_every_draw_adds_up_and_a_draw_at_the_base_values_is_the_plain_result(d, seed):
    from socinvest.uncertainty.sampling import sample

    case = load(d)
    base = evaluate(case)
    draws = sample(case, 16, np.random.default_rng(seed))
    res = evaluate(case, overrides=draws) if draws else base
    assert np.isfinite(res.amounts).all()
    np.testing.assert_allclose(res.impact, res.amounts.sum(axis=1))
    np.testing.assert_allclose(res.permanent + res.investment, res.impact)
    # parameters without uncertainty are the same in every draw; overriding every uncertain
    # parameter with its own base value gives the plain result in every draw
    from socinvest.case.years import to_vector

    at_base = {
        name: np.broadcast_to(
            to_vector(case.parameters[name].value, base.years), (5, len(base.years))
        )
        for name in draws
    }
    same = evaluate(case, overrides=at_base) if at_base else base
    np.testing.assert_array_equal(same.amounts, np.broadcast_to(base.amounts, same.amounts.shape))


@given(flows, st.data())
@settings(max_examples=100, deadline=None)
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
