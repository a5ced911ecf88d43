"""Benchmark of the pure engine (issue 9): `evaluate()` of the ladder example case against a
plain case of the same size — the same lines, parameters and years, every line written as
explicit amounts (the ladder case's own results). Goal: ratio <= 2 (before issue 9 the ladder
case re-read and re-validated its three YAML files on every call: about 140x).

Run as `python bench/engine.py`, or from `make bench` (bench/run.py).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "examples" / "ladder-strategi.yaml"


def plain_twin(case):
    """`case` with every line's amounts written out explicitly (spending convention)."""
    from socinvest.engine.resolve import evaluate

    res = evaluate(case)
    years = [int(y) for y in res.years]
    lines = [
        ln.model_copy(
            update={
                "driver": None,
                "ramp": None,
                "amounts": {y: float(v) for y, v in zip(years, res.amounts[0, i], strict=True)},
            }
        )
        for i, ln in enumerate(case.lines)
    ]
    return case.model_copy(update={"lines": lines, "sign": "spending"})


def medians_us(fns, number: int = 200, repeat: int = 21) -> list[float]:
    """Median time per call of each function in µs; the runs alternate between the
    functions so that a busy machine slows them alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, ts in zip(fns, times, strict=True):
            t0 = time.perf_counter()
            for _ in range(number):
                fn()
            ts.append((time.perf_counter() - t0) / number)
    return [statistics.median(ts) * 1e6 for ts in times]


def main() -> None:
    import numpy as np

    from socinvest.engine.resolve import evaluate
    from socinvest.services.case import load_case

    ladder = load_case(CASE)
    plain = plain_twin(ladder)
    assert np.array_equal(evaluate(plain).amounts, evaluate(ladder).amounts)
    t_ladder, t_plain = medians_us([lambda: evaluate(ladder), lambda: evaluate(plain)])
    ratio = t_ladder / t_plain
    n_years = ladder.horizon.last - ladder.horizon.first + 1
    print(
        f"engine    evaluate() ladder case {t_ladder:7.1f} µs, plain case of the same size "
        f"({len(ladder.lines)} lines x {n_years} years) {t_plain:7.1f} µs (medians): "
        f"ratio {ratio:.2f}  goal <= 2: {'OK' if ratio <= 2 else 'SLOW'}"
    )


if __name__ == "__main__":
    main()
