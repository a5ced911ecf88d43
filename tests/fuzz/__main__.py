"""`make fuzz`: run generated inputs for N minutes (or N inputs) and save what fails.

    python -m tests.fuzz --minutes 5 [--inputs N] [--seed S] [--workers 2] [--kinds case,xlsx]
    python -m tests.fuzz --replay out/fuzz/<class>/<seed>     # one saved input, verbosely

Prints counts per input kind and outcome, and each failure class; writes out/fuzz/summary.txt
and, per class, up to three inputs (their files, input.json and the command) with what the
command said (result.txt).
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

from .harness import TIME_LIMIT, inputs
from .model import ROOT, Input
from .runner import Report, run

PARENT_MEMORY = 3 << 30


def _slug(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", s)[:120]


def save(report: Report, out: Path) -> None:
    for sig, hits in report.classes.items():
        for r, inp in hits:
            if not inp.argv:
                continue
            folder = inp.save(out / _slug(sig) / _slug(r.seed))
            (folder / "result.txt").write_text(f"{sig}\n{r.outcome} {r.failures}\n\n{r.detail}\n")
    (out / "summary.txt").write_text(report.text() + "\n")


def replay(folder: Path) -> int:
    inp = Input.from_json((folder / "input.json").read_text())
    report = run(iter([("replay", inp)]), count=1, workers=1)
    for hits in report.classes.values():
        print(hits[0][0].detail)
    print(report.text())
    return 1 if report.flags else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--inputs", type=int, default=None, help="stop after this many inputs")
    ap.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=TIME_LIMIT)
    ap.add_argument("--kinds", default="", help="comma-separated input kinds (default: all)")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "fuzz")
    ap.add_argument("--replay", type=Path, default=None)
    a = ap.parse_args(argv)
    resource.setrlimit(resource.RLIMIT_AS, (PARENT_MEMORY, PARENT_MEMORY))  # generators too
    if a.replay:
        return replay(a.replay)
    from .harness import GENERATORS

    kinds = tuple(a.kinds.split(",")) if a.kinds else tuple(GENERATORS)
    print(f"fuzz: seed {a.seed}, {a.minutes} min, kinds {', '.join(kinds)}", flush=True)
    done: Counter = Counter()

    def progress(r, inp) -> None:
        done["inputs"] += 1
        done.update(r.failures)
        if done["inputs"] % 1000 == 0:
            print("  " + ", ".join(f"{k} {v}" for k, v in done.items()), flush=True)

    report = run(inputs(a.seed, kinds), count=a.inputs, seconds=a.minutes * 60, workers=a.workers,
                 timeout=a.timeout, on_result=progress)  # fmt: skip
    shutil.rmtree(a.out, ignore_errors=True)
    a.out.mkdir(parents=True)
    save(report, a.out)
    print(report.text())
    print(f"failing inputs and summary: {a.out}")
    return 1 if report.flags else 0


if __name__ == "__main__":
    sys.exit(main())
