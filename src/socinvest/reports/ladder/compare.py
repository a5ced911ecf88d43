"""The `compare` document: baseline → strategy, cost and savings, and their uncertainty."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ...i18n import Translator, translator
from ...numbers import format_number, format_percent
from ...services.ladder import ComparisonBundle
from ..document.model import (
    Block,
    Cell,
    KeyFigures,
    Note,
    Paragraph,
    ReportDocument,
    Section,
    Series,
    TableRow,
)
from . import labels as L
from .base import Numbers, _document, _figure, _num, _thousands, _year_table
from .parts import (
    band_figure,
    drawn,
    mc_children_table,
    start_label,
    start_mix,
    subtypes_table,
    warnings_section,
)


def _pairs(a: np.ndarray, b: np.ndarray, fmt: Callable[[float], str]) -> tuple[Cell, ...]:
    return tuple(Cell(f"{fmt(x)} → {fmt(y)}") for x, y in zip(a, b, strict=True))


def comparison_document(b: ComparisonBundle, lang: str = "da") -> ReportDocument:
    """Baseline → strategy: children, mix, cost and savings, and the savings' uncertainty."""
    tr = translator(lang)
    c, lad = b.comparison, b.model.ladder
    years = [int(y) for y in c.baseline.years]
    labels = L.step_labels(c.baseline.tables, lang)
    dec = 1 if c.baseline.engine == "markov" else 0
    n = Numbers()
    wide = True  # "basis → strategi" cells: a landscape page in print formats

    def num(v: float) -> str:
        return format_number(float(v), dec, lang)

    def pct(v: float) -> str:
        return format_percent(float(v), 0, lang)

    first = start_label(c.baseline.tables.start, tr)
    yb, ys = c.baseline.year_end()[0], c.scenario.year_end()[0]
    s0 = c.baseline.stock[0, 0]  # the same start for both
    rows = [
        TableRow((Cell(lab), Cell(num(s0[k]), float(s0[k])), *_pairs(yb[:, k], ys[:, k], num)))
        for k, lab in enumerate(labels)
    ]
    children = _year_table(
        "children", n.next_table(), tr(L.CMP_CHILDREN_TITLE), tr, years, rows, first=first
    )
    mb, ms = c.baseline.placement_mix()[0], c.scenario.placement_mix()[0]
    placement = c.baseline.tables.placement
    m0 = start_mix(s0, placement)
    rows = [
        TableRow((Cell(lab), Cell(pct(m0[k]), float(m0[k])), *_pairs(mb[:, k], ms[:, k], pct)))
        for k, lab in enumerate(labels)
        if placement[k]
    ]
    mix = _year_table("mix", n.next_table(), tr(L.CMP_MIX_TITLE), tr, years, rows, first=first)
    series: list[Series] = []
    for k, lab in enumerate(labels):
        series.append(
            Series(
                tr(L.CHART_BASELINE, label=lab),
                (float(s0[k]), *(float(v) for v in yb[:, k])),
                "value",
            )
        )
        series.append(
            Series(
                tr(L.CHART_STRATEGY, label=lab),
                (float(s0[k]), *(float(v) for v in ys[:, k])),
                "value",
            )
        )
    cats: list[int | str] = [first, *years]
    figure = _figure(n, tr(L.CMP_CHILDREN_TITLE), "lines", tr, cats, tuple(series), dec)
    sections = [Section("children", n.heading(tr(L.SEC_STRATEGY)), (children, mix, figure), wide)]
    costs = c.costs()
    if costs is None:
        sections.append(
            Section("savings", n.heading(tr(L.SEC_SAVINGS)), (Note(tr(L.CMP_NO_COSTS)),), wide)
        )
    else:
        sections.append(_savings_section(b, costs, tr, n, years, labels, wide))
    mc = c.mc
    if mc is not None and mc.get("children_vary", True):
        ch = mc["children"]
        caption = tr(L.MC_CHILDREN_CMP_TITLE, draws=mc["draws"], seed=mc["seed"])
        note = tr(L.MC_CHILDREN_NOTE, what=drawn(mc, tr))
        table = mc_children_table(
            n, tr, years, labels, ch["scenario"], ch["scenario_total"], caption, note, dec
        )
        base = (tr(L.CHART_TOTAL_BASELINE), ch["baseline_total"]["p50"])
        fig = band_figure(n, tr, years, ch["scenario_total"], tr(L.MC_TOTAL_CMP_FIGURE), base)
        sections.append(
            Section("uncertainty", n.heading(tr(L.SEC_UNCERTAINTY)), (table, fig), wide)
        )
    if c.warnings:
        sections.append(warnings_section(c.warnings, n, tr))
    return _document(b.title, tr, sections, c.baseline.engine, lad.unit.value, lad.price_level)


