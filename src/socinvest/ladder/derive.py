"""Derived savings: a case line whose amounts come from a ladder scenario (`driver: ladder`).

Resolved once, when the case loads (`services.case.load_case`), into data on the line's driver:
the scenario file's absolute path and the projected magnitude per budget year in the case's
unit. The engine then reads no file and runs no projection; the case can be copied, sent as
JSON or evaluated on a Dask worker without the ladder files.

The deterministic Markov projection of the baseline and the scenario runs once per scenario;
the line's magnitude per budget year is, by `measure`:

- `savings`: baseline cost − scenario cost (the usual case: a `saving` line);
- `baseline_cost` / `scenario_cost`: the projected cost itself.

Amounts are converted from the ladder's unit to the case's (kr. → 1.000 kr. divides by
1.000). The ladder's price level must equal the case's: price levels are never converted
without an index. The projection starts on 1 January of the population's `start`; the case
horizon must not begin before it, and the projection is extended to the horizon's last year.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..case.schema import Case, LadderDriver
from ..errors import InputError, Text
from ..i18n import Msg

Problem = tuple[tuple[str | int, ...], Text]
"""(key path in the case file, message): located by the caller, which knows the file."""


def scenario_path(driver: LadderDriver, base: str | Path) -> Path:
    """The scenario file, absolute: `driver.ladder` is relative to the case file's folder."""
    return (Path(base) / driver.ladder).resolve()


def _yearly(model, last_year: int) -> dict[str, np.ndarray]:
    """Baseline and scenario cost per projection year (ladder unit), from the population's
    start to at least `last_year`."""
    from .costs import cost_by_year, require_costs
    from .markov import project_markov
    from .tables import build_tables

    pop = model.population
    years = max(pop.years, last_year - pop.start + 1)
    cost = require_costs(model)
    base = project_markov(build_tables(model, scenario=False, years=years)).costs(cost)[0]
    scen_cy = project_markov(build_tables(model, scenario=True, years=years)).child_years()[0]
    scen = scen_cy * cost_by_year(model, True, years)  # a scenario's cost mix applied
    out = {"baseline_cost": base.sum(axis=1), "scenario_cost": scen.sum(axis=1)}
    out["savings"] = out["baseline_cost"] - out["scenario_cost"]
    return out


def resolve_driver(driver: LadderDriver, case: Case, base: str | Path) -> LadderDriver:
    """A copy of `driver` carrying its scenario's absolute path and the projected magnitude
    per year of the case's horizon, in the case's unit. Raises InputError (naming the ladder
    files) when the scenario cannot be used for this case."""
    from .load import load_model

    p = scenario_path(driver, base)
    if not p.is_file():
        raise InputError(
            Msg(
                "indsatstrappens scenariefil {path} findes ikke (stien er relativ til "
                "case-filens mappe)",
                path=p,
            )
        )
    model = load_model(p)
    if model.scenario is None and driver.measure != "baseline_cost":
        raise InputError(
            Msg(
                "{path} er ikke en scenariefil (den skal have 'baseline:'); "
                "measure {measure} kræver en",
                path=p,
                measure=driver.measure,
            )
        )
    lad = model.ladder
    if lad.price_level != case.price_level:
        raise InputError(
            Msg(
                "indsatstrappens prisniveau er {ladder} p/l, men casens er {case} p/l; angiv "
                "samme prisniveau (priser omregnes aldrig uden et indeks)",
                ladder=lad.price_level,
                case=case.price_level,
            )
        )
    first, last = case.horizon.first, case.horizon.last
    start = model.population.start
    if first < start:
        raise InputError(
            Msg(
                "casens horisont begynder i {first}, før indsatstrappens fremskrivning "
                "({start}); sæt befolkningens start til casens første år eller tidligere",
                first=first,
                start=start,
            )
        )
    v = _yearly(model, last)[driver.measure][first - start : last - start + 1]
    v = v * lad.unit.factor / case.unit.factor
    resolved = {y: float(x) for y, x in zip(range(first, last + 1), v, strict=True)}
    return driver.model_copy(update={"path": str(p), "resolved": resolved})


def resolve_ladder_lines(case: Case, base: str | Path) -> tuple[Case, list[Problem]]:
    """`case` with every `driver: ladder` line resolved (see `resolve_driver`), and the
    problems found, each at its line's `driver.ladder` key. Other lines are unchanged."""
    lines = list(case.lines)
    problems: list[Problem] = []
    for i, ln in enumerate(lines):
        if isinstance(ln.driver, LadderDriver):
            try:
                d = resolve_driver(ln.driver, case, base)
            except InputError as e:
                problems.append((("lines", i, "driver", "ladder"), e.message))
            else:
                lines[i] = ln.model_copy(update={"driver": d})
    return case.model_copy(update={"lines": lines}), problems
