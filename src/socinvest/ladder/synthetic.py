"""A synthetic register with a known truth, to test and benchmark the fit (docs/ladder.md).

Continuous time (calendar months as floats): children enter care at a known rate per step and
year of age, growing by `growth` per year; in care, each child meets competing hazards that
are constant within (step, age band, months in the *stay*) and move it to another step,
out of care, or — the diagonal — to a new episode in the same step (a change of carer or of
legal status: a new row in the register, the stay goes on). A child leaves on the `max_age`
birthday. Every random number comes from one seeded generator, so a world is reproducible.

`simulate(world, seed, start, end)` gives the full `History` (exact times); from it,
`episodes_csv` / `ssda903_csv` write the project's CSV or an SSDA903 episode table — the full
history or an extract of the years before `end` (episodes open during the window, with their
true start dates); `exact_counts` is the occurrence/exposure of the exact stays with the true
ages (the sampling-noise floor); `futures` continues the children in care at `end` with fresh
random numbers (the truth a projection is compared with).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from .episodes import Stays, birthday, month_date
from .exposure import Counts, count
from .load import DEFAULT_LADDER, load_ladder
from .model import Ladder

PLACE = {"network": ("U1", "U2", "U3"), "foster": ("U4", "U5", "U6"), "institution": ("K2", "R1")}


@dataclass(frozen=True)
class World:
    ladder: Ladder
    age_bands: tuple[int, ...]
    duration_bands: tuple[int, ...]
    hazards: np.ndarray  # (K+1 from, K+1 to, n_age, n_dur) per month; [k, k]: new episode
    entries: np.ndarray  # (K+1 step, max_age) new children per year at month `t_ref`
    growth: float  # entries × growth per year
    t_ref: float
    max_age: int = 18


def default_world(entries_per_year: float = 800.0, growth: float = 1.03) -> World:
    """A plausible care system on the standard ladder: network, foster and institution."""
    lad = load_ladder(DEFAULT_LADDER)
    n = len(lad.ids)
    net, fos, ins = (lad.index(s) for s in ("network", "foster", "institution"))
    ages, durs = (0, 1, 5, 10, 16), (0, 6, 12)
    h = np.zeros((n, n, len(ages), len(durs)))
    leave_age = np.array([0.030, 0.022, 0.016, 0.012, 0.030])  # by age band
    leave_dur = np.array([2.2, 1.4, 1.0])  # by months in the stay: first six months most
    for k, f in ((net, 0.9), (fos, 1.0), (ins, 1.3)):
        h[k, 0] = f * leave_age[:, None] * leave_dur[None, :]
    h[net, fos] = 0.004
    h[net, ins] = 0.001
    h[fos, net] = 0.002
    h[fos, ins] = np.array([0.001, 0.001, 0.002, 0.004, 0.005])[:, None]
    h[ins, fos] = np.array([0.010, 0.010, 0.009, 0.007, 0.004])[:, None]
    h[ins, net] = 0.002
    h[net, net], h[fos, fos], h[ins, ins] = 0.012, 0.020, 0.030  # new episodes, same stay
    by_age = np.r_[2.5, np.full(4, 0.9), np.full(5, 0.8), np.full(6, 1.1), 0.8, 0.5]
    by_age /= by_age.sum()
    e = np.zeros((n, 18))
    mix = {net: 0.25, fos: 0.55, ins: 0.20}
    for k, share in mix.items():
        e[k] = entries_per_year * share * by_age
    e[ins] *= np.r_[np.zeros(6), np.full(12, 1.0)] * (1 / by_age[6:].sum())  # no babies
    return World(lad, ages, durs, h, e, growth, t_ref=12 * 2020.0)


@dataclass(frozen=True)
class History:
    """Every episode: child, exact birth, step, start, end (inf: open at `end`), the start of
    its stay, its stay's number, and `how` it ended: a step (a move or, for its own step, a
    new episode), 0 = out of care, -1 = open, -2 = aged out."""

    world: World
    start_time: float
    end_time: float
    child: np.ndarray
    birth: np.ndarray
    step: np.ndarray
    start: np.ndarray
    end: np.ndarray
    stay_start: np.ndarray
    stay: np.ndarray
    how: np.ndarray

    def in_care(self, t: float) -> int:
        return int(((self.start <= t) & (self.end > t)).sum())

    def stays(self) -> Stays:
        """The exact stays (first episode's start, last episode's end) — each child's first
        stay is its entry."""
        key = self.child * 1000 + self.stay
        order = np.lexsort((self.start, key))
        k = key[order]
        first = np.r_[True, k[1:] != k[:-1]]
        last = np.r_[k[1:] != k[:-1], True]
        f, la = order[first], order[last]
        how = self.how[la]
        to = np.where(how == -2, 0, how)
        end = np.where(how == -1, np.inf, self.end[la])
        return Stays(
            self.child[f],
            self.birth[f],
            self.step[f],
            self.stay_start[f],
            end,
            to,
            self.stay[f] == 0,
            int(np.unique(self.child).size),
            self.birth[f] + 12 * self.world.max_age,
        )


def _entrants(world: World, rng: np.random.Generator, t0: float, t1: float):
    months = np.arange(math.floor(t0), math.ceil(t1))
    rate = (
        world.entries[None]
        / 12.0
        * world.growth ** ((months[:, None, None] + 0.5 - world.t_ref) / 12)
    )
    n = rng.poisson(rate).ravel()
    m, k, a = np.unravel_index(np.repeat(np.arange(n.size), n), rate.shape)
    t = months[m] + rng.random(m.size)
    birth = t - 12 * a - 12 * rng.random(m.size)
    keep = (t >= t0) & (t < t1)
    return t[keep], birth[keep], k[keep]


def _run(world: World, rng, t1: float, cid, birth, step, stay_start, t, stay_no) -> History:
    """Follow every child from its own time t to t1 (vectorised; each child its own clock)."""
    ae = np.asarray(world.age_bands, float) * 12
    de = np.asarray(world.duration_bands, float)
    ae_next, de_next = np.append(ae[1:], np.inf), np.append(de[1:], np.inf)
    rec: list[tuple] = []
    ep_start = t.copy()
    act = np.arange(cid.size)
    while act.size:
        b, k, ss, tt = birth[act], step[act], stay_start[act], t[act]
        ai = np.clip(np.searchsorted(ae, tt - b, "right") - 1, 0, None)
        di = np.clip(np.searchsorted(de, tt - ss, "right") - 1, 0, None)
        bounds = np.stack(
            [b + ae_next[ai], ss + de_next[di], b + 12 * world.max_age, np.full(act.size, t1)]
        )
        which = bounds.argmin(axis=0)
        bound = bounds[which, np.arange(act.size)]
        lam = world.hazards[k, :, ai, di]  # (n, K+1)
        tot = lam.sum(axis=1)
        with np.errstate(divide="ignore"):
            te = tt + rng.exponential(1.0, act.size) / tot
        hit = te < bound
        j = (np.cumsum(lam, axis=1) < (rng.random(act.size) * tot)[:, None]).sum(axis=1)
        j = np.minimum(j, lam.shape[1] - 1)
        # episodes that end now: a hit (move, new episode, out of care), aged out, or open at t1
        ends = hit | (which >= 2)
        how = np.where(hit, j, np.where(which == 2, -2, -1))
        end = np.where(hit, te, np.where(which == 2, bound, np.inf))
        e = act[ends]
        rec.append(
            (
                cid[e],
                birth[e],
                step[e],
                ep_start[e],
                end[ends],
                stay_start[e],
                stay_no[e],
                how[ends],
            )
        )
        # the children who go on
        t[act] = np.where(hit, te, bound)
        moved = hit & (j != k) & (j > 0)
        step[act[moved]] = j[moved]
        stay_start[act[moved]] = te[moved]
        stay_no[act[moved]] += 1
        ep_start[act[hit]] = te[hit]
        go_on = ~(hit & (j == 0)) & (which < 2) | (hit & (j > 0))
        act = act[go_on]
    cols = [np.concatenate([r[i] for r in rec]) if rec else np.zeros(0) for i in range(8)]
    return History(
        world,
        float("nan"),
        t1,
        cols[0].astype(np.int64),
        cols[1],
        cols[2].astype(np.int64),
        cols[3],
        cols[4],
        cols[5],
        cols[6].astype(np.int64),
        cols[7].astype(np.int64),
    )


def simulate(world: World, seed: int, start: float, end: float) -> History:
    """The full history from an empty system at `start` (month index) to `end`: begin at least
    `max_age` years before the window you need, so that everyone in care then is in it."""
    rng = np.random.default_rng(seed)
    t, birth, k = _entrants(world, rng, start, end)
    n = t.size
    h = _run(
        world, rng, end, np.arange(n), birth, k.copy(), t.copy(), t.copy(), np.zeros(n, np.int64)
    )
    return History(
        world,
        start,
        end,
        *(
            getattr(h, f)
            for f in ("child", "birth", "step", "start", "end", "stay_start", "stay", "how")
        ),
    )


def futures(history: History, seeds: range | list[int], months: int = 60) -> np.ndarray:
    """(len(seeds), months // 12 + 1) children in care every 12 months from `end`, each future
    continuing the children in care at `end` (their step, age and time in stay) and new
    entrants with its own random numbers."""
    w, t0 = history.world, history.end_time
    open_ = history.how == -1
    out = np.zeros((len(seeds), months // 12 + 1))
    for r, seed in enumerate(seeds):
        rng = np.random.default_rng([seed, 7])
        t, birth, k = _entrants(w, rng, t0, t0 + months)
        cid = np.r_[history.child[open_], -1 - np.arange(t.size)]
        h = _run(
            w,
            rng,
            t0 + months,
            cid,
            np.r_[history.birth[open_], birth],
            np.r_[history.step[open_], k],
            np.r_[history.stay_start[open_], t],
            np.r_[np.full(open_.sum(), t0), t],
            np.r_[history.stay[open_], np.zeros(t.size, np.int64)],
        )
        out[r] = [h.in_care(t0 + 12 * y) if y else open_.sum() for y in range(months // 12 + 1)]
    return out


def exact_counts(history: History, w0: float, w1: float) -> Counts:
    """Occurrence/exposure of the exact stays in [w0, w1) with the true ages and times in
    stay: the sampling-noise floor of any fit of these data."""
    w = history.world
    return count(
        history.stays(),
        len(w.ladder.ids),
        list(w.age_bands),
        list(w.duration_bands),
        w.max_age,
        w0,
        w1,
    )


def rate_error(rates: np.ndarray, world: World, max_age_band: int = 16) -> float:
    """Root mean square relative error of move rates against the truth, over the cells with a
    true rate (moves between steps and out of care; ages in bands below `max_age_band`)."""
    truth = world.hazards.copy()
    n = truth.shape[0]
    truth[np.arange(n), np.arange(n)] = 0.0
    young = np.asarray(world.age_bands) < max_age_band
    mask = (truth > 0) & young[None, None, :, None]
    rel = (rates[mask] - truth[mask]) / truth[mask]
    return float(np.sqrt(np.mean(rel**2)))


def _window(h: History, years: int | None):
    """Episodes of the register (all, or those open on any day of the last `years` years,
    including one that ends on the first day), by child and start."""
    keep = h.start < h.end_time
    if years is not None:
        w0 = month_date(h.end_time - 12 * years)
        keep &= np.array([e == np.inf or month_date(e) >= w0 for e in h.end])
    return np.flatnonzero(keep)[np.lexsort((h.start[keep], h.child[keep]))]


def _end_date(h: History, i: int) -> dt.date:
    """The end as a register dates it: an age-out on the birthday itself."""
    if h.how[i] == -2:
        return birthday(month_date(h.birth[i]), h.world.max_age)
    return month_date(h.end[i])


def episodes_csv(h: History, years: int | None = None) -> str:
    """The project's CSV (child_id;birth_date;step;start;end): the full history, or the
    episodes open during the last `years` years before the end (an extract)."""
    ids = h.world.ladder.ids
    rows = ["child_id;birth_date;step;start;end"]
    for i in _window(h, years):
        end = "" if h.end[i] > h.end_time else _end_date(h, i).isoformat()
        rows.append(
            f"S{h.child[i]:06d};{month_date(h.birth[i]).isoformat()};{ids[h.step[i]]};"
            f"{month_date(h.start[i]).isoformat()};{end}"
        )
    return "\n".join(rows) + "\n"


def ssda903_csv(h: History, years: int | None = None, seed: int = 0) -> str:
    """The same episodes as an SSDA903 episode table (dates dd/mm/yyyy; PLACE codes by step,
    RNE S/P/L, REC X1 for a move or a new episode, E4A out of care, E17 at 18)."""
    rng = np.random.default_rng(seed)
    ids = h.world.ladder.ids
    head = "CHILD,SEX,DOB,ETHNIC,UPN,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
    rows = [head]

    def d(m: float) -> str:
        return month_date(m).strftime("%d/%m/%Y")

    for i in _window(h, years):
        codes = PLACE[ids[h.step[i]]]
        place = codes[int(rng.integers(len(codes)))]
        rne = "S" if h.stay[i] == 0 and h.stay_start[i] == h.start[i] else "P"
        open_ = h.end[i] > h.end_time
        how = int(h.how[i])
        rec = "" if open_ else ("E17" if how == -2 else "E4A" if how == 0 else "X1")
        sex = 1 + int(h.child[i] % 2)
        rows.append(
            f"{h.child[i]},{sex},{d(h.birth[i])},WBRI,,{d(h.start[i])},{rne},C2,N1,{place},PR1,"
            f"{'' if open_ else _end_date(h, i).strftime('%d/%m/%Y')},{rec},,,,"
        )
    return "\n".join(rows) + "\n"
