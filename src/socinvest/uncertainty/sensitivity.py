"""Sensitivity: a one-way tornado and switching values, through the one engine.

Tornado: each uncertain parameter at its P10 and P90 (or min and max) with every other
parameter at its base value; ranked by the swing in NPV.
Switching value (UK Green Book): how far a parameter can move, as a multiple of its base value,
before NPV reaches 0 or payback passes the target; ranked by the smallest move. Each search is
a grid of multipliers evaluated in one vectorised call, refined by bisection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..case.schema import Case
from ..case.uncertain import Beta, Discrete, Pert, Triangular, Uniform
from ..case.years import to_vector
from ..engine.resolve import evaluate
from .sampling import quantile, uncertain_names

GRID = np.linspace(0.0, 5.0, 501)  # multipliers searched: 0 to 5 × the base value
BISECT = 40


@dataclass(frozen=True)
class TornadoBar:
    name: str
    low: float
    high: float
    npv_low: float
    npv_high: float
    payback_low: float
    payback_high: float

    @property
    def swing(self) -> float:
        return abs(self.npv_high - self.npv_low)


@dataclass(frozen=True)
class Switching:
    name: str
    base: float | None  # the base value (None when it differs by year)
    multiplier: float | None  # m such that the quantity switches at m × base; None: not found
    criterion: str  # "npv" or "payback"

    @property
    def change_pct(self) -> float | None:
        return None if self.multiplier is None else (self.multiplier - 1.0) * 100.0

    @property
    def value(self) -> float | None:
        if self.multiplier is None or self.base is None:
            return None
        return self.multiplier * self.base


def _years(case: Case) -> np.ndarray:
    return np.arange(case.horizon.first, case.horizon.last + 1)


def _base(case: Case, name: str) -> np.ndarray:
    return to_vector(case.parameters[name].value, _years(case))


def _scalar_base(case: Case, name: str) -> float | None:
    v = case.parameters[name].value
    return None if isinstance(v, dict) else float(v)


def _metrics(case: Case, overrides: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    res = evaluate(case, overrides=overrides)
    return res.npv(), res.payback("total")


MODES = ("p10p90", "minmax")


def _bounds(d, mode: str) -> tuple[float, float]:
    """A parameter's two ends in the tornado: P10 and P90, or min and max (P1 and P99 for a
    distribution without bounds)."""
    if mode not in MODES:
        raise ValueError(f"unknown tornado mode {mode!r}; use one of {MODES}")
    if mode == "minmax":
        if isinstance(d, Triangular | Uniform | Pert | Beta):
            return d.min, d.max
        if isinstance(d, Discrete):
            return min(d.values), max(d.values)
        return quantile(d, 0.01), quantile(d, 0.99)
    return quantile(d, 0.10), quantile(d, 0.90)


def tornado(case: Case, mode: str = "p10p90") -> list[TornadoBar]:
    """One-way sensitivity of NPV and payback to each uncertain parameter, widest first."""
    names = uncertain_names(case)
    if not names:
        return []
    k = len(names)
    n = 2 * k
    over: dict[str, np.ndarray] = {}
    lows, highs = {}, {}
    for i, name in enumerate(names):
        u = case.parameters[name].uncertainty
        assert u is not None  # `names` are the uncertain parameters
        lo, hi = _bounds(u, mode)
        lows[name], highs[name] = lo, hi
        base = _base(case, name)
        arr = np.broadcast_to(base, (n, len(base))).copy()
        if u.relative:
            arr[2 * i] = lo * base
            arr[2 * i + 1] = hi * base
        else:
            arr[2 * i] = lo
            arr[2 * i + 1] = hi
        over[name] = arr
    npv, pb = _metrics(case, over)
    bars = [
        TornadoBar(
            name,
            lows[name],
            highs[name],
            float(npv[2 * i]),
            float(npv[2 * i + 1]),
            float(pb[2 * i]),
            float(pb[2 * i + 1]),
        )
        for i, name in enumerate(names)
    ]
    return sorted(bars, key=lambda b: -b.swing)


def _used_parameters(case: Case) -> list[str]:
    """Parameters with a non-zero base value (a multiple of zero is zero)."""
    return [n for n in case.parameters if np.any(_base(case, n) != 0)]


def _condition(case: Case, criterion: str, target: int | None):
    if criterion == "npv":
        return lambda npv, pb: npv > 0
    assert target is not None
    return lambda npv, pb: (~np.isnan(pb)) & (pb <= target)


def switching_values(
    case: Case, criterion: str = "npv", target: int | None = None
) -> list[Switching]:
    """For each parameter, the multiple of its base value at which the case stops (or starts)
    passing: NPV > 0 (criterion 'npv') or payback within `target` years ('payback')."""
    names = _used_parameters(case)
    if not names:
        return []
    ok = _condition(case, criterion, target)
    g = len(GRID)
    k = len(names)
    # One engine call: parameter i scaled by every grid multiplier, the others at base.
    over = {}
    for i, name in enumerate(names):
        base = _base(case, name)
        arr = np.broadcast_to(base, (k * g, len(base))).copy()
        arr[i * g : (i + 1) * g] = GRID[:, None] * base
        over[name] = arr
    npv, pb = _metrics(case, over)
    passing = ok(npv, pb).reshape(k, g)
    base_pass = bool(ok(*_metrics(case, {}))[0])
    at_one = int(np.argmin(np.abs(GRID - 1.0)))
    lo_hi: list[tuple[float, float] | None] = []
    for i in range(k):
        row = passing[i]
        flips = np.flatnonzero(row != base_pass)
        if not len(flips):
            lo_hi.append(None)
            continue
        # the flip nearest to the base (multiplier 1), on either side
        j = flips[np.argmin(np.abs(flips - at_one))]
        inside = j - 1 if j > at_one else j + 1
        lo_hi.append((GRID[inside], GRID[j]))
    mults = _bisect(case, names, lo_hi, ok, base_pass)
    return sorted(
        (
            Switching(n, _scalar_base(case, n), m, criterion)
            for n, m in zip(names, mults, strict=True)
        ),
        key=lambda s: (s.multiplier is None, abs(s.change_pct or 0.0)),
    )


def _bisect(case, names, brackets, ok, base_pass) -> list[float | None]:
    """Refine every bracket at once: `a` keeps the base verdict, `b` the other one."""
    idx = [i for i, br in enumerate(brackets) if br is not None]
    out: list[float | None] = [None] * len(names)
    if not idx:
        return out
    a = np.array([brackets[i][0] for i in idx])
    b = np.array([brackets[i][1] for i in idx])
    m = len(idx)
    for _ in range(BISECT):
        mid = (a + b) / 2
        over: dict[str, np.ndarray] = {}
        for r, i in enumerate(idx):
            name = names[i]
            base = _base(case, name)
            arr = over.setdefault(name, np.broadcast_to(base, (m, len(base))).copy())
            arr[r] = mid[r] * base
        for name in names:
            if name not in over:
                over[name] = np.broadcast_to(_base(case, name), (m, len(_base(case, name))))
        npv, pb = _metrics(case, over)
        same = ok(npv, pb) == base_pass
        a = np.where(same, mid, a)
        b = np.where(same, b, mid)
    for r, i in enumerate(idx):
        out[i] = float((a[r] + b[r]) / 2)
    return out
