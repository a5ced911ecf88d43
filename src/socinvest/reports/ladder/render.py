"""Faces of the ladder model: tables (rich), JSON and a chart, in Danish (default) or English
(`lang="en"`; every text in `labels.py`). No business logic.

The JSON holds numbers, step ids and enum values only (no text to translate): it is the same
in both languages."""

from __future__ import annotations

import numpy as np

from socinvest.numbers import format_number, format_percent
from socinvest.ladder.fit import FitResult
from socinvest.reports.ladder.labels import step_labels, unit
from socinvest.reports.ladder.labels import t as L
from socinvest.ladder.projection import Projection
from socinvest.ladder.scenario import Comparison, step_costs


def _f(v: float, decimals: int = 0, lang: str = "da") -> str:
    return format_number(float(v), decimals, lang)


def _pl(year: int, lang: str) -> str:
    return L(lang, "price_level", year=year)


def _vec(a) -> list[float]:
    return [float(x) for x in np.asarray(a).ravel()]


def projection_json(p: Projection, cost: np.ndarray | None) -> dict:
    t = p.tables
    out = {
        "engine": p.engine,
        "years": [int(y) for y in p.years],
        "steps": list(t.steps),
        "year_end": {s: _vec(p.year_end()[0, :, k]) for k, s in enumerate(t.steps)},
        "child_years": {s: _vec(p.child_years()[0, :, k]) for k, s in enumerate(t.steps)},
        "placement_mix": {
            s: _vec(p.placement_mix()[0, :, k]) for k, s in enumerate(t.steps) if t.placement[k]
        },
        "flows": {k: _vec(v[0]) for k, v in p.yearly_flows().items()},
        "start_stock": _vec(p.stock[0, 0]),
    }
    if cost is not None:
        c = p.costs(cost)[0]
        out["cost"] = {s: _vec(c[:, k]) for k, s in enumerate(t.steps)}
        out["cost_total"] = _vec(c.sum(axis=1))
    return out


def comparison_json(c: Comparison) -> dict:
    out = {
        "scenario": c.model.scenario.title if c.model.scenario else None,
        "unit": c.model.ladder.unit.value,
        "price_level": c.model.ladder.price_level,
        "baseline": projection_json(c.baseline, c.cost),
        "strategy": projection_json(c.scenario, c.cost),
    }
    s = c.savings()
    if s is not None:
        out["savings"] = _vec(s)
    if c.mc is not None:
        out["monte_carlo"] = {
            k: (_vec(v) if isinstance(v, np.ndarray) else v) for k, v in c.mc.items()
        }
    return out


def _table(title: str, years, caption: str | None = None):
    from rich.table import Table

    t = Table(title=title, caption=caption, title_justify="left", caption_justify="left")
    t.add_column("")
    for y in years:
        t.add_column(str(int(y)), justify="right")
    return t


def print_projection(console, p: Projection, model, title: str, lang: str = "da") -> None:
    t = p.tables
    labels = step_labels(t, lang)
    dec = 1 if p.engine == "markov" else 0
    tab = _table(L(lang, "project_title", title=title, engine=p.engine), p.years)
    ye = p.year_end()[0]
    for k, lab in enumerate(labels):
        tab.add_row(lab, *(_f(v, dec, lang) for v in ye[:, k]))
    tab.add_row(L(lang, "total"), *(_f(v, dec, lang) for v in ye.sum(axis=1)))
    console.print(tab)
    mix = p.placement_mix()[0]
    tab = _table(L(lang, "mix_title"), p.years)
    for k, lab in enumerate(labels):
        if t.placement[k]:
            tab.add_row(lab, *(format_percent(v, 0, lang) for v in mix[:, k]))
    console.print(tab)
    cost = step_costs(model.ladder)
    if cost is None:
        console.print(L(lang, "no_costs"))
        return
    c = p.costs(cost)[0] / 1000.0
    u = model.ladder.unit.value
    shown = L(lang, "thousand_of", unit=unit(u, lang)) if u == "kr." else L(lang, "times_thousand")
    tab = _table(
        L(lang, "cost_title", unit=shown, price_level=_pl(model.ladder.price_level, lang)),
        p.years,
        L(lang, "cost_caption"),
    )
    for k, lab in enumerate(labels):
        tab.add_row(lab, *(_f(v, 0, lang) for v in c[:, k]))
    tab.add_row(L(lang, "total"), *(_f(v, 0, lang) for v in c.sum(axis=1)))
    console.print(tab)


