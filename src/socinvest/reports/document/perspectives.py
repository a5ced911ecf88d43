"""The report's perspectives (docs/perspectives.md): net effect per payer and year, the result
for the municipality, the public sector and society, a chart by payer and year, and the same
as JSON data. Shown only when the case has more than one payer; built from a `Perspectives`
(engine.perspectives), worded in the report's language."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...case.payers import PAYER_NAMES, PERSPECTIVES
from ...engine.perspectives import Perspectives, has_payers, perspectives
from ...engine.results import Results
from ...i18n import N_, translator
from ...numbers import format_percent
from ..labels import LabelTable
from ..table1 import payback_text, shown_units, sign_factor, signed
from .format import Numbers, _amount, _numcells
from .labels import T
from .model import (
    Block,
    Cell,
    ChartSpec,
    Figure,
    ReportDocument,
    Section,
    Series,
    Table,
    TableRow,
)

P = LabelTable(
    {
        "heading": N_("Hele den offentlige sektor og samfundet"),
        "flows_caption": N_("Nettoeffekt pr. betaler og perspektiv"),
        "result_caption": N_("Resultat pr. perspektiv"),
        "fig": N_("Nettoeffekt pr. betaler og år"),
        "payers": N_("Betalere"),
        "perspectives": N_("Perspektiver"),
        "perspective": N_("Perspektiv"),
        "sum": N_("I alt {span}"),
        "payback": N_("Tilbagebetalingstid (totaløkonomi)"),
        "npv": N_("Nutidsværdi ({rate})"),
        "p_payback": N_("Sandsynlighed for tilbagebetaling inden for horisonten"),
        "municipality": N_("Kommunen"),
        "public": N_("Den offentlige sektor"),
        "society": N_("Samfundet (inkl. borgerne)"),
    }
)


PAYER_WORDS = {
    "kommune": N_("kommunen"),
    "region": N_("regionen"),
    "stat": N_("staten"),
    "borger": N_("borgerne"),
}
"""The built-in payers within a sentence."""


def payer_name(pr: Perspectives, payer: str, lang: str, in_text: bool = False) -> str:
    if payer in PAYER_NAMES:
        return translator(lang)((PAYER_WORDS if in_text else PAYER_NAMES)[payer])
    decl = pr.case.payers.get(payer)
    return decl.name if decl else payer


def _note(pr: Perspectives, lang: str) -> str:
    tr = translator(lang)
    names = {
        k: ", ".join(payer_name(pr, p, lang, in_text=True) for p in pr.members[k])
        for k in PERSPECTIVES
    }
    text = tr(
        "Kommunens resultat er casens tabel 1 (uændret). Den offentlige sektor: {public}. "
        "Samfundet: {society}. Overførsler mellem betalere (skatter, ydelser, refusioner) går i "
        "nul for de perspektiver, der rummer begge betalere. Nutidsværdi og "
        "tilbagebetalingstid følger samme regler som kommunens (totaløkonomi).",
        public=names["public"],
        society=names["society"],
    )
    info = pr.case.catalogue_info
    if info is not None:
        text += " " + tr(
            "Enhedskonsekvenser fra kataloget '{title}' ({level} p/l; kilde: {source}).",
            title=info.title,
            level=info.price_level,
            source=info.source,
        )
        if info.illustrative:
            text += " " + tr(
                "Kataloget er illustrativt: dets tal er opfundne eksempler, ikke en kilde."
            )
    return text


def perspective_blocks(
    pr: Perspectives, lang: str, draw: int, n: Numbers, sim: Any = None
) -> tuple[Block, ...]:
    """Two tables (flows per payer and perspective; result per perspective) and a chart."""
    res = pr.results
    L, K = T[lang], P[lang]
    units = shown_units(res, lang)
    f = sign_factor(res)
    years = [str(int(y)) for y in res.years]
    span = f"{years[0]}–{years[-1]}"
    ny = len(years)
    rows: list[TableRow] = [TableRow((Cell(K["payers"]), *[Cell("")] * (ny + 1)), "section")]
    for p in pr.payers:
        v = pr.flows(p)[draw] * f + 0.0
        total = float(v.sum()) + 0.0
        rows.append(
            TableRow(
                (
                    Cell(payer_name(pr, p, lang)),
                    *_numcells(v, lang, True),
                    Cell(_amount(total, lang), total),
                )
            )
        )
    rows.append(TableRow((Cell(K["perspectives"]), *[Cell("")] * (ny + 1)), "section"))
    for k in PERSPECTIVES:
        v = pr.flows(k)[draw] * f + 0.0
        total = float(v.sum()) + 0.0
        rows.append(
            TableRow(
                (Cell(K[k]), *_numcells(v, lang, False), Cell(_amount(total, lang), total)),
                "total",
            )
        )
    number = n.next_table()
    flows = Table(
        "perspective_flows",
        number,
        f"{L['table']} {number}. {K['flows_caption']} ({units})",
        (units, *years, L["sum"]),
        tuple(rows),
        (False,) + (True,) * (ny + 1),
        (4.0,) + (1.0,) * ny + (1.35,),
        _note(pr, lang),
    )
    d = res.case.discount
    rate = format_percent(d.rate, 1, lang)
    header = [
        K["perspective"],
        K["sum"].format(span=span),
        K["payback"],
        K["npv"].format(rate=rate),
    ]
    p_data = getattr(getattr(sim, "simulation", None), "data", {})
    with_p = "payback_public" in p_data
    if with_p:
        header.append(K["p_payback"])
    rows = []
    for k in PERSPECTIVES:
        total = float(pr.total(k)[draw]) * f + 0.0
        npv = float(pr.npv(k)[draw]) + 0.0
        cells = [
            Cell(K[k]),
            Cell(_amount(total, lang), total),
            Cell(payback_text(float(pr.payback(k)[draw]), lang)),
            Cell(_amount(npv, lang), npv),
        ]
        if with_p:
            pp = sim.simulation.p_payback("total" if k == "municipality" else k)
            cells.append(Cell(format_percent(pp, 0, lang), pp))
        rows.append(TableRow(tuple(cells)))
    number = n.next_table()
    result = Table(
        "perspective_result",
        number,
        f"{L['table']} {number}. {K['result_caption']} ({units})",
        tuple(header),
        tuple(rows),
        (False, True, True, True) + ((True,) if with_p else ()),
        (4.0, 1.6, 1.8, 1.6) + ((1.8,) if with_p else ()),
    )
    spec = ChartSpec(
        "bars",
        K["fig"],
        L["year_axis"],
        units,
        tuple(years),
        tuple(
            Series(payer_name(pr, p, lang), signed(pr.flows(p)[draw], f), "value")
            for p in pr.payers
        ),
        lang,
    )
    fn = n.next_figure()
    fig = Figure(fn, f"{L['figure']} {fn}. {K['fig']} ({units})", spec)
    return (flows, result, fig)


def perspectives_section(
    res: Results, lang: str, draw: int, n: Numbers, pr: Perspectives | None = None, sim=None
) -> tuple[str, tuple[Block, ...]] | None:
    """The section's heading and blocks, or None for a case with one payer."""
    if not has_payers(res.case):
        return None
    pr = pr if pr is not None else perspectives(res)
    return P[lang]["heading"], perspective_blocks(pr, lang, draw, n, sim)


