"""Section 1 of the report: table 1, its note, the key figures and the three charts."""

from __future__ import annotations

import numpy as np

from ...case.schema import Kind
from ...engine.results import Results
from ...i18n import N_, translator
from ...numbers import format_number, format_percent
from ..labels import LabelTable
from ..table1 import payback_text, shown_units, sign_factor, signed, table1_rows
from .format import Numbers, _amount, _committee_name, _numcells
from .labels import T
from .model import Cell, ChartSpec, Figure, KeyFigures, Series, Table, TableRow


def _notes(res: Results, lang: str) -> str:
    tr = translator(lang)
    d = res.case.discount
    rate = format_percent(d.rate, 1, lang)
    first = int(res.years[0])
    disc = (
        tr("år 1 ({first}) diskonteres et helt år", first=first)
        if d.first_year_discounted
        else tr("år 1 ({first}) diskonteres ikke", first=first)
    )
    if sign_factor(res) > 0:
        text = tr(
            "Alle besparelser er angivet med negativt (-) fortegn. Beløbene er beregnet med fuld "
            "præcision og afrundet ved visning, så summer kan afvige fra summen af de viste tal. "
            "Tilbagebetalingstid: nummeret på det første år, hvor den akkumulerede nettoeffekt "
            "siden år 1 er nul eller derunder. Nutidsværdien er beregnet med en real "
            "diskonteringsrente på {rate} om året på totaløkonomien; {disc}.",
            rate=rate,
            disc=disc,
        )
    else:
        text = tr(
            "Alle besparelser er angivet med positivt (+) fortegn og omkostninger og "
            "investeringer med negativt (-), som i casens kilde. Beløbene er beregnet med fuld "
            "præcision og afrundet ved visning, så summer kan afvige fra summen af de viste tal. "
            "Tilbagebetalingstid: nummeret på det første år, hvor den akkumulerede nettogevinst "
            "siden år 1 er nul eller derover. Nutidsværdien er beregnet med en real "
            "diskonteringsrente på {rate} om året på totaløkonomien; {disc}.",
            rate=rate,
            disc=disc,
        )
    if res.has_external:
        text += " " + tr(
            "Tilbagebetalingstid baseret på kommunens egne midler medregner kun linjer "
            "finansieret af egen ramme eller investeringspuljen, ikke ekstern finansiering."
        )
    return text


def _table1(res: Results, lang: str, draw: int, number: int, units: str) -> Table:
    L = T[lang]
    header = (units, L["area"], *(str(y) for y in res.years))
    rows: list[TableRow] = []
    ny = len(res.years)
    for r in table1_rows(res, lang, draw):
        if r.style == "section":
            rows.append(TableRow((Cell(r.label), Cell(""), *[Cell("")] * ny), "section"))
        elif r.style == "payback":
            rows.append(TableRow((Cell(r.label), Cell(r.text), *[Cell("")] * ny), "payback"))
        else:
            cells = _numcells(r.values, lang, blank_zero=r.style == "line")
            rows.append(TableRow((Cell(r.label), Cell(r.area), *cells), r.style))  # type: ignore[arg-type]
    return Table(
        "table1",
        number,
        f"{L['table']} {number}. {L['table1']} ({units})",
        header,
        tuple(rows),
        (False, False) + (True,) * ny,
        (7.0, 2.0) + (1.0,) * ny,
    )


KEY_FIGURES = LabelTable(
    {
        "payback": N_("Tilbagebetalingstid (serviceeffektivisering / totaløkonomi)"),
        "payback_frac": N_("Tilbagebetalingstid, interpoleret (totaløkonomi)"),
        "payback_disc": N_("Tilbagebetalingstid, diskonteret ({rate}, totaløkonomi)"),
        "payback_own": N_("Tilbagebetalingstid baseret på kommunens egne midler"),
        "npv": N_("Nutidsværdi af gevinsten ({rate} real rente, {first})"),
        "impact": N_("Samlet økonomisk påvirkning {span}"),
        "own": N_("Kommunens egen nettoudgift (uden ekstern finansiering), hele perioden"),
        "first_disc": N_("år 1 diskonteret et helt år"),
        "first_undisc": N_("år 1 udiskonteret"),
    }
)


