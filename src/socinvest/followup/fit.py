"""FIT (Feedback-Informed Treatment): ORS/SRS per session → per course → per team and half year.

Input: one row per session, semicolon CSV `client_id;course_id;team;date;age_group;ors;srs`
(age_group child | adolescent | adult; ORS and SRS 0–40 with at most one decimal, `23,4`;
SRS may be empty). Scores are kept as whole tenths (int), so "a change of at least 5 points"
is an exact integer comparison, never a float one.

Per course (a course is client_id + course_id; its team and age group are those of its intake,
its cut-offs those valid on its intake date, docs/followup-measures.md):
- intake = ORS of the first session, latest = ORS of the last (ties in date: file order);
- change = latest − intake; reliable improvement if change ≥ 5 points, reliable deterioration if
  change ≤ −5 (`fit.reliable_change`);
- clinically significant improvement: reliable improvement and intake below the age group's
  cut-off and latest at or above it (`fit.ors_cutoff.*`);
- alliance warning: sessions with SRS below 36 (`fit.srs_alliance_warning`);
- length in days (first to last session) and sessions; drop-out = one or two sessions.
A single-session course has no change to measure: it counts as a course and a drop-out, and is
left out of the team × half-year table (measurable courses), its shares and mean lengths.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..i18n import Msg
from . import cells, csvread
from .params import Parameters, dated, default, half_year
from .privacy import Table, share_hidden, suppress

HEADER = ("client_id", "course_id", "team", "date", "age_group", "ors", "srs")
AGE_GROUPS = ("child", "adolescent", "adult")
CATEGORIES = ("improved", "no_change", "deteriorated", "single_session")


@dataclass(frozen=True)
class Sessions:
    """Valid sessions as arrays (read-only); ids are pseudonymous texts kept as codes."""

    course: np.ndarray  # course code (client + course)
    course_names: tuple[tuple[str, str], ...]  # (client_id, course_id) per code
    team: np.ndarray
    team_names: tuple[str, ...]
    day: np.ndarray  # proleptic ordinal
    age_group: np.ndarray  # index into AGE_GROUPS
    ors: np.ndarray  # tenths
    srs: np.ndarray  # tenths; -1 when not given
    line: np.ndarray
    problems: tuple[csvread.Problem, ...]


def _compact(codes: np.ndarray, keep: np.ndarray, values: list) -> tuple[np.ndarray, list]:
    """Renumber the codes of the kept rows 0..k-1 (order kept), with their values."""
    present = np.zeros(len(values), dtype=bool)
    present[codes[keep]] = True
    new = np.cumsum(present) - 1
    return new[codes[keep]], [values[i] for i in np.flatnonzero(present)]


def read_sessions(
    path: str | Path, *, strict: bool = False, max_bytes: int = csvread.MAX_BYTES
) -> Sessions:
    """Read and validate a session file; bad lines are problems (module docstring)."""
    rows = csvread.read_rows(path, HEADER, max_bytes=max_bytes)  # strict: below, all at once
    problems = list(rows.problems)
    bad = np.zeros(len(rows), dtype=bool)
    bad_value = cells.INVALID
    day = cells.days(rows, "date")
    cells.reject(
        rows, "date", day == bad_value,
        Msg("date: ikke en dato; skriv 2018-03-05 eller 05-03-2018"), problems, bad,
    )  # fmt: skip
    group_codes, group_values = cells.factor(rows, ("age_group",))
    lookup = np.array([AGE_GROUPS.index(v.lower()) if v.lower() in AGE_GROUPS else -1
                       for (v,) in group_values] or [-1], dtype=np.int64)  # fmt: skip
    age = lookup[group_codes] if len(group_codes) else group_codes
    cells.reject(
        rows, "age_group", age < 0,
        Msg("age_group: skal være child, adolescent eller adult"), problems, bad,
    )  # fmt: skip
    ors = cells.tenths(rows, "ors", 400)
    cells.reject(
        rows, "ors", (ors == bad_value) | (ors < 0),
        Msg("ors: skal være et tal fra 0 til 40 med højst én decimal"), problems, bad,
    )  # fmt: skip
    srs = cells.tenths(rows, "srs", 400)
    cells.reject(
        rows, "srs", srs == bad_value,
        Msg("srs: skal være tom eller et tal fra 0 til 40 med højst én decimal"), problems, bad,
    )  # fmt: skip
    course, course_values = cells.factor(rows, ("client_id", "course_id"))
    team, team_values = cells.factor(rows, ("team",))
    for col, codes, values, part in (
        ("client_id", course, course_values, 0),
        ("course_id", course, course_values, 1),
        ("team", team, team_values, 0),
    ):
        empty = [i for i, v in enumerate(values) if not v[part]]
        if empty:
            msg = Msg("{column}: tomt felt", column=col)
            cells.reject(rows, col, np.isin(codes, empty), msg, problems, bad)
    if strict and problems:
        raise csvread.refuse(csvread.sort_problems(problems), rows.path)
    keep = ~bad
    course_k, course_names = _compact(course, keep, course_values)
    team_k, team_names = _compact(team, keep, team_values)
    arrays = [course_k, team_k, day[keep], age[keep], ors[keep], srs[keep], rows.lines[keep]]
    for arr in arrays:
        arr.setflags(write=False)
    return Sessions(
        arrays[0], tuple(course_names), arrays[1], tuple(t for (t,) in team_names),
        arrays[2], arrays[3], arrays[4], arrays[5], arrays[6], csvread.sort_problems(problems),
    )  # fmt: skip


@dataclass(frozen=True)
class Courses:
    """One entry per course (read-only arrays). Microdata with pseudonymous ids for the team's
    own clinical use; every aggregate goes through `summary`, which suppresses small cells."""

    names: tuple[tuple[str, str], ...]
    team: np.ndarray
    age_group: np.ndarray
    start: np.ndarray  # ordinal of the intake session
    end: np.ndarray  # ordinal of the latest session
    intake: np.ndarray  # ORS tenths
    latest: np.ndarray
    change: np.ndarray
    reliable_improvement: np.ndarray
    reliable_deterioration: np.ndarray
    clinically_significant: np.ndarray
    alliance_warnings: np.ndarray  # sessions with SRS below the warning level
    sessions: np.ndarray
    days: np.ndarray
    dropout: np.ndarray  # one or two sessions

    @property
    def category(self) -> np.ndarray:
        """Index into CATEGORIES."""
        return np.select(
            [self.sessions == 1, self.reliable_improvement, self.reliable_deterioration],
            [3, 0, 2],
            1,
        )


def courses(s: Sessions, params: Parameters | None = None) -> Courses:
    """Per-course figures, vectorised: sessions sorted by (course, date, line)."""
    p = params or default()
    # by course, then date; ties keep file order (a stable sort of one composite key)
    key = s.course * (1 << 32) + (s.day - (s.day.min() if len(s.day) else 0))
    if len(key) and bool((key[1:] >= key[:-1]).all()):
        order = np.arange(len(key))  # exported in order already
    else:
        order = np.argsort(key, kind="stable")
    c = s.course[order]
    if len(c) == 0:  # every row rejected (lenient): no courses, not ends = [-1]
        starts = ends = np.zeros(0, dtype=np.int64)
    else:
        starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
        ends = np.r_[starts[1:], len(c)] - 1
    first, last = order[starts], order[ends]
    start_day = s.day[first]
    intake, latest = s.ors[first], s.ors[last]
    change = latest - intake
    rc = dated(p, "fit.reliable_change", start_day, tenths=True)
    n = ends - starts + 1
    improved = (change >= rc) & (n > 1)
    deteriorated = (change <= -rc) & (n > 1)
    age = s.age_group[first]
    cut = np.choose(
        age, [dated(p, f"fit.ors_cutoff.{g}", start_day, tenths=True) for g in AGE_GROUPS]
    )
    warn_level = dated(p, "fit.srs_alliance_warning", s.day, tenths=True)
    warn = ((s.srs >= 0) & (s.srs < warn_level))[order].astype(np.int64)
    warnings = np.add.reduceat(warn, starts) if len(starts) else warn[:0]
    fields = dict(
        team=s.team[first],
        age_group=age,
        start=start_day,
        end=s.day[last],
        intake=intake,
        latest=latest,
        change=change,
        reliable_improvement=improved,
        reliable_deterioration=deteriorated,
        clinically_significant=improved & (intake < cut) & (latest >= cut),
        alliance_warnings=warnings,
        sessions=n,
        days=s.day[last] - start_day,
        dropout=n <= 2,
    )
    for a in fields.values():
        a.setflags(write=False)
    return Courses(names=s.course_names, **fields)


@dataclass(frozen=True)
class Summary:
    """Per team and half year (the half year of a course's latest session), small cells
    suppressed. The table counts the measurable courses (two sessions or more) by OUTCOMES, with
    a total column and a total row (last); `rows` name its rows (team, (year, half)). Shares
    and means are NaN where hidden; the overall counts (all courses) None where hidden."""

    rows: tuple[tuple[str, tuple[int, int]], ...]
    table: Table
    improved_share: np.ndarray  # reliably improved / measurable courses
    deteriorated_share: np.ndarray
    mean_days: np.ndarray  # mean length of the measurable courses
    mean_sessions: np.ndarray
    courses: int | None  # all courses, single-session ones included
    single_session: int | None
    dropouts: int | None  # one or two sessions
    clinically_significant: int | None
    alliance_warning_courses: int | None  # courses with at least one SRS below the level
    min_persons: int


OUTCOMES = CATEGORIES[:3]


def _share(table: Table, col: int) -> np.ndarray:
    t, h = table.counts, table.hidden
    ok = ~h[:, col] & ~h[:, 3] & (t[:, 3] > 0)
    out = np.full(len(t), np.nan)
    out[ok] = t[ok, col] / t[ok, 3]
    return out


def _hide_means(n: np.ndarray, hidden_total: np.ndarray, min_n: int) -> np.ndarray:
    """Rows whose mean is hidden: the row's count is hidden or small, and never exactly one row
    (its sum would follow from the total's mean)."""
    hide = (n < min_n) | hidden_total
    if hide[:-1].sum() == 1:
        cand = np.flatnonzero(~hide[:-1])
        if len(cand):
            hide[cand[np.argmin(n[cand])]] = True
        else:  # pragma: no cover - with one row the total is that row
            hide[-1] = True
    return hide


def summary(c: Courses, team_names: tuple[str, ...], params: Parameters | None = None) -> Summary:
    """The team × half-year table; the discretion limit is the one valid on the last date."""
    p = params or default()
    last = dt.date.fromordinal(int(c.end.max())) if len(c.end) else dt.date(2000, 1, 1)
    min_n = p.integer("privacy.min_persons", last)
    cat = c.category
    m = cat != 3
    key = c.team[m] * 100_000 + half_year(c.end[m])
    uniq, row = np.unique(key, return_inverse=True)
    interior = np.bincount(row * 3 + cat[m], minlength=len(uniq) * 3).reshape(len(uniq), 3)
    table = suppress(interior, min_n)
    rows = tuple(
        (team_names[int(k) // 100_000], (int(k) % 100_000 // 2, int(k) % 2 + 1)) for k in uniq
    )
    n = np.r_[interior.sum(axis=1), interior.sum()]
    sum_days = np.bincount(row, weights=c.days[m], minlength=len(uniq))
    sum_sess = np.bincount(row, weights=c.sessions[m], minlength=len(uniq))
    hide = _hide_means(n, table.hidden[:, 3], min_n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_days = np.r_[sum_days, sum_days.sum()] / n
        mean_sessions = np.r_[sum_sess, sum_sess.sum()] / n
    mean_days[hide] = np.nan
    mean_sessions[hide] = np.nan
    total = len(c.sessions)
    single = total - int(n[-1])
    clin = int(c.clinically_significant.sum())
    drop = int(c.dropout.sum())
    warn = int((c.alliance_warnings > 0).sum())
    small = share_hidden  # a count k of n persons, with its complement n − k
    arrays = [_share(table, 0), _share(table, 2), mean_days, mean_sessions]
    for a in arrays:
        a.setflags(write=False)
    return Summary(
        rows=rows,
        table=table,
        improved_share=arrays[0],
        deteriorated_share=arrays[1],
        mean_days=arrays[2],
        mean_sessions=arrays[3],
        courses=None if 0 < total < min_n or table.hidden[-1, 3] else total,
        single_session=None if small(single, total, min_n) else single,
        dropouts=None if small(drop, total, min_n) or 0 < drop - single < min_n else drop,
        clinically_significant=None
        if small(clin, int(interior[:, 0].sum()), min_n) or small(clin, total, min_n)
        else clin,
        alliance_warning_courses=None if small(warn, total, min_n) else warn,
        min_persons=min_n,
    )


def summarise(
    path: str | Path, *, strict: bool = False, params: Parameters | None = None
) -> tuple[Summary, tuple[csvread.Problem, ...]]:
    """Read a session file and summarise it (the `fit summary` face's one call)."""
    s = read_sessions(path, strict=strict)
    return summary(courses(s, params), s.team_names, params), s.problems
