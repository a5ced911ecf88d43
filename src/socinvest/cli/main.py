"""The command-line face. Thin: it parses arguments, calls library functions and prints.

Heavy or optional modules are imported inside the commands that need them, so that start-up
stays light (`socinvest check TABLE` runs well under half a second as a whole process).
Exit codes: 0 fine, 1 error findings, 2 unusable input (one line, never a traceback).
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from socinvest.errors import InputError
from socinvest.uncertainty.defaults import DEFAULT_CHUNK, DEFAULT_DRAWS, PROGRESS_FROM

app = typer.Typer(
    name="socinvest",
    help="Byg, kontrollér og stresstest sociale investeringscases "
    "(build, check and stress-test social investment business cases).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

CASE_SUFFIXES = (".yaml", ".yml")

# Sub-apps import only typer at module level: their commands import what they need.
from socinvest.cli.ladder import ladder_app  # noqa: E402
from socinvest.cli.pool import pool_app  # noqa: E402

app.add_typer(ladder_app, name="ladder")
app.add_typer(pool_app, name="pool")


class Lang(StrEnum):
    da = "da"
    en = "en"


LangOpt = Annotated[Lang, typer.Option("--lang", help="Sprog i output: da (dansk) eller en.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Skriv resultatet som JSON på stdout.")]


def _console():
    from socinvest.cli.console import console

    return console()


@app.command()
def check(
    path: Annotated[
        Path, typer.Argument(help="En case-fil (.yaml) eller en indsat tabel (tekst).")
    ],
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Kontrollér en case-fil eller en tabel kopieret fra Word, PDF eller Excel.

    Summer, fortegn, fordelingsnøgler og tilbagebetalingstid genberegnes og sammenlignes med
    de angivne tal. Exit 0: ingen fejl; 1: fejl fundet; 2: input kan ikke læses.
    """
    from socinvest.checks.findings import has_error
    from socinvest.reports.check import render, to_json

    if path.suffix.lower() in CASE_SUFFIXES:
        from socinvest.case.load import load_case
        from socinvest.checks.case import check_case

        report = check_case(load_case(path))
    else:
        from socinvest.checks.table import check_table_file

        report = check_table_file(path)
    if as_json:
        typer.echo(json.dumps(to_json(report), ensure_ascii=False, indent=2))
    else:
        render(_console(), report)
    raise typer.Exit(1 if has_error(report.findings) else 0)


