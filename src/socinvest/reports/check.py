"""Presentation of a check result (table or case): a Danish terminal report and a JSON dict.

Works on any report object with the attributes `kind` ("table" | "case"), `title`, `findings`
(list of `Finding`), `payback` ({"service": float | None, "total": float | None}) and `notes`
(list of Danish strings). Numbers are printed the Danish way (`-1.400`, `3,5`) and rounded only
here, for display. rich is imported lazily so that importing this module stays cheap.
"""

from __future__ import annotations

import math
from typing import Any

from socinvest.numbers import format_number
from socinvest.checks.findings import Severity

SEVERITY_DA = {
    Severity.ERROR: ("fejl", "fejl", "bold red"),
    Severity.WARNING: ("advarsel", "advarsler", "yellow"),
    Severity.INFO: ("bemærkning", "bemærkninger", "cyan"),
}
KIND_DA = {"table": "Kontrol af tabel", "case": "Kontrol af business case"}
BASIS_DA = {"service": "serviceeffektivisering", "total": "totaløkonomi"}
UNIT_BY_CODE = {"SHARE_MISMATCH": " %", "PAYBACK_MISMATCH": " år"}


def _payback_int(v: Any) -> int | None:
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) else int(round(v))


def to_json(report: Any) -> dict:
    """`{"kind", "findings": [...], "payback": {"service", "total"}}` (payback as int or null)."""
    return {
        "kind": report.kind,
        "findings": [
            {
                "severity": str(f.severity),
                "code": f.code,
                "message": f.message,
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


def format_value(v: float | None, max_decimals: int = 2) -> str:
    """A stated or computed figure for display: whole numbers without decimals, else up to
    `max_decimals`."""
    if v is None:
        return ""
    v = float(v)
    if math.isnan(v):
        return "–"
    for decimals in range(max_decimals):
        if abs(v - round(v, decimals)) < 1e-9:
            return format_number(v, decimals)
    return format_number(v, max_decimals)


def summary(findings: list) -> str:
    """'2 fejl, 1 advarsel, 0 bemærkninger'."""
    parts = []
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        n = sum(1 for f in findings if f.severity is sev)
        one, many, _ = SEVERITY_DA[sev]
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def _payback_text(v: Any) -> str:
    y = _payback_int(v)
    return "ikke inden for perioden" if y is None else f"år {y}"


def render(console: Any, report: Any) -> None:
    """Print a readable Danish report of a check result to a rich console."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    heading = KIND_DA.get(report.kind, "Kontrol")
    console.print(Text(f"{heading}: {report.title}", style="bold"))
    notes = list(getattr(report, "notes", []) or [])
    if notes:
        console.print()
        console.print(Text("Aflæst og antaget", style="bold"))
        for note in notes:
            console.print(Text(f"  • {note}"))
    console.print()
    findings = list(report.findings)
    if findings:
        table = Table(title=None, show_lines=False, expand=True)
        table.add_column("Alvor", no_wrap=True)
        table.add_column("Kode", no_wrap=True)
        table.add_column("Række", ratio=2)
        table.add_column("År", no_wrap=True, justify="right")
        table.add_column("Angivet", no_wrap=True, justify="right")
        table.add_column("Beregnet", no_wrap=True, justify="right")
        table.add_column("Linje", no_wrap=True, justify="right")
        table.add_column("Besked", ratio=5)
        for f in findings:
            one, _, style = SEVERITY_DA[f.severity]
            unit = UNIT_BY_CODE.get(f.code, "")
            places = 1 if f.code == "SHARE_MISMATCH" else 2
            stated = format_value(f.stated, places)
            computed = format_value(f.computed, places)
            table.add_row(
                Text(one, style=style),
                f.code,
                escape(f.row or ""),
                "" if f.year is None else str(f.year),
                stated + unit if stated else "",
                computed + unit if computed else "",
                "" if f.line is None else str(f.line),
                escape(f.message),
            )
        console.print(table)
    else:
        console.print(Text("Ingen fund: alle kontrollerede tal stemmer.", style="green"))
    payback = report.payback or {}
    console.print(
        Text(
            "Tilbagebetalingstid (beregnet): "
            f"{BASIS_DA['service']}: {_payback_text(payback.get('service'))} · "
            f"{BASIS_DA['total']}: {_payback_text(payback.get('total'))}"
        )
    )
    has_error = any(f.severity is Severity.ERROR for f in findings)
    console.print(Text(summary(findings), style="bold red" if has_error else "bold"))
