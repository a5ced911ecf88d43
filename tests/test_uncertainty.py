"""Uncertainty: distributions, Monte Carlo through the one engine, sensitivity."""

from __future__ import annotations

import json

import numpy as np
import pytest

from socinvest.case.uncertain import Beta, Discrete, LogNormal, Normal, Pert, Triangular, Uniform
from socinvest.engine.resolve import evaluate
from socinvest.errors import InputError
from socinvest.services.case import load_case, parse_case
from socinvest.uncertainty.sampling import draw_distribution, quantile, sample
from socinvest.uncertainty.sensitivity import switching_values, tornado
from socinvest.uncertainty.simulate import chunk_plan, simulate

from .conftest import EXAMPLES, cli

SEED000 = EXAMPLES / "tidlig-indsats-0-2.yaml"


@pytest.fixture(scope="module")
def case():
    return load_case(SEED000)


# -- distributions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dist, mean, sd",
    [
        # Triangular(a, c, b): mean (a+b+c)/3, var (a²+b²+c²-ab-ac-bc)/18.
        # (0 + 36 + 9 - 0 - 0 - 18)/18 = 1,5.
        (Triangular(dist="triangular", min=0, mode=3, max=6), 3.0, 1.5**0.5),
        # PERT(0, 2, 10, λ=4): mean (0 + 4·2 + 10)/6 = 3.
        (Pert(dist="pert", min=0, mode=2, max=10), 3.0, None),
        (Uniform(dist="uniform", min=2, max=4), 3.0, (4 / 12) ** 0.5),
        (Normal(dist="normal", mean=5, sd=2), 5.0, 2.0),
        (LogNormal(dist="lognormal", mean=100, sd=30), 100.0, 30.0),
        # Beta(2, 6): mean 2/8 = 0,25.
        (Beta(dist="beta", alpha=2, beta=6), 0.25, None),
        (Discrete(dist="discrete", values=[0, 10], probs=[0.7, 0.3]), 3.0, (0.21 * 100) ** 0.5),
    ],
    ids=lambda v: getattr(v, "dist", None),
)
def test_distributions_have_their_theoretical_moments(dist, mean, sd):
    x = draw_distribution(dist, 400_000, np.random.default_rng(7))
    assert abs(x.mean() - mean) < 0.01 * max(abs(mean), 1)
    if sd is not None:
        assert abs(x.std() - sd) < 0.01 * sd


def test_quantiles_closed_form():
    t = Triangular(dist="triangular", min=0, mode=0, max=1)
    # F(x) = 1 - (1-x)² -> P10 = 1 - sqrt(0,9).
    assert quantile(t, 0.10) == pytest.approx(1 - 0.9**0.5)
    assert quantile(Uniform(dist="uniform", min=0, max=10), 0.9) == pytest.approx(9)


def test_relative_uncertainty_scales_a_per_year_value(case):
    draws = sample(case, 1000, np.random.default_rng(1))
    pf = draws["prevented_foster"]  # relative triangular on {2019-2022: 1, 2023-2028: 2, ...}
    assert pf.shape == (1000, 13)
    np.testing.assert_allclose(pf[:, 0], 0)  # 2017: no value, no draw
    np.testing.assert_allclose(pf[:, 6], 2 * pf[:, 2])  # 2023 is twice 2019 in every draw
    assert draws["fte_rate"].shape == (1000, 1)


def test_rank_correlation_is_imposed(case):
    from scipy.stats import spearmanr

    d = sample(case, 20_000, np.random.default_rng(3))
    rho = spearmanr(d["prevented_preventive"][:, 2], d["prevented_foster"][:, 2])[0]
    assert abs(rho - 0.6) < 0.03
    # uncorrelated pair stays near 0
    assert abs(spearmanr(d["fte_rate"][:, 0], d["prevented_foster"][:, 2])[0]) < 0.03


