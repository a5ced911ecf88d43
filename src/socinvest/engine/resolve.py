"""Resolve a case into arrays: every line becomes a year vector, for every draw.

Shapes: parameters (draws, years); lines (draws, lines, years). A plain calculation is one
draw. Monte Carlo and scenarios pass `overrides`: parameter name -> array broadcastable to
(draws, years) (e.g. shape (draws, 1) for a value drawn once per draw). This is the only code
path that turns a case into numbers.

Pure: it reads no file and keeps no state between calls. A `driver: ladder` line carries its
projection as data (resolved when the case loads, `services.case.load_case`); expressions are
parsed once per text (`parse_expression` is cached).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..case.bounds import MAX_MAGNITUDE
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
from ..i18n import Msg
from .results import Results


class NonFiniteAmount(InputError):
    """A line's driver gives no finite amount (e.g. division by zero) in some year."""

    def __init__(self, line_index: int, year: int) -> None:
        super().__init__(
            Msg(
                "driveren giver intet endeligt beløb i {year} (division med nul?); "
                "kontrollér dens parametre for det år",
                year=year,
            )
        )
        self.line_index = line_index
        self.year = year


class AmountTooLarge(NonFiniteAmount):
    """A line's amount is finite but beyond any budget (over MAX_MAGNITUDE in the case's
    unit): summed with other lines or over the years it could overflow, so it is refused.
    The message names the line: a Monte Carlo draw reports it without a file position."""

    def __init__(self, line_index: int, line_id: str, year: int, value: float) -> None:
        InputError.__init__(
            self,
            Msg(
                "linje {line} giver {value} i {year}, mere end 1e15 i casens enhed; kontrollér "
                "driverens parametre og enheden",
                line=line_id,
                value=format(value, ".3g"),
                year=year,
            ),
        )
        self.line_index = line_index
        self.year = year


class UnresolvedLadder(InputError):
    """A `driver: ladder` line without its projection: the case was not loaded by the service."""

    def __init__(self, line_id: str) -> None:
        super().__init__(
            Msg(
                "linje {line}: indsatstrappens fremskrivning er ikke beregnet; indlæs casen med "
                "socinvest.services.case.load_case, som beregner den",
                line=line_id,
            )
        )


def builtin_arrays(years: np.ndarray, draws: int) -> dict[str, np.ndarray]:
    """`year` (the calendar year) and `t` (year 1 = the case's first), shape (draws, years)."""
    shape = (draws, len(years))
    return {
        "year": np.broadcast_to(years.astype(float), shape),
        "t": np.broadcast_to(np.arange(1, len(years) + 1, dtype=float), shape),
    }


def parameter_arrays(
    case: Case, years: np.ndarray, draws: int, overrides: Mapping[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """Every parameter (overridden or from the case) and the built-in names, each a read-only
    (draws, years) view. A writable override is copied first, so that the results keep the
    values they were computed with even if the caller reuses its array."""
    env: dict[str, np.ndarray] = {}
    for name, p in case.parameters.items():
        if overrides and name in overrides:
            v = np.asarray(overrides[name], dtype=float)
            if v is overrides[name] and v.flags.writeable:
                v = v.copy()
        else:
            v = to_vector(p.value, years)
        env[name] = np.broadcast_to(v, (draws, len(years)))
    env.update(builtin_arrays(years, draws))
    return env


def environment(res: Results) -> dict[str, np.ndarray]:
    """Every name a driver can use, with the values `res` was computed with: its parameters
    per draw (overrides included) and the built-in names; each (draws, years), read-only."""
    return {**res.parameters, **builtin_arrays(np.asarray(res.years), res.draws)}


def _ladder_amounts(line: Line, years: np.ndarray) -> np.ndarray:
    d = line.driver
    assert isinstance(d, LadderDriver)
    if d.resolved is None:
        raise UnresolvedLadder(line.id)
    try:
        return np.array([d.resolved[y] for y in years.tolist()], dtype=float)
    except KeyError:  # resolved for another horizon (e.g. the case was edited afterwards)
        raise UnresolvedLadder(line.id) from None


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
            mag = parse_expression(d.expr).evaluate(env)  # warns of nothing; checked below
        elif isinstance(d, LadderDriver):
            mag = _ladder_amounts(line, years)
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
        with np.errstate(all="ignore"):  # products may overflow: refused just below
            a = line_amounts(line, case, env, years, draws)
        if not np.all(np.isfinite(a)):
            bad = int(years[np.argmax(~np.isfinite(a).all(axis=0))])
            raise NonFiniteAmount(i, bad)
        big = np.abs(a) > MAX_MAGNITUDE
        if big.any():
            d, y = np.argwhere(big)[0]
            raise AmountTooLarge(i, line.id, int(years[y]), float(a[d, y]))
        amounts[:, i, :] = a
    params = {name: env[name] for name in case.parameters}
    return Results.build(case, years, amounts, params)
