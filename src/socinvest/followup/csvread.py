"""Reading semicolon CSV as Excel writes it (BOM, CRLF, quoted fields), bounded in size, with
malformed lines reported by line number – vectorised, for a million rows in well under a second.

The file is kept as one byte array; each row's wanted fields are (start, length) pairs into
it, found with numpy from the positions of `\\n` and `;`. Files with quotes take the `csv`
module's path and are re-packed into the same form. Columns are then converted vectorised
by cells.py (`tenths`, `days`, `small_ints`) or factorised into codes (`factor`).

A malformed line (wrong number of fields, a value that cannot be read) is left out of every
figure and listed as a `Problem` ("file:line:column: message"); with `strict=True` the file is
refused. Privacy: every cell that is not a valid number or date – ids, teams, unused columns,
rejected values, malformed lines – is scanned for CPR-like numbers (privacy.py); one refuses
the file, naming line and column, never the value.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError, Text
from ..i18n import Join, Msg
from .privacy import cpr_error, looks_like_cpr

MAX_BYTES = 512 * 1024 * 1024
PAD = 64  # zero bytes after the data: fixed-width views never run off the end
MAX_DETAILS = 20  # problems listed in a refusal; the count says how many there were
ORDINAL_1970 = 719163  # datetime.date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class Problem:
    """A line left out of the figures (or, in strict mode, the reason for refusal)."""

    path: str
    line: int
    column: int | None
    message: Text

    def text(self) -> Join:
        where = f"{self.path}:{self.line}:" + (f"{self.column}:" if self.column else "")
        return Join((where + " ", self.message))


def refuse(problems: Sequence[Problem], path: str) -> InputError:
    """The InputError of strict mode: the count, then up to MAX_DETAILS problems."""
    head = Msg.plural_of(
        "{path}: {n} fejlbehæftet linje (strict: filen afvises)",
        "{path}: {n} fejlbehæftede linjer (strict: filen afvises)",
        len(problems),
        path=path,
    )
    return InputError(head, [p.text() for p in problems[:MAX_DETAILS]])


def sort_problems(problems: list[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: (p.line, p.column or 0)))


@dataclass(frozen=True)
class Rows:
    """The well-formed rows: `buf` holds the bytes, `start`/`length` each wanted field's place
    per row (stripped of spaces), `lines` each row's line number; all read-only."""

    path: str
    buf: np.ndarray
    start: dict[str, np.ndarray]
    length: dict[str, np.ndarray]
    lines: np.ndarray
    problems: tuple[Problem, ...]
    positions: dict[str, int]  # column number (1-based) of each wanted column

    def __len__(self) -> int:
        return len(self.lines)

    def text(self, column: str, k: int) -> str:
        s, n = int(self.start[column][k]), int(self.length[column][k])
        return self.buf[s : s + n].tobytes().decode("utf-8")

    def matrix(self, column: str, width: int | None = None) -> np.ndarray:
        """The column's bytes as a zero-padded (rows, width) array."""
        s, n = self.start[column], self.length[column]
        w = int(n.max(initial=0)) if width is None else width
        if w == 0 or len(s) == 0:
            return np.zeros((len(s), w), np.uint8)
        if w <= PAD:  # one row copy per cell from a sliding view (the padding covers the end)
            m = np.lib.stride_tricks.sliding_window_view(self.buf, w)[s]
        else:  # long texts: element-wise gather
            m = self.buf[np.minimum(s[:, None] + np.arange(w), len(self.buf) - 1)]
        if (n < w).any():
            m *= np.arange(w, dtype=np.int64) < n[:, None]
        return m

    def error(self, column: str, k: int, message: Text) -> Problem:
        return Problem(self.path, int(self.lines[k]), self.positions[column], message)


def _read_bytes(p: Path, max_bytes: int) -> bytes:
    if not p.is_file():
        raise InputError(Msg("{path}: filen findes ikke", path=p))
    size = p.stat().st_size
    if size > max_bytes:
        raise InputError(
            Msg(
                "{path}: filen er for stor ({mb} MB; højst {max} MB)",
                path=p,
                mb=size // 2**20,
                max=max_bytes // 2**20,
            )
        )
    raw = p.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        try:  # Excel's "CSV (semikolonsepareret)" on Danish Windows
            raw = raw.decode("cp1252").encode("utf-8")
        except UnicodeDecodeError:
            raise InputError(
                Msg("{path}: ikke gyldig UTF-8; gem filen som UTF-8", path=p)
            ) from None
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return raw


def _quoted(raw: bytes) -> tuple[np.ndarray, list[list[int]], list[int], list[bytes]]:
    """The csv module's path: fields re-packed into one buffer. Returns the buffer, per row
    the field offsets (n + 1 bounds), the line numbers and the raw rows (for messages)."""
    reader = csv.reader(io.StringIO(raw.decode("utf-8"), newline=""), delimiter=";")
    parts: list[bytes] = []
    bounds, nums, texts = [], [], []
    pos, start = 0, 1
    for row in reader:
        if any(c.strip() for c in row):
            b = [pos]
            for c in row:
                e = c.encode("utf-8")
                parts.append(e)
                pos += len(e)
                b.append(pos)
            bounds.append(b)
            nums.append(start)
            texts.append(";".join(row).encode("utf-8"))
        start = reader.line_num + 1
    return np.frombuffer(b"".join(parts) + bytes(PAD), np.uint8), bounds, nums, texts


