"""Costs per child per year of the tracked steps: one value per step, or the mix of a step's
sub-types (Σ share × value), whose shares a scenario may change from a year (`cost_mix`)."""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..i18n import Msg
from ..uncertainty.sampling import draw_distribution
from .load import Model
from .model import CostMixOverride, Ladder


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


def _draw(value: float, dist, n: int, rng: np.random.Generator) -> np.ndarray:
    x = draw_distribution(dist, n, rng)
    return value * x if dist.relative else x


def _mixes(model: Model, scenario: bool, years: int) -> list[tuple[int, int, dict[str, float]]]:
    """(tracked step, first year index, shares) of every `cost_mix` override in force."""
    if not scenario or model.scenario is None:
        return []
    ids, start = model.ladder.ids, model.population.start
    return [
        (ids.index(o.step) - 1, max((o.from_year or start) - start, 0), dict(o.mix))
        for o in model.scenario.overrides
        if isinstance(o, CostMixOverride)
    ]


def cost_by_year(model: Model, scenario: bool, years: int) -> np.ndarray | None:
    """(years, K) cost per child per year of each step, the scenario's cost mixes applied."""
    base = step_costs(model.ladder)
    if base is None:
        return None
    out = np.tile(base, (years, 1))
    for k, y0, shares in _mixes(model, scenario, years):
        mix = model.ladder.steps[k + 1].cost.mix or []
        out[y0:, k] = sum(shares.get(s.id, 0.0) * s.value for s in mix)
    return out


def sample_costs(
    model: Model, n: int, years: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(n, K) drawn step costs, and (n, years, K) baseline and scenario costs per year (with
    the scenario's cost mixes). A sub-type's uncertainty is drawn for the sub-type; a step's
    own uncertainty for the step."""
    base = require_costs(model)
    cost = np.broadcast_to(base, (n, base.size)).copy()
    subs: dict[int, dict[str, np.ndarray]] = {}
    for k, s in enumerate(model.ladder.steps[1:]):
        if s.cost.uncertainty is not None:
            cost[:, k] = _draw(float(base[k]), s.cost.uncertainty, n, rng)
        if s.cost.mix is not None:
            subs[k] = {
                m.id: (
                    _draw(float(m.value), m.uncertainty, n, rng)
                    if m.uncertainty is not None
                    else np.full(n, float(m.value))
                )
                for m in s.cost.mix
            }
            if any(m.uncertainty is not None for m in s.cost.mix):
                cost[:, k] = sum(m.share * subs[k][m.id] for m in s.cost.mix)
    by_year = np.repeat(cost[:, None, :], years, axis=1)
    scen = by_year.copy()
    for k, y0, shares in _mixes(model, True, years):
        drawn = np.zeros(n)
        for i, v in subs[k].items():
            drawn += shares.get(i, 0.0) * v
        scen[:, y0:, k] = drawn[:, None]
    return cost, by_year, scen


def has_cost_uncertainty(ladder: Ladder) -> bool:
    return any(
        s.cost.uncertainty is not None or any(m.uncertainty is not None for m in s.cost.mix or [])
        for s in ladder.steps[1:]
    )
