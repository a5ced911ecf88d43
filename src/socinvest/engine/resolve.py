"""Resolve a case into arrays: every line becomes a year vector, for every draw.

Shapes: parameters (draws, years); lines (draws, lines, years). A plain calculation is one
draw. Monte Carlo and scenarios pass `overrides`: parameter name -> array broadcastable to
(draws, years) (e.g. shape (draws, 1) for a value drawn once per draw). This is the only code
path that turns a case into numbers.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..case.expr import parse_expression
from ..case.schema import (
    Case,
    CountDriver,
    ExprDriver,
    FteDriver,
    Kind,
    LadderDriver,
    Line,
    SignConvention,
)
from ..case.years import to_vector
from ..errors import InputError
from .results import Results


class NonFiniteAmount(InputError):
    """A line's driver gives no finite amount (e.g. division by zero) in some year."""

    def __init__(self, line_index: int, year: int) -> None:
        super().__init__(
            f"the driver gives no finite amount in {year} (division by zero?); "
            "check its parameters for that year"
        )
        self.line_index = line_index
        self.year = year


def parameter_arrays(
    case: Case, years: np.ndarray, draws: int, overrides: Mapping[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    env: dict[str, np.ndarray] = {}
    for name, p in case.parameters.items():
        v = overrides[name] if overrides and name in overrides else to_vector(p.value, years)
        env[name] = np.broadcast_to(np.asarray(v, dtype=float), (draws, len(years)))
    env["year"] = np.broadcast_to(years.astype(float), (draws, len(years)))
    env["t"] = np.broadcast_to(np.arange(1, len(years) + 1, dtype=float), (draws, len(years)))
    return env


def _ref(v: float | str, env: Mapping[str, np.ndarray]) -> np.ndarray:
    return env[v] if isinstance(v, str) else np.asarray(float(v))


def _sign_of(kind: Kind) -> float:
    return -1.0 if kind is Kind.SAVING else 1.0


def line_amounts(
    line: Line, case: Case, env: Mapping[str, np.ndarray], years: np.ndarray, draws: int
) -> np.ndarray:
    """One line's amounts in spending convention (cost +, saving -), shape (draws, years)."""
    d = line.driver
    if d is None:
        v = to_vector(line.amounts, years)  # type: ignore[arg-type]
        if case.sign is SignConvention.SAVINGS_POSITIVE:
            v = -v
        out = np.broadcast_to(v, (draws, len(years)))
    else:
        if isinstance(d, FteDriver):
            mag = _ref(d.fte, env) * _ref(d.rate, env)
        elif isinstance(d, CountDriver):
            mag = _ref(d.count, env) * _ref(d.price, env) * _ref(d.multiplier, env)
        elif isinstance(d, ExprDriver):
            with np.errstate(divide="ignore", invalid="ignore"):
                mag = parse_expression(d.expr).evaluate(env)
        elif isinstance(d, LadderDriver):
            from ..ladder.derive import driver_amounts  # only cases that use the ladder

            mag = driver_amounts(d, case, years)
        else:  # pragma: no cover - the schema admits no other driver
            raise TypeError(type(d))
        out = _sign_of(line.kind) * np.broadcast_to(mag, (draws, len(years)))
    if line.ramp is not None:
        ramp = env[line.ramp] if isinstance(line.ramp, str) else to_vector(line.ramp, years, 1.0)
        out = out * ramp
    return out


def evaluate(
    case: Case, overrides: Mapping[str, np.ndarray] | None = None, draws: int = 1
) -> Results:
    """Compute every line for every draw. Raises InputError for non-finite results."""
    years = np.arange(case.horizon.first, case.horizon.last + 1)
    if overrides:
        draws = max([draws] + [np.shape(v)[0] for v in overrides.values() if np.ndim(v) >= 1])
    env = parameter_arrays(case, years, draws, overrides)
    amounts = np.empty((draws, len(case.lines), len(years)))
    for i, line in enumerate(case.lines):
        a = line_amounts(line, case, env, years, draws)
        if not np.all(np.isfinite(a)):
            bad = int(years[np.argmax(~np.isfinite(a).all(axis=0))])
            raise NonFiniteAmount(i, bad)
        amounts[:, i, :] = a
    return Results.build(case, years, amounts)
