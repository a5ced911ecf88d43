"""The JSON twins of the ladder bundles (`socinvest ladder … --json`).

They hold numbers, step ids and enum values only (no text to translate): the same in both
languages. The shapes are those of the command line before the bundles existed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...ladder.fit import FitResult
from ...ladder.projection import Projection
from ...services.ladder import BacktestBundle, ComparisonBundle, FitBundle, ProjectionBundle


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


def _tree(v: Any) -> Any:
    """Arrays as lists (nested), dicts walked, numbers and flags as they are."""
    if isinstance(v, dict):
        return {k: _tree(x) for k, x in v.items()}
    if isinstance(v, np.ndarray):
        return v.tolist()
    return v


def _warnings(ws) -> list[dict[str, Any]]:
    return [{"code": w.code, "override": w.override, "type": w.type} for w in ws]


def projection_json(b: ProjectionBundle) -> dict[str, Any]:
    data = _projection(b.projection, b.cost)
    if b.cost_years is not None and b.cost is not None:  # a scenario's cost mix applied
        c = b.costs
        assert c is not None
        data["cost"] = {s: _vec(c[:, k]) for k, s in enumerate(b.projection.tables.steps)}
        data["cost_total"] = _vec(c.sum(axis=1))
    data["unit"] = b.model.ladder.unit.value
    data["price_level"] = b.model.ladder.price_level
    if b.mc is not None:
        data["monte_carlo"] = _tree(b.mc)
    if b.warnings:
        data["warnings"] = _warnings(b.warnings)
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
    costs = c.costs()
    if costs is not None and c.scenario_cost is not None:  # a scenario's cost mix applied
        out["strategy"]["cost"] = {
            s: _vec(costs[1][:, k]) for k, s in enumerate(c.scenario.tables.steps)
        }
        out["strategy"]["cost_total"] = _vec(costs[1].sum(axis=1))
    if c.mc is not None:
        out["monte_carlo"] = {
            k: (_vec(v) if isinstance(v, np.ndarray) else _tree(v)) for k, v in c.mc.items()
        }
    if c.warnings:
        out["warnings"] = _warnings(c.warnings)
    return out


def backtest_json(b: BacktestBundle) -> dict[str, Any]:
    bt = b.backtest
    out: dict[str, Any] = {
        "at": bt.at.isoformat(),
        "end": bt.end.isoformat(),
        "years": list(bt.years),
        "steps": list(bt.steps),
        "age_bands": list(bt.model.population.age_bands),
        "years_observed": bt.result.window_years,
        "observed": bt.observed.tolist(),
        "projected": bt.projected.tolist(),
        "observed_ages": bt.observed_ages.tolist(),
        "projected_ages": bt.projected_ages.tolist(),
        "observed_entries": bt.observed_entries.tolist(),
        "projected_entries": bt.projected_entries.tolist(),
        "total_error": [None if np.isnan(v) else float(v) for v in bt.total_error()],
        "draws": bt.draws,
        "seed": bt.seed,
        "coverage": bt.coverage(),
    }
    for key in ("band", "band_ages", "band_total"):
        v = getattr(bt, key)
        out[key] = None if v is None else v.tolist()
    return out


def _rows(rows: list[dict]) -> list[dict]:
    return [{k: (_vec(v) if k == "ci95" else v) for k, v in row.items()} for row in rows]


def _date(m: float) -> str:
    from ...ladder.episodes import month_date

    return month_date(m).isoformat()


def fit_json(b: FitBundle) -> dict[str, Any]:
    r: FitResult = b.result
    return {
        "episodes": r.n_episodes,
        "children": r.n_children,
        "censored": r.censored,
        "years_observed": r.window_years,
        "window": [_date(r.window[0]), _date(r.window[1])],
        "observed_from_given": r.observed_from_given,
        "left_truncated": r.truncated,
        "age_source": r.age_source,
        "format": r.source_format,
        "entries_mode": r.entries_mode,
        "entries_trend": None
        if r.entry_trend is None
        else {"per_year": r.entry_trend.per_year, "ci95": list(r.entry_trend.ci95)},
        "findings": [
            {"code": f.code, "count": f.count, "lines": list(f.lines)} for f in r.findings
        ],
        "transitions": _rows(r.rows()),
        "entries": _rows(r.entry_rows()),
        "stock": {
            r.ladder.ids[s]: {str(a): int(n) for a, n in enumerate(r.stock[s]) if n > 0}
            for s in range(1, len(r.ladder.ids))
        },
    }
