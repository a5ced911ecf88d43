"""Plan against actual and realised payback, by hand (socinvest.followup.variance/realised).

Every expected figure is worked out in the comment next to it from the case text below.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socinvest.case.load import parse_case
from socinvest.errors import InputError
from socinvest.followup.activity import Activity
from socinvest.followup.model import Actuals
from socinvest.followup.realised import actuals_for, realised_payback
from socinvest.followup.schema import Threshold, Thresholds
from socinvest.followup.variance import Flag, activity_by_year, variance

CASE = """
id: t
title: test
unit: 1.000 kr.
price_level: 2020
horizon: 2020-2023
parameters:
  n: {value: 20, unit: antal børn, source: test}
  price: {value: 100, unit: 1.000 kr. pr. barn, source: test}
  fte: {value: {2021-2023: 3}, unit: årsværk, source: test}
  rate: {value: 500, unit: 1.000 kr. pr. årsværk, source: test}
lines:
  - {id: inv, label: Investering, kind: investment, amounts: {2020: 1000}}
  - {id: placements, label: Færre anbringelser, kind: saving, driver: {count: n, price: price},
     ramp: {2020: 0}}
  - {id: staff, label: Personale, kind: cost, driver: {fte: fte, rate: rate}}
"""
# Plan (1.000 kr., spending sign):
#   inv        1000     0      0      0
#   placements    0 -2000  -2000  -2000   (20 × 100, saving, ramp 0 in 2020)
#   staff         0  1500   1500   1500   (3 × 500)


@pytest.fixture(scope="module")
def case():
    return parse_case(CASE)


def test_plan_actual_difference_percent_and_status(case):
    act = actuals_for(
        case,
        {"inv": {2020: 1040}, "placements": {2021: -1850, 2022: -2000}, "staff": {2021: 1590}},
    )
    v = variance(case, act)
    # inv 2020: 1040 - 1000 = 40 (4 %: below watch 5 %) -> ok
    assert v.diff[0, 0] == pytest.approx(40.0)
    assert v.pct[0, 0] == pytest.approx(4.0)
    assert v.flag("inv", 2020) is Flag.OK
    # placements 2021: -1850 - (-2000) = +150 (less saved), 7,5 % -> watch
    assert v.diff[1, 1] == pytest.approx(150.0)
    assert v.pct[1, 1] == pytest.approx(7.5)
    assert v.flag("placements", 2021) is Flag.WATCH
    # placements 2022 exactly as planned -> ok; staff 2021: +90 on 1500 = 6 % -> watch
    assert v.flag("placements", 2022) is Flag.OK
    assert v.pct[2, 1] == pytest.approx(6.0)
    assert v.flag("staff", 2021) is Flag.WATCH
    # nothing reported: no actual, no status
    assert np.isnan(v.actual[2, 2]) and v.flag("staff", 2022) is Flag.NONE
    assert v.worst is Flag.WATCH
    # year totals over the lines observed that year: 2021 plan -2000 + 1500 = -500,
    # actual -1850 + 1590 = -260, difference +240 = 48 % -> alert
    assert v.total_plan[1] == pytest.approx(-500.0)
    assert v.total_actual[1] == pytest.approx(-260.0)
    assert v.total_pct[1] == pytest.approx(48.0)
    assert v.total_status[1] == Flag.ALERT
    # 2023: nothing observed anywhere
    assert np.isnan(v.total_actual[3]) and v.total_status[3] == Flag.NONE
    assert not v.diff.flags.writeable and not v.status.flags.writeable


def test_absolute_floor_and_alert(case):
    th = Thresholds(
        watch=Threshold(percent=5, absolute=100), alert=Threshold(percent=8, absolute=200)
    )
    act = actuals_for(
        case, {"inv": {2020: 1090}, "placements": {2021: -1790}, "staff": {2021: 1650}}
    )
    v = variance(case, act, th)
    # inv: +90 is 9 % but below the 100 floor -> ok
    assert v.flag("inv", 2020) is Flag.OK
    # placements: +210 = 10,5 % and above 200 -> alert
    assert v.flag("placements", 2021) is Flag.ALERT
    # staff: +150 = 10 %: above 8 % but not above 200, above 5 % and 100 -> watch
    assert v.flag("staff", 2021) is Flag.WATCH


def test_a_planned_zero_flags_any_difference(case):
    v = variance(case, actuals_for(case, {"inv": {2021: 10}}))
    assert np.isnan(v.pct[0, 1])
    assert v.flag("inv", 2021) is Flag.ALERT


def test_quarters_compare_with_a_quarter_of_the_plan(case):
    act = actuals_for(case, {"staff": {2021: 1560}})
    q = np.full(act.quarterly.shape, np.nan)
    q[2, 1] = [375, 375, 400, 410]  # sums to 1560
    act = Actuals(**{**act.__dict__, "quarterly": q})
    th = Thresholds(
        watch=Threshold(percent=5, absolute=40), alert=Threshold(percent=8, absolute=80)
    )
    v = variance(case, act, th)
    # plan per quarter 1500 / 4 = 375
    np.testing.assert_allclose(v.quarter_plan[2, 1], [375, 375, 375, 375])
    np.testing.assert_allclose(v.quarter_diff[2, 1], [0, 0, 25, 35])
    # Q3: +25 = 6,7 % > 5 % and > the quarter's floor 40/4 = 10, not > 8 % -> watch;
    # Q4: +35 = 9,3 % > 8 % and > 80/4 = 20 -> alert
    assert list(v.quarter_status[2, 1]) == [Flag.OK, Flag.OK, Flag.WATCH, Flag.ALERT]
    assert np.isnan(v.quarter_actual[1, 1]).all()


def test_volume_and_price_split_by_hand(case):
    act = actuals_for(case, {"placements": {2021: -1900, 2022: -2300}, "staff": {2021: 1200}})
    v = variance(case, act, activity={"n": {2021: 18, 2022: 22}, "fte": {2021: 2.5}})
    s = v.split_of("placements")
    assert s is not None and s.count == "n"
    # 2021: plan -2000, actual -1900, difference +100. Plan unit -100 (a saving of 100 a child).
    # volume = (18 - 20) × -100 = +200 (fewer children: less saved)
    # actual unit = -1900 / 18 = -105,56; price = (-105,56 - -100) × 18 = -100
    assert s.volume[1] == pytest.approx(200.0)
    assert s.actual_unit[1] == pytest.approx(-1900 / 18)
    assert s.price[1] == pytest.approx(-100.0)
    # 2022: actual -2300: volume (22 - 20) × -100 = -200; price (-2300/22 + 100) × 22 = -100
    assert s.volume[2] == pytest.approx(-200.0)
    assert s.price[2] == pytest.approx(-100.0)
    assert np.isnan(s.volume[3])  # no activity, no actual
    # fte × rate: plan 3 × 500 = 1500, actual 2,5 årsværk and 1200:
    # volume (2,5 - 3) × 500 = -250; price (1200/2,5 - 500) × 2,5 = -50; sum -300 = 1200 - 1500
    f = v.split_of("staff")
    assert f is not None and f.count == "fte"
    assert f.volume[1] == pytest.approx(-250.0)
    assert f.price[1] == pytest.approx(-50.0)
    assert v.split_of("inv") is None


@settings(max_examples=60, deadline=None)
@given(
    plan_count=st.floats(0, 500),
    price=st.floats(0.5, 5000),
    mult=st.floats(0.5, 4),
    ramp=st.floats(0.1, 1),
    actual_count=st.floats(0, 500),
    actual=st.floats(-1e6, 1e6),
    kind=st.sampled_from(["cost", "saving"]),
)
def test_volume_plus_price_is_the_difference(
    plan_count, price, mult, ramp, actual_count, actual, kind
):
    case = parse_case(f"""
