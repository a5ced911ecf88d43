"""Repayments to the pool after the fact: due against realised savings and repayments made,
arrears and repayments out of savings that did not come, and the ledger carrying the actual
repayments (socinvest.followup.repayments, pool.ledger.with_actual).

The pool is tests/fixtures/pool/two_cases.yaml (1.000 kr., 2020-2024), hand-calculated in
tests/test_pool.py: A repays a fixed 400 a year 2021-2023 of a grant of 1.000; B repays half
of its net savings from 2021 of a grant of 600 + 400.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from socinvest.errors import InputError
from socinvest.followup.realised import actuals_for
from socinvest.followup.repayments import ledger_with_repayments, repayment_status
from socinvest.pool import build_ledger
from socinvest.pool.ledger import with_actual
from socinvest.services.pool import load_pool

FIX = Path(__file__).resolve().parent / "fixtures" / "pool"


@pytest.fixture(scope="module")
def two():
    return load_pool(FIX / "two_cases.yaml")


def _case(lp, app_id):
    return lp.cases[[a.id for a in lp.pool.applications].index(app_id)]


def test_fixed_terms_arrears_and_repaid_without_savings(two):
    case = _case(two, "a")
    act = actuals_for(
        case,
        {
            "start": {2020: 1000},
            "staff": {2021: 100, 2022: 100},
            "saving": {2021: -450, 2022: -600},
        },
    )
    st = repayment_status(two, "a", act, {2021: 400})
    assert st.through == 2022
    # realised net savings: -(100 - 450) = 350 in 2021, -(100 - 600) = 500 in 2022; the plan's
    # 500 after that
    np.testing.assert_allclose(st.savings, [0, 350, 500, 500, 500])
    assert list(st.realised) == [True, True, True, False, False]
    # due: 400 a year 2021-2023 capped at the grant 1.000 -> 400, 400, 200
    np.testing.assert_allclose(st.due, [0, 400, 400, 200, 0])
    # made 400 in 2021 only: arrears at the end of 2022 = 800 - 400 = 400
    np.testing.assert_allclose(st.arrears, [0, 0, 400, 600, 600])
    assert st.arrears_now == pytest.approx(400)
    codes = [(f.code, f.year, f.stated, f.computed) for f in st.findings]
    assert ("POOL_ARREARS", 2022, 400.0, 800.0) in codes
    # 2021: repaid 400 but realised only 350
    assert ("POOL_REPAID_WITHOUT_SAVINGS", 2021, 400.0, 350.0) in codes
    assert len(codes) == 2
    arrears = next(f for f in st.findings if f.code == "POOL_ARREARS")
    assert arrears.severity.value == "error"
    # amounts from 100.000 kr. are worded in mio. kr. (pool.params.Money)
    assert arrears.text("da") == (
        "'a': ved udgangen af 2022 er der forfaldet 0,8 mio. kr. i alt, men tilbagebetalt "
        "0,4 mio. kr.; restancen er 0,4 mio. kr."
    )
    assert arrears.text("en").startswith("'a': by the end of 2022, 0.8 m kr. has fallen due")
    assert arrears.to_json("en")["code"] == "POOL_ARREARS"
    without = next(f for f in st.findings if f.code == "POOL_REPAID_WITHOUT_SAVINGS")
    assert without.severity.value == "warning"
    assert "but the realised net savings were" in without.text("en")


def test_share_terms_are_due_on_the_realised_savings(two):
    case = _case(two, "b")
    act = actuals_for(case, {"saving": {2021: -100, 2022: -600}})
    st = repayment_status(two, "b", act, {2021: 100, 2022: 200})
    # realised savings 100 and 600, the plan's 800 after; half of them from 2021:
    # 50, 300, 400, 400 -> cumulative 50, 350, 750, 1.150, capped at the grant 1.000
    np.testing.assert_allclose(st.savings, [0, 100, 600, 800, 800])
    np.testing.assert_allclose(st.due, [0, 50, 300, 400, 250])
    # made 100 + 200: ahead by 50 in 2021, behind by 350 - 300 = 50 at the end of 2022
    np.testing.assert_allclose(st.arrears[:3], [0, -50, 50])
    codes = [(f.code, f.year) for f in st.findings]
    # 2021: 100 repaid out of 100 realised is not more than came in
    assert codes == [("POOL_ARREARS", 2022)]


def test_paid_as_due_has_no_findings(two):
    case = _case(two, "b")
    act = actuals_for(case, {"saving": {2021: -100, 2022: -600}})
    st = repayment_status(two, "b", act, {2021: 50, 2022: 300})
    assert st.findings == ()
    assert st.arrears_now == pytest.approx(0)


def test_no_actuals_no_findings(two):
    st = repayment_status(two, "a", actuals_for(_case(two, "a"), {}), {})
    assert st.through is None and st.findings == () and st.arrears_now == 0
    with pytest.raises(InputError):
        repayment_status(two, "nope", actuals_for(_case(two, "a"), {}), {})
    with pytest.raises(InputError, match="2030"):
        repayment_status(two, "a", actuals_for(_case(two, "a"), {}), {2030: 1})


def test_the_ledger_carries_actual_repayments(two):
    led = ledger_with_repayments(two, {"a": {2021: 400, 2022: 0}})
    a = led.case("a")
    np.testing.assert_allclose(a.made, [np.nan, 400, 0, np.nan, np.nan])
    # 2021 and 2022 as made; 2023 the terms' 400 (600 outstanding); 2024 nothing scheduled
    np.testing.assert_allclose(a.repaid[0], [0, 400, 0, 400, 0])
    np.testing.assert_allclose(a.outstanding[0], [1000, 600, 600, 200, 200])
    assert np.isnan(a.repaid_year[0])
    # B as in the plain ledger (test_pool: 0, 100, 400, 400, 100): the pool's repayments
    np.testing.assert_allclose(led.repayments[0], [0, 500, 400, 800, 100])
    plain = build_ledger(two)
    assert plain.case("a").made is None
    np.testing.assert_allclose(plain.case("a").repaid[0], [0, 400, 400, 200, 0])


def test_with_actual_by_hand():
    g = np.array([1000.0, 0, 0, 0])
    sched = np.array([[0.0, 400, 400, 400]])
    # made 300 in 2nd year: the terms repay 400, then the 300 still outstanding
    got = with_actual(g, sched, np.array([np.nan, 300, np.nan, np.nan]))
    np.testing.assert_allclose(got[0], [0, 300, 400, 300])
    # overpaid beyond the grant: taken as made, nothing more is scheduled
    got = with_actual(g, sched, np.array([np.nan, 1200, np.nan, np.nan]))
    np.testing.assert_allclose(got[0], [0, 1200, 0, 0])
