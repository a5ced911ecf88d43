"""The `backtest` document: a fit before a date, its projection, and what was observed after —
per year, per step and per age band, with errors and the coverage of the P5–P95 interval."""

from __future__ import annotations

import math

import numpy as np

from ...i18n import translator
from ...ladder.fit import band_label
from ...numbers import format_number, format_percent
from ...services.ladder import BacktestBundle
from ..document.model import (
    Cell,
    KeyFigures,
    Note,
    Paragraph,
    ReportDocument,
    Section,
    Series,
    Table,
    TableRow,
)
from . import labels as L
from .base import Numbers, _figure


def backtest_document(b: BacktestBundle, lang: str = "da") -> ReportDocument:
    """Observed against projected on each 31 December after the back-test's date."""
    tr = translator(lang)
    bt = b.backtest
    n = Numbers()
    years = list(bt.years)
    labels = [s.label_en or s.label if lang == "en" else s.label for s in bt.model.ladder.steps[1:]]

    def num(v: float, d: int = 1) -> Cell:
        return Cell(format_number(float(v), d, lang), float(v))

    def rel(obs: float, proj: float) -> Cell:
        if obs <= 0:
            return Cell("–")
        r = proj / obs - 1.0
        return Cell(format_percent(r, 1, lang), r)

    def band(lo: float, hi: float) -> Cell:
        return Cell(f"{format_number(lo, 0, lang)}–{format_number(hi, 0, lang)}")

    def table(key: str, caption: str, cols: tuple[str, ...], rows: list[TableRow]) -> Table:
        number = n.next_table()
        k = len(cols)
        return Table(
            key,
            number,
            tr(L.TABLE, n=number, caption=caption),
            tuple(tr(c) for c in cols),
            tuple(rows),
            (False,) + (True,) * (k - 1),
            (3.0,) + (1.2,) * (k - 1),
        )

    obs_t, proj_t = bt.observed.sum(axis=1), bt.projected.sum(axis=1)
    err = bt.total_error()
    worst = float(np.nanmax(np.abs(err))) if np.isfinite(err).any() else math.nan
    cov = bt.coverage()
    key = [
        (tr(L.BT_KEY_YEARS), f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])),
        (tr(L.BT_KEY_ERROR), format_percent(worst, 1, lang) if math.isfinite(worst) else "–"),
    ]
    if cov is not None:
        key.append((tr(L.BT_KEY_COVERAGE), format_percent(cov, 0, lang)))
    summary = tr(
        L.BT_SUMMARY,
        at=bt.at.isoformat(),
        years=format_number(bt.result.window_years, 2, lang),
        end=bt.end.isoformat(),
    )
    band_note = (
        tr(L.BT_BAND_NOTE, draws=bt.draws, seed=bt.seed)
        if bt.band is not None
        else tr(L.BT_NO_BAND)
    )
    sections = [
        Section(
            "summary",
            n.heading(tr(L.SEC_BT_SUMMARY)),
            (Paragraph(summary), KeyFigures(tr(L.KEY_FIGURES), tuple(key)), Note(band_note)),
        )
    ]

    rows = []
    for y, year in enumerate(years):
        bt_band = bt.band_total
        rows.append(
            TableRow(
                (
                    Cell(str(year)),
                    num(obs_t[y], 0),
                    num(proj_t[y]),
                    rel(obs_t[y], proj_t[y]),
                    band(*bt_band[:, y]) if bt_band is not None else Cell("–"),
                    num(bt.observed_entries[y], 0),
                    num(bt.projected_entries[y]),
                )
            )
        )
    per_year = table("years", tr(L.BT_YEARS_TITLE), L.BT_YEAR_COLS, rows)
    series = [
        Series(tr(L.CHART_OBSERVED), tuple(float(v) for v in obs_t), "value"),
        Series(tr(L.CHART_PROJECTED), tuple(float(v) for v in proj_t), "value"),
    ]
    if bt.band_total is not None:
        series[:0] = [
            Series(tr(L.BAND), tuple(float(v) for v in bt.band_total[0]), "p5"),
            Series("", tuple(float(v) for v in bt.band_total[1]), "p95"),
        ]
    fig = _figure(n, tr(L.BT_FIGURE), "lines", tr, years, tuple(series), 0, title=tr(L.CHART_TOTAL))
    sections.append(Section("years", n.heading(tr(L.SEC_BT_YEARS)), (per_year, fig)))

    blocks = []
    for y, year in enumerate(years):
        rows = []
        for k, lab in enumerate(labels):
            o, p = bt.observed[y, k], bt.projected[y, k]
            if bt.band is not None:
                lo, hi = bt.band[:, y, k]
                inside = Cell(tr(L.YES) if lo <= o <= hi else tr(L.NO))
                cells = (band(lo, hi), inside)
            else:
                cells = (Cell("–"), Cell("–"))
            rows.append(TableRow((Cell(lab), num(o, 0), num(p), num(p - o), rel(o, p), *cells)))
        blocks.append(table(f"steps_{year}", tr(L.BT_STEPS_TITLE, year=year), L.BT_COLS, rows))
    sections.append(Section("steps", n.heading(tr(L.SEC_BT_STEPS)), tuple(blocks)))

    edges = list(bt.model.population.age_bands)
    rows = []
    for a in range(len(edges)):
        for y, year in enumerate(years):
            o, p = bt.observed_ages[y, a], bt.projected_ages[y, a]
            bb = bt.band_ages
            rows.append(
                TableRow(
                    (
                        Cell(band_label(edges, a, bt.model.population.max_age)),
                        Cell(str(year)),
                        num(o, 0),
                        num(p),
                        rel(o, p),
                        band(*bb[:, y, a]) if bb is not None else Cell("–"),
                    )
                )
            )
    ages = table("ages", tr(L.BT_AGES_TITLE), L.BT_AGE_COLS, rows)
    sections.append(Section("ages", n.heading(tr(L.SEC_BT_AGES)), (ages,)))
    return ReportDocument(
        lang,
        tr(L.BT_TITLE, file=b.episodes.name, date=bt.at.isoformat()),
        tr(L.KICKER),
        tuple(sections),
        tr(L.BT_FOOTER, file=str(b.episodes)),
        "",
        kind="ladder",
    )