def perspectives_document(
    res: Results, lang: str = "da", pr: Perspectives | None = None
) -> ReportDocument | None:
    """The perspectives alone as a small document (the terminal's `show`), or None."""
    found = perspectives_section(res, lang, 0, Numbers(), pr)
    if found is None:
        return None
    heading, blocks = found
    tables = tuple(b for b in blocks if not isinstance(b, Figure))
    return ReportDocument(
        lang, "", "", (Section("perspectives", heading, tables),), "", shown_units(res, lang)
    )


def _num(v: float) -> float | None:
    return None if np.isnan(v) else round(float(v), 6) + 0.0


def perspectives_json(res: Results, draw: int = 0, pr: Perspectives | None = None) -> dict | None:
    """The perspectives as data (`show --json`), in the case's sign convention; None for a case
    with one payer (its JSON stays as it was)."""
    if not has_payers(res.case):
        return None
    pr = pr if pr is not None else perspectives(res)
    f = sign_factor(res)

    def vec(a: np.ndarray) -> list[float]:
        return [round(float(x) * f, 6) + 0.0 for x in a]

    out: dict[str, Any] = {
        "payers": list(pr.payers),
        "by_payer": {p: vec(pr.flows(p)[draw]) for p in pr.payers},
    }
    for k in PERSPECTIVES:
        out[k] = {
            "payers": list(pr.members[k]),
            "flows": vec(pr.flows(k)[draw]),
            "total": round(float(pr.total(k)[draw]) * f, 6) + 0.0,
            "payback": {
                "year": _num(float(pr.payback(k)[draw])),
                "fractional": _num(float(pr.payback_fractional(k)[draw])),
            },
            "npv": round(float(pr.npv(k)[draw]), 6) + 0.0,
        }
    return out


__all__ = [
    "perspective_blocks",
    "perspectives_document",
    "perspectives_json",
    "perspectives_section",
]
