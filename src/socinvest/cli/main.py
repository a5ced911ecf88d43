"""The command-line face. Thin: it parses arguments, calls library functions and prints.

Heavy or optional modules are imported inside the commands that need them, so that start-up
stays light (`socinvest check TABLE` runs well under half a second as a whole process).
Exit codes: 0 fine, 1 error findings, 2 unusable input or a usage error (one line, never a
traceback), 3 an internal bug (`SOCINVEST_DEBUG=1` shows its traceback).

The root group (`_Group`) turns exceptions into exit codes, so the console entry point and an
in-process run (typer's CliRunner, as the tests use) behave the same.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from socinvest.errors import InputError
from socinvest.i18n import DEFAULT_LANG, translator
from socinvest.uncertainty.defaults import (
    DEFAULT_CHUNK,
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    MAX_CHUNK,
    MAX_DRAWS,
    MAX_SEED,
    PROGRESS_FROM,
)

from .options import ForceOpt, JsonOpt, Lang, LangOpt, state

_PASS_THROUGH = (TyperException, typer.Exit, typer.Abort, KeyboardInterrupt, EOFError)


class _Group(TyperGroup):
    """Runs a command and words its failure: unusable input -> one line on stderr in the
    command's language, exit 2; an unexpected exception (a bug) -> exit 3."""

    def invoke(self, ctx: Any) -> Any:
        state.lang = DEFAULT_LANG  # in-process runs share this module: no language carries over
        try:
            return super().invoke(ctx)
        except _PASS_THROUGH:
            raise
        except InputError as e:
            tr = translator(state.lang)
            typer.echo(tr("fejl: {message}", message=e.render(state.lang)), err=True)
            raise typer.Exit(2) from e
        except Exception as e:
            if type(e).__module__.split(".")[0] in ("click", "typer"):
                raise
            if os.environ.get("SOCINVEST_DEBUG"):
                raise
            tr = translator(state.lang)
            typer.echo(
                tr(
                    "intern fejl: {kind}: {message} (SOCINVEST_DEBUG=1 viser detaljer)",
                    kind=type(e).__name__,
                    message=str(e),
                ),
                err=True,
            )
            raise typer.Exit(3) from e


