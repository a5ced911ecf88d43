"""Status of success criteria (succeskriterier) from their dated measurements.

A criterion (followup/schema.py `Criterion`) is an indicator with a baseline, a target, a
direction (up: higher is better; down: lower is better) and due dates for measurements; the
last due date is the date the target is due. The rule (docs/followup-measures.md):

1. **Overdue measurement.** If a due date passed more than `grace_days` ago (default 30) and no
   measurement is dated after the previous due date (or the baseline date) and on or before
   `as_of`, the status is *overdue measurement*, whatever earlier values said.
2. Otherwise the **latest measurement** on or before `as_of` is compared with the **planned
   path**: a straight line from the baseline on the baseline date to the target on the last due
   date, and the target after it. (Without a baseline date the path is the baseline until the
   last due date, then the target.)
3. The **shortfall** is how far the value is behind the path in the criterion's direction.
   *On track*: no shortfall. *At risk*: a shortfall of at most `tolerance` (default 10 %) of the
   planned change |target − baseline| (of |baseline| when the two are equal). *Off track*: more.
4. No measurement yet and nothing overdue: *not measured yet*.

Arithmetic is exact (fractions of the decimal values as written), so a value exactly on the
path is on track, never a rounding error away from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any, Protocol

from ..i18n import N_


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    OVERDUE = "overdue_measurement"
    NOT_MEASURED = "not_measured"


LABELS = {
    Status.ON_TRACK: N_("på sporet"),
    Status.AT_RISK: N_("i risiko"),
    Status.OFF_TRACK: N_("ikke på sporet"),
    Status.OVERDUE: N_("måling mangler"),
    Status.NOT_MEASURED: N_("ikke målt endnu"),
}


class CriterionLike(Protocol):
    """What the rule needs of a criterion (schema.Criterion has it)."""

    @property
    def id(self) -> str: ...
    @property
    def baseline(self) -> float: ...
    @property
    def baseline_date(self) -> dt.date | None: ...
    @property
    def target(self) -> float: ...
    @property
    def direction(self) -> Any: ...  # "up" | "down" (or the schema's Direction)
    @property
    def due(self) -> Sequence[dt.date]: ...


class MeasurementLike(Protocol):
    @property
    def criterion(self) -> str: ...
    @property
    def date(self) -> dt.date: ...
    @property
    def value(self) -> float: ...


@dataclass(frozen=True)
class CriterionStatus:
    """The status of one criterion on `as_of`, with the figures behind it (the indicator's
    unit). `expected` is the planned path on the latest measurement's date; `shortfall` is
    positive when behind. `overdue` is the missed due date when the status is OVERDUE."""

    id: str
    status: Status
    as_of: dt.date
    latest_date: dt.date | None
    latest_value: float | None
    expected: float | None
    shortfall: float | None
    tolerance: float
    next_due: dt.date | None
    overdue: dt.date | None

    @property
    def label(self) -> str:
        """The status's Danish label (a msgid: translate with `tr(status.label)`)."""
        return LABELS[self.status]


def _exact(x: float | int | str | Fraction) -> Fraction:
    """The decimal value as written (0.1 → 1/10, not the binary float's expansion)."""
    return x if isinstance(x, Fraction) else Fraction(repr(x) if isinstance(x, float) else x)


def _sign(direction: Any) -> int:
    d = str(getattr(direction, "value", direction)).lower()
    if d not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {d!r}")
    return 1 if d == "up" else -1


def expected_on(c: CriterionLike, day: dt.date) -> Fraction:
    """The planned path's value on `day` (rule 2)."""
    base, target = _exact(c.baseline), _exact(c.target)
    if not c.due:
        return target
    end = max(c.due)
    if day >= end:
        return target
    start = c.baseline_date
    if start is None or day <= start:
        return base
    span = (end - start).days
    return base + (target - base) * Fraction((day - start).days, span)


def status(
    c: CriterionLike,
    measurements: Iterable[MeasurementLike],
    as_of: dt.date,
    *,
    tolerance: float = 0.10,
    grace_days: int = 30,
) -> CriterionStatus:
    """The criterion's status on `as_of` (module docstring); measurements of other criteria
    and those after `as_of` are ignored."""
    mine = sorted(
        (m for m in measurements if m.criterion == c.id and m.date <= as_of), key=lambda m: m.date
    )
    due = sorted(c.due)
    base, target = _exact(c.baseline), _exact(c.target)
    change = abs(target - base) or abs(base)
    tol = change * _exact(tolerance)
    passed = [d for d in due if d + dt.timedelta(days=grace_days) < as_of]
    upcoming = [d for d in due if d >= as_of]
    next_due = upcoming[0] if upcoming else None
    latest = mine[-1] if mine else None
    common: dict[str, Any] = dict(id=c.id, as_of=as_of, tolerance=float(tol), next_due=next_due)
    if passed:
        last_due = passed[-1]
        k = due.index(last_due)
        after = due[k - 1] if k > 0 else c.baseline_date
        if not any(after is None or m.date > after for m in mine):
            return CriterionStatus(
                status=Status.OVERDUE,
                latest_date=latest.date if latest else None,
                latest_value=latest.value if latest else None,
                expected=None,
                shortfall=None,
                overdue=last_due,
                **common,
            )
    if latest is None:
        return CriterionStatus(
            status=Status.NOT_MEASURED,
            latest_date=None,
            latest_value=None,
            expected=None,
            shortfall=None,
            overdue=None,
            **common,
        )
    exp = expected_on(c, latest.date)
    shortfall = (exp - _exact(latest.value)) * _sign(c.direction)
    if shortfall <= 0:
        st = Status.ON_TRACK
    elif shortfall <= tol:
        st = Status.AT_RISK
    else:
        st = Status.OFF_TRACK
    return CriterionStatus(
        status=st,
        latest_date=latest.date,
        latest_value=latest.value,
        expected=float(exp),
        shortfall=float(shortfall),
        overdue=None,
        **common,
    )


def statuses(
    criteria: Iterable[CriterionLike],
    measurements: Iterable[MeasurementLike],
    as_of: dt.date,
    **options: Any,
) -> tuple[CriterionStatus, ...]:
    """The status of every criterion, in the file's order."""
    ms = list(measurements)
    return tuple(status(c, ms, as_of, **options) for c in criteria)
