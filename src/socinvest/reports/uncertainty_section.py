"""The report's section on uncertainty (when a case has uncertain parameters): the probability
statement, the NPV distribution, the fan of the yearly net effect, the tornado and the
switching values. Numbers come from uncertainty/; this module only lays them out."""

from __future__ import annotations

from ..engine.results import Results
from ..numbers import format_number, format_percent
from ..uncertainty.defaults import DEFAULT_DRAWS
from .document import Cell, ChartSpec, Figure, Note, Paragraph, Series, Table, TableRow

REPORT_SEED = 0

L = {
    "da": {
        "heading": "Usikkerhed og følsomhed",
        "method": "Monte Carlo med {draws} trækninger (frø {seed}) gennem samme beregning som "
        "tabel 1; usikre parametre: {names}. Diskonteringsrente {rate}.",
        "npv_caption": "Nutidsværdi og tilbagebetaling under usikkerhed",
        "measure": "Mål",
        "value": "Værdi",
        "fan": "Årlig nettoeffekt, percentiler",
        "fan_cumulative": "Kumuleret nettoeffekt, percentiler",
        "payback_title": "Tilbagebetalingsår (totaløkonomi); – = ikke inden for horisonten",
        "share_of_draws": "% af trækningerne",
        "tornado": "Tornado: nutidsværdi med én parameter ad gangen ved P10 og P90",
        "switch_caption": "Skifteværdier: hvor langt hver parameter kan flytte sig, før "
        "nutidsværdien bliver 0",
        "parameter": "Parameter",
        "base": "Basisværdi",
        "switch": "Skifteværdi",
        "change": "Ændring",
        "per_year": "pr. år",
        "never": "skifter ikke (0–5 × basis)",
        "times_base": "× basis",
        "year_axis": "År",
        "npv_axis": "Nutidsværdi",
        "figure": "Figur",
        "table": "Tabel",
        "rows": [
            ("p_h", "Sandsynlighed for tilbagebetaling inden for horisonten (totaløkonomi)"),
            (
                "p_s",
                "Sandsynlighed for tilbagebetaling inden for horisonten (serviceeffektivisering)",
            ),
            ("mean", "Nutidsværdi, middel"),
            ("p5", "Nutidsværdi, P5"),
            ("p50", "Nutidsværdi, P50 (median)"),
            ("p95", "Nutidsværdi, P95"),
            ("p_pos", "Sandsynlighed for positiv nutidsværdi"),
        ],
    },
    "en": {
        "heading": "Uncertainty and sensitivity",
        "method": "Monte Carlo with {draws} draws (seed {seed}) through the same calculation as "
        "table 1; uncertain parameters: {names}. Discount rate {rate}.",
        "npv_caption": "Net present value and payback under uncertainty",
        "measure": "Measure",
        "value": "Value",
        "fan": "Yearly net effect, percentiles",
        "fan_cumulative": "Cumulative net effect, percentiles",
        "payback_title": "Payback year (total basis); – = not within the horizon",
        "share_of_draws": "% of draws",
        "tornado": "Tornado: net present value with one parameter at a time at P10 and P90",
        "switch_caption": "Switching values: how far each parameter can move before the net "
        "present value reaches 0",
        "parameter": "Parameter",
        "base": "Base value",
        "switch": "Switching value",
        "change": "Change",
        "per_year": "per year",
        "never": "does not switch (0–5 × base)",
        "times_base": "× base",
        "year_axis": "Year",
        "npv_axis": "Net present value",
        "figure": "Figure",
        "table": "Table",
        "rows": [
            ("p_h", "Probability of payback within the horizon (total basis)"),
            ("p_s", "Probability of payback within the horizon (service basis)"),
            ("mean", "Net present value, mean"),
            ("p5", "Net present value, P5"),
            ("p50", "Net present value, P50 (median)"),
            ("p95", "Net present value, P95"),
            ("p_pos", "Probability of a positive net present value"),
        ],
    },
}


def fan_spec(sim, units: str, lang: str, cumulative: bool = False) -> ChartSpec:
    """Percentile bands of the yearly (or cumulative) net effect of a simulation."""
    t = L[lang]
    fan = sim.fan(cumulative)
    title = t["fan_cumulative"] if cumulative else t["fan"]
    series = tuple(Series(k.upper(), tuple(fan[k]), k) for k in ("p5", "p25", "p50", "p75", "p95"))
    cats = tuple(str(int(y)) for y in sim.years)
    return ChartSpec("fan", title, t["year_axis"], units, cats, series, lang)


