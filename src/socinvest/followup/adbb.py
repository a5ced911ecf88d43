"""ADBB (Alarm Distress Baby Scale): health visitors' screenings of infants (2–24 months) for
sustained withdrawal.

Input: one row per screening, semicolon CSV `child_id;date;age_months;i1;…;i8`, eight items
scored 0–4 (total 0–32). A total at or above the threshold (5, `adbb.threshold`, Guedeney &
Fermanian 2001) flags withdrawal.

Per child (screenings in date order, ties in file order), one of four outcomes:
- not flagged: no screening at or above the threshold;
- resolved: flagged, and the next later screening within the follow-up window
  (`adbb.followup_days`, counted from the first flagged screening) is below the threshold;
- still flagged: flagged, and that re-screen is at or above the threshold;
- no follow-up: flagged, and no later screening within the window.
"Follow-up done" is resolved + still flagged. A child belongs to the period (half year or year)
of its first screening. Counts are of children, with small cells suppressed (privacy.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from ..i18n import Msg
from . import cells, csvread
from .fit import _compact
from .params import Parameters, dated, default, half_year
from .privacy import Table, share_hidden, suppress

ITEMS = tuple(f"i{k}" for k in range(1, 9))
HEADER = ("child_id", "date", "age_months", *ITEMS)
CATEGORIES = ("not_flagged", "resolved", "still_flagged", "no_followup")


def _item_message(col: str) -> Msg:
    return Msg("{item}: skal være et helt tal fra 0 til 4", item=col)


@dataclass(frozen=True)
class Screenings:
    """Valid screenings as read-only arrays; child ids are pseudonymous texts kept as codes."""

    child: np.ndarray
    child_names: tuple[str, ...]
    day: np.ndarray  # proleptic ordinal
    age_months: np.ndarray
    total: np.ndarray  # 0–32
    line: np.ndarray
    problems: tuple[csvread.Problem, ...]


def read_screenings(
    path: str | Path,
    *,
    strict: bool = False,
    params: Parameters | None = None,
    max_bytes: int = csvread.MAX_BYTES,
) -> Screenings:
    p = params or default()
    rows = csvread.read_rows(path, HEADER, max_bytes=max_bytes)  # strict: below, all at once
    problems = list(rows.problems)
    bad = np.zeros(len(rows), dtype=bool)
    day = cells.days(rows, "date")
    cells.reject(
        rows, "date", day == cells.INVALID,
        Msg("date: ikke en dato; skriv 2018-03-05 eller 05-03-2018"), problems, bad,
    )  # fmt: skip
    age = cells.small_ints(rows, "age_months", 0, 999)
    cells.reject(
        rows, "age_months", age == cells.INVALID,
        Msg("age_months: skal være et helt antal måneder"), problems, bad,
    )  # fmt: skip
    total = np.zeros(len(rows), dtype=np.int64)
    for col in ITEMS:
        v = cells.small_ints(rows, col, 0, 4)
        invalid = v == cells.INVALID
        cells.reject(rows, col, invalid, _item_message(col), problems, bad)
        total += np.where(invalid, 0, v)
    some = day[~bad].min() if (~bad).any() else dt.date(2020, 1, 1).toordinal()
    ok_days = np.where(bad, some, day)  # rows already bad need no age check
    lo = dated(p, "adbb.age_min_months", ok_days)
    hi = dated(p, "adbb.age_max_months", ok_days)
    outside = ~bad & ((age < lo) | (age > hi))
    for k in np.flatnonzero(outside):
        problems.append(
            csvread.Problem(
                rows.path,
                int(rows.lines[k]),
                rows.positions["age_months"],
                Msg(
                    "age_months: ADBB bruges fra {lo} til {hi} måneders alderen",
                    lo=int(lo[k]),
                    hi=int(hi[k]),
                ),
            )
        )
    bad |= outside
    child, values = cells.factor(rows, ("child_id",))
    empty = [i for i, (v,) in enumerate(values) if not v]
    if empty:
        msg = Msg("{column}: tomt felt", column="child_id")
        cells.reject(rows, "child_id", np.isin(child, empty), msg, problems, bad)
    if strict and problems:
        raise csvread.refuse(csvread.sort_problems(problems), rows.path)
    keep = ~bad
    child_k, kept = _compact(child, keep, values)
    names = [v for (v,) in kept]
    arrays = [child_k, day[keep], age[keep], total[keep], rows.lines[keep]]
    for a in arrays:
        a.setflags(write=False)
    return Screenings(
        arrays[0], tuple(names), arrays[1], arrays[2], arrays[3], arrays[4],
        csvread.sort_problems(problems),
    )  # fmt: skip


@dataclass(frozen=True)
class Children:
    """One entry per screened child (read-only): first screening day and outcome category."""

    child: np.ndarray  # code into Screenings.child_names
    first_day: np.ndarray
    screenings: np.ndarray
    category: np.ndarray  # index into CATEGORIES


def children(s: Screenings, params: Parameters | None = None) -> Children:
    p = params or default()
    order = np.lexsort((s.line, s.day, s.child))
    c, d = s.child[order], s.day[order]
    flag = s.total[order] >= dated(p, "adbb.threshold", d)
    window = dated(p, "adbb.followup_days", d)
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if len(c) else np.zeros(0, np.int64)
    ends = np.r_[starts[1:], len(c)]
    category = np.zeros(len(starts), dtype=np.int64)
    for k in np.flatnonzero(np.logical_or.reduceat(flag, starts) if len(c) else []):
        a, b = starts[k], ends[k]
        f = a + int(np.argmax(flag[a:b]))
        later = np.flatnonzero((d[f + 1 : b] > d[f]) & (d[f + 1 : b] <= d[f] + window[f]))
        if len(later) == 0:
            category[k] = 3
        else:
            category[k] = 2 if flag[f + 1 + later[0]] else 1
    out = Children(c[starts], d[starts], ends - starts, category)
    for arr in (out.child, out.first_day, out.screenings, out.category):
        arr.setflags(write=False)
    return out


@dataclass(frozen=True)
class Summary:
    """Children by period of first screening and outcome, small cells suppressed. `periods`
    are (year, half) with half 1–2, or (year, 0) for whole years; the table's last row is the
    total. Shares are NaN where hidden, counts None."""

    periods: tuple[tuple[int, int], ...]
    table: Table  # CATEGORIES + total column
    flagged_share: np.ndarray  # flagged / screened children
    followup_share: np.ndarray  # re-screened within the window / flagged
    resolved_share: np.ndarray  # resolved / re-screened
    screened_share: float | None  # screened children / the given number of children
    min_persons: int


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.full(len(num), np.nan)
    ok = ~np.isnan(num) & ~np.isnan(den) & (den > 0)
    out[ok] = num[ok] / den[ok]
    out.setflags(write=False)
    return out


def summary(
    ch: Children,
    params: Parameters | None = None,
    *,
    period: Literal["half", "year"] = "half",
    children_in_target: int | None = None,
) -> Summary:
    """The period × outcome table. Derived figures use shown cells only, so they reveal
    nothing the table hides. `children_in_target`: how many children should have been
    screened (e.g. births in the pilot areas), for the share screened."""
    p = params or default()
    last = (
        dt.date.fromordinal(int(ch.first_day.max())) if len(ch.first_day) else dt.date(2000, 1, 1)
    )
    min_n = p.integer("privacy.min_persons", last)
    half = half_year(ch.first_day)
    key = half if period == "half" else half // 2
    uniq, row = np.unique(key, return_inverse=True)
    interior = np.bincount(row * 4 + ch.category, minlength=len(uniq) * 4).reshape(len(uniq), 4)
    table = suppress(interior, min_n)
    periods = tuple(
        (int(k) // 2, int(k) % 2 + 1) if period == "half" else (int(k), 0) for k in uniq
    )
    v = np.where(table.hidden, np.nan, table.counts.astype(float))
    flagged = np.where(
        np.isnan(v[:, 0]) | np.isnan(v[:, 4]), v[:, 1] + v[:, 2] + v[:, 3], v[:, 4] - v[:, 0]
    )
    followed = v[:, 1] + v[:, 2]
    followed = np.where(np.isnan(followed), flagged - v[:, 3], followed)
    screened = None
    grand = table.shown(len(uniq), 4)
    if (
        children_in_target is not None
        and grand is not None
        and children_in_target > 0
        and not share_hidden(grand, max(children_in_target, grand), min_n)
    ):
        screened = grand / children_in_target
    return Summary(
        periods=periods,
        table=table,
        flagged_share=_ratio(flagged, v[:, 4]),
        followup_share=_ratio(followed, flagged),
        resolved_share=_ratio(v[:, 1], followed),
        screened_share=screened,
        min_persons=min_n,
    )


def summarise(
    path: str | Path,
    *,
    strict: bool = False,
    params: Parameters | None = None,
    period: Literal["half", "year"] = "half",
    children_in_target: int | None = None,
) -> tuple[Summary, tuple[csvread.Problem, ...]]:
    """Read a screening file and summarise it (the `adbb summary` face's one call)."""
    s = read_screenings(path, strict=strict, params=params)
    sm = summary(children(s, params), params, period=period, children_in_target=children_in_target)
    return sm, s.problems
