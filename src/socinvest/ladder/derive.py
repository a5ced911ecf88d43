"""Derived savings: a case line whose amounts come from a ladder scenario (`driver: ladder`).

The deterministic Markov projection of the baseline and the scenario runs once per scenario
(cached by the files' paths and modification times, and the last year needed); the line's
magnitude per budget year is, by `measure`:

- `savings`: baseline cost − scenario cost (the usual case: a `saving` line);
- `baseline_cost` / `scenario_cost`: the projected cost itself.

Amounts are converted from the ladder's unit to the case's (kr. → 1.000 kr. divides by
1.000). The ladder's price level must equal the case's: price levels are never converted
without an index. The projection starts on 1 January of the population's `start`; the case
horizon must not begin before it, and the projection is extended to the horizon's last year.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from ..errors import InputError


@functools.lru_cache(maxsize=32)
def _yearly(path: str, stamps: tuple, last_year: int) -> dict:
    from .load import load_model
    from .markov import project_markov
    from .scenario import require_costs
    from .tables import build_tables

    model = load_model(path)
    pop = model.population
    years = max(pop.years, last_year - pop.start + 1)
    cost = require_costs(model)
    base = project_markov(build_tables(model, scenario=False, years=years)).costs(cost)[0]
    scen = project_markov(build_tables(model, scenario=True, years=years)).costs(cost)[0]
    out = {
        "start": pop.start,
        "baseline_cost": base.sum(axis=1),
        "scenario_cost": scen.sum(axis=1),
        "factor": model.ladder.unit.factor,
        "price_level": model.ladder.price_level,
        "unit": model.ladder.unit.value,
    }
    out["savings"] = out["baseline_cost"] - out["scenario_cost"]
    for v in out.values():
        if isinstance(v, np.ndarray):
            v.setflags(write=False)
    return out


def scenario_path(driver) -> Path:
    base = Path(getattr(driver, "_base", None) or ".")
    return (base / driver.ladder).resolve()


def driver_amounts(driver, case, years: np.ndarray) -> np.ndarray:
    """(years,) the line's magnitude in the case's unit. Raises InputError (naming the
    ladder files) when the scenario cannot be used for this case."""
    from .load import load_model

    p = scenario_path(driver)
    if not p.is_file():
        raise InputError(
            f"the ladder scenario {p} does not exist (the path is relative to the case file)"
        )
    model = load_model(p)
    if model.scenario is None and driver.measure != "baseline_cost":
        raise InputError(
            f"{p} is not a scenario file (it needs 'baseline:'); measure {driver.measure} needs one"
        )
    stamps = tuple((str(f), f.stat().st_mtime_ns) for f in model.files)
    first, last = int(years[0]), int(years[-1])
    y = _yearly(str(p), stamps, last)
    if y["price_level"] != case.price_level:
        raise InputError(
            f"the ladder's price level is {y['price_level']} p/l but the case's is "
            f"{case.price_level} p/l; set the same price level (prices are never converted "
            "without an index)"
        )
    if first < y["start"]:
        raise InputError(
            f"the case horizon starts in {first}, before the ladder projection ({y['start']}); "
            "set the population's start to the case's first year or earlier"
        )
    v = np.asarray(y[driver.measure])[first - y["start"] : last - y["start"] + 1]
    return v * y["factor"] / case.unit.factor