def _savings_section(
    b: ComparisonBundle,
    costs: tuple[np.ndarray, np.ndarray],
    tr: Translator,
    n: Numbers,
    years: list[int],
    labels: Sequence[str],
    wide: bool,
) -> Section:
    lang = tr.lang
    lad = b.model.ladder
    cb, cs = costs[0] / 1000.0, costs[1] / 1000.0
    thousands = _thousands(lad.unit.value, tr)
    pl = tr(L.PRICE_LEVEL, year=lad.price_level)
    savings = cb.sum(axis=1) - cs.sum(axis=1)

    def cells(values: np.ndarray) -> tuple[Cell, ...]:
        return tuple(_num(v, 0, lang) for v in values)

    rows = [TableRow((Cell(lab), *cells(cb[:, k] - cs[:, k]))) for k, lab in enumerate(labels)]
    rows.append(TableRow((Cell(tr(L.COST_BASELINE)), *cells(cb.sum(axis=1)))))
    rows.append(TableRow((Cell(tr(L.COST_STRATEGY)), *cells(cs.sum(axis=1)))))
    rows.append(TableRow((Cell(tr(L.SAVINGS_TOTAL)), *cells(savings)), "total"))
    caption = tr(L.CMP_COST_TITLE, unit=thousands, price_level=pl)
    table = _year_table("savings", n.next_table(), caption, tr, years, rows, tr(L.CMP_COST_CAPTION))
    key = [
        (
            tr(L.KEY_SAVINGS, unit=thousands, price_level=pl),
            format_number(float(savings.sum()), 0, lang),
        )
    ]
    blocks: list[Block] = [table]
    series = [Series(tr(L.SAVINGS_TOTAL), tuple(float(v) for v in savings), "saving")]
    mc = b.comparison.mc
    if mc is not None and "p5" not in mc:
        mc = None  # children only (no prices): no savings to draw
    if mc is not None:
        rows = [
            TableRow((Cell(tr(label)), *cells(np.asarray(mc[k]) / 1000.0)))
            for k, label in (("p5", L.P5), ("p50", L.P50), ("mean", L.MEAN), ("p95", L.P95))
        ]
        caption = tr(L.MC_TITLE, unit=thousands, draws=mc["draws"], seed=mc["seed"])
        blocks.append(
            _year_table(
                "monte_carlo",
                n.next_table(),
                caption,
                tr,
                years,
                rows,
                tr(L.MC_CAPTION_RATES if mc.get("rates") else L.MC_CAPTION),
            )
        )
        p = format_percent(mc["p_positive_total"], 0, lang)
        blocks.append(Paragraph(tr(L.P_POSITIVE, p=p)))
        key.append((tr(L.KEY_P_POSITIVE), p))

        def mc_series(key: str) -> tuple[float, ...]:
            return tuple(float(v) / 1000.0 for v in mc[key])

        series.append(Series(tr(L.BAND), mc_series("p5"), "p5"))  # the band's label
        series.append(Series("", mc_series("p95"), "p95"))
        series.append(Series(tr(L.MEAN), mc_series("mean"), "value"))
    blocks.insert(0, KeyFigures(tr(L.KEY_FIGURES), tuple(key)))
    sub = subtypes_table(b.model, n, tr, compare=True)
    if sub is not None:
        blocks.append(sub)
    ylabel = f"{thousands}, {pl}"
    caption = tr(
        L.SAVINGS_CAPTION if mc is None else L.SAVINGS_MC_CAPTION, unit=thousands, price_level=pl
    )
    title = tr(L.SAVINGS_TOTAL)
    blocks.append(
        _figure(n, caption, "lines", tr, years, tuple(series), ylabel=ylabel, title=title)
    )
    return Section("savings", n.heading(tr(L.SEC_SAVINGS)), tuple(blocks), wide)
