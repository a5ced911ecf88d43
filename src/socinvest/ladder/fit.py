"""Estimate entries, monthly transition probabilities and the current stock from a case
system's or register's episode export (docs/ladder.md, "Fitting from episode data").

Public API (issue 13; keyword arguments added, the old positional signature kept):

    fit(path | EpisodeSet, ladder, age_bands=None, duration_bands=None, max_age=18,
        as_of=None, gap_days=31, *,
        observed_from: dt.date | None = None,   # start of the extract's window (left truncation)
        codes: str | Path | None = None,        # code-mapping file (data/ladder_codes_*.yaml)
        source_format: "auto" | "csv" | "ssda903" = "auto",
        entries: "constant" | "trend" = "constant",
    ) -> FitResult
    read_register(path, ladder, codes=None, source_format="auto") -> EpisodeSet  (registers.py)
        read once, fit many times (back-tests: `fit(eps, ladder, as_of=DATE)`)
    observed_stock(eps, ladder, start, end, max_age=18, gap_days=31) -> (months + 1, K+1)
        children per step on the first day of each month from `start` to `end` (month indices)
    population_yaml(res, ladder_path, source) -> str   the population file (popfile.py)
    population_model(res) -> Model                      the same, loaded, without a file
    month_index(date) -> float; parse_date(text) -> date

FitResult (frozen; arrays read-only) keeps `exposure` (K+1, n_age, n_dur), `events`
(K+1, K+1, n_age, n_dur) — occurrences and months at risk, so a posterior Gamma(events + ½ or
events, exposure) can be drawn per cell — `entries` (K+1, n_age) counted in the window,
`stock` (K+1, max_age) and new:
    stock_months (K+1, max_age, Dm+1)  the stock at the window's end by completed months in
                                       the step of its *stay* (Dm = last duration edge, open)
    observed (months + 1, K+1)         children per step on the 1st of every month of the window
    window, window_years, observed_from_given (False: the first episode start was assumed)
    age_source  "birth_date" | "birth_year" | "age"
    entry_trend EntryTrend | None      growth per year with its 95 % interval (entries="trend")
    entries_per_year() (K+1, n_age)    the level for the population file's first year
    findings    tuple[Finding, ...]    cleaning done (duplicates, overlaps, codes left out, extract)
    notes       tuple[Msg, ...]        what was assumed (window start, age source, entries)
The population file written by `population_yaml` carries the stock by months in step
(`stock_months:`) and, with a trend, `entries_trend: {per_year: g, ci95: [lo, hi]}` (entries
in projection month m × g ** ((m + 0.5) / 12 − 0.5)); both read by tables/markov/micro.

Method: the occurrence–exposure estimator for piecewise-constant hazards. Episodes are
cleaned (duplicates and overlaps, each with a finding), consecutive episodes in the same step
become one *stay* (the clock continues), and every stay contributes its time at risk inside
the window [observed_from, as_of) to the cells (step, age band, duration band) it passes
through; a move is an *event* in the cell where the child was just before it. Stays still
open at the window's end, and the time from the 18th (`max_age`) birthday on, are censored
(an episode ending on the birthday is an age-out, not a move). Stays that began before the
window are left-truncated: only their time inside it counts, with their true time in step.
The rate of a move is events / exposure months, with an exact Poisson (Garwood) 95 %
interval; the monthly probability of move j from a cell with total rate λ is
(λⱼ / λ)(1 − e^(−λ)) (competing risks over one month).

Time is counted in calendar months (1 January to 1 July = 6 months). Ages are exact from a
`birth_date`; with only a birth year the child is taken to be born on 1 July, with only an
age at the start, half a year after that birthday (the fit says which it used).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from ..errors import InputError
from ..i18n import Msg
from .entries import EntryTrend, fit_trend
from .episodes import (  # noqa: F401 - re-exported: the reading API of issue 9 lives on here
    DateError,
    Episode,
    EpisodeSet,
    Finding,
    Num,
    as_of_view,
    clean,
    looks_like_cpr,
    month_date,
    month_index,
    parse_date,
    stays,
)
from .exposure import count
from .fitnotes import age_note, entries_note, extract_hint, window_note
from .model import Ladder
from .popfile import population_model, population_yaml  # noqa: F401 - re-exported
from .registers import MAX_EPISODE_BYTES, Format, read_register  # noqa: F401

Entries = Literal["constant", "trend"]


@dataclass(frozen=True)
class FitResult:
    ladder: Ladder
    age_bands: list[int]
    duration_bands: list[int]
    max_age: int
    window: tuple[float, float]  # month indices of the observation window [w0, w1)
    exposure: np.ndarray  # (K+1 from, n_age, n_dur) months at risk (row 0 unused)
    events: np.ndarray  # (K+1 from, K+1 to, n_age, n_dur)
    entries: np.ndarray  # (K+1 step, n_age) new children in the window
    stock: np.ndarray  # (K+1 step, max_age) open stays at the end of the window
    n_episodes: int
    n_children: int
    censored: int  # stays in the window ending without a move in it (open, aged out)
    stock_months: np.ndarray  # (K+1, max_age, Dm+1) the stock by whole months in its stay
    observed: np.ndarray  # (months + 1, K+1) children per step on the 1st of each month
    observed_from_given: bool
    age_source: str  # "birth_date", "birth_year" or "age"
    entries_mode: str  # "constant" or "trend"
    entry_trend: EntryTrend | None
    truncated: int  # stays begun before the window and open at its start
    findings: tuple[Finding, ...] = ()
    notes: tuple[Msg, ...] = ()
    source_format: str = "csv"

    @property
    def window_years(self) -> float:
        return (self.window[1] - self.window[0]) / 12.0

    @property
    def start_year(self) -> int:
        """The first projection year: the year that begins at (or after) the window's end."""
        end = self.window[1]
        return int(end // 12) + (0 if end % 12 == 0 else 1)

    def rates(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.exposure[:, None] > 0, self.events / self.exposure[:, None], 0.0)

    def monthly(self) -> np.ndarray:
        """(K+1, K+1, n_age, n_dur) monthly probabilities (competing risks)."""
        lam = self.rates()
        tot = lam.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(tot > 0, lam / tot * (1 - np.exp(-tot)), 0.0)

    def entries_per_year(self) -> np.ndarray:
        """(K+1, n_age) new children per year for the first projection year: the window's
        average (constant), or the trend's level then, split as in the window (trend)."""
        const = self.entries / self.window_years
        if self.entry_trend is None or self.entries.sum() == 0:
            return const
        mid = (12 * self.start_year + 6 - self.window[1]) / 12
        return self.entries / self.entries.sum() * self.entry_trend.per_year_at(mid)

    def rows(self) -> list[dict]:
        """One row per observed move: counts, exposure, rate, probability, 95 % interval."""
        ids = self.ladder.ids
        prob = self.monthly()
        out = []
        for f, t, a, d in zip(*np.nonzero(self.events), strict=True):
            k, e = int(self.events[f, t, a, d]), float(self.exposure[f, a, d])
            lo, hi = garwood(k, e)
            out.append(
                {
                    "from": ids[f],
                    "to": ids[t],
                    "ages": band_label(self.age_bands, a, self.max_age),
                    "months": band_label(self.duration_bands, d, None),
                    "events": k,
                    "exposure_months": e,
                    "rate": k / e,
                    "monthly": float(prob[f, t, a, d]),
                    "ci95": [1 - math.exp(-lo), 1 - math.exp(-hi)],
                }
            )
        return out

    def entry_rows(self) -> list[dict]:
        ids = self.ladder.ids
        out = []
        yrs = self.window_years
        level = self.entries_per_year()
        for s, a in zip(*np.nonzero(self.entries), strict=True):
            n = int(self.entries[s, a])
            lo, hi = garwood(n, yrs)
            f = float(level[s, a]) / (n / yrs)  # the trend's level relative to the average
            out.append(
                {
                    "step": ids[s],
                    "ages": band_label(self.age_bands, a, self.max_age),
                    "count": n,
                    "per_year": float(level[s, a]),
                    "ci95": [lo * f, hi * f],
                }
            )
        return out


def garwood(k: int, exposure: float) -> tuple[float, float]:
    """Exact 95 % interval of a Poisson rate with k events in `exposure` (Garwood 1936)."""
    from scipy.stats import chi2

    lo = chi2.ppf(0.025, 2 * k) / 2 if k > 0 else 0.0
    hi = chi2.ppf(0.975, 2 * k + 2) / 2
    return lo / exposure, hi / exposure


def band_label(edges: list[int], i: int, top: int | None) -> str:
    a = edges[i]
    if i + 1 < len(edges):
        return f"{a}-{edges[i + 1] - 1}"
    return f"{a}-{top - 1}" if top is not None else f"{a}-"


def _check_bands(age_bands: list[int], duration_bands: list[int], max_age: int) -> None:
    for name, edges in (("age-bands", age_bands), ("duration-bands", duration_bands)):
        if edges[0] != 0 or any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
            raise InputError(Msg("--{name} skal starte ved 0 og stige, fx 0,3,6,12", name=name))
    if age_bands[-1] >= max_age:
        raise InputError(
            Msg(
                "den sidste aldersgrænse {edge} er ikke under max-age {max_age}",
                edge=age_bands[-1],
                max_age=max_age,
            )
        )


def fit(
    path: str | Path | EpisodeSet,
    ladder: Ladder,
    age_bands: list[int] | None = None,
    duration_bands: list[int] | None = None,
    max_age: int = 18,
    as_of: dt.date | None = None,
    gap_days: int = 31,
    *,
    observed_from: dt.date | None = None,
    codes: str | Path | None = None,
    source_format: Format = "auto",
    entries: Entries = "constant",
) -> FitResult:
    """Fit `path` (an export, or episodes already read) on `ladder`; see the module doc."""
    eps = (
        path if isinstance(path, EpisodeSet) else read_register(path, ladder, codes, source_format)
    )
    age_bands = list(age_bands or [0])
    duration_bands = list(duration_bands or [0])
    _check_bands(age_bands, duration_bands, max_age)
    w1 = month_index(as_of) if as_of else eps.latest
    episodes = as_of_view(list(eps.episodes), w1) if as_of else list(eps.episodes)
    w0 = month_index(observed_from) if observed_from else min(e.start for e in eps.episodes)
    if not episodes or w1 <= w0:
        raise InputError(
            Msg(
                "{path}: observationsperioden er tom (eksportdatoen er for tidlig)", path=eps.source
            )
        )
    by_child, found = clean(episodes, exact_births=eps.age_source == "birth_date")
    st = stays(by_child, gap_days / (365.25 / 12), max_age)
    n = len(ladder.ids)
    c = count(st, n, age_bands, duration_bands, max_age, w0, w1)
    trend = fit_trend(c.entry_times, w1 - w0) if entries == "trend" else None
    notes = [age_note(eps.age_source), window_note(w0, w1, observed_from is not None, c)]
    findings = [*eps.findings, *found]
    if observed_from is None:
        hint = extract_hint(episodes, w0)
        if hint is not None:
            first, n_open = hint
            findings.append(Finding("LOOKS_LIKE_EXTRACT", n_open))
            notes.append(
                Msg(
                    "advarsel: data ligner et udtræk fra omkring {date}: {n} forløb er åbne "
                    "dér, men intet forløb slutter før; angiv --observed-from {date}, ellers "
                    "tælles årene før som observeret uden nye børn",
                    date=month_date(first).isoformat(),
                    n=n_open,
                )
            )
    notes.append(entries_note(entries, trend))
    return FitResult(
        ladder,
        age_bands,
        duration_bands,
        max_age,
        (w0, w1),
        c.exposure,
        c.events,
        c.entries,
        c.stock,
        len(episodes),
        st.n_children,
        c.censored,
        c.stock_months,
        c.observed,
        observed_from is not None,
        eps.age_source,
        entries,
        trend,
        c.truncated,
        tuple(findings),
        tuple(notes),
        eps.source_format,
    )


def observed_stock(
    eps: EpisodeSet, ladder: Ladder, start: float, end: float, max_age: int = 18, gap_days=31
) -> np.ndarray:
    """(months + 1, K+1) children per step on the first day of each month from `start` to
    `end` (month indices), from cleaned stays — e.g. what a back-test compares with."""
    by_child, _ = clean(list(eps.episodes), exact_births=eps.age_source == "birth_date")
    st = stays(by_child, gap_days / (365.25 / 12), max_age)
    return count(st, len(ladder.ids), [0], [0], max_age, start, end).observed
