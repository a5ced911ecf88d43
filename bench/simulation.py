"""Benchmark of the Monte Carlo simulation (issue: 10^6 draws of the largest seed case in
under 2 s on 2 cores, >= 100x a per-draw Python loop, within 5x of a numpy reference with
comparable array traffic, under 2 GB of memory).

Run as `python bench/simulation.py` (all figures) or `python bench/simulation.py one N`
(one simulation of N draws in this process; prints seconds and peak RSS) — `make bench`
uses the latter in fresh processes so that each peak memory figure is its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from peak import peak_mb

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "examples" / "tidlig-indsats-0-2.yaml"  # 7 lines x 13 years: the largest


def _case():
    from socinvest.case.load import load_case

    return load_case(CASE)


def one(n: int) -> dict:
    from socinvest.uncertainty.simulate import simulate

    case = _case()
    simulate(case, 1000, seed=0)  # warm-up (imports, first-call costs)
    t0 = time.perf_counter()
    sim = simulate(case, n, seed=1, target=6)
    sim.to_json()  # the summaries are part of the job
    dt = time.perf_counter() - t0
    peak = peak_mb()
    return {"draws": n, "seconds": dt, "peak_mb": peak}


def naive(n: int) -> float:
    """Draws per second of a plain per-draw loop over the deterministic engine."""
    from socinvest.engine.resolve import evaluate
    from socinvest.uncertainty.sampling import sample

    case = _case()
    draws = sample(case, n, np.random.default_rng(1))
    t0 = time.perf_counter()
    for i in range(n):
        res = evaluate(case, overrides={k: v[i : i + 1] for k, v in draws.items()})
        res.npv()
        res.payback("total")
        res.payback("service")
        for c in res.committees:
            res.total(committee=c)
    return n / (time.perf_counter() - t0)


def reference(n: int, chunk: int = 25_000) -> float:
    """Seconds for a pure numpy pass with the engine's essential array traffic: build the
    (draws, lines, years) amounts from per-draw parameters, sum lines, cumulate, find the
    first year at or below zero, discount, and split by committee."""
    rng = np.random.default_rng(0)
    lines, years = 7, 13
    base = rng.normal(size=(lines, years))
    alloc = rng.random((lines, 2))
    factors = 1.035 ** -np.arange(1, years + 1)
    t0 = time.perf_counter()
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        p = rng.random((m, lines))
        amounts = p[:, :, None] * base[None]
        total = amounts.sum(axis=1)
        cum = np.cumsum(total, axis=1)
        ok = cum <= 0
        np.argmax(ok, axis=1)
        total @ factors
        by_c = np.einsum("dly,lc->dcy", amounts, alloc)
        np.cumsum(by_c, axis=2)
        total.astype(np.float32)
    return time.perf_counter() - t0


def main() -> None:
    print(
        "simulation (largest seed case: tidlig-indsats-0-2, 7 lines x 13 years, 4 uncertain"
        " parameters, 1 correlation; threads=2, chunk 25.000)"
    )
    results = {}
    for n in (10_000, 100_000, 1_000_000):
        out = subprocess.run(
            [sys.executable, __file__, "one", str(n)], capture_output=True, text=True, check=True
        )
        r = json.loads(out.stdout)
        results[n] = r
        print(
            f"  {n:>9,} draws: {r['seconds']:6.3f} s  {n / r['seconds']:>12,.0f} draws/s  "
            f"peak {r['peak_mb']:6.0f} MB"
        )
    big = results[1_000_000]
    speed = 1_000_000 / big["seconds"]
    loop = naive(2_000)
    ref = reference(1_000_000)
    print(
        f"  naive per-draw loop (2.000-draw subsample): {loop:,.0f} draws/s -> "
        f"vectorised is {speed / loop:,.0f}x faster (goal >= 100x)"
    )
    print(
        f"  numpy reference, 10^6 draws, comparable traffic: {ref:.3f} s -> engine is "
        f"{big['seconds'] / ref:.1f}x the reference (goal <= 5x)"
    )
    ok = big["seconds"] < 2 and speed / loop >= 100 and big["seconds"] / ref <= 5
    ok = ok and big["peak_mb"] < 2048
    print(
        f"  goal 10^6 draws < 2 s and < 2 GB: {big['seconds']:.2f} s, {big['peak_mb']:.0f} MB"
        f" -> {'OK' if ok else 'NOT MET'}"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "one":
        print(json.dumps(one(int(sys.argv[2]))))
    else:
        main()
