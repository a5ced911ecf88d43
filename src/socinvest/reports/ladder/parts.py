"""Blocks shared by the `project` and `compare` documents (issue 13): the starting column, the
Monte Carlo tables and band figures, the warnings about levers that change nothing, the cost
mix of steps with sub-types, and the observed stock drawn before the projection."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ...i18n import Translator, render
from ...ladder.levers import LeverWarning
from ...ladder.load import Model
from ...ladder.model import CostMixOverride
from ...ladder.projection import Projection
from ...numbers import format_number, format_percent
from ..document.model import (
    Cell,
    Figure,
    FindingItem,
    Findings,
    Note,
    Section,
    Series,
    Table,
    TableRow,
)
from . import labels as L
from .base import Numbers, _figure, _thousands, _year_table


def start_label(year: int, tr: Translator) -> str:
    """The starting column's header: the stock on 1 January of the first year."""
    return tr(L.START_COL, year=year)


def start_mix(stock: np.ndarray, placement: np.ndarray) -> np.ndarray:
    """(K,) each placement step's share of the placed children at the start (0 elsewhere)."""
    placed = stock * placement
    tot = placed.sum()
    return placed / tot if tot > 0 else np.zeros_like(placed)


def drawn(mc: dict, tr: Translator) -> str:
    """What the Monte Carlo drew, worded."""
    what = [tr(L.MC_DRAWN_INPUTS)]
    if mc.get("rates"):
        what.insert(0, tr(L.MC_DRAWN_RATES))
    return "; ".join(what)


def band_cell(p50: float, p5: float, p95: float, dec: int, lang: str) -> Cell:
    f = lambda v: format_number(float(v), dec, lang)  # noqa: E731
    return Cell(f"{f(p50)} ({f(p5)}–{f(p95)})", float(p50))


def mc_children_table(
    n: Numbers,
    tr: Translator,
    years: Sequence[int],
    labels: Sequence[str],
    by_step: dict,
    total: dict,
    caption: str,
    note: str,
    dec: int = 1,
) -> Table:
    """Children per step and in total on 31 December: P50 (P5–P95) in each cell."""
    lang = tr.lang
    rows = [
        TableRow(
            (
                Cell(lab),
                *(
                    band_cell(
                        by_step["p50"][y, k], by_step["p5"][y, k], by_step["p95"][y, k], dec, lang
                    )
                    for y in range(len(years))
                ),
            )
        )
        for k, lab in enumerate(labels)
    ]
    rows.append(
        TableRow(
            (
                Cell(tr(L.TOTAL)),
                *(
                    band_cell(total["p50"][y], total["p5"][y], total["p95"][y], dec, lang)
                    for y in range(len(years))
                ),
            ),
            "total",
        )
    )
    return _year_table("children_mc", n.next_table(), caption, tr, years, rows, note)


def band_figure(
    n: Numbers,
    tr: Translator,
    years: Sequence[int],
    total: dict,
    caption: str,
    other: tuple[str, np.ndarray] | None = None,
    dec: int = 1,
) -> Figure:
    """Children in total: P50 as a line with its P5–P95 band (and another line, e.g. the
    baseline's P50)."""
    vals = lambda a: tuple(float(v) for v in a)  # noqa: E731
    series = [
        Series(tr(L.BAND), vals(total["p5"]), "p5"),
        Series("", vals(total["p95"]), "p95"),
        Series(
            tr(L.P50) if other is None else tr(L.CHART_TOTAL_STRATEGY), vals(total["p50"]), "value"
        ),
    ]
    if other is not None:
        series.append(Series(other[0], vals(other[1]), "value"))
    return _figure(n, caption, "lines", tr, years, tuple(series), dec, title=tr(L.CHART_TOTAL))


def warnings_section(warnings: Sequence[LeverWarning], n: Numbers, tr: Translator) -> Section:
    """The scenario's levers that change nothing, as findings (code LADDER_LEVER_IDLE)."""
    items = tuple(FindingItem("warning", w.code, render(w.message, tr.lang)) for w in warnings)
    return Section(
        "warnings",
        n.heading(tr(L.SEC_WARNINGS)),
        (Findings(items, tr(L.WARNINGS_TITLE)),),
    )