def _strip(buf: np.ndarray, s: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Move starts/ends past spaces and tabs (vectorised; a few passes at most)."""
    for _ in range(64):
        first, last = buf[s], buf[np.maximum(e - 1, 0)]
        lead = (s < e) & ((first == 32) | (first == 9))
        trail = (s < e) & ((last == 32) | (last == 9))
        if not (lead.any() or trail.any()):
            break
        s, e = s.copy(), e.copy()
        s[lead] += 1
        e[trail & ~lead] -= 1
    return s, e


def read_rows(
    path: str | Path,
    wanted: Sequence[str],
    *,
    strict: bool = False,
    max_bytes: int = MAX_BYTES,
) -> Rows:
    """Read a semicolon CSV whose header names every column in `wanted` (any order, extra
    columns ignored, names case-insensitive). Rows with the wrong number of fields are problems."""
    p = Path(path)
    label = str(p)
    raw = _read_bytes(p, max_bytes)
    if b'"' in raw:
        buf, bounds, nums, texts = _quoted(raw)
        if not bounds:
            raise InputError(Msg("{path}: filen er tom", path=label))
        header_line = nums[0]
        header = [
            buf[a:b].tobytes().decode() for a, b in zip(bounds[0][:-1], bounds[0][1:], strict=True)
        ]
        counts = np.array([len(b) - 1 for b in bounds[1:]], dtype=np.int64)
        lines = np.array(nums[1:], dtype=np.int64)
        width = len(header)
        good = counts == width
        grid = np.array([b for b, ok in zip(bounds[1:], good, strict=True) if ok], np.int64)
        grid = grid.reshape(-1, width + 1)
        f_start = {k: grid[:, k] for k in range(width)}
        f_end = {k: grid[:, k + 1] for k in range(width)}
        bad_texts = [t for t, ok in zip(texts[1:], good, strict=True) if not ok]
    else:
        buf = np.frombuffer(raw + bytes(PAD), np.uint8)
        nl = np.flatnonzero(buf == 10)
        l_start = np.r_[0, nl + 1]
        l_end = np.r_[nl, len(raw)]
        semis = np.flatnonzero(buf == 59)
        first = np.asarray(np.searchsorted(semis, l_start))
        n_semi = np.asarray(np.searchsorted(semis, l_end)) - first
        keep = (l_end - l_start) > n_semi  # not empty, not only `;;;;` (Excel's blank row)

        def blank(i: int) -> bool:  # only spaces, tabs and semicolons
            return not buf[l_start[i] : l_end[i]].tobytes().replace(b";", b"").strip()

        idx = np.array([int(i) for i in np.flatnonzero(keep)[:2] if not blank(int(i))] or [-1])
        if idx[0] < 0:
            idx = np.array([int(i) for i in np.flatnonzero(keep) if not blank(int(i))] or [-1])
        if idx[0] < 0:
            raise InputError(Msg("{path}: filen er tom", path=label))
        h = int(idx[0])
        header = buf[l_start[h] : l_end[h]].tobytes().decode().split(";")
        width = len(header)
        idx = np.flatnonzero(keep)
        idx = idx[idx > h]
        odd = idx[n_semi[idx] + 1 != width]
        idx = np.setdiff1d(idx, [i for i in odd if blank(int(i))]) if len(odd) else idx
        header_line = h + 1
        counts = n_semi[idx] + 1
        lines = idx.astype(np.int64) + 1
        good = counts == width
        gi = idx[good]
        f_start, f_end = {}, {}
        for k in range(width):
            f_start[k] = l_start[gi] if k == 0 else semis[first[gi] + k - 1] + 1
            f_end[k] = l_end[gi] if k == width - 1 else semis[first[gi] + k]
        bad_texts = [buf[l_start[i] : l_end[i]].tobytes() for i in idx[~good]]
    names = [h.strip().lower() for h in header]
    if looks_like_cpr(";".join(header)):
        raise cpr_error(f"{label}:{header_line}")
    missing = [w for w in wanted if w not in names]
    if missing:
        raise InputError(
            Msg(
                "{path}:{line}: mangler kolonnen {missing}; overskriften skal være {header}",
                path=label,
                line=header_line,
                missing=", ".join(missing),
                header=";".join(wanted),
            )
        )
    for t, n in zip(bad_texts, lines[~good], strict=True):
        fields = t.decode("utf-8", "replace").split(";")
        hits = [k for k, f in enumerate(fields, start=1) if looks_like_cpr(f)]
        if hits:
            raise cpr_error(f"{label}:{int(n)}:{hits[0]}")
    problems = [
        Problem(
            label,
            int(n),
            None,
            Msg("linjen har {got} felter, overskriften {want}", got=int(c), want=width),
        )
        for n, c in zip(lines[~good], counts[~good], strict=True)
    ]
    if strict and problems:
        raise refuse(problems, label)
    starts, lengths = {}, {}
    for k, name in enumerate(names):
        s, e = _strip(buf, f_start[k], f_end[k])
        starts[name], lengths[name] = s, e - s
    positions = {name: k + 1 for k, name in enumerate(names)}
    from .cells import factor  # the converters build on Rows

    rows = Rows(label, buf, starts, lengths, lines[good], tuple(problems), positions)
    for name in names:  # columns nobody reads may still hold CPR numbers
        if name not in wanted:
            factor(rows, (name,))
    out = Rows(
        label,
        buf,
        {w: starts[w] for w in wanted},
        {w: lengths[w] for w in wanted},
        lines[good],
        tuple(problems),
        {w: positions[w] for w in wanted},
    )
    for a in (*out.start.values(), *out.length.values(), out.lines):
        a.setflags(write=False)
    return out
