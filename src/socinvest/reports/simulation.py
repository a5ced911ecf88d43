"""`simulate` and `sensitivity` as the user sees them, built from the bundles of
services/simulation.py: the terminal tables, the JSON (explicit keys, never NaN) and the
`simulate --html` page as a document of blocks (`ReportDocument(kind="simulation")`) that the
renderer registry writes; the JSON is in `simulation_json`. Nothing here simulates; every word
comes from the catalogue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from ..case.schema import Case
from ..i18n import translator
from ..numbers import format_number, format_percent
from ..services.simulation import SensitivityBundle, SimulationBundle
from ..uncertainty.sensitivity import Switching, TornadoBar
from ..uncertainty.simulate import Simulation
from .document import (
    Block,
    Cell,
    Figure,
    Note,
    Paragraph,
    ReportDocument,
    Section,
    Table,
    TableRow,
)
from .document.labels import parameter_labels
from .safetext import clean_text
from .table1 import caption
from .uncertainty_section import (
    bounds,
    fan_spec,
    npv_table,
    payback_spec,
    probability_statement,
    switching_cells,
    switching_table,
    tornado_spec,
)

if TYPE_CHECKING:
    from ..engine.results import Results

__all__ = [
    "print_sensitivity",
    "print_simulation",
    "probability_statement",
    "simulation_document",
]


def units_text(case: Case, lang: str) -> str:
    """'1.000 kr. 2016 p/l' (da) or '1,000 kr. 2016 prices' (en), as table 1 says it."""
    return caption(cast("Results", _HasCase(case)), lang)  # caption reads only `.case`


class _HasCase:
    def __init__(self, case: Case) -> None:
        self.case = case


# -- rows shared by the terminal and the page ----------------------------------------------


def _committee_name(case: Case, key: str, lang: str) -> str:
    tr = translator(lang)
    return case.committees.get(key) or tr("ikke fordelt")


def committee_rows(sim: Simulation, lang: str) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for name, s in sim.committee_summary().items():
        out.append(
            (
                _committee_name(sim.case, name, lang),
                format_percent(s["p_payback"], 1, lang),
                "–"
                if s["p_payback_target"] is None
                else format_percent(s["p_payback_target"], 1, lang),
                format_number(s["npv"]["p50"], 0, lang),
                format_percent(s["npv"]["p_positive"], 1, lang),
            )
        )
    return out


def committee_header(lang: str) -> tuple[str, ...]:
    tr = translator(lang)
    return (tr("udvalg"), tr("P(tilbagebetaling)"), tr("P(inden for mål)"), "NPV P50", "P(NPV > 0)")


def _pb(v: float) -> str:
    return "–" if v != v else f"{v:g}"


def tornado_header(method: str, lang: str) -> tuple[str, ...]:
    tr = translator(lang)
    low, high = bounds(method)
    return (
        tr("parameter"),
        low,
        high,
        tr("NPV ved {bound}", bound=low),
        tr("NPV ved {bound}", bound=high),
        tr("udsving"),
        tr("tilbagebet. {low}/{high}", low=low, high=high),
    )


def tornado_rows(bars: Iterable[TornadoBar], lang: str) -> list[tuple[str, ...]]:
    return [
        (
            b.name,
            format_number(b.low, 2, lang),
            format_number(b.high, 2, lang),
            format_number(b.npv_low, 0, lang),
            format_number(b.npv_high, 0, lang),
            format_number(b.swing, 0, lang),
            f"{_pb(b.payback_low)} / {_pb(b.payback_high)}",
        )
        for b in bars
    ]


def tornado_terminal_title(method: str, lang: str) -> str:
    tr = translator(lang)
    low, high = bounds(method)
    return tr("Tornado: NPV med én parameter ad gangen ved {low} og {high}", low=low, high=high)


def switching_npv_title(lang: str) -> str:
    tr = translator(lang)
    return tr("Skifteværdier: nutidsværdi = 0")


def switching_payback_title(target: int, lang: str) -> str:
    tr = translator(lang)
    return tr.ngettext(
        "Skifteværdier: tilbagebetaling inden for {n} år",
        "Skifteværdier: tilbagebetaling inden for {n} år",
        target,
        n=target,
    )


# -- terminal ------------------------------------------------------------------------------


def _print_table(
    console: Any,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    label_column: bool = False,
) -> None:
    """A rich table, every column right-aligned; with `label_column` the first column holds
    row labels (left-aligned) and the others are years (never wrapped)."""
    from rich.markup import escape
    from rich.table import Table as RichTable

    def text(s: str) -> str:  # committee names and titles come from the case file
        return escape(clean_text(s))

    t = RichTable(title=text(title), title_justify="left")
    header = [text(h) for h in header]
    rows = [[text(c) for c in r] for r in rows]
    for i, col in enumerate(header):
        if label_column and i == 0:
            t.add_column(col)
        elif label_column:
            t.add_column(col, justify="right", no_wrap=True)
        else:
            t.add_column(col, justify="right")
    for r in rows:
        t.add_row(*r)
    console.print(t)


def print_simulation(console: Any, bundle: SimulationBundle, lang: str = "da") -> None:
    """The Monte Carlo on the terminal: the statement, NPV, the fan, committees, tornado."""
    from rich.markup import escape

    tr = translator(lang)
    sim = bundle.simulation
    unit = units_text(sim.case, lang)
    console.print(f"[bold]{escape(clean_text(sim.case.title))}[/]")
    console.print(probability_statement(sim, lang))
    npv = sim.npv_summary()
    _print_table(
        console,
        tr(
            "Nutidsværdi ({unit}; {rate} p.a.)",
            unit=unit,
            rate=format_percent(sim.case.discount.rate, 1, lang),
        ),
        (tr("middel"), "sd", "P5", "P50", "P95", "P(NPV > 0)"),
        [
            (
                *[format_number(npv[k], 0, lang) for k in ("mean", "sd", "p5", "p50", "p95")],
                format_percent(npv["p_positive"], 1, lang),
            )
        ],
    )
    fan = sim.fan()
    _print_table(
        console,
        tr("Årlig nettoeffekt, percentiler ({unit}; besparelser negative)", unit=unit),
        ("", *[str(int(y)) for y in sim.years]),
        [(k.upper(), *[format_number(v, 0, lang) for v in fan[k]]) for k in ("p5", "p50", "p95")],
        label_column=True,
    )
    _print_table(console, tr("Pr. udvalg"), committee_header(lang), committee_rows(sim, lang))
    if bundle.tornado:
        print_tornado(console, bundle.tornado, bundle.tornado_method, lang)


def print_tornado(
    console: Any, bars: Sequence[TornadoBar], method: str = "p10p90", lang: str = "da"
) -> None:
    _print_table(
        console,
        tornado_terminal_title(method, lang),
        tornado_header(method, lang),
        tornado_rows(bars, lang),
    )


def print_switching(console: Any, rows: Iterable[Switching], title: str, lang: str = "da") -> None:
    tr = translator(lang)
    _print_table(
        console,
        title,
        (tr("parameter"), tr("basis"), tr("skifteværdi"), tr("ændring")),
        [tuple(c.text for c in switching_cells(s, lang)) for s in rows],
    )


def print_sensitivity(console: Any, sens: SensitivityBundle, lang: str = "da") -> None:
    """The tornado (when the case states uncertainty) and both tables of switching values."""
    if sens.tornado:
        print_tornado(console, sens.tornado, sens.tornado_method, lang)
    print_switching(console, sens.switching_npv, switching_npv_title(lang), lang)
    print_switching(
        console, sens.switching_payback, switching_payback_title(sens.payback_target, lang), lang
    )


# -- the page (simulate --html) -------------------------------------------------------------


def _table(
    key: str,
    number: int,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    lang: str,
) -> Table:
    tr = translator(lang)
    header = tuple(header)
    return Table(
        key,
        number,
        tr("Tabel {n}. {caption}", n=number, caption=title),
        header,
        tuple(TableRow(tuple(Cell(c) for c in r)) for r in rows),
        (False,) + (True,) * (len(header) - 1),
        (2.0,) + (1.0,) * (len(header) - 1),
    )


def simulation_document(bundle: SimulationBundle, lang: str = "da") -> ReportDocument:
    """The page of `simulate --html`: statement, NPV, committees, fans, payback, tornado and
    switching values, numbered as tables and figures."""
    tr = translator(lang)
    sim = bundle.simulation
    case = sim.case
    unit = units_text(case, lang)
    tables = iter(range(1, 100))
    figures = iter(range(1, 100))

    def figure(caption_: str, spec: Any) -> Figure:
        n = next(figures)
        return Figure(n, tr("Figur {n}. {caption}", n=n, caption=caption_), spec)

    summary: list[Block] = [
        Paragraph(probability_statement(sim, lang)),
        Note(
            tr(
                "{draws} trækninger, frø {seed}, {unit}. Diskonteringsrente {rate}. Usikre "
                "parametre: {names}.",
                draws=format_number(sim.draws, 0, lang),
                seed=sim.seed,
                unit=unit,
                rate=format_percent(case.discount.rate, 1, lang),
                names=", ".join(sim.uncertain),
            )
        ),
        npv_table(sim, next(tables), unit, lang),
        _table(
            "committees",
            next(tables),
            tr("Pr. udvalg"),
            committee_header(lang),
            committee_rows(sim, lang),
            lang,
        ),
    ]
    charts: list[Block] = [
        figure(tr("Årlig nettoeffekt (vifte)"), fan_spec(sim, unit, lang)),
        figure(tr("Kumuleret nettoeffekt (vifte)"), fan_spec(sim, unit, lang, cumulative=True)),
        figure(tr("Tilbagebetalingstid"), payback_spec(sim, lang)),
    ]
    sensitivity: list[Block] = []
    method = bundle.tornado_method
    if bundle.tornado:
        spec = tornado_spec(
            bundle.tornado, bundle.base_npv, unit, lang, method, parameter_labels(case, lang)
        )
        charts.append(figure(spec.title, spec))
        sensitivity.append(
            _table(
                "tornado",
                next(tables),
                tornado_terminal_title(method, lang),
                tornado_header(method, lang),
                tornado_rows(bundle.tornado, lang),
                lang,
            )
        )
    else:
        charts.append(Paragraph(tr("Ingen usikre parametre.")))
    for key, title, rows in (
        ("switching", switching_npv_title(lang), bundle.switching_npv),
        (
            "switching_payback",
            switching_payback_title(bundle.payback_target, lang),
            bundle.switching_payback,
        ),
    ):
        n = next(tables)
        sensitivity.append(
            switching_table(
                rows,
                n,
                tr("Tabel {n}. {caption}", n=n, caption=title),
                lang,
                key,
                parameter_labels(case, lang),  # readable names, not ids
            )
        )
    return ReportDocument(
        lang=lang,
        title=case.title,
        kicker=tr("Usikkerhed og følsomhed"),
        sections=(
            Section("summary", "", tuple(summary)),
            Section("charts", "", tuple(charts)),
            Section("sensitivity", "", tuple(sensitivity)),
        ),
        footer=tr("Beregnet med socinvest (sag {id}).", id=case.id),
        units=unit,
        kind="simulation",
        origin=bundle,
    )
