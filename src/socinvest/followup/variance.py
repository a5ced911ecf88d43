"""Plan against actual, per line and year (and quarter where the actuals have quarters).

Definitions (docs/followup.md, *Plan against actual*):

- The **plan** is the engine's plain calculation, `evaluate(case)`; a quarter's plan is a
  quarter of the year's (flows spread evenly over the year, as in fractional payback).
- **Difference** = actual − plan, in the spending sign: positive is always unfavourable
  (more spent, or less saved, than planned). **%** = difference / |plan| × 100 (NaN when the
  plan is 0).
- **Status** against the follow-up file's `thresholds`: a difference reaches a level when
  |difference| exceeds both that level's percentage of |plan| and its absolute amount;
  `alert` beyond the alert level, `watch` beyond the watch level, else `ok`. Defaults (schema
  `Thresholds`): watch 5 %, alert 10 %, no absolute floor. A quarter uses the same
  percentages and a quarter of the absolute floors. A cell with no actual has no status. The
  total of a year compares the actuals with the plan of the lines observed that year.
- **Volume and price** for `count × price` and `fte × rate` lines whose count (or FTE) is a
  parameter with actual activity that year. With unit amount u = the line's amount per unit of
  count (price × multiplier × ramp, signed; the engine with the count set to 1):
  volume = (actual count − plan count) × plan u; price = (actual u − plan u) × actual count,
  actual u = actual amount / actual count. Volume + price = difference exactly; with an actual
  count of 0 the whole remainder (the actual amount) is price.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

import numpy as np

from ..case.schema import Case, CountDriver, FteDriver
from ..engine.resolve import environment, evaluate
from .activity import Activity
from .model import Actuals, readonly
from .realised import aligned
from .schema import PeriodValues, Thresholds, parse_period


class Flag(IntEnum):
    """Status of one cell; NONE where there is no actual."""

    NONE = -1
    OK = 0
    WATCH = 1
    ALERT = 2

    @property
    def code(self) -> str:
        return {-1: "", 0: "ok", 1: "watch", 2: "alert"}[int(self)]


def flags(
    plan: np.ndarray, diff: np.ndarray, thresholds: Thresholds, period: float = 1.0
) -> np.ndarray:
    """Flag per cell (int8 array of `Flag` values); NaN differences get NONE. `period` scales
    the absolute floors (a quarter: 0.25 of the yearly amount)."""
    mag, ref = np.abs(diff), np.abs(plan)

    def beyond(t) -> np.ndarray:
        return (mag > t.percent / 100.0 * ref) & (mag > t.absolute * period)

    out = np.where(
        beyond(thresholds.alert),
        Flag.ALERT,
        np.where(beyond(thresholds.watch), Flag.WATCH, Flag.OK),
    )
    return np.where(np.isnan(diff), Flag.NONE, out).astype(np.int8)


def percent(diff: np.ndarray, plan: np.ndarray) -> np.ndarray:
    ref = np.abs(plan)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(ref > 0, diff / np.where(ref > 0, ref, 1.0) * 100.0, np.nan)


def activity_by_year(
    activity: Activity | Mapping[str, PeriodValues],
    years: np.ndarray,
    how: Literal["mean", "sum"] = "mean",
) -> dict[str, np.ndarray]:
    """Parameter name -> actual count per year (NaN where not known), from the follow-up file's
    `activity` or its checked `Activity`. A year given whole is taken as it is; a year given by
    quarters needs all four, combined by `how` (the rule of `Activity.year_value`): `mean` for
    a level (FTEs employed, children in a measure: the default, as count × price and
    fte × rate drivers price a year of the level), `sum` for a flow (courses delivered)."""
    if isinstance(activity, Activity):
        return {
            n: np.array([activity.year_value(n, int(y), how) for y in years])
            for n in activity.names
        }
    out: dict[str, np.ndarray] = {}
    first = int(years[0])
    for name, values in activity.items():
        whole = np.full(len(years), np.nan)
        quarters = np.full((len(years), 4), np.nan)
        for key, v in values.items():
            y, q = parse_period(key)
            if first <= y < first + len(years):
                if q is None:
                    whole[y - first] = float(v)
                else:
                    quarters[y - first, q - 1] = float(v)
        combined = quarters.mean(axis=1) if how == "mean" else quarters.sum(axis=1)
        out[name] = np.where(np.isnan(whole), combined, whole)
    return out


@dataclass(frozen=True)
class VolumePrice:
    """The split of one line's difference (arrays (years,), NaN where not split)."""

    line: str
    count: str  # the parameter that counts (årsværk for fte × rate)
    plan_count: np.ndarray
    actual_count: np.ndarray
    plan_unit: np.ndarray  # signed amount per unit of count, case unit
    actual_unit: np.ndarray
    volume: np.ndarray
    price: np.ndarray


