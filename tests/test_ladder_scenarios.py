"""Scenario levers of issue 13, each against a hand calculation in both engines: caps and
targets over several steps (on the stock and on new placements), `move_to` with shares,
absolute entrants and transfers *per month*, a step's cost mix, and the warning when a lever
changes nothing."""

from __future__ import annotations

import numpy as np
import pytest

from socinvest.errors import InputError
from socinvest.i18n import render
from socinvest.ladder import build_tables, compare, load_model, project_markov, simulate_micro
from socinvest.ladder.scenario import idle_levers

LADDER = """\
id: four
title: Fire trin (test)
unit: kr.
price_level: 2024
steps:
  - {id: out, label: Almene, legal: "-", cost: {value: 0, unit: kr., source: test}}
  - {id: home, label: Hjemme, legal: "-", cost: {value: 100000, unit: kr., source: test}}
  - {id: kin, label: Netværk, legal: "-", placement: true,
     cost: {value: 300000, unit: kr., source: test}}
  - {id: foster, label: Pleje, legal: "-", placement: true, cost: {unit: kr., source: test,
     mix: [{id: almindelig, label: Almindelig, share: 0.6, value: 400000},
           {id: forstaerket, label: Forstærket, share: 0.3, value: 600000},
           {id: netvaerk, label: Netværkspleje, share: 0.1, value: 300000}]}}
  - {id: inst, label: Institution, legal: "-", placement: true,
     cost: {value: 1000000, unit: kr., source: test}}
"""


def _model(tmp_path, population: str, overrides: str = ""):
    (tmp_path / "l.yaml").write_text(LADDER)
    (tmp_path / "p.yaml").write_text("ladder: l.yaml\nstart: 2025\nmax_age: 18\n" + population)
    if not overrides:
        return load_model(tmp_path / "p.yaml")
    (tmp_path / "s.yaml").write_text("baseline: p.yaml\ntitle: t\noverrides:\n" + overrides)
    return load_model(tmp_path / "s.yaml")


def _k(t, step: str) -> int:
    return list(t.steps).index(step)


# -- caps on new placements --------------------------------------------------------------------


def test_cap_on_new_placements_moves_exactly_the_excess_by_shares(tmp_path):
    """40 new placements a year, half of them in institutions; at most 25 % of new placements
    there: 20 − 0,25·40 = 10 a year go to foster (60 %) and kin (40 %). Nobody leaves, so after
    a year: institution 10, foster 20 + 6 = 26, kin 4; the cap moved 10."""
    m = _model(
        tmp_path,
        "years: 1\nentries: {foster: {5: 20}, inst: {5: 20}}\n",
        "  - {type: placement_cap, steps: [inst], of: new, max_share: 0.25,"
        " move_to: {foster: 0.6, kin: 0.4}}\n",
    )
    t = build_tables(m)
    p = project_markov(t)
    end = p.stock[0, 12]
    assert end[_k(t, "inst")] == pytest.approx(10.0)
    assert end[_k(t, "foster")] == pytest.approx(26.0)
    assert end[_k(t, "kin")] == pytest.approx(4.0)
    assert p.capped[0].sum() == pytest.approx(10.0)
    assert p.entered[0].sum() == pytest.approx(40.0)
    assert np.abs(p.balance()).max() < 1e-9


def test_cap_on_new_placements_counts_moves_into_care(tmp_path):
    """1.000 children at home, 1 % a month to institution and 1 % to foster care: the month's
    new placements are 10 + 10; at most 25 % in institution moves 10 − 5 = 5 to foster."""
    m = _model(
        tmp_path,
        "years: 1\nstock: {home: {5: 1000}}\ntransitions:\n"
        "  - {from: home, to: inst, monthly: 0.01}\n  - {from: home, to: foster, monthly: 0.01}\n",
        "  - {type: placement_cap, step: inst, of: new, max_share: 0.25, move_to: foster}\n",
    )
    t = build_tables(m)
    p = project_markov(t)
    assert p.stock[0, 1, _k(t, "inst")] == pytest.approx(5.0)
    assert p.stock[0, 1, _k(t, "foster")] == pytest.approx(15.0)
    assert p.capped[0, 0] == pytest.approx(5.0)


