"""A fit written as a population file (docs/ladder.md): stock by age and by months in the
step, entries per year (constant or with their trend), and the monthly transitions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .episodes import month_date
from .load import Model, check_population
from .model import Population

if TYPE_CHECKING:
    from .fit import FitResult


def _months_key(d: int, dm: int) -> str:
    return f"'{d}-'" if d == dm else str(d)


def population_yaml(res: FitResult, ladder_path: str, source: str) -> str:
    """The fit as a population file (stock, entries per year, transitions)."""
    ids = res.ladder.ids
    w0, w1 = (month_date(w).isoformat() for w in res.window)
    window = "given (--observed-from)" if res.observed_from_given else "assumed: first episode"
    trend = res.entry_trend
    lines = [
        f"# Fitted by `socinvest ladder fit` from {source}: {res.n_episodes} episodes of "
        f"{res.n_children} children, {res.window_years:.2f} years observed "
        f"({w0} to {w1}; start {window}).",
        f"# Ages from: {res.age_source}. Entries: {res.entries_mode}"
        + (f" (x {trend.per_year:.4g} per year)." if trend else " (the window's average)."),
        "# Transitions: occurrence-exposure estimates; events, exposure_months and ci95 are",
        "# information only (the model uses `monthly`). Check them before use (docs/ladder.md).",
        f"ladder: {ladder_path}",
        f"title: Tilpasset fra {Path(source).name}",
        f"source: {source}",
        f"start: {res.start_year}",
        "years: 10",
        f"max_age: {res.max_age}",
        f"age_bands: {list(res.age_bands)}",
        f"duration_bands: {list(res.duration_bands)}",
        "initial_months: spread",
        "stock:",
    ]
    for s in range(1, len(ids)):
        ages = {a: int(n) for a, n in enumerate(res.stock[s]) if n > 0}
        if ages:
            lines.append(f"  {ids[s]}: {{{', '.join(f'{a}: {n}' for a, n in ages.items())}}}")
    if lines[-1] == "stock:":
        lines[-1] = "stock: {}"
    dm = res.duration_bands[-1]
    block = ["stock_months:             # the stock by whole months in the step (its stay)"]
    for s in range(1, len(ids)):
        by_age: list[str] = []
        for a in range(res.max_age):
            row = res.stock_months[s, a]
            if row.sum() > 0:
                cells = ", ".join(f"{_months_key(d, dm)}: {int(n)}" for d, n in enumerate(row) if n)
                by_age.append(f"    {a}: {{{cells}}}")
        if by_age:
            block += [f"  {ids[s]}:", *by_age]
    if len(block) > 1:
        lines += block
    lines.append("entries:")
    rows = res.entry_rows()
    for s in range(1, len(ids)):
        mine = [r for r in rows if r["step"] == ids[s]]
        if mine:
            body = ", ".join(f"{r['ages']}: {r['per_year']:.6g}" for r in mine)
            lines.append(f"  {ids[s]}: {{{body}}}")
    if lines[-1] == "entries:":
        lines[-1] = "entries: {}"
    if trend is not None:
        lines.append(
            f"entries_trend: {{per_year: {trend.per_year:.6g}, "
            f"ci95: [{trend.ci95[0]:.6g}, {trend.ci95[1]:.6g}], "
            f"method: 'Poisson log-linear over {w0} to {w1}'}}"
        )
    if trend is None:  # entries are the window's average: the years behind them (Monte Carlo)
        lines.append(f"observed_years: {res.window_years:.6g}")
    lines += _observed_stock(res)
    lines.append("transitions:")
    trows = res.rows()
    for r in trows:
        lines.append(
            f"  - {{from: {r['from']}, to: {r['to']}, monthly: {r['monthly']:.6g}, "
            f"ages: {r['ages']}, months: '{r['months']}', events: {r['events']}, "
            f"exposure_months: {r['exposure_months']:.6g}, "
            f"ci95: [{r['ci95'][0]:.6g}, {r['ci95'][1]:.6g}]}}"
        )
    if not trows:
        lines[-1] = "transitions: []"
    return "\n".join(lines) + "\n"


def _observed_stock(res: FitResult) -> list[str]:
    """The stock on the first of each month of the window before the projection starts, as
    `observed_stock` (drawn before the projection in the charts)."""
    ids = res.ladder.ids
    out: list[str] = []
    for i, row in enumerate(res.observed):
        d = month_date(res.window[0] + i)
        if d.year >= res.start_year:
            break
        cells = ", ".join(f"{ids[s]}: {int(row[s])}" for s in range(1, len(ids)) if row[s])
        if cells:
            out.append(f"  '{d:%Y-%m}': {{{cells}}}")
    return ["observed_stock:", *out] if out else []


def population_model(res: FitResult, ladder_path: str = "<ladder>", source: str = "<fit>") -> Model:
    """The fit as a loaded model, without a file: the population `population_yaml` writes,
    read back (a back-test or a benchmark projects it straight away)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(population_yaml(res, ladder_path, source), Loader=loader)  # noqa: S506
    pop = Population.model_validate(data)
    problems = check_population(pop, res.ladder)
    if problems:  # pragma: no cover - the fit writes only what the ladder has
        raise ValueError(problems)
    return Model(res.ladder, pop, None, Path(source), ())