def test_contradicting_correlations_are_an_input_error(case):
    text = SEED000.read_text(encoding="utf-8").replace(
        "  - {a: prevented_preventive, b: prevented_foster, rho: 0.6}",
        "  - {a: prevented_preventive, b: prevented_foster, rho: 0.95}\n"
        "  - {a: prevented_preventive, b: fte_rate, rho: 0.95}\n"
        "  - {a: prevented_foster, b: fte_rate, rho: -0.95}",
    )
    with pytest.raises(InputError, match="ikke positivt definit") as e:
        sample(parse_case(text), 10, np.random.default_rng(0))
    assert "not positive definite" in e.value.render("en")


# -- one code path -------------------------------------------------------------------------


def test_a_single_draw_at_base_values_equals_the_deterministic_result(case):
    base = evaluate(case)
    # Every uncertain parameter pinned at its base value by a one-point distribution.
    text = SEED000.read_text(encoding="utf-8")
    for old in (
        "{dist: pert, min: 475, mode: 500, max: 560}",
        "{dist: triangular, min: 0.5, mode: 1, max: 1.2, relative: true}",
        "{dist: triangular, min: 0.3, mode: 1, max: 1.3, relative: true}",
        "{dist: discrete, values: [0, 1], probs: [0.4, 0.6], relative: true}",
    ):
        new = (
            "{dist: discrete, values: [500]}"
            if "pert" in old
            else "{dist: discrete, values: [1], relative: true}"
        )
        text = text.replace(old, new)
    pinned = parse_case(text)
    sim = simulate(pinned, draws=1, seed=1)
    assert sim.data["npv"][0] == pytest.approx(base.npv()[0], rel=1e-12)
    assert sim.data["payback_total"][0] == base.payback("total")[0]
    np.testing.assert_allclose(sim.data["net"][:, 0], base.impact[0], rtol=1e-6)
    # and many draws of it: all identical
    sim = simulate(pinned, draws=500, seed=1, chunk_size=128)
    assert np.ptp(sim.data["npv"]) < 1e-9


def test_reproducible_with_seed_and_independent_of_threads(case):
    a = simulate(case, 20_000, seed=42, chunk_size=3_000, workers=2)
    b = simulate(case, 20_000, seed=42, chunk_size=3_000, workers=1)
    np.testing.assert_array_equal(a.data["npv"], b.data["npv"])
    np.testing.assert_array_equal(a.data["payback_committee"], b.data["payback_committee"])
    c = simulate(case, 20_000, seed=43, chunk_size=3_000)
    assert not np.array_equal(a.data["npv"], c.data["npv"])
    assert chunk_plan(20_000, 3_000) == [3_000] * 6 + [2_000]


def test_simulation_summaries_are_consistent(case):
    sim = simulate(case, 20_000, seed=5, target=6)
    j = sim.to_json()
    dist = j["payback"]["total"]["distribution"]
    assert sum(dist.values()) == pytest.approx(1.0)
    assert j["payback"]["total"]["p_within_horizon"] == pytest.approx(1 - dist["none"])
    # P(within 6) = share paying back in years 1..6.
    assert j["payback"]["total"]["p_within_target"] == pytest.approx(
        sum(dist[str(k)] for k in range(1, 7))
    )
    fan = j["fan"]["yearly"]
    assert all(fan["p5"][i] <= fan["p50"][i] <= fan["p95"][i] for i in range(13))
    # The committees' NPVs add up to the case's NPV in every draw.
    np.testing.assert_allclose(sim.data["npv_committee"].sum(axis=1), sim.data["npv"])
    npv = j["npv"]
    assert npv["p5"] <= npv["p50"] <= npv["p95"] and 0 < npv["p_positive"] < 1


def test_dask_local_cluster_gives_identical_results(case):
    from dask.distributed import Client, LocalCluster

    from socinvest.uncertainty.distributed import run_on_client

    local = simulate(case, 6_000, seed=9, chunk_size=1_000)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        seeds = np.random.SeedSequence(9).spawn(6)
        parts = run_on_client(Client(cluster), case, seeds, [1_000] * 6, None)
    npv = np.concatenate([p["npv"] for p in parts])
    np.testing.assert_array_equal(npv, local.data["npv"])


# -- sensitivity ----------------------------------------------------------------------------


