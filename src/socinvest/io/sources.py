"""Inputs of an import: text files with pasted tables, and Excel workbooks (per sheet).

A text file may hold several tables (a whole document pasted as text): they are read one
after another. Each table is parsed and analysed exactly as `socinvest check` does, so the
importer uses the same structure, sign convention and totals as the check reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..checks.table import Analysis, Table, analyse, parse_tables
from ..checks.table.documents import read_document
from ..errors import InputError
from ..i18n import Join, Msg
from .xlsx import is_workbook_name, sheet_texts


@dataclass(frozen=True)
class Source:
    """One table of the import, with the check's analysis of it."""

    table: Table
    analysis: Analysis
    name: str  # file name, with #sheet for a workbook
    index: int  # position in the import (input order)

    @property
    def label(self) -> str:
        """How stated figures name the table: its caption, else its file (and sheet)."""
        return self.table.caption or self.name


@dataclass(frozen=True)
class Skipped:
    """A table found in the input that is not imported (a staff table in a document)."""

    name: str
    line: int
    reason: str


def read_sources(paths: list[Path]) -> tuple[list[Source], list[Skipped]]:
    if not paths:
        raise InputError(Msg("ingen filer at importere – angiv en eller flere tabelfiler"))
    sources: list[Source] = []
    skipped: list[Skipped] = []
    for path in paths:
        path = Path(path)
        if is_workbook_name(path):
            found = 0
            for sheet, text in sheet_texts(path):
                name = f"{_split_name(path)}#{sheet}"
                tables, sk = tables_in(text, name, single=False)
                skipped += sk
                found += len(tables)
                for t in tables:
                    sources.append(Source(t, analyse(t), name, len(sources)))
            if not found:
                raise InputError(
                    Msg(
                        "{path}: ingen tabel med årskolonner i projektmappen – en tabel skal have "
                        "en overskriftsrække med årstal (fx 2017, 2018, …) i hver sin kolonne",
                        path=str(path),
                    )
                )
            continue
        text, _encoding = read_document(path)  # text, CSV, .docx or .pdf
        tables, sk = tables_in(text, path.name, single=True)
        skipped += sk
        if len(tables) > 1:
            tables, sk = _amount_tables(tables, path.name)
            skipped += sk
        for t in tables:
            sources.append(Source(t, analyse(t), path.name, len(sources)))
    return sources, skipped


def _amount_tables(tables: list[Table], name: str) -> tuple[list[Table], list[Skipped]]:
    """In a document with several tables, a table without a unit (kr.) among tables with one
    is not an amount table (e.g. "Barnets alder | 0 | 1 | 2"): it is skipped and reported."""
    if not any(t.unit for t in tables):
        return tables, []
    keep = [t for t in tables if t.unit]
    skipped = [
        Skipped(
            name,
            t.header_line,
            f"tabellen '{t.caption or 'uden titel'}' angiver ingen enhed (kr., 1.000 kr., "
            "mio. kr.) og læses ikke som en tabel med beløb; den importeres ikke",
        )
        for t in tables
        if not t.unit
    ]
    return keep, skipped


def _split_name(path: Path) -> str:
    s = str(path)
    return Path(s.rsplit("#", 1)[0]).name if "#" in s and not path.exists() else path.name


def tables_in(text: str, name: str, single: bool) -> tuple[list[Table], list[Skipped]]:
    """Every table in `text`, in order, read in one pass exactly as `check` reads them
    (`parse_tables`: linear in the text, so a document of thousands of tables imports in
    seconds, not hours). A staff table cannot become case lines: it is refused when it is the
    file's only table and skipped (reported) when the file holds other tables too; so is a
    table whose columns are not years (by age group, say)."""
    tables: list[Table] = []
    skipped: list[Skipped] = []
    staff_line = None
    for t in parse_tables(text, name):  # raises the InputError that says what is missing
        if t.kind == "staff":
            skipped.append(
                Skipped(
                    name,
                    t.header_line,
                    f"'{t.caption or 'personaletabel'}' er en personaletabel (antal medarbejdere "
                    "i to budgetår og ændringen) uden årskolonner med beløb; den importeres ikke",
                )
            )
            staff_line = t.header_line
            break  # a staff table is read to the end of the text
        if t.kind == "data":
            skipped.append(
                Skipped(
                    name,
                    t.header_line,
                    f"tabellen '{t.caption or 'uden titel'}' har ingen årskolonner (kolonnerne er "
                    "ikke årstal) og kan ikke blive linjer i en case; den importeres ikke",
                )
            )
            continue
        tables.append(t)
    if not tables and staff_line is not None:
        msg = Msg(
            "{name}: tabellen er en personaletabel (antal medarbejdere i budgetår og ændring), "
            "ikke en tabel med beløb pr. år – den kan ikke blive linjer i en case. Kontrollér "
            "den med 'socinvest check {name}'",
            name=name,
        )
        raise InputError(msg if single else Join((msg, Msg(" (linje {line})", line=staff_line))))
    if not tables and single:
        raise InputError(
            Msg(
                "{path}: ingen tabel med årskolonner – en tabel skal have en overskriftsrække "
                "med årstal (fx 2017, 2018, …) i hver sin kolonne",
                path=name,
            )
        )
    return tables, skipped
