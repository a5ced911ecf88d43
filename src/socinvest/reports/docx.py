"""Word report with python-docx: real headings, real tables (table style, bold header row that
repeats on every page, right-aligned numbers), charts as PNG pictures, captions with unit and
price level. Wide sections (many year columns) are landscape sections.

Lays out the report document (document.py) and computes nothing.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from ..i18n import translator
from .document.model import Findings, ReportDocument, Table
from .layout import CONTINUED, DOCX, TableLayout, plan_document
from .safetext import clean

FONT = "Calibri"
HEADER_FILL = "DCE6F1"
TOTAL_FILL = "F2F4F7"
A4 = (21.0, 29.7)  # cm
MARGIN = {False: 2.0, True: 1.5}  # cm: portrait, landscape (layout.DOCX must agree)
CELL_PAD = 3.0 / 72 * 2.54  # cm each side: layout.DOCX.pad / 2


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


_MINUS = re.compile(r"(?<!\w)-(?=\d)")


def _keep_numbers(text: str) -> str:
    """A word joiner after a number's minus in wrapped text: LibreOffice would otherwise break
    a line between '-' and '3.700'."""
    return _MINUS.sub("-\u2060", text)


def _tiny(p, after: float = 0.0) -> None:
    """An empty paragraph (a table's spacer, a section break) one point high, so that a
    table that fills its page does not push it onto an empty page of its own."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    f = p.paragraph_format
    f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    f.line_spacing = Pt(1)
    f.space_before = Pt(0)
    f.space_after = Pt(after)


def _no_wrap(cell) -> None:
    """A number's cell: Word never wraps it (its width already holds the widest number)."""
    from docx.oxml import OxmlElement

    cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))


def _table(doc, t: Table, lay: TableLayout, continued: str) -> None:
    """The table as planned by `layout` (font, widths; one Word table per part)."""
    for k, part in enumerate(lay.parts):
        caption = t.caption if k == 0 else f"{t.caption} ({continued})"
        _table_part(doc, t, lay, part, caption, last=k == len(lay.parts) - 1)


def _table_part(doc, t: Table, lay: TableLayout, part, caption: str, last: bool) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cap = doc.add_paragraph(caption, style="Caption")
    cap.paragraph_format.keep_with_next = True
    size = Pt(lay.font)
    table = doc.add_table(rows=1 + len(t.rows), cols=len(part))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _cell_margins(table, CELL_PAD)
    widths = [Pt(lay.widths[i]) for i in part]
    for col, w in zip(table.columns, widths, strict=True):
        col.width = w  # the grid (LibreOffice reads this; Word reads the cell widths)

    def fill(cell, text: str, k: int, bold: bool, italic: bool = False) -> None:
        col = part[k]
        cell.width = widths[k]
        p = cell.paragraphs[0]
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.space_before = Pt(0)
        if col in t.centered:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif t.numeric[col]:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if t.numeric[col] or col in t.centered:
            _no_wrap(cell)
        else:
            text = _keep_numbers(text)
        run = p.add_run(text)
        run.font.size = size
        run.bold = bold
        run.italic = italic

    header = table.rows[0]
    _repeat_header(header)
    for k, j in enumerate(part):
        fill(header.cells[k], t.header[j], k, bold=True)
        _shade(header.cells[k], HEADER_FILL)
    for i, r in enumerate(t.rows, start=1):
        row = table.rows[i]
        _cant_split(row)
        bold = r.style in ("section", "total")
        for k, j in enumerate(part):
            fill(
                row.cells[k], r.cells[j].text, k, bold=bold, italic=r.style == "payback" and j == 0
            )
            if r.style == "total":
                _shade(row.cells[k], TOTAL_FILL)
    # a short table stays whole and with its note; a long one keeps its last row with it
    keep = table.rows if lay.lines <= 18 else (table.rows[-1:] if t.note and last else [])
    for row in keep:
        for c in row.cells:
            c.paragraphs[0].paragraph_format.keep_with_next = True
    if t.note and last:
        p = doc.add_paragraph()
        run = p.add_run(t.note)
        run.italic = True
        run.font.size = Pt(8)
    else:
        _tiny(doc.add_paragraph(), after=6.0)


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


def _properties(d, doc_model: ReportDocument) -> None:
    """Core properties a reader's Word shows and uses: title, author (the case's department
    and organisation), created now, and the language Word spell-checks the text in."""
    import datetime as dt

    props = d.core_properties
    props.title = doc_model.title[:255]  # the property's limit
    props.author = (doc_model.author or "socinvest")[:255]
    props.last_modified_by = props.author
    props.comments = ""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now
    props.revision = 1
    props.language = "da-DK" if doc_model.lang == "da" else "en-GB"
    props.subject = doc_model.kicker[:255]
    lang = props.language
    styles = d.styles.element  # the default run language: Word spell-checks in it
    from docx.oxml.ns import qn

    for rpr in styles.iter(qn("w:rPr")):
        for el in rpr.findall(qn("w:lang")):
            el.set(qn("w:val"), lang)
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None and rpr.find(qn("w:lang")) is None:
            from docx.oxml import OxmlElement

            el = OxmlElement("w:lang")
            el.set(qn("w:val"), lang)
            rpr.append(el)


def _alt_text(picture, text: str, number: int) -> None:
    """Alternative text of a picture (what a screen reader says): its caption."""
    pr = picture._inline.docPr
    pr.set("descr", " ".join(text.split()))
    pr.set("title", " ".join(text.split())[:255])
    pr.set("name", f"figure-{number}")


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
    _properties(d, doc_model)

    layout = plan_document(doc_model, DOCX)  # orientation and tables from measured text
    continued = translator(doc_model.lang)(CONTINUED)
    wide = layout.landscape[0] if doc_model.sections else False
    _orient(d.sections[0], wide)
    _page_number_footer(d.sections[0], doc_model.title)

    kicker = d.add_paragraph()
    run = kicker.add_run(doc_model.kicker.upper())
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    d.add_heading(doc_model.title, 0)

    for s, land in zip(doc_model.sections, layout.landscape, strict=True):
        if land != wide:
            wide = land
            _orient(d.add_section(WD_SECTION.NEW_PAGE), wide)
            _tiny(d.paragraphs[-1])  # the break's paragraph: never a page of its own
        if s.heading:
            d.add_heading(s.heading, 1)
        for b in s.blocks:
            if b.kind == "fields":
                for k, v in b.items:
                    p = d.add_paragraph()
                    p.add_run(f"{k}: ").bold = True
                    p.add_run(v)
            elif b.kind == "table":
                _table(d, b, layout.table(b), continued)
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
                pic = d.add_picture(io.BytesIO(chart_png(b.spec, title=False)), width=Cm(16.0))
                _alt_text(pic, b.caption, b.number)
    for last in d.paragraphs[-6:]:  # the closing lines never one or two alone on a page
        last.paragraph_format.keep_with_next = True
    p = d.add_paragraph()
    run = p.add_run(doc_model.footer)
    run.font.size = Pt(8)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def write_docx(doc: ReportDocument, path: Path) -> None:
    """Write the document as a Word file at `path` (use `registry.render_file`)."""
    Path(path).write_bytes(render_docx(doc))
