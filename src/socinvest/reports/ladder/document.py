"""The ladder's reports as `ReportDocument(kind="ladder")`: built from the bundles of
`services.ladder`, shown by the renderer registry (terminal, .docx, .pdf, .html, .md, .xlsx)
and drawn by the one chart module. Numbers are formatted here (`1.234` or `1,234`); nothing
is computed that the bundle does not already hold, beyond rounding and sums for display.
"""

from __future__ import annotations

from ...i18n import translator
from ...services.ladder import ProjectionBundle
from ..document.model import (
    Block,
    Cell,
    Note,
    ReportDocument,
    Section,
    Series,
    TableRow,
)
from . import labels as L
from .backtest import backtest_document
from .base import (
    WIDE_YEARS,
    Numbers,
    _document,
    _figure,
    _num,
    _pct,
    _units,
    _year_table,
)
from .compare import comparison_document
from .fit import fit_document
from .parts import (
    band_figure,
    drawn,
    mc_children_table,
    observed_figure,
    start_label,
    start_mix,
    subtypes_table,
    warnings_section,
)

__all__ = ["backtest_document", "comparison_document", "fit_document", "projection_document"]


def projection_document(b: ProjectionBundle, lang: str = "da") -> ReportDocument:
    """Children per step on 31 December (from the starting stock), the placement mix and the
    cost per step; with a Monte Carlo their P5/P50/P95; warnings about idle levers."""
    tr = translator(lang)
    p, lad = b.projection, b.model.ladder
    years = [int(y) for y in p.years]
    labels = L.step_labels(p.tables, lang)
    dec = 1 if p.engine == "markov" else 0
    engine = tr(L.ENGINE.get(p.engine, p.engine))
    n = Numbers()
    wide = len(years) + 1 > WIDE_YEARS
    first = start_label(p.tables.start, tr)

    ye = p.year_end()[0]
    s0 = p.stock[0, 0]
    rows = [
        TableRow((Cell(lab), _num(s0[k], dec, lang), *(_num(v, dec, lang) for v in ye[:, k])))
        for k, lab in enumerate(labels)
    ]
    rows.append(
        TableRow(
            (
                Cell(tr(L.TOTAL)),
                _num(s0.sum(), dec, lang),
                *(_num(v, dec, lang) for v in ye.sum(axis=1)),
            ),
            "total",
        )
    )
    children = _year_table(
        "children",
        n.next_table(),
        tr(L.CHILDREN_TITLE, engine=engine),
        tr,
        years,
        rows,
        first=first,
    )
    mix = p.placement_mix()[0]
    mix0 = start_mix(s0, p.tables.placement)
    placement = p.tables.placement
    rows = [
        TableRow((Cell(lab), _pct(mix0[k], lang), *(_pct(v, lang) for v in mix[:, k])))
        for k, lab in enumerate(labels)
        if placement[k]
    ]
    mix_table = _year_table("mix", n.next_table(), tr(L.MIX_TITLE), tr, years, rows, first=first)
    figures = []
    observed = observed_figure(b.model, p, labels, n, tr, dec)
    if observed is not None:
        figures.append(observed)
    cats: list[int | str] = [first, *years]
    series = tuple(
        Series(lab, (float(s0[k]), *(float(v) for v in ye[:, k])), "value")
        for k, lab in enumerate(labels)
    )
    figures.append(_figure(n, tr(L.CHART_CAPTION, engine=engine), "stacked", tr, cats, series, dec))
    sections = [
        Section("children", n.heading(tr(L.SEC_CHILDREN)), (children, mix_table, *figures), wide)
    ]
    mc = b.mc
    cost_blocks: list[Block]
    costs = b.costs
    if costs is None:
        cost_blocks = [Note(tr(L.NO_COSTS))]
    else:
        c = costs / 1000.0
        shown, pl = _units(lad.unit.value, lad.price_level, tr)
        rows = [
            TableRow((Cell(lab), *(_num(v, 0, lang) for v in c[:, k])))
            for k, lab in enumerate(labels)
        ]
        rows.append(
            TableRow((Cell(tr(L.TOTAL)), *(_num(v, 0, lang) for v in c.sum(axis=1))), "total")
        )
        caption = tr(L.COST_TITLE, unit=shown, price_level=pl)
        cost_blocks = [
            _year_table("cost", n.next_table(), caption, tr, years, rows, tr(L.COST_CAPTION))
        ]
        if mc is not None and "cost" in mc:
            rows = [
                TableRow((Cell(tr(lab)), *(_num(v / 1000.0, 0, lang) for v in mc["cost"][k])))
                for k, lab in (("p5", L.P5), ("p50", L.P50), ("p95", L.P95))
            ]
            caption = tr(L.MC_COST_TITLE, unit=shown, draws=mc["draws"], seed=mc["seed"])
            cost_blocks.append(_year_table("cost_mc", n.next_table(), caption, tr, years, rows))
        sub = subtypes_table(b.model, n, tr, compare=False)
        if sub is not None:
            cost_blocks.append(sub)
    sections.append(Section("costs", n.heading(tr(L.SEC_COSTS)), tuple(cost_blocks), wide))
    if mc is not None and mc.get("children_vary", True):
        ch = mc["children"]
        caption = tr(L.MC_CHILDREN_TITLE, draws=mc["draws"], seed=mc["seed"])
        note = tr(L.MC_CHILDREN_NOTE, what=drawn(mc, tr))
        blocks: list[Block] = [
            mc_children_table(
                n, tr, years, labels, ch["scenario"], ch["scenario_total"], caption, note, dec
            ),
            band_figure(n, tr, years, ch["scenario_total"], tr(L.MC_TOTAL_FIGURE)),
        ]
        sections.append(
            Section("uncertainty", n.heading(tr(L.SEC_UNCERTAINTY)), tuple(blocks), wide)
        )
    if b.warnings:
        sections.append(warnings_section(b.warnings, n, tr))
    return _document(b.title, tr, sections, p.engine, lad.unit.value, lad.price_level)
