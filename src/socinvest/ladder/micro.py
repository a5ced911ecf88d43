"""The stochastic engine: a microsimulation of individual children, vectorised over children.

Each child is one int32 *cell*: (block × A + age in months) × (Dm + 1) + months in step, where
block 0 = case closed, blocks 1..K = the tracked steps and block K+1 = aged out (both closed
blocks are absorbing). Per month and child: one uniform draw u, one gather of the probability
of staying, one gather of the cell after staying and ageing; only the children who move
(u ≥ stay, a few per cent) go through `np.searchsorted` on the cumulative probabilities of
their (step, age band, duration band) row to find where they go. No per-child Python code.

Records are stored stock first, then the newcomers sorted by their month of entry, so month
m works on a prefix of the arrays. The records are processed in fixed blocks of
`BLOCK` children, each with its own random stream (`SeedSequence(seed).spawn`), in up to
`threads` threads: the numbers depend on the seed, not on the number of threads.
The month's order of events is the Markov engine's (markov.py).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..i18n import Join, Msg
from .projection import Projection
from .tables import Segment, Tables

BLOCK = 1 << 18


class _Cells:
    """Lookup tables over cells for one segment."""

    def __init__(self, t: Tables, seg: Segment) -> None:
        K, A, D1, Dm = t.K, t.A, t.Dm + 1, t.Dm
        self.A, self.D1 = A, D1
        self.block_cells, self.n_blocks = A * D1, K + 2
        n_cells = (K + 2) * A * D1
        self.aged_cell = (K + 1) * A * D1
        blk, age, dur = np.unravel_index(np.arange(n_cells), (K + 2, A, D1))
        tracked = (blk >= 1) & (blk <= K)
        ab = t.age_band_months()[age]
        db = t.duration_band()[dur]
        nb, nd = seg.P.shape[3], seg.P.shape[4]
        P = seg.P[0]  # (K, K+1, nb, nd): the micro engine runs one draw
        k = np.where(tracked, blk - 1, 0)
        stay = np.where(tracked, P[k, k + 1, ab, db], 2.0)  # 2: never moves
        nxt = np.where(
            age + 1 < A, (blk * A + np.minimum(age + 1, A - 1)) * D1 + np.minimum(dur + 1, Dm), 0
        )
        nxt = np.where(age + 1 < A, nxt, self.aged_cell)
        nxt = np.where(blk == 0, 0, np.where(blk == K + 1, self.aged_cell, nxt))
        # float32: half the memory traffic of the hottest gather (a probability's rounding,
        # 3e-8, is far below any effect the model can tell apart)
        self.stay: np.ndarray = stay.astype(np.float32)
        self.next: np.ndarray = nxt.astype(np.int32)
        self.row: np.ndarray = np.where(tracked, (k * nb + ab) * nd + db, 0).astype(np.int32)
        self.age: np.ndarray = age.astype(np.int32)
        # cumulative probabilities per row: [stay, stay + p(closed), stay + p(closed) + p(1)...]
        rows = np.moveaxis(P, 1, -1).reshape(K * nb * nd, K + 1).copy()  # (k, ab, db) x target
        kk = np.repeat(np.arange(K), nb * nd)
        st = rows[np.arange(len(rows)), kk + 1].copy()
        rows[np.arange(len(rows)), kk + 1] = 0.0
        cum = np.minimum(st[:, None] + np.cumsum(rows, axis=1), 1.0)
        cum[:, -1] = 1.0
        self.n_targets = K + 1
        self.flat = (np.arange(len(rows))[:, None] + cum).ravel()
        self.entries = seg.entries[0]

    def step(self, cells: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One month for a block of children, in place; returns the block's children per
        ladder block (closed, steps 1..K, aged out), counted here so that threads share it."""
        u = np.asarray(rng.random(cells.shape[0], dtype=np.float32))
        stay = self.stay[cells]
        nxt = self.next[cells]
        moved = np.flatnonzero(u >= stay)
        if moved.size:
            c = cells[moved]
            r = self.row[c]
            um = u[moved].astype(np.float64)  # the row offset r needs double precision
            j = np.searchsorted(self.flat, r + um, side="right") - r * self.n_targets
            j = np.clip(j, 0, self.n_targets - 1)
            a1 = self.age[c] + 1
            new = np.where(a1 < self.A, (j * self.A + a1) * self.D1, self.aged_cell)
            nxt[moved] = np.where(j == 0, 0, new)
        cells[:] = nxt
        return np.bincount(nxt // self.block_cells, minlength=self.n_blocks)


def _initial_records(t: Tables, rng: np.random.Generator) -> np.ndarray:
    """Cells of the children on the ladder at the start (whole children: floor of the
    expected count plus one more with probability of the fraction)."""
    n = np.floor(t.stock) + (rng.random(t.stock.shape) < t.stock - np.floor(t.stock))
    n = n.astype(np.int64).ravel()
    k, ay = np.unravel_index(np.repeat(np.arange(n.size), n), t.stock.shape)
    age = ay * 12 + rng.integers(0, 12, k.size)
    if t.initial_months == "spread":
        dur = rng.integers(0, t.Dm + 1, k.size)
    else:
        dur = np.full(k.size, min(int(t.initial_months), t.Dm))
    if t.stock_months is not None:  # the data's time in step where the file gives it
        cum = np.cumsum(t.stock_months[k, ay], axis=1)  # (children, Dm+1)
        given = cum[:, -1] > 0
        drawn = (rng.random(k.size)[:, None] >= cum).sum(axis=1)
        dur = np.where(given, np.minimum(drawn, t.Dm), dur)
    return (((k + 1) * t.A + age) * (t.Dm + 1) + dur).astype(np.int32)


def _entrants(t: Tables, cells_by_seg: dict, rng: np.random.Generator):
    """Cells of all newcomers sorted by month of entry (Poisson numbers per month, step and
    year of age) and the number entering each month."""
    M, K, Y = t.months, t.K, t.max_age
    rate = np.empty((M, K, Y))
    for month in range(M):
        seg = t.segment_at(month)
        rate[month] = seg.entries[0] / 12.0 * t.growth_at(month)
        if seg.entrants is not None:  # absolute entrants per month: not scaled by the trend
            rate[month] = np.maximum(rate[month] + seg.entrants[0] / 12.0, 0.0)
    n = rng.poisson(rate).ravel()
    m, k, ay = np.unravel_index(np.repeat(np.arange(n.size), n), (M, K, Y))
    age = ay * 12 + rng.integers(0, 12, k.size)
    cells = (((k + 1) * t.A + age) * (t.Dm + 1)).astype(np.int32)
    per_month = n.reshape(M, K * Y).sum(axis=1)
    return cells, per_month


MAX_CHILDREN = 2_000_000
"""Children the micro engine follows in one run (stock plus expected newcomers): more than
Denmark has (about 1,2 million). Each child is a few bytes per array, so the cap keeps a run
within a few hundred MB; the Markov engine has no such limit."""


def expected_children(t: Tables) -> float:
    """Children on the ladder at the start plus the newcomers expected over the projection."""
    entries = 0.0
    for m in range(t.months):
        seg = t.segment_at(m)
        e = seg.entries[0] * t.growth_at(m)
        if seg.entrants is not None:
            e = np.maximum(e + seg.entrants[0], 0.0)
        entries += float(e.sum()) / 12.0
    return float(t.stock.sum()) + entries


def check_children(t: Tables, source: str | Path) -> None:
    """Refuse a run of more than MAX_CHILDREN children, before allocating anything for them."""
    n = expected_children(t)
    if n > MAX_CHILDREN:
        too_many = Msg(
            "mikrosimuleringen følger højst {most} børn, men denne fremskrivning har omkring "
            "{n}; brug Markov-motoren (--engine markov) eller færre børn",
            most=MAX_CHILDREN,  # no thousands separators: the same in every language
            n=round(n),
        )
        raise InputError(Join((f"{source}: ", too_many)))


def simulate_micro(
    t: Tables, seed: int = 0, threads: int | None = None, source: str | Path = "<ladder>"
) -> Projection:
    """One stochastic realisation; every count is a whole number of children. `source` names
    the file in the error for a run too large (`check_children`)."""
    check_children(t, source)
    ss = np.random.SeedSequence(seed)
    main_seq, *_ = ss.spawn(1)
    main = np.random.default_rng(main_seq)
    K, A, D1, M = t.K, t.A, t.Dm + 1, t.months
    tables = {s.start_month: _Cells(t, s) for s in t.segments}
    stock0 = _initial_records(t, main)
    new, per_month = _entrants(t, tables, main)
    cells = np.concatenate([stock0, new])
    ends = stock0.size + np.cumsum(per_month)
    n_blocks = max(1, -(-cells.size // BLOCK))
    rngs = [
        np.random.default_rng(s)
        for s in np.random.SeedSequence(seed, spawn_key=(1,)).spawn(n_blocks)
    ]
    threads = threads or min(2, os.cpu_count() or 1)
    pool = ThreadPoolExecutor(threads) if threads > 1 and n_blocks > 1 else None
    block_cells = A * D1
    placed = np.flatnonzero(t.placement)

    def count(n: int) -> np.ndarray:
        return np.bincount(cells[:n] // block_cells, minlength=K + 2).astype(float)

    stock = np.empty((1, M + 1, K))
    entered = np.zeros((1, M))
    closed = np.zeros((1, M))
    aged = np.zeros((1, M))
    capped = np.zeros((1, M))
    c0 = count(stock0.size)
    stock[0, 0] = c0[1 : K + 1]
    prev_out, prev_aged, prev_n = c0[0], c0[K + 1], stock0.size
    try:
        for m in range(M):
            seg = t.segment_at(m)
            tab = tables[seg.start_month]
            n = int(ends[m])
            jobs = [
                (b, b * BLOCK, min((b + 1) * BLOCK, n)) for b in range(n_blocks) if b * BLOCK < n
            ]
            new_caps = [c for c in seg.cap or () if c.kind == "new"]
            before = cells[:n] // block_cells if new_caps else None
            if pool is None:
                counts = [tab.step(cells[lo:hi], rngs[b]) for b, lo, hi in jobs]
            else:
                counts = list(
                    pool.map(
                        lambda job, tab=tab: tab.step(cells[job[1] : job[2]], rngs[job[0]]), jobs
                    )
                )
            cnt = np.sum(counts, axis=0).astype(float) if counts else np.zeros(K + 2)
            for c in seg.cap or ():
                blocks = cells[:n] // block_cells
                if c.kind == "new":  # arrived in care this month: entrants or from outside it
                    assert before is not None
                    in_care = np.isin(blocks, placed + 1)
                    arrived = in_care & ((np.arange(n) >= prev_n) | ~np.isin(before, placed + 1))
                    pool_idx = np.flatnonzero(arrived & np.isin(blocks, np.asarray(c.source) + 1))
                    have, total = pool_idx.size, int(arrived.sum())
                else:
                    pool_idx = np.flatnonzero(np.isin(blocks, np.asarray(c.source) + 1))
                    have, total = pool_idx.size, int(cnt[placed + 1].sum())
                if c.kind == "transfer":
                    want = np.floor(c.share) + (main.random() < c.share - np.floor(c.share))
                else:
                    want = (have - c.share * total) / (1.0 - c.share * c.outside)
                take = min(int(np.ceil(want - 1e-9)) if want > 0 else 0, have)
                if take <= 0:
                    continue
                pick = main.choice(pool_idx, size=take, replace=False)
                age = tables[seg.start_month].age[cells[pick]]
                np.subtract.at(cnt, cells[pick] // block_cells, 1)
                dest = np.asarray([j for j, _ in c.dest])
                to = dest[main.choice(dest.size, size=take, p=[w for _, w in c.dest])]
                cells[pick] = np.where(to < 0, 0, ((to + 1) * A + age) * D1)
                np.add.at(cnt, np.where(to < 0, 0, to + 1), 1)
                capped[0, m] += take
            entered[0, m] = n - prev_n
            closed[0, m] = cnt[0] - prev_out
            aged[0, m] = cnt[K + 1] - prev_aged
            prev_out, prev_aged, prev_n = cnt[0], cnt[K + 1], n
            stock[0, m + 1] = cnt[1 : K + 1]
    finally:
        if pool is not None:
            pool.shutdown()
    return Projection(t, "micro", stock, entered, closed, aged, capped)
