"""Actual activity behind the drivers (FTEs hired, children in measures, courses delivered),
per year or quarter, checked against the case: a name must be one of the case's parameters,
a period must lie in its horizon, and a count is never negative. Also the other references of
a follow-up file to its case (line ids of explicit actuals). Every error is located in the
follow-up file (file:line:col, key path).

Yearly and quarterly values are kept apart: whether four quarters make a year by sum (courses
delivered) or by mean (children in a measure at a time) depends on the count, so the caller
says which (`Activity.year_value`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..case.load import raise_problems
from ..case.schema import Case
from ..i18n import Msg
from .model import readonly
from .schema import FollowUp, Problem, parse_period


@dataclass(frozen=True)
class Activity:
    """Actual counts per parameter: `values[p, y]` where given per year, `quarterly[p, y, q]`
    where given per quarter; NaN elsewhere."""

    names: tuple[str, ...]
    years: np.ndarray
    values: np.ndarray  # (parameters, years)
    quarterly: np.ndarray  # (parameters, years, 4)

    def year_value(self, name: str, year: int, how: Literal["sum", "mean"] = "sum") -> float:
        """The year's count: given per year, or from its quarters (all four needed); NaN if
        not known."""
        i, y = self.names.index(name), int(year) - int(self.years[0])
        if not np.isnan(self.values[i, y]):
            return float(self.values[i, y])
        q = self.quarterly[i, y]
        if np.isnan(q).any():
            return float("nan")
        return float(q.sum() if how == "sum" else q.mean())


def check_followup(fu: FollowUp, case: Case, source: str, marks: dict) -> None:
    """Every reference of the follow-up file to its case, located; raises InputError."""
    raise_problems(source, marks, problems(fu, case))


def problems(fu: FollowUp, case: Case) -> list[Problem]:
    out: list[Problem] = []
    ids = [ln.id for ln in case.lines]
    for line, values in fu.actuals.items():
        if line not in ids:
            msg = Msg(
                "linjen {line} findes ikke i casen {case}; kendte linjer: {known}",
                line=repr(line),
                case=case.id,
                known=", ".join(ids),
            )
            out.append((("actuals", line), msg))
        out.extend(_periods(("actuals", line), values, case, counts=False))
    for name, values in fu.activity.items():
        if name not in case.parameters:
            msg = Msg(
                "parameteren {name} findes ikke i casen {case}; kendte parametre: {known}",
                name=repr(name),
                case=case.id,
                known=", ".join(case.parameters) or "–",
            )
            out.append((("activity", name), msg))
        out.extend(_periods(("activity", name), values, case, counts=True))
    for year in fu.repayments:
        if not case.horizon.first <= int(year) <= case.horizon.last:
            out.append((("repayments", year), _outside(str(year), case)))
    return out


def _periods(where: tuple[str | int, ...], values: dict, case: Case, counts: bool) -> list[Problem]:
    out: list[Problem] = []
    for key, value in values.items():
        year, _ = parse_period(key)
        if not case.horizon.first <= year <= case.horizon.last:
            out.append(((*where, key), _outside(str(key), case)))
        elif counts and value < 0:
            out.append(
                ((*where, key), Msg("et antal kan ikke være negativt ({value})", value=value))
            )
    return out


def _outside(period: str, case: Case) -> Msg:
    return Msg(
        "perioden {period} ligger uden for casens horisont {first}-{last}",
        period=period,
        first=case.horizon.first,
        last=case.horizon.last,
    )


def build_activity(
    fu: FollowUp, case: Case, source: str = "<followup>", marks: dict | None = None
) -> Activity:
    """The follow-up file's activity as arrays on the case's horizon (checked first)."""
    raise_problems(source, marks or {}, problems(fu, case))
    years = np.arange(case.horizon.first, case.horizon.last + 1)
    names = tuple(fu.activity)
    values = np.full((len(names), len(years)), np.nan)
    quarterly = np.full((len(names), len(years), 4), np.nan)
    for i, name in enumerate(names):
        for key, value in fu.activity[name].items():
            year, q = parse_period(key)
            y = year - case.horizon.first
            if q is None:
                values[i, y] = value
            else:
                quarterly[i, y, q - 1] = value
    return Activity(names, readonly(years), readonly(values), readonly(quarterly))
