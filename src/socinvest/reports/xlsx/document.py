"""The generic workbook of any report document (pool, ladder, simulation, check; a case
document goes to the workbook with live formulas instead, see registry.py).

The first sheet holds the document's text in order (title, headings, fields, key figures,
paragraphs, notes, lists, findings, figure captions, and a pointer to each table's sheet);
every table gets its own sheet with its caption, header, rows and note. Numbers (cells with
a value) are written as numbers with the displayed decimals; every text is written with
`cells.write_text`, so a text starting with "=", "+", "-" or "@" stays text (no formula
injection from a case title or a line label).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ...i18n import N_, translator
from ..document.model import (
    BulletList,
    Fields,
    Figure,
    Findings,
    KeyFigures,
    Note,
    Paragraph,
    ReportDocument,
    Subheading,
    Table,
)
from ..document.severity import severity_word
from ..safetext import clean
from .cells import WORKBOOK_OPTIONS, write_text

_BAD = re.compile(r"[\[\]:*?/\\]")
SUMMARY = N_("Rapport")
TABLE_WORD = N_("Tabel")
SEE_SHEET = N_("se arket {sheet}")


def _sheet_names(doc: ReportDocument, first: str) -> dict[int, str]:
    """A unique, valid (≤ 31 characters, no []:*?/\\) sheet name per table index."""
    tr = translator(doc.lang)
    used = {first}
    out: dict[int, str] = {}
    for i, t in enumerate(doc.tables):
        base = f"{tr(TABLE_WORD)} {t.number}" if t.number else t.key
        name = _BAD.sub(" ", base)[:31] or f"{i + 1}"
        k = 2
        while name in used:
            suffix = f" ({k})"
            name = _BAD.sub(" ", base)[: 31 - len(suffix)] + suffix
            k += 1
        used.add(name)
        out[i] = name
    return out


def write_document_xlsx(doc: ReportDocument, path: Path) -> None:
    """Write `doc` as a workbook at `path` (use `registry.render_file`)."""
    import xlsxwriter

    tr = translator(doc.lang)
    doc = clean(doc)
    wb = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
    f: dict[str, Any] = {
        "text": wb.add_format(base),
        "wrap": wb.add_format({**base, "text_wrap": True}),
        "title": wb.add_format({**base, "bold": True, "font_size": 14}),
        "heading": wb.add_format({**base, "bold": True, "font_size": 11}),
        "bold": wb.add_format({**base, "bold": True}),
        "caption": wb.add_format({**base, "italic": True, "font_color": "#595959"}),
        "header": wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "bottom": 1}),
    }
    numfmt: dict[tuple[int, bool], Any] = {}

    def number_format(decimals: int, bold: bool) -> Any:
        key = (decimals, bold)
        if key not in numfmt:
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            numfmt[key] = wb.add_format({**base, "num_format": pattern, "bold": bold})
        return numfmt[key]

    wb.set_properties({"title": doc.title, "author": "socinvest", "subject": doc.units})
    first = _BAD.sub(" ", tr(SUMMARY))[:31]
    names = _sheet_names(doc, first)
    ws = wb.add_worksheet(first)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_column(0, 0, 60)
    ws.set_column(1, 1, 24)
    row = 0

    def put(text: str, fmt: str = "text", col: int = 0) -> None:
        nonlocal row
        write_text(ws, row, col, text, f[fmt])
        row += 1

    if doc.kicker:
        put(doc.kicker, "caption")
    put(doc.title, "title")
    row += 1
    table_index = {id(t): i for i, t in enumerate(doc.tables)}
    for s in doc.sections:
        if s.heading:
            row += 1
            put(s.heading, "heading")
        for b in s.blocks:
            if isinstance(b, Fields | KeyFigures):
                if isinstance(b, KeyFigures):
                    put(b.title, "bold")
                for k, v in b.items:
                    write_text(ws, row, 0, k, f["text"])
                    write_text(ws, row, 1, v, f["bold"])
                    row += 1
            elif isinstance(b, Paragraph):
                put(b.text, "wrap")
            elif isinstance(b, Note):
                put(b.text, "caption")
            elif isinstance(b, Subheading):
                put(b.text, "bold")
            elif isinstance(b, BulletList):
                for item in b.items:
                    put(f"• {item}", "wrap")
            elif isinstance(b, Figure):
                put(b.caption, "caption")
            elif isinstance(b, Table):
                sheet = names[table_index[id(b)]]
                write_text(ws, row, 0, b.caption, f["text"])
                write_text(ws, row, 1, tr(SEE_SHEET, sheet=sheet), f["caption"])
                row += 1
            elif isinstance(b, Findings):
                if b.title:
                    put(b.title, "bold")
                if b.summary:
                    put(b.summary)
                for fi in b.items:
                    where = f" ({fi.where})" if fi.where else ""
                    write_text(ws, row, 0, f"{fi.code}{where}: {fi.text}", f["wrap"])
                    write_text(ws, row, 1, severity_word(fi.severity, doc.lang), f["bold"])
                    row += 1
                if not b.items and b.empty:
                    put(b.empty)
    row += 1
    put(doc.footer, "caption")

    for i, t in enumerate(doc.tables):
        _table_sheet(wb.add_worksheet(names[i]), t, f, number_format, doc.lang)
    wb.close()


def _table_sheet(ws: Any, t: Table, f: dict[str, Any], number_format: Any, lang: str) -> None:
    ws.set_landscape()  # printed on A4, one page wide, the header repeated on each page
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(2)
    write_text(ws, 0, 0, t.caption, f["bold"])
    for j, h in enumerate(t.header):
        write_text(ws, 2, j, h, f["header"])
        total = sum(t.widths) or 1.0
        share = t.widths[j] / total if j < len(t.widths) else 1.0 / len(t.header)
        ws.set_column(j, j, max(10.0, min(60.0, 120.0 * share)))
    ws.freeze_panes(3, 1 if len(t.header) > 1 else 0)
    row = 3
    for r in t.rows:
        bold = r.style in ("section", "total")
        for j, c in enumerate(r.cells):
            if c.value is not None and c.text and _finite(c.value):
                ws.write_number(row, j, c.value, number_format(shown_decimals(c.text, lang), bold))
            else:
                write_text(ws, row, j, c.text, f["bold"] if bold else f["text"])
        row += 1
    if t.note:
        write_text(ws, row + 1, 0, t.note, f["caption"])


def _finite(v: float) -> bool:
    return v == v and v not in (float("inf"), float("-inf"))


def shown_decimals(text: str, lang: str) -> int:
    """How many decimals a formatted number shows: the digits after its decimal mark
    (',' in Danish, '.' in English); '1.234' in Danish has none."""
    mark = "," if lang == "da" else "."
    m = re.search(re.escape(mark) + r"(\d+)", text)
    return len(m.group(1)) if m else 0
