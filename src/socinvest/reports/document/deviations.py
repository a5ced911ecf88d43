"""'Afvigelser fra kildedokumentet': every figure of the source document that the computation
does not reproduce — stated against computed, with the explanation the case file gives.

The findings are the case check's (services.case.CaseBundle.check, checks/case.py), computed
once with the bundle; this module only words them. A finding's explanation is the `note` of
the stated figure it came from (matched by its table and row), else the note of the line it
names, else the finding's own title ("Afvigelse der kan forklares med afrunding").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...case.schema import Case, SignConvention
from ...i18n import translator
from ...numbers import format_number, format_percent
from .format import Numbers, _value
from .labels import T
from .model import Block, Cell, Paragraph, Table, TableRow

if TYPE_CHECKING:
    from ...checks.case import CaseReport
    from ...checks.findings import Finding


def _explanations(case: Case) -> dict[str, str]:
    """'Tabel 1: Samlet varig ændring' -> the note of the (first) stated figure there."""
    out: dict[str, str] = {}
    for s in case.stated:
        key = f"{s.table}: {s.row}"
        if s.note and key not in out:
            out[key] = " ".join(s.note.split())
    return out


def _figure(f: Finding, v: float | None, case: Case, lang: str) -> str:
    """A stated or computed figure as the reader compares them: amounts in the case's sign,
    keys as percentages, payback as a number of years."""
    tr = translator(lang)
    if f.code == "PAYBACK_MISMATCH":
        if v is None:
            return tr("ikke inden for horisonten")
        return tr.ngettext("{n} år", "{n} år", int(v), n=_value(v, lang, 2))
    if v is None:
        return "–"
    if f.code == "SHARE_MISMATCH":
        return format_percent(v / 100, 0 if abs(v - round(v)) < 1e-6 else 1, lang)
    shown = -v if case.sign is SignConvention.SAVINGS_POSITIVE else v
    decimals = 0 if abs(shown - round(shown)) < 1e-6 else 1
    return format_number(shown + 0.0, decimals, lang)


def deviation_blocks(
    case: Case, check: CaseReport, lang: str, n: Numbers, units: str
) -> tuple[Block, ...]:
    """An introduction, and the table of findings (or a sentence that every figure agrees)."""
    tr = translator(lang)
    L = T[lang]
    count = len(case.stated)
    findings = list(check.findings)
    if not findings:
        return (
            Paragraph(
                tr.ngettext(
                    "Case-filen gengiver {n} tal fra kildedokumentet. Det stemmer med beregningen.",
                    "Case-filen gengiver {n} tal fra kildedokumentet. Alle stemmer med "
                    "beregningen.",
                    count,
                    n=count,
                )
            ),
        )
    notes = _explanations(case)
    line_notes = {ln.label: " ".join(ln.note.split()) for ln in case.lines if ln.note}
    rows: list[TableRow] = []
    last = None
    for f in findings:
        where = f.row or ""
        first = where != last  # a figure stated for several years: explained once
        last = where
        explanation = ""
        if first:
            title = tr(f.title)
            note = notes.get(where) or line_notes.get(where, "")
            explanation = f"{title}. {note}" if note else f"{title}."
        rows.append(
            TableRow(
                (
                    Cell(where if first else ""),
                    Cell("" if f.year is None else str(f.year)),
                    Cell(_figure(f, f.stated, case, lang), f.stated),
                    Cell(_figure(f, f.computed, case, lang), f.computed),
                    Cell(explanation),
                )
            )
        )
    number = n.next_table()
    # the explanation under the table (as a table note), so that the heading, the caption
    # and the table stay together on a page
    note = tr.ngettext(
        "Case-filen gengiver {n} tal fra kildedokumentet; tabellen viser dem, der afviger fra "
        "beregningen, med case-filens forklaring. Rapportens øvrige tabeller viser de "
        "beregnede tal.",
        "Case-filen gengiver {n} tal fra kildedokumentet; tabellen viser dem, der afviger fra "
        "beregningen, med case-filens forklaring. Rapportens øvrige tabeller viser de "
        "beregnede tal.",
        count,
        n=count,
    )
    if any(f.code not in ("PAYBACK_MISMATCH", "SHARE_MISMATCH") for f in findings):
        note += " " + (
            tr(
                "Beløb i {units}; besparelser med positivt fortegn, som i kildedokumentet.",
                units=units,
            )
            if case.sign is SignConvention.SAVINGS_POSITIVE
            else tr(
                "Beløb i {units}; besparelser med negativt fortegn, som i kildedokumentet.",
                units=units,
            )
        )
    caption = tr("Afvigelser fra kildedokumentet")
    blocks: list[Block] = [
        Table(
            "deviations",
            number,
            f"{L['table']} {number}. {caption}",
            (
                tr("Kildedokument (tabel: række)"),
                tr("År"),
                tr("Angivet"),
                tr("Beregnet"),
                tr("Forklaring"),
            ),
            tuple(rows),
            (False, True, True, True, False),
            (3.2, 0.8, 1.1, 1.1, 5.0),
            note,
        ),
    ]
    return tuple(blocks)
