"""Word report with python-docx: real headings, real tables (table style, bold header row that
repeats on every page, right-aligned numbers), charts as PNG pictures, captions with unit and
price level. Wide sections (many year columns) are landscape sections.

Lays out the report document (document.py) and computes nothing.
"""

from __future__ import annotations

import io
from pathlib import Path

from .document.model import Findings, ReportDocument, Table
from .safetext import clean

FONT = "Calibri"
HEADER_FILL = "DCE6F1"
TOTAL_FILL = "F2F4F7"
A4 = (21.0, 29.7)  # cm
MARGIN = {False: 2.0, True: 1.5}  # cm: portrait, landscape


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _cant_split(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _cell_margins(table, cm: float) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(cm * 567)))  # twips
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)


def _page_number_footer(section, text: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p = section.footer.paragraphs[0]
    p.text = ""
    run = p.add_run(f"{text}    ")
    run.font.size = Pt(8)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)


def _orient(section, wide: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    w, h = A4
    section.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(h), Cm(w)) if wide else (Cm(w), Cm(h))
    m = Cm(MARGIN[wide])
    section.left_margin = section.right_margin = m
    section.top_margin = section.bottom_margin = m


def _text_width_cm(wide: bool) -> float:
    w, h = A4
    return (h if wide else w) - 2 * MARGIN[wide]


def _column_widths(t: Table, avail: float, small: bool) -> list[float]:
    """Column widths in cm: the table's relative widths, but numbers never narrower than a
    bold '-16.200' needs (Word cannot forbid wrapping); text columns share the rest."""
    total = sum(t.widths) or 1.0
    prop = [avail * w / total for w in t.widths]
    least = 1.3 if small else 1.6
    num = [i for i, n in enumerate(t.numeric) if n or i in t.centered]
    widths = [max(prop[i], least) if i in num else prop[i] for i in range(len(prop))]
    text = [i for i in range(len(prop)) if i not in num]
    rest = avail - sum(widths[i] for i in num)
    weight = sum(t.widths[i] for i in text)
    if text and weight and rest > 0:
        for i in text:
            widths[i] = rest * t.widths[i] / weight
    return widths


