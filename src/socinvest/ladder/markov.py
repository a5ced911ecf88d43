"""The expected-value engine: a Markov chain on (step, age in months, months in step).

The state is the expected number of children x[draw, step, age, duration] on the first day of
a month. Each month, in this order (the micro engine follows the same order):

1. new children arrive at duration 0 (a year's entries spread evenly over its 12 months and
   over the 12 months of each year of age);
2. each child stays with probability P[k, k] or moves to step j (or closes, j = 0) with
   probability P[k, j] — for its age band and duration band;
3. stayers count one more month in the step (up to the last duration edge), movers start at
   0, everyone is one month older, and a child who reaches `max_age` leaves (ages out);
4. a placement cap, if any, moves the excess of the capped step to its `move_to` step.
"""

from __future__ import annotations

import numpy as np

from .projection import Projection
from .tables import Cap, Tables


def initial_state(t: Tables) -> np.ndarray:
    """(K, A, Dm+1): the stock spread over the 12 months of each year of age and over the
    duration states (or at `initial_months`)."""
    by_month = np.repeat(t.stock, 12, axis=1) / 12.0  # (K, A)
    x = np.zeros((t.K, t.A, t.Dm + 1))
    if t.initial_months == "spread":
        x[:] = by_month[:, :, None] / (t.Dm + 1)
    else:
        x[:, :, min(int(t.initial_months), t.Dm)] = by_month
    if t.stock_months is not None:  # the data's time in step where the file gives it
        shares = np.repeat(t.stock_months, 12, axis=1)  # (K, A, Dm+1)
        given = shares.sum(axis=2, keepdims=True) > 0
        x = np.where(given, by_month[:, :, None] * shares, x)
    return x


def monthly_entries(entries: np.ndarray) -> np.ndarray:
    """(draws, K, max_age) per year -> (draws, K, A) per month and month of age."""
    return np.repeat(entries, 12, axis=2) / 144.0


def _moved_share(c: Cap, src: np.ndarray, placed_total: np.ndarray) -> np.ndarray:
    """(R,) children to move out of `c.source` (holding `src`): the excess over the cap (exact
    when some destinations are not placements: the placed total falls with each move), or the
    transfer's children per month (at most all of them)."""
    if c.kind == "transfer":
        return np.minimum(c.share, src)
    return np.maximum(src - c.share * placed_total, 0.0) / (1.0 - c.share * c.outside)


def _cap_stock(c: Cap, new: np.ndarray, placed: np.ndarray, closed: np.ndarray) -> np.ndarray:
    """Apply a stock cap, target or transfer to the month-end state `new` in place; returns
    the children moved (R,). Moves to the first step (j = −1) close cases (added to `closed`)."""
    src = list(c.source)
    tot = new.sum(axis=(2, 3))  # (R, K)
    have = tot[:, src].sum(axis=1)
    moved_n = np.minimum(_moved_share(c, have, tot[:, placed].sum(axis=1)), have)
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(have > 0, moved_n / have, 0.0)
    moved = new[:, src] * f[:, None, None, None]
    new[:, src] -= moved
    by_age = moved.sum(axis=(1, 3))  # (R, A)
    for j, w in c.dest:
        if j < 0:
            closed += w * by_age.sum(axis=1)
        else:
            new[:, j, :, 0] += w * by_age
    return moved_n


def _cap_new(
    caps: list[Cap],
    x: np.ndarray,
    em: np.ndarray,
    move_p: np.ndarray,
    placed: np.ndarray,
    capped: np.ndarray,
) -> tuple[np.ndarray, list]:
    """Caps on the month's new placements: entries into placement steps and moves into them
    from steps that are not placements. The capped share f of both goes to the destinations:
    the entries here (returned), the moves after the month's transitions (the caller, from
    the returned (cap, f, moves into care by step and age))."""
    R, K, A, D1 = x.shape
    outside_care = np.ones(K, bool)
    outside_care[placed] = False
    xs = (x.copy()) * outside_care[None, :, None, None]
    xs[..., 0] += em * outside_care[None, :, None]
    xt = np.ascontiguousarray(xs.transpose(0, 2, 1, 3)).reshape(R, A, 1, K * D1)
    into_np = np.matmul(xt, move_p)[:, :, 0, :].transpose(0, 2, 1)  # (R, K, A)
    arrivals = em.sum(axis=2) + into_np.sum(axis=2)  # (R, K)
    em = em.copy()
    out = []
    for c in caps:
        src = list(c.source)
        have = arrivals[:, src].sum(axis=1)
        n = np.minimum(_moved_share(c, have, arrivals[:, placed].sum(axis=1)), have)
        with np.errstate(invalid="ignore", divide="ignore"):
            f = np.where(have > 0, n / have, 0.0)
        take = em[:, src] * f[:, None, None]
        em[:, src] -= take
        for j, w in c.dest:
            em[:, j] += w * take.sum(axis=1)
            arrivals[:, j] += w * n
        arrivals[:, src] *= 1 - f[:, None]
        capped += n
        out.append((c, f, into_np))
    return em, out