app = typer.Typer(
    name="socinvest",
    cls=_Group,
    help="Byg, kontrollér og stresstest sociale investeringscases "
    "(build, check and stress-test social investment business cases).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

CASE_SUFFIXES = (".yaml", ".yml")

# Sub-apps import only typer at module level: their commands import what they need.
from socinvest.cli.followup import adbb_app, fit_app, followup_app  # noqa: E402
from socinvest.cli.ladder import ladder_app  # noqa: E402
from socinvest.cli.pool import pool_app  # noqa: E402

app.add_typer(ladder_app, name="ladder")
app.add_typer(pool_app, name="pool")
app.add_typer(followup_app, name="followup")
app.add_typer(fit_app, name="fit")
app.add_typer(adbb_app, name="adbb")

from socinvest.cli.db import db_app  # noqa: E402
from socinvest.cli.user import user_app  # noqa: E402
from socinvest.cli.workspace import workspace_app  # noqa: E402

app.add_typer(db_app, name="db")
app.add_typer(workspace_app, name="workspace")
app.add_typer(user_app, name="user")

from socinvest.cli.serve import serve  # noqa: E402

app.command("serve")(serve)


DrawsOpt = Annotated[
    int,
    typer.Option(
        "--draws",
        min=1,
        max=MAX_DRAWS,
        help="Trækninger i rapportens Monte Carlo (cases med usikkerhed; 1 … 10^7).",
    ),
]
SeedOpt = Annotated[
    int,
    typer.Option(
        "--seed", min=0, max=MAX_SEED, help="Frø for rapportens Monte Carlo (0 … 2^32−1)."
    ),
]


def _console():
    from socinvest.cli.console import console

    return console()


@app.command()
def check(
    path: Annotated[
        Path,
        typer.Argument(
            help="En case-fil (.yaml), en indsat tabel (tekst, CSV) eller et dokument (.docx, .pdf)."
        ),
    ],
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Kontrollér en case-fil eller en tabel kopieret fra Word, PDF eller Excel.

    Summer, fortegn, fordelingsnøgler og tilbagebetalingstid genberegnes og sammenlignes med
    de angivne tal. Exit 0: ingen fejl; 1: fejl fundet; 2: input kan ikke læses.
    """
    from socinvest.reports.check import render, to_json
    from socinvest.services.check import check_path, has_error

    report = check_path(path)
    if as_json:
        typer.echo(json.dumps(to_json(report, lang.value), ensure_ascii=False, indent=2))
    else:
        render(_console(), report, lang.value)
    raise typer.Exit(1 if has_error(report) else 0)


@app.command()
def show(
    case: Annotated[Path, typer.Argument(help="Case-fil (.yaml).")],
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
    price_level: Annotated[
        int | None,
        typer.Option(
            "--price-level", min=1900, max=2200, help="Omregn hele casen til dette p/l-år."
        ),
    ] = None,
    price_index: Annotated[
        Path | None,
        typer.Option("--price-index", help="Prisindeksfil (.yaml) til --price-level."),
    ] = None,
) -> None:
    """Vis casens tabel 1 (forslagets samlede økonomiske konsekvenser) i skabelonens layout."""
    from socinvest.services.case import case_bundle, load_case

    if (price_level is None) != (price_index is None):
        from socinvest.i18n import Msg

        raise InputError(Msg("--price-level og --price-index skal angives sammen"))
    if price_level is not None and price_index is not None:
        from socinvest.services.followup import restated_case

        c = restated_case(case, price_level, price_index)
    else:
        c = load_case(case)
    res = case_bundle(c, simulate=False).results
    if as_json:
        from socinvest.reports.json_results import results_json

        typer.echo(json.dumps(results_json(res, lang=lang.value), ensure_ascii=False, indent=2))
        return
    from socinvest.reports.document.perspectives import perspectives_document
    from socinvest.reports.terminal import print_document, print_table1

    print_table1(_console(), res, lang.value)
    persp = perspectives_document(res, lang.value)  # None for a case with one payer
    if persp is not None:
        print_document(_console(), persp)


@app.command()
def report(
    case: Annotated[Path, typer.Argument(help="Case-fil (.yaml).")],
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="Rapportfil: .docx, .xlsx, .pdf, .html eller .md."),
    ],
    lang: LangOpt = Lang.da,
    draws: DrawsOpt = DEFAULT_DRAWS,
    seed: SeedOpt = DEFAULT_SEED,
    force: ForceOpt = False,
) -> None:
    """Skriv casen som dokument i kommunens skabelon; filendelsen vælger formatet. En
    eksisterende fil overskrives kun med --force, og case-filen aldrig."""
    from socinvest.reports.document import build_document
    from socinvest.reports.registry import check_report_path, render_file
    from socinvest.services.case import case_bundle, load_case

    check_report_path(output, overwrite=force, inputs=[case])  # before anything is computed
    bundle = case_bundle(load_case(case), draws=draws, seed=seed)
    path = render_file(build_document(bundle, lang.value), output, overwrite=force, inputs=[case])
    tr = translator(lang.value)
    typer.echo(tr("Rapport skrevet: {path}", path=path))


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
    unit: Annotated[
        str | None, typer.Option("--unit", help="Enhed, hvis tabellerne ikke angiver den.")
    ] = None,
    price_level: Annotated[
        int | None,
        typer.Option("--price-level", help="Prisniveau (år), hvis tabellerne ikke angiver det."),
    ] = None,
    sign: Annotated[
        str | None,
        typer.Option(
            "--sign",
            help="Tabellernes fortegn: spending, savings_positive eller flipped "
            "(ellers aflæst af tabellerne).",
        ),
    ] = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Lav en case-fil af eksisterende tabeller. Flere tabeller fra samme dokument flettes til
    én case; totaler, nøgler og tilbagebetalingstid gemmes som angivne tal, så `check` på
    casen finder det samme som `check` på tabellerne."""
    from socinvest.io.importer import import_to_file

    path = import_to_file(
        tables,
        output,
        case_id,
        title,
        force=force,
        unit=unit,
        price_level=price_level,
        sign=sign,
    )
    tr = translator(lang.value)
    typer.echo(
        tr("Case-fil skrevet: {path} – kontrollér den med: socinvest check {path}", path=path)
    )


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Skriv til en fil (.json) i stedet for stdout."),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Udskriv JSON Schema for case-filer (til editorens validering og autofuldførelse)."""
    from socinvest.case.schema import json_schema

    if output:
        from socinvest.reports.write import check_output

        check_output(output, (".json",), overwrite=force)
    text = json.dumps(json_schema(), ensure_ascii=False, indent=2)
    if output:
        from socinvest.reports.write import safe_write

        safe_write(
            output, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"), overwrite=force
        )
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
    draws: DrawsOpt = DEFAULT_DRAWS,
    seed: SeedOpt = DEFAULT_SEED,
) -> None:
    """Hovedjobbet: beregn og kontrollér alle cases i en mappe, vis deres tabel 1 og skriv
    eventuelt deres rapporter."""
    from rich.markup import escape

    from socinvest.i18n import Msg
    from socinvest.reports.check import render
    from socinvest.reports.terminal import print_table1
    from socinvest.services.case import case_bundle, load_case

    if not folder.is_dir():
        raise InputError(Msg("{folder}: mappen findes ikke", folder=folder))
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in CASE_SUFFIXES)
    if not files:
        raise InputError(Msg("{folder}: ingen case-filer (*.yaml) i mappen", folder=folder))
    if reports is not None:  # checked (and made) before any case is computed
        from socinvest.reports.write import make_folder

        make_folder(reports)
    console = _console()
    tr = translator(lang.value)
    for p in files:
        # one bundle per case: the Monte Carlo runs once, whatever the number of formats
        bundle = case_bundle(load_case(p), simulate=reports is not None, draws=draws, seed=seed)
        res = bundle.results
        console.rule(f"[bold]{escape(res.case.title)}[/] ({escape(p.name)})")
        print_table1(console, res, lang.value)
        render(console, bundle.check, lang.value)
        if reports is not None:
            from socinvest.reports.document import build_document
            from socinvest.reports.registry import REPORT_FORMATS, render_file

            doc = build_document(bundle, lang.value)
            for suffix in REPORT_FORMATS:  # its own reports: regenerated, never a case file
                render_file(doc, reports / f"{p.stem}{suffix}", overwrite=True, inputs=files)
    if reports is not None:
        console.print(
            "\n"
            + tr(
                "Rapporter skrevet i {folder} ({formats}).",
                folder=escape(str(reports.resolve())),
                formats=", ".join(REPORT_FORMATS),
            )
        )
    console.print(
        "\n"
        + tr(
            "{n} cases beregnet og kontrolleret. Fejl ovenfor er fejl i kildedokumenterne "
            "(de angivne tal), ikke i beregningen.",
            n=len(files),
        )
    )


