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
import zipfile
from pathlib import Path

from ..checks.table import MAX_BYTES
from ..errors import InputError
from ..i18n import Msg

XLSX_SUFFIXES = (".xlsx", ".xlsm")


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
    if not file.exists():
        raise InputError(Msg("{name}: filen findes ikke – tjek stavningen og mappen", name=name))
    if file.is_dir():
        raise InputError(Msg("{name}: er en mappe, ikke et Excel-regneark", name=name))
    if file.stat().st_size > MAX_BYTES:
        raise InputError(
            Msg("{name}: filen er for stor (højst 5 MB) – gem kun arket med tabellen", name=name)
        )
    from openpyxl import load_workbook  # lazy: only imports need openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        values = load_workbook(file, data_only=True)
        formulas = load_workbook(file, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as e:
        kind = type(e).__name__
        raise InputError(
            Msg(
                "{name}: filen kan ikke læses som et Excel-regneark (.xlsx) ({kind}) – gem den som "
                "Excel-projektmappe (.xlsx) eller kopiér tabellen ind i en tekstfil",
                name=name,
                kind=kind,
            )
        ) from None
    try:
        if wanted is not None and wanted not in values.sheetnames:
            sheets = ", ".join(f"'{s}'" for s in values.sheetnames)
            first = values.sheetnames[0]
            raise InputError(
                Msg(
                    "{name}#{wanted}: arket '{wanted}' findes ikke i projektmappen – vælg et af "
                    "{sheets} (fx {name}#{first}), eller udelad #ark for at læse alle ark",
                    name=name,
                    wanted=wanted,
                    sheets=sheets,
                    first=first,
                )
            )
        out = []
        for sheet in [wanted] if wanted is not None else values.sheetnames:
            text = _sheet_text(values[sheet], formulas[sheet], f"{name}#{sheet}")
            if text.strip():
                out.append((sheet, text))
        if not out:
            raise InputError(
                Msg("{name}: projektmappen er tom – der er ingen celler med indhold", name=name)
            )
        return out
    finally:
        values.close()
        formulas.close()


def _sheet_text(ws, ws_formulas, where: str) -> str:
    lines: list[str] = []
    missing: list[str] = []
    for i in range(1, ws.max_row + 1):
        cells = []
        for j in range(1, ws.max_column + 1):
            v = ws.cell(row=i, column=j).value
            f = ws_formulas.cell(row=i, column=j)
            if v is None and isinstance(f.value, str) and f.value.startswith("="):
                missing.append(f.coordinate)
            cells.append(_cell_text(v, f.number_format or ""))
        while cells and cells[-1] == "":
            cells.pop()
        lines.append("\t".join(cells) if len(cells) > 1 else (cells[0] if cells else ""))
    if missing:
        more = " …" if len(missing) > 5 else ""
        listed = ", ".join(missing[:5]) + more
        raise InputError(
            Msg(
                "{where}: cellerne {cells} indeholder formler uden gemt resultat – åbn filen i "
                "Excel eller LibreOffice, gem den, og importér igen",
                where=where,
                cells=listed,
            )
        )
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
