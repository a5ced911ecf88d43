"""`socinvest followup …`, `socinvest fit summary` and `socinvest adbb summary`: follow-up on
the command line (docs/followup.md, *Commands and report*).

Typer sub-apps registered in cli/main.py. Each command parses its options, asks
`services.followup` for the bundle (computed once) and renders it: the terminal, `--json`, or
a file through the renderer registry. Only typer and the standard library are imported at
start. Exit 0 fine, 2 unusable input (InputError, worded in the command's language by
cli.main, `file:line` located; a CPR-like value is refused without being echoed).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from socinvest.cli.options import ForceOpt, JsonOpt, Lang, LangOpt

followup_app = typer.Typer(
    name="followup",
    help="Opfølgning: faktiske tal mod planen, genberegning, succeskriterier og evaluering.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
fit_app = typer.Typer(
    name="fit",
    help="FIT (Feedback-Informed Treatment): ORS/SRS pr. session.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
adbb_app = typer.Typer(
    name="adbb",
    help="ADBB-screeninger (Alarm Distress Baby Scale).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

CaseArg = Annotated[Path, typer.Argument(help="Case-fil (.yaml).")]
FollowupArg = Annotated[Path, typer.Argument(help="Opfølgningsfil (.yaml), se docs/followup.md.")]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Afvis filen ved første fejlbehæftede linje.")
]


class Period(StrEnum):
    half = "half"
    year = "year"


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))


def _terminal(doc: Any, written: list[Path], lang: str) -> None:
    from rich.markup import escape

    from socinvest.cli.console import console as make_console
    from socinvest.i18n import translator
    from socinvest.reports.followup.labels import LABELS
    from socinvest.reports.registry import render_terminal

    console = make_console(220)
    render_terminal(doc, console)
    tr = translator(lang)
    for p in written:
        console.print(tr(LABELS["written"], path=escape(str(p))))


@followup_app.command("import")
def import_(
    postings: Annotated[Path, typer.Argument(help="Posteringseksport (CSV eller xlsx).")],
    mapping: Annotated[Path, typer.Option("--mapping", help="Mappingfil (.yaml).")],
    case: Annotated[Path, typer.Option("--case", help="Case-fil (.yaml).")],
    strict: StrictOpt = False,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Skriv de faktiske tal som YAML (actuals: …)."),
    ] = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Læs en posteringseksport gennem en mapping: linjer læst og afvist (med linjenumre),
    konti uden linje, og summer pr. linje og år i løbende priser."""
    from socinvest.reports.followup.data import import_json
    from socinvest.reports.followup.faces import actuals_yaml, import_document
    from socinvest.reports.write import check_output, safe_write
    from socinvest.services.followup import import_bundle

    inputs = [postings, mapping, case]
    if output is not None:
        check_output(output, (".yaml", ".yml"), overwrite=force, inputs=inputs)
    bundle = import_bundle(postings, mapping, case, strict=strict)
    written = []
    if output is not None:
        text = actuals_yaml(bundle)
        written.append(
            safe_write(
                output,
                lambda tmp: tmp.write_text(text, encoding="utf-8"),
                overwrite=force,
                inputs=inputs,
            )
        )
    if as_json:
        _echo_json(import_json(bundle, lang.value))
        return
    _terminal(import_document(bundle, lang.value), written, lang.value)


@followup_app.command()
def status(
    case: CaseArg,
    followup: FollowupArg,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Plan mod faktisk pr. linje og år med status, realiseret tilbagebetaling, genberegning,
    P(tilbagebetaling ≤ mål) og succeskriteriernes status."""
    from socinvest.services.followup import followup_bundle

    bundle = followup_bundle(case, followup)
    if as_json:
        from socinvest.reports.followup.data import status_json

        _echo_json(status_json(bundle, lang.value))
        return
    from socinvest.reports.followup.document import followup_document

    _terminal(followup_document(bundle, lang.value), [], lang.value)


@followup_app.command()
def report(
    case: CaseArg,
    followup: FollowupArg,
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="Rapportfil: .docx, .pdf, .xlsx, .html, .md eller .json."
        ),
    ],
    force: ForceOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Skriv midtvejs- eller slutevalueringen som dokument; filendelsen vælger formatet."""
    from socinvest.i18n import translator
    from socinvest.reports.followup.document import followup_document
    from socinvest.reports.followup.labels import LABELS
    from socinvest.reports.registry import check_report_path, render_file
    from socinvest.services.followup import followup_bundle

    inputs = [case, followup]
    check_report_path(output, overwrite=force, inputs=inputs)  # before anything is computed
    doc = followup_document(followup_bundle(case, followup), lang.value)
    path = render_file(doc, output, overwrite=force, inputs=inputs)
    typer.echo(translator(lang.value)(LABELS["written"], path=path))


@fit_app.command("summary")
def fit_summary(
    sessions: Annotated[Path, typer.Argument(help="FIT-sessioner (semikolon-CSV).")],
    strict: StrictOpt = False,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Forløb pr. team og halvår: andel pålideligt bedret og forværret, forløbslængde;
    små celler (under 5 personer) skjules."""
    from socinvest.services.followup import fit_bundle

    r = fit_bundle(sessions, strict=strict)
    if as_json:
        from socinvest.reports.followup.data import fit_json

        _echo_json(fit_json(r, lang.value))
        return
    from socinvest.reports.followup.faces import fit_document

    _terminal(fit_document(r, lang.value), [], lang.value)


@adbb_app.command("summary")
def adbb_summary(
    screenings: Annotated[Path, typer.Argument(help="ADBB-screeninger (semikolon-CSV).")],
    period: Annotated[
        Period, typer.Option("--period", help="half (halvår) eller year (år).")
    ] = Period.half,
    children: Annotated[
        int | None,
        typer.Option("--children", min=1, help="Børn i målgruppen (andel screenet)."),
    ] = None,
    strict: StrictOpt = False,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Børn screenet pr. periode: andel markeret, genscreeninger og opfølgning; små celler
    (under 5 personer) skjules."""
    from socinvest.services.followup import adbb_bundle

    r = adbb_bundle(screenings, strict=strict, period=period.value, children_in_target=children)
    if as_json:
        from socinvest.reports.followup.data import adbb_json

        _echo_json(adbb_json(r, lang.value))
        return
    from socinvest.reports.followup.faces import adbb_document

    _terminal(adbb_document(r, lang.value, children), [], lang.value)
