"""Monte Carlo of a projection or of baseline vs strategy: per draw the uncertain unit costs,
the effect sizes and — when the population file carries occurrences and exposure — the fitted
rates and entries from their posterior (ladder/posterior.py). Baseline and strategy share each
draw's rates (the strategy changes the levers, not what the data say).

The summary holds P5/P50/P95 (and the mean) of the children per step on 31 December, of
their total, and of the savings (or, for one projection, the cost) per year.
"""

from __future__ import annotations

import numpy as np

from .costs import has_cost_uncertainty, sample_costs, step_costs
from .load import Model
from .markov import project_markov
from .model import MAX_FACTOR, Effect
from .posterior import Posterior, draw, has_posterior
from .tables import MAX_CELLS, build_tables, cells_per_draw, size_keys

PERCENTILES = (5, 50, 95)


def _draw(value: float, dist, n: int, rng: np.random.Generator) -> np.ndarray:
    from ..uncertainty.sampling import draw_distribution

    x = draw_distribution(dist, n, rng)
    return value * x if dist.relative else x


def sample_sizes(model: Model, n: int, rng: np.random.Generator) -> dict:
    """{(override, field): (n,)} drawn effect sizes (kept within the schema's range)."""
    sizes = {}
    for i, f, v in size_keys(model):
        if isinstance(v, Effect) and v.uncertainty is not None:
            sizes[(i, f)] = np.clip(_draw(v.value, v.uncertainty, n, rng), 0.0, MAX_FACTOR)
    return sizes


def sample(model: Model, n: int, rng: np.random.Generator):
    """(n, K) unit costs and {(override, field): (n,)} effect sizes."""
    cost, _, _ = sample_costs(model, n, model.population.years, rng)
    return cost, sample_sizes(model, n, rng)


def has_uncertainty(model: Model) -> bool:
    effects = any(
        isinstance(v, Effect) and v.uncertainty is not None for _, _, v in size_keys(model)
    )
    return has_cost_uncertainty(model.ladder) or effects or has_posterior(model.population)


def _part(post: Posterior, lo: int, hi: int) -> dict:
    return {
        "monthly": None if post.monthly is None else post.monthly[lo:hi],
        "entries": None if post.entries is None else post.entries[lo:hi],
    }


def _pct(a: np.ndarray, prefix: str = "") -> dict:
    out = {f"{prefix}mean": a.mean(axis=0)}
    for p in PERCENTILES:
        out[f"{prefix}p{p}"] = np.percentile(a, p, axis=0)
    return out


def monte_carlo(
    model: Model,
    draws: int,
    seed: int = 0,
    chunk: int = 32,
    compare: bool = True,
    years: int | None = None,
) -> dict:
    """`draws` draws of costs, effect sizes and (when the file carries them) rates: with
    `compare`, the savings per year (mean, P5, P50, P95, cumulative, P(total > 0)) and the
    children of baseline and strategy; otherwise the children and cost of the scenario."""
    rng = np.random.default_rng(seed)
    Y = years or model.population.years
    costs = step_costs(model.ladder) is not None
    if costs:
        _, cb, cs = sample_costs(model, draws, Y, rng)
    sizes = sample_sizes(model, draws, rng)
    rated = has_posterior(model.population)
    post = (
        draw(model.population, model.ladder.ids[1:], draws, rng) if rated else Posterior(None, None)
    )
    chunk = max(1, min(chunk, MAX_CELLS // cells_per_draw(model)))  # memory, not results
    K = len(model.ladder.ids) - 1
    base_ye = np.empty((draws, Y, K))
    scen_ye = np.empty((draws, Y, K))
    base_cy = np.empty((draws, Y, K))
    scen_cy = np.empty((draws, Y, K))
    fixed_base = None
    if compare and not rated:  # the baseline does not vary: project it once
        fixed_base = project_markov(build_tables(model, scenario=False, years=Y))
    for lo in range(0, draws, chunk):
        hi = min(lo + chunk, draws)
        part = {k: v[lo:hi] for k, v in sizes.items()}
        t = build_tables(model, True, part, hi - lo, Y, clip=True, **_part(post, lo, hi))
        p = project_markov(t)
        scen_ye[lo:hi], scen_cy[lo:hi] = p.year_end(), p.child_years()
        if compare:
            if fixed_base is None:
                b = project_markov(
                    build_tables(model, False, None, hi - lo, Y, clip=True, **_part(post, lo, hi))
                )
            else:
                b = fixed_base
            base_ye[lo:hi], base_cy[lo:hi] = b.year_end(), b.child_years()
    # the children vary only with drawn rates or effect sizes (not with prices alone)
    out: dict = {
        "draws": draws,
        "seed": seed,
        "rates": rated,
        "children_vary": rated or bool(sizes),
    }
    out["children"] = {"scenario": _pct(scen_ye), "scenario_total": _pct(scen_ye.sum(axis=2))}
    if compare:
        out["children"]["baseline"] = _pct(base_ye)
        out["children"]["baseline_total"] = _pct(base_ye.sum(axis=2))
    if compare and costs:
        saved = np.einsum("dyk,dyk->dy", base_cy, cb) - np.einsum("dyk,dyk->dy", scen_cy, cs)
        cum = np.cumsum(saved, axis=1)
        out.update(_pct(saved))
        out.update(_pct(cum, "cumulative_"))
        out["p_positive_total"] = float((cum[:, -1] > 0).mean())
    elif costs:
        out["cost"] = _pct(np.einsum("dyk,dyk->dy", scen_cy, cs))
    return out
