"""The `fit` document: transitions per month and new children per year, with 95 % intervals."""

from __future__ import annotations

from ...i18n import render, translator
from ...numbers import format_number, format_percent
from ...services.ladder import FitBundle
from ..document.model import (
    Cell,
    Paragraph,
    ReportDocument,
    Section,
    Table,
    TableRow,
)
from . import labels as L
from .base import Numbers, _num


def fit_document(b: FitBundle, lang: str = "da") -> ReportDocument:
    """Transitions per month and new children per year, with their 95 % intervals."""
    tr = translator(lang)
    r = b.result
    n = Numbers()

    def num(v: float, d: int) -> Cell:
        return _num(v, d, lang)

    def pct(v: float) -> str:
        return format_percent(float(v), 2, lang)

    summary = tr(
        L.FIT_SUMMARY,
        episodes=r.n_episodes,
        children=r.n_children,
        years=format_number(r.window_years, 2, lang),
        censored=r.censored,
    )
    rows = [
        TableRow(
            (
                Cell(row["from"]),
                Cell(row["to"]),
                Cell(row["ages"]),
                Cell(row["months"]),
                Cell(str(row["events"]), float(row["events"])),
                num(row["exposure_months"], 1),
                Cell(pct(row["monthly"]), float(row["monthly"])),
                Cell(f"{pct(row['ci95'][0])} – {pct(row['ci95'][1])}"),
            )
        )
        for row in r.rows()
    ]
    number = n.next_table()
    transitions = Table(
        "transitions",
        number,
        tr(L.TABLE, n=number, caption=tr(L.FIT_TRANSITIONS_TITLE)),
        tuple(tr(c) for c in L.FIT_TRANSITION_COLS),
        tuple(rows),
        (False, False, True, True, True, True, True, True),
        (2.0, 2.0, 1.0, 1.5, 1.2, 1.2, 1.2, 2.0),
    )
    rows = [
        TableRow(
            (
                Cell(row["step"]),
                Cell(row["ages"]),
                Cell(str(row["count"]), float(row["count"])),
                num(row["per_year"], 1),
                Cell(
                    f"{format_number(row['ci95'][0], 1, lang)} – "
                    f"{format_number(row['ci95'][1], 1, lang)}"
                ),
            )
        )
        for row in r.entry_rows()
    ]
    number = n.next_table()
    entries = Table(
        "entries",
        number,
        tr(L.TABLE, n=number, caption=tr(L.FIT_ENTRIES_TITLE)),
        tuple(tr(c) for c in L.FIT_ENTRY_COLS),
        tuple(rows),
        (False, True, True, True, True),
        (2.0, 1.0, 1.0, 1.0, 2.0),
        tr(L.FIT_NOTE),
    )
    said = tuple(Paragraph(render(m, lang)) for m in (*r.notes, *(f.message() for f in r.findings)))
    section = Section(
        "fit", n.heading(tr(L.SEC_FIT)), (Paragraph(summary), *said, transitions, entries)
    )
    return ReportDocument(
        lang,
        tr(L.FIT_TITLE, file=b.episodes.name),
        tr(L.KICKER),
        (section,),
        tr(L.FIT_FOOTER, file=str(b.episodes)),
        "",
        kind="ladder",
    )
