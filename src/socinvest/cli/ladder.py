"""`socinvest ladder …`: the intervention-ladder model on the command line (docs/ladder.md).

A face only: each command parses its options, asks `services.ladder` for a bundle, and shows
it — on the terminal, as JSON (`--json`), as a chart (`--chart`) or as a report file
(`-o/--output`, `--report` for `fit`) through the renderer registry. Only typer and the
standard library are imported here; every command imports what it needs, so the main CLI's
start-up stays light. Registered with `app.add_typer(ladder_app, name="ladder")`.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from socinvest.uncertainty.defaults import MAX_DRAWS

from .options import ForceOpt, JsonOpt, Lang, LangOpt
from .options import SeedOpt as _SharedSeed

if TYPE_CHECKING:
    from socinvest.reports.document.model import ReportDocument

ladder_app = typer.Typer(
    name="ladder",
    help="Indsatstrappen: fremskriv børn pr. trin, sammenlign strategier og tilpas overgange "
    "fra sagsdata (docs/ladder.md).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class SourceFormat(StrEnum):
    auto = "auto"
    csv = "csv"
    ssda903 = "ssda903"


class EntriesMode(StrEnum):
    constant = "constant"
    trend = "trend"


class Engine(StrEnum):
    markov = "markov"
    micro = "micro"


EngineOpt = Annotated[
    Engine,
    typer.Option(
        "--engine", help="markov (forventede tal) eller micro (simulering af enkelte børn)."
    ),
]
SeedOpt = _SharedSeed  # 0 … 2^32−1, declared once (cli/options.py)
ChartOpt = Annotated[
    Path | None, typer.Option("--chart", help="Skriv en figur (.png eller .svg) af børn pr. trin.")
]
ReportOpt = Annotated[
    Path | None,
    typer.Option(
        "-o", "--output", help="Skriv en rapport: .docx, .pdf, .html, .md, .xlsx eller .json."
    ),
]


def _show(
    doc: ReportDocument,
    lang: Lang,
    chart: Path | None,
    report: Path | None,
    force: bool = False,
    inputs: tuple = (),
) -> None:
    """Write the chart and the report file (if asked for) and show `doc` on the terminal."""
    from rich.markup import escape

    from socinvest.cli.console import console
    from socinvest.i18n import translator
    from socinvest.reports.ladder import labels as L
    from socinvest.reports.ladder.chart import write_chart
    from socinvest.reports.registry import render_file, render_terminal

    tr = translator(lang.value)
    if chart is not None:
        write_chart(doc, chart, overwrite=force, inputs=inputs)
    if report is not None:
        render_file(doc, report, overwrite=force, inputs=inputs)
    out = console()
    render_terminal(doc, out)
    if chart is not None:
        out.print(tr(L.CHART_WRITTEN, path=escape(str(chart))))
    if report is not None:
        out.print(tr(L.REPORT_WRITTEN, path=escape(str(report))))


def _echo_json(data: dict[str, Any]) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _check_files(
    chart: Path | None, report: Path | None, force: bool = False, inputs: tuple = ()
) -> None:
    """Refuse unusable output files before anything is computed (reports/write.py)."""
    from socinvest.reports.ladder.chart import CHART_SUFFIXES, check_chart_path
    from socinvest.reports.registry import check_report_path
    from socinvest.reports.write import check_output

    check_chart_path(chart)
    if chart is not None:
        check_output(chart, CHART_SUFFIXES, overwrite=force, inputs=inputs)
    if report is not None:
        check_report_path(report, overwrite=force, inputs=inputs)


# Options of the episode-reading commands (fit, backtest), declared once.
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="Eksportdato (ellers filens seneste dato).")
]
AgeBandsOpt = Annotated[
    str | None, typer.Option("--age-bands", help="Aldersgrænser i år, fx 0,3,6,12,15.")
]
DurationBandsOpt = Annotated[
    str | None, typer.Option("--duration-bands", help="Grænser i måneder i trin, fx 0,6,7,12.")
]
MaxAgeOpt = Annotated[int, typer.Option("--max-age", min=1, max=30, help="Udgangsalder.")]
GapOpt = Annotated[
    int, typer.Option("--gap", min=0, help="Dage mellem to forløb der stadig er en flytning.")
]


@ladder_app.command()
def project(
    path: Annotated[Path, typer.Argument(help="Befolkningsfil eller scenariefil (.yaml).")],
    engine: EngineOpt = Engine.markov,
    seed: SeedOpt = 0,
    years: Annotated[
        int | None, typer.Option("--years", min=1, max=60, help="Antal år (ellers filens).")
    ] = None,
    draws: Annotated[
        int,
        typer.Option(
            "--draws",
            "-n",
            min=0,
            max=MAX_DRAWS,
            help="Monte Carlo-trækninger over usikre priser, effekter og tilpassede rater "
            "(0 = ingen; P5/P50/P95 af børn og udgift).",
        ),
    ] = 0,
    chart: ChartOpt = None,
    output: ReportOpt = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Fremskriv børn pr. trin, anbringelsesmiks og udgift pr. år. En scenariefil
    fremskrives med sine ændringer; en befolkningsfil som den er."""
    from socinvest.reports.ladder.document import projection_document
    from socinvest.reports.ladder.json import projection_json
    from socinvest.services.ladder import projection_bundle

    inputs = (path,)
    _check_files(chart, output, force, inputs)
    bundle = projection_bundle(path, engine=engine.value, seed=seed, years=years, draws=draws)
    if as_json:
        if chart is not None or output is not None:
            _files_only(projection_document(bundle, lang.value), chart, output, force, inputs)
        _echo_json(projection_json(bundle))
        return
    _show(projection_document(bundle, lang.value), lang, chart, output, force, inputs)


