"""Read the finance system's posting export (CSV or xlsx) into sums per account, cost centre,
year and quarter – fast (DuckDB, bounded memory) and without losing a line silently.

The export as finance systems write it: semicolon CSV saved by Excel (UTF-8 with BOM, CRLF,
text fields containing `;` in double quotes), dates dd-mm-yyyy, amounts `-1234,50` or
`1.234,50` in kr., current prices. A correction is an ordinary negative line in the year of
its own date; a refund is a line of its own. The header names the columns (known Danish and
English names, or the mapping's `columns`).

A line with the wrong number of fields, a bad date or a bad amount is a finding with its line
number and is left out of every figure; with `strict=True` the file is refused instead. Line
numbers are physical lines of the file (1 = the header). An xlsx sheet is written to a
temporary CSV row by row and read the same way, so its line numbers are Excel's row numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..i18n import Join, Msg
from .mapping import Columns, Matcher
from .model import MAX_LISTED, ImportFinding, Posting
from .reject import AMOUNT, bad_lines, check_lines

MAX_BYTES = 2 * 1024**3
"""Largest export read (2 GB); DuckDB's memory is capped separately (MEMORY_LIMIT)."""
MEMORY_LIMIT = "1GB"
MAX_FINDINGS = 1000
"""Malformed lines reported one by one; beyond this they are counted in one finding."""

ROLES: dict[str, tuple[str, ...]] = {
    "account": ("konto", "kontonummer", "funktion", "account"),
    "date": ("dato", "bogføringsdato", "posteringsdato", "date"),
    "amount": ("beløb", "beloeb", "belob", "amount"),
    "cost_centre": ("omkostningssted", "omk.sted", "aktivitet", "cost_centre", "cost centre"),
    "text": ("tekst", "posteringstekst", "beskrivelse", "text"),
}
REQUIRED = ("account", "date", "amount")


@dataclass(frozen=True)
class Group:
    """The postings of one account, cost centre and quarter (kr., current prices)."""

    account: str
    cost_centre: str | None
    year: int
    quarter: int
    amount: float
    postings: int


@dataclass(frozen=True)
class PostingFile:
    """One export, read: its sums, the findings, and the first unmapped postings."""

    source: str
    groups: tuple[Group, ...]
    lines: dict[tuple[str, str | None], str | None]  # (account, cost centre) -> line id
    unmapped: tuple[Posting, ...]
    findings: tuple[ImportFinding, ...]


def read_postings(
    path: str | Path,
    matcher: Matcher,
    columns: Columns | None = None,
    strict: bool = False,
    max_bytes: int = MAX_BYTES,
) -> PostingFile:
    """Read one export (CSV or xlsx); raises InputError for an unusable file, and with
    `strict` for any malformed line."""
    p = Path(path)
    _check_file(p, max_bytes)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        with tempfile.TemporaryDirectory(prefix="socinvest-") as tmp:
            csv_path = Path(tmp) / "postings.csv"
            _xlsx_to_csv(p, csv_path)
            return _read_csv(csv_path, str(p), matcher, columns, strict)
    return _read_csv(p, str(p), matcher, columns, strict)


