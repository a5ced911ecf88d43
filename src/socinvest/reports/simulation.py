"""Uncertainty in words and tables: the terminal summary and a standalone HTML page with the
probability statement, the fan chart, the payback distribution and the tornado."""

from __future__ import annotations

import html
from pathlib import Path

from socinvest.numbers import format_number, format_percent
from socinvest.uncertainty.sensitivity import Switching, TornadoBar
from socinvest.uncertainty.simulate import Simulation


def probability_statement(sim: Simulation, lang: str = "da") -> str:
    t = sim.target
    p_h = format_percent(sim.p_payback("total"), 0, lang)
    npv = sim.npv_summary()
    p_npv = format_percent(npv["p_positive"], 0, lang)
    if lang == "da":
        s = (
            f"Med de angivne usikkerheder tjener casen sig hjem inden for horisonten i {p_h} af "
            f"{format_number(sim.draws, 0)} simulerede forløb"
        )
        if t is not None:
            s += f", og inden for {t} år i {format_percent(sim.p_payback('total', t), 0)}"
        return s + f". Nutidsværdien er positiv i {p_npv} af forløbene (totaløkonomi)."
    s = (
        f"Given the stated uncertainties, the case pays back within the horizon in {p_h} of "
        f"{format_number(sim.draws, 0, 'en')} simulated runs"
    )
    if t is not None:
        s += f", and within {t} years in {format_percent(sim.p_payback('total', t), 0, 'en')}"
    return s + f". Its net present value is positive in {p_npv} of the runs (total basis)."


def print_simulation(
    console, sim: Simulation, bars: list[TornadoBar] | None = None, lang: str = "da"
) -> None:
    from rich.table import Table

    unit = f"{sim.case.unit.value} {sim.case.price_level} p/l"
    console.print(f"[bold]{sim.case.title}[/]")
    console.print(probability_statement(sim, lang))
    npv = sim.npv_summary()
    t = Table(
        title=f"Nutidsværdi ({unit}; {format_percent(sim.case.discount.rate, 1)} p.a.)",
        title_justify="left",
    )
    for col in ("middel", "sd", "P5", "P50", "P95", "P(NPV > 0)"):
        t.add_column(col, justify="right")
    t.add_row(
        *[format_number(npv[k], 0, lang) for k in ("mean", "sd", "p5", "p50", "p95")],
        format_percent(npv["p_positive"], 1, lang),
    )
    console.print(t)
    fan = sim.fan()
    f = Table(
        title=f"Årlig nettoeffekt, percentiler ({unit}; besparelser negative)", title_justify="left"
    )
    f.add_column("")
    for y in sim.years:
        f.add_column(str(int(y)), justify="right", no_wrap=True)
    for k in ("p5", "p50", "p95"):
        f.add_row(k.upper(), *[format_number(v, 0, lang) for v in fan[k]])
    console.print(f)
    c = Table(title="Pr. udvalg", title_justify="left")
    for col in ("udvalg", "P(tilbagebetaling)", "P(inden for mål)", "NPV P50", "P(NPV > 0)"):
        c.add_column(col, justify="right")
    for name, s in sim.committee_summary().items():
        c.add_row(
            sim.case.committees.get(name, "ikke fordelt"),
            format_percent(s["p_payback"], 1, lang),
            "–"
            if s["p_payback_target"] is None
            else format_percent(s["p_payback_target"], 1, lang),
            format_number(s["npv"]["p50"], 0, lang),
            format_percent(s["npv"]["p_positive"], 1, lang),
        )
    console.print(c)
    if bars:
        print_tornado(console, bars, lang)


def print_tornado(console, bars: list[TornadoBar], lang: str = "da") -> None:
    from rich.table import Table

    t = Table(title="Tornado: NPV med én parameter ad gangen ved P10 og P90", title_justify="left")
    for col in (
        "parameter",
        "P10",
        "P90",
        "NPV ved P10",
        "NPV ved P90",
        "udsving",
        "tilbagebet. P10/P90",
    ):
        t.add_column(col, justify="right")
    for b in bars:
        t.add_row(
            b.name,
            format_number(b.low, 2, lang),
            format_number(b.high, 2, lang),
            format_number(b.npv_low, 0, lang),
            format_number(b.npv_high, 0, lang),
            format_number(b.swing, 0, lang),
            f"{_pb(b.payback_low)} / {_pb(b.payback_high)}",
        )
    console.print(t)


