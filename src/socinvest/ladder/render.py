"""Faces of the ladder model: Danish tables (rich), JSON and a chart. No business logic."""

from __future__ import annotations

import numpy as np

from ..numbers import format_number, format_percent
from .fit import FitResult
from .projection import Projection
from .scenario import Comparison, step_costs


def _f(v: float, decimals: int = 0) -> str:
    return format_number(float(v), decimals)


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


def print_projection(console, p: Projection, model, title: str) -> None:
    t = p.tables
    labels = t.labels
    tab = _table(f"{title}: børn pr. trin 31. december ({p.engine})", p.years)
    ye = p.year_end()[0]
    for k, lab in enumerate(labels):
        tab.add_row(lab, *(_f(v, 1 if p.engine == "markov" else 0) for v in ye[:, k]))
    tab.add_row("I alt", *(_f(v, 1 if p.engine == "markov" else 0) for v in ye.sum(axis=1)))
    console.print(tab)
    mix = p.placement_mix()[0]
    tab = _table("Anbringelser: fordeling på anbringelsestrin (andel af børneår)", p.years)
    for k, lab in enumerate(labels):
        if t.placement[k]:
            tab.add_row(lab, *(format_percent(v, 0) for v in mix[:, k]))
    console.print(tab)
    cost = step_costs(model.ladder)
    if cost is None:
        console.print("Udgifter vises ikke: priserne i trappen er ikke udfyldt (value: null).")
        return
    c = p.costs(cost)[0] / 1000.0
    unit = f"1.000 {model.ladder.unit.value}" if model.ladder.unit.value == "kr." else "×1.000"
    tab = _table(
        f"Udgift pr. trin ({unit}, {model.ladder.price_level} p/l)",
        p.years,
        "Børneår × pris pr. barn pr. år. Afrundet ved visning.",
    )
    for k, lab in enumerate(labels):
        tab.add_row(lab, *(_f(v) for v in c[:, k]))
    tab.add_row("I alt", *(_f(v) for v in c.sum(axis=1)))
    console.print(tab)


def print_comparison(console, c: Comparison) -> None:
    years = c.baseline.years
    labels = c.baseline.tables.labels
    dec = 1 if c.baseline.engine == "markov" else 0
    tab = _table("Børn pr. trin 31. december: basis → strategi", years)
    b, s = c.baseline.year_end()[0], c.scenario.year_end()[0]
    for k, lab in enumerate(labels):
        tab.add_row(
            lab, *(f"{_f(x, dec)} → {_f(y, dec)}" for x, y in zip(b[:, k], s[:, k], strict=True))
        )
    console.print(tab)
    pl = c.baseline.tables.placement
    tab = _table("Anbringelser: andel på hvert trin (basis → strategi)", years)
    mb, ms = c.baseline.placement_mix()[0], c.scenario.placement_mix()[0]
    for k, lab in enumerate(labels):
        if pl[k]:
            tab.add_row(
                lab,
                *(
                    f"{format_percent(x, 0)} → {format_percent(y, 0)}"
                    for x, y in zip(mb[:, k], ms[:, k], strict=True)
                ),
            )
    console.print(tab)
    costs = c.costs()
    if costs is None:
        console.print("Udgifter og besparelser vises ikke: priserne i trappen er ikke udfyldt.")
        return
    cb, cs = costs[0] / 1000.0, costs[1] / 1000.0
    lad = c.model.ladder
    tab = _table(
        f"Udgift og besparelse (1.000 {lad.unit.value}, {lad.price_level} p/l)",
        years,
        "Besparelse = basis − strategi (positiv: strategien koster mindre). Afrundet ved visning.",
    )
    for k, lab in enumerate(labels):
        tab.add_row(lab, *(_f(x) for x in cb[:, k] - cs[:, k]))
    tab.add_row("Udgift, basis", *(_f(v) for v in cb.sum(axis=1)))
    tab.add_row("Udgift, strategi", *(_f(v) for v in cs.sum(axis=1)))
    tab.add_row("[bold]Besparelse i alt[/]", *(_f(v) for v in cb.sum(axis=1) - cs.sum(axis=1)))
    console.print(tab)
    if c.mc is not None:
        mc = c.mc
        tab = _table(
            f"Usikkerhed på besparelsen (1.000 {lad.unit.value}; {mc['draws']} trækninger, frø {mc['seed']})",
            years,
            "Priser og effektstørrelser trukket fra deres fordelinger; Markov-fremskrivning.",
        )
        for key, lab in (("p5", "P5"), ("mean", "Middel"), ("p95", "P95")):
            tab.add_row(lab, *(_f(v / 1000.0) for v in mc[key]))
        console.print(tab)
        console.print(
            f"Sandsynlighed for samlet besparelse > 0 over perioden: "
            f"{format_percent(mc['p_positive_total'], 0)}"
        )


def print_fit(console, r: FitResult) -> None:
    from rich.table import Table

    console.print(
        f"{r.n_episodes} forløb for {r.n_children} børn; observeret {_f(r.window_years, 2)} år; "
        f"{r.censored} forløb censureret (åbne ved eksportdatoen, aldrede ud eller forlænget)."
    )
    t = Table(title="Overgange pr. måned (hændelser / eksponering)", title_justify="left")
    for col in (
        "fra",
        "til",
        "alder",
        "måneder i trin",
        "hændelser",
        "eksp. mdr.",
        "pr. måned",
        "95 %-interval",
    ):
        t.add_column(col, justify="right" if col not in ("fra", "til") else "left")
    for row in r.rows():
        t.add_row(
            row["from"],
            row["to"],
            row["ages"],
            row["months"],
            str(row["events"]),
            _f(row["exposure_months"], 1),
            format_percent(row["monthly"], 2),
            f"{format_percent(row['ci95'][0], 2)} – {format_percent(row['ci95'][1], 2)}",
        )
    console.print(t)
    t = Table(title="Nye børn pr. år", title_justify="left")
    for col in ("trin", "alder", "antal", "pr. år", "95 %-interval"):
        t.add_column(col, justify="left" if col == "trin" else "right")
    for row in r.entry_rows():
        t.add_row(
            row["step"],
            row["ages"],
            str(row["count"]),
            _f(row["per_year"], 1),
            f"{_f(row['ci95'][0], 1)} – {_f(row['ci95'][1], 1)}",
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


def write_chart(path, base: Projection, scen: Projection | None = None) -> None:
    """Children per step by month: baseline (solid) and scenario (dashed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = base.tables
    x = t.start + np.arange(t.months + 1) / 12.0
    fig, ax = plt.subplots(figsize=(9, 5))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, lab in enumerate(t.labels):
        col = colors[k % len(colors)]
        ax.plot(x, base.stock[0, :, k], color=col, label=f"{lab} (basis)")
        if scen is not None:
            ax.plot(x, scen.stock[0, :, k], color=col, linestyle="--", label=f"{lab} (strategi)")
    ax.set_xlabel("År")
    ax.set_ylabel("Børn")
    ax.set_title("Børn pr. trin på indsatstrappen")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