def print_comparison(console, c: Comparison, lang: str = "da") -> None:
    years = c.baseline.years
    labels = step_labels(c.baseline.tables, lang)
    dec = 1 if c.baseline.engine == "markov" else 0
    tab = _table(L(lang, "cmp_children_title"), years)
    b, s = c.baseline.year_end()[0], c.scenario.year_end()[0]
    for k, lab in enumerate(labels):
        tab.add_row(
            lab,
            *(
                f"{_f(x, dec, lang)} → {_f(y, dec, lang)}"
                for x, y in zip(b[:, k], s[:, k], strict=True)
            ),
        )
    console.print(tab)
    pl = c.baseline.tables.placement
    tab = _table(L(lang, "cmp_mix_title"), years)
    mb, ms = c.baseline.placement_mix()[0], c.scenario.placement_mix()[0]
    for k, lab in enumerate(labels):
        if pl[k]:
            tab.add_row(
                lab,
                *(
                    f"{format_percent(x, 0, lang)} → {format_percent(y, 0, lang)}"
                    for x, y in zip(mb[:, k], ms[:, k], strict=True)
                ),
            )
    console.print(tab)
    costs = c.costs()
    if costs is None:
        console.print(L(lang, "cmp_no_costs"))
        return
    cb, cs = costs[0] / 1000.0, costs[1] / 1000.0
    lad = c.model.ladder
    thousands = L(lang, "thousand_of", unit=unit(lad.unit.value, lang))
    tab = _table(
        L(lang, "cmp_cost_title", unit=thousands, price_level=_pl(lad.price_level, lang)),
        years,
        L(lang, "cmp_cost_caption"),
    )
    for k, lab in enumerate(labels):
        tab.add_row(lab, *(_f(x, 0, lang) for x in cb[:, k] - cs[:, k]))
    tab.add_row(L(lang, "cost_baseline"), *(_f(v, 0, lang) for v in cb.sum(axis=1)))
    tab.add_row(L(lang, "cost_strategy"), *(_f(v, 0, lang) for v in cs.sum(axis=1)))
    tab.add_row(
        L(lang, "savings_total"), *(_f(v, 0, lang) for v in cb.sum(axis=1) - cs.sum(axis=1))
    )
    console.print(tab)
    if c.mc is not None:
        mc = c.mc
        tab = _table(
            L(lang, "mc_title", unit=thousands, draws=mc["draws"], seed=mc["seed"]),
            years,
            L(lang, "mc_caption"),
        )
        for key in ("p5", "mean", "p95"):
            tab.add_row(L(lang, key), *(_f(v / 1000.0, 0, lang) for v in mc[key]))
        console.print(tab)
        console.print(L(lang, "p_positive", p=format_percent(mc["p_positive_total"], 0, lang)))


def print_fit(console, r: FitResult, lang: str = "da") -> None:
    from rich.table import Table

    console.print(
        L(
            lang,
            "fit_summary",
            episodes=r.n_episodes,
            children=r.n_children,
            years=_f(r.window_years, 2, lang),
            censored=r.censored,
        )
    )
    t = Table(title=L(lang, "fit_transitions_title"), title_justify="left")
    for i, key in enumerate(
        (
            "col_from",
            "col_to",
            "col_age",
            "col_months",
            "col_events",
            "col_exposure",
            "col_monthly",
            "col_ci95",
        )
    ):
        t.add_column(L(lang, key), justify="left" if i < 2 else "right")

    def pct(v: float) -> str:
        return format_percent(v, 2, lang)

    for row in r.rows():
        t.add_row(
            row["from"],
            row["to"],
            row["ages"],
            row["months"],
            str(row["events"]),
            _f(row["exposure_months"], 1, lang),
            pct(row["monthly"]),
            f"{pct(row['ci95'][0])} – {pct(row['ci95'][1])}",
        )
    console.print(t)
    t = Table(title=L(lang, "fit_entries_title"), title_justify="left")
    for i, key in enumerate(("col_step", "col_age", "col_count", "col_per_year", "col_ci95")):
        t.add_column(L(lang, key), justify="left" if i == 0 else "right")
    for row in r.entry_rows():
        t.add_row(
            row["step"],
            row["ages"],
            str(row["count"]),
            _f(row["per_year"], 1, lang),
            f"{_f(row['ci95'][0], 1, lang)} – {_f(row['ci95'][1], 1, lang)}",
        )
    console.print(t)


def fit_json(r: FitResult) -> dict:
    return {
        "episodes": r.n_episodes,
        "children": r.n_children,
        "censored": r.censored,
        "years_observed": r.window_years,
        "transitions": [
            {k: (_vec(v) if k == "ci95" else v) for k, v in row.items()} for row in r.rows()
        ],
        "entries": [
            {k: (_vec(v) if k == "ci95" else v) for k, v in row.items()} for row in r.entry_rows()
        ],
        "stock": {
            r.ladder.ids[s]: {str(a): int(n) for a, n in enumerate(r.stock[s]) if n > 0}
            for s in range(1, len(r.ladder.ids))
        },
    }


def write_chart(path, base: Projection, scen: Projection | None = None, lang: str = "da") -> None:
    """Children per step by month: baseline (solid) and scenario (dashed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = base.tables
    x = t.start + np.arange(t.months + 1) / 12.0
    fig, ax = plt.subplots(figsize=(9, 5))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, lab in enumerate(step_labels(t, lang)):
        col = colors[k % len(colors)]
        ax.plot(x, base.stock[0, :, k], color=col, label=L(lang, "chart_baseline", label=lab))
        if scen is not None:
            ax.plot(
                x,
                scen.stock[0, :, k],
                color=col,
                linestyle="--",
                label=L(lang, "chart_strategy", label=lab),
            )
    ax.set_xlabel(L(lang, "chart_x"))
    ax.set_ylabel(L(lang, "chart_y"))
    ax.set_title(L(lang, "chart_title"))
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