def _table(doc, t: Table, wide: bool) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    cap = doc.add_paragraph(t.caption, style="Caption")
    cap.paragraph_format.keep_with_next = True
    ncols = len(t.header)
    size = Pt(8 if ncols > 10 else 9)
    table = doc.add_table(rows=1 + len(t.rows), cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _cell_margins(table, 0.08)
    widths = [Cm(w) for w in _column_widths(t, _text_width_cm(wide), ncols > 10)]
    for col, w in zip(table.columns, widths, strict=True):
        col.width = w  # the grid (LibreOffice reads this; Word reads the cell widths)

    def fill(cell, text: str, col: int, bold: bool, italic: bool = False) -> None:
        cell.width = widths[col]
        p = cell.paragraphs[0]
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.space_before = Pt(0)
        if col in t.centered:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif t.numeric[col]:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = p.add_run(text)
        run.font.size = size
        run.bold = bold
        run.italic = italic

    header = table.rows[0]
    _repeat_header(header)
    for j, h in enumerate(t.header):
        fill(header.cells[j], h, j, bold=True)
        _shade(header.cells[j], HEADER_FILL)
    for i, r in enumerate(t.rows, start=1):
        row = table.rows[i]
        _cant_split(row)
        bold = r.style in ("section", "total")
        for j, c in enumerate(r.cells):
            fill(row.cells[j], c.text, j, bold=bold, italic=r.style == "payback" and j == 0)
            if r.style == "total":
                _shade(row.cells[j], TOTAL_FILL)
    if t.note:
        p = doc.add_paragraph()
        run = p.add_run(t.note)
        run.italic = True
        run.font.size = Pt(8)
    else:
        doc.add_paragraph().paragraph_format.space_after = Pt(2)


def _findings(d, b: Findings, lang: str) -> None:
    from docx.shared import Pt, RGBColor

    from .document.severity import SEVERITY_COLOUR, severity_word

    if b.title:
        d.add_heading(b.title, 2)
    if b.summary:
        d.add_paragraph(b.summary)
    for f in b.items:
        p = d.add_paragraph(style="List Bullet")
        run = p.add_run(severity_word(f.severity, lang).upper() + " ")
        run.bold = True
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor.from_string(SEVERITY_COLOUR[f.severity].lstrip("#"))
        where = f" ({f.where})" if f.where else ""
        p.add_run(f"{f.code}{where}: {f.text}").font.size = Pt(9)
    if not b.items and b.empty:
        d.add_paragraph(b.empty)


def render_docx(doc_model: ReportDocument) -> bytes:
    """The report document as a .docx file's bytes."""
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.shared import Cm, Pt, RGBColor

    from .charts import chart_png

    doc_model = clean(doc_model)  # Word (XML 1.0) cannot hold control characters
    d = Document()
    normal = d.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    d.core_properties.title = doc_model.title[:255]  # the property's limit
    d.core_properties.language = "da-DK" if doc_model.lang == "da" else "en-GB"

    wide = doc_model.sections[0].wide if doc_model.sections else False
    _orient(d.sections[0], wide)
    _page_number_footer(d.sections[0], doc_model.title)

    kicker = d.add_paragraph()
    run = kicker.add_run(doc_model.kicker.upper())
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    d.add_heading(doc_model.title, 0)

    for s in doc_model.sections:
        if s.wide != wide:
            wide = s.wide
            _orient(d.add_section(WD_SECTION.NEW_PAGE), wide)
        if s.heading:
            d.add_heading(s.heading, 1)
        for b in s.blocks:
            if b.kind == "fields":
                for k, v in b.items:
                    p = d.add_paragraph()
                    p.add_run(f"{k}: ").bold = True
                    p.add_run(v)
            elif b.kind == "table":
                _table(d, b, wide)
            elif b.kind == "paragraph":
                d.add_paragraph(b.text)
            elif b.kind == "note":
                p = d.add_paragraph()
                run = p.add_run(b.text)
                run.italic = True
                run.font.size = Pt(8.5)
            elif b.kind == "keyfigures":
                d.add_heading(b.title, 2)
                kt = d.add_table(rows=len(b.items), cols=2)
                kt.style = "Table Grid"
                kt.autofit = False
                kt.columns[0].width, kt.columns[1].width = Cm(11.0), Cm(5.0)
                for i, (k, v) in enumerate(b.items):
                    c0, c1 = kt.rows[i].cells
                    c0.width, c1.width = Cm(11.0), Cm(5.0)
                    c0.paragraphs[0].add_run(k).font.size = Pt(9)
                    r1 = c1.paragraphs[0].add_run(v)
                    r1.bold = True
                    r1.font.size = Pt(9)
                    c1.paragraphs[0].alignment = 2  # right
                d.add_paragraph()
            elif b.kind == "subheading":
                d.add_heading(b.text, 2)
            elif b.kind == "list":
                for item in b.items:
                    p = d.add_paragraph(style="List Bullet")
                    p.add_run(item).font.size = Pt(9)
            elif b.kind == "findings":
                _findings(d, b, doc_model.lang)
            elif b.kind == "figure":
                cap = d.add_paragraph(b.caption, style="Caption")
                cap.paragraph_format.keep_with_next = True
                d.add_picture(io.BytesIO(chart_png(b.spec)), width=Cm(16.0))
    p = d.add_paragraph()
    run = p.add_run(doc_model.footer)
    run.font.size = Pt(8)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def write_docx(doc: ReportDocument, path: Path) -> None:
    """Write the document as a Word file at `path` (use `registry.render_file`)."""
    Path(path).write_bytes(render_docx(doc))
