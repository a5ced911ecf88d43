"""Table 1 of the Copenhagen template ("Forslagets samlede økonomiske konsekvenser") as rows
of data, so that every face (terminal, Word, Excel, HTML) shows the same table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..case.schema import Area, Kind
from ..engine.results import PERMANENT, Results

AREA_DA = {Area.SERVICE: "Service", Area.ANLAEG: "Anlæg", Area.OVERFOERSLER: "Overførsler"}
AREA_EN = {Area.SERVICE: "Service", Area.ANLAEG: "Capital", Area.OVERFOERSLER: "Transfers"}

LABELS = {
    "da": {
        "permanent": "Varige ændringer",
        "permanent_total": "Samlet varig ændring",
        "investment": "Implementeringsomkostninger",
        "investment_total": "Samlede implementeringsomkostninger",
        "impact": "Samlet økonomisk påvirkning",
        "payback_service": "Tilbagebetalingstid baseret på serviceeffektivisering",
        "payback_total": "Tilbagebetalingstid baseret på totaløkonomi",
        "area": "Styringsområde",
        "not_within": "ikke inden for horisonten",
        "years": "år",
    },
    "en": {
        "permanent": "Permanent changes",
        "permanent_total": "Total permanent change",
        "investment": "Implementation costs",
        "investment_total": "Total implementation costs",
        "impact": "Total economic impact",
        "payback_service": "Payback period, service basis",
        "payback_total": "Payback period, total basis",
        "area": "Control area",
        "not_within": "not within the horizon",
        "years": "years",
    },
}


@dataclass(frozen=True)
class Row:
    label: str
    style: str  # "section" | "line" | "total" | "payback"
    area: str = ""
    values: tuple[float, ...] = ()
    text: str = ""  # for payback rows


def caption(res: Results, lang: str = "da") -> str:
    c = res.case
    return (
        f"{c.unit.value} {c.price_level} p/l"
        if lang == "da"
        else (
            f"{c.unit.value.replace('1.000', '1,000').replace('mio.', 'm')} {c.price_level} prices"
        )
    )


def payback_text(value: float, lang: str = "da") -> str:
    if np.isnan(value):
        return LABELS[lang]["not_within"]
    if lang == "en" and value == 1:
        return "1 year"  # Danish "år" is both singular and plural
    return f"{value:g} {LABELS[lang]['years']}"


def table1_rows(res: Results, lang: str = "da", draw: int = 0) -> list[Row]:
    """Rows of table 1; lines sharing a `row` label are summed into one row, in order."""
    L = LABELS[lang]
    areas = AREA_DA if lang == "da" else AREA_EN
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