@app.command()
def show(
    case: Annotated[Path, typer.Argument(help="Case-fil (.yaml).")],
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Vis casens tabel 1 (forslagets samlede økonomiske konsekvenser) i skabelonens layout."""
    from socinvest.case.load import load_case
    from socinvest.engine.resolve import evaluate

    res = evaluate(load_case(case))
    if as_json:
        from socinvest.reports.json_results import results_json

        typer.echo(json.dumps(results_json(res), ensure_ascii=False, indent=2))
        return
    from socinvest.reports.terminal import print_table1

    print_table1(_console(), res, lang.value)


@app.command()
def report(
    case: Annotated[Path, typer.Argument(help="Case-fil (.yaml).")],
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="Rapportfil: .docx, .xlsx, .pdf, .html eller .md."),
    ],
    lang: LangOpt = Lang.da,
) -> None:
    """Skriv casen som dokument i kommunens skabelon; filendelsen vælger formatet."""
    from socinvest.case.load import load_case
    from socinvest.engine.resolve import evaluate
    from socinvest.reports.write import write_report

    path = write_report(evaluate(load_case(case)), output, lang.value)
    typer.echo(f"Rapport skrevet: {path}")


@app.command("import")
def import_(
    tables: Annotated[
        list[Path],
        typer.Argument(help="Tabeller: tekst kopieret fra Word/PDF (.txt) eller .xlsx[#ark]."),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Case-filen der skrives (.yaml).")],
    case_id: Annotated[str | None, typer.Option("--id", help="Casens id.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Casens titel.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overskriv en eksisterende fil.")] = False,
) -> None:
    """Lav en case-fil af eksisterende tabeller. Flere tabeller fra samme dokument flettes til
    én case; totaler, nøgler og tilbagebetalingstid gemmes som angivne tal, så `check` på
    casen finder det samme som `check` på tabellerne."""
    from socinvest.io.importer import import_to_file

    path = import_to_file(tables, output, case_id, title, force=force)
    typer.echo(f"Case-fil skrevet: {path} – kontrollér den med: socinvest check {path}")


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Skriv til fil i stedet for stdout.")
    ] = None,
) -> None:
    """Udskriv JSON Schema for case-filer (til editorens validering og autofuldførelse)."""
    from socinvest.case.schema import json_schema

    text = json.dumps(json_schema(), ensure_ascii=False, indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        typer.echo(text)


@app.command()
def run(
    folder: Annotated[Path, typer.Argument(help="Mappe med case-filer.")] = Path("examples"),
    reports: Annotated[
        Path | None,
        typer.Option(
            "--reports", help="Skriv rapporter (docx, xlsx, pdf, html, md) i denne mappe."
        ),
    ] = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Hovedjobbet: beregn og kontrollér alle cases i en mappe, vis deres tabel 1 og skriv
    eventuelt deres rapporter."""
    from socinvest.case.load import load_case
    from socinvest.checks.case import check_case
    from socinvest.reports.check import render
    from socinvest.engine.resolve import evaluate
    from socinvest.reports.terminal import print_table1

    if not folder.is_dir():
        raise InputError(f"{folder}: mappen findes ikke")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in CASE_SUFFIXES)
    if not files:
        raise InputError(f"{folder}: ingen case-filer (*.yaml) i mappen")
    console = _console()
    for p in files:
        res = evaluate(load_case(p))
        console.rule(f"[bold]{res.case.title}[/] ({p.name})")
        print_table1(console, res, lang.value)
        render(console, check_case(res.case, res))
        if reports is not None:
            from socinvest.reports.write import FORMATS, write_report

            reports.mkdir(parents=True, exist_ok=True)
            for suffix in FORMATS:
                write_report(res, reports / f"{p.stem}{suffix}", lang.value)
    if reports is not None:
        console.print(f"\nRapporter skrevet i {reports.resolve()} ({', '.join(FORMATS)}).")
    console.print(
        f"\n{len(files)} cases beregnet og kontrolleret. Fejl ovenfor er fejl i kildedokumenterne "
        "(de angivne tal), ikke i beregningen."
    )


