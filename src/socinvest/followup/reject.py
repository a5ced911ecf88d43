"""Malformed lines of a posting export, as findings with their physical line numbers – and
the check that no line went missing.

DuckDB reads every field as text; a date or an amount that does not parse strictly becomes
NULL and is counted, never summed (`1.234,50` and `-1234,50` are amounts; `1234.50` is not,
rather than becoming 123.450 kr.). Lines DuckDB rejects (wrong number of fields, an unclosed
quote) are in its reject table, numbered by record: a quoted text with a line break is one
record, so such numbers are mapped back to physical lines by one pass over the file. Lines with
a bad value are located by a pass over the file, made only when there are any.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..i18n import Join, Msg
from .model import ImportFinding

AMOUNT = r"^[-+]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$"
"""A Danish amount: digits, or digits grouped by three with '.', then an optional ',' and
decimals (`-1234,50`, `1.234,50`). `1234.50` or `1,234.50` is not one."""
_AMOUNT = re.compile(AMOUNT, re.ASCII)  # as DuckDB's RE2: \d is [0-9], not '٣'
_FOUND = re.compile(r"Found:\s*(\d+)")
MAX_LINE = 1 << 16
"""Longest line read (64 KB); an export's lines are a few hundred bytes."""
MAX_SEPARATORS = 1000
"""Most semicolons on one line: DuckDB's time grows with the square of a line's fields."""
_CHUNK = 1 << 22


def check_lines(path: Path, source: str) -> None:
    """Refuse, located, the first line longer than MAX_LINE or with more than MAX_SEPARATORS
    semicolons (quoted ones too), so a line of many fields cannot take minutes. One linear
    pass, by chunks: the line in progress at a chunk's end carries over to the next. Only a
    line longer than MAX_SEPARATORS bytes can hold that many semicolons, so only those (and
    the line in progress) have theirs counted: an export's lines are a few hundred bytes."""
    line, length, seps = 1, 0, 0  # the line in progress
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            a = np.frombuffer(chunk, np.uint8)
            nl = np.flatnonzero(a == 10)
            starts = np.r_[0, nl + 1]
            ends = np.r_[nl + 1, len(a)]  # exclusive; the last piece is unfinished
            lengths = ends - starts
            lengths[0] += length
            last = len(lengths) - 1
            counts = np.zeros(len(lengths), np.int64)
            for k in {*np.flatnonzero(lengths > MAX_SEPARATORS).tolist(), last}:
                counts[k] = np.count_nonzero(a[starts[k] : ends[k]] == 59)
            counts[0] += seps
            over = np.flatnonzero((lengths > MAX_LINE) | (counts > MAX_SEPARATORS))
            if len(over):
                _too_long(source, line + int(over[0]))  # at once: the line may be 1 GB
            line, length, seps = line + len(nl), int(lengths[-1]), int(counts[-1])


def _too_long(source: str, line: int) -> None:
    msg = Msg(
        "linjen er for lang til en eksport (højst {most} bytes og {most_fields} felter) – filen "
        "afvises; gem eksporten igen som CSV UTF-8 (semikolonsepareret)",
        most=MAX_LINE,  # plain digits: the same in every language
        most_fields=MAX_SEPARATORS + 1,
    )
    raise InputError(Join((f"{source}:{line}: ", msg)))


def bad_lines(
    con: Any,
    path: Path,
    source: str,
    header: list[str],
    fields: dict[str, str],
    cap: int,
) -> tuple[ImportFinding, ...]:
    """One finding per malformed line (the first `cap` by line), then one for the rest.
    Lines DuckDB rejects (field count, quotes) come from its reject table; lines with a bad
    date or amount are located by a pass over the file, made only when there are any. Every
    line of the file must be accounted for: read, rejected or blank – or the file is refused."""
    rejected = con.execute(
        """SELECT line, list(DISTINCT error_type), any_value(csv_line), any_value(error_message)
        FROM reject_errors GROUP BY line ORDER BY line"""
    ).fetchall()
    read, bad = con.execute(
        "SELECT coalesce(sum(n), 0), coalesce(sum(n) FILTER (WHERE NOT ok), 0) FROM g"
    ).fetchone()
    starts: dict[int, int] = {}
    records = _quick_count(path)
    if records != int(read) + len(rejected):  # a quoted line break, or lines lost: count exactly
        records, starts = _records(path, {r[0] for r in rejected[:cap]})
    if records != int(read) + len(rejected):
        lost = Msg(
            "kun {read} af {total} linjer kunne læses eller afvises; filen afvises hellere end "
            "at give forkerte tal – gem eksporten igen som CSV UTF-8 (semikolonsepareret)",
            read=int(read) + len(rejected),
            total=records,
        )
        raise InputError(Join((f"{source}: ", lost)))
    out = [
        ImportFinding(source, starts.get(line, line), code, msg)
        for line, types, csv_line, error in rejected[:cap]
        for code, msg in _describe(types, csv_line, error, len(header))
    ]
    if bad:
        out.extend(_bad_values(path, source, header, fields, min(int(bad), cap)))
    out.sort(key=lambda f: f.line or 0)
    total = len(rejected) + int(bad)
    listed = out[:cap]
    if total > len({f.line for f in listed}):
        more = total - len({f.line for f in listed})
        msg = Msg.plural_of(
            "{n} linje mere med fejl er udeladt af tallene",
            "{n} linjer mere med fejl er udeladt af tallene",
            more,
        )
        listed.append(ImportFinding(source, None, "more_bad_lines", msg))
    return tuple(listed)


