"""Episodes as read from a register, cleaned, and joined into stays (docs/ladder.md).

An *episode* is one row of an export: a child in one step from `start` to `end` (None: still
open). Exports repeat rows, overlap them and split one placement into many rows (a new
episode for every change of placement or legal status). `clean` removes duplicates and
overlaps — each with a finding, never silently — and `stays` joins consecutive episodes in
the same step into one *stay*: the clock of the time in the step runs on across them.

Time is in calendar months since year 0 (`month_index`): whole months between two first days
are exact, and the 18th birthday is exactly 216 months after the birth.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ..errors import InvalidValue
from ..i18n import DEFAULT_LANG, N_, Msg
from ..numbers import format_number

_CPR = re.compile(r"^(\d{2})(\d{2})(\d{2})[- ]?(\d{4})$")
_DATE_DMY = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")


def looks_like_cpr(value: str) -> bool:
    """DDMMYY-XXXX or 10 digits whose first six are a valid date (any century)."""
    m = _CPR.match(value.strip())
    if not m:
        return False
    d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    for century in (1900, 2000):
        try:
            dt.date(century + y, mo, d)
            return True
        except ValueError:
            continue
    return False


class DateError(InvalidValue):
    """A text that is not a date; `message` words it in any language."""


def parse_date(text: str) -> dt.date:
    """2024-05-31 or 31-05-2024 (also with . or /); DateError for anything else, including a
    day that the month does not have (31.02.2024)."""
    s = text.strip()
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        pass
    m = _DATE_DMY.match(s)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
    raise DateError(
        Msg("{value} er ikke en dato; skriv 2024-05-31 eller 31-05-2024", value=repr(s))
    )


def month_index(d: dt.date) -> float:
    """Calendar months since year 0: whole months between two first days are exact."""
    return 12 * d.year + d.month - 1 + (d.day - 1) / calendar.monthrange(d.year, d.month)[1]


def month_date(m: float) -> dt.date:
    """The inverse of `month_index`, to the nearest day."""
    year, mo = divmod(int(math.floor(m)), 12)
    days = calendar.monthrange(year, mo + 1)[1]
    day = int(round((m - math.floor(m)) * days)) + 1
    if day > days:
        return dt.date(year, mo + 1, days) + dt.timedelta(days=day - days)
    return dt.date(year, mo + 1, day)


class Num(Msg):
    """A number in a message, formatted when the message is worded (`1,25` da, `1.25` en)."""

    def __init__(self, value: float, decimals: int = 0) -> None:
        Msg.__init__(self, "")
        object.__setattr__(self, "params", {"value": float(value), "decimals": decimals})

    def render(self, lang: str = DEFAULT_LANG) -> str:
        return format_number(self.params["value"], int(self.params["decimals"]), lang)


# code -> short title (a catalogue msgid): the ladder's findings on an episode export.
FINDINGS: dict[str, str] = {
    "DUPLICATE": N_("Dobbelte forløb fjernet"),
    "OVERLAP_SAME_STEP": N_("Overlappende forløb på samme trin slået sammen"),
    "OVERLAP": N_("Overlappende forløb: det senere erstatter det tidligere"),
    "BIRTH_MISMATCH": N_("Forskellige fødselsdatoer for samme barn; den første er brugt"),
    "BEFORE_BIRTH": N_("Forløb der begynder før fødslen er sprunget over"),
    "UNMAPPED_CODE": N_("Forløb med en kode uden trin er sprunget over"),
    "LOOKS_LIKE_EXTRACT": N_("Data ligner et udtræk: mange forløb er åbne ved den første dato"),
}


@dataclass(frozen=True)
class Finding:
    """`count` episodes (first lines `lines`) cleaned by rule `code` (FINDINGS)."""

    code: str
    count: int
    lines: tuple[int, ...] = ()

    @property
    def title(self) -> str:
        return FINDINGS[self.code]

    def message(self) -> Msg:
        lines = ", ".join(str(n) for n in self.lines[:5])
        if not lines:
            return Msg.plural_of(
                "{title}: {n} forløb", "{title}: {n} forløb", self.count, title=Msg(self.title)
            )
        return Msg.plural_of(
            "{title}: {n} forløb (linje {lines})",
            "{title}: {n} forløb (linjer {lines})",
            self.count,
            title=Msg(self.title),
            lines=lines,
        )


class Episode(NamedTuple):
    """One row of an export (a named tuple: a million of them are made quickly)."""

    child: str
    birth: float  # month index of the birth (exact, or assumed from a year or an age)
    step: int  # ladder index (1..K)
    start: float
    end: float | None
    line: int
    born: dt.date | None = None  # the birth date when the export gives it


def birthday(born: dt.date, years: int) -> dt.date:
    """The `years`th birthday (29 February: 1 March in a year without one)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return dt.date(born.year + years, 3, 1)


@dataclass(frozen=True)
class EpisodeSet:
    """Episodes read from one export, with what the reader found and assumed."""

    episodes: tuple[Episode, ...]
    latest: float  # the latest date in the file (month index)
    age_source: str  # "birth_date", "birth_year" or "age"
    source: str  # the file
    source_format: str = "csv"  # "csv" or "ssda903"
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def earliest(self) -> float:
        return min(e.start for e in self.episodes)


@dataclass(frozen=True)
class Stays:
    """Stays as arrays (one element per stay). `to`: the step moved to, 0 = case closed,
    -1 = open at the end of the data. `entry`: the child's first stay, or back after a gap."""

    child: np.ndarray
    birth: np.ndarray
    step: np.ndarray
    start: np.ndarray
    end: np.ndarray  # inf while open
    to: np.ndarray
    entry: np.ndarray
    n_children: int
    out: np.ndarray  # the `max_age` birthday: a stay ending then (or later) ages out


