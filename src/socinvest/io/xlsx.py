"""Excel workbooks as pasted tables: each sheet becomes the same row/column grid a table copied
out of Word gives, and is read by the same parser.

A number cell keeps the number Excel holds (not its display format): it is written into the
grid in the parser's canonical form (no thousands separator, decimal comma, every significant
digit), so `1684.6` shown as `1.685` is read as 1684,6. A percentage cell (number format with
`%`) is written as `65 %`. A row whose only content is in column A becomes a line of text (a
caption or a section header), exactly as such a row arrives when pasted. Row numbers are kept,
so a line number in a finding or comment is the sheet's row number.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from .. import files
from ..checks.table import MAX_BYTES
from ..errors import InputError
from ..i18n import Msg
from .xlsxguard import TooManyCells, inspect_zip, letters, scan_sheet, unreadable, unreadable_errors

XLSX_SUFFIXES = (".xlsx", ".xlsm")

MAX_ROWS = 2000
MAX_COLS = 200
MAX_CELLS = 50_000
"""A table sheet is read within 2000 rows × 200 columns (A1:GR2000) and 50.000 cells with
content (a table has a few thousand at most); a sheet with more is refused, so neither a
single cell at XFD1048576 nor a sheet full of numbers can keep an import busy."""


def split_sheet(path: Path) -> tuple[Path, str | None]:
    """`book.xlsx#Ark 1` → (book.xlsx, "Ark 1"); a path without `#` → (path, None)."""
    s = str(path)
    if "#" in s and not path.exists():
        file, sheet = s.rsplit("#", 1)
        if Path(file).suffix.lower() in XLSX_SUFFIXES:
            return Path(file), sheet
    return path, None


def is_workbook_name(path: Path) -> bool:
    return split_sheet(path)[0].suffix.lower() in XLSX_SUFFIXES


def sheet_texts(path: Path) -> list[tuple[str, str]]:
    """[(sheet name, text)] for the chosen sheet, or for every non-empty sheet in order."""
    file, wanted = split_sheet(path)
    name = str(file)
    data = _read(file, name)
    inspect_zip(data, name)
    from openpyxl import load_workbook  # lazy: only imports need openpyxl

    values = None
    try:
        # read-only: rows are streamed from the sheet's XML, never a grid of its declared size
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        names = list(values.sheetnames)
        if wanted is not None and wanted not in names:
            raise InputError(
                Msg(
                    "{name}#{wanted}: arket '{wanted}' findes ikke i projektmappen – vælg et af "
                    "{sheets} (fx {name}#{first}), eller udelad #ark for at læse alle ark",
                    name=name,
                    wanted=wanted,
                    sheets=", ".join(f"'{s}'" for s in names),
                    first=names[0],
                )
            )
        out = []
        for sheet in [wanted] if wanted is not None else names:
            text = _sheet_text(values[sheet], f"{name}#{sheet}", data)
            if text.strip():
                out.append((sheet, text))
    except InputError:
        raise
    except unreadable_errors() as e:  # a corrupt part: openpyxl's error, not ours
        raise unreadable(name, type(e).__name__) from None
    finally:
        if values is not None:
            values.close()
    if not out:
        raise InputError(
            Msg("{name}: projektmappen er tom – der er ingen celler med indhold", name=name)
        )
    return out


def _read(file: Path, name: str) -> bytes:
    """The workbook's bytes, read once (bounded): openpyxl then reads them from memory."""
    try:
        return files.read_bytes(file, MAX_BYTES)
    except files.FileProblem as e:
        if e.kind == "missing":
            msg = Msg("{name}: filen findes ikke – tjek stavningen og mappen", name=name)
        elif e.kind == "directory":
            msg = Msg("{name}: er en mappe, ikke et Excel-regneark", name=name)
        elif e.kind == "too_large":
            msg = Msg(
                "{name}: filen er for stor (højst 5 MB) – gem kun arket med tabellen", name=name
            )
        else:
            raise
        raise InputError(msg) from None


def _sheet_text(ws, where: str, data: bytes) -> str:
    """The sheet as tab-separated lines. One streaming pass over its XML (`scan_sheet`) finds
    where the content really ends and which formulas have no saved result; a sheet with
    content beyond `MAX_ROWS` × `MAX_COLS`, or more than `MAX_CELLS` cells, is refused. Only
    the used range is then read, so neither a far cell nor a false declared range makes
    openpyxl walk the sheet's empty expanse."""
    try:
        scan = scan_sheet(data, ws._worksheet_path, MAX_CELLS)  # openpyxl 3.x: its zip part
    except TooManyCells:
        raise InputError(
            Msg(
                "{where}: arket har mere end {most} celler med indhold – en tabel har langt "
                "færre; kopiér tabellen over i et nyt ark",
                where=where,
                most=MAX_CELLS,
            )
        ) from None
    if scan.rows > MAX_ROWS or scan.cols > MAX_COLS:
        corner = letters(MAX_COLS) + str(MAX_ROWS)
        raise InputError(
            Msg(
                "{where}: arket når til {reach}; der læses højst {rows} rækker × {cols} "
                "kolonner (til {corner}) – kopiér tabellen over i et nyt ark",
                where=where,
                reach=letters(scan.cols) + str(scan.rows),
                rows=MAX_ROWS,
                cols=MAX_COLS,
                corner=corner,
            )
        )
    if scan.uncached:
        more = " …" if len(scan.uncached) > 5 else ""
        listed = ", ".join(scan.uncached[:5]) + more
        raise InputError(
            Msg(
                "{where}: cellerne {cells} indeholder formler uden gemt resultat – åbn filen i "
                "Excel eller LibreOffice, gem den, og importér igen",
                where=where,
                cells=listed,
            )
        )
    lines: list[str] = []
    if scan.cells:
        for row in ws.iter_rows(min_row=1, max_row=scan.rows, max_col=scan.cols):
            cells = [_cell_text(c.value, c.number_format or "") for c in row]
            while cells and cells[-1] == "":
                cells.pop()
            lines.append("\t".join(cells) if len(cells) > 1 else (cells[0] if cells else ""))
    return "\n".join(lines)


def _cell_text(v, number_format: str) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "X" if v else ""
    if isinstance(v, int | float):
        if "%" in number_format:
            return f"{canonical_number(v * 100)} %"
        return canonical_number(v)
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    return " ".join(str(v).split())  # no tabs or line breaks inside a cell


def canonical_number(v: float) -> str:
    """A number as the parser reads it back exactly: `-1763`, `1684,6` (float noise rounded
    off at 10 decimals)."""
    r = round(float(v), 10)
    if r == int(r):
        return str(int(r))
    s = f"{r:.10f}".rstrip("0")
    return s.replace(".", ",")
