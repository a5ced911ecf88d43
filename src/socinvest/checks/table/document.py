"""Checking a whole document: every table in pasted text or a file (text, CSV, .docx, .pdf),
one report for them all; and tables whose columns are not years (read as data)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ...i18n import Join, Msg
from ..findings import Finding
from .check import check_parsed, unreadable_findings
from .documents import read_document
from .layout import CSV, PDF
from .model import NEGATIVE, Table, TableReport
from .multi import parse_tables
from .sums import evaluate, note_parts, total_findings


def check_table(text: str, source: str = "<tabel>") -> TableReport:
    """Parse pasted text, infer each table's structure and sign convention, and check its
    figures. A text with several tables is checked table by table, in one report."""
    return check_tables(parse_tables(text, source))


def check_tables(tables: list[Table]) -> TableReport:
    """One report for the tables of a document (a single table: its own report)."""
    reports = [check_data(t) if t.kind == "data" else check_parsed(t) for t in tables]
    if len(reports) == 1:
        return reports[0]
    return combine(tables, reports)


def check_data(table: Table) -> TableReport:
    """A table whose columns are not years: totals checked column by column, no payback."""
    notes: list[Any] = [
        Msg(
            "Tabellen har ingen årskolonner (kolonner: {columns}); den er læst som data: "
            "totalerne kontrolleres kolonne for kolonne, og der beregnes ingen "
            "tilbagebetalingstid.",
            columns=", ".join(table.columns),
        )
    ]
    evals = evaluate(table, [1.0] * len(table.rows), NEGATIVE)
    for t in evals:
        notes.append(Join(("Total: ", note_parts(table, t, evals[t]))))
    findings = unreadable_findings(table) + total_findings(table, evals)
    findings.sort(key=lambda f: (f.line or 0, f.year or 0))
    return TableReport(
        title=table.caption or table.source,
        findings=findings,
        payback={"service": None, "total": None},
        notes=notes,
        table=table,
    )


def _name(t: Table, k: int) -> str:
    """How a finding's row names its table: the caption, else its number."""
    return t.caption or f"#{k}"


def combine(tables: list[Table], reports: list[TableReport]) -> TableReport:
    """One report for several tables: each finding's row names its table (caption, else its
    number), the notes are grouped by table, and payback is the first table's that has
    payback rows (else the first with a computed payback)."""
    n = len(tables)
    notes: list[Any] = [Msg("Teksten indeholder {n} tabeller; alle er kontrolleret.", n=n)]
    findings: list[Finding] = []
    for k, (t, rep) in enumerate(zip(tables, reports, strict=True), start=1):
        name = _name(t, k)
        end = max(t.end_line, t.header_line)
        notes.append(
            Msg(
                "Tabel {k} af {n}: '{name}' (linje {start}–{end}):",
                k=k,
                n=n,
                name=name,
                start=t.header_line,
                end=end,
            )
        )
        notes += rep.notes
        findings += [replace(f, row=f"{name}: {f.row}" if f.row else name) for f in rep.findings]
    with_rows = [r for r in reports if any(x.kind == "payback" for x in r.table.rows)]
    computed = [r for r in reports if any(v is not None for v in r.payback.values())]
    main = (with_rows or computed or reports)[0]
    if any(v is not None for v in main.payback.values()):
        main_name = _name(main.table, reports.index(main) + 1)
        notes.append(Msg("Tilbagebetalingstiden i sammendraget er fra '{name}'.", name=main_name))
    return TableReport(
        title=main.table.source,
        findings=findings,
        payback=main.payback,
        notes=notes,
        table=main.table,
        sign=main.sign,
        payback_other=main.payback_other,
        tables=tuple(tables),
    )


_READ_AS = {
    "cp1252": "Filen var ikke UTF-8 og er læst som Windows-1252 (cp1252).",
    "utf-16": "Filen er læst som UTF-16 (Unicode-tekst fra Excel).",
    "docx": "Tabellerne er læst fra Word-dokumentet (.docx).",
    "pdf": "Teksten er læst fra PDF-filen; kolonner adskilt af mellemrum er læst som celler.",
}


def check_table_file(path: str | Path) -> TableReport:
    """Read a table file (text, CSV, .docx or .pdf) and check every table in it; findings
    name the file by its name."""
    text, encoding = read_document(path)
    report = check_table(text, Path(path).name)
    if encoding in _READ_AS:
        report.notes.insert(0, Msg(_READ_AS[encoding]))
    layout = report.table.layout
    if layout == CSV:
        report.notes.insert(0, Msg("Filen er læst som CSV med semikolon mellem cellerne."))
    elif layout == PDF and encoding != "pdf":
        report.notes.insert(
            0,
            Msg(
                "Teksten er kopieret fra en PDF: kolonner adskilt af mellemrum er læst som celler."
            ),
        )
    return report
