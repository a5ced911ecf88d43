"""The report's section on uncertainty (when a case has uncertain parameters): the probability
statement, the NPV distribution, the fan of the yearly net effect, the tornado and the
switching values. Every number comes from the simulation bundle (services/simulation.py),
computed once per `run`/`report`; this module only lays them out, in the catalogue's words.

The pieces (statement, chart specs, switching rows) are shared with `simulate --html` and the
terminal output (reports/simulation.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Literal

from ..engine.results import Results
from ..i18n import N_, translator
from ..numbers import format_number, format_percent
from ..services.simulation import SimulationBundle
from ..uncertainty.sensitivity import Switching, TornadoBar
from ..uncertainty.simulate import Simulation
from .document import Block, Cell, ChartSpec, Figure, Note, Paragraph, Series, Table, TableRow
from .document.assumptions import assumptions_note, assumptions_table, npv_difference
from .document.format import _value
from .document.labels import parameter_labels

PERCENTILE_ROLES: tuple[Literal["p5", "p25", "p50", "p75", "p95"], ...] = (
    "p5",
    "p25",
    "p50",
    "p75",
    "p95",
)

BOUNDS = {"p10p90": ("P10", "P90"), "minmax": ("min", "max")}
"""How a tornado's two ends are labelled, by its method (the same words in both languages)."""

NPV_ROWS = (
    ("p_h", N_("Sandsynlighed for tilbagebetaling inden for horisonten (totaløkonomi)")),
    ("p_s", N_("Sandsynlighed for tilbagebetaling inden for horisonten (serviceeffektivisering)")),
    ("mean", N_("Nutidsværdi, middel")),
    ("p5", N_("Nutidsværdi, P5")),
    ("p50", N_("Nutidsværdi, P50 (median)")),
    ("p95", N_("Nutidsværdi, P95")),
    ("p_pos", N_("Sandsynlighed for positiv nutidsværdi")),
)


def probability_statement(sim: Simulation, lang: str = "da") -> str:
    """The sentence a decision maker reads first: how often the case pays back, and how often
    its NPV is positive."""
    tr = translator(lang)
    p_h = format_percent(sim.p_payback("total"), 0, lang)
    p_npv = format_percent(sim.npv_summary()["p_positive"], 0, lang)
    runs = format_number(sim.draws, 0, lang)
    t = sim.target
    if t is None:
        return tr(
            "Med de angivne usikkerheder tjener casen sig hjem inden for horisonten i {p} af "
            "{runs} simulerede forløb. Nutidsværdien er positiv i {p_npv} af forløbene "
            "(totaløkonomi).",
            p=p_h,
            runs=runs,
            p_npv=p_npv,
        )
    return tr.ngettext(
        "Med de angivne usikkerheder tjener casen sig hjem inden for horisonten i {p} af "
        "{runs} simulerede forløb, og inden for {n} år i {p_t}. Nutidsværdien er positiv i "
        "{p_npv} af forløbene (totaløkonomi).",
        "Med de angivne usikkerheder tjener casen sig hjem inden for horisonten i {p} af "
        "{runs} simulerede forløb, og inden for {n} år i {p_t}. Nutidsværdien er positiv i "
        "{p_npv} af forløbene (totaløkonomi).",
        t,
        p=p_h,
        runs=runs,
        n=t,
        p_t=format_percent(sim.p_payback("total", t), 0, lang),
        p_npv=p_npv,
    )


def bounds(method: str) -> tuple[str, str]:
    """The labels of a tornado's low and high end: P10/P90, or min/max."""
    return BOUNDS[method]


def fan_spec(sim: Simulation, units: str, lang: str, cumulative: bool = False) -> ChartSpec:
    """Percentile bands of the yearly (or cumulative) net effect of a simulation."""
    tr = translator(lang)
    fan = sim.fan(cumulative)
    title = (
        tr("Kumuleret nettoeffekt, percentiler")
        if cumulative
        else tr("Årlig nettoeffekt, percentiler")
    )
    series = tuple(Series(k.upper(), tuple(fan[k]), k) for k in PERCENTILE_ROLES)
    cats = tuple(str(int(y)) for y in sim.years)
    return ChartSpec("fan", title, tr("År"), units, cats, series, lang)


def tornado_title(method: str, lang: str) -> str:
    tr = translator(lang)
    low, high = bounds(method)
    return tr(
        "Tornado: nutidsværdi med én parameter ad gangen ved {low} og {high}", low=low, high=high
    )


def tornado_spec(
    bars: Iterable[TornadoBar],
    base_npv: float,
    units: str,
    lang: str,
    method: str = "p10p90",
    labels: Mapping[str, str] | None = None,
) -> ChartSpec:
    """Bars from the base NPV to the NPV at each parameter's low and high end (P10 and P90,
    or min and max); `labels` gives the parameters' readable names (default: their ids)."""
    tr = translator(lang)
    bars = tuple(bars)
    names = labels or {}
    low, high = bounds(method)
    series = (
        Series(low, tuple(b.npv_low for b in bars), "low"),
        Series(high, tuple(b.npv_high for b in bars), "high"),
    )
    return ChartSpec(
        "tornado",
        tornado_title(method, lang),
        tr("Nutidsværdi ({units})", units=units),
        "",
        tuple(names.get(b.name, b.name) for b in bars),
        series,
        lang,
        reference=base_npv,
    )


