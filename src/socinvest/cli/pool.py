"""`socinvest pool …`: the investment pool (investeringspulje) on the command line.

A typer sub-app, registered in cli.py with `app.add_typer(pool_app, name="pool")`. Only typer
and the standard library are imported here; each command imports what it needs. Exit codes
like `check`: 0 no error findings, 1 error findings, 2 unusable input (InputError, turned into
one line by cli.main).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

pool_app = typer.Typer(
    name="pool",
    help="Investeringspuljen: status, fremskrivning med risiko og udvælgelse af ansøgninger.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_DRAWS = 10_000
"""The same as socinvest.uncertainty.defaults.DEFAULT_DRAWS (a test keeps them equal)."""


class Lang(StrEnum):
    """Like cli.Lang (not imported from there: cli.py imports this module)."""

    da = "da"
    en = "en"


class Objective(StrEnum):
    npv = "npv"
    savings = "savings"


PoolArg = Annotated[Path, typer.Argument(help="Puljefil (.yaml), se docs/pool.md.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Skriv resultatet som JSON på stdout.")]
ChartOpt = Annotated[
    Path | None,
    typer.Option("--chart", help="Tegn puljens saldo pr. år i en fil (.png eller .svg)."),
]
OutOpt = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Skriv en rapport: .xlsx, .html eller .docx."),
]
DrawsOpt = Annotated[
    int,
    typer.Option(
        "--draws", "-n", min=0, help="Antal trækninger til risiko (0: kun den faste beregning)."
    ),
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Frø: samme frø giver samme tal.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Sprog i output: da (dansk) eller en.")]


def _console():
    from socinvest.cli.console import console

    return console(220)


def _finish(doc, as_json: bool, data: dict, chart: Path | None, output: Path | None) -> None:
    from socinvest.checks.findings import has_error
    from socinvest.reports.pool.document import findings_json
    from socinvest.reports.pool.faces import print_document, write_chart, write_report
    from socinvest.reports.pool.labels import labels

    written = []
    if chart is not None:
        written.append(write_chart(doc, chart))
    if output is not None:
        written.append(write_report(doc, output))
    if as_json:
        data = {**data, "findings": findings_json(doc.findings)}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        console = _console()
        print_document(console, doc)
        for p in written:
            console.print(labels(doc.lang)["written"].format(path=p))
    raise typer.Exit(1 if has_error(doc.findings) else 0)


@pool_app.command()
def status(
    pool: PoolArg,
    as_json: JsonOpt = False,
    chart: ChartOpt = None,
    output: OutOpt = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Puljens regnskab pr. år for de bevilgede ansøgninger (primo, bevillinger,
    tilbagebetalinger, indskud, ultimo) og hver ansøgnings bevilling, tilbagebetaling og
    restgæld; alle ansøgninger, der ikke er afvist, kontrolleres mod puljens regler.
    Exit 0: ingen fejl; 1: fejl fundet; 2: input kan ikke læses."""
    from socinvest.reports.pool.document import ledger_json, status_document
    from socinvest.pool.ledger import build_ledger
    from socinvest.pool.load import load_pool
    from socinvest.pool.rules import check_pool

    led = build_ledger(load_pool(pool), scope="approved")
    findings = check_pool(led, lang.value)
    _finish(status_document(led, findings, lang.value), as_json, ledger_json(led), chart, output)


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
    lang: LangOpt = Lang.da,
) -> None:
    """Fremskrivning af puljen med verserende ansøgninger som bevilget, og risiko: hver case
    simuleres (Monte Carlo), tilbagebetalinger som andel af besparelser falder med
    besparelserne; saldoens P5/P50/P95 pr. år og sandsynligheden for, at hver case betaler
    tilbage efter planen."""
    from socinvest.reports.pool.document import projection_document, projection_json
    from socinvest.pool.load import load_pool
    from socinvest.pool.risk import project as run_projection
    from socinvest.pool.rules import check_pool

    scope = "approved" if approved_only else "approved+pending"
    proj = run_projection(load_pool(pool), scope, draws, seed)
    findings = check_pool(proj.base, lang.value)
    _finish(
        projection_document(proj, findings, lang.value),
        as_json,
        projection_json(proj),
        chart,
        output,
    )


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
    lang: LangOpt = Lang.da,
) -> None:
    """Sammenlign ansøgningerne og vælg det sæt, der giver størst forventet nutidsværdi (eller
    nettobesparelse) inden for puljens kapital år for år og dens regler – løst eksakt som
    heltalsprogram. Siger med ord, hvorfor hver case er inde eller ude, og hvad det koster at
    vælge anderledes."""
    from socinvest.reports.pool.document import selection_document, selection_json
    from socinvest.pool.ledger import build_ledger
    from socinvest.pool.load import load_pool
    from socinvest.pool.portfolio import select as run_selection
    from socinvest.pool.risk import project as run_projection
    from socinvest.pool.rules import check_pool

    lp = load_pool(pool)
    proj = run_projection(lp, "approved+pending", draws, seed) if draws > 0 else None
    sel = run_selection(lp, objective.value, proj, lang=lang.value)
    chosen = set(sel.chosen)
    led = build_ledger(lp, include=chosen)
    findings = [f for f in check_pool(led, lang.value) if f.row in chosen or f.row == lp.pool.id]
    _finish(
        selection_document(sel, led, findings, lang.value),
        as_json,
        selection_json(sel),
        chart,
        output,
    )
