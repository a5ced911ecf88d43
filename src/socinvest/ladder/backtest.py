"""Back-test: fit on the data before a date, project to the end of the data, and compare with
what happened — so a municipality sees how far to trust the model on its own data.

`backtest(path, ladder, at=DATE)` fits the episodes before `at` (1 January of a year; the
fit's own window handling, ladder/fit.py), projects every full year from `at` to the end of
the data with the Markov engine, and compares on each 31 December: children per step, per age
band and in total, and the new children per year. With `draws` > 0 the fitted rates and
entries are drawn from their posterior (ladder/posterior.py) and each draw's expected count is
given Poisson noise (the spread of a count of children around its expectation): the P5–P95 of
these predictions is the interval whose coverage of the observed counts is reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..case.yamlsafe import safe_load
from ..errors import InputError
from ..i18n import Msg
from .episodes import month_date
from .fit import FitResult, fit, month_index, population_yaml, read_register
from .load import Model
from .markov import project_markov
from .model import Ladder, Population
from .posterior import draw, has_posterior
from .tables import MAX_CELLS, build_tables, cells_per_draw


@dataclass(frozen=True)
class Backtest:
    """Observed and projected counts on each 31 December after `at` (arrays read-only)."""

    model: Model  # the population fitted on the data before `at`
    result: FitResult
    at: dt.date
    end: dt.date  # the last date of the data
    years: tuple[int, ...]
    observed: np.ndarray  # (Y, K) children per step
    projected: np.ndarray  # (Y, K) expected children per step (Markov)
    observed_ages: np.ndarray  # (Y, n_age_bands) children per age band
    projected_ages: np.ndarray  # (Y, n_age_bands)
    observed_entries: np.ndarray  # (Y,) new children per year
    projected_entries: np.ndarray  # (Y,)
    draws: int
    seed: int
    band: np.ndarray | None = None  # (2, Y, K) P5 and P95 of the predicted children
    band_ages: np.ndarray | None = None  # (2, Y, n_age_bands)
    band_total: np.ndarray | None = None  # (2, Y)

    @property
    def steps(self) -> tuple[str, ...]:
        return tuple(self.model.ladder.ids[1:])

    def error(self) -> np.ndarray:
        """(Y, K) projected − observed."""
        return self.projected - self.observed

    def total_error(self) -> np.ndarray:
        """(Y,) relative error of the total: projected / observed − 1 (nan if none observed)."""
        obs = self.observed.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(obs > 0, self.projected.sum(axis=1) / obs - 1.0, np.nan)

    def coverage(self) -> float | None:
        """Share of (year, step) counts inside their P5–P95 (None without draws)."""
        if self.band is None:
            return None
        inside = (self.observed >= self.band[0]) & (self.observed <= self.band[1])
        return float(inside.mean())


def _first_of_year(d: dt.date) -> dt.date:
    if (d.month, d.day) != (1, 1):
        raise InputError(
            Msg("--at {date}: en back-test starter 1. januar, fx {year}-01-01", date=d, year=d.year)
        )
    return d


def _date(m: float) -> dt.date:
    i = int(m)
    return dt.date(i // 12, i % 12 + 1, 1)


def _bands(a: np.ndarray, edges: list[int]) -> np.ndarray:
    """(..., max_age) -> (..., n_bands) summed over each age band's years."""
    idx = np.searchsorted(np.asarray(edges), np.arange(a.shape[-1]), "right") - 1
    out = np.zeros((*a.shape[:-1], len(edges)))
    for b in range(len(edges)):
        out[..., b] = a[..., idx == b].sum(axis=-1)
    return out


def _population(res: FitResult, ladder_path: Path, source: str, years: int) -> Population:
    data = safe_load(population_yaml(res, str(ladder_path), source), source)
    data["years"] = years
    pop = Population.model_validate(data)
    if res.entries_mode == "constant":  # counts = entries × years: the entries' posterior
        pop = pop.model_copy(update={"observed_years": res.window_years})
    return pop


