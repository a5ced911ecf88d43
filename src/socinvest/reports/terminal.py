"""Terminal rendering of the template's tables with rich; Danish number formatting."""

from __future__ import annotations

from ..engine.results import Results
from ..numbers import format_number
from .table1 import LABELS, caption, table1_rows


def print_table1(console, res: Results, lang: str = "da") -> None:
    from rich.table import Table

    title = (
        "Forslagets samlede økonomiske konsekvenser"
        if lang == "da"
        else ("Total economic consequences of the proposal")
    )
    t = Table(title=f"{title} ({caption(res, lang)})", title_justify="left", show_lines=False)
    t.add_column(caption(res, lang), no_wrap=False, max_width=48)
    t.add_column(LABELS[lang]["area"], no_wrap=True)
    for y in res.years:
        t.add_column(str(int(y)), justify="right", no_wrap=True, min_width=6)
    n = len(res.years)
    for row in table1_rows(res, lang):
        if row.style == "section":
            t.add_row(f"[bold]{row.label}[/]", "", *[""] * n)
        elif row.style == "payback":
            t.add_row(row.label, row.text, *[""] * n)
        else:
            cells = [format_number(v, 0, lang) for v in row.values]
            if row.style == "total":
                t.add_row(f"[bold]{row.label}[/]", "", *[f"[bold]{c}[/]" for c in cells])
            else:
                t.add_row(row.label, row.area, *cells)
    console.print(t)
    note = (
        "Beløb vist afrundet; beregnet med fuld præcision. Besparelser er negative."
        if lang == "da"
        else "Amounts shown rounded; computed in full precision. Savings are negative."
    )
    console.print(f"[dim]{note}[/]")
