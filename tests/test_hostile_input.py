"""Hostile files at the model boundary (issue 10 B): YAML bombs and deep nesting, expressions
that would recurse or overflow, non-finite and huge numbers, ladders sized to eat the memory.

Each fixture in tests/fixtures/hostile/ holds one class; its first line is a comment saying
what is wrong, so line numbers count it. Every one must end in an InputError that names the
file, line and column, in Danish and English, within a second, and without a numpy warning;
the CLI answers it with exit 2. The expected texts are written from the catalogue's wording.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from socinvest.case import yamlsafe
from socinvest.case.expr import MAX_DEPTH, ExpressionError, parse_expression
from socinvest.case.load import parse_case
from socinvest.case.uncertain import Distribution
from socinvest.errors import InputError
from socinvest.ladder.load import load_model
from socinvest.ladder.scenario import project
from socinvest.ladder.tables import build_tables
from socinvest.pool.load import load_pool
from socinvest.services.case import load_case

from .conftest import FIXTURES, cli

HOSTILE = FIXTURES / "hostile"


@dataclass(frozen=True)
class Hostile:
    where: str  # ":line:col: key: " after the file name ("" when the message has no position)
    da: str  # the Danish message after the location, exactly (first line)
    en: str  # a phrase the English message must contain


def _case(p: Path) -> object:
    return load_case(p)


def _pool(p: Path) -> object:
    return load_pool(p, load_case)


def _markov(p: Path) -> object:
    return project(load_model(p))


def _micro(p: Path) -> object:
    return project(load_model(p), engine="micro")


LOADERS: dict[str, Callable[[Path], object]] = {"pool_": _pool, "ladder_": _markov}
LOADERS["scenario_"] = _markov

DEPTH = "YAML-strukturen er indlejret mere end 50 niveauer dybt (her 51); en case-, pulje- eller "
DEPTH += "trappefil behøver under 10"
EXPR_DEPTH = "udtrykket er indlejret mere end 100 niveauer dybt; del det op i flere parametre "
EXPR_DEPTH += "eller linjer"
FINITE = "skal være et endeligt tal"
BASELINE = "baseline skal henvise til en befolkningsfil (med 'ladder:'), ikke til en scenarie- "
BASELINE += "eller trappefil: "

EXPECTED: dict[str, Hostile] = {
    # 1. YAML: refused at the first alias that passes the limit. The lists of lines a-d hold
    # 10, 91, 820 and 7.381 values (1 + 9 × the one before); with the root, the keys a-e and
    # line e's list, 8.309 values come before line e's first *d. Each *d adds 7.381: the
    # second (column 11) passes 20.000.
    "billion_laughs": Hostile(
        ":6:11: ",
        "filen har mere end 20000 værdier (aliasser medregnet); skriv den kortere, eller brug "
        "færre aliasser (*navn)",
        "more than 20000 values (aliases counted)",
    ),
    "alias_itself": Hostile(
        ":2:12: ",
        "aliaset *x står inde i den værdi, det henviser til; det ville aldrig slutte",
        "stands inside the value it refers to",
    ),
    # 51st level: `id:` is level 2, so the 50th bracket (column 5 + 49 = 54) is level 51
    "deep_brackets": Hostile(":2:54: ", DEPTH, "nested more than 50 levels deep"),
    # 2. expressions
    "expr_long_sum": Hostile(":11:14: lines[0].driver.expr: ", EXPR_DEPTH, "more than 100 levels"),
    "expr_unary": Hostile(":11:14: lines[0].driver.expr: ", EXPR_DEPTH, "more than 100 levels"),
    "expr_big_literal": Hostile(
        ":11:14: lines[0].driver.expr: ",
        "tallet 1111111111111111111… er for stort; et tal i et udtryk skal ligge mellem -1e300 "
        "og 1e300",
        "must lie between -1e300 and 1e300",
    ),
    "expr_overflow": Hostile(
        ":11:14: lines[0].driver.expr: ",
        "driveren giver intet endeligt beløb i 2025 (division med nul?); kontrollér dens "
        "parametre for det år",
        "gives no finite amount in 2025",
    ),
    # 3. numbers
    "amount_inf": Hostile(":8:50: lines[0].amounts[2025]: ", FINITE, "finite number"),
    "amount_huge": Hostile(
        ":8:40: lines[0].amounts: ", "skal være højst 1e+15", "less than or equal to 1e+15"
    ),
    "driver_too_large": Hostile(
        ":11:43: lines[1].driver: ",
        "linje b giver 1e+30 i 2025, mere end 1e15 i casens enhed; kontrollér driverens "
        "parametre og enheden",
        "more than 1e15 in the case's unit",
    ),
    "stated_nan": Hostile(":10:43: stated[0].total: ", FINITE, "finite number"),
    "allocation_nan": Hostile(":9:67: lines[0].allocation.bu: ", FINITE, "finite number"),
    "dist_huge": Hostile(
        ":12:33: parameters.p.uncertainty.mean: ",
        "skal være højst 1e+15",
        "less than or equal to 1e+15",
    ),
    "dist_lognormal_spread": Hostile(
        ":12:5: parameters.p.uncertainty: ",
        "kræver sd <= 100 * mean (her er sd større)",
        "need sd <= 100 * mean",
    ),
    "beta_min_max": Hostile(
        ":12:41: parameters.p.uncertainty.beta: ", "kræver min < max", "need min < max"
    ),
    "pool_capital_inf": Hostile(":7:11: capital[2020]: ", FINITE, "finite number"),
    "pool_granted_nan": Hostile(
        ":11:44: applications[0].decision.granted[2020]: ", FINITE, "finite number"
    ),
    # 4. ladder sizes
    "ladder_stock_huge": Hostile(":6:7: stock.a[5]: ", "skal være højst 1e+09", "1e+09"),
    "ladder_stock_nan": Hostile(":6:7: stock.a[5]: ", FINITE, "finite number"),
    "ladder_stock_inf": Hostile(":6:7: entries.a[5]: ", FINITE, "finite number"),
    "ladder_duration_bands": Hostile(
        ":5:1: duration_bands: ",
        "grænsen 100000 er for stor; højst 120 (den sidste gruppe er åben: '120 måneder eller "
        "mere')",
        "the last band is open",
    ),
    "scenario_itself": Hostile(
        ":2:1: baseline: ", BASELINE + "'scenario_itself.yaml'", "must name a population file"
    ),
    "scenario_cycle_a": Hostile(
        ":2:1: baseline: ", BASELINE + "'scenario_cycle_b.yaml'", "must name a population file"
    ),
    "scenario_cycle_b": Hostile(
        ":2:1: baseline: ", BASELINE + "'scenario_cycle_a.yaml'", "must name a population file"
    ),
    # 5. smaller: the documented limit; never "did you mean 'note'?" for the key note
    "horizon_100": Hostile(
        ":6:1: horizon: ",
        "en horisont på 100 år eller mere er ikke en business case",
        "100 years or more",
    ),
    "note_misplaced": Hostile(
        ":8:66: lines[0].driver.note: ",
        "nøglen er ikke tilladt her – ukendt nøgle; tjek stavningen mod `socinvest schema`",
        "Extra inputs are not permitted",
    ),
}


def _loader(name: str) -> Callable[[Path], object]:
    return next((f for prefix, f in LOADERS.items() if name.startswith(prefix)), _case)


def _refused(name: str) -> tuple[InputError, float]:
    """The InputError of one fixture, and the seconds it took; any numpy warning fails."""
    p = HOSTILE / f"{name}.yaml"
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "overflow encountered" with internal paths
        with pytest.raises(InputError) as info:
            _loader(name)(p)
    return info.value, time.perf_counter() - start


def test_every_fixture_has_an_expectation():
    assert sorted(p.stem for p in HOSTILE.glob("*.yaml")) == sorted(
        [*EXPECTED, "ladder_stock_billion"]
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_is_refused_located(name: str):
    err, seconds = _refused(name)
    want = EXPECTED[name]
    first = str(err).split("\n")[0]
    assert first == f"{HOSTILE / name}.yaml{want.where}{want.da}"
    en = err.render("en").split("\n")[0]
    assert en.startswith(f"{HOSTILE / name}.yaml{want.where}")
    assert want.en in en
    assert seconds < 1.0


def test_billion_laughs_is_refused_at_once():
    """The 430-byte bomb expands to 9**9 values; it is refused after composing 6 lines."""
    p = HOSTILE / "billion_laughs.yaml"
    assert p.stat().st_size < 700
    start = time.perf_counter()
    with pytest.raises(InputError):
        load_case(p)
    assert time.perf_counter() - start < 0.2


def test_union_error_names_the_range_not_the_other_type():
    """`amounts: 1e308` is a number out of range, not "should be a mapping": one line each."""
    err, _ = _refused("amount_huge")
    assert len(err.details) == 1
    assert "mapping" not in err.render("da") + err.render("en")


def test_note_is_not_suggested_for_note():
    err, _ = _refused("note_misplaced")
    assert "mente du" not in str(err) and "did you mean" not in err.render("en")


@pytest.mark.parametrize("name", ["billion_laughs", "expr_unary", "amount_inf", "scenario_itself"])
def test_cli_exits_2(name: str):
    """Through the CLI (debug on: an unexpected exception would propagate, not exit 3)."""
    p = HOSTILE / f"{name}.yaml"
    args = ("ladder", "project", p) if name.startswith("scenario") else ("show", p)
    result = cli(*args)
    assert result.exit_code == 2
    assert f"{p}:" in result.stderr


# -- the YAML reader's limits -----------------------------------------------------------


def test_too_many_values_is_refused_where_the_limit_passes(tmp_path):
    text = "id: [" + ", ".join(["1"] * yamlsafe.MAX_NODES) + "]\n"
    with pytest.raises(InputError) as info:
        yamlsafe.load_located(text, "big.yaml")
    # the root mapping, the key, the list: 3 values before the first item; the 19.998th
    # item is value 20.001, at 0-based column 5 + 3 * 19.997
    assert str(info.value).startswith(f"big.yaml:1:{5 + 3 * 19_997 + 1}: filen har mere end")


def test_aliases_within_the_limits_still_work():
    text = "a: &p {value: 1, unit: antal}\nb: *p\nc: [*p, *p]\n"
    data, marks = yamlsafe.load_located(text, "x.yaml")
    assert data == {"a": {"value": 1, "unit": "antal"}, "b": data["a"], "c": [data["a"]] * 2}
    assert marks[("b",)] == (2, 1)


def test_nesting_of_fifty_levels_is_read():
    text = "a: " + "[" * 48 + "1" + "]" * 48 + "\n"  # root, 48 lists, the 1: 50 levels
    data = yamlsafe.safe_load(text)
    for _ in range(49):
        data = data["a"] if isinstance(data, dict) else data[0]
    assert data == 1
    with pytest.raises(InputError):
        yamlsafe.safe_load("a: " + "[" * 49 + "1" + "]" * 49 + "\n")


def test_alias_deepens_past_the_limit():
    """An alias counts as deep as the value it names."""
    text = "a: &d " + "[" * 40 + "1" + "]" * 40 + "\nb: " + "[" * 10 + "*d" + "]" * 10 + "\n"
    with pytest.raises(InputError) as info:
        yamlsafe.safe_load(text, "x.yaml")
    assert str(info.value).startswith("x.yaml:2:14: YAML-strukturen er indlejret mere end 50")


# -- expressions ------------------------------------------------------------------------


def test_expression_depth_limit_is_exact():
    ok = "+".join(["1"] * MAX_DEPTH)  # 99 additions: depth 99 plus the leaves = 100
    env = {"t": np.ones((1, 1))}
    assert float(parse_expression(ok).evaluate(env)) == MAX_DEPTH
    with pytest.raises(ExpressionError):
        parse_expression(ok + "+1")


@pytest.mark.parametrize("text", ["1e400", "9" * 309, "-1e301"])
def test_literals_beyond_floats_are_refused(text: str):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert "er for stort" in str(info.value)


def test_large_finite_literal_is_kept():
    assert float(parse_expression("1e300 / 1e299").evaluate({})) == pytest.approx(10.0)


# -- numbers at the boundary ------------------------------------------------------------

DIST = TypeAdapter(Distribution)


@pytest.mark.parametrize(
    "dist",
    [
        {"dist": "normal", "mean": 0, "sd": 1e200},
        {"dist": "normal", "mean": 0, "sd": float("inf")},
        {"dist": "lognormal", "mean": 1e-200, "sd": 1e-100},
        {"dist": "beta", "alpha": 1e-200, "beta": 1},
        {"dist": "beta", "alpha": 2, "beta": 1e200},
        {"dist": "beta", "alpha": 2, "beta": 2, "min": 1, "max": 1},
        {"dist": "triangular", "min": 0, "mode": 2, "max": 1},
        {"dist": "triangular", "min": 1, "mode": 1, "max": 1},
        {"dist": "uniform", "min": 0, "max": float("nan")},
        {"dist": "pert", "min": 0, "mode": 1, "max": 2, "lamb": 1e300},
        {"dist": "discrete", "values": [1, 1e300]},
        {"dist": "discrete", "values": [1, 2], "probs": [float("nan"), 1]},
    ],
)
def test_distribution_outside_its_sane_range_is_refused(dist: dict):
    with pytest.raises(ValidationError):
        DIST.validate_python(dist)


def test_distribution_at_the_edges_of_its_range_draws_finite_numbers():
    from socinvest.uncertainty.sampling import draw_distribution, quantile

    edges = [
        {"dist": "lognormal", "mean": 1e-200, "sd": 1e-198},
        {"dist": "beta", "alpha": 0.01, "beta": 10_000, "min": -1e15, "max": 1e15},
        {"dist": "pert", "min": 0, "mode": 1e-300, "max": 1e15, "lamb": 10_000},
        {"dist": "normal", "mean": 1e15, "sd": 1e15},
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for d in edges:
            x = draw_distribution(DIST.validate_python(d), 1000, np.random.default_rng(1))
            assert np.isfinite(x).all()
            assert np.isfinite(quantile(DIST.validate_python(d), 0.95, n=1001))


HEAD = "id: x\ntitle: X\nunit: kr.\nprice_level: 2025\nhorizon: {h}\n"


def test_ninety_nine_years_is_a_horizon():
    text = HEAD.format(h="2000-2098") + "lines:\n  - {id: a, label: A, kind: cost, amounts: 1}\n"
    assert len(parse_case(text).horizon.years) == 99


def test_largest_amounts_sum_without_overflow():
    """Twenty lines at the bound over 99 years: every total stays finite."""
    lines = "".join(
        f"  - {{id: l{i}, label: L{i}, kind: cost, amounts: 1e15}}\n" for i in range(20)
    )
    case = parse_case(HEAD.format(h="2000-2098") + "lines:\n" + lines)
    from socinvest.engine.resolve import evaluate

    res = evaluate(case)
    assert res.cumulative()[0, -1] == pytest.approx(20 * 99 * 1e15)
    assert np.isfinite(res.npv()).all()


# -- ladder sizes -----------------------------------------------------------------------


def test_markov_runs_a_billion_children_and_micro_refuses_them():
    """100 children aged 5 in two_step.yaml scaled to 1e9: month 0 holds exactly 1e9."""
    model = load_model(HOSTILE / "ladder_stock_billion.yaml")
    proj = project(model)
    assert proj.stock[0, 0].sum() == pytest.approx(1e9)
    with pytest.raises(InputError) as info:
        _micro(HOSTILE / "ladder_stock_billion.yaml")
    assert str(info.value) == (
        f"{HOSTILE / 'ladder_stock_billion.yaml'}: mikrosimuleringen følger højst 2000000 børn, "
        "men denne fremskrivning har omkring 1000000000; brug Markov-motoren (--engine markov) "
        "eller færre børn"
    )


def test_model_too_large_for_memory_is_refused(tmp_path):
    """20 tracked steps × 21 targets × 360 months of age × 121 durations = 18,3 million
    probabilities per draw: over the 5 million the engines may hold."""
    steps = "".join(
        f"  - {{id: s{i}, label: S{i}, legal: x, cost: {{value: 1, unit: kr., source: t}}}}\n"
        for i in range(21)
    )
    (tmp_path / "l.yaml").write_text(
        f"id: big\ntitle: Big\nunit: kr.\nprice_level: 2025\nsteps:\n{steps}"
    )
    (tmp_path / "p.yaml").write_text(
        "ladder: l.yaml\nstart: 2025\nmax_age: 30\nduration_bands: [0, 120]\nstock:\n  s1: {5: 1}\n"
    )
    model = load_model(tmp_path / "p.yaml")
    with pytest.raises(InputError) as info:
        build_tables(model)
    assert str(info.value) == (
        f"{tmp_path / 'p.yaml'}: modellen er for stor (20 trin, max_age 30, sidste "
        "varighedsgrænse 120); brug færre trin eller en lavere varighedsgrænse"
    )