def test_cap_on_new_placements_micro_whole_children(tmp_path):
    """The micro engine moves the excess rounded up to whole children: over a year, at most
    25 % (plus one child a month) of the new placements stay in institutions."""
    m = _model(
        tmp_path,
        "years: 1\nentries: {foster: {5: 600}, inst: {5: 600}}\n",
        "  - {type: placement_cap, steps: [inst], of: new, max_share: 0.25, move_to: foster}\n",
    )
    t = build_tables(m)
    p = simulate_micro(t, seed=3)
    end = p.stock[0, 12]
    new = p.entered[0].sum()
    assert end[_k(t, "inst")] <= 0.25 * new + 12
    assert end[_k(t, "inst")] >= 0.25 * new - 12
    assert np.all(p.balance() == 0)


# -- caps and targets on the stock ---------------------------------------------------------------


STOCK = "years: 1\nstock: {inst: {10: 30}, kin: {10: 10}, foster: {10: 60}}\n"


def test_stock_cap_over_several_steps(tmp_path):
    """Institution + kin hold 40 of 100 placed; at most 25 %: 15 move to foster, taken from
    each capped step in proportion (30 − 15·30/40 = 18,75; 10 − 15·10/40 = 6,25)."""
    m = _model(
        tmp_path,
        STOCK,
        "  - {type: placement_cap, steps: [inst, kin], max_share: 0.25, move_to: foster}\n",
    )
    t = build_tables(m)
    for p in (project_markov(t),):
        end = p.stock[0, 1]
        assert end[_k(t, "inst")] == pytest.approx(18.75)
        assert end[_k(t, "kin")] == pytest.approx(6.25)
        assert end[_k(t, "foster")] == pytest.approx(75.0)
    micro = simulate_micro(t, seed=1).stock[0, 1]
    assert micro[_k(t, "inst")] + micro[_k(t, "kin")] == 25  # whole children, exactly 15 moved


def test_stock_cap_moving_children_out_of_care_is_exact(tmp_path):
    """Moving to home lowers the placed total: x = (40 − 0,25·100) / (1 − 0,25) = 20 moved,
    leaving 20 of 80 placed = 25 %."""
    m = _model(
        tmp_path,
        STOCK,
        "  - {type: placement_cap, steps: [inst, kin], max_share: 0.25, move_to: home}\n",
    )
    t = build_tables(m)
    end = project_markov(t).stock[0, 1]
    assert end[_k(t, "home")] == pytest.approx(20.0)
    placed = end[[_k(t, "inst"), _k(t, "kin"), _k(t, "foster")]].sum()
    assert placed == pytest.approx(80.0)
    assert (end[_k(t, "inst")] + end[_k(t, "kin")]) / placed == pytest.approx(0.25)


def test_target_moves_the_shortfall_from_the_other_placement_steps(tmp_path):
    """At least 70 % in foster care: 60 of 100 → 10 move in from institution and kin in
    proportion to their children (7,5 and 2,5)."""
    m = _model(
        tmp_path,
        STOCK,
        "  - {type: placement_cap, step: foster, min_share: 0.7, move_to: foster}\n",
    )
    t = build_tables(m)
    end = project_markov(t).stock[0, 1]
    assert end[_k(t, "foster")] == pytest.approx(70.0)
    assert end[_k(t, "inst")] == pytest.approx(22.5)
    assert end[_k(t, "kin")] == pytest.approx(7.5)


def test_move_to_a_list_shares_equally(tmp_path):
    m = _model(
        tmp_path,
        STOCK,
        "  - {type: placement_cap, step: inst, max_share: 0.1, move_to: [kin, foster]}\n",
    )
    t = build_tables(m)
    end = project_markov(t).stock[0, 1]
    # 30 − 0,1·100 = 20 moved, 10 to each
    assert end[_k(t, "kin")] == pytest.approx(20.0)
    assert end[_k(t, "foster")] == pytest.approx(70.0)


