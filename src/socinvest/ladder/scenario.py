"""Baseline vs scenario: children, placement mix, costs and savings per year, the Monte Carlo
over the uncertain unit costs, effect sizes and fitted rates (ladder/montecarlo.py), and the
warning when a lever of the scenario changes nothing (ladder/levers.py).

Savings are baseline cost − scenario cost (positive when the strategy spends less).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..i18n import Msg
from .costs import cost_by_year, require_costs, step_costs
from .levers import LeverWarning, idle_message, why_idle
from .load import Model
from .markov import project_markov
from .micro import simulate_micro
from .montecarlo import PERCENTILES, has_uncertainty, monte_carlo, sample
from .projection import Projection
from .tables import build_tables

__all__ = [
    "PERCENTILES",
    "Comparison",
    "compare",
    "has_uncertainty",
    "idle_levers",
    "monte_carlo",
    "project",
    "require_costs",
    "sample",
    "step_costs",
]


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
    mc: dict | None = None  # Monte Carlo summary (see montecarlo.monte_carlo)
    warnings: tuple[LeverWarning, ...] = ()  # levers that change nothing
    scenario_cost: np.ndarray | None = None  # (years, K): the scenario's cost mixes applied

    def costs(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(years, K) baseline and scenario cost per step (the first draw)."""
        if self.cost is None:
            return None
        sc = self.scenario_cost if self.scenario_cost is not None else self.cost
        return self.baseline.costs(self.cost)[0], self.scenario.child_years()[0] * sc

    def savings(self) -> np.ndarray | None:
        """(years,) baseline cost − scenario cost."""
        c = self.costs()
        return None if c is None else c[0].sum(axis=1) - c[1].sum(axis=1)


def idle_levers(model: Model, scen: Projection | None = None) -> tuple[LeverWarning, ...]:
    """Overrides that change nothing: the Markov projection with and without each gives the
    same children every month and (for a cost mix) the same costs."""
    if model.scenario is None or not model.scenario.overrides:
        return ()
    full = scen if scen is not None and scen.engine == "markov" else None
    full = full or project_markov(build_tables(model, scenario=True))
    years = full.tables.years
    out = []
    for i, o in enumerate(model.scenario.overrides):
        if o.type == "cost_mix":
            with_ = cost_by_year(model, True, years)
            if with_ is None:
                continue
            k = model.ladder.ids.index(o.step) - 1
            if not np.allclose(with_[:, k], cost_by_year(model, False, years)[:, k]):  # type: ignore[index]
                continue
        else:
            t = build_tables(model, scenario=True, years=years, skip=i)
            if not np.allclose(project_markov(t).stock, full.stock, rtol=1e-9, atol=1e-9):
                continue
        reason = why_idle(o, model.population, model.ladder)
        out.append(LeverWarning(i, o.type, idle_message(i, o, reason)))
    return tuple(out)


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
    if draws > 0 and has_uncertainty(model):
        mc = monte_carlo(model, draws, mc_seed)
    years = base.tables.years
    return Comparison(
        model, base, scen, cost, mc, idle_levers(model, scen), cost_by_year(model, True, years)
    )
