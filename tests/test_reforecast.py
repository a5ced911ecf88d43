"""Re-forecast rules by hand, and conditioning on the actuals validated on synthetic cases whose
truth is known (socinvest.followup.reforecast / condition)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from socinvest.case.load import parse_case
from socinvest.engine.resolve import evaluate
from socinvest.errors import InputError
from socinvest.followup.condition import (
    RateObservation,
    condition,
    ess,
    gamma_poisson,
    moments,
    obs_scale,
    weighted_quantiles,
)
from socinvest.followup.realised import actuals_for
from socinvest.followup.reforecast import reforecast
from socinvest.followup.schema import Forecast
from socinvest.i18n import render
from socinvest.uncertainty.sampling import draw_distribution

CASE = """
id: rf
title: rf
unit: 1.000 kr.
price_level: 2020
horizon: 2020-2024
parameters:
  n: {value: 20, unit: antal, source: test}
  price: {value: 100, unit: 1.000 kr., source: test}
lines:
  - {id: inv, label: Investering, kind: investment, amounts: {2020: 1000}}
  - {id: saving, label: Besparelse, kind: saving, driver: {count: n, price: price},
     ramp: {2020: 0}}
"""
# Plan: inv 1000, 0, 0, 0, 0; saving 0, -2000, -2000, -2000, -2000.


@pytest.fixture(scope="module")
def case():
    return parse_case(CASE)


@pytest.fixture(scope="module")
def act(case):
    return actuals_for(case, {"inv": {2020: 1200}, "saving": {2021: -1500, 2022: -1700}})


def _npv(flows, r=0.035):
    return -sum(f / (1 + r) ** (t + 1) for t, f in enumerate(flows))


def test_keep_plan(case, act):
    r = reforecast(case, act)
    np.testing.assert_allclose(r.mixed[1], [0, -1500, -1700, -2000, -2000])
    np.testing.assert_allclose(r.flows["total"], [1200, -1500, -1700, -2000, -2000])
    # cumulative 1.200, -300 -> year 2 (plan: 1.000, -1.000 -> year 2)
    assert r.payback["total"] == 2 and r.plan_payback["total"] == 2
    assert r.through == 2022
    assert r.npv == pytest.approx(_npv([1200, -1500, -1700, -2000, -2000]))
    assert r.plan_npv == pytest.approx(_npv([1000, -2000, -2000, -2000, -2000]))


def test_scale_by_the_realised_share(case, act):
    r = reforecast(case, act, Forecast(rule="scale"))
    # saving: (-1.500 - 1.700) / (-2.000 - 2.000) = 0,8 -> -1.600 in 2023 and 2024
    # inv: 1.200 / 1.000 = 1,2, but nothing more is planned
    assert r.shares["saving"] == pytest.approx(0.8)
    assert r.shares["inv"] == pytest.approx(1.2)
    np.testing.assert_allclose(r.flows["total"], [1200, -1500, -1700, -1600, -1600])
    np.testing.assert_allclose(r.forecast[1], [0, -1600, -1600, -1600, -1600])
    assert r.npv == pytest.approx(_npv([1200, -1500, -1700, -1600, -1600]))
    # limited to one line: the other keeps share 1
    only = reforecast(case, act, Forecast(rule="scale", lines=["inv"]))
    assert only.shares["saving"] == 1.0 and only.applies_to == ("inv",)
    np.testing.assert_allclose(only.flows["total"], [1200, -1500, -1700, -2000, -2000])


def test_scale_without_observations_keeps_the_plan(case):
    r = reforecast(case, actuals_for(case, {"inv": {2020: 900}}), Forecast(rule="scale"))
    assert r.shares["saving"] == 1.0
    np.testing.assert_allclose(r.mixed[1], [0, -2000, -2000, -2000, -2000])


def test_override_parameters(case, act):
    r = reforecast(case, act, Forecast(rule="override", overrides={"n": {2023: 15, 2024: 12}}))
    # 2023: 15 × 100 = -1.500, 2024: 12 × 100 = -1.200; observed years stay actual
    np.testing.assert_allclose(r.flows["total"], [1200, -1500, -1700, -1500, -1200])
    np.testing.assert_allclose(r.overrides["n"], [20, 20, 20, 15, 12])
    flat = reforecast(case, act, Forecast(rule="override", overrides={"price": 90}))
    np.testing.assert_allclose(flat.flows["total"], [1200, -1500, -1700, -1800, -1800])
    with pytest.raises(InputError, match="nope"):
        reforecast(case, act, Forecast(rule="override", overrides={"nope": 1}))
    with pytest.raises(InputError):
        reforecast(case, act, Forecast(rule="scale", lines=["missing"]))


# -- conditioning: the pieces by hand -----------------------------------------------------


def test_weighted_quantiles_and_ess_by_hand():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    # equal weights: masses centred at 0,125 0,375 0,625 0,875 -> the median halfway, 2,5
    assert weighted_quantiles(x, np.ones(4), (50,))[0] == pytest.approx(2.5)
    # all mass on 3
    assert weighted_quantiles(x, np.array([0, 0, 1.0, 0]), (5, 50, 95)).tolist() == [3, 3, 3]
    assert ess(np.ones(10)) == pytest.approx(10)
    assert ess(np.array([1.0, 0, 0])) == pytest.approx(1)
    # (1 + 3)² / (1 + 9) = 1,6
    assert ess(np.array([1.0, 3.0])) == pytest.approx(1.6)


def test_gamma_poisson_by_hand():
    # prior mean 2, sd 1: shape 2²/1² = 4, rate 2/1 = 2; 10 events over exposure 3:
    # posterior Gamma(14, 5): mean 2,8, sd √14 / 5
    g = gamma_poisson("r", 2.0, 1.0, RateObservation(10, 3))
    assert (g.shape0, g.rate0, g.shape, g.rate) == (4, 2, 14, 5)
    assert g.mean == pytest.approx(2.8)
    assert g.sd == pytest.approx(math.sqrt(14) / 5)
    lo, mid, hi = g.percentiles()
    # median ≈ mean × (3k - 0,8) / (3k + 0,2) with k = 14: 2,8 × 41,2 / 42,2 = 2,734
    assert lo < 2.8 < hi and mid == pytest.approx(2.8 * 41.2 / 42.2, abs=0.005)
    with pytest.raises(InputError):
        gamma_poisson("r", 2.0, 1.0, RateObservation(3, 0))


def test_moments_by_hand():
    case = parse_case(
        CASE.replace(
            "n: {value: 20, unit: antal, source: test}",
            "n: {value: 20, unit: antal, source: test, uncertainty: {dist: triangular, min: 0, "
            "mode: 1, max: 2}}",
        )
    )
    # triangular 0, 1, 2: mean 1, variance (0 + 1 + 4 - 0 - 0 - 2) / 18 = 1/6
    m, sd = moments(case.parameters["n"].uncertainty)
    assert m == pytest.approx(1) and sd == pytest.approx(math.sqrt(1 / 6))


def test_observation_scale_falls_back_for_planned_zeros():
    plan = np.array([[1000.0, 0.0], [0.0, -50.0], [0.0, 0.0]])
    np.testing.assert_allclose(obs_scale(plan), [[1000, 1000], [50, 50], [1000, 1000]])


def test_without_uncertainty_every_draw_is_the_reforecast(case, act):
    c = condition(case, act, draws=50, target=2)
    assert c.ess == pytest.approx(50)
    assert c.parameters == ()
    assert c.p_payback("total") == 1.0  # keep-plan re-forecast pays back in year 2
    assert c.p_payback("total", within=1) == 0.0
    assert c.npv_band[1] == pytest.approx(reforecast(case, act).npv)


UNCERTAIN = """
id: syn
title: synthetic
unit: 1.000 kr.
price_level: 2020
horizon: 2020-2027
parameters:
  n: {value: 20, unit: antal, source: synthetic,
      uncertainty: {dist: normal, mean: 20, sd: 4}}
  price: {value: 100, unit: 1.000 kr., source: synthetic,
          uncertainty: {dist: lognormal, mean: 100, sd: 15}}
