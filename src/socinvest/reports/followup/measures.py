"""FIT and ADBB as document blocks: the suppressed tables (a hidden cell shows '–', its value
is not in the document at all) and the charts drawn from shown cells only."""

from __future__ import annotations

import math

import numpy as np

from ...followup import adbb as adbb_mod
from ...followup import fit as fit_mod
from ...i18n import translator
from ..document.model import Block, ChartSpec, Figure, Note, Paragraph, RowStyle, Series, Table
from ..pool.tables import Value, table
from ..pool.text import num
from .labels import ADBB_OUTCOME, FIT_OUTCOME, LABELS
from .tables import pct


def half_text(year: int, half: int, lang: str) -> str:
    if half == 0:
        return str(year)
    return translator(lang)(LABELS["half"], year=year, half=half)


def _count(t, i: int, j: int, lang: str) -> Value:
    v = t.shown(i, j)
    return translator(lang)(LABELS["hidden"]) if v is None else v


def _opt(v: int | None, lang: str) -> str:
    return translator(lang)(LABELS["hidden"]) if v is None else num(v, 0, lang)


def fit_table(s: fit_mod.Summary, number: int, lang: str) -> Table:
    tr = translator(lang)
    t = s.table
    rows: list[list[Value]] = []
    labels = [(team, half_text(y, h, lang)) for team, (y, h) in s.rows]
    labels.append((tr(LABELS["r_all"]), ""))
    for i, (team, period) in enumerate(labels):
        rows.append(
            [
                team,
                period,
                *(_count(t, i, j, lang) for j in range(4)),
                pct(float(s.improved_share[i]), lang),
                "" if math.isnan(s.mean_days[i]) else num(float(s.mean_days[i]), 0, lang),
            ]
        )
    header = [tr(LABELS["c_team"]), tr(LABELS["c_half"])]
    header += [tr(FIT_OUTCOME[k]) for k in fit_mod.OUTCOMES]
    header += [tr(LABELS["c_courses"]), tr(LABELS["c_improved_share"]), tr(LABELS["c_mean_days"])]
    styles: list[RowStyle] = ["total" if i == len(rows) - 1 else "line" for i in range(len(rows))]
    caption = tr("Tabel {n}. {title}", n=number, title=tr(LABELS["t_fit"]))
    return table("fit", number, caption, header, rows, lang, tr(LABELS["n_fit"]), styles=styles)


def _by_team(s: fit_mod.Summary, values: np.ndarray, scale: float) -> tuple[tuple, tuple]:
    """(categories, series) of a per-team line chart over half years; NaN where hidden."""
    periods = sorted({p for _, p in s.rows})
    teams = sorted({t for t, _ in s.rows})
    where = {(t, p): i for i, (t, p) in enumerate(s.rows)}
    series = []
    for team in teams:
        vals = tuple(
            float(values[where[(team, p)]]) * scale if (team, p) in where else math.nan
            for p in periods
        )
        series.append(Series(team, vals, "value"))
    return tuple(periods), tuple(series)


def fit_blocks(s: fit_mod.Summary, tables: int, figures: int, lang: str) -> list[Block]:
    """The FIT section's blocks: the counts, two charts and the table."""
    tr = translator(lang)
    out: list[Block] = [
        Paragraph(
            tr(
                LABELS["fit_counts"],
                courses=_opt(s.courses, lang),
                single=_opt(s.single_session, lang),
                dropouts=_opt(s.dropouts, lang),
                clinical=_opt(s.clinically_significant, lang),
                warnings=_opt(s.alliance_warning_courses, lang),
            )
        )
    ]
    periods, share = _by_team(s, s.improved_share, 100.0)
    cats = tuple(half_text(y, h, lang) for y, h in periods)
    _, length = _by_team(s, s.mean_days, 1.0)
    for k, (key, ylabel, series) in enumerate(
        (("f_fit_share", "y_share", share), ("f_fit_length", "y_days", length))
    ):
        spec = ChartSpec("lines", tr(LABELS[key]), "", tr(LABELS[ylabel]), cats, series, lang)
        n = figures + k
        out.append(Figure(n, tr("Figur {n}. {title}", n=n, title=tr(LABELS[key])), spec))
    out.append(fit_table(s, tables, lang))
    return out


def adbb_table(s: adbb_mod.Summary, number: int, lang: str) -> Table:
    tr = translator(lang)
    t = s.table
    labels = [half_text(y, h, lang) for y, h in s.periods] + [tr(LABELS["r_all"])]
    rows: list[list[Value]] = []
    for i, period in enumerate(labels):
        rows.append(
            [
                period,
                *(_count(t, i, j, lang) for j in range(5)),
                pct(float(s.flagged_share[i]), lang),
                pct(float(s.followup_share[i]), lang),
                pct(float(s.resolved_share[i]), lang),
            ]
        )
    header = [tr(LABELS["c_period"]), *(tr(ADBB_OUTCOME[k]) for k in adbb_mod.CATEGORIES)]
    header += [tr(LABELS["r_all"])]
    header += [tr(LABELS[k]) for k in ("c_flagged_share", "c_followup_share", "c_resolved_share")]
    styles: list[RowStyle] = ["total" if i == len(rows) - 1 else "line" for i in range(len(rows))]
    caption = tr("Tabel {n}. {title}", n=number, title=tr(LABELS["t_adbb"]))
    return table("adbb", number, caption, header, rows, lang, tr(LABELS["n_adbb"]), styles=styles)


def adbb_blocks(
    s: adbb_mod.Summary, tables: int, figure: int, lang: str, children: int | None = None
) -> list[Block]:
    tr = translator(lang)
    cats = tuple(half_text(y, h, lang) for y, h in s.periods)
    n = len(cats)
    series = tuple(
        Series(tr(LABELS[k]), tuple(float(x) * 100.0 for x in arr[:n]), "value")
        for k, arr in (
            ("c_flagged_share", s.flagged_share),
            ("c_followup_share", s.followup_share),
            ("c_resolved_share", s.resolved_share),
        )
    )
    spec = ChartSpec("bars", tr(LABELS["f_adbb"]), "", tr(LABELS["y_share"]), cats, series, lang)
    out: list[Block] = []
    if children is not None:
        share = tr(LABELS["hidden"]) if s.screened_share is None else pct(s.screened_share, lang)
        out.append(Paragraph(tr(LABELS["screened"], n=num(children, 0, lang), share=share)))
    out.append(Figure(figure, tr("Figur {n}. {title}", n=figure, title=tr(LABELS["f_adbb"])), spec))
    out.append(adbb_table(s, tables, lang))
    return out


def problems_note(problems: tuple, lang: str) -> Note | None:
    if not problems:
        return None
    tr = translator(lang)
    return Note(tr(LABELS["problems"], n=len(problems)))
