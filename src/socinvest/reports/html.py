"""Standalone HTML report: jinja2 template, inline CSS, inline SVG charts, print CSS for A4.

The template lays out the blocks of the report document (document.py) and computes nothing:
table widths, font sizes, parts and landscape sections come from `layout.plan_document`
(measured text), for the screen and for the PDF printed from this page alike.
Autoescape is on for the template (its name ends in .j2): every text of the document is
HTML-escaped, so a case title `<script>` is shown, never run. Only the report's own CSS,
charts (matplotlib's SVG, which escapes its text) and class attributes are `Markup`.
"""

from __future__ import annotations

from pathlib import Path

from ..i18n import translator
from .document.model import ReportDocument, Table
from .layout import CONTINUED, HTML, DocumentLayout, plan_document
from .safetext import clean

TEMPLATES = Path(__file__).with_name("templates")


def _percentages(widths: tuple[float, ...]) -> list[str]:
    total = sum(widths) or 1.0
    return [f"{100.0 * w / total:.2f}" for w in widths]


def table_layout(table: Table) -> str:
    """A class naming the table's kind for style sheets: 'many-columns', 'narrow' (has
    numbers) or 'text'. Widths, font size and parts come from `layout.plan_document`."""
    if len(table.header) > 10:
        return "many-columns"
    if any(table.numeric):
        return "narrow"
    return "text"


def _cell_class(table: Table, i: int):
    from markupsafe import Markup

    if i in table.centered:
        return Markup(' class="mark"')
    return Markup(' class="num"') if table.numeric[i] else ""


def running_title(title: str, limit: float = 380.0) -> str:
    """The title in the page footer: one line (at most `limit` pt at 8 pt, about 135 mm),
    cut at a word with '…' when longer, so that it never runs into the paper's edge."""
    from .layout import text_width

    if text_width(title, 8.0, bold=False) <= limit:
        return title
    words, out = title.split(), ""
    for w in words:
        if text_width(f"{out} {w} …", 8.0, bold=False) > limit:
            break
        out = f"{out} {w}".strip()
    return f"{out} …" if out else title[:60] + "…"


TAIL_LINES = 12


def tail_start(doc: ReportDocument) -> int:
    """The index of the first of the last section's closing blocks that hold about TAIL_LINES
    lines; the template keeps them together (`div.tail`), so that the last page is never a
    line or two. 0: no tail (the section is short, or its end is a large block)."""
    if not doc.sections:
        return 0
    blocks = doc.sections[-1].blocks
    lines = 0
    for k in range(len(blocks) - 1, 0, -1):
        b = blocks[k]
        if isinstance(b, Table) or b.kind == "figure":
            return 0 if k == len(blocks) - 1 else k + 1
        items = getattr(b, "items", None)
        text = getattr(b, "text", "")
        lines += len(items) * 2 if items is not None else 1 + len(text) // 90
        if lines >= TAIL_LINES:
            return k
    return 0


def _pt(v: float) -> str:
    return f"{v:.1f}pt"


def _unique_ids():
    """A filter that makes each id of one page unique ('kpi', 'kpi-2', …)."""
    seen: dict[str, int] = {}

    def uid(base: str) -> str:
        seen[base] = seen.get(base, 0) + 1
        return base if seen[base] == 1 else f"{base}-{seen[base]}"

    return uid


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["percentages"] = _percentages
    env.filters["table_layout"] = table_layout
    env.filters["cell_class"] = _cell_class
    env.filters["pt"] = _pt
    env.filters["running"] = running_title
    return env


def render_document_html(doc: ReportDocument) -> str:
    """The report document as one standalone HTML page."""
    from markupsafe import Markup

    from .charts import chart_svg
    from .document.severity import severity_word

    doc = clean(doc)
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    svgs = {  # no drawn title (the caption names the chart); ids unique in the page
        f.number: Markup(chart_svg(f.spec, title=False, id_prefix=f"fig{f.number}-", alt=f.caption))
        for f in doc.figures
    }
    layout: DocumentLayout = plan_document(doc, HTML)
    env = _environment()
    env.filters["severity"] = lambda s: severity_word(s, doc.lang)
    env.filters["layout"] = layout.table
    env.filters["uid"] = _unique_ids()
    tr = translator(doc.lang)
    template = env.get_template("report.html.j2")
    return template.render(
        doc=doc,
        css=Markup(css),
        svgs=svgs,
        landscape=layout.landscape,
        continued=tr(CONTINUED),
        tail=tail_start(doc),
    )


def write_html(doc: ReportDocument, path: Path) -> None:
    """Write the document as standalone HTML (inline CSS and SVG) at `path` (the registry
    calls this with a temporary path; use `registry.render_file`)."""
    Path(path).write_text(render_document_html(doc), encoding="utf-8")
