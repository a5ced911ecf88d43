"""The follow-up report's money tables and charts as document blocks: plan against actual, the
volume/price split, payback on three bases, the re-forecast fan with the actuals drawn in,
the criteria and the pool's repayments. Every number comes from the bundle; formatted here."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from ...i18n import translator
from ...numbers import format_number, format_percent
from ...services.followup import FollowupBundle, observed_total
from ..document.model import ChartSpec, Series, Table
from ..pool.tables import Value, table
from ..pool.text import num, unit_text
from .labels import BASIS, FLAG, LABELS, RULE

Caption = Callable[[int, str], str]


def _years_text(pb: float, lang: str, what: str = "never") -> str:
    tr = translator(lang)
    if pb is None or math.isnan(pb):
        return tr(LABELS[what])
    k = int(pb)
    return tr.ngettext("{n} år", "{n} år", k, n=k)


def pct(v: float | None, lang: str, decimals: int = 1) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return format_percent(v, decimals, lang)


def variance_table(b: FollowupBundle, number: int, caption: Caption, lang: str) -> Table:
    tr = translator(lang)
    v = b.variance
    labels = {ln.id: ln.label for ln in b.case.lines}
    rows: list[list[Value]] = []
    styles: list = []
    for i, lid in enumerate(v.line_ids):
        for y, year in enumerate(v.years):
            if np.isnan(v.actual[i, y]):
                continue
            p = v.pct[i, y]
            rows.append(
                [
                    labels[lid],
                    str(int(year)),
                    float(v.plan[i, y]),
                    float(v.actual[i, y]),
                    float(v.diff[i, y]),
                    "" if math.isnan(p) else format_number(float(p), 1, lang),
                    tr(FLAG[_code(int(v.status[i, y]))]),
                ]
            )
            styles.append("line")
    for y, year in enumerate(v.years):
        if np.isnan(v.total_actual[y]):
            continue
        p = v.total_pct[y]
        rows.append(
            [
                tr(LABELS["r_total"]),
                str(int(year)),
                float(v.total_plan[y]),
                float(v.total_actual[y]),
                float(v.total_diff[y]),
                "" if math.isnan(p) else format_number(float(p), 1, lang),
                tr(FLAG[_code(int(v.total_status[y]))]),
            ]
        )
        styles.append("total")
    th = v.thresholds
    floor = (
        tr(LABELS["n_floor"], amount=num(th.alert.absolute, 0, lang)) if th.alert.absolute else ""
    )
    note = tr(
        LABELS["n_variance"],
        watch=format_number(th.watch.percent, 0, lang),
        alert=format_number(th.alert.percent, 0, lang),
        floor=floor,
        level=b.case.price_level,
    )
    header = [tr(LABELS[k]) for k in ("c_line", "c_year", "c_plan", "c_actual", "c_diff")]
    header += [tr(LABELS["c_pct"]), tr(LABELS["c_status"])]
    t = table(
        "variance",
        number,
        caption(number, tr(LABELS["t_variance"])),
        header,
        rows,
        lang,
        note,
        styles=styles,
    )
    return t


def _code(flag: int) -> str:
    return {-1: "", 0: "ok", 1: "watch", 2: "alert"}[flag]


def split_table(b: FollowupBundle, number: int, caption: Caption, lang: str) -> Table | None:
    tr = translator(lang)
    labels = {ln.id: ln.label for ln in b.case.lines}
    rows: list[list[Value]] = []
    for s in b.variance.split:
        for y, year in enumerate(b.variance.years):
            if np.isnan(s.volume[y]):
                continue
            rows.append(
                [
                    labels[s.line],
                    str(int(year)),
                    format_number(float(s.plan_count[y]), 1, lang),
                    format_number(float(s.actual_count[y]), 1, lang),
                    float(s.volume[y]),
                    float(s.price[y]),
                ]
            )
    if not rows:
        return None
    keys = ("c_line", "c_year", "c_plan_count", "c_actual_count", "c_volume", "c_price")
    t = table(
        "split",
        number,
        caption(number, tr(LABELS["t_split"])),
        [tr(LABELS[k]) for k in keys],
        rows,
        lang,
        tr(LABELS["n_split"]),
    )
    return replace(t, numeric=(False, False, True, True, True, True))  # counts right-aligned


def variance_chart(b: FollowupBundle, lang: str) -> ChartSpec:
    """Plan and actual per observed year (the lines reported that year)."""
    tr = translator(lang)
    v = b.variance
    seen = ~np.isnan(v.total_actual)
    years = tuple(str(int(y)) for y in v.years[seen])
    return ChartSpec(
        "bars",
        tr(LABELS["f_variance"]),
        "",
        unit_text(b.case.unit.value, lang),
        years,
        (
            Series(tr(LABELS["s_plan"]), tuple(float(x) for x in v.total_plan[seen]), "value"),
            Series(tr(LABELS["s_actual"]), tuple(float(x) for x in v.total_actual[seen]), "value"),
        ),
        lang,
    )


def fan_chart(b: FollowupBundle, lang: str) -> ChartSpec:
    """The re-forecast of the total net flow: the conditioned band (when there is one), the
    plan, the re-forecast and the actuals (observed years only)."""
    tr = translator(lang)
    rf = b.reforecast
    series: list[Series] = []
    c = b.conditioned
    if c is not None:
        f = c.fan
        series += [
            Series("P5-P95", tuple(float(x) for x in f[0]), "p5"),
            Series("P95", tuple(float(x) for x in f[4]), "p95"),
            Series("P25-P75", tuple(float(x) for x in f[1]), "p25"),
            Series("P75", tuple(float(x) for x in f[3]), "p75"),
        ]
    series += [
        Series(tr(LABELS["s_plan"]), tuple(float(x) for x in rf.plan.sum(axis=0)), "value"),
        Series(tr(LABELS["s_reforecast"]), tuple(float(x) for x in rf.flows["total"]), "value"),
        Series(tr(LABELS["s_actual"]), tuple(float(x) for x in observed_total(b)), "value"),
    ]
    return ChartSpec(
        "lines",
        tr(LABELS["f_fan"]),
        "",
        unit_text(b.case.unit.value, lang),
        tuple(str(int(y)) for y in rf.years),
        tuple(series),
        lang,
    )


def target_text(b: FollowupBundle, lang: str) -> str:
    tr = translator(lang)
    t = b.followup.conditioning.target or len(b.reforecast.years)
    return tr.ngettext("{n} år", "{n} år", t, n=t)


def payback_table(b: FollowupBundle, number: int, caption: Caption, lang: str) -> Table:
    tr = translator(lang)
    r, rf, c = b.realised, b.reforecast, b.conditioned
    rows: list[list[Value]] = []
    for basis in ("service", "total", "own"):
        row: list[Value] = [
            tr(BASIS[basis]),
            _years_text(rf.plan_payback[basis], lang),
            _years_text(r.payback[basis], lang, "not_yet"),
            _years_text(rf.payback[basis], lang),
        ]
        if c is not None:
            row += [pct(c.prior_p_payback(basis), lang), pct(c.p_payback(basis), lang)]
        rows.append(row)
    keys = ["c_basis", "c_plan", "c_realised", "c_reforecast"]
    if c is not None:
        keys += ["c_p_before", "c_p_after"]
    through = str(r.through) if r.through is not None else "–"
    note = tr(
        LABELS["n_payback"],
        through=through,
        rule=tr(RULE[rf.rule.value]),
        target=target_text(b, lang),
    )
    return table(
        "payback",
        number,
        caption(number, tr(LABELS["t_payback"])),
        [tr(LABELS[k]) for k in keys],
        rows,
        lang,
        note,
    )


def kpi_table(b: FollowupBundle, number: int, lang: str) -> Table:
    from ...followup.kpi import LABELS as STATUS

    tr = translator(lang)
    hidden = tr(LABELS["hidden"])
    rows: list[list[Value]] = []
    for k in b.kpi:
        c, st = k.criterion, k.status
        value: Value = hidden if k.suppressed else k.latest_value
        rows.append(
            [
                c.label,
                c.unit,
                c.baseline,
                c.target,
                st.latest_date.isoformat() if st.latest_date else "",
                value,
                None if st.expected is None else round(st.expected, 1),
                tr(STATUS[st.status]),
                c.responsible or "",
                st.next_due.isoformat() if st.next_due else "",
            ]
        )
    keys = (
        "c_criterion",
        "c_unit",
        "c_baseline",
        "c_target",
        "c_latest",
        "c_value",
        "c_expected",
        "c_status",
        "c_responsible",
        "c_next",
    )
    caption = tr(
        "Tabel {n}. {title}", n=number, title=tr(LABELS["t_kpi"], date=b.as_of.isoformat())
    )
    return table(
        "kpi",
        number,
        caption,
        [tr(LABELS[k]) for k in keys],
        rows,
        lang,
        tr(LABELS["n_kpi"]),
        decimals=1,
    )


def pool_table(b: FollowupBundle, number: int, caption: Caption, lang: str) -> Table | None:
    tr = translator(lang)
    rp = b.repayment
    if rp is None:
        return None
    keep = (rp.due != 0) | (rp.made != 0) | rp.realised
    years = rp.years[keep]
    rows: list[list[Value]] = [
        [tr(LABELS["r_savings"]), *(float(x) for x in rp.savings[keep])],
        [tr(LABELS["r_due"]), *(float(x) for x in rp.due[keep])],
        [tr(LABELS["r_made"]), *(float(x) for x in rp.made[keep])],
        [
            tr(LABELS["r_arrears"]),
            *(
                float(x) if rp.through is not None and y <= rp.through else None
                for x, y in zip(rp.arrears[keep], years, strict=True)
            ),
        ],
    ]
    through = str(rp.through) if rp.through is not None else "–"
    note = tr(LABELS["n_pool"], through=through, unit=unit_text(rp.unit, lang))
    return table(
        "pool",
        number,
        tr("Tabel {n}. {title}", n=number, title=tr(LABELS["t_pool"], app=rp.app_id)),
        ["", *(str(int(y)) for y in years)],
        rows,
        lang,
        note,
        styles=("line", "line", "line", "total"),
    )
