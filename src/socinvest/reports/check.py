"""Presentation of a check result (table or case): a terminal report and a JSON dict, in the
face's language.

Works on any report object with the attributes `kind` ("table" | "case"), `title`, `findings`
(list of `Finding`), `payback` ({"service": float | None, "total": float | None}) and `notes`
(catalogue texts or plain strings). Findings and notes are worded here, in `lang`; numbers are
printed the language's way (`-1.400`, `3,5` in Danish; `-1,400`, `3.5` in English) and rounded
only here, for display. rich is imported lazily so that importing this module stays cheap.
Text from the checked file (titles, row labels, messages quoting them) is cleaned of control
characters (`safetext.clean_text`) and markup-escaped before it reaches the terminal.
"""

from __future__ import annotations

import math
from typing import Any

from socinvest.checks.findings import BASIS, Severity
from socinvest.i18n import DEFAULT_LANG, N_, translator
from socinvest.i18n import render as word
from socinvest.numbers import format_number
from socinvest.reports.safetext import clean_text

SEVERITY_WORD = {
    Severity.ERROR: N_("fejl"),
    Severity.WARNING: N_("advarsel"),
    Severity.INFO: N_("bemærkning"),
}
SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
KIND = {"table": N_("Kontrol af tabel"), "case": N_("Kontrol af business case")}


def _payback_int(v: Any) -> int | None:
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) else int(round(v))


def _message(f: Any, lang: str) -> str:
    text = getattr(f, "text", None)
    return str(text(lang)) if callable(text) else str(word(f.message, lang))


def to_json(report: Any, lang: str = DEFAULT_LANG) -> dict:
    """`{"kind", "findings": [...], "payback": {"service", "total"}}` (payback as int or null);
    each finding's `message` worded in `lang`."""
    return {
        "kind": report.kind,
        "findings": [
            {
                "severity": str(f.severity),
                "code": f.code,
                "message": _message(f, lang),
                "row": f.row,
                "year": f.year,
                "stated": f.stated,
                "computed": f.computed,
                "line": f.line,
            }
            for f in report.findings
        ],
        "payback": {
            "service": _payback_int(report.payback.get("service")),
            "total": _payback_int(report.payback.get("total")),
        },
    }


def format_value(v: float | None, max_decimals: int = 2, lang: str = DEFAULT_LANG) -> str:
    """A stated or computed figure for display: whole numbers without decimals, else up to
    `max_decimals`."""
    if v is None:
        return ""
    v = float(v)
    if math.isnan(v):
        return "–"
    for decimals in range(max_decimals):
        if abs(v - round(v, decimals)) < 1e-9:
            return format_number(v, decimals, lang)
    return format_number(v, max_decimals, lang)


def _with_unit(code: str, v: float | None, lang: str) -> str:
    """A finding's stated/computed figure with its unit: percent for keys, years for payback."""
    tr = translator(lang)
    text = format_value(v, 1 if code == "SHARE_MISMATCH" else 2, lang)
    if not text or v is None:
        return text
    if code == "SHARE_MISMATCH":
        return f"{text} %" if lang == "da" else f"{text}%"
    if code == "PAYBACK_MISMATCH":
        return tr.ngettext("{n} år", "{n} år", 1 if v == 1 else 2, n=text)
    return text


def summary(findings: list, lang: str = DEFAULT_LANG) -> str:
    """'2 fejl, 1 advarsel, 0 bemærkninger' ('2 errors, 1 warning, 0 notes')."""
    tr = translator(lang)
    n = {sev: sum(1 for f in findings if f.severity is sev) for sev in Severity}
    return ", ".join(
        [
            tr.ngettext("{n} fejl", "{n} fejl", n[Severity.ERROR], n=n[Severity.ERROR]),
            tr.ngettext(
                "{n} advarsel", "{n} advarsler", n[Severity.WARNING], n=n[Severity.WARNING]
            ),
            tr.ngettext("{n} bemærkning", "{n} bemærkninger", n[Severity.INFO], n=n[Severity.INFO]),
        ]
    )


def _payback_text(v: Any, lang: str) -> str:
    tr = translator(lang)
    y = _payback_int(v)
    return tr("ikke inden for horisonten") if y is None else tr("år {n}", n=y)


def render(console: Any, report: Any, lang: str = DEFAULT_LANG) -> None:
    """Print a readable report of a check result to a rich console, in `lang`."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    tr = translator(lang)
    heading = tr(KIND[report.kind]) if report.kind in KIND else tr("Kontrol")
    console.print(Text(clean_text(f"{heading}: {report.title}"), style="bold"))
    notes = list(getattr(report, "notes", []) or [])
    if notes:
        console.print()
        console.print(Text(tr("Aflæst og antaget"), style="bold"))
        for note in notes:
            console.print(Text(clean_text(f"  • {word(note, lang)}")))
    console.print()
    findings = list(report.findings)
    if findings:
        table = Table(title=None, show_lines=False, expand=True)
        table.add_column(tr("Alvor"), no_wrap=True)
        table.add_column(tr("Kode"), no_wrap=True)
        table.add_column(tr("Række"), ratio=2)
        table.add_column(tr("År"), no_wrap=True, justify="right")
        table.add_column(tr("Angivet"), no_wrap=True, justify="right")
        table.add_column(tr("Beregnet"), no_wrap=True, justify="right")
        table.add_column(tr("Linje"), no_wrap=True, justify="right")
        table.add_column(tr("Besked"), ratio=5)
        for f in findings:
            table.add_row(
                Text(tr(SEVERITY_WORD[f.severity]), style=SEVERITY_STYLE[f.severity]),
                escape(clean_text(f.code)),
                escape(clean_text(f.row or "")),
                "" if f.year is None else str(f.year),
                _with_unit(f.code, f.stated, lang),
                _with_unit(f.code, f.computed, lang),
                "" if f.line is None else str(f.line),
                escape(clean_text(_message(f, lang))),
            )
        console.print(table)
    else:
        console.print(Text(tr("Ingen fund: alle kontrollerede tal stemmer."), style="green"))
    payback = report.payback or {}
    console.print(
        Text(
            tr(
                "Tilbagebetalingstid (beregnet): {service_basis}: {service} · {total_basis}: "
                "{total}",
                service_basis=tr(BASIS["service"]),
                service=_payback_text(payback.get("service"), lang),
                total_basis=tr(BASIS["total"]),
                total=_payback_text(payback.get("total"), lang),
            )
        )
    )
    has_error = any(f.severity is Severity.ERROR for f in findings)
    console.print(Text(summary(findings, lang), style="bold red" if has_error else "bold"))


def findings_block(report: Any, lang: str = DEFAULT_LANG) -> Any:
    """The report's findings as a block of the document model (`Findings`), worded in `lang`,
    for the renderers that show a check inside a document (and later the web face)."""
    from socinvest.reports.document.model import FindingItem, Findings

    tr = translator(lang)
    items = []
    for f in report.findings:
        where = ", ".join(p for p in (f.row or "", "" if f.year is None else str(f.year)) if p)
        items.append(FindingItem(str(f.severity), f.code, _message(f, lang), where))  # type: ignore[arg-type]
    return Findings(
        items=tuple(items),
        title=f"{tr(KIND[report.kind]) if report.kind in KIND else tr('Kontrol')}: {report.title}",
        summary=summary(list(report.findings), lang),
        empty=tr("Ingen fund: alle kontrollerede tal stemmer."),
    )