def _quick_count(path: Path) -> int:
    """Data records if no text holds a line break: lines less the header and blank lines
    (blank lines in a row may be undercounted, which only sends the caller to `_records`)."""
    lines = blanks = 0
    tail = b""
    last = b"\n"
    with path.open("rb") as f:
        while chunk := f.read(1 << 24):
            both = tail + chunk  # a blank line may straddle the chunk boundary
            lines += chunk.count(b"\n")
            blanks += both.count(b"\n\n") + both.count(b"\n\r\n")
            blanks -= tail.count(b"\n\n") + tail.count(b"\n\r\n")
            tail, last = both[-2:], chunk[-1:]
    if last != b"\n":
        lines += 1
    return lines - blanks - 1


def _records(path: Path, wanted: set[int]) -> tuple[int, dict[int, int]]:
    """The number of data records (not the header, not blank lines) as DuckDB counts them
    (a quoted line break stays in its record), and the physical line where each of the
    `wanted` records (DuckDB's record numbers, blank lines counted) starts."""
    records = 0
    rec = 0
    inside = False
    starts: dict[int, int] = {}
    with path.open("rb") as f:
        for phys, raw in enumerate(f, start=1):
            if not inside:
                rec += 1
                if rec in wanted:
                    starts[rec] = phys
                if phys > 1 and raw.strip(b"\r\n"):
                    records += 1
            if raw.count(b'"') % 2:
                inside = not inside
    return records, starts


def _bad_values(
    path: Path, source: str, header: list[str], fields: dict[str, str], most: int
) -> list[ImportFinding]:
    """Lines whose date or amount is not valid, by physical line, the first `most`."""
    di, ai = int(fields["date"][1:]), int(fields["amount"][1:])
    out: list[ImportFinding] = []
    found = 0
    # surrogateescape: a line that is not UTF-8 is in DuckDB's rejects already; skip it here
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
        reader = csv.reader(f, delimiter=";", quotechar='"')
        start = 1
        for row in _rows(reader, source):
            line, start = start, reader.line_num + 1
            if line == 1 or len(row) != len(header) or not _is_text(row):
                continue
            date, amount = row[di].strip(" "), row[ai].strip(" ")
            problems = []
            if not _is_date(date):
                problems.append(("bad_date", _bad_date(date)))
            if not valid_amount(amount):
                problems.append(("bad_amount", _bad_amount(amount)))
            if problems:
                out.extend(ImportFinding(source, line, c, m) for c, m in problems)
                found += 1
                if found >= most:
                    break
    return out


def _rows(reader: Any, source: str) -> Iterator[list[str]]:
    """The reader's rows; a line csv cannot split (a bare CR in a field) is refused, located."""
    try:
        yield from reader
    except csv.Error as e:
        msg = Msg("kan ikke læse linjen ({error}); gem eksporten igen som CSV UTF-8", error=str(e))
        raise InputError(Join((f"{source}:{reader.line_num}: ", msg))) from None


def _is_text(row: list[str]) -> bool:
    try:
        "".join(row).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: bytes that were not UTF-8
        return False
    return True


def valid_amount(text: str) -> bool:
    """The rule of the SQL in postings._scan_sql: without '.', only digits, ',' and '-' that
    make a number (`-1234,50`); with '.', digits grouped by three (`1.234,50`, AMOUNT)."""
    if "." in text:
        return bool(_AMOUNT.match(text))
    if not text or set(text) - set("0123456789,-"):
        return False
    try:
        return Decimal(text.replace(",", ".")).is_finite()
    except InvalidOperation:
        return False


def _is_date(text: str) -> bool:
    if not text.isascii():  # strptime takes '１５' as 15; DuckDB (the sums) does not
        return False
    try:
        dt.datetime.strptime(text, "%d-%m-%Y")
    except ValueError:
        return False
    return True


def _bad_date(value: str) -> Msg:
    return Msg(
        "datoen {value} er ikke en dato som 31-12-2018 (dd-mm-åååå) – linjen er udeladt af tallene",
        value=repr(value),
    )


def _bad_amount(value: str) -> Msg:
    return Msg(
        "beløbet {value} er ikke et beløb som -1234,50 eller 1.234,50 – linjen er udeladt af "
        "tallene",
        value=repr(value),
    )


def _describe(types: list[str], csv_line: str, error: str, n: int) -> list[tuple[str, Msg]]:
    values = next(csv.reader([csv_line.strip("\r\n")], delimiter=";", quotechar='"'), [])
    if "MISSING COLUMNS" in types or "TOO MANY COLUMNS" in types:
        m = _FOUND.search(error or "")
        found = len(values) if values else (m.group(1) if m else "?")
        msg = Msg(
            "{found} felter, forventede {expected}; tekst med semikolon skal stå i "
            "anførselstegn – linjen er udeladt af tallene",
            found=found,
            expected=n,
        )
        return [("bad_fields", msg)]
    if "UNQUOTED VALUE" in types:
        return [("bad_quote", Msg("et anførselstegn lukkes ikke – linjen er udeladt"))]
    detail = (error or "").splitlines()[0] if error else ", ".join(types)
    return [("bad_line", Msg("kan ikke læses ({error}) – linjen er udeladt", error=detail))]