def subtypes_table(model: Model, n: Numbers, tr: Translator, compare: bool) -> Table | None:
    """The steps whose cost is a mix of sub-types: shares (baseline → strategy) and prices."""
    lad, lang = model.ladder, tr.lang
    mixes = [s for s in lad.steps[1:] if s.cost.mix]
    if not mixes:
        return None
    changed: dict[str, dict[str, float]] = {}
    if model.scenario is not None:
        for o in model.scenario.overrides:
            if isinstance(o, CostMixOverride):
                changed[o.step] = dict(o.mix)
    rows = []
    for s in mixes:
        label = s.label_en or s.label if lang == "en" else s.label
        for m in s.cost.mix or []:
            sub = m.label_en or m.label if lang == "en" else m.label
            share = [Cell(format_percent(m.share, 0, lang), m.share)]
            if compare:
                new = changed.get(s.id, {}).get(m.id, m.share) if s.id in changed else m.share
                share.append(Cell(format_percent(new, 0, lang), new))
            rows.append(
                TableRow(
                    (
                        Cell(label),
                        Cell(sub),
                        *share,
                        Cell(format_number(m.value / 1000, 0, lang), m.value / 1000),
                    )
                )
            )
        weighted = [Cell("")] * (2 if compare else 1)
        v = float(s.cost.value or 0.0)
        rows.append(
            TableRow(
                (
                    Cell(label),
                    Cell(tr(L.MIX_WEIGHTED)),
                    *weighted,
                    Cell(format_number(v / 1000, 0, lang), v / 1000),
                ),
                "total",
            )
        )
    cols = L.MIX_SUBTYPES_CMP_COLS if compare else L.MIX_SUBTYPES_COLS
    number = n.next_table()
    caption = tr(
        L.MIX_SUBTYPES_TITLE,
        unit=_thousands(lad.unit.value, tr),
        price_level=tr(L.PRICE_LEVEL, year=lad.price_level),
    )
    k = len(cols)
    return Table(
        "cost_mix",
        number,
        tr(L.TABLE, n=number, caption=caption),
        tuple(tr(c) for c in cols),
        tuple(rows),
        (False, False) + (True,) * (k - 2),
        (3.0, 3.0) + (1.2,) * (k - 2),
    )


def observed_months(model: Model) -> list[tuple[str, np.ndarray]]:
    """('YYYY-MM', (K,) children) of the observed stock before the projection's start."""
    pop, ids = model.population, model.ladder.ids[1:]
    first = f"{pop.start:04d}-01"
    out = []
    for key in sorted(pop.observed_stock):
        if key >= first:
            continue
        row = np.zeros(len(ids))
        for s, v in pop.observed_stock[key].items():
            if s in ids:
                row[ids.index(s)] = v
        out.append((key, row))
    return out


def observed_figure(
    model: Model, p: Projection, labels: Sequence[str], n: Numbers, tr: Translator, dec: int
) -> Figure | None:
    """Children per step by month: the observed stock, then the projection (stacked); the
    x axis is labelled at each January."""
    obs = observed_months(model)
    if not obs:
        return None
    months = [k for k, _ in obs]
    start = p.tables.start
    proj_months = [f"{start + m // 12:04d}-{m % 12 + 1:02d}" for m in range(p.stock.shape[1])]
    cats = [m[:4] if m.endswith("-01") else "" for m in months + proj_months]
    values = np.vstack([np.stack([r for _, r in obs]), p.stock[0]])
    series = tuple(
        Series(lab, tuple(float(v) for v in values[:, k]), "value") for k, lab in enumerate(labels)
    )
    caption = tr(L.OBSERVED_FIGURE, start=tr(L.START_COL, year=start))
    return _figure(n, caption, "stacked", tr, cats, series, dec)


def note(text: str) -> Note:
    return Note(text)