# -- absolute entrants and transfers, per month --------------------------------------------------


def test_entrants_are_per_month_not_per_year(tmp_path):
    """`per_month: 2` adds 2 children every month: 24 after a year (a per-year reading — the
    peer model's unit bug — would give 2)."""
    m = _model(
        tmp_path,
        "years: 1\n",
        "  - {type: entrants, step: foster, ages: 3-5, per_month: 2}\n",
    )
    t = build_tables(m)
    p = project_markov(t)
    assert p.entered[0] == pytest.approx(np.full(12, 2.0))
    assert p.stock[0, 12, _k(t, "foster")] == pytest.approx(24.0)
    big = _model(tmp_path, "years: 1\n", "  - {type: entrants, step: foster, per_month: 100}\n")
    n = simulate_micro(build_tables(big), seed=5).entered[0].sum()
    assert abs(n - 1200) <= 4 * np.sqrt(1200)  # Poisson, mean 1.200 a year


def test_negative_entrants_remove_children_but_never_below_zero(tmp_path):
    m = _model(
        tmp_path,
        "years: 1\nentries: {inst: {12-17: 24}}\n",
        "  - {type: entrants, step: inst, per_month: -1}\n"
        "  - {type: entrants, step: kin, per_month: -5}\n",  # kin has none to remove
    )
    p = project_markov(build_tables(m))
    assert p.entered[0] == pytest.approx(np.full(12, 1.0))  # 2 − 1 a month
    assert p.stock.min() >= 0


def test_transfers_per_month(tmp_path):
    """2 children a month from institution to foster care: 30 → 6 after a year; at most
    those there are (kin: 10 → 0 after five months at 2 a month to case closed)."""
    m = _model(
        tmp_path,
        STOCK,
        "  - {type: transfers, from: inst, to: foster, per_month: 2}\n"
        "  - {type: transfers, from: kin, to: out, per_month: 2}\n",
    )
    t = build_tables(m)
    for p in (project_markov(t), simulate_micro(t, seed=2)):
        end = p.stock[0, 12]
        assert end[_k(t, "inst")] == pytest.approx(6.0)
        assert end[_k(t, "foster")] == pytest.approx(84.0)
        assert end[_k(t, "kin")] == pytest.approx(0.0)
        assert p.closed[0].sum() == pytest.approx(10.0)
        assert np.abs(p.balance()).max() < 1e-9


# -- the cost mix of a step ----------------------------------------------------------------------


def test_cost_mix_value_and_scenario_shares(tmp_path):
    """Foster care: 0,6·400.000 + 0,3·600.000 + 0,1·300.000 = 450.000 a child-year; from 2026
    the strategy's mix 0,5/0,2/0,3 costs 200.000 + 120.000 + 90.000 = 410.000. With the same
    children, the savings are 40.000 × foster child-years from 2026 (none in 2025)."""
    m = _model(
        tmp_path,
        "years: 2\nstock: {foster: {10: 12}}\n",
        "  - {type: cost_mix, step: foster, from_year: 2026,"
        " mix: {almindelig: 0.5, forstaerket: 0.2, netvaerk: 0.3}}\n",
    )
    assert m.ladder.steps[3].cost.value == pytest.approx(450_000)
    c = compare(m)
    assert c.savings() == pytest.approx([0.0, 40_000 * 12])
    assert not c.warnings


def test_cost_mix_value_must_match(tmp_path):
    bad = LADDER.replace(
        "cost: {unit: kr., source: test,", "cost: {value: 1, unit: kr., source: test,"
    )
    (tmp_path / "l.yaml").write_text(bad)
    (tmp_path / "p.yaml").write_text("ladder: l.yaml\nstart: 2025\n")
    with pytest.raises(InputError, match="stemmer ikke med mix"):
        load_model(tmp_path / "p.yaml")


