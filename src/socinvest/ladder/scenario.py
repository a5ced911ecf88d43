"""Baseline vs scenario: children, placement mix, costs and savings per year, and Monte Carlo
over the uncertain unit costs and effect sizes.

Savings are baseline cost − scenario cost (positive when the strategy spends less). The
Monte Carlo runs the Markov engine for the scenario once per draw (vectorised over a chunk of
draws) and the baseline once; unit costs are drawn once per draw and used for both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..i18n import Msg
from ..uncertainty.sampling import draw_distribution
from .load import Model
from .markov import project_markov
from .micro import simulate_micro
from .model import MAX_FACTOR, Effect, Ladder
from .projection import Projection
from .tables import MAX_CELLS, build_tables, cells_per_draw, size_keys

PERCENTILES = (5, 50, 95)


def step_costs(ladder: Ladder) -> np.ndarray | None:
    """(K,) cost per child per year of the tracked steps, or None if any is not set."""
    vals = [s.cost.value for s in ladder.steps[1:]]
    if any(v is None for v in vals):
        return None
    return np.asarray(vals, float)


def require_costs(model: Model) -> np.ndarray:
    c = step_costs(model.ladder)
    if c is None:
        missing = [s.id for s in model.ladder.steps[1:] if s.cost.value is None]
        raise InputError(
            Msg(
                "{path}: trappen har ingen pris for {steps}; angiv cost.value (kr. pr. barn pr. "
                "år) i trappefilen",
                path=model.path,
                steps=", ".join(missing),
            )
        )
    return c


def project(
    model: Model, scenario: bool = True, engine: str = "markov", seed: int = 0, years=None
) -> Projection:
    t = build_tables(model, scenario=scenario, years=years)
    if engine == "micro":
        return simulate_micro(t, seed=seed, source=model.path)
    if engine != "markov":
        raise InputError(Msg("ukendt motor {engine}; brug markov eller micro", engine=repr(engine)))
    return project_markov(t)


@dataclass(frozen=True)
class Comparison:
    model: Model
    baseline: Projection
    scenario: Projection
    cost: np.ndarray | None  # (K,) in the ladder's unit
    mc: dict | None = None  # Monte Carlo summary of the savings (see monte_carlo)

    def costs(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(years, K) baseline and scenario cost per step (the first draw)."""
        if self.cost is None:
            return None
        return self.baseline.costs(self.cost)[0], self.scenario.costs(self.cost)[0]

    def savings(self) -> np.ndarray | None:
        """(years,) baseline cost − scenario cost."""
        c = self.costs()
        return None if c is None else c[0].sum(axis=1) - c[1].sum(axis=1)


def compare(
    model: Model, engine: str = "markov", seed: int = 0, draws: int = 0, mc_seed: int = 0
) -> Comparison:
    if model.scenario is None:
        raise InputError(
            Msg(
                "{path}: ikke en scenariefil (den skal have 'baseline:' og ændringer)",
                path=model.path,
            )
        )
    base = project(model, scenario=False, engine=engine, seed=seed)
    scen = project(model, scenario=True, engine=engine, seed=seed)
    cost = step_costs(model.ladder)
    mc = None
    if draws > 0 and cost is not None and has_uncertainty(model):
        mc = monte_carlo(model, draws, mc_seed)
    return Comparison(model, base, scen, cost, mc)


def has_uncertainty(model: Model) -> bool:
    costs = any(s.cost.uncertainty is not None for s in model.ladder.steps[1:])
    effects = any(
        isinstance(v, Effect) and v.uncertainty is not None for _, _, v in size_keys(model)
    )
    return costs or effects


def _draw(value: float, dist, n: int, rng: np.random.Generator) -> np.ndarray:
    x = draw_distribution(dist, n, rng)
    return value * x if dist.relative else x


def sample(model: Model, n: int, rng: np.random.Generator):
    """(n, K) unit costs and {(override, field): (n,)} effect sizes."""
    base = require_costs(model)
    cost = np.broadcast_to(base, (n, base.size)).copy()
    for k, s in enumerate(model.ladder.steps[1:]):
        if s.cost.uncertainty is not None:
            cost[:, k] = _draw(float(base[k]), s.cost.uncertainty, n, rng)
    sizes = {}
    for i, f, v in size_keys(model):
        if isinstance(v, Effect) and v.uncertainty is not None:
            # within the schema's range of an effect size: a wide distribution may draw
            # beyond it, and an unbounded factor would overflow the probabilities
            sizes[(i, f)] = np.clip(_draw(v.value, v.uncertainty, n, rng), 0.0, MAX_FACTOR)
    return cost, sizes


def monte_carlo(model: Model, draws: int, seed: int = 0, chunk: int = 32) -> dict:
    """Savings per year over `draws` draws of the uncertain unit costs and effect sizes:
    mean, P5, P50, P95 (and the same for the cumulative savings)."""
    rng = np.random.default_rng(seed)
    cost, sizes = sample(model, draws, rng)
    chunk = max(1, min(chunk, MAX_CELLS // cells_per_draw(model)))  # memory, not results
    base = project_markov(build_tables(model, scenario=False)).child_years()  # (1, Y, K)
    out = np.empty((draws, base.shape[1]))
    for lo in range(0, draws, chunk):
        hi = min(lo + chunk, draws)
        part = {k: v[lo:hi] for k, v in sizes.items()}
        t = build_tables(model, scenario=True, sizes=part, draws=hi - lo, clip=True)
        scen = project_markov(t).child_years()  # (c, Y, K)
        out[lo:hi] = np.einsum("cyk,ck->cy", base - scen, cost[lo:hi])
    cum = np.cumsum(out, axis=1)
    summary = {"draws": draws, "seed": seed, "mean": out.mean(axis=0)}
    for p in PERCENTILES:
        summary[f"p{p}"] = np.percentile(out, p, axis=0)
    summary["cumulative_mean"] = cum.mean(axis=0)
    for p in PERCENTILES:
        summary[f"cumulative_p{p}"] = np.percentile(cum, p, axis=0)
    summary["p_positive_total"] = float((cum[:, -1] > 0).mean())
    return summary