def project_markov(t: Tables) -> Projection:
    R, K, A, D1 = t.draws, t.K, t.A, t.Dm + 1
    M = t.months
    x = np.broadcast_to(initial_state(t), (R, K, A, D1)).copy()
    stock = np.empty((R, M + 1, K))
    stock[:, 0] = x.sum(axis=(2, 3))
    entered = np.zeros((R, M))
    closed = np.zeros((R, M))
    aged = np.zeros((R, M))
    capped = np.zeros((R, M))
    ages = np.zeros((R, t.years, K, t.max_age))
    placed = np.flatnonzero(t.placement)
    cache: dict[int, tuple] = {}
    for m in range(M):
        seg = t.segment_at(m)
        if seg.start_month not in cache:
            P = t.full_P(seg)  # (R, K, K+1, A, D1)
            diag = np.arange(K)
            stay = P[:, diag, diag + 1].copy()  # (R, K, A, D1)
            move = P[:, :, 1:].copy()
            move[:, diag, diag] = 0.0
            # (R, A, K·D1, K): "into step j at age a" is one small matrix product per age
            move_t = np.ascontiguousarray(move.transpose(0, 3, 1, 4, 2)).reshape(R, A, K * D1, K)
            cache[seg.start_month] = (stay, P[:, :, 0].copy(), move_t, monthly_entries(seg.entries))
        stay_p, out_p, move_p, em = cache[seg.start_month]
        g = t.growth_at(m)
        em = em * g
        if seg.entrants is not None:  # absolute entrants: not scaled by the trend
            em = np.maximum(em + monthly_entries(seg.entrants), 0.0)
        new_caps = [c for c in seg.cap or () if c.kind == "new"]
        redirect: list[tuple[Cap, np.ndarray, np.ndarray]] = []
        if new_caps:  # caps on new placements: entries and moves into care from outside it
            em, redirect = _cap_new(new_caps, x, em, move_p, placed, capped[:, m])
        x[..., 0] += em
        entered[:, m] = em.sum(axis=(1, 2))
        xt = np.ascontiguousarray(x.transpose(0, 2, 1, 3)).reshape(R, A, 1, K * D1)
        into = np.matmul(xt, move_p)[:, :, 0, :].transpose(0, 2, 1)  # (R, K, A)
        for c, f, into_np in redirect:  # the capped share of the moves into care goes elsewhere
            take = into_np[:, list(c.source)] * f[:, None, None]
            into[:, list(c.source)] -= take
            for j, w in c.dest:
                into[:, j] += w * take.sum(axis=1)
        closed[:, m] = np.einsum("rkad,rkad->r", x, out_p)
        stay = x * stay_p
        new = np.zeros_like(x)
        new[..., 1:] = stay[..., :-1]
        new[..., -1] += stay[..., -1]
        new[..., 0] += into
        aged[:, m] = new[:, :, -1, :].sum(axis=(1, 2))
        new[:, :, 1:] = new[:, :, :-1]
        new[:, :, 0] = 0.0
        for c in seg.cap or ():
            if c.kind != "new":
                capped[:, m] += _cap_stock(c, new, placed, closed[:, m])
        x = new
        stock[:, m + 1] = x.sum(axis=(2, 3))
        if (m + 1) % 12 == 0:  # 31 December: by year of age (back-tests by age band)
            ages[:, m // 12] = x.sum(axis=3).reshape(R, K, t.max_age, 12).sum(axis=3)
    return Projection(t, "markov", stock, entered, closed, aged, capped, ages)