lines:
  - {id: inv, label: Investering, kind: investment, amounts: {2020: 3000}}
  - {id: saving, label: Besparelse, kind: saving, driver: {count: n, price: price},
     ramp: {2020: 0.5}}
"""


def test_low_ess_warns_in_both_languages():
    case = parse_case(UNCERTAIN)
    act = actuals_for(case, {"saving": {2020: -1000, 2021: -2000, 2022: -2000}})
    c = condition(case, act, draws=2000, obs_sd=0.001)
    assert c.ess < 200 and len(c.warnings) == 1
    assert "effektive stikprøvestørrelse" in render(c.warnings[0], "da")
    assert "effective sample size" in render(c.warnings[0], "en")
    wide = condition(case, act, draws=2000, obs_sd=0.2)
    assert wide.ess >= 200 and wide.warnings == ()


def test_conditioning_moves_the_forecast_towards_the_actuals():
    case = parse_case(UNCERTAIN)
    # savings 40 % above plan for three years
    act = actuals_for(case, {"saving": {2020: -1400, 2021: -2800, 2022: -2800}})
    c = condition(case, act, draws=20_000, target=2)
    prior_mid = c.prior_npv_band[1]
    assert c.npv_band[1] > prior_mid
    assert c.p_payback("total") >= c.prior_p_payback("total")
    # the saving's final-year median is near the observed level, not the plan's -2.000
    assert c.amounts_band[1, 1, -1] < -2400
    assert c.fan.shape == (5, 8)
    np.testing.assert_allclose(c.fan[:, 1], -2800)  # an observed year has no spread


def _trial(case, plan, rng, seed, years_observed=3, obs_sd=0.1):
    truth = {
        k: draw_distribution(case.parameters[k].uncertainty, 1, rng)[:, None]
        for k in ("n", "price")
    }
    true_amounts = evaluate(case, truth).amounts[0]
    sd = obs_sd * obs_scale(plan)
    noisy = true_amounts + rng.normal(0.0, 1.0, true_amounts.shape) * sd
    values = {
        lid: {2020 + y: float(noisy[i, y]) for y in range(years_observed)}
        for i, lid in enumerate(("inv", "saving"))
    }
    c = condition(case, actuals_for(case, values), draws=3000, seed=seed, obs_sd=obs_sd)
    band = {p.name: p.band for p in c.parameters}
    hit_n = band["n"][0] <= truth["n"][0, 0] <= band["n"][2]
    lo, hi = c.amounts_band[0, 1, -1], c.amounts_band[2, 1, -1]
    hit_last = lo <= true_amounts[1, -1] <= hi
    return hit_n, hit_last, c.ess


def test_90_percent_intervals_cover_the_truth_about_90_percent_of_the_time():
    """Synthetic validation: the truth is drawn from the prior, three years of actuals are
    generated with the stated observation noise (10 % of plan), the case is conditioned (3.000
    draws), and over 400 trials the 90 % interval of the count parameter and of the final-year
    amount covers the truth 85-95 % of the time (binomial sd of the share: 1,5 points). The
    product count × price is what the actuals inform; the count alone is only partly
    identified, so its interval tests the weights beyond the observed quantity."""
    case = parse_case(UNCERTAIN)
    plan = evaluate(case).amounts[0]
    rng = np.random.default_rng(1)
    trials = [_trial(case, plan, rng, seed) for seed in range(400)]
    cover_n = np.mean([t[0] for t in trials])
    cover_last = np.mean([t[1] for t in trials])
    assert 0.85 <= cover_n <= 0.95, cover_n
    assert 0.85 <= cover_last <= 0.95, cover_last
    # importance sampling degenerates only where the truth lies far out in the prior's tail
    ess_ = np.array([t[2] for t in trials])
    assert np.median(ess_) > 500 and (ess_ < 200).mean() < 0.15


def test_gamma_poisson_intervals_cover_the_truth():
    """Rates observed as counts: truth from the (moment-matched) prior, a Poisson count over
    the exposure, the conjugate posterior's 90 % interval covers the truth 85-95 % of 400."""
    rng = np.random.default_rng(7)
    hits = 0
    for _ in range(400):
        g0 = gamma_poisson("r", 0.3, 0.1, RateObservation(0, 1))
        lam = rng.gamma(g0.shape0, 1 / g0.rate0)
        k = rng.poisson(lam * 40)
        lo, _mid, hi = gamma_poisson("r", 0.3, 0.1, RateObservation(k, 40)).percentiles()
        hits += lo <= lam <= hi
    assert 0.85 <= hits / 400 <= 0.95


def test_condition_with_a_rate_observed_as_counts():
    case = parse_case(UNCERTAIN)
    act = actuals_for(case, {})
    # n is a count per year; 3 years with 66 in all: posterior Gamma(25 + 66, 1,25 + 3)
    c = condition(case, act, draws=20_000, rates={"n": RateObservation(66, 3)})
    (g,) = c.rates
    assert g.shape0 == pytest.approx(25) and g.rate0 == pytest.approx(1.25)
    assert g.mean == pytest.approx(91 / 4.25)
    band = {p.name: p for p in c.parameters}["n"]
    assert band.mean == pytest.approx(91 / 4.25, rel=0.01)
    assert band.band[2] - band.band[0] < band.prior[2] - band.prior[0]
    with pytest.raises(InputError):
        condition(case, act, draws=100, rates={"missing": RateObservation(1, 1)})
