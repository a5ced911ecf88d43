"""Wording of the pool's data in the face's language: amounts, units, numbers, and the
domain's lazy messages (findings, selection reasons; amounts in them are `Money`)."""

from __future__ import annotations

import math
from typing import Any

from ...case.schema import Unit
from ...checks.findings import Finding, Severity
from ...i18n import render, translator
from ...numbers import format_number
from ...pool.params import Money
from .labels import UNIT


def money(v: float | None, unit: Unit, lang: str = "da") -> str:
    """An amount in the pool's unit as text: '1,2 mio. kr.' or '450.000 kr.' (da),
    '1.2 m kr.' or '450,000 kr.' (en); '–' for none."""
    if v is None:
        return "–"
    return Money(float(v), unit).render(lang)


def unit_text(unit: Unit | str, lang: str = "da") -> str:
    """The pool's unit as written in `lang`: '1.000 kr.' (da), '1,000 kr.' (en)."""
    value = unit.value if isinstance(unit, Unit) else str(unit)
    tr = translator(lang)
    return tr(UNIT[value]) if value in UNIT else value


def units_caption(unit: Unit, price_level: int, lang: str = "da") -> str:
    """'1.000 kr. 2017 p/l' (da), '1,000 kr. 2017 prices' (en): what a caption's amounts are."""
    tr = translator(lang)
    return tr("{unit} {year} p/l", unit=unit_text(unit, lang), year=price_level)


def num(v: float | None, decimals: int = 0, lang: str = "da") -> str:
    """A number for a table cell: whole numbers without decimals, others with `decimals`
    below 100 (as the pool's tables always showed them); '' for none."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    v = float(v)
    d = decimals if abs(v) < 100 and abs(v - round(v)) > 1e-9 else 0
    return format_number(v, d, lang)


def word(text: Any, lang: str = "da") -> str:
    """A domain message (`Msg`/`Join`, amounts as `Money`) worded in `lang`; '' for none."""
    return "" if text is None else str(render(text, lang))


def finding_text(f: Finding, lang: str = "da") -> str:
    return f.text(lang)


def summary(findings: tuple[Finding, ...] | list[Finding], lang: str = "da") -> str:
    """'2 fejl, 1 advarsel, 0 bemærkninger' (da) or '2 errors, 1 warning, 0 notes' (en)."""
    tr = translator(lang)
    n = {sev: sum(1 for f in findings if f.severity is sev) for sev in Severity}
    e, w, i = n[Severity.ERROR], n[Severity.WARNING], n[Severity.INFO]
    return ", ".join(
        (
            tr.ngettext("{n} fejl", "{n} fejl", e, n=e),
            tr.ngettext("{n} advarsel", "{n} advarsler", w, n=w),
            tr.ngettext("{n} bemærkning", "{n} bemærkninger", i, n=i),
        )
    )
