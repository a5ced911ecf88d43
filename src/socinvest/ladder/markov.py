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
from .tables import Tables


def initial_state(t: Tables) -> np.ndarray:
    """(K, A, Dm+1): the stock spread over the 12 months of each year of age and over the
    duration states (or at `initial_months`)."""
    by_month = np.repeat(t.stock, 12, axis=1) / 12.0  # (K, A)
    x = np.zeros((t.K, t.A, t.Dm + 1))
    if t.initial_months == "spread":
        x[:] = by_month[:, :, None] / (t.Dm + 1)
    else:
        x[:, :, min(int(t.initial_months), t.Dm)] = by_month
    return x


def monthly_entries(entries: np.ndarray) -> np.ndarray:
    """(draws, K, max_age) per year -> (draws, K, A) per month and month of age."""
    return np.repeat(entries, 12, axis=2) / 144.0


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
        x[..., 0] += em
        entered[:, m] = em.sum(axis=(1, 2))
        xt = np.ascontiguousarray(x.transpose(0, 2, 1, 3)).reshape(R, A, 1, K * D1)
        into = np.matmul(xt, move_p)[:, :, 0, :].transpose(0, 2, 1)  # (R, K, A)
        closed[:, m] = np.einsum("rkad,rkad->r", x, out_p)
        stay = x * stay_p
        new = np.zeros_like(x)
        new[..., 1:] = stay[..., :-1]
        new[..., -1] += stay[..., -1]
        new[..., 0] += into
        aged[:, m] = new[:, :, -1, :].sum(axis=(1, 2))
        new[:, :, 1:] = new[:, :, :-1]
        new[:, :, 0] = 0.0
        if seg.cap is not None:
            k, share, to = seg.cap
            tot = new.sum(axis=(2, 3))  # (R, K)
            excess = np.maximum(tot[:, k] - share * tot[:, placed].sum(axis=1), 0.0)
            with np.errstate(invalid="ignore", divide="ignore"):
                f = np.where(tot[:, k] > 0, excess / tot[:, k], 0.0)
            moved = new[:, k] * f[:, None, None]
            new[:, k] -= moved
            new[:, to, :, 0] += moved.sum(axis=2)
            capped[:, m] = excess
        x = new
        stock[:, m + 1] = x.sum(axis=(2, 3))
    return Projection(t, "markov", stock, entered, closed, aged, capped)
