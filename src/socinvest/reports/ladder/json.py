"""The JSON twins of the ladder bundles (`socinvest ladder … --json`).

They hold numbers, step ids and enum values only (no text to translate): the same in both
languages. The shapes are those of the command line before the bundles existed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...ladder.fit import FitResult
from ...ladder.projection import Projection
from ...services.ladder import ComparisonBundle, FitBundle, ProjectionBundle


def _vec(a: Any) -> list[float]:
    return [float(x) for x in np.asarray(a).ravel()]


def _projection(p: Projection, cost: np.ndarray | None) -> dict[str, Any]:
    t = p.tables
    out: dict[str, Any] = {
        "engine": p.engine,
        "years": [int(y) for y in p.years],
        "steps": list(t.steps),
        "year_end": {s: _vec(p.year_end()[0, :, k]) for k, s in enumerate(t.steps)},
        "child_years": {s: _vec(p.child_years()[0, :, k]) for k, s in enumerate(t.steps)},
        "placement_mix": {
            s: _vec(p.placement_mix()[0, :, k]) for k, s in enumerate(t.steps) if t.placement[k]
        },
        "flows": {k: _vec(v[0]) for k, v in p.yearly_flows().items()},
        "start_stock": _vec(p.stock[0, 0]),
    }
    if cost is not None:
        c = p.costs(cost)[0]
        out["cost"] = {s: _vec(c[:, k]) for k, s in enumerate(t.steps)}
        out["cost_total"] = _vec(c.sum(axis=1))
    return out


def projection_json(b: ProjectionBundle) -> dict[str, Any]:
    data = _projection(b.projection, b.cost)
    data["unit"] = b.model.ladder.unit.value
    data["price_level"] = b.model.ladder.price_level
    return data


def comparison_json(b: ComparisonBundle) -> dict[str, Any]:
    c = b.comparison
    out: dict[str, Any] = {
        "scenario": c.model.scenario.title if c.model.scenario else None,
        "unit": c.model.ladder.unit.value,
        "price_level": c.model.ladder.price_level,
        "baseline": _projection(c.baseline, c.cost),
        "strategy": _projection(c.scenario, c.cost),
    }
    s = c.savings()
    if s is not None:
        out["savings"] = _vec(s)
    if c.mc is not None:
        out["monte_carlo"] = {
            k: (_vec(v) if isinstance(v, np.ndarray) else v) for k, v in c.mc.items()
        }
    return out


def _rows(rows: list[dict]) -> list[dict]:
    return [{k: (_vec(v) if k == "ci95" else v) for k, v in row.items()} for row in rows]


def fit_json(b: FitBundle) -> dict[str, Any]:
    r: FitResult = b.result
    return {
        "episodes": r.n_episodes,
        "children": r.n_children,
        "censored": r.censored,
        "years_observed": r.window_years,
        "transitions": _rows(r.rows()),
        "entries": _rows(r.entry_rows()),
        "stock": {
            r.ladder.ids[s]: {str(a): int(n) for a, n in enumerate(r.stock[s]) if n > 0}
            for s in range(1, len(r.ladder.ids))
        },
    }