# -- levers that change nothing ------------------------------------------------------------------


def test_caseload_without_moves_down_is_flagged(tmp_path):
    """A caseload change works through moves down the ladder; with none in the file it
    changes nothing, and the warning says why (in both languages)."""
    m = _model(
        tmp_path,
        "years: 2\nstock: {inst: {10: 30}}\nentries: {foster: {5: 10}}\n",
        "  - {type: caseload, before: 32, after: 26, elasticity: 1}\n"
        "  - {type: entries, steps: foster, factor: 0.5}\n",
    )
    ws = idle_levers(m)
    assert [(w.override, w.type, w.code) for w in ws] == [(0, "caseload", "LADDER_LEVER_IDLE")]
    da, en = render(ws[0].message, "da"), render(ws[0].message, "en")
    assert "ændring 1 (caseload) ændrer intet" in da and "flytninger ned ad trappen" in da
    assert "change 1 (caseload) changes nothing" in en and "moves down the ladder" in en
    assert compare(m).warnings == ws


def test_a_cap_that_never_binds_is_flagged(tmp_path):
    m = _model(
        tmp_path,
        STOCK,
        "  - {type: placement_cap, step: inst, max_share: 0.9, move_to: foster}\n",
    )
    (w,) = idle_levers(m)
    assert "grænsen nås aldrig" in render(w.message, "da")


@pytest.mark.parametrize(
    "override, message",
    [
        ("{type: placement_cap, step: inst, steps: [kin], max_share: 0.2, move_to: foster}",
         "enten step eller steps"),
        ("{type: placement_cap, step: inst, max_share: 0.2, min_share: 0.1, move_to: foster}",
         "enten max_share"),
        ("{type: placement_cap, step: inst, max_share: 0.2, move_to: {foster: 0.5, kin: 0.4}}",
         "summer til 0,9|summer til 0.9"),
        ("{type: placement_cap, step: inst, max_share: 0.2, move_to: {nowhere: 1}}",
         "ukendt trin 'nowhere'"),
        ("{type: placement_cap, step: home, max_share: 0.2, move_to: foster}",
         "ikke et anbringelsestrin"),
        ("{type: placement_cap, step: foster, min_share: 0.8, move_to: inst}",
         "ind i sine egne trin"),
        ("{type: transfers, from: inst, to: inst, per_month: 1}", "et andet trin"),
        ("{type: cost_mix, step: inst, mix: {a: 1}}", "ingen mix af undertyper"),
        ("{type: cost_mix, step: foster, mix: {almindelig: 0.5, x: 0.5}}", "ukendt undertype"),
    ],
)  # fmt: skip
def test_bad_levers_are_refused_with_their_place(tmp_path, override, message):
    with pytest.raises(InputError, match=message) as e:
        _model(tmp_path, STOCK, f"  - {override}\n")
    assert "s.yaml:" in str(e.value)


def test_observed_stock_is_drawn_before_the_projection(tmp_path):
    """With `observed_stock`, the first figure shows the observed months, then the projection
    month by month, labelled at each January."""
    from socinvest.reports.ladder.document import projection_document
    from socinvest.services.ladder import projection_bundle

    _model(
        tmp_path,
        "years: 1\nstock: {foster: {5: 10}}\nobserved_stock:\n"
        "  '2024-11': {foster: 7}\n  '2024-12': {foster: 9}\n  '2025-03': {foster: 99}\n",
    )
    doc = projection_document(projection_bundle(tmp_path / "p.yaml"))
    spec = doc.figures[0].spec
    assert spec.chart == "stacked" and len(spec.categories) == 2 + 13  # months after start: not
    assert spec.categories[:3] == ("", "", "2025")
    foster = next(s for s in spec.series if s.label == "Pleje")
    assert foster.values[:3] == (7.0, 9.0, 10.0)
    assert doc.figures[1].spec.categories[0] == "1/1 2025"  # the yearly chart starts at the start