def _check_file(p: Path, max_bytes: int) -> None:
    if not p.is_file():
        what = Msg("er en mappe, ikke en fil") if p.is_dir() else Msg("filen findes ikke")
        raise InputError(Join((f"{p}: ", what)))
    size = p.stat().st_size
    if size > max_bytes:
        too_big = Msg(
            "filen er for stor ({size} MB; højst {most} MB); del eksporten op i flere filer",
            size=-(-size // 2**20),
            most=max_bytes // 2**20,
        )
        raise InputError(Join((f"{p}: ", too_big)))


def header_roles(header: list[str], columns: Columns | None, source: str) -> dict[str, int]:
    """Role -> column position, from the header's names (or the mapping's `columns`)."""
    names = [h.strip().lower() for h in header]
    wanted = columns.model_dump() if columns else {}
    roles: dict[str, int] = {}
    for role, known in ROLES.items():
        given = wanted.get(role)
        candidates = (given.strip().lower(),) if given else known
        for name in candidates:
            if name in names:
                roles[role] = names.index(name)
                break
        else:
            if given or role in REQUIRED:
                missing = Msg(
                    "overskriften mangler kolonnen for {role} (ledte efter {names}); "
                    "overskriften er: {header}. Angiv navnet under 'columns' i mappingfilen",
                    role=role,
                    names=", ".join(candidates),
                    header=";".join(header),
                )
                raise InputError(Join((f"{source}:1: ", missing)))
    return roles


def _read_header(p: Path, source: str) -> list[str]:
    with p.open("rb") as f:
        first = f.readline(1 << 16)
    try:
        text = first.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        bad = Msg("ikke gyldig UTF-8; gem eksporten som CSV UTF-8 (semikolonsepareret)")
        raise InputError(Join((f"{source}:1: ", bad))) from None
    if not text.strip():
        raise InputError(Join((f"{source}:1: ", Msg("første linje skal være overskriften"))))
    if "\r" in text or "\n" in text:  # a bare CR (old Mac CSV): csv and DuckDB disagree on lines
        cr = Msg(
            "overskriften indeholder et linjeskift (CR) midt i linjen; gem eksporten igen som "
            "CSV UTF-8 (semikolonsepareret)"
        )
        raise InputError(Join((f"{source}:1:{text.find(chr(13)) + 1}: ", cr)))
    if ";" not in text:
        sep = Msg("forventede semikolon som skilletegn i overskriften: {header}", header=text)
        raise InputError(Join((f"{source}:1: ", sep)))
    return next(csv.reader([text], delimiter=";", quotechar='"'))


def _read_csv(
    p: Path, source: str, matcher: Matcher, columns: Columns | None, strict: bool
) -> PostingFile:
    import duckdb

    check_lines(p, source)  # before DuckDB: a line of many fields takes it minutes
    header = _read_header(p, source)
    roles = header_roles(header, columns, source)
    cols = {f"c{i}": "VARCHAR" for i in range(len(header))}
    fields = {r: f"c{i}" for r, i in roles.items()}
    with tempfile.TemporaryDirectory(prefix="socinvest-duckdb-") as tmp:
        con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": tmp})
        con.execute("SET enable_progress_bar = false")
        try:
            strict_scan = _scan_sql(p, cols, fields, "store_rejects=true")
            lenient = _scan_sql(p, cols, fields, "ignore_errors=true")
            # every line read as text; a bad value gives NULL and is counted (ok = false)
            con.execute(
                f"""CREATE TEMP TABLE raw AS SELECT account, cc, d, sum(amount) AS s,
                count(amount) AS k, count(*) AS n FROM ({strict_scan}) GROUP BY ALL"""
            )  # dates are parsed per distinct date below, not per line
            con.execute(
                """CREATE TEMP TABLE g AS
                WITH r AS (SELECT *, try_strptime(d, '%d-%m-%Y')::DATE AS pd FROM raw)
                SELECT account, cc, year(pd) AS y, quarter(pd) AS q, sum(s) AS s, sum(k) AS n,
                  true AS ok FROM r WHERE pd IS NOT NULL AND k > 0 GROUP BY ALL
                UNION ALL SELECT NULL, NULL, NULL, NULL, NULL,
                  sum(CASE WHEN pd IS NULL THEN n ELSE n - k END), false FROM r"""
            )
            findings = bad_lines(con, p, source, header, fields, MAX_FINDINGS)
            if strict and findings:
                _refuse(source, findings)
            return _sums(con, source, matcher, findings, lenient)
        except duckdb.Error as e:
            msg = Msg("kan ikke læse eksporten: {error}", error=str(e).splitlines()[0])
            raise InputError(Join((f"{source}: ", msg))) from None
        finally:
            con.close()


def _refuse(source: str, findings: tuple[ImportFinding, ...]) -> None:
    first, *rest = findings
    how = Msg(
        "ret linjen i eksporten, eller importér uden --strict for at udelade de fejlbehæftede "
        "linjer med en advarsel"
    )
    head = Join((f"{first.where}: ", first.message, " – ", how))
    raise InputError(head, [Join((f"{f.where}: ", f.message)) for f in rest[:20]])


def _scan_sql(p: Path, cols: dict[str, str], fields: dict[str, str], extra: str) -> str:
    """The SELECT that reads the export, every field as text; the date and amount parsed
    strictly (NULL when not valid: `reject.valid_amount`, dd-mm-yyyy). `extra`: how lines with a
    wrong number of fields are handled."""
    spec = ", ".join(f"'{k}': '{v}'" for k, v in cols.items())
    not_null = ", ".join(f"'{fields[r]}'" for r in ("account", "date", "amount"))
    cc, tx = fields.get("cost_centre"), fields.get("text")
    amount, date = f"trim({fields['amount']})", f"trim({fields['date']})"
    path = str(p).replace("'", "''")
    return f"""SELECT trim({fields["account"]}) AS account,
        {f"nullif(trim({cc}), '')" if cc else "NULL::VARCHAR"} AS cc,
        {date} AS d, try_strptime({date}, '%d-%m-%Y')::DATE AS date,
        CASE WHEN NOT contains({amount}, '.') THEN CASE WHEN regexp_full_match({amount},
          '[0-9,-]*') THEN TRY_CAST(replace({amount}, ',', '.') AS DECIMAL(38,6))
          END WHEN regexp_full_match({amount}, '{AMOUNT}') THEN replace(replace({amount},
          '.', ''), ',', '.')::DECIMAL(38,6) END AS amount,
        {tx if tx else "NULL::VARCHAR"} AS text
        FROM read_csv('{path}', delim=';', quote='"', escape='"', header=true,
          auto_detect=false, columns={{{spec}}}, force_not_null=[{not_null}],
          max_line_size=1048576, encoding='utf-8', {extra})"""


def _sums(con: Any, source: str, matcher: Matcher, findings: tuple, scan: str) -> PostingFile:
    rows = con.execute(
        """SELECT account, cc, y, q, sum(s)::DOUBLE, sum(n) FROM g WHERE ok
        GROUP BY ALL ORDER BY ALL"""
    ).fetchall()
    groups = tuple(Group(a or "", c, int(y), int(q), float(s), int(n)) for a, c, y, q, s, n in rows)
    lines = {k: matcher.line_of(*k) for k in {(g.account, g.cost_centre) for g in groups}}
    missing = [k for k, v in lines.items() if v is None]
    unmapped: tuple[Posting, ...] = ()
    if missing:
        keys = ", ".join(
            "'" + (a + "\x1f" + (c or "")).replace("'", "''") + "'" for a, c in missing
        )
        con.execute("SET preserve_insertion_order = false")  # stop at the first MAX_LISTED
        got = con.execute(
            f"""SELECT account, cc, date, amount::DOUBLE, text FROM ({scan})
            WHERE date IS NOT NULL AND amount IS NOT NULL
              AND list_contains([{keys}], account || chr(31) || coalesce(cc, ''))
            LIMIT {MAX_LISTED}"""
        ).fetchall()
        unmapped = tuple(Posting(None, a or "", d, float(x), c, t) for a, c, d, x, t in got)
    return PostingFile(source, groups, lines, unmapped, findings)


def _xlsx_to_csv(src: Path, dest: Path) -> None:
    """The first sheet as the same semicolon CSV (row n of the sheet = line n of the file)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(src, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        msg = Msg("kan ikke åbnes som xlsx ({error})", error=type(e).__name__)
        raise InputError(Join((f"{src}: ", msg))) from None
    try:
        ws = wb.worksheets[0]
        with dest.open("w", encoding="utf-8", newline="") as f:
            out = csv.writer(f, delimiter=";", quotechar='"', lineterminator="\n")
            for row in ws.iter_rows(values_only=True):
                out.writerow([_cell(v) for v in row])
    finally:
        wb.close()


def _cell(v: object) -> str:
    """An Excel value written as the export would: dd-mm-yyyy, a decimal comma."""
    if v is None:
        return ""
    if isinstance(v, dt.datetime | dt.date):
        return v.strftime("%d-%m-%Y")
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        return repr(v).replace(".", ",") if isinstance(v, float) else str(v)
    return str(v).replace("\r\n", " ").replace("\n", " ")