def _pb(v: float) -> str:
    return "–" if v != v else f"{v:g}"


def print_switching(console, rows: list[Switching], title: str, lang: str = "da") -> None:
    from rich.table import Table

    t = Table(title=title, title_justify="left")
    for col in ("parameter", "basis", "skifteværdi", "ændring"):
        t.add_column(col, justify="right")
    for s in rows:
        base = "pr. år" if s.base is None else format_number(s.base, 2, lang)
        if s.multiplier is None:
            t.add_row(s.name, base, "skifter ikke (0–5 × basis)", "–")
            continue
        val = (
            f"{format_number(s.multiplier, 3, lang)} × basis"
            if s.value is None
            else format_number(s.value, 2, lang)
        )
        t.add_row(s.name, base, val, format_percent(s.change_pct / 100, 1, lang))
    console.print(t)


def write_html(
    path: Path,
    sim: Simulation,
    bars: list[TornadoBar],
    switching: list[Switching],
    lang: str = "da",
) -> None:
    from socinvest.engine.resolve import evaluate
    from socinvest.reports.charts import chart_svg
    from socinvest.reports.uncertainty_section import fan_spec, payback_spec, tornado_spec

    unit = f"{sim.case.unit.value} {sim.case.price_level} p/l"

    npv = sim.npv_summary()
    base_npv = float(evaluate(sim.case).npv()[0])  # the tornado's bars start at the base
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(s.name)}</td><td>{'–' if s.multiplier is None else format_percent(s.change_pct / 100, 1, lang)}</td></tr>"
        for s in switching
    )
    body = f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>{esc(sim.case.title)} – usikkerhed</title>
<style>body{{font-family:DejaVu Sans,Arial,sans-serif;max-width:60em;margin:2em auto;color:#222}}
.statement{{font-size:1.2em;background:#eef3fa;padding:1em;border-left:4px solid #1f5fa8}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .6em;text-align:right}}
td:first-child{{text-align:left}}</style></head><body>
<h1>{esc(sim.case.title)}</h1>
<h2>{"Usikkerhed og følsomhed" if lang == "da" else "Uncertainty and sensitivity"}</h2>
<p class="statement">{esc(probability_statement(sim, lang))}</p>
<p>{format_number(sim.draws, 0, lang)} trækninger, frø {sim.seed}, {unit}. Diskonteringsrente
{format_percent(sim.case.discount.rate, 1, lang)}. Usikre parametre: {esc(", ".join(sim.uncertain))}.</p>
<table><tr><th>NPV</th><th>middel</th><th>sd</th><th>P5</th><th>P50</th><th>P95</th><th>P(NPV&gt;0)</th></tr>
<tr><td>{unit}</td>{"".join(f"<td>{format_number(npv[k], 0, lang)}</td>" for k in ("mean", "sd", "p5", "p50", "p95"))}
<td>{format_percent(npv["p_positive"], 1, lang)}</td></tr></table>
<h3>Årlig nettoeffekt (vifte)</h3>{chart_svg(fan_spec(sim, unit, lang))}
<h3>Kumuleret nettoeffekt (vifte)</h3>{chart_svg(fan_spec(sim, unit, lang, cumulative=True))}
<h3>Tilbagebetalingstid</h3>{chart_svg(payback_spec(sim, lang))}
<h3>Tornado</h3>{chart_svg(tornado_spec(bars, base_npv, unit, lang)) if bars else "<p>Ingen usikre parametre.</p>"}
<h3>Skifteværdier (NPV = 0)</h3><table><tr><th>parameter</th><th>ændring fra basis</th></tr>{rows}</table>
</body></html>"""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(path)