@app.command()
def simulate(
    case: Annotated[Path, typer.Argument(help="Case-fil (.yaml) med usikre parametre.")],
    draws: Annotated[
        int,
        typer.Option("--draws", "-n", min=1, max=MAX_DRAWS, help="Antal trækninger (1 … 10^7)."),
    ] = DEFAULT_DRAWS,
    seed: Annotated[
        int,
        typer.Option(
            "--seed", min=0, max=MAX_SEED, help="Frø (0 … 2^32−1): samme frø giver samme tal."
        ),
    ] = 0,
    target: Annotated[
        int | None, typer.Option("--target", min=1, help="Mål for tilbagebetalingstid (år).")
    ] = None,
    chunk_size: Annotated[
        int,
        typer.Option(
            "--chunk-size", min=1, max=MAX_CHUNK, help="Trækninger pr. bid (begrænser hukommelse)."
        ),
    ] = DEFAULT_CHUNK,
    scheduler: Annotated[
        str, typer.Option("--scheduler", help="threads | dask | tcp://vært:port (Dask-klynge).")
    ] = "threads",
    html_out: Annotated[
        Path | None,
        typer.Option("--html", help="Skriv en HTML-rapport (.html) med vifte og tornado."),
    ] = None,
    force: ForceOpt = False,
    minmax: Annotated[
        bool, typer.Option("--minmax", help="Tornado ved min/max i stedet for P10/P90.")
    ] = False,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Monte Carlo: sandsynlighed for tilbagebetaling, fordeling af nutidsværdi og en vifte
    over den årlige nettoeffekt, også pr. udvalg. Samme frø og bidstørrelse giver samme tal,
    lokalt og på Dask."""
    from socinvest.reports.simulation import print_simulation
    from socinvest.reports.simulation_json import simulation_json
    from socinvest.services.case import load_case
    from socinvest.services.simulation import require_uncertainty, simulation_bundle
    from socinvest.uncertainty.simulate import check_scheduler

    if html_out:  # before anything is computed: never the case file, never unasked over a file
        from socinvest.reports.write import check_output

        check_output(html_out, (".html",), overwrite=force, inputs=[case])
    check_scheduler(scheduler)
    c = load_case(case)
    require_uncertainty(c, case)
    console = _console()
    with _progress(console, draws, lang.value, enabled=not as_json) as advance:
        bundle = simulation_bundle(
            c,
            draws,
            seed,
            target,
            "minmax" if minmax else "p10p90",
            chunk_size=chunk_size,
            scheduler=scheduler,
            progress=advance,
        )
    if html_out:
        from socinvest.reports.registry import render_file
        from socinvest.reports.simulation import simulation_document

        doc = simulation_document(bundle, lang.value)
        render_file(doc, html_out, overwrite=force, inputs=[case])
    if as_json:
        text = json.dumps(simulation_json(bundle), ensure_ascii=False, indent=2, allow_nan=False)
        typer.echo(text)
        return
    print_simulation(console, bundle, lang.value)
    if html_out:
        tr = translator(lang.value)
        from rich.markup import escape

        console.print(tr("HTML-rapport skrevet: {path}", path=escape(str(html_out))))


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
    from socinvest.reports.simulation import print_sensitivity
    from socinvest.reports.simulation_json import sensitivity_json
    from socinvest.services.case import load_case
    from socinvest.services.simulation import sensitivity_bundle

    sens = sensitivity_bundle(load_case(case), target, "minmax" if minmax else "p10p90")
    if as_json:
        text = json.dumps(sensitivity_json(sens), ensure_ascii=False, indent=2, allow_nan=False)
        typer.echo(text)
        return
    print_sensitivity(_console(), sens, lang.value)


class _progress:
    """A rich progress bar on the terminal for long runs; silent otherwise."""

    def __init__(self, console, total: int, lang: str = DEFAULT_LANG, enabled: bool = True):
        self.console, self.total, self.lang = console, total, lang
        self.enabled = enabled and console.is_terminal and total >= PROGRESS_FROM
        self._bar = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.progress import Progress

        self._bar = Progress(console=self.console, transient=True)
        self._bar.start()
        tr = translator(self.lang)
        task = self._bar.add_task(tr("Simulerer"), total=self.total)
        return lambda done: self._bar.update(task, completed=done)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()


def main() -> None:
    """Console entry point. The root group words errors (see `_Group`); here only what click
    raises outside a command remains: usage errors (exit 2) and an interrupt (exit 130)."""
    try:
        # With standalone_mode=False, click returns the code of a typer.Exit instead of raising.
        rc = app(standalone_mode=False)
        sys.exit(rc if isinstance(rc, int) else 0)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except (typer.Abort, KeyboardInterrupt, EOFError):
        typer.echo(translator(state.lang)("afbrudt"), err=True)
        sys.exit(130)
    except TyperException as e:  # usage errors from typer's click: shown as click shows them
        show = getattr(e, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(str(e), err=True)
        sys.exit(e.exit_code if isinstance(e.exit_code, int) and e.exit_code else 2)