def test_tornado_bars_are_one_way_runs_of_the_engine(case):
    bars = tornado(case)
    assert [b.name for b in bars][0] == "prevented_foster"  # widest first
    assert all(bars[i].swing >= bars[i + 1].swing for i in range(len(bars) - 1))
    fte = next(b for b in bars if b.name == "fte_rate")
    # Cross-check one bar with a plain engine run: fte_rate at its P10, all else at base.
    low = evaluate(case, overrides={"fte_rate": np.array([[fte.low]])})
    assert fte.npv_low == pytest.approx(low.npv()[0])
    assert fte.npv_low > fte.npv_high  # dearer staff, lower NPV


def test_switching_value_of_a_linear_parameter_matches_hand_calculation(case):
    # NPV is linear in fte_rate: NPV(r) = NPV(500) + (r - 500)·dNPV/dr, so it reaches 0 at
    # r* = 500 - NPV(500)/slope; the slope comes from two plain engine runs.
    n500 = evaluate(case).npv()[0]
    n600 = evaluate(case, overrides={"fte_rate": np.array([[600.0]])}).npv()[0]
    r_star = 500 - n500 / ((n600 - n500) / 100)
    sw = {s.name: s for s in switching_values(case, "npv")}
    assert sw["fte_rate"].value == pytest.approx(r_star, rel=1e-6)
    at = evaluate(case, overrides={"fte_rate": np.array([[sw["fte_rate"].value]])})
    assert abs(at.npv()[0]) < 1e-3
    # ranked by the smallest move
    moves = [abs(s.change_pct) for s in switching_values(case, "npv") if s.change_pct]
    assert moves == sorted(moves)


def test_switching_value_for_payback(case):
    sw = {s.name: s for s in switching_values(case, "payback", 6)}
    m = sw["fte_rate"].multiplier
    # Just below the switching multiplier payback is within 6 years; just above it is not.
    for f, ok in ((m - 1e-6, True), (m + 1e-6, False)):
        r = evaluate(case, overrides={"fte_rate": np.array([[500.0 * f]])})
        assert bool(r.payback("total")[0] <= 6) is ok


# -- the command line ----------------------------------------------------------------------


def test_simulate_cli_json_and_html(tmp_path):
    out = tmp_path / "u.html"
    p = cli(
        "simulate",
        SEED000,
        "--draws",
        "2000",
        "--seed",
        "3",
        "--target",
        "6",
        "--json",
        "--html",
        out,
    )
    assert p.exit_code == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["draws"] == 2000 and d["seed"] == 3
    assert set(d["npv"]) == {"mean", "sd", "p5", "p50", "p95", "p_positive"}
    assert set(d["committees"]) == {"BUU", "SOU"}
    assert d["method"] == "p10p90"
    assert [b["parameter"] for b in d["tornado"]][0] == "prevented_foster"
    assert d["switching_npv"][0]["parameter"] == "fte_rate"
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") == 4 and "tjener casen sig hjem" in page


def test_simulate_same_seed_same_output():
    a = cli("simulate", SEED000, "-n", "3000", "--seed", "11", "--json")
    b = cli("simulate", SEED000, "-n", "3000", "--seed", "11", "--json")
    assert a.exit_code == 0 and a.stdout == b.stdout


def test_simulate_without_uncertainty_is_a_clear_input_error():
    p = cli("simulate", EXAMPLES / "fit-familiebehandling.yaml", debug=False)
    assert p.exit_code == 2 and "uncertainty" in p.stderr and "Traceback" not in p.stderr


def test_simulate_bad_scheduler():
    p = cli("simulate", SEED000, "-n", "10", "--scheduler", "nonsense", debug=False)
    assert p.exit_code == 2 and "tcp://" in p.stderr


def test_sensitivity_cli():
    p = cli("sensitivity", SEED000, "--target", "6", "--json")
    assert p.exit_code == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["switching_payback"]["target"] == 6
    assert d["switching_npv"][0]["parameter"] == "fte_rate"
    assert d["method"] == "p10p90" and d["tornado"][0]["parameter"] == "prevented_foster"
    p = cli("sensitivity", SEED000)
    assert "Skifteværdier" in p.stdout and "Tornado" in p.stdout
    assert "Skifteværdier: tilbagebetaling inden for 13 år" in p.stdout  # the whole horizon


