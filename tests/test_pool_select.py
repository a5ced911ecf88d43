"""Selection among applications: the integer programme against brute force (all 2^n subsets),
and the explanations on the example pool."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from socinvest.pool import select, solve
from socinvest.services.pool import load_pool

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "pool" / "pool.yaml"


def _brute(values, usage, available, lower, upper):
    best, best_x = -np.inf, None
    n = len(values)
    for bits in itertools.product((0, 1), repeat=n):
        x = np.array(bits)
        if (x < lower).any() or (x > upper).any():
            continue
        if (usage @ x <= available + 1e-9).all() and values @ x > best:
            best, best_x = values @ x, x
    return best, best_x


@pytest.mark.parametrize("seed", range(6))
def test_milp_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    n, years = 10, 6
    grants = rng.uniform(0, 100, (years, n)) * (rng.uniform(size=(years, n)) < 0.3)
    repaid = np.minimum(np.cumsum(rng.uniform(0, 40, (years, n)), 0), np.cumsum(grants, 0))
    usage = np.cumsum(grants, 0) - repaid  # outstanding per year: cumulative grants - repaid
    available = np.cumsum(rng.uniform(20, 80, years))
    values = rng.normal(50, 60, n)
    lower, upper = np.zeros(n), np.ones(n)
    lower[0] = 1 if usage[:, 0].max() < available.min() else 0  # one forced in (feasible)
    upper[1] = 0  # one forced out
    best, _ = _brute(values, usage, available, lower, upper)
    got = solve(values, usage, available, lower, upper)
    assert got.status == "optimal"
    assert got.objective == pytest.approx(best, abs=1e-6)
    assert (usage @ got.x <= available + 1e-6).all()


def test_infeasible_when_forced_set_does_not_fit():
    usage = np.array([[10.0, 10.0]])
    got = solve(np.array([1.0, 1.0]), usage, np.array([5.0]), np.array([1, 0]), np.ones(2))
    assert got.status == "infeasible" and got.x is None


@pytest.fixture(scope="module")
def example_selection():
    return select(load_pool(EXAMPLE), "npv")


def _da(text) -> str:
    from socinvest.i18n import render

    return "" if text is None else render(text, "da")


def test_example_selection_explains_every_case(example_selection):
    sel = example_selection
    by_id = {c.id: c for c in sel.choices}
    assert by_id["ha01-handicap"].selected
    assert _da(by_id["ha01-handicap"].reason).startswith("inde: allerede bevilget")
    vest = by_id["opfundet-familiehuset-vest"]
    assert not vest.selected
    assert _da(vest.reason) == "ude: tilbagebetalingstid (totaløkonomi) 7 år > reglen 6 år"
    for c in sel.choices:
        assert _da(c.reason).startswith("inde: " if c.selected else "ude: "), c
    # exactly one pending case is out for lack of capital, and says in which year
    out = [c for c in sel.choices if _da(c.reason).startswith("ude: passer ikke i puljen i ")]
    assert len(out) == 1 and "mangler" in _da(out[0].reason)
    assert any(_da(c.reason) == "inde: højeste NPV pr. krone" for c in sel.choices)
    # forcing a free case the other way never improves on the optimum
    for c in sel.choices:
        if c.alternative is not None and c.id != vest.id:
            assert c.alternative <= 1e-6


def test_example_selection_respects_capital(example_selection):
    sel = example_selection
    assert sel.solved.status == "optimal"
    assert (sel.used <= sel.available + 1e-6).all()
    # the value is the sum of the chosen cases' NPVs
    assert sel.value == pytest.approx(sum(c.value for c in sel.choices if c.selected))


def test_forced_alternative_matches_a_resolve(example_selection):
    """The 'next best' of a case that is out = optimum with it forced in - optimum."""
    sel = example_selection
    out = next(c for c in sel.choices if _da(c.reason).startswith("ude: passer ikke"))
    assert out.alternative < 0
    assert "tvunget ind falder målet" in _da(out.alternative_text)
