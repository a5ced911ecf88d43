"""`make bench`: measured figures, printed (not timed tests).

- start-up: `socinvest check TABLE` as a whole process (goal: well under 0,5 s);
- engine: draws per second of the vectorised engine on the largest seed case.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def bench_startup(repeat: int = 7) -> None:
    table = ROOT / "tests" / "fixtures" / "tables" / "seed000_tabel1_samlede.txt"
    case = ROOT / "examples" / "tidlig-indsats-0-2.yaml"
    exe = [sys.executable, "-m", "socinvest.cli"]
    for label, args in [
        ("check TABLE", ["check", str(table)]),
        ("check CASE", ["check", str(case)]),
        ("--help", ["--help"]),
    ]:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            subprocess.run(exe + args, capture_output=True, check=False)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        verdict = "OK" if med < 0.5 else "SLOW"
        print(
            f"start-up  socinvest {label:12s} median {med * 1000:6.0f} ms "
            f"(min {min(times) * 1000:.0f} ms, {repeat} runs)  goal < 500 ms: {verdict}"
        )


def bench_engine() -> None:
    from socinvest.case.load import load_case
    from socinvest.engine.resolve import evaluate

    case = load_case(ROOT / "examples" / "tidlig-indsats-0-2.yaml")
    for draws in (1, 10_000, 100_000):
        rng = np.random.default_rng(1)
        over = {"fte_rate": rng.normal(500, 25, size=(draws, 1))}
        t0 = time.perf_counter()
        res = evaluate(case, overrides=over)
        res.payback("total")
        res.npv()
        dt = time.perf_counter() - t0
        print(
            f"engine    {draws:>7,} draws: {dt * 1000:8.1f} ms  "
            f"({draws / dt:,.0f} draws/s incl. payback and NPV)"
        )


if __name__ == "__main__":
    bench_startup()
    bench_engine()
    from engine import main as bench_engine_purity

    bench_engine_purity()
    from simulation import main as bench_simulation

    bench_simulation()
    from pool import main as bench_pool

    bench_pool()
    from ladder import main as bench_ladder

    bench_ladder()
    from ladder_fit import main as bench_ladder_fit

    bench_ladder_fit()
    from followup import main as bench_followup

    bench_followup()
    from fit import main as bench_fit

    bench_fit()
    from web import main as bench_web

    bench_web([])