id: p
title: p
unit: kr.
price_level: 2020
horizon: 2020-2021
parameters:
  c: {{value: {plan_count!r}, unit: antal, source: test}}
  p: {{value: {price!r}, unit: kr., source: test}}
lines:
  - {{id: x, label: X, kind: {kind}, driver: {{count: c, price: p, multiplier: {mult!r}}},
     ramp: {{2020: {ramp!r}}}}}
""")
    v = variance(
        case, actuals_for(case, {"x": {2020: actual}}), activity={"c": {2020: actual_count}}
    )
    s = v.split_of("x")
    assert s is not None
    total = s.volume[0] + s.price[0]
    assert total == pytest.approx(v.diff[0, 0], rel=1e-9, abs=1e-6 * max(1.0, abs(actual)))


def test_quarterly_activity_makes_a_year_from_all_four_quarters():
    years = np.array([2020, 2021, 2022])
    given = {
        "fte": {"2020Q1": 2, "2020Q2": 3, "2020Q3": 4, "2020Q4": 3, 2021: 5, "2022Q1": 1},
    }
    # 2020 by quarters: mean (2 + 3 + 4 + 3) / 4 = 3, sum 12; 2021 whole; 2022 incomplete
    np.testing.assert_allclose(activity_by_year(given, years)["fte"], [3.0, 5.0, np.nan])
    np.testing.assert_allclose(activity_by_year(given, years, "sum")["fte"], [12.0, 5.0, np.nan])


def test_split_from_a_checked_activity(case):
    years = np.arange(2020, 2024)
    q = np.full((1, 4, 4), np.nan)
    q[0, 1] = [17, 18, 18, 19]  # 2021 by quarters: mean 18
    act = Activity(("n",), years, np.full((1, 4), np.nan), q)
    v = variance(case, actuals_for(case, {"placements": {2021: -1900}}), activity=act)
    s = v.split_of("placements")
    assert s is not None
    # as in the hand example: count 18 -> volume +200, price -100
    assert (s.volume[1], s.price[1]) == (pytest.approx(200.0), pytest.approx(-100.0))


def test_actuals_must_fit_the_case(case):
    other = parse_case(CASE.replace("2020-2023", "2020-2024"))
    with pytest.raises(InputError, match="horisonten"):
        variance(other, actuals_for(case, {}))
    with pytest.raises(InputError, match="ukendt|ikke har"):
        actuals_for(case, {"nope": {2020: 1}})
    other_level = Actuals(**{**actuals_for(case, {}).__dict__, "price_level": 2024})
    with pytest.raises(InputError, match="prisniveau") as e:
        variance(case, other_level)
    assert "price level" in e.value.render("en")


# -- realised payback --------------------------------------------------------------------

PAYBACK = """
id: r
title: r
unit: 1.000 kr.
price_level: 2020
horizon: 2020-2024
lines:
  - {id: inv, label: Investering, kind: investment, amounts: {2020: 4000}}
  - {id: grant, label: Tilskud, kind: investment, area: anlaeg, funding: external,
     amounts: {2020: 1000}}
  - {id: building, label: Ombygning, kind: investment, area: anlaeg, amounts: {2020: 500}}
  - {id: saving, label: Besparelse, kind: saving, amounts: {2021-2024: -3000}}
