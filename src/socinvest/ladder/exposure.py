"""Occurrences and exposure of stays inside an observation window, vectorised over stays.

Every stay contributes its time at risk inside [w0, w1) — and before the `max_age` birthday
— to the cells (step, age band, duration band) it passes through. Duration is the time since
the *stay* began, also for a stay that began before w0 (left truncation: only the time inside
the window counts, with its true time in step). A move is an event in the cell the child was
in just before it (a stay of exactly six months ends in the band 0-5); a stay that ends on
or after the `max_age` birthday ages out (no event).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .episodes import Stays


@dataclass(frozen=True)
class Counts:
    exposure: np.ndarray  # (K+1 from, n_age, n_dur) months at risk
    events: np.ndarray  # (K+1 from, K+1 to, n_age, n_dur)
    entries: np.ndarray  # (K+1 step, n_age) new children in the window
    entry_times: np.ndarray  # months since w0 of each entry in the window
    stock: np.ndarray  # (K+1, max_age) open at w1
    stock_months: np.ndarray  # (K+1, max_age, Dm+1) open at w1 by whole months in the stay
    observed: np.ndarray  # (months + 1, K+1) children per step on the first of each month
    censored: int  # stays in the window that end without a move in it
    truncated: int  # stays that began before w0 and were still open at w0


def _ro(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def count(
    st: Stays,
    n_steps: int,
    age_bands: list[int],
    duration_bands: list[int],
    max_age: int,
    w0: float,
    w1: float,
) -> Counts:
    n = n_steps
    ae = np.asarray(age_bands, float) * 12
    de = np.asarray(duration_bands, float)
    na, nd, Dm = len(ae), len(de), int(duration_bands[-1])
    out = st.out
    stop = np.minimum(st.end, out)
    lo = np.maximum(st.start, w0)
    hi = np.minimum(stop, w1)
    inside = hi > lo
    s = np.flatnonzero(inside)
    b, t0 = st.birth[s, None, None], st.start[s, None, None]
    a_lo = b + ae[None, :, None]
    a_hi = b + np.append(ae[1:], np.inf)[None, :, None]
    d_lo = t0 + de[None, None, :]
    d_hi = t0 + np.append(de[1:], np.inf)[None, None, :]
    top = np.minimum(np.minimum(hi[s, None, None], a_hi), d_hi)
    bottom = np.maximum(np.maximum(lo[s, None, None], a_lo), d_lo)
    exposure = np.zeros((n, na, nd))
    np.add.at(exposure, st.step[s], np.clip(top - bottom, 0.0, None))

    ev = (st.to >= 0) & (st.end < out) & (st.end > w0) & (st.end <= w1) & (st.end > st.start)
    e = np.flatnonzero(ev)
    a = np.maximum(np.searchsorted(ae, st.end[e] - st.birth[e], "left") - 1, 0)
    d = np.maximum(np.searchsorted(de, st.end[e] - st.start[e], "left") - 1, 0)
    events = np.zeros((n, n, na, nd))
    np.add.at(events, (st.step[e], st.to[e], a, d), 1.0)

    age0 = st.start - st.birth
    en = st.entry & (st.start >= w0) & (st.start < w1) & (age0 >= 0) & (age0 < 12 * max_age)
    i = np.flatnonzero(en)
    entries = np.zeros((n, na))
    np.add.at(entries, (st.step[i], np.searchsorted(ae, age0[i], "right") - 1), 1.0)

    open_ = (st.start < w1) & (stop > w1) & (st.birth <= w1)  # a start at w1 is an entry
    j = np.flatnonzero(open_)
    age_y = np.floor((w1 - st.birth[j]) / 12).astype(np.int64)
    dur = np.minimum(np.floor(w1 - st.start[j]), Dm).astype(np.int64)
    stock_months = np.zeros((n, max_age, Dm + 1))
    np.add.at(stock_months, (st.step[j], age_y, dur), 1.0)

    grid = w0 + np.arange(int(np.floor(w1 - w0 + 1e-9)) + 1)
    observed = np.zeros((grid.size, n))
    for k in range(1, n):
        mine = st.step == k
        starts, stops = np.sort(st.start[mine]), np.sort(stop[mine])
        observed[:, k] = np.searchsorted(starts, grid, "right") - np.searchsorted(
            stops, grid, "right"
        )
    censored = int(inside.sum() - ev[inside].sum())
    truncated = int(((st.start < w0) & (stop > w0)).sum())
    return Counts(
        _ro(exposure),
        _ro(events),
        _ro(entries),
        _ro(np.sort(st.start[i] - w0)),
        _ro(stock_months.sum(axis=2)),
        _ro(stock_months),
        _ro(observed),
        censored,
        truncated,
    )