def as_of_view(episodes: list[Episode], end: float) -> list[Episode]:
    """The export as it would have looked at `end`: later episodes absent, later ends open."""
    out = []
    for e in episodes:
        if e.start > end:
            continue
        if e.end is not None and e.end > end:
            e = Episode(e.child, e.birth, e.step, e.start, None, e.line, e.born)
        out.append(e)
    return out


class _Count:
    def __init__(self) -> None:
        self.lines: dict[str, list[int]] = {}

    def add(self, code: str, line: int) -> None:
        self.lines.setdefault(code, []).append(line)

    def findings(self) -> list[Finding]:
        return [Finding(c, len(v), tuple(sorted(v)[:5])) for c, v in self.lines.items()]


def _order(e: Episode) -> tuple:
    return (e.start, math.inf if e.end is None else e.end, e.step, e.line)


def clean(
    episodes: list[Episode] | tuple[Episode, ...], exact_births: bool = True
) -> tuple[dict[str, list[Episode]], list[Finding]]:
    """Each child's episodes in order, without duplicates or overlaps: an exact duplicate is
    dropped; an episode that starts before the previous one ends cuts it there (a later
    measure replaces an earlier one) or, in the same step, extends it; of two starting on the
    same day in different steps, the longer one is kept (one ending that day comes first).
    The child's birth is that of its first episode (with `exact_births`, a different birth on
    another row is a finding)."""
    found = _Count()
    by_child: dict[str, list[Episode]] = {}
    for e in episodes:
        by_child.setdefault(e.child, []).append(e)
    out: dict[str, list[Episode]] = {}
    for cid, eps in by_child.items():
        if len(eps) == 1:  # most children: nothing to sort, join or cut
            if eps[0].start < eps[0].birth:
                found.add("BEFORE_BIRTH", eps[0].line)
                eps = []
            out[cid] = eps
            continue
        eps.sort(key=_order)
        birth, born = eps[0].birth, eps[0].born
        if exact_births and any(abs(e.birth - birth) > 1e-9 for e in eps):
            found.add("BIRTH_MISMATCH", eps[0].line)
        kept: list[Episode] = []
        for e in eps:
            e = Episode(cid, birth, e.step, e.start, e.end, e.line, born)
            if e.start < birth:
                found.add("BEFORE_BIRTH", e.line)
                continue
            if not kept:
                kept.append(e)
                continue
            p = kept[-1]
            p_end = math.inf if p.end is None else p.end
            e_end = math.inf if e.end is None else e.end
            if (p.step, p.start, p_end) == (e.step, e.start, e_end):
                found.add("DUPLICATE", e.line)
                continue
            if e.start >= p_end:
                kept.append(e)
            elif e.step == p.step:
                found.add("OVERLAP_SAME_STEP", e.line)
                end = None if max(p_end, e_end) == math.inf else max(p_end, e_end)
                kept[-1] = Episode(cid, birth, p.step, p.start, end, p.line, born)
            elif e.start == p.start:  # sorted by end: e is the longer one
                found.add("OVERLAP", e.line)
                kept[-1] = e
            else:
                found.add("OVERLAP", e.line)
                kept[-1] = Episode(cid, birth, p.step, p.start, e.start, p.line, born)
                kept.append(e)
        out[cid] = kept
    return {c: eps for c, eps in out.items() if eps}, found.findings()


def stays(by_child: dict[str, list[Episode]], gap_months: float, max_age: int = 18) -> Stays:
    """Join each child's cleaned episodes into stays. The next episode within the gap is a
    move to its step at this one's end (in the same step: the stay goes on); no next episode
    within the gap is a closed case; an open episode leaves the stay open."""
    child: list[int] = []
    births: list[float] = []
    step: list[int] = []
    start: list[float] = []
    ends: list[float] = []
    tos: list[int] = []
    entry: list[bool] = []
    outs: list[float] = []
    for n, eps in enumerate(by_child.values()):
        b = eps[0].born
        out = month_index(birthday(b, max_age)) if b else eps[0].birth + 12 * max_age
        if len(eps) == 1:
            e = eps[0]
            child.append(n)
            births.append(e.birth)
            step.append(e.step)
            start.append(e.start)
            ends.append(math.inf if e.end is None else e.end)
            tos.append(-1 if e.end is None else 0)
            entry.append(True)
            outs.append(out)
            continue
        cur: Episode | None = None
        cur_start = 0.0
        is_entry = True
        for i, e in enumerate(eps):
            if cur is None:
                cur, cur_start = e, e.start
            nxt = eps[i + 1] if i + 1 < len(eps) else None
            if e.end is None:
                to, end = -1, math.inf
            elif nxt is not None and nxt.start - e.end <= gap_months:
                if nxt.step == cur.step:
                    continue  # the stay goes on in the next episode
                to, end = nxt.step, e.end
            else:
                to, end = 0, e.end
            child.append(n)  # one stay
            births.append(e.birth)
            step.append(cur.step)
            start.append(cur_start)
            ends.append(end)
            tos.append(to)
            entry.append(is_entry)
            outs.append(out)
            is_entry = to == 0
            cur = None
            if e.end is None:
                break  # an open episode is the child's last (clean cut the rest)
    return Stays(
        np.asarray(child, np.int64),
        np.asarray(births, float),
        np.asarray(step, np.int64),
        np.asarray(start, float),
        np.asarray(ends, float),
        np.asarray(tos, np.int64),
        np.asarray(entry, bool),
        len(by_child),
        np.asarray(outs, float),
    )
