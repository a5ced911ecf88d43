"""The intervention-ladder model: both engines against hand calculations, against each other,
conservation of children, scenarios, costs and the `driver: ladder` of a case."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socinvest.engine.resolve import evaluate
from socinvest.errors import InputError
from socinvest.i18n import render
from socinvest.ladder import (
    build_tables,
    compare,
    load_ladder,
    load_model,
    project_markov,
    simulate_micro,
)
from socinvest.ladder.load import DEFAULT_LADDER, Model
from socinvest.ladder.model import Population
from socinvest.services.case import load_case, parse_case

from .conftest import EXAMPLES, FIXTURES, ROOT


def words(e: InputError, lang: str) -> str:
    """The error as a face shows it in `lang` (the message and any further lines)."""
    return "\n".join(render(m, lang) for m in (e.message, *e.details))


LADDER = FIXTURES / "ladder"
EX = EXAMPLES / "ladder"


def _pop(tmp_path, text: str):
    (tmp_path / "l.yaml").write_text((LADDER / "two_step_ladder.yaml").read_text())
    p = tmp_path / "pop.yaml"
    p.write_text("ladder: l.yaml\nstart: 2025\n" + text)
    return load_model(p)


# -- hand calculations ----------------------------------------------------------------------


def test_two_step_chain_closed_form():
    """a -> b with p = 0.1 a month, b closes with q = 0.05: a_k = 100·0.9^k and
    b_k = 100·0.1·(0.95^k − 0.9^k)/(0.95 − 0.9) = 200·(0.95^k − 0.9^k)."""
    p = project_markov(build_tables(load_model(LADDER / "two_step.yaml")))
    k = np.arange(25)
    np.testing.assert_allclose(p.stock[0, :, 0], 100 * 0.9**k, rtol=1e-12)
    np.testing.assert_allclose(p.stock[0, :, 1], 200 * (0.95**k - 0.9**k), rtol=1e-12, atol=1e-12)
    # closed in month k: 5 % of b at its start = 0.05·b_{k-1}
    np.testing.assert_allclose(p.closed[0], 0.05 * 200 * (0.95 ** k[:-1] - 0.9 ** k[:-1]))
    assert p.stock[0, 1].tolist() == pytest.approx([90.0, 10.0])  # one month by hand


def test_costs_are_child_years_times_price():
    p = project_markov(build_tables(load_model(LADDER / "two_step.yaml")))
    k = np.arange(1, 13)
    a_years = (100 * 0.9**k).sum() / 12  # end-of-month counts, each a twelfth of a year
    b_years = (200 * (0.95**k - 0.9**k)).sum() / 12
    cost = p.costs(np.array([12000.0, 120000.0]))[0, 0]
    assert cost == pytest.approx([12000 * a_years, 120000 * b_years])
    assert p.placement_mix()[0, 0].tolist() == [0.0, 1.0]  # only b is a placement


def test_ageing_out_one_child_a_month(tmp_path):
    """12 children aged 17 are spread over the 12 months of that year of age: one leaves at
    each month's end, so 12 − m remain after m months. (The micro engine draws each child's
    month of age at random: all 12 have left after the year.)"""
    m = _pop(tmp_path, "years: 1\nstock: {a: {17: 12}}\n")
    proj = project_markov(build_tables(m))
    np.testing.assert_allclose(proj.aged_out[0], np.ones(12), atol=1e-12)
    np.testing.assert_allclose(proj.stock[0, :, 0], 12 - np.arange(13), atol=1e-12)
    micro = simulate_micro(build_tables(m), seed=3)
    assert micro.aged_out.sum() == 12 and micro.stock[0, -1].sum() == 0


def test_duration_dependent_exit_at_the_six_month_review(tmp_path):
    """Half of the children leave in the month after six completed months, none before."""
    m = _pop(
        tmp_path,
        "years: 1\nduration_bands: [0, 6, 7]\ninitial_months: 0\nstock: {a: {5: 100}}\n"
        "transitions:\n  - {from: a, to: out, monthly: 0.5, months: 6}\n",
    )
    p = project_markov(build_tables(m))
    np.testing.assert_allclose(p.stock[0, :, 0], [100] * 7 + [50] * 6)
    q = simulate_micro(build_tables(m), seed=1)
    assert q.stock[0, :7, 0].tolist() == [100] * 7 and q.closed[0, :6].sum() == 0
    assert q.closed[0, 6] == 100 - q.stock[0, 7, 0] and 30 < q.closed[0, 6] < 70


def test_entries_spread_over_the_year(tmp_path):
    """24 new children a year in a, nobody leaves: 2 a month, 24 after a year."""
    m = _pop(tmp_path, "years: 1\nentries: {a: {3-5: 24}}\n")
    p = project_markov(build_tables(m))
    np.testing.assert_allclose(p.entered[0], 2.0)
    np.testing.assert_allclose(p.stock[0, 12, 0], 24.0)


# -- the two engines agree; children are conserved -------------------------------------------


def _scaled(t, f: float):
    segs = tuple(dataclasses.replace(s, entries=s.entries * f) for s in t.segments)
    return dataclasses.replace(t, stock=t.stock * f, segments=segs)


@pytest.mark.parametrize("scenario", [False, True])
def test_micro_mean_agrees_with_markov(scenario):
    """Each step's count at each year end within 4 standard errors of the expected count.
    The count of a step is a sum of independent children (Poisson entries, independent
    moves), whose variance is at most its mean: SE <= sqrt(expected)."""
    model = load_model(EX / "scenario.yaml")
    t = _scaled(build_tables(model, scenario=scenario), 20.0)
    if scenario:  # the cap couples children; compare without it here (tested below)
        t = dataclasses.replace(
            t, segments=tuple(dataclasses.replace(s, cap=None) for s in t.segments)
        )
    exp = project_markov(t).year_end()[0]
    got = simulate_micro(t, seed=7).year_end()[0]
    se = np.sqrt(np.maximum(exp, 1.0))
    assert np.all(np.abs(got - exp) <= 4 * se + 1), np.abs(got - exp) / se


def test_conservation_in_both_engines():
    model = load_model(EX / "scenario.yaml")
    for scen in (False, True):
        t = build_tables(model, scenario=scen)
        assert np.abs(project_markov(t).balance()).max() < 1e-9
        b = simulate_micro(t, seed=2).balance()
        assert np.all(b == 0)  # whole children: exact


@settings(max_examples=25, deadline=None)
@given(
    probs=st.lists(st.floats(0, 0.3), min_size=6, max_size=6),
    stock=st.lists(st.integers(0, 40), min_size=2, max_size=2),
    entries=st.lists(st.integers(0, 30), min_size=2, max_size=2),
    age=st.integers(0, 17),
    seed=st.integers(0, 1000),
)
def test_property_conservation_and_rows_sum_to_one(probs, stock, entries, age, seed):
    ladder = load_ladder(LADDER / "two_step_ladder.yaml")
    tr = [
        {"from": f, "to": t, "monthly": p}
        for (f, t), p in zip(
            [("a", "out"), ("a", "b"), ("b", "out"), ("b", "a")], probs[:4], strict=True
        )
    ]
    tr.append({"from": "b", "to": "a", "monthly": probs[4], "months": "3-"})
    pop = Population.model_validate(
        {
            "ladder": "x",
            "start": 2025,
            "years": 2,
            "duration_bands": [0, 3],
            "stock": {"a": {age: stock[0]}, "b": {age: stock[1]}},
            "entries": {"a": {age: entries[0]}, "b": {"0-17": entries[1]}},
            "transitions": tr,
        }
    )
    t = build_tables(Model(ladder, pop, None, LADDER, ()))
    P = t.segments[0].P
    np.testing.assert_allclose(P.sum(axis=2), 1.0)
    assert P.min() >= 0
    m = project_markov(t)
    assert np.abs(m.balance()).max() < 1e-9
    assert m.stock.min() > -1e-12
    assert np.all(simulate_micro(t, seed=seed).balance() == 0)


# -- scenarios ------------------------------------------------------------------------------


def test_entries_override_redirects_children():
    model = load_model(EX / "scenario.yaml")
    base, scen = build_tables(model, scenario=False), build_tables(model, scenario=True)
    eb, es = base.segments[0].entries[0], scen.segments[0].entries[0]
    k = {s: i for i, s in enumerate(base.steps)}
    placed = [k["network"], k["foster"], k["institution"]]
    assert es[placed].sum() == pytest.approx(0.8 * eb[placed].sum())
    assert es.sum() == pytest.approx(eb.sum())  # redirected to home, not lost
    assert es[k["home"]].sum() == pytest.approx(eb[k["home"]].sum() + 0.2 * eb[placed].sum())


def test_placement_cap_is_enforced_every_month():
    model = load_model(EX / "scenario.yaml")
    t = build_tables(model, scenario=True)
    k = list(t.steps).index("institution")
    from_month = 12 * (2027 - 2025)
    for p in (project_markov(t), simulate_micro(t, seed=4)):
        placed = p.stock[0, :, t.placement].sum(axis=0)
        share = p.stock[0, :, k] / placed
        slack = 1e-9 if p.engine == "markov" else 1 / placed[from_month + 1 :]
        assert np.all(share[from_month + 1 :] <= 0.25 + slack)


def test_scenario_savings_by_hand():
    """Scenario halves a -> b (p = 0.05): a_k = 100·0.95^k, b_k = 5k·0.95^(k−1) (equal rates).
    Savings = baseline cost − scenario cost, with costs 12.000 (a) and 120.000 (b) a year."""
    c = compare(load_model(LADDER / "two_step_scenario.yaml"))
    k = np.arange(1, 25)
    a0, b0 = 100 * 0.9**k, 200 * (0.95**k - 0.9**k)
    a1, b1 = 100 * 0.95**k, 5 * k * 0.95 ** (k - 1)
    per_month = 12000 * (a0 - a1) / 12 + 120000 * (b0 - b1) / 12
    assert c.savings() == pytest.approx(per_month.reshape(2, 12).sum(axis=1))


def test_monte_carlo_of_savings_is_reproducible_and_ordered():
    model = load_model(EX / "scenario.yaml")
    a = compare(model, draws=60, mc_seed=5).mc
    b = compare(model, draws=60, mc_seed=5).mc
    np.testing.assert_array_equal(a["mean"], b["mean"])
    assert np.all(a["p5"] <= a["mean"]) and np.all(a["mean"] <= a["p95"])
    assert np.all(a["p5"] < a["p95"])


def test_scenario_that_pushes_probabilities_above_one_is_refused(tmp_path):
    (tmp_path / "s.yaml").write_text(
        f"baseline: {LADDER / 'two_step.yaml'}\ntitle: x\noverrides:\n"
        "  - {type: transitions, from: a, to: b, factor: 20}\n"
    )
    with pytest.raises(InputError, match=r"summe til 2 \(> 1\) fra 2025") as e:
        compare(load_model(tmp_path / "s.yaml"))
    assert re.search(
        r"out of 'a' sum to 2 \(> 1\) from 2025; lower the factors", words(e.value, "en")
    )


# -- files ----------------------------------------------------------------------------------


def test_default_ladder_has_the_seven_steps_without_prices():
    lad = load_ladder(DEFAULT_LADDER)
    assert lad.ids == [
        "universal", "advice", "preventive", "home", "network", "foster", "institution"
    ]  # fmt: skip
    assert [s.placement for s in lad.steps] == [False] * 4 + [True] * 3
    assert all(s.cost.value is None for s in lad.steps[1:])
    assert "SEL § 52, stk. 3, nr. 7" in lad.steps[5].legal


def test_unknown_step_is_located(tmp_path):
    (tmp_path / "l.yaml").write_text((LADDER / "two_step_ladder.yaml").read_text())
    p = tmp_path / "p.yaml"
    p.write_text("ladder: l.yaml\nstart: 2025\ntransitions:\n  - {from: a, to: c, monthly: 0.1}\n")
    with pytest.raises(
        InputError, match=r"p.yaml:4:\d+: transitions\[0\].to: ukendt trin 'c'"
    ) as e:
        load_model(p)
    assert re.search(r"p.yaml:4:\d+: transitions\[0\].to: unknown step 'c'", words(e.value, "en"))


def test_probabilities_above_one_are_refused(tmp_path):
    (tmp_path / "l.yaml").write_text((LADDER / "two_step_ladder.yaml").read_text())
    p = tmp_path / "p.yaml"
    p.write_text(
        "ladder: l.yaml\nstart: 2025\ntransitions:\n  - {from: a, to: b, monthly: 0.7}\n"
        "  - {from: a, to: out, monthly: 0.6}\n"
    )
    with pytest.raises(InputError, match=r"ud af 'a' summer til 1.3 \(> 1\)") as e:
        load_model(p)
    assert "out of 'a' sum to 1.3 (> 1) for ages 0-17, months 0-" in words(e.value, "en")


def test_ranges_must_fall_on_band_edges(tmp_path):
    (tmp_path / "l.yaml").write_text((LADDER / "two_step_ladder.yaml").read_text())
    p = tmp_path / "p.yaml"
    p.write_text(
        "ladder: l.yaml\nstart: 2025\nage_bands: [0, 6]\ntransitions:\n"
        "  - {from: a, to: b, monthly: 0.1, ages: 3-17}\n"
    )
    with pytest.raises(InputError, match=r"'3-17' starter ikke ved en grænse mellem grupper") as e:
        load_model(p)
    assert "does not start on a band edge (bands 0-5, 6-17)" in words(e.value, "en")


# -- driver: ladder -------------------------------------------------------------------------


def test_ladder_driver_amounts_are_derived_savings():
    case = load_case(LADDER / "ladder_case.yaml")
    res = evaluate(case)
    c = compare(load_model(LADDER / "two_step_scenario.yaml"))
    # a saving: negative spending; kr. -> 1.000 kr. divides by 1.000
    np.testing.assert_allclose(res.amounts[0, 1], -c.savings() / 1000)
    np.testing.assert_allclose(res.amounts[0, 0], [100, 100])


def test_ladder_driver_in_mio_kr_extends_the_projection():
    res = evaluate(load_case(LADDER / "ladder_case_mio.yaml"))
    assert res.amounts.shape[-1] == 6  # 2025-2030: the 2-year population is extended
    small = evaluate(load_case(LADDER / "ladder_case.yaml"))
    np.testing.assert_allclose(res.amounts[0, 1, :2], small.amounts[0, 1] / 1000)


def test_ladder_driver_price_level_must_match():
    with pytest.raises(
        InputError,
        match=r"ladder_case_pl.yaml:\d+:\d+: lines\[1\].driver.ladder: "
        r"indsatstrappens prisniveau er 2023 p/l, men casens er 2024 p/l",
    ) as info:
        load_case(LADDER / "ladder_case_pl.yaml")
    assert "the ladder's price level is 2023 p/l but the case's is 2024" in info.value.render("en")


def test_ladder_driver_horizon_before_projection_is_refused():
    with pytest.raises(InputError, match="begynder i 2024, før indsatstrappens") as info:
        load_case(LADDER / "ladder_case_early.yaml")
    assert "starts in 2024, before the ladder projection" in info.value.render("en")


def test_ladder_driver_missing_file(tmp_path):
    text = (LADDER / "ladder_case.yaml").read_text().replace("two_step_scenario", "nope")
    with pytest.raises(InputError, match="findes ikke") as info:
        parse_case(text, str(tmp_path / "c.yaml"))
    assert "does not exist" in info.value.render("en")


def test_example_strategy_case_derives_its_savings():
    res = evaluate(load_case(EX.parent / "ladder-strategi.yaml"))
    ids = [ln.id for ln in res.case.lines]
    c = compare(load_model(EX / "scenario.yaml"))
    np.testing.assert_allclose(res.amounts[0, ids.index("fewer_placements")], -c.savings() / 1000)
    assert res.payback("total")[0] == 1  # savings outweigh the costs from the first year


def test_ordinary_cases_do_not_import_the_ladder():
    code = (
        "import sys; from socinvest.services.case import load_case; "
        "from socinvest.engine.resolve import evaluate; "
        f"evaluate(load_case({str(EXAMPLES / 'tidlig-indsats-0-2.yaml')!r})); "
        "print('socinvest.ladder' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr


# -- services -------------------------------------------------------------------------------


def test_projection_bundle_holds_read_only_prices_and_their_costs():
    from socinvest.services.ladder import comparison_bundle, projection_bundle

    b = projection_bundle(EXAMPLES / "ladder" / "population.yaml")
    assert not b.cost.flags.writeable
    foster = b.model.ladder.ids[1:].index("foster")
    assert b.cost[foster] == 450_000  # examples/ladder/ladder.yaml: cost.value of foster
    cy = b.projection.child_years()[0]
    assert b.costs[:, foster] == pytest.approx(cy[:, foster] * 450_000)
    c = comparison_bundle(EXAMPLES / "ladder" / "scenario.yaml", draws=0)
    assert c.comparison.mc is None and c.title == c.model.scenario.title
