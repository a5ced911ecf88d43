"""Table 1 of the Copenhagen template ("Forslagets samlede økonomiske konsekvenser") as rows
of data, so that every face (terminal, Word, Excel, HTML) shows the same table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..case.schema import Area, Kind, Unit
from ..engine.results import PERMANENT, Results
from ..i18n import N_, translator
from .labels import LabelTable

AREAS = LabelTable(
    {Area.SERVICE: N_("Service"), Area.ANLAEG: N_("Anlæg"), Area.OVERFOERSLER: N_("Overførsler")}
)

LABELS = LabelTable(
    {
        "permanent": N_("Varige ændringer"),
        "permanent_total": N_("Samlet varig ændring"),
        "investment": N_("Implementeringsomkostninger"),
        "investment_total": N_("Samlede implementeringsomkostninger"),
        "impact": N_("Samlet økonomisk påvirkning"),
        "payback_service": N_("Tilbagebetalingstid baseret på serviceeffektivisering"),
        "payback_total": N_("Tilbagebetalingstid baseret på totaløkonomi"),
        "area": N_("Styringsområde"),
        "not_within": N_("ikke inden for horisonten"),
        "years": N_("år"),
    }
)
UNITS = {Unit.KR: N_("kr."), Unit.TKR: N_("1.000 kr."), Unit.MKR: N_("mio. kr.")}


@dataclass(frozen=True)
class Row:
    label: str
    style: str  # "section" | "line" | "total" | "payback"
    area: str = ""
    values: tuple[float, ...] = ()
    text: str = ""  # for payback rows


def caption(res: Results, lang: str = "da") -> str:
    """'1.000 kr. 2016 p/l' (Danish) or '1,000 kr. 2016 prices' (English)."""
    tr = translator(lang)
    c = res.case
    return tr("{unit} {year} p/l", unit=tr(UNITS[c.unit]), year=c.price_level)


def payback_text(value: float, lang: str = "da") -> str:
    """'3 år' / '3 years', '1 year'; 'ikke inden for horisonten' when there is no payback."""
    if np.isnan(value):
        return str(LABELS[lang]["not_within"])
    tr = translator(lang)
    shown = f"{value:g}"
    return tr.ngettext("{n} år", "{n} år", 1 if value == 1 else 2, n=shown)


def table1_rows(res: Results, lang: str = "da", draw: int = 0) -> list[Row]:
    """Rows of table 1; lines sharing a `row` label are summed into one row, in order."""
    L = LABELS[lang]
    areas = AREAS[lang]
    case = res.case
    rows: list[Row] = []

    def group(kinds: tuple[Kind, ...]) -> list[Row]:
        order: dict[tuple[str, Area], np.ndarray] = {}
        for i, line in enumerate(case.lines):
            if line.kind in kinds:
                key = (line.display_row, line.area)
                order[key] = order.get(key, 0) + res.amounts[draw, i]
        return [
            Row(lbl, "line", areas[a], tuple(float(x) for x in v)) for (lbl, a), v in order.items()
        ]

    rows.append(Row(L["permanent"], "section"))
    rows += group(PERMANENT)
    rows.append(Row(L["permanent_total"], "total", "", tuple(map(float, res.permanent[draw]))))
    rows.append(Row(L["investment"], "section"))
    rows += group((Kind.INVESTMENT,))
    rows.append(Row(L["investment_total"], "total", "", tuple(map(float, res.investment[draw]))))
    rows.append(Row(L["impact"], "total", "", tuple(map(float, res.impact[draw]))))
    for basis in ("service", "total"):
        rows.append(
            Row(
                L[f"payback_{basis}"],
                "payback",
                text=payback_text(float(res.payback(basis)[draw]), lang),
            )
        )
    return rows