def payback_spec(sim: Simulation, lang: str) -> ChartSpec:
    """Share of draws paying back in each year, and never ('–')."""
    tr = translator(lang)
    dist = sim.payback_distribution("total")
    cats = tuple(str(int(y)) for y in sim.years) + ("–",)
    values = tuple(dist[str(i + 1)] * 100 for i in range(len(sim.years))) + (dist["none"] * 100,)
    share = tr("% af trækningerne")
    return ChartSpec(
        "payback",
        tr("Tilbagebetalingsår (totaløkonomi); – = ikke inden for horisonten"),
        tr("År"),
        share,
        cats,
        (Series(share, values, "net"),),
        lang,
    )


def switching_cells(
    s: Switching, lang: str, labels: Mapping[str, str] | None = None
) -> tuple[Cell, Cell, Cell, Cell]:
    """Parameter (its readable name from `labels`), base value, switching value and change
    from base, formatted with the decimals they need (500, 581,6, 11,45)."""
    tr = translator(lang)
    name = (labels or {}).get(s.name, s.name)
    base = tr("pr. år") if s.base is None else _value(round(s.base, 2), lang, 2)
    if s.multiplier is None or s.change_pct is None:
        return Cell(name), Cell(base), Cell(tr("skifter ikke (0–5 × basis)")), Cell("–")
    value = (
        tr("{m} × basis", m=_value(round(s.multiplier, 2), lang, 2))
        if s.value is None
        else _value(round(s.value, 2), lang, 2)
    )
    return (
        Cell(name),
        Cell(base),
        Cell(value, s.value),
        Cell(format_percent(s.change_pct / 100, 1, lang), s.change_pct),
    )


def switching_table(
    rows: Iterable[Switching],
    number: int,
    caption: str,
    lang: str,
    key: str = "switching",
    labels: Mapping[str, str] | None = None,
) -> Table:
    tr = translator(lang)
    return Table(
        key,
        number,
        caption,
        (tr("Parameter"), tr("Basisværdi"), tr("Skifteværdi"), tr("Ændring")),
        tuple(TableRow(switching_cells(s, lang, labels)) for s in rows),
        (False, True, True, True),
        (2.0, 1.0, 1.5, 1.0),
    )


def npv_figures(sim: Simulation, lang: str) -> dict[str, str]:
    npv = sim.npv_summary()
    return {
        "p_h": format_percent(sim.p_payback("total"), 1, lang),
        "p_s": format_percent(sim.p_payback("service"), 1, lang),
        "mean": format_number(npv["mean"], 0, lang),
        "p5": format_number(npv["p5"], 0, lang),
        "p50": format_number(npv["p50"], 0, lang),
        "p95": format_number(npv["p95"], 0, lang),
        "p_pos": format_percent(npv["p_positive"], 1, lang),
    }


def npv_table(sim: Simulation, number: int, units: str, lang: str) -> Table:
    tr = translator(lang)
    figures = npv_figures(sim, lang)
    caption = tr("Nutidsværdi og tilbagebetaling under usikkerhed")
    return Table(
        "uncertainty",
        number,
        tr("Tabel {n}. {caption} ({units})", n=number, caption=caption, units=units),
        (tr("Mål"), tr("Værdi")),
        tuple(TableRow((Cell(tr(label)), Cell(figures[key]))) for key, label in NPV_ROWS),
        (False, True),
        (3.0, 1.0),
    )


def uncertainty_blocks(
    res: Results,
    sim: SimulationBundle,
    lang: str,
    units: str,
    next_table: Callable[[], int],
    next_figure: Callable[[], int],
) -> tuple[str, tuple[Block, ...]]:
    """Heading and blocks of the section, from the bundle (no simulation is run here);
    `next_table`/`next_figure` number them in the document."""
    tr = translator(lang)
    mc = sim.simulation
    case = res.case
    labels = parameter_labels(case, lang)
    names = list(mc.uncertain)
    base_npv = float(res.npv()[0])
    assumptions = assumptions_table(case, names, next_table(), lang)
    blocks: list[Block] = [
        Paragraph(probability_statement(mc, lang)),
        Note(
            tr(
                "Monte Carlo med {draws} trækninger (frø {seed}) gennem samme beregning som "
                "tabel 1; usikre parametre: {names}. Diskonteringsrente {rate}.",
                draws=format_number(mc.draws, 0, lang),
                seed=mc.seed,
                names=", ".join(labels.get(n, n) for n in names),
                rate=format_percent(case.discount.rate, 1, lang),
            )
        ),
        assumptions,
    ]
    note = assumptions_note(case, names, lang)
    if note is not None:
        blocks.append(note)
    blocks += [
        npv_table(mc, next_table(), units, lang),
        Paragraph(
            npv_difference(
                case, names, base_npv, mc.npv_summary()["mean"], assumptions.number, lang
            )
        ),
    ]
    fn = next_figure()
    fan = tr("Årlig nettoeffekt, percentiler")
    blocks.append(
        Figure(
            fn,
            tr("Figur {n}. {caption} ({units})", n=fn, caption=fan, units=units),
            fan_spec(mc, units, lang),
        )
    )
    spec = tornado_spec(sim.tornado, base_npv, units, lang, sim.tornado_method, labels)
    fn = next_figure()
    blocks.append(
        Figure(
            fn, tr("Figur {n}. {caption} ({units})", n=fn, caption=spec.title, units=units), spec
        )
    )
    num = next_table()
    caption = tr(
        "Skifteværdier: hvor langt hver parameter kan flytte sig, før nutidsværdien bliver 0"
    )
    blocks.append(
        switching_table(
            sim.switching_npv,
            num,
            tr("Tabel {n}. {caption}", n=num, caption=caption),
            lang,
            labels=labels,
        )
    )
    return tr("Usikkerhed og følsomhed"), tuple(blocks)