def _key_figures(res: Results, lang: str, draw: int, units: str) -> KeyFigures:
    L = T[lang]
    d = res.case.discount
    rate = format_percent(d.rate, 1, lang)
    years_word = L["years"]

    def pb(v: float, decimals: int = 0) -> str:
        if np.isnan(v) or not decimals:
            return payback_text(v, lang)
        if decimals and v < 1e-9:  # interpolated 0: the case pays back in its first year
            return translator(lang)("i år 1")
        return f"{format_number(v, decimals, lang)} {years_word}"

    K = KEY_FIGURES[lang]
    f = sign_factor(res)
    first = K["first_disc"] if d.first_year_discounted else K["first_undisc"]
    span = f"{int(res.years[0])}–{int(res.years[-1])}"
    items = [
        (
            K["payback"],
            f"{pb(float(res.payback('service')[draw]))} / {pb(float(res.payback('total')[draw]))}",
        ),
    ]
    if res.has_external:
        items.append((K["payback_own"], pb(float(res.payback("own")[draw]))))
    items += [
        (K["payback_frac"], pb(float(res.payback_fractional("total")[draw]), 2)),
        (K["payback_disc"].format(rate=rate), pb(float(res.payback_discounted("total")[draw]))),
        (
            K["npv"].format(rate=rate, first=first),
            f"{_amount(float(res.npv()[draw]), lang)} ({units})",
        ),
        (
            K["impact"].format(span=span),
            f"{_amount(float(res.impact[draw].sum()) * f + 0.0, lang)} ({units})",
        ),
    ]
    if res.has_external:
        own = float(res.own_net[draw].sum()) * f + 0.0
        items.append((K["own"], f"{_amount(own, lang)} ({units})"))
    return KeyFigures(L["key_figures"], tuple(items))


def case_figures(res: Results, lang: str = "da", draw: int = 0) -> list[Figure]:
    """The report's three charts (cumulative net effect, costs vs savings, committees), for
    formats that show only the charts (the Excel workbook's figure sheet)."""
    return _figures(res, lang, draw, shown_units(res, lang), Numbers())


def _figures(res: Results, lang: str, draw: int, units: str, n: Numbers) -> list[Figure]:
    L = T[lang]
    cats = tuple(str(int(y)) for y in res.years)
    ylabel = units
    out: list[Figure] = []
    f = sign_factor(res)

    cum = signed(res.cumulative("total")[draw], f)
    k = float(res.payback("total")[draw])
    if np.isnan(k):
        marker, mlabel = None, L["no_payback"]
    else:
        marker = int(k) - 1
        mlabel = L["payback_marker"].format(k=int(k), year=cats[marker])
    spec = ChartSpec(
        "cumulative",
        L["fig_cumulative"],
        L["year_axis"],
        ylabel,
        cats,
        (Series(L["cumulative"], cum, "cumulative"),),
        lang,
        marker,
        mlabel,
    )
    fn = n.next_figure()
    out.append(Figure(fn, f"{L['figure']} {fn}. {L['fig_cumulative']} ({units}). {mlabel}.", spec))

    costs = res.total(kinds=(Kind.COST,))[draw]
    inv = res.investment[draw]
    sav = res.total(kinds=(Kind.SAVING,))[draw]
    spec = ChartSpec(
        "flows",
        L["fig_flows"],
        L["year_axis"],
        ylabel,
        cats,
        (
            Series(L["permanent_costs"], signed(costs, f), "cost"),
            Series(L["investments"], signed(inv, f), "investment"),
            Series(L["savings_pl"], signed(sav, f), "saving"),
            Series(L["net"], signed(res.impact[draw], f), "net"),
        ),
        lang,
    )
    fn = n.next_figure()
    out.append(Figure(fn, f"{L['figure']} {fn}. {L['fig_flows']} ({units})", spec))

    names = tuple(_committee_name(res, c, lang) for c in res.committees)
    per = {
        role: tuple(
            float(res.total(committee=c, kinds=kinds)[draw].sum()) * f + 0.0 for c in res.committees
        )
        for role, kinds in (
            ("cost", (Kind.COST,)),
            ("saving", (Kind.SAVING,)),
            ("investment", (Kind.INVESTMENT,)),
        )
    }
    net = tuple(float(res.total(committee=c)[draw].sum()) * f + 0.0 for c in res.committees)
    span = f"{int(res.years[0])}–{int(res.years[-1])}"
    spec = ChartSpec(
        "committees",
        L["fig_committees"],
        L["committee"],
        ylabel,
        names,
        (
            Series(L["permanent_costs"], per["cost"], "cost"),
            Series(L["investments"], per["investment"], "investment"),
            Series(L["savings_pl"], per["saving"], "saving"),
            Series(L["net"], net, "net"),
        ),
        lang,
    )
    fn = n.next_figure()
    out.append(Figure(fn, f"{L['figure']} {fn}. {L['fig_committees']}, {span} ({units})", spec))
    return out