@dataclass(frozen=True)
class Variance:
    """Plan against actual. (lines, years) arrays in the case's line order; NaN where no
    actual. `quarter_*` are (lines, years, 4), NaN where the actuals have no quarters."""

    case_id: str
    unit: str
    price_level: int
    years: np.ndarray
    line_ids: tuple[str, ...]
    thresholds: Thresholds
    plan: np.ndarray  # every cell, observed or not
    actual: np.ndarray
    diff: np.ndarray
    pct: np.ndarray
    status: np.ndarray  # int8 Flag values
    quarter_plan: np.ndarray
    quarter_actual: np.ndarray
    quarter_diff: np.ndarray
    quarter_pct: np.ndarray
    quarter_status: np.ndarray
    total_plan: np.ndarray  # (years,) plan of the lines observed that year
    total_actual: np.ndarray  # (years,) NaN in years with no actual
    total_diff: np.ndarray
    total_pct: np.ndarray
    total_status: np.ndarray
    split: tuple[VolumePrice, ...] = ()

    def flag(self, line: str, year: int) -> Flag:
        return Flag(int(self.status[self.line_ids.index(line), year - int(self.years[0])]))

    def split_of(self, line: str) -> VolumePrice | None:
        return next((s for s in self.split if s.line == line), None)

    @property
    def worst(self) -> Flag:
        """The worst status of any observed cell (NONE if nothing is observed)."""
        return Flag(int(self.status.max(initial=Flag.NONE)))


def _split(
    case: Case, plan: np.ndarray, actual: np.ndarray, activity: Mapping[str, np.ndarray]
) -> tuple[VolumePrice, ...]:
    res = evaluate(case)
    env = environment(res)
    out: list[VolumePrice] = []
    for i, line in enumerate(case.lines):
        d = line.driver
        name = (
            d.count if isinstance(d, CountDriver) else d.fte if isinstance(d, FteDriver) else None
        )
        if not isinstance(name, str) or name not in activity:
            continue
        ones = {name: np.ones((1, len(res.years)))}
        unit_p = evaluate(case, ones).amounts[0, i]
        count_p = env[name][0]
        count_a = activity[name]
        ok = ~np.isnan(actual[i]) & ~np.isnan(count_a)
        diff = np.where(ok, actual[i] - plan[i], np.nan)
        volume = np.where(ok, (count_a - count_p) * unit_p, np.nan)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            unit_a = np.where(
                ok & (count_a != 0), actual[i] / np.where(count_a != 0, count_a, 1.0), np.nan
            )
        out.append(
            VolumePrice(
                line.id,
                name,
                readonly(np.array(count_p, dtype=float)),
                readonly(np.where(ok, count_a, np.nan)),
                readonly(np.array(unit_p, dtype=float)),
                readonly(unit_a),
                readonly(volume),
                readonly(diff - volume),
            )
        )
    return tuple(out)


def variance(
    case: Case,
    actuals: Actuals,
    thresholds: Thresholds | None = None,
    activity: Activity | Mapping[str, PeriodValues] | None = None,
    quarters: Literal["mean", "sum"] = "mean",
) -> Variance:
    """Plan against actual for every line and year (module docstring). `activity` is the
    actual counts (the follow-up file's `activity`, or `followup.activity.Activity`);
    `quarters` says how four quarterly counts make a year (`activity_by_year`)."""
    th = thresholds or Thresholds()
    plan = np.array(evaluate(case).amounts[0])
    actual, observed = aligned(case, actuals)
    diff = actual - plan
    qa = np.full(plan.shape + (4,), np.nan)
    ids = [ln.id for ln in case.lines]
    for j, lid in enumerate(actuals.line_ids):
        qa[ids.index(lid)] = actuals.quarterly[j]
    qp = np.where(np.isnan(qa), np.nan, plan[..., None] / 4.0)
    qd = qa - qp
    tp = np.where(observed, plan, 0.0).sum(axis=0)
    any_obs = observed.any(axis=0)
    ta = np.where(any_obs, np.where(observed, actual, 0.0).sum(axis=0), np.nan)
    td = ta - tp
    years = np.arange(case.horizon.first, case.horizon.last + 1)
    split = _split(case, plan, actual, activity_by_year(activity or {}, years, quarters))
    return Variance(
        case.id,
        case.unit.value,
        case.price_level,
        readonly(years),
        tuple(ids),
        th,
        readonly(plan),
        readonly(actual),
        readonly(diff),
        readonly(percent(diff, plan)),
        readonly(flags(plan, diff, th)),
        readonly(qp),
        readonly(qa),
        readonly(qd),
        readonly(percent(qd, qp)),
        readonly(flags(qp, qd, th, 0.25)),
        readonly(tp),
        readonly(ta),
        readonly(td),
        readonly(percent(td, tp)),
        readonly(flags(tp, td, th)),
        split,
    )
