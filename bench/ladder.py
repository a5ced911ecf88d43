"""Benchmark of the ladder microsimulation (issue: 1,2 million children × 240 months in under
10 s on 2 cores and under 4 GB, at least 100× faster than a per-child Python loop).

The population is the example's (examples/ladder/population.yaml) with its stock scaled to N
children and no newcomers, so every one of the N records is processed in each of the 240
months ("child-months" = N × 240; children who have left are still processed, as absorbing
cells). Each size runs in a fresh process so that its peak memory (VmHWM, bench/peak.py) is its own.

    python bench/ladder.py            # all figures
    python bench/ladder.py one N      # one run of N children (prints JSON)
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from peak import peak_mb

ROOT = Path(__file__).resolve().parent.parent
POP = ROOT / "examples" / "ladder" / "population.yaml"
MONTHS = 240


def _tables(n: int):
    from socinvest.ladder import build_tables, load_model

    t = build_tables(load_model(POP), scenario=False, years=MONTHS // 12)
    f = n / t.stock.sum()
    segs = tuple(dataclasses.replace(s, entries=s.entries * 0) for s in t.segments)
    return dataclasses.replace(t, stock=t.stock * f, segments=segs)


def one(n: int) -> dict:
    from socinvest.ladder import simulate_micro

    t = _tables(n)
    t0 = time.perf_counter()
    p = simulate_micro(t, seed=1)
    dt = time.perf_counter() - t0
    kids = int(p.stock[0, 0].sum())
    on_ladder = float(p.stock[0, 1:].sum())
    return {
        "children": kids,
        "seconds": dt,
        "child_months_per_s": kids * MONTHS / dt,
        "on_ladder_months": on_ladder,
        "peak_mb": peak_mb(),
    }


def plain_loop(n: int, months: int = 24) -> float:
    """Child-months per second of a plain per-child Python loop over the model's natural
    representation (step, age, months in step; probabilities looked up in the numpy table
    P[step, :, age band, duration band]; one numpy draw and searchsorted per child-month)."""
    t = _tables(n)
    rng = np.random.default_rng(1)
    P = t.segments[0].P[0]
    ab, db = t.age_band_months(), t.duration_band()
    kids = []
    for k in range(t.K):
        for ay in range(t.max_age):
            for _ in range(int(round(t.stock[k, ay]))):
                kids.append([k, ay * 12 + int(rng.integers(12)), int(rng.integers(t.Dm + 1))])
    t0 = time.perf_counter()
    for _ in range(months):
        for child in kids:
            k, a, d = child
            if k < 0:
                continue
            p = P[k, :, ab[a], db[d]]
            u = rng.random()
            if u < p[k + 1]:
                d = min(d + 1, t.Dm)
            else:
                q = p.copy()
                q[k + 1] = 0.0
                j = int(np.searchsorted(p[k + 1] + np.cumsum(q), u, side="right"))
                k, d = (j - 1, 0) if j > 0 else (-1, 0)
            a += 1
            if a >= t.A:
                k = -1
            child[:] = [k, a, d]
    return len(kids) * months / (time.perf_counter() - t0)


def fast_python_loop(n: int, months: int = MONTHS) -> float:
    """Child-months per second of a tuned pure-Python loop over the micro engine's own cell
    tables (lists, `random`, `bisect`): the fastest per-child loop we could write."""
    import bisect
    import random

    from socinvest.ladder.micro import _Cells, _initial_records

    t = _tables(n)
    cells = _initial_records(t, np.random.default_rng(1))
    tab = _Cells(t, t.segments[0])
    stay, nxt, row, age = (x.tolist() for x in (tab.stay, tab.next, tab.row, tab.age))
    flat = tab.flat.tolist()
    nt, A, D1, aged = tab.n_targets, tab.A, tab.D1, tab.aged_cell
    rnd = random.Random(1)
    state = cells.tolist()
    t0 = time.perf_counter()
    for _ in range(months):
        for i, c in enumerate(state):
            u = rnd.random()
            if u < stay[c]:
                state[i] = nxt[c]
                continue
            r = row[c]
            j = bisect.bisect_right(flat, r + u, r * nt, (r + 1) * nt) - r * nt
            a1 = age[c] + 1
            state[i] = 0 if j == 0 else ((j * A + a1) * D1 if a1 < A else aged)
    return len(state) * months / (time.perf_counter() - t0)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "one":
        print(json.dumps(one(int(sys.argv[2]))))
        return
    results = {}
    for n in (10_000, 100_000, 1_200_000):
        out = subprocess.run(
            [sys.executable, __file__, "one", str(n)], capture_output=True, text=True, check=True
        )
        r = json.loads(out.stdout)
        results[n] = r
        print(
            f"ladder micro {r['children']:>9,} children × {MONTHS} months: {r['seconds']:6.2f} s  "
            f"{r['child_months_per_s'] / 1e6:6.1f} M child-months/s  peak {r['peak_mb']:6.0f} MB"
        )
    big = results[1_200_000]
    ok = big["seconds"] < 10 and big["peak_mb"] < 4096
    print(f"goal 1,2 mio. × 240 months < 10 s and < 4 GB: {'OK' if ok else 'MISSED'}")
    vec = results[1_200_000]["child_months_per_s"]
    plain = plain_loop(2_000)
    print(
        f"plain per-child loop (2.000 children × 24 months): {plain / 1e6:.3f} M child-months/s;"
        f" vectorised is {vec / plain:,.0f}× faster (goal >= 100×: "
        f"{'OK' if vec / plain >= 100 else 'MISSED'})"
    )
    fast = fast_python_loop(2_000)
    print(
        f"tuned pure-Python loop on the engine's cell tables (2.000 children): "
        f"{fast / 1e6:.1f} M child-months/s; vectorised is {vec / fast:,.1f}× faster"
    )


if __name__ == "__main__":
    main()
