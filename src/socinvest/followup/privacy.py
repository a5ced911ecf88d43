"""Privacy of follow-up data: no CPR numbers in, no small cells out.

- **CPR numbers.** Records of children are sensitive; files must carry pseudonymous ids only.
  Anything that looks like a CPR number (ddmmyy-nnnn with a valid day and month, with or
  without a separator: `0101901234`, `010190-1234`, `010190 - 1234`, `010190–1234`,
  `01.01.90-1234`, `CPR 010190-1234`) refuses the whole file. The message names the file, line
  and column, never the value (an error message is copied into e-mails and tickets).
- **Small cells.** An aggregate of fewer than `min_persons` persons (5, the discretion rule of
  Danish statistics; a dated parameter) is hidden (primary suppression). So that a hidden cell
  cannot be recovered by subtracting the shown cells of its row or column from the shown total,
  further cells are hidden (secondary suppression) until no hidden small cell is determined by
  the shown figures: every row, column and total line holds either no hidden cell or at least
  two, and no combination of lines pins a small cell down (checked by linear algebra on the
  hidden cells). Secondary cells are the smallest non-zero shown cells (least loss).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..i18n import Msg

_DASH = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_CPR = re.compile(
    rf"(?<!\d)(\d{{2}})([./\-]?)(\d{{2}})\2(\d{{2}})[ \t]*[{_DASH}]?[ \t]*(\d{{4}})(?!\d)"
)


def _valid_birth_date(day: int, month: int, yy: int) -> bool:
    for century in (1900, 2000):
        try:
            dt.date(century + yy, month, day)
            return True
        except ValueError:
            continue
    return False


def find_cpr(text: str) -> int | None:
    """Offset of the first CPR-like number in `text`, or None."""
    for m in _CPR.finditer(text):
        if _valid_birth_date(int(m.group(1)), int(m.group(3)), int(m.group(4))):
            return m.start()
    return None


def looks_like_cpr(value: str) -> bool:
    return find_cpr(value) is not None


def _cpr_message(where: str) -> Msg:
    return Msg(
        "{where}: ligner et CPR-nummer (ddmmåå-xxxx); personnumre må ikke bruges – erstat "
        "dem med pseudonyme id'er (værdien vises ikke her)",
        where=where,
    )


def cpr_error(where: str) -> InputError:
    """The refusal of a CPR-like number at `where` (file:line[:column]), without the value."""
    return InputError(_cpr_message(where))


def refuse_cpr(text: str, path: str | Path, delimiter: str = ";", first_line: int = 1) -> None:
    """Raise InputError naming file, line and column (field number) of the first CPR-like
    number in `text` (the file's content); the value itself is never part of the message."""
    pos = find_cpr(text)
    if pos is None:
        return
    start = text.rfind("\n", 0, pos) + 1
    line = text.count("\n", 0, start) + first_line
    prefix = text[start:pos].rstrip("\r")
    column = len(next(csv.reader([prefix], delimiter=delimiter))) if prefix else 1
    raise InputError(_cpr_message(f"{path}:{line}:{column}"))


def check_ids(values: list[str] | tuple[str, ...], where: str) -> None:
    """Refuse CPR-like ids given directly (not from a file); `where` locates them."""
    for i, v in enumerate(values):
        if looks_like_cpr(v):
            raise InputError(_cpr_message(f"{where}[{i + 1}]"))


# ---------------------------------------------------------------- small-cell suppression


@dataclass(frozen=True)
class Table:
    """A table of person counts after suppression. `counts` has the interior cells and, when
    present, a last column of row totals and a last row of column totals; a hidden cell holds
    -1 (its value is not kept). `primary` marks cells hidden for being small, `hidden` every
    hidden cell (primary and secondary)."""

    counts: np.ndarray
    hidden: np.ndarray
    primary: np.ndarray
    row_totals: bool
    col_totals: bool

    def shown(self, i: int, j: int) -> int | None:
        return None if self.hidden[i, j] else int(self.counts[i, j])

    def lines(self) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
        rows, cols = self.counts.shape
        return _lines(int(rows), int(cols), self.row_totals, self.col_totals)


def _lines(
    rows: int, cols: int, row_totals: bool, col_totals: bool
) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Every additive relation: (parts, total) with cells as (row, column) of the full array."""
    r_in = rows - 1 if col_totals else rows
    c_in = cols - 1 if row_totals else cols
    out = []
    if row_totals:
        for i in range(rows):
            out.append(([(i, j) for j in range(c_in)], (i, c_in)))
    if col_totals:
        for j in range(cols):
            out.append(([(i, j) for i in range(r_in)], (r_in, j)))
    return out


def _determined(hidden: np.ndarray, lines: list, protect: np.ndarray) -> list[tuple[int, int]]:
    """Protected hidden cells whose value follows from the shown cells (linear algebra)."""
    cells = [tuple(c) for c in np.argwhere(hidden)]
    if not cells:
        return []
    index = {c: k for k, c in enumerate(cells)}
    a = np.zeros((len(lines), len(cells)))
    for r, (parts, total) in enumerate(lines):
        for c in parts:
            if c in index:
                a[r, index[c]] += 1.0
        if total in index:
            a[r, index[total]] -= 1.0
    a = a[np.any(a != 0, axis=1)]
    if a.shape[0] == 0:
        return [c for c in cells if protect[c]]
    _, s, vt = np.linalg.svd(a)
    rank = int(np.sum(s > 1e-9))
    null = vt[rank:]  # rows span the null space of a
    free = np.abs(null).max(axis=0) > 1e-9 if null.shape[0] else np.zeros(len(cells), bool)
    return [c for k, c in enumerate(cells) if protect[c] and not free[k]]


def _pick(values: np.ndarray, hidden: np.ndarray, cells: list[tuple[int, int]]):
    """The shown cell to hide next: the smallest non-zero one (a zero only if none)."""
    shown = [c for c in cells if not hidden[c]]
    if not shown:
        return None
    return min(shown, key=lambda c: (values[c] == 0, values[c], c))


def suppress(
    interior: np.ndarray, min_persons: int, *, row_totals: bool = True, col_totals: bool = True
) -> Table:
    """Add the margins to `interior` (counts of persons, rows × columns) and hide small cells
    with secondary suppression (module docstring)."""
    x = np.asarray(interior, dtype=np.int64)
    if x.ndim != 2 or (x < 0).any():
        raise ValueError("interior must be a 2-D array of non-negative counts")
    full = x
    if row_totals:
        full = np.column_stack([full, full.sum(axis=1)])
    if col_totals:
        full = np.vstack([full, full.sum(axis=0)])
    lines = _lines(int(full.shape[0]), int(full.shape[1]), row_totals, col_totals)
    primary = (full > 0) & (full < min_persons)
    hidden = primary.copy()
    while True:
        changed = False
        for parts, total in lines:
            line = [*parts, total]
            if sum(bool(hidden[c]) for c in line) == 1:
                c = _pick(full, hidden, line)
                if c is not None:
                    hidden[c] = True
                    changed = True
        if changed:
            continue
        exposed = _determined(hidden, lines, primary)
        if not exposed:
            break
        target = exposed[0]
        through = [[*p, t] for p, t in lines if target in p or target == t]
        options = [c for line in through for c in line if not hidden[c]]
        c = _pick(full, hidden, options)
        if c is None:  # pragma: no cover - a determined cell always has a shown neighbour
            break
        hidden[c] = True
    counts = np.where(hidden, -1, full)
    for arr in (counts, hidden, primary):
        arr.setflags(write=False)
    return Table(counts, hidden, primary, row_totals, col_totals)


def share_hidden(count: int, total: int, min_persons: int) -> bool:
    """A share k/n of persons is hidden when k, n or n − k is a small non-zero count (the
    complement n − k is a group of persons too)."""
    return any(0 < v < min_persons for v in (count, total, total - count))
