"""The ladder bundles: a projection, a comparison (baseline vs strategy, with its Monte Carlo)
and a fit from episodes — each computed once, then rendered by every face (terminal, JSON,
chart, report file) without computing anything more.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..ladder.backtest import Backtest
from ..ladder.backtest import backtest as _backtest
from ..ladder.costs import cost_by_year
from ..ladder.fit import FitResult, population_yaml
from ..ladder.fit import fit as _fit
from ..ladder.levers import LeverWarning
from ..ladder.load import DEFAULT_LADDER, Model, load_ladder, load_model
from ..ladder.montecarlo import has_uncertainty, monte_carlo
from ..ladder.projection import Projection
from ..ladder.scenario import Comparison, idle_levers, step_costs
from ..ladder.scenario import compare as _compare
from ..ladder.scenario import project as _project


def _readonly(a: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return None
    a = np.array(a, float)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class ProjectionBundle:
    """A population (or a scenario with its changes) projected, and its cost per step."""

    model: Model
    projection: Projection
    cost: np.ndarray | None  # (K,) cost per child per year in the ladder's unit; None: not set
    mc: dict | None = None  # Monte Carlo of children and cost (`draws` > 0 and uncertainty)
    warnings: tuple[LeverWarning, ...] = ()  # scenario levers that change nothing
    cost_years: np.ndarray | None = None  # (years, K): a scenario's cost mixes applied
    draws: int = 0
    seed: int = 0

    @property
    def title(self) -> str:
        """The scenario's title, else the population's (else its file name)."""
        m = self.model
        if m.scenario is not None:
            return m.scenario.title
        return m.population.title or str(m.path)

    @property
    def costs(self) -> np.ndarray | None:
        """(years, K) cost per step per year (the first draw), or None without prices."""
        if self.cost is None:
            return None
        if self.cost_years is not None:
            return self.projection.child_years()[0] * self.cost_years
        return self.projection.costs(self.cost)[0]


@dataclass(frozen=True)
class ComparisonBundle:
    """Baseline vs strategy: children, mix, costs, savings and (when asked for and the files
    state uncertainty) the Monte Carlo of the savings over `draws` draws with `seed`."""

    comparison: Comparison
    draws: int
    seed: int

    @property
    def model(self) -> Model:
        return self.comparison.model

    @property
    def title(self) -> str:
        s = self.model.scenario
        return s.title if s is not None else str(self.model.path)


@dataclass(frozen=True)
class FitBundle:
    """Entries and transitions estimated from an episode export, and the population file
    that holds them (its ladder path relative to where it will be written)."""

    result: FitResult
    ladder_path: Path
    episodes: Path
    population_yaml: str


def projection_bundle(
    path: str | Path,
    engine: str = "markov",
    seed: int = 0,
    years: int | None = None,
    draws: int = 0,
) -> ProjectionBundle:
    """Project the population or scenario file `path` (a scenario with its changes); `draws`
    > 0 asks for the Monte Carlo of the children (and cost) over the uncertain prices, effect
    sizes and fitted rates (run only when the files state uncertainty or carry the data)."""
    model = load_model(path)
    p = _project(model, scenario=True, engine=engine, seed=seed, years=years)
    mc = None
    if draws > 0 and has_uncertainty(model):
        mc = monte_carlo(model, draws, seed, compare=False, years=p.tables.years)
    warnings = idle_levers(model, p) if model.scenario is not None else ()
    cost_years = cost_by_year(model, True, p.tables.years)
    return ProjectionBundle(
        model,
        p,
        _readonly(step_costs(model.ladder)),
        mc,
        warnings,
        _readonly(cost_years),
        draws,
        seed,
    )


def comparison_bundle(
    path: str | Path, engine: str = "markov", seed: int = 0, draws: int = 0
) -> ComparisonBundle:
    """Baseline vs strategy of the scenario file `path`; `draws` > 0 asks for the Monte Carlo
    over the uncertain prices and effect sizes (run only when the files state uncertainty)."""
    model = load_model(path)
    c = _compare(model, engine=engine, seed=seed, draws=draws, mc_seed=seed)
    return ComparisonBundle(c, draws, seed)


def fit_bundle(
    episodes: str | Path,
    ladder: str | Path | None = None,
    age_bands: list[int] | None = None,
    duration_bands: list[int] | None = None,
    max_age: int = 18,
    as_of: dt.date | None = None,
    gap_days: int = 31,
    output: Path | None = None,
    *,
    observed_from: dt.date | None = None,
    codes: str | Path | None = None,
    source_format: str = "auto",
    entries: str = "constant",
) -> FitBundle:
    """Fit `episodes` on `ladder` (default: the standard ladder). The population file names
    the ladder relative to `output`'s folder (or the working folder). The keyword options are
    `ladder.fit.fit`'s (window start, code-mapping file, register format, entries)."""
    ladder_path = Path(ladder) if ladder is not None else DEFAULT_LADDER
    lad = load_ladder(ladder_path)
    res = _fit(
        episodes,
        lad,
        age_bands,
        duration_bands,
        max_age,
        as_of,
        gap_days,
        observed_from=observed_from,
        codes=codes,
        source_format=source_format,  # type: ignore[arg-type]
        entries=entries,  # type: ignore[arg-type]
    )
    folder = output.resolve().parent if output is not None else Path.cwd()
    rel = os.path.relpath(ladder_path.resolve(), folder)
    return FitBundle(res, ladder_path, Path(episodes), population_yaml(res, rel, str(episodes)))


@dataclass(frozen=True)
class BacktestBundle:
    """A back-test: the fit before `at`, its projection and what was observed after."""

    backtest: Backtest
    episodes: Path

    @property
    def title(self) -> str:
        return self.episodes.name


def backtest_bundle(
    episodes: str | Path,
    at: dt.date,
    ladder: str | Path | None = None,
    age_bands: list[int] | None = None,
    duration_bands: list[int] | None = None,
    max_age: int = 18,
    gap_days: int = 31,
    draws: int = 200,
    seed: int = 0,
    as_of: dt.date | None = None,
    **fit_options,
) -> BacktestBundle:
    """Fit `episodes` before `at`, project to the end of the data and compare (the Monte Carlo
    of the interval over `draws` draws of the fitted rates)."""
    ladder_path = Path(ladder) if ladder is not None else DEFAULT_LADDER
    lad = load_ladder(ladder_path)
    b = _backtest(
        episodes,
        lad,
        ladder_path.resolve(),
        at,
        age_bands,
        duration_bands,
        max_age,
        gap_days,
        draws,
        seed,
        as_of,
        **fit_options,
    )
    return BacktestBundle(b, Path(episodes))