def backtest(
    path: str | Path,
    ladder: Ladder,
    ladder_path: Path,
    at: dt.date,
    age_bands: list[int] | None = None,
    duration_bands: list[int] | None = None,
    max_age: int = 18,
    gap_days: int = 31,
    draws: int = 200,
    seed: int = 0,
    as_of: dt.date | None = None,
    **fit_options,
) -> Backtest:
    """Fit on the episodes before `at`, project to the end of the data (`as_of`, the export
    date; default the latest date in the file), compare (module doc). `fit_options` go to
    `fit` (observed_from, codes, source_format, entries)."""
    at = _first_of_year(at)
    codes = fit_options.pop("codes", None)
    fmt = fit_options.pop("source_format", "auto")
    eps = read_register(path, ladder, codes, fmt)
    a0, last = month_index(at), month_index(as_of) if as_of is not None else eps.latest
    n_years = int((last - a0) // 12)
    if n_years < 1:
        raise InputError(
            Msg(
                "--at {date}: data slutter {end}; der skal være mindst et helt år efter "
                "--at at sammenligne med",
                date=at,
                end=_date(last),
            )
        )
    entries = fit_options.pop("entries", "constant")
    res = fit(
        eps,
        ladder,
        age_bands,
        duration_bands,
        max_age,
        at,
        gap_days,
        entries=entries,
        **fit_options,
    )
    pop = _population(res, ladder_path, str(path), n_years)
    model = Model(ladder, pop, None, Path(path), (Path(path),))
    proj = project_markov(build_tables(model, scenario=False))
    years = tuple(int(y) for y in proj.years)
    edges = list(pop.age_bands)
    observed = np.zeros((n_years, len(ladder.ids) - 1))
    obs_ages = np.zeros((n_years, len(edges)))
    obs_entries = np.zeros(n_years)
    for y in range(n_years):  # on 31 December (the projection's year end), and in the year
        lo, hi = _date(a0 + 12 * y), _date(a0 + 12 * (y + 1))
        dec31 = hi - dt.timedelta(days=1)
        r = fit(eps, ladder, edges, [0], max_age, dec31, gap_days, observed_from=lo)
        stock = np.asarray(r.stock[1:], float)  # (K, max_age) in care on 31 December
        observed[y] = stock.sum(axis=1)
        obs_ages[y] = _bands(stock.sum(axis=0), edges)
        r = fit(eps, ladder, edges, [0], max_age, hi, gap_days, observed_from=lo)
        obs_entries[y] = float(np.asarray(r.entries).sum())
    assert proj.ages is not None
    out = Backtest(
        model,
        res,
        at,
        month_date(last),
        years,
        _ro(observed),
        _ro(proj.year_end()[0]),
        _ro(obs_ages),
        _ro(_bands(proj.ages[0].sum(axis=1), edges)),
        _ro(obs_entries),
        _ro(proj.yearly_flows()["entered"][0]),
        draws,
        seed,
    )
    if draws > 0 and has_posterior(pop):
        out = replace(out, **_bands_of(model, draws, seed))
    return out


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.array(a, float)
    a.setflags(write=False)
    return a


def _bands_of(model: Model, draws: int, seed: int) -> dict:
    """P5 and P95 of the predicted counts: posterior rates, then Poisson counts."""
    rng = np.random.default_rng(seed)
    post = draw(model.population, model.ladder.ids[1:], draws, rng)
    chunk = max(1, min(32, MAX_CELLS // cells_per_draw(model)))
    ye, ages = [], []
    for lo in range(0, draws, chunk):
        hi = min(lo + chunk, draws)
        t = build_tables(
            model,
            False,
            None,
            hi - lo,
            clip=True,
            monthly=None if post.monthly is None else post.monthly[lo:hi],
            entries=None if post.entries is None else post.entries[lo:hi],
        )
        p = project_markov(t)
        ye.append(p.year_end())
        assert p.ages is not None
        ages.append(_bands(p.ages.sum(axis=2), list(model.population.age_bands)))
    y, a = np.concatenate(ye), np.concatenate(ages)
    counts = rng.poisson(y)  # (draws, Y, K)
    by_age = rng.poisson(a)
    total = rng.poisson(y.sum(axis=2))

    def band(x: np.ndarray) -> np.ndarray:
        return _ro(np.percentile(x, [5, 95], axis=0))

    return {"band": band(counts), "band_ages": band(by_age), "band_total": band(total)}
