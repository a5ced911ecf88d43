"""The fitted rates' posterior: what the data say about them, drawn for the Monte Carlo.

A rate estimated as k events in E months at risk has the posterior Gamma(k + ½, E) under
Jeffreys' prior (mean (k + ½)/E, close to the estimate k/E; its equal-tailed intervals cover
the true rate about as often as they claim, even for a handful of events — tested on data
with a known truth). Each drawn set of rates of a cell (step, age band, duration band) gives
its monthly probabilities as the fit does: pⱼ = (λⱼ/λ)(1 − e^(−λ)), λ the total rate out.
Entries counted n times over T years have the posterior Gamma(n + ½, T) per year.

Only what the population file carries is drawn: transitions with `events` and
`exposure_months` (written by `fit`), and `entries` when `observed_years` is given. Moves
never observed stay at zero; hand-written rates stay as written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .load import band_span
from .model import Population, parse_range

PRIOR_SHAPE = 0.5
"""Jeffreys' prior for a Poisson rate: the posterior is Gamma(k + ½, exposure)."""


@dataclass(frozen=True)
class Posterior:
    """Draws of the file's monthly probabilities ((n, transitions), None: none drawn) and
    entries per year ((n, K, max_age), None: none drawn)."""

    monthly: np.ndarray | None
    entries: np.ndarray | None


def drawn_transitions(pop: Population) -> list[int]:
    """Indices of the transitions whose rate is drawn (events and exposure given)."""
    return [
        i
        for i, t in enumerate(pop.transitions)
        if t.events is not None and t.exposure_months is not None and t.exposure_months > 0
    ]


def has_posterior(pop: Population) -> bool:
    """Whether the file carries what the posterior needs (occurrences and exposure)."""
    return bool(drawn_transitions(pop)) or (pop.observed_years is not None and bool(pop.entries))


def rate_interval(
    events: np.ndarray | float, exposure: np.ndarray | float, level: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """The equal-tailed `level` interval of the rate's posterior Gamma(k + ½, E)."""
    from scipy.stats import gamma

    a = np.asarray(events, float) + PRIOR_SHAPE
    e = np.asarray(exposure, float)
    lo = gamma.ppf((1 - level) / 2, a) / e
    hi = gamma.ppf((1 + level) / 2, a) / e
    return lo, hi


def _cell(pop: Population, t) -> tuple:
    nb, nd = len(pop.age_bands), len(pop.duration_bands)
    a = band_span(t.ages, pop.age_bands, pop.max_age) if t.ages else (0, nb)
    d = band_span(t.months, pop.duration_bands, None) if t.months else (0, nd)
    return (t.from_, a, d)


def draw_monthly(pop: Population, n: int, rng: np.random.Generator) -> np.ndarray | None:
    """(n, transitions) monthly probabilities: drawn rows from their posterior (competing
    risks within each cell), the others as written."""
    drawn = drawn_transitions(pop)
    if not drawn:
        return None
    out = np.tile(np.array([t.monthly for t in pop.transitions], float), (n, 1))
    cells: dict[tuple, list[int]] = {}
    for i in drawn:
        cells.setdefault(_cell(pop, pop.transitions[i]), []).append(i)
    for rows in cells.values():
        lam = np.empty((n, len(rows)))
        for c, i in enumerate(rows):
            t = pop.transitions[i]
            e = float(t.exposure_months or 0.0)  # > 0: drawn_transitions
            lam[:, c] = rng.gamma(float(t.events or 0) + PRIOR_SHAPE, 1.0 / e, n)
        tot = lam.sum(axis=1, keepdims=True)
        out[:, rows] = lam / tot * (1.0 - np.exp(-tot))
    return out


def draw_entries(
    pop: Population, steps: list[str], n: int, rng: np.random.Generator
) -> np.ndarray | None:
    """(n, K, max_age) entries per year drawn from Gamma(count + ½, observed_years), each age
    range spread evenly over its years (as the projection spreads them)."""
    T = pop.observed_years
    if T is None or not pop.entries:
        return None
    out = np.zeros((n, len(steps), pop.max_age))
    for s, counts in pop.entries.items():
        k = steps.index(s)
        for key, per_year in counts.items():
            a, b = parse_range(key)
            b = pop.max_age - 1 if b is None else b
            count = round(per_year * T)
            rate = rng.gamma(count + PRIOR_SHAPE, 1.0 / T, n)
            out[:, k, a : b + 1] += rate[:, None] / (b - a + 1)
    return out


def draw(pop: Population, steps: list[str], n: int, rng: np.random.Generator) -> Posterior:
    """`n` draws of everything the file lets us draw (tracked step ids `steps`)."""
    return Posterior(draw_monthly(pop, n, rng), draw_entries(pop, steps, n, rng))
