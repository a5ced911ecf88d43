"""Column converters on `csvread.Rows`, vectorised: scores in whole tenths, dates, small whole
numbers, and factorising texts into integer codes. A cell that cannot be read becomes INVALID
and is reported by `reject` (located, never echoed); texts are checked for CPR numbers."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Sequence

import numpy as np

from ..errors import Text
from .csvread import Problem, Rows
from .privacy import cpr_error, looks_like_cpr

INVALID = np.iinfo(np.int64).min  # a cell that could not be read
_ASCII_DIGITS = re.compile(r"[0-9]+")
"""Digits as a number is written here: str.isdigit and int() also take '²' and '٣'."""


def _is_number(text: str) -> bool:
    return _ASCII_DIGITS.fullmatch(text) is not None


def _digits(m: np.ndarray) -> np.ndarray:
    return (m >= 48) & (m <= 57)


def tenths(rows: Rows, column: str, top: int) -> np.ndarray:
    """`23,4`/`23.4`/`23` → 234 (int64); -1 where the cell is empty; INVALID where it is not a
    number from 0 to top/10 with at most one significant decimal."""
    n = rows.length[column]
    m = rows.matrix(column, 5).astype(np.int64)
    d = _digits(m)
    v = m - 48
    sep = (m == 44) | (m == 46)
    out = np.full(len(n), INVALID, dtype=np.int64)
    forms = [
        (1, d[:, 0], v[:, 0] * 10),
        (2, d[:, 0] & d[:, 1], v[:, 0] * 100 + v[:, 1] * 10),
        (3, d[:, 0] & sep[:, 1] & d[:, 2], v[:, 0] * 10 + v[:, 2]),
        (4, d[:, 0] & d[:, 1] & sep[:, 2] & d[:, 3], v[:, 0] * 100 + v[:, 1] * 10 + v[:, 3]),
    ]
    for length, ok, value in forms:
        sel = (n == length) & ok
        out[sel] = value[sel]
    out[n == 0] = -1
    rest = np.flatnonzero((out == INVALID) & (n > 0))
    for k in rest:  # unusual forms (`23,40`, ` 7`): the slow, exact way
        t = rows.text(column, int(k))
        whole, _, frac = t.replace(".", ",").partition(",")
        number = _is_number(whole) and len(whole) <= 3 and (_is_number(frac) or not _)
        if number and frac[1:].strip("0") == "":
            out[k] = int(whole) * 10 + int(frac[:1] or 0)
    out[(out > top)] = INVALID
    return out


def parse_date(text: str) -> int | None:
    """`2018-03-05`, or `05-03-2018` / `5.3.2018` / `05/03/2018` → proleptic ordinal."""
    t = text.strip()
    if not t.isascii():  # int() and fromisoformat take non-ASCII digits too
        return None
    with contextlib.suppress(ValueError):
        if len(t) == 10 and t[4] == "-" and t[7] == "-":
            return dt.date.fromisoformat(t).toordinal()
        parts = t.replace(".", "-").replace("/", "-").split("-")
        if len(parts) == 3 and all(_is_number(x) for x in parts) and len(parts[2]) == 4:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0])).toordinal()
    return None


def days(rows: Rows, column: str) -> np.ndarray:
    """Dates (`parse_date`) → proleptic ordinals; INVALID where a cell is not a date. Each
    distinct text is parsed once (a file holds a few hundred distinct days)."""
    codes, values = factor(rows, (column,))
    parsed = [parse_date(v) for (v,) in values]
    table = np.array([INVALID if x is None else x for x in parsed] or [INVALID], dtype=np.int64)
    return table[codes] if len(codes) else codes


def small_ints(rows: Rows, column: str, lo: int, hi: int) -> np.ndarray:
    """Whole numbers lo..hi (at most three digits) → int64; INVALID otherwise."""
    m = rows.matrix(column, 3).astype(np.int64)
    n = rows.length[column]
    d = _digits(m) | (np.arange(3) >= n[:, None])
    v = np.where(np.arange(3) < n[:, None], m - 48, 0)
    value = np.where(n == 1, v[:, 0], np.where(n == 2, v[:, 0] * 10 + v[:, 1], v @ [100, 10, 1]))
    ok = d.all(1) & (n >= 1) & (n <= 3) & (value >= lo) & (value <= hi)
    return np.where(ok, value, INVALID)


_MIX = np.uint64(0x9E3779B97F4A7C15)


def factor(rows: Rows, columns: Sequence[str]) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Integer codes of the distinct (stripped) values of `columns` taken together, in order of
    first appearance, and the values of each code. Every distinct text with ten digits or more
    is checked for CPR numbers (refused, located)."""
    mats = []
    for c in columns:
        m = rows.matrix(c)
        if m.shape[1] == 0:
            m = np.zeros((len(rows), 8), np.uint8)
        elif m.shape[1] % 8:
            m = np.pad(m, ((0, 0), (0, (-m.shape[1]) % 8)))
        mats.append(np.ascontiguousarray(m))
    w = np.concatenate([m.view(np.uint64) for m in mats], axis=1)
    h = w[:, 0].copy()
    with np.errstate(over="ignore"):
        for j in range(1, w.shape[1]):
            h = h * _MIX + w[:, j]
    codes, rep = _codes(h)
    if w.shape[1] > 1 and not (w == w[rep[codes]]).all():  # a hash collision: the exact way
        _, rep, codes = np.unique(w, axis=0, return_index=True, return_inverse=True)
        codes = codes.ravel()
    texts = []
    for c, m in zip(columns, mats, strict=True):
        r = m[rep]
        for k in np.flatnonzero(_digits(r).sum(axis=1) >= 10):
            if looks_like_cpr(rows.text(c, int(rep[k]))):
                raise cpr_error(f"{rows.path}:{int(rows.lines[rep[k]])}:{rows.positions[c]}")
        raw = r.view(f"S{r.shape[1]}").ravel()
        try:
            texts.append(raw.astype(str).tolist())  # ASCII: fast
        except UnicodeDecodeError:
            texts.append([b.decode("utf-8") for b in raw.tolist()])
    return codes.astype(np.int64), list(zip(*texts, strict=True))


def _codes(h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes in order of first appearance and each code's first row. Few distinct values
    (teams, age groups) are found by comparison passes, many by sorting."""
    codes = np.full(len(h), -1, dtype=np.int64)
    reps: list[int] = []
    few = len(np.unique(h[:4096])) <= 16  # a sample says whether passes will do
    for _ in range(32 if few else 0):
        free = np.flatnonzero(codes < 0)
        if not len(free):
            return codes, np.array(reps, dtype=np.int64)
        r = int(free[0])
        codes[h == h[r]] = len(reps)
        reps.append(r)
    uniq, first, inv = np.unique(h, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(uniq))
    return rank[inv.ravel()], first[order]


def reject(
    rows: Rows,
    column: str,
    invalid: np.ndarray,
    message: Text,
    problems: list[Problem],
    bad: np.ndarray,
) -> None:
    """Report the rows whose `column` could not be read (one problem per row: the first bad
    column) and mark them bad; a rejected cell that looks like a CPR number refuses the file."""
    for k in np.flatnonzero(invalid):
        if looks_like_cpr(rows.text(column, int(k))):
            raise cpr_error(f"{rows.path}:{int(rows.lines[k])}:{rows.positions[column]}")
        if not bad[k]:
            problems.append(rows.error(column, int(k), message))
    bad |= invalid