"""


def test_realised_payback_of_the_conventions_example():
    case = parse_case(PAYBACK)
    # actual service flows 4.000, 300, -5.200: cumulative 4.000, 4.300, -900 -> year 3,
    # fractional 2 + 4.300 / (4.300 + 900) = 2,83; conventions.md's own example is on
    # cumulatives 4.000, 300, -5.200, this one on flows.
    act = actuals_for(
        case,
        {
            "inv": {2020: 4000, 2021: 300},
            "grant": {2020: 1000},
            "building": {2020: 500},
            "saving": {2021: 0, 2022: -5200},
        },
    )
    r = realised_payback(case, act)
    assert r.through == 2022
    np.testing.assert_allclose(r.flows["service"][:3], [4000, 300, -5200])
    assert np.isnan(r.flows["service"][3])
    np.testing.assert_allclose(r.cumulative["service"][:3], [4000, 4300, -900])
    assert r.payback["service"] == 3
    assert r.payback_fractional["service"] == pytest.approx(2 + 4300 / 5200)
    # total adds the external grant and the building: 5.500, 300, -5.200 -> cumulative 600
    # in year 3: not yet paid back
    assert np.isnan(r.payback["total"])
    assert not r.paid_back("total")
    # own money leaves out the external grant: 4.500, 300, -5.200 -> -400 in year 3
    np.testing.assert_allclose(r.flows["own"][:3], [4500, 300, -5200])
    assert r.payback["own"] == 3
    # the plan: service 4.000, -3.000, -3.000 -> year 3; total 5.500, -3.000, -3.000 -> 3
    assert r.plan_payback["service"] == 3 and r.plan_payback["total"] == 3
    # with the plan for 2023-2024: total cumulative 600 - 3.000 -> year 4
    rp = realised_payback(case, act, with_plan=True)
    assert rp.payback["total"] == 4
    np.testing.assert_allclose(rp.flows["total"], [5500, 300, -5200, -3000, -3000])


def test_unreported_cells_count_as_planned_and_are_listed():
    case = parse_case(PAYBACK)
    act = actuals_for(case, {"inv": {2020: 4000}, "saving": {2021: -2000}})
    r = realised_payback(case, act, with_plan=False)
    # grant and building were not reported in 2020: counted as planned (and listed);
    # nothing is planned for inv in 2021, so that cell is not listed
    assert set(r.planned_cells) == {("grant", 2020), ("building", 2020)}
    np.testing.assert_allclose(r.flows["total"][:2], [5500, -2000])
    assert r.through == 2021


def test_nothing_observed_has_no_payback_yet():
    case = parse_case(PAYBACK)
    r = realised_payback(case, actuals_for(case, {}))
    assert r.through is None
    assert np.isnan(r.payback["service"]) and np.isnan(r.flows["total"]).all()
