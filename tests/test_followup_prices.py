"""Price levels: conversion by a price-index file, never an invented index value, and a whole
case restated at another price level. Expected figures are computed by hand beside each test."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from socinvest.case.load import parse_case
from socinvest.engine.resolve import evaluate
from socinvest.errors import InputError
from socinvest.followup.prices import load_price_index, parse_price_index, restate_case
from socinvest.followup.schema import PriceKind
from socinvest.services.case import load_case

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "followup" / "price-index.yaml"

INDEX = """\
source: test (hand-made)
date: 2026-11-30
kinds:
  service_wages: {2017: 100, 2018: 102, 2019: 104}
  service_prices: {2017: 100, 2019: 102}
"""

W, P = PriceKind.SERVICE_WAGES, PriceKind.SERVICE_PRICES


def test_hand_conversion():
    idx = parse_price_index(INDEX, "index.yaml")
    # 1.000 kr. in 2019 prices (index 104) at the 2017 level (index 100): 1000 × 100/104
    assert round(1000 * idx.factor(W, 2019, 2017), 2) == 961.54
    # and back: 961,538… × 104/100 = 1.000
    assert 1000 * idx.factor(W, 2019, 2017) * idx.factor(W, 2017, 2019) == pytest.approx(1000)
    # current prices per year -> 2017 level: 102 kr. in 2018 and 104 kr. in 2019 are 100 each
    fixed = idx.to_level(np.array([102.0, 104.0]), np.array([2018, 2019]), W, 2017)
    assert fixed == pytest.approx([100.0, 100.0])
    assert idx.to_current(fixed, np.array([2018, 2019]), W, 2017) == pytest.approx([102, 104])


def test_missing_year_is_refused_not_invented():
    idx = parse_price_index(INDEX, "index.yaml")
    with pytest.raises(InputError) as e:
        idx.factor(P, 2018, 2017)  # service prices have 2017 and 2019, not 2018
    text = str(e.value)
    assert text.startswith("index.yaml: prisindekset service_prices mangler år 2018")
    assert "(filen har 2017-2019)" in text
    assert "lacks the year 2018" in e.value.render("en")
    with pytest.raises(InputError, match="ingen række for anlaeg"):
        idx.factor(PriceKind.ANLAEG, 2017, 2019)


def test_shipped_example_is_marked_illustrative():
    idx = load_price_index(EXAMPLE)
    assert idx.file.illustrative is True
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "IKKE RIGTIGE TAL" in text and "NOT KL's pris- og lønskøn" in text
    # obviously round: 100 in 2017 and whole steps of 2, 1 and 3 a year
    for kind, step in ((W, 2), (P, 1), (PriceKind.ANLAEG, 3)):
        series = idx.file.kinds[kind]
        assert all(v == 100 + step * (y - 2017) for y, v in series.items())


def test_restate_fit_case():
    case = load_case(ROOT / "examples" / "fit-familiebehandling.yaml")  # 2017 p/l
    idx = load_price_index(EXAMPLE)
    out = restate_case(case, idx, 2019)
    assert out.price_level == 2019 and out.stated == []
    lines = {ln.id: ln for ln in out.lines}
    # service prices 2017 -> 2019: 100 -> 102; 1.175 × 1,02 = 1.198,5
    assert lines["fit_training"].amounts == {2017: pytest.approx(1198.5)}
    # the money parameter follows its lines (service prices): 587,667 × 1,02 = 599,42034
    assert out.parameters["fte_cost"].value == pytest.approx(599.42034)
    assert out.parameters["fte_family_houses"].value == case.parameters["fte_family_houses"].value
    # every year of every line × 1,02
    assert evaluate(out).amounts[0] == pytest.approx(evaluate(case).amounts[0] * 1.02)
    # the wage parameter as wages: 587,667 × 104/100 = 611,17368
    wages = restate_case(
        case,
        idx,
        2019,
        kinds={"fte_cost": W, "shorter_family_treatment": W, "shorter_safety_plans": W},
    )
    assert wages.parameters["fte_cost"].value == pytest.approx(611.17368)
    assert restate_case(case, idx, 2017) is case


CASE = """\
id: t
title: Test
unit: 1.000 kr.
price_level: 2017
horizon: 2017-2019
committees: {SOU: Socialudvalget}
parameters:
  n: {value: 2, unit: antal, source: test}
  price:
    value: 500
    unit: 1.000 kr. pr. stk.
    source: test
    uncertainty: {dist: triangular, min: 400, mode: 500, max: 700}
lines:
  - {id: a, label: A, kind: cost, owner: SOU, driver: {expr: "n * price"}}
  - {id: b, label: B, kind: cost, owner: SOU, driver: {count: 3, price: 10}}
"""


def test_restate_scales_absolute_uncertainty_and_literal_prices():
    idx = parse_price_index(INDEX, "i")
    out = restate_case(parse_case(CASE), idx, 2019)
    dist = out.parameters["price"].uncertainty
    # 400, 500, 700 × 102/100 (service prices, the default kind)
    assert (dist.min, dist.mode, dist.max) == pytest.approx((408, 510, 714))
    b = next(ln for ln in out.lines if ln.id == "b")
    assert b.driver.price == pytest.approx(10.2)  # 10 × 1,02


def test_restate_refuses_a_money_literal_in_an_expression():
    case = parse_case(CASE.replace('"n * price"', '"n * price + 50"'))
    with pytest.raises(InputError, match="linjerne a kan ikke omregnes"):
        restate_case(case, parse_price_index(INDEX, "i"), 2019)


def test_restate_refuses_a_parameter_shared_by_two_indices():
    case = parse_case(CASE.replace("driver: {count: 3, price: 10}", 'driver: {expr: "price"}'))
    with pytest.raises(InputError, match="parameteren price bruges af linjer med forskellige"):
        restate_case(case, parse_price_index(INDEX, "i"), 2019, kinds={"a": W})
