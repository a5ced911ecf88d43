"""`socinvest workspace export|import|demo`: the whole workspace as the project's files and
back (an exact round trip), and the demo workspace with its demo logins."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socinvest.cli.db import DbOpt
from socinvest.cli.options import Lang, LangOpt

workspace_app = typer.Typer(
    name="workspace",
    help="Hele arbejdsområdet som filer (eksport/import) og demo-arbejdsområdet.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DirArg = Annotated[Path, typer.Argument(help="Mappe med arbejdsområdets filer.")]


@workspace_app.command("export")
def export_(folder: DirArg, db: DbOpt = None, lang: LangOpt = Lang.da) -> None:
    """Skriv hele arbejdsområdet som filer: manifest.json, hver fils seneste version (en mappe,
    socinvest kan læse), alle versioner og bilag. Mappen skal være ny eller tom."""
    from socinvest.i18n import translator
    from socinvest.services import workspace as ws_service

    ws = ws_service.open_workspace(db)
    try:
        out = ws_service.export_workspace(ws, folder)
    finally:
        ws.store.dispose()
    tr = translator(lang.value)
    typer.echo(tr("Skrevet: {path}", path=str(out)))


@workspace_app.command("import")
def import_(folder: DirArg, db: DbOpt = None, lang: LangOpt = Lang.da) -> None:
    """Læs en mappe skrevet af `workspace export` ind i en tom database."""
    from socinvest.i18n import translator
    from socinvest.services import workspace as ws_service

    ws = ws_service.open_workspace(db)
    try:
        ws_service.import_workspace(ws, folder)
    finally:
        ws.store.dispose()
    tr = translator(lang.value)
    typer.echo(tr("Importeret fra {path}.", path=str(folder)))


@workspace_app.command()
def demo(
    examples: Annotated[
        Path, typer.Option("--examples", help="Mappen med eksemplerne (standard: ./examples).")
    ] = Path("examples"),
    db: DbOpt = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Opret demo-arbejdsområdet i en tom database: eksempelcases, pulje og opfølgning, og
    demo-logins (kun her; en ny database har ingen brugere)."""
    from socinvest.i18n import translator
    from socinvest.services import workspace as ws_service

    tr = translator(lang.value)
    ws = ws_service.open_workspace(db)
    try:
        logins = ws_service.load_demo(ws, examples)
    finally:
        ws.store.dispose()
    typer.echo(tr("Demo-arbejdsområdet er oprettet i {url}.", url=ws.url))
    typer.echo(tr("Demo-logins (bruger / adgangskode / organisation / rolle):"))
    for login in logins:
        typer.echo(f"  {login.username} / {login.password} / {login.org} / {login.role.value}")
