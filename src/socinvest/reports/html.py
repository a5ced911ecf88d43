"""Standalone HTML report: jinja2 template, inline CSS, inline SVG charts, print CSS for A4.

The template lays out the blocks of the report document (document.py) and computes nothing.
Autoescape is on for the template (its name ends in .j2): every text of the document is
HTML-escaped, so a case title `<script>` is shown, never run. Only the report's own CSS,
charts (matplotlib's SVG, which escapes its text) and class attributes are `Markup`.
"""

from __future__ import annotations

from pathlib import Path

from .document.model import ReportDocument, Table
from .safetext import clean

TEMPLATES = Path(__file__).with_name("templates")


def _percentages(widths: tuple[float, ...]) -> list[str]:
    total = sum(widths) or 1.0
    return [f"{100.0 * w / total:.2f}" for w in widths]


def table_layout(table: Table) -> str:
    """'many-columns' (small type, fixed widths), 'narrow' (numbers: natural width, numbers
    never wrap) or 'text' (full width, fixed relative widths)."""
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
    return env


def render_document_html(doc: ReportDocument) -> str:
    """The report document as one standalone HTML page."""
    from markupsafe import Markup

    from .charts import chart_svg
    from .document.severity import severity_word

    doc = clean(doc)
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    svgs = {f.number: Markup(chart_svg(f.spec)) for f in doc.figures}
    env = _environment()
    env.filters["severity"] = lambda s: severity_word(s, doc.lang)
    template = env.get_template("report.html.j2")
    return template.render(doc=doc, css=Markup(css), svgs=svgs)


def write_html(doc: ReportDocument, path: Path) -> None:
    """Write the document as standalone HTML (inline CSS and SVG) at `path` (the registry
    calls this with a temporary path; use `registry.render_file`)."""
    Path(path).write_text(render_document_html(doc), encoding="utf-8")
