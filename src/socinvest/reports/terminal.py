"""Terminal rendering of the template's tables with rich; Danish number formatting.

Every text from an input file is cleaned of control characters (`safetext`) and escaped for
rich markup, so an ESC sequence never reaches the terminal and `[bold red]x[/]` prints as
written."""

from __future__ import annotations

from ..engine.results import Results
from ..i18n import translator
from ..numbers import format_number
from .document.model import (
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
from .document.severity import SEVERITY_STYLE, severity_word
from .safetext import clean, clean_text
from .table1 import LABELS, shown_units, sign_note, table1_rows


def print_table1(console, res: Results, lang: str = "da") -> None:
    """Table 1 on a rich console; labels from the case are cleaned and markup-escaped."""
    from rich.markup import escape
    from rich.table import Table as RichTable

    def text(s: str) -> str:
        return escape(clean_text(s))

    tr = translator(lang)
    units = shown_units(res, lang)
    title = tr("Forslagets samlede økonomiske konsekvenser")
    t = RichTable(title=text(f"{title} ({units})"), title_justify="left", show_lines=False)
    t.add_column(text(units), no_wrap=False, max_width=48)
    t.add_column(LABELS[lang]["area"], no_wrap=True)
    for y in res.years:
        t.add_column(str(int(y)), justify="right", no_wrap=True, min_width=6)
    n = len(res.years)
    for row in table1_rows(res, lang):
        label = text(row.label)
        if row.style == "section":
            t.add_row(f"[bold]{label}[/]", "", *[""] * n)
        elif row.style == "payback":
            t.add_row(label, text(row.text), *[""] * n)
        else:
            cells = [format_number(v, 0, lang) for v in row.values]
            if row.style == "total":
                t.add_row(f"[bold]{label}[/]", "", *[f"[bold]{c}[/]" for c in cells])
            else:
                t.add_row(label, text(row.area), *cells)
    console.print(t)
    console.print(f"[dim]{escape(sign_note(res, lang))}[/]")


def print_document(console, doc: ReportDocument) -> None:
    """Any report document on a rich console: title, headings, fields, tables (numbers
    right-aligned, totals and sections bold), key figures, notes, lists and findings;
    figures are listed by caption (a terminal draws no charts)."""
    from rich.markup import escape
    from rich.table import Table as RichTable

    doc = clean(doc)
    if doc.kicker:
        console.print(f"[dim]{escape(doc.kicker)}[/]")
    console.print(f"[bold]{escape(doc.title)}[/]")
    for s in doc.sections:
        if s.heading:
            console.print(f"\n[bold underline]{escape(s.heading)}[/]")
        for b in s.blocks:
            if isinstance(b, Table):
                t = RichTable(title=escape(b.caption), title_justify="left")
                for i, h in enumerate(b.header):
                    right = b.numeric[i] and i not in b.centered
                    t.add_column(
                        escape(h),
                        justify="right" if right else ("center" if i in b.centered else "left"),
                        no_wrap=right,
                    )
                for r in b.rows:
                    bold = r.style in ("section", "total")
                    t.add_row(
                        *[
                            (f"[bold]{escape(c.text)}[/]" if bold and c.text else escape(c.text))
                            for c in r.cells
                        ]
                    )
                console.print(t)
                if b.note:
                    console.print(f"[dim]{escape(b.note)}[/]")
            elif isinstance(b, Fields):
                for k, v in b.items:
                    console.print(f"[bold]{escape(k)}:[/] {escape(v)}")
            elif isinstance(b, KeyFigures):
                kt = RichTable(title=escape(b.title), title_justify="left", show_header=False)
                kt.add_column()
                kt.add_column(justify="right", no_wrap=True)
                for k, v in b.items:
                    kt.add_row(escape(k), f"[bold]{escape(v)}[/]")
                console.print(kt)
            elif isinstance(b, Paragraph):
                console.print(escape(b.text))
            elif isinstance(b, Note):
                console.print(f"[dim]{escape(b.text)}[/]")
            elif isinstance(b, Subheading):
                console.print(f"[bold]{escape(b.text)}[/]")
            elif isinstance(b, BulletList):
                for item in b.items:
                    console.print(f"  • {escape(item)}")
            elif isinstance(b, Findings):
                _print_findings(console, b, doc.lang)
            elif isinstance(b, Figure):
                console.print(f"[italic]{escape(b.caption)}[/]")
    if doc.footer:
        console.print(f"\n[dim]{escape(doc.footer)}[/]")


def _print_findings(console, b: Findings, lang: str) -> None:
    from rich.markup import escape

    if b.title:
        console.print(f"[bold]{escape(b.title)}[/]")
    for f in b.items:
        style = SEVERITY_STYLE[f.severity]
        word = severity_word(f.severity, lang).upper()
        where = f" ({escape(f.where)})" if f.where else ""
        console.print(
            f"[{style}]{escape(word)}[/] [bold]{escape(f.code)}[/]{where}: {escape(f.text)}"
        )
    if not b.items and b.empty:
        console.print(escape(b.empty))
    if b.summary:
        console.print(escape(b.summary))
