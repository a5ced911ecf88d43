"""`socinvest pool …`: the investment pool (investeringspulje) on the command line.

A typer sub-app, registered in cli/main.py with `app.add_typer(pool_app, name="pool")`. Each
command parses its options, asks `services.pool` for the bundle (computed once), and renders
it: the terminal or `--json`, a report file (`-o`, any format of the renderer registry) and the
balance chart (`--chart`). Only typer and the standard library are imported at start; each
command imports what it needs. Exit codes like `check`: 0 no error findings, 1 error findings,
2 unusable input (InputError, worded in the command's language by cli.main).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from socinvest.cli.options import DrawsOrNoneOpt, ForceOpt, JsonOpt, Lang, LangOpt, SeedOpt

if TYPE_CHECKING:
    from socinvest.services.pool import PoolBundle

pool_app = typer.Typer(
    name="pool",
    help="Investeringspuljen: status, fremskrivning med risiko og udvælgelse af ansøgninger.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_DRAWS = 10_000
"""The same as socinvest.uncertainty.defaults.DEFAULT_DRAWS (a test keeps them equal)."""


class Objective(StrEnum):
    npv = "npv"
    savings = "savings"


PoolArg = Annotated[Path, typer.Argument(help="Puljefil (.yaml), se docs/pool.md.")]
ChartOpt = Annotated[
    Path | None,
    typer.Option("--chart", help="Tegn puljens saldo pr. år i en fil (.png eller .svg)."),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "-o", "--output", help="Skriv en rapport: .docx, .xlsx, .pdf, .html, .md eller .json."
    ),
]
DrawsOpt = DrawsOrNoneOpt


def _check_files(pool: Path, chart: Path | None, output: Path | None, force: bool) -> None:
    """Refuse unusable output files before anything is computed (reports/write.py)."""
    from socinvest.reports.pool.chart import CHART_SUFFIXES
    from socinvest.reports.registry import check_report_path
    from socinvest.reports.write import check_output

    if chart is not None:
        suffix = chart.suffix.lower()
        if suffix not in CHART_SUFFIXES:  # the chart writer's own words
            from socinvest.errors import InputError
            from socinvest.i18n import Msg

            raise InputError(
                Msg(
                    "{path}: ukendt figurformat {suffix}; brug .png eller .svg",
                    path=str(chart),
                    suffix=repr(suffix) if suffix else Msg("(ingen endelse)"),
                )
            )
        check_output(chart, overwrite=force, inputs=[pool])
    if output is not None:
        check_report_path(output, overwrite=force, inputs=[pool])


def _show(
    bundle: PoolBundle,
    lang: str,
    as_json: bool,
    chart: Path | None,
    output: Path | None,
    force: bool = False,
    pool: Path | None = None,
) -> None:
    """Render the bundle on every face asked for; exit 1 if it has error findings."""
    from socinvest.checks.findings import has_error
    from socinvest.i18n import translator
    from socinvest.reports.pool.chart import write_chart
    from socinvest.reports.pool.data import bundle_json
    from socinvest.reports.pool.document import pool_document
    from socinvest.reports.registry import render_file, render_terminal

    doc = pool_document(bundle, lang)
    written = []
    inputs = (pool,)
    if chart is not None:
        written.append(write_chart(doc, chart, overwrite=force, inputs=inputs))
    if output is not None:
        written.append(render_file(doc, output, overwrite=force, inputs=inputs))
    if as_json:
        typer.echo(json.dumps(bundle_json(bundle, lang), ensure_ascii=False, indent=2))
    else:
        from socinvest.cli.console import console as make_console

        console = make_console(220)
        render_terminal(doc, console)
        tr = translator(lang)
        from rich.markup import escape

        for p in written:
            console.print(tr("Skrevet: {path}", path=escape(str(p))))
    raise typer.Exit(1 if has_error(list(bundle.findings)) else 0)


@pool_app.command()
def status(
    pool: PoolArg,
    as_json: JsonOpt = False,
    chart: ChartOpt = None,
    output: OutOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Puljens regnskab pr. år for de bevilgede ansøgninger (primo, bevillinger,
    tilbagebetalinger, indskud, ultimo) og hver ansøgnings bevilling, tilbagebetaling og
    restgæld; alle ansøgninger, der ikke er afvist, kontrolleres mod puljens regler.
    Exit 0: ingen fejl; 1: fejl fundet; 2: input kan ikke læses."""
    from socinvest.services.pool import load_pool, pool_status

    _check_files(pool, chart, output, force)
    _show(pool_status(load_pool(pool)), lang.value, as_json, chart, output, force, pool)


@pool_app.command()
def project(
    pool: PoolArg,
    draws: DrawsOpt = DEFAULT_DRAWS,
    seed: SeedOpt = 0,
    approved_only: Annotated[
        bool,
        typer.Option("--approved-only", help="Kun bevilgede ansøgninger (ellers også verserende)."),
    ] = False,
    as_json: JsonOpt = False,
    chart: ChartOpt = None,
    output: OutOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Fremskrivning af puljen med verserende ansøgninger som bevilget, og risiko: hver case
    simuleres (Monte Carlo), tilbagebetalinger som andel af besparelser falder med
    besparelserne; saldoens P5/P50/P95 pr. år og sandsynligheden for, at hver case betaler
    tilbage efter planen."""
    from socinvest.services.pool import load_pool, pool_projection

    _check_files(pool, chart, output, force)
    scope = "approved" if approved_only else "approved+pending"
    bundle = pool_projection(load_pool(pool), scope, draws, seed)
    _show(bundle, lang.value, as_json, chart, output, force, pool)


@pool_app.command()
def select(
    pool: PoolArg,
    objective: Annotated[
        Objective,
        typer.Option(
            "--objective", help="npv: forventet nutidsværdi; savings: nettobesparelse i perioden."
        ),
    ] = Objective.npv,
    draws: DrawsOpt = DEFAULT_DRAWS,
    seed: SeedOpt = 0,
    as_json: JsonOpt = False,
    chart: ChartOpt = None,
    output: OutOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Sammenlign ansøgningerne og vælg det sæt, der giver størst forventet nutidsværdi (eller
    nettobesparelse) inden for puljens kapital år for år og dens regler – løst eksakt som
    heltalsprogram. Siger med ord, hvorfor hver case er inde eller ude, og hvad det koster at
    vælge anderledes."""
    from socinvest.services.pool import load_pool, pool_selection

    _check_files(pool, chart, output, force)
    bundle = pool_selection(load_pool(pool), objective.value, draws, seed)
    _show(bundle, lang.value, as_json, chart, output, force, pool)
