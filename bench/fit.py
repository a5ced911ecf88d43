"""Benchmark of the FIT summary (issue 14: 1 million sessions in < 2 s).

A synthetic session file of N sessions (100 000 courses of 10 sessions, 12 teams, 2017–2019,
Danish decimal commas, rows in date order so that courses must be sorted) is written once to a temporary folder; a fresh process then reads,
validates (CPR scan included), computes every course and the suppressed team × half-year
table, and prints its time and peak memory (VmHWM, bench/peak.py).

    python bench/fit.py            # 1 000 000 sessions
    python bench/fit.py one PATH   # one timed run on PATH (prints JSON)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from peak import peak_mb

GOAL_S = 2.0


def write_sessions(path: Path, n: int = 1_000_000, seed: int = 5) -> None:
    rng = np.random.default_rng(seed)
    per = 10
    courses = n // per
    start = rng.integers(0, 900, courses)
    team = rng.integers(0, 12, courses)
    group = rng.choice(np.array(["child", "adolescent", "adult"]), courses)
    base = np.datetime64("2017-01-02")
    out = ["client_id;course_id;team;date;age_group;ors;srs"]
    k = np.repeat(np.arange(courses), per)
    step = np.tile(np.arange(per), courses)
    days = (base + (start[k] + 14 * step).astype("timedelta64[D]")).astype(str)
    ors = np.clip(rng.normal(20, 6, n) + 0.6 * step, 0, 40)
    srs = np.clip(rng.normal(37, 2, n), 0, 40)
    ors_t = np.char.replace(np.char.mod("%.1f", ors), ".", ",")
    srs_t = np.char.replace(np.char.mod("%.1f", srs), ".", ",")
    for i in np.argsort(days, kind="stable"):  # exported by date, as a case system would
        c = int(k[i])
        out.append(
            f"K{c:07d};F{c:07d};Team {int(team[c]):02d};{days[i]};{group[c]};{ors_t[i]};{srs_t[i]}"
        )
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def one(path: Path) -> dict:
    from socinvest.followup import fit

    t0, c0 = time.perf_counter(), time.process_time()
    sm, problems = fit.summarise(path)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "seconds": dt,
        "cpu_seconds": cpu,
        "peak_mb": peak_mb(),
        "courses": sm.courses,
        "rows": len(sm.rows),
        "problems": len(problems),
    }


def main(n: int = 1_000_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sessions.csv"
        write_sessions(path, n)
        size = path.stat().st_size / 2**20
        proc = subprocess.run(
            [sys.executable, __file__, "one", str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        )
        r = json.loads(proc.stdout)
    verdict = "OK" if r["seconds"] < GOAL_S else "SLOW"
    print(
        f"fit       {n:,} sessions ({size:.0f} MB CSV, {r['courses']:,} courses, "
        f"{r['rows']} team × half-year rows): {r['seconds']:.2f} s (CPU {r['cpu_seconds']:.2f} s), "
        f"peak {r['peak_mb']:.0f} MB  "
        f"goal < {GOAL_S:.0f} s: {verdict}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "one":
        print(json.dumps(one(Path(sys.argv[2]))))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
