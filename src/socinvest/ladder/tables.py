"""Compile a population (and a scenario's overrides) into the numeric tables both engines use.

Axes: tracked steps k = 0..K-1 are the ladder's steps 1..K (step 0, the universal level, is
outside the model). Transition targets j = 0..K: j = 0 is "case closed" (back to step 0),
j = k + 1 is tracked step k; the diagonal (j = k + 1 from k) holds the probability of staying.
Every array has a leading draw axis (one draw for a plain projection).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ..i18n import Msg
from .levers import Cap, add_entrants, cap_of
from .load import Model, band_span
from .model import (
    MAX_FACTOR,
    CaseloadOverride,
    Effect,
    EntrantsOverride,
    EntriesOverride,
    PlacementCap,
    TransfersOverride,
    TransitionsOverride,
    parse_range,
)


@dataclass(frozen=True)
class Segment:
    """Tables in force from `start_month` (0 = January of the first year)."""

    start_month: int
    P: np.ndarray  # (draws, K, K+1, n_age_bands, n_duration_bands); rows sum to 1
    entries: np.ndarray  # (draws, K, max_age): new children per year by step and age (years)
    cap: tuple[Cap, ...] | None = None  # caps, targets and transfers, in the scenario's order
    # (draws, K, max_age): absolute children per year added (or, negative, removed) after any
    # trend in the entries; the engines never let the entries fall below zero
    entrants: np.ndarray | None = None


@dataclass(frozen=True)
class Tables:
    steps: tuple[str, ...]  # tracked step ids (ladder steps 1..K)
    labels: tuple[str, ...]
    placement: np.ndarray  # (K,) bool
    start: int
    years: int
    max_age: int
    age_band: np.ndarray  # (max_age,) band index of each age in years
    duration_edges: tuple[int, ...]
    stock: np.ndarray  # (K, max_age) children on 1 January of `start`
    initial_months: str | int
    segments: tuple[Segment, ...]
    draws: int = 1
    notes: tuple[str, ...] = field(default_factory=tuple)
    labels_en: tuple[str, ...] = ()  # English labels (the Danish one where a step has none)
    # (K, max_age, Dm+1) shares of the stock by months in the step (None: initial_months);
    # a (step, age) whose shares are all 0 falls back to initial_months
    stock_months: np.ndarray | None = None
    entries_growth: float = 1.0  # entries × growth ** ((m + 0.5) / 12 − 0.5) in month m

    def growth_at(self, month: int) -> float:
        """The factor on the entries of projection month `month` (1 without a trend)."""
        return float(self.entries_growth ** ((month + 0.5) / 12 - 0.5))

    @property
    def K(self) -> int:  # noqa: N802
        return len(self.steps)

    @property
    def months(self) -> int:
        return 12 * self.years

    @property
    def A(self) -> int:  # noqa: N802 - age axis in months
        return 12 * self.max_age

    @property
    def Dm(self) -> int:  # noqa: N802 - last duration state ("this many months or more")
        return self.duration_edges[-1]

    def duration_band(self) -> np.ndarray:
        """(Dm+1,) duration band of each duration state 0..Dm."""
        return np.searchsorted(np.asarray(self.duration_edges), np.arange(self.Dm + 1), "right") - 1

    def age_band_months(self) -> np.ndarray:
        return np.repeat(self.age_band, 12)

    def segment_at(self, month: int) -> Segment:
        seg = self.segments[0]
        for s in self.segments:
            if s.start_month <= month:
                seg = s
        return seg

    def full_P(self, seg: Segment) -> np.ndarray:  # noqa: N802
        """(draws, K, K+1, A, Dm+1): probabilities by age in months and duration state."""
        return seg.P[:, :, :, self.age_band_months()][..., self.duration_band()]


def _ages(counts: dict, max_age: int) -> np.ndarray:
    """Age range -> children, spread evenly over the years of each range."""
    out = np.zeros(max_age)
    for key, n in counts.items():
        a, b = parse_range(key)
        b = max_age - 1 if b is None else b
        out[a : b + 1] += n / (b - a + 1)
    return out


def _stock_months(pop, K: int, ids: list[str]) -> np.ndarray | None:
    """(K, max_age, Dm+1) shares of the stock by duration state from `stock_months` (a range
    of months spread evenly over its states; an open range or one past Dm goes to Dm)."""
    if not pop.stock_months:
        return None
    Dm = pop.duration_bands[-1]
    out = np.zeros((K, pop.max_age, Dm + 1))
    for s, by_age in pop.stock_months.items():
        k = ids.index(s) - 1
        for key, by_months in by_age.items():
            a, b = parse_range(key)
            b = pop.max_age - 1 if b is None else b
            for mkey, n in by_months.items():
                lo, hi = parse_range(mkey, "range")
                lo, hi = min(lo, Dm), Dm if hi is None else min(hi, Dm)
                out[k, a : b + 1, lo : hi + 1] += n / ((b - a + 1) * (hi - lo + 1))
    tot = out.sum(axis=2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, out / tot, 0.0)


def size_keys(model: Model) -> list[tuple[int, str, Effect | float]]:
    """(override index, field, size) of every effect size of the scenario."""
    out: list[tuple[int, str, Effect | float]] = []
    if model.scenario is None:
        return out
    for i, o in enumerate(model.scenario.overrides):
        for f in ("factor", "elasticity"):
            if hasattr(o, f):
                out.append((i, f, getattr(o, f)))
    return out


def size_value(v: Effect | float) -> float:
    return v.value if isinstance(v, Effect) else float(v)


MAX_CELLS = 5_000_000
"""Probabilities the engines may hold at once: (draws, steps, targets, months of age, duration
states), 40 MB of floats (the Markov engine keeps a few copies). The example ladder needs
120.000 per draw; Monte Carlo takes fewer draws at a time when one draw is large."""


def cells_per_draw(model: Model) -> int:
    """Probabilities per draw of the full transition table (`Tables.full_P`)."""
    pop = model.population
    K = len(model.ladder.ids) - 1
    return K * (K + 1) * 12 * pop.max_age * (pop.duration_bands[-1] + 1)


def check_size(model: Model, draws: int = 1) -> None:
    """Refuse a model whose tables would not fit in `MAX_CELLS` (a clear message, not GiBs)."""
    if cells_per_draw(model) * draws > MAX_CELLS:
        raise InputError(
            Msg(
                "{path}: modellen er for stor ({steps} trin, max_age {max_age}, sidste "
                "varighedsgrænse {edge}); brug færre trin eller en lavere varighedsgrænse",
                path=model.path,
                steps=len(model.ladder.ids) - 1,
                max_age=model.population.max_age,
                edge=model.population.duration_bands[-1],
            )
        )


def build_tables(
    model: Model,
    scenario: bool = True,
    sizes: dict[tuple[int, str], np.ndarray] | None = None,
    draws: int = 1,
    years: int | None = None,
    clip: bool = False,
    monthly: np.ndarray | None = None,
    entries: np.ndarray | None = None,
    skip: int | None = None,
) -> Tables:
    """Tables of the baseline (`scenario=False`) or of the scenario. `sizes` gives effect sizes
    per draw ((override index, field) -> (draws,)); missing ones take their value. With
    `clip`, probabilities that a drawn effect pushes above 1 are scaled down (Monte Carlo);
    otherwise that is an error. `monthly` ((draws, transitions)) and `entries` ((draws, K,
    max_age) per year) replace the file's probabilities and entries by draws from their
    posterior (ladder/posterior.py). `skip` leaves out one override (the idle-lever check)."""
    lad, pop = model.ladder, model.population
    ids = lad.ids
    K = len(ids) - 1
    nb, nd = len(pop.age_bands), len(pop.duration_bands)
    check_size(model, draws)
    age_band = np.searchsorted(np.asarray(pop.age_bands), np.arange(pop.max_age), "right") - 1

    P0 = np.zeros((draws, K, K + 1, nb, nd))
    for i_t, t in enumerate(pop.transitions):
        k = ids.index(t.from_) - 1
        j = ids.index(t.to)
        ai, aj = band_span(t.ages, pop.age_bands, pop.max_age) if t.ages else (0, nb)
        di, dj = band_span(t.months, pop.duration_bands, None) if t.months else (0, nd)
        p = t.monthly if monthly is None else monthly[:, i_t, None, None]
        P0[:, k, j, ai:aj, di:dj] = p
    E0 = np.zeros((K, pop.max_age))
    for s, counts in pop.entries.items():
        E0[ids.index(s) - 1] = _ages(counts, pop.max_age)
    E0d = np.broadcast_to(E0, (draws, *E0.shape)) if entries is None else entries
    stock = np.zeros((K, pop.max_age))
    for s, counts in pop.stock.items():
        stock[ids.index(s) - 1] = _ages(counts, pop.max_age)

    overrides = list(model.scenario.overrides) if (scenario and model.scenario) else []
    if skip is not None:
        overrides = [o for i, o in enumerate(overrides) if i != skip]
    starts = sorted({pop.start} | {o.from_year or pop.start for o in overrides})

    def size(i: int, f: str, v) -> np.ndarray:
        if sizes is not None and (i, f) in sizes:
            return np.asarray(sizes[(i, f)], float).reshape(draws)
        return np.full(draws, size_value(v))

    segments = []
    for y in starts:
        active = [(i, o) for i, o in enumerate(overrides) if (o.from_year or pop.start) <= y]
        out = P0.copy()
        for k in range(K):
            out[:, k, k + 1] = 0.0
        E = np.array(E0d, float)
        caps: list[Cap] = []
        extra = np.zeros_like(E)
        for i, o in active:
            if isinstance(o, TransitionsOverride):
                f = size(i, "factor", o.factor)[:, None, None]
                ai, aj = band_span(o.ages, pop.age_bands, pop.max_age) if o.ages else (0, nb)
                di, dj = band_span(o.months, pop.duration_bands, None) if o.months else (0, nd)
                for s in o.from_:
                    k = ids.index(s) - 1
                    for target in o.to:
                        j = ids.index(target)
                        if j != k + 1:
                            out[:, k, j, ai:aj, di:dj] *= f
            elif isinstance(o, CaseloadOverride):
                el = size(i, "elasticity", o.elasticity)
                with np.errstate(over="ignore"):  # a drawn elasticity may overflow: capped
                    f = np.minimum((o.before / o.after) ** el, MAX_FACTOR)[:, None, None, None]
                for s in o.steps or ids[1:]:
                    k = ids.index(s) - 1
                    out[:, k, : k + 1] *= f  # targets below the step: closed and lower steps
            elif isinstance(o, EntriesOverride):
                f = size(i, "factor", o.factor)[:, None]
                a, b = parse_range(o.ages) if o.ages is not None else (0, pop.max_age - 1)
                b = pop.max_age - 1 if b is None else b
                for s in o.steps:
                    k = ids.index(s) - 1
                    removed = E[:, k, a : b + 1] * (1 - f)
                    E[:, k, a : b + 1] -= removed
                    if o.redirect_to is not None:
                        E[:, ids.index(o.redirect_to) - 1, a : b + 1] += removed
            elif isinstance(o, PlacementCap | TransfersOverride):
                caps.append(cap_of(o, lad, ids))
            elif isinstance(o, EntrantsOverride):
                add_entrants(o, E, extra, ids, pop.max_age)
        total = out.sum(axis=2)  # (draws, K, nb, nd)
        if np.any(total > 1 + 1e-12):
            if not clip:
                d, k, a, dd = np.argwhere(total > 1 + 1e-12)[0]
                raise InputError(
                    Msg(
                        "{path}: scenariet får sandsynlighederne pr. måned ud af {step} til at "
                        "summe til {sum} (> 1) fra {year}; sæt faktorerne ned",
                        path=model.path,
                        step=repr(ids[k + 1]),
                        sum=format(total[d, k, a, dd], ".4g"),
                        year=y,
                    )
                )
            over = np.maximum(total, 1.0)
            out /= over[:, :, None]
            total = out.sum(axis=2)
        for k in range(K):
            out[:, k, k + 1] = np.clip(1.0 - total[:, k], 0.0, 1.0)
        segments.append(
            Segment(
                12 * (y - pop.start),
                out,
                np.maximum(E, 0.0),
                tuple(caps) or None,
                extra if extra.any() else None,
            )
        )

    return Tables(
        steps=tuple(ids[1:]),
        labels=tuple(s.label for s in lad.steps[1:]),
        placement=np.array([s.placement for s in lad.steps[1:]]),
        start=pop.start,
        years=years or pop.years,
        max_age=pop.max_age,
        age_band=age_band,
        duration_edges=tuple(pop.duration_bands),
        stock=stock,
        initial_months=pop.initial_months,
        segments=tuple(segments),
        draws=draws,
        labels_en=tuple(s.label_en or s.label for s in lad.steps[1:]),
        stock_months=_stock_months(pop, K, ids),
        entries_growth=pop.entries_trend.per_year if pop.entries_trend else 1.0,
    )