def tornado_spec(bars, base_npv: float, units: str, lang: str) -> ChartSpec:
    """Bars from the base NPV to the NPV at each parameter's P10 and P90."""
    t = L[lang]
    series = (
        Series("P10", tuple(b.npv_low for b in bars), "low"),
        Series("P90", tuple(b.npv_high for b in bars), "high"),
    )
    return ChartSpec(
        "tornado",
        t["tornado"],
        f"{t['npv_axis']} ({units})",
        "",
        tuple(b.name for b in bars),
        series,
        lang,
        reference=base_npv,
    )


def payback_spec(sim, lang: str) -> ChartSpec:
    """Share of draws paying back in each year, and never ('–')."""
    t = L[lang]
    dist = sim.payback_distribution("total")
    cats = tuple(str(int(y)) for y in sim.years) + ("–",)
    values = tuple(dist[str(i + 1)] * 100 for i in range(len(sim.years))) + (dist["none"] * 100,)
    return ChartSpec(
        "payback",
        t["payback_title"],
        t["year_axis"],
        t["share_of_draws"],
        cats,
        (Series(t["share_of_draws"], values, "net"),),
        lang,
    )


def uncertainty_blocks(res: Results, lang: str, units: str, next_table, next_figure) -> tuple:
    """Blocks of the section; `next_table`/`next_figure` number them in the document."""
    from .simulation import probability_statement
    from ..uncertainty.sensitivity import switching_values, tornado
    from ..uncertainty.simulate import simulate

    t = L[lang]
    case = res.case
    sim = simulate(case, DEFAULT_DRAWS, seed=REPORT_SEED)
    npv = sim.npv_summary()
    figures = {
        "p_h": format_percent(sim.p_payback("total"), 1, lang),
        "p_s": format_percent(sim.p_payback("service"), 1, lang),
        "mean": format_number(npv["mean"], 0, lang),
        "p5": format_number(npv["p5"], 0, lang),
        "p50": format_number(npv["p50"], 0, lang),
        "p95": format_number(npv["p95"], 0, lang),
        "p_pos": format_percent(npv["p_positive"], 1, lang),
    }
    blocks: list = [
        Paragraph(probability_statement(sim, lang)),
        Note(
            t["method"].format(
                draws=format_number(sim.draws, 0, lang),
                seed=sim.seed,
                names=", ".join(sim.uncertain),
                rate=format_percent(case.discount.rate, 1, lang),
            )
        ),
    ]
    num = next_table()
    blocks.append(
        Table(
            "uncertainty",
            num,
            f"{t['table']} {num}. {t['npv_caption']} ({units})",
            (t["measure"], t["value"]),
            tuple(TableRow((Cell(label), Cell(figures[key]))) for key, label in t["rows"]),
            (False, True),
            (3.0, 1.0),
        )
    )
    spec = fan_spec(sim, units, lang)
    fn = next_figure()
    blocks.append(Figure(fn, f"{t['figure']} {fn}. {t['fan']} ({units})", spec))
    bars = tornado(case)
    base_npv = float(res.npv()[0])
    spec = tornado_spec(bars, base_npv, units, lang)
    fn = next_figure()
    blocks.append(Figure(fn, f"{t['figure']} {fn}. {t['tornado']} ({units})", spec))
    rows = []
    for s in switching_values(case, "npv"):
        base = t["per_year"] if s.base is None else format_number(s.base, 2, lang)
        if s.multiplier is None:
            rows.append(TableRow((Cell(s.name), Cell(base), Cell(t["never"]), Cell("–"))))
            continue
        value = (
            f"{format_number(s.multiplier, 3, lang)} {t['times_base']}"
            if s.value is None
            else format_number(s.value, 2, lang)
        )
        rows.append(
            TableRow(
                (
                    Cell(s.name),
                    Cell(base),
                    Cell(value, s.value),
                    Cell(format_percent(s.change_pct / 100, 1, lang), s.change_pct),
                )
            )
        )
    num = next_table()
    blocks.append(
        Table(
            "switching",
            num,
            f"{t['table']} {num}. {t['switch_caption']}",
            (t["parameter"], t["base"], t["switch"], t["change"]),
            tuple(rows),
            (False, True, True, True),
            (2.0, 1.0, 1.5, 1.0),
        )
    )
    return t["heading"], tuple(blocks)