def test_every_distribution_and_key_is_documented():
    from pathlib import Path

    from socinvest.case import uncertain

    text = (Path(__file__).resolve().parents[1] / "docs" / "uncertainty.md").read_text("utf-8")
    for cls in (
        Triangular,
        Pert,
        Uniform,
        Normal,
        LogNormal,
        Beta,
        Discrete,
        uncertain.Correlation,
    ):
        for name in cls.model_fields:
            assert f"`{name}`" in text, f"{cls.__name__}.{name} not in docs/uncertainty.md"
        if "dist" in cls.model_fields:
            tag = cls.model_fields["dist"].annotation.__args__[0]
            assert f"`{tag}`" in text


# -- in the report -------------------------------------------------------------------------


def test_report_has_an_uncertainty_section_when_the_case_has_uncertainty(case):
    from socinvest.numbers import format_percent
    from socinvest.reports.document import build_document
    from socinvest.services.case import case_bundle

    bundle = case_bundle(case)  # default draws (10.000) and seed (0), computed once
    doc = build_document(bundle)
    sec = doc.section("uncertainty")
    assert sec.heading.endswith("Usikkerhed og følsomhed")
    sim = bundle.simulation.simulation
    assert (sim.draws, sim.seed) == (10_000, 0)
    t = doc.table("uncertainty")
    assert t.rows[0].cells[1].text == format_percent(sim.p_payback("total"), 1)
    assert "tjener casen sig hjem" in sec.blocks[0].text
    charts = [b.spec.chart for b in sec.blocks if getattr(b, "kind", "") == "figure"]
    assert charts == ["fan", "tornado"]
    tornado_fig = next(
        b for b in sec.blocks if getattr(b, "kind", "") == "figure" and b.spec.chart == "tornado"
    )
    # the parameters' labels, not their ids
    labels = tuple(case.parameters[b.name].label or b.name for b in tornado(case))
    assert tornado_fig.spec.categories == labels
    assert tornado_fig.spec.reference == pytest.approx(evaluate(case).npv()[0])
    sw = doc.table("switching")
    # r* = 581,60 by hand (test_switching_value_of_a_linear_parameter_matches_hand_calculation)
    assert sw.rows[0].cells[0].text == "Løn pr. årsværk" and sw.rows[0].cells[2].text == "581,6"
    # a case without uncertainty has no such section
    plain = build_document(case_bundle(load_case(EXAMPLES / "fit-familiebehandling.yaml")))
    assert "uncertainty" not in [s.key for s in plain.sections]


def test_uncertainty_section_renders_the_bundle_and_simulates_nothing(case, monkeypatch):
    import socinvest.services.simulation as service
    from socinvest.reports.uncertainty_section import uncertainty_blocks
    from socinvest.services.simulation import simulation_bundle

    bundle = simulation_bundle(case, 2_000, seed=3, method="minmax")
    monkeypatch.setattr(service, "simulate", None)  # any simulation now would fail
    counter = iter(range(7, 99))
    title, blocks = uncertainty_blocks(
        evaluate(case),
        bundle,
        "en",
        "1,000 kr. 2016 prices",
        lambda: next(counter),
        lambda: next(counter),
    )
    assert title == "Uncertainty and sensitivity"
    assert blocks[1].text.startswith("Monte Carlo with 2,000 draws (seed 3)")
    assert blocks[2].caption == "Table 7. Assumptions: uncertain parameters and their distributions"
    table = next(b for b in blocks if getattr(b, "key", "") == "uncertainty")
    assert table.caption == (
        "Table 8. Net present value and payback under uncertainty (1,000 kr. 2016 prices)"
    )
    p_s = bundle.simulation.p_payback("service")
    assert table.rows[1].cells[1].text == f"{p_s * 100:.1f}%"  # English: 86.7%, not 86,7 %
    tornado_fig = blocks[-2]
    assert tornado_fig.caption.startswith("Figure 10. Tornado: net present value with one")
    assert "at min and max" in tornado_fig.caption
    assert [s.label for s in tornado_fig.spec.series] == ["min", "max"]
    assert blocks[-1].caption.startswith("Table 11. Switching values")
