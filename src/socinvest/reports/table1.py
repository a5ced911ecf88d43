"""Table 1 of the Copenhagen template ("Forslagets samlede økonomiske konsekvenser") as rows
of data, so that every face (terminal, Word, Excel, HTML) shows the same table.

Shown in the case's own sign convention: the engine computes in the spending convention
(savings negative); a case written `sign: savings_positive` is shown as its municipality
printed it (savings positive, costs and investments negative) — `sign_factor` flips every
amount a face shows, and `shown_units`/`sign_note` say which convention a table uses."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..case.schema import Area, Kind, SignConvention, Unit
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
        "payback_own": N_("Tilbagebetalingstid baseret på kommunens egne midler"),
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


def sign_factor(res: Results) -> float:
    """-1 when the case is shown with savings positive (`sign: savings_positive`), else 1."""
    return -1.0 if res.case.sign is SignConvention.SAVINGS_POSITIVE else 1.0


def signed(values: object, factor: float) -> tuple[float, ...]:
    """`values` as shown with `factor` (never -0.0: a zero stays 0)."""
    return tuple(float(x) * factor + 0.0 for x in np.ravel(np.asarray(values, dtype=float)))


def shown_units(res: Results, lang: str = "da") -> str:
    """The caption of a table of amounts: `caption`, and for a case shown with savings
    positive also that convention ('1.000 kr. 2016 p/l; besparelser positive')."""
    if sign_factor(res) > 0:
        return caption(res, lang)
    tr = translator(lang)
    return tr("{units}; besparelser positive", units=caption(res, lang))


def sign_note(res: Results, lang: str = "da") -> str:
    """The note under table 1 in the terminal: rounding, and the sign convention shown."""
    tr = translator(lang)
    if sign_factor(res) > 0:
        return tr("Beløb vist afrundet; beregnet med fuld præcision. Besparelser er negative.")
    return tr(
        "Beløb vist afrundet; beregnet med fuld præcision. Besparelser er positive og "
        "omkostninger negative, som i casens kilde (sign: savings_positive)."
    )


def bases(res: Results) -> tuple[str, ...]:
    """The payback bases a face shows: service and total, and own money when the case has
    external funding (otherwise it equals the total basis and is left out)."""
    return ("service", "total", "own") if res.has_external else ("service", "total")


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
    f = sign_factor(res)
    rows: list[Row] = []

    def group(kinds: tuple[Kind, ...]) -> list[Row]:
        order: dict[tuple[str, Area], np.ndarray] = {}
        for i, line in enumerate(case.lines):
            if line.kind in kinds:
                key = (line.display_row, line.area)
                order[key] = order.get(key, 0) + res.amounts[draw, i]
        return [Row(lbl, "line", areas[a], signed(v, f)) for (lbl, a), v in order.items()]

    rows.append(Row(L["permanent"], "section"))
    rows += group(PERMANENT)
    rows.append(Row(L["permanent_total"], "total", "", signed(res.permanent[draw], f)))
    rows.append(Row(L["investment"], "section"))
    rows += group((Kind.INVESTMENT,))
    rows.append(Row(L["investment_total"], "total", "", signed(res.investment[draw], f)))
    rows.append(Row(L["impact"], "total", "", signed(res.impact[draw], f)))
    for basis in bases(res):
        rows.append(
            Row(
                L[f"payback_{basis}"],
                "payback",
                text=payback_text(float(res.payback(basis)[draw]), lang),
            )
        )
    return rows
