"""Small helpers shared by the section builders: numbers and year runs as text (Danish
`-1.763` or English `-1,763`), numeric table cells, and the numbering of tables and figures."""

from __future__ import annotations

import numpy as np

from ...case.schema import Area
from ...engine.results import UNALLOCATED, Results
from ...numbers import format_number
from ..table1 import AREAS
from .labels import T
from .model import Cell


def _amount(v: float, lang: str) -> str:
    return format_number(float(v), 0, lang)


def _value(v: float, lang: str, max_decimals: int = 4) -> str:
    """A parameter value with as many decimals as it needs (500, 0,6, 587,667)."""
    v = float(v)
    for d in range(max_decimals + 1):
        if abs(round(v, d) - v) < 1e-9 * max(1.0, abs(v)):
            return format_number(v, d, lang)
    return format_number(v, max_decimals, lang)


def _year_ranges(years: list[int]) -> str:
    """2017, 2018, 2019, 2029 -> '2017–2019, 2029'."""
    out: list[str] = []
    start: int | None = None
    prev = 0
    for y in years:
        if start is None:
            start = prev = y
        elif y == prev + 1:
            prev = y
        else:
            out.append(f"{start}" if start == prev else f"{start}–{prev}")
            start = prev = y
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}–{prev}")
    return ", ".join(out)


def _runs(values: np.ndarray, years: list[int], lang: str) -> str:
    """Year vector as '2017–2018: 5; 2019–2022: 8' (a single value when constant)."""
    groups: dict[float, list[int]] = {}
    for y, v in zip(years, values, strict=True):
        groups.setdefault(float(v), []).append(y)
    if len(groups) == 1:
        return _value(next(iter(groups)), lang)
    # consecutive runs in year order
    parts: list[str] = []
    i = 0
    while i < len(years):
        j = i
        while j + 1 < len(years) and float(values[j + 1]) == float(values[i]):
            j += 1
        yr = f"{years[i]}" if i == j else f"{years[i]}–{years[j]}"
        parts.append(f"{yr}: {_value(values[i], lang)}")
        i = j + 1
    return "; ".join(parts)


def _paragraphs(text: str) -> list[str]:
    chunks = [" ".join(c.split()) for c in text.replace("\r\n", "\n").split("\n\n")]
    return [c for c in chunks if c]


def _committee_name(res: Results, c: str, lang: str) -> str:
    if c == UNALLOCATED:
        return T[lang]["unallocated"]
    return res.case.committees.get(c, c)


def _numcells(values, lang: str, blank_zero: bool) -> tuple[Cell, ...]:
    out = []
    for v in values:
        v = float(v)
        text = "" if blank_zero and abs(v) < 1e-9 else _amount(v, lang)
        out.append(Cell(text, v))
    return tuple(out)


def _area(a: Area, lang: str) -> str:
    return str(AREAS[lang][a])


# -- numbering -----------------------------------------------------------------------------


class Numbers:
    """Running numbers of a document's sections, tables and figures (every report: case,
    pool, ladder, follow-up)."""

    def __init__(self) -> None:
        self.section = self.table = self.figure = 0

    def next_table(self) -> int:
        self.table += 1
        return self.table

    def tables(self, k: int) -> list[int]:
        """The numbers of the next `k` tables."""
        return [self.next_table() for _ in range(k)]

    def next_figure(self) -> int:
        self.figure += 1
        return self.figure

    def heading(self, text: str) -> str:
        """`text` as the next numbered section heading ('3. Økonomi')."""
        self.section += 1
        return f"{self.section}. {text}"