@ladder_app.command()
def compare(
    scenario: Annotated[Path, typer.Argument(help="Scenariefil (.yaml) med 'baseline:'.")],
    engine: EngineOpt = Engine.markov,
    seed: SeedOpt = 0,
    draws: Annotated[
        int,
        typer.Option(
            "--draws",
            "-n",
            min=0,
            max=MAX_DRAWS,
            help="Monte Carlo-trækninger over usikre priser og effekter (0 … 10^7).",
        ),
    ] = 200,
    chart: ChartOpt = None,
    output: ReportOpt = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Basis mod strategi: børn pr. trin, anbringelsesmiks, udgift og besparelse pr. år, og
    (med usikre priser eller effekter) middel, P5 og P95 af besparelsen."""
    from socinvest.reports.ladder.document import comparison_document
    from socinvest.reports.ladder.json import comparison_json
    from socinvest.services.ladder import comparison_bundle

    inputs = (scenario,)
    _check_files(chart, output, force, inputs)
    bundle = comparison_bundle(scenario, engine=engine.value, seed=seed, draws=draws)
    if as_json:
        if chart is not None or output is not None:
            _files_only(comparison_document(bundle, lang.value), chart, output, force, inputs)
        _echo_json(comparison_json(bundle))
        return
    _show(comparison_document(bundle, lang.value), lang, chart, output, force, inputs)


def _files_only(
    doc: ReportDocument,
    chart: Path | None,
    report: Path | None,
    force: bool = False,
    inputs: tuple = (),
) -> None:
    """With --json, the chart and report files are written but nothing else is printed."""
    from socinvest.reports.ladder.chart import write_chart
    from socinvest.reports.registry import render_file

    if chart is not None:
        write_chart(doc, chart, overwrite=force, inputs=inputs)
    if report is not None:
        render_file(doc, report, overwrite=force, inputs=inputs)


def _edges(text: str | None, what: str) -> list[int] | None:
    from socinvest.errors import InputError
    from socinvest.i18n import Msg

    if text is None:
        return None
    try:
        return [int(x) for x in text.replace(" ", "").split(",") if x]
    except ValueError:
        raise InputError(
            Msg("--{what}: skriv hele tal adskilt af komma, fx 0,3,6,12", what=what)
        ) from None


@ladder_app.command()
def fit(
    episodes: Annotated[Path, typer.Argument(help="Forløb fra sagssystemet (.csv).")],
    ladder: Annotated[
        Path | None,
        typer.Option("--ladder", help="Trappens definition (ellers standardtrappen)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Skriv en befolkningsfil (.yaml).")
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", help="Skriv en rapport: .docx, .pdf, .html, .md, .xlsx eller .json."
        ),
    ] = None,
    as_of: AsOfOpt = None,
    age_bands: AgeBandsOpt = None,
    duration_bands: DurationBandsOpt = None,
    max_age: MaxAgeOpt = 18,
    gap: GapOpt = 31,
    observed_from: Annotated[
        str | None,
        typer.Option(
            "--observed-from",
            help="Udtrækkets første dato: kun tid, hændelser og nye børn fra den tæller "
            "(ellers det første forløbs start).",
        ),
    ] = None,
    codes: Annotated[
        Path | None,
        typer.Option("--codes", help="Kodefil: kildens koder -> trin (data/ladder_codes_*.yaml)."),
    ] = None,
    source_format: Annotated[
        SourceFormat,
        typer.Option("--format", help="auto, csv (projektets) eller ssda903 (CHILD, DECOM, …)."),
    ] = SourceFormat.auto,
    entries: Annotated[
        EntriesMode,
        typer.Option("--entries", help="Nye børn: constant (gennemsnittet) eller trend."),
    ] = EntriesMode.constant,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Estimér nye børn pr. år og overgange pr. måned (hændelser / eksponering, med
    censurering af åbne forløb og 95 %-intervaller) fra en eksport af forløb. Kolonner:
    child_id, birth_date (eller birth_year eller age), step, start, end (tom = åbent
    forløb); eller en SSDA903-tabel."""
    from socinvest.errors import InputError
    from socinvest.i18n import Join, translator
    from socinvest.ladder.fit import DateError, parse_date
    from socinvest.reports.ladder import labels as L
    from socinvest.reports.ladder.document import fit_document
    from socinvest.reports.ladder.json import fit_json
    from socinvest.reports.write import safe_write
    from socinvest.services.ladder import fit_bundle

    inputs = (episodes, ladder, codes)
    _check_files(None, report, force, inputs)
    if output is not None:
        from socinvest.reports.write import check_output

        check_output(output, (".yaml", ".yml"), overwrite=force, inputs=inputs)
    dates = {}
    for name, text in (("--as-of", as_of), ("--observed-from", observed_from)):
        if text:
            try:
                dates[name] = parse_date(text)
            except DateError as e:
                raise InputError(Join((f"{name}: ", e.message))) from None
    bundle = fit_bundle(
        episodes,
        ladder,
        _edges(age_bands, "age-bands"),
        _edges(duration_bands, "duration-bands"),
        max_age,
        dates.get("--as-of"),
        gap,
        output,
        observed_from=dates.get("--observed-from"),
        codes=codes,
        source_format=source_format.value,
        entries=entries.value,
    )
    if output is not None:
        text = bundle.population_yaml

        def produce(tmp: Path) -> None:
            tmp.write_text(text, encoding="utf-8")

        safe_write(output, produce, overwrite=force, inputs=inputs)
    if as_json:
        if report is not None:
            _files_only(fit_document(bundle, lang.value), None, report, force, inputs)
        _echo_json(fit_json(bundle))
        return
    _show(fit_document(bundle, lang.value), lang, None, report, force, inputs)
    if output is not None:
        from rich.markup import escape

        from socinvest.cli.console import console

        console().print(translator(lang.value)(L.POPULATION_WRITTEN, path=escape(str(output))))


@ladder_app.command()
def backtest(
    episodes: Annotated[Path, typer.Argument(help="Forløb fra sagssystemet eller registret.")],
    at: Annotated[
        str, typer.Option("--at", help="Tilpas på data før denne dato (1. januar), fx 2022-01-01.")
    ],
    ladder: Annotated[
        Path | None,
        typer.Option("--ladder", help="Trappens definition (ellers standardtrappen)."),
    ] = None,
    age_bands: AgeBandsOpt = None,
    duration_bands: DurationBandsOpt = None,
    max_age: MaxAgeOpt = 18,
    gap: GapOpt = 31,
    as_of: AsOfOpt = None,
    draws: Annotated[
        int,
        typer.Option(
            "--draws",
            "-n",
            min=0,
            max=100_000,
            help="Trækninger af raterne fra deres posteriorfordeling (intervallet P5–P95).",
        ),
    ] = 200,
    seed: SeedOpt = 0,
    chart: ChartOpt = None,
    output: ReportOpt = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Back-test: tilpas på forløbene før --at, fremskriv til datas slutning og sammenlign
    med det observerede pr. trin, pr. aldersgruppe og pr. år, med fejl og dækning af
    intervallet."""
    from socinvest.errors import InputError
    from socinvest.i18n import Join
    from socinvest.ladder.fit import DateError, parse_date
    from socinvest.reports.ladder.document import backtest_document
    from socinvest.reports.ladder.json import backtest_json
    from socinvest.services.ladder import backtest_bundle

    inputs = (episodes, ladder)
    _check_files(chart, output, force, inputs)
    dates = {}
    for name, text in (("--at", at), ("--as-of", as_of)):
        if text is not None:
            try:
                dates[name] = parse_date(text)
            except DateError as e:
                raise InputError(Join((f"{name}: ", e.message))) from None
    bundle = backtest_bundle(
        episodes,
        dates["--at"],
        ladder,
        _edges(age_bands, "age-bands"),
        _edges(duration_bands, "duration-bands"),
        max_age,
        gap,
        draws,
        seed,
        dates.get("--as-of"),
    )
    if as_json:
        if chart is not None or output is not None:
            _files_only(backtest_document(bundle, lang.value), chart, output, force, inputs)
        _echo_json(backtest_json(bundle))
        return
    _show(backtest_document(bundle, lang.value), lang, chart, output, force, inputs)