@app.command()
def simulate(
    case: Annotated[Path, typer.Argument(help="Case-fil (.yaml) med usikre parametre.")],
    draws: Annotated[
        int, typer.Option("--draws", "-n", min=1, help="Antal trækninger.")
    ] = DEFAULT_DRAWS,
    seed: Annotated[int, typer.Option("--seed", help="Frø: samme frø giver samme tal.")] = 0,
    target: Annotated[
        int | None, typer.Option("--target", min=1, help="Mål for tilbagebetalingstid (år).")
    ] = None,
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", min=1, help="Trækninger pr. bid (begrænser hukommelse).")
    ] = DEFAULT_CHUNK,
    scheduler: Annotated[
        str, typer.Option("--scheduler", help="threads | dask | tcp://vært:port (Dask-klynge).")
    ] = "threads",
    html_out: Annotated[
        Path | None, typer.Option("--html", help="Skriv en HTML-rapport med vifte og tornado.")
    ] = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Monte Carlo: sandsynlighed for tilbagebetaling, fordeling af nutidsværdi og en vifte
    over den årlige nettoeffekt, også pr. udvalg. Samme frø og bidstørrelse giver samme tal,
    lokalt og på Dask."""
    from socinvest.case.load import load_case
    from socinvest.reports.simulation import print_simulation
    from socinvest.uncertainty.sensitivity import tornado
    from socinvest.uncertainty.simulate import simulate as run_simulation

    c = load_case(case)
    if not any(p.uncertainty for p in c.parameters.values()):
        raise InputError(
            f"{case}: ingen parametre har 'uncertainty'; tilføj fx "
            "uncertainty: {dist: triangular, min: 400, mode: 500, max: 650} (docs/uncertainty.md)"
        )
    console = _console()
    with _progress(console, draws, enabled=not as_json) as advance:
        sim = run_simulation(c, draws, seed, chunk_size, target, scheduler, progress=advance)
    bars = tornado(c)
    if html_out:
        from socinvest.reports.simulation import write_html
        from socinvest.uncertainty.sensitivity import switching_values

        write_html(html_out, sim, bars, switching_values(c), lang.value)
    if as_json:
        data = sim.to_json()
        data["tornado"] = [b.__dict__ | {"swing": b.swing} for b in bars]
        typer.echo(json.dumps(_finite(data), ensure_ascii=False, indent=2))
        return
    print_simulation(console, sim, bars, lang.value)
    if html_out:
        console.print(f"HTML-rapport skrevet: {html_out}")


@app.command()
def sensitivity(
    case: Annotated[Path, typer.Argument(help="Case-fil (.yaml).")],
    target: Annotated[
        int | None, typer.Option("--target", min=1, help="Mål for tilbagebetalingstid (år).")
    ] = None,
    minmax: Annotated[
        bool, typer.Option("--minmax", help="Tornado ved min/max i stedet for P10/P90.")
    ] = False,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Følsomhed: tornado (hver usikker parameter ved P10/P90) og skifteværdier (hvor langt
    hver parameter kan flytte sig, før nutidsværdien bliver 0 eller tilbagebetalingen
    overskrider målet), rangeret."""
    from socinvest.case.load import load_case
    from socinvest.reports.simulation import print_switching, print_tornado
    from socinvest.uncertainty.sensitivity import switching_values, tornado

    c = load_case(case)
    bars = tornado(c, "minmax" if minmax else "p10p90")
    npv_sw = switching_values(c, "npv")
    pb_target = target or len(c.horizon.years)
    pb_sw = switching_values(c, "payback", pb_target)
    if as_json:

        def sw(rows):
            return [
                {
                    "parameter": s.name,
                    "base": s.base,
                    "multiplier": s.multiplier,
                    "value": s.value,
                    "change_pct": s.change_pct,
                }
                for s in rows
            ]

        data = {
            "case": c.id,
            "tornado": [b.__dict__ | {"swing": b.swing} for b in bars],
            "switching_npv": sw(npv_sw),
            "switching_payback": {"target": pb_target, "values": sw(pb_sw)},
        }
        typer.echo(json.dumps(_finite(data), ensure_ascii=False, indent=2))
        return
    console = _console()
    if bars:
        print_tornado(console, bars, lang.value)
    print_switching(console, npv_sw, "Skifteværdier: nutidsværdi = 0", lang.value)
    print_switching(
        console, pb_sw, f"Skifteværdier: tilbagebetaling inden for {pb_target} år", lang.value
    )


def _finite(obj):
    """JSON has no NaN: 'not within the horizon' and the like become null."""
    if isinstance(obj, float):
        return None if obj != obj or obj in (float("inf"), float("-inf")) else obj
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj


class _progress:
    """A rich progress bar on the terminal for long runs; silent otherwise."""

    def __init__(self, console, total: int, enabled: bool = True) -> None:
        self.console, self.total = console, total
        self.enabled = enabled and console.is_terminal and total >= PROGRESS_FROM
        self._bar = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.progress import Progress

        self._bar = Progress(console=self.console, transient=True)
        self._bar.start()
        task = self._bar.add_task("Simulerer", total=self.total)
        return lambda done: self._bar.update(task, completed=done)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()


def main() -> None:
    """Console entry point: unusable input gives one line on stderr and exit code 2."""
    try:
        # With standalone_mode=False, click returns the code of a typer.Exit instead of raising.
        rc = app(standalone_mode=False)
        sys.exit(rc if isinstance(rc, int) else 0)
    except InputError as e:
        typer.echo(f"fejl: {e}", err=True)
        sys.exit(2)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        typer.echo("afbrudt", err=True)
        sys.exit(130)
    except Exception as e:
        if hasattr(e, "show") and hasattr(e, "exit_code"):  # usage errors from typer's click
            e.show()
            sys.exit(e.exit_code or 2)
        if os.environ.get("SOCINVEST_DEBUG"):
            raise
        typer.echo(
            f"intern fejl: {type(e).__name__}: {e} (SOCINVEST_DEBUG=1 viser detaljer)", err=True
        )
        sys.exit(3)


