"""`socinvest db upgrade|backup|restore`: the workspace database (docs/workspace.md).

The database is `--db URL`, else SOCINVEST_DATABASE_URL, else ./socinvest.db (SQLite).
Backups: `DEST.zip` is portable (SQLite or PostgreSQL; the whole workspace and its audit log);
any other name is a SQLite file copy made with SQLite's online backup API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socinvest.cli.options import Lang, LangOpt

db_app = typer.Typer(
    name="db",
    help="Arbejdsområdets database: opgradér skemaet, tag backup, gendan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Databasens URL (sqlite:///fil.db, postgresql://…) eller en SQLite-fil; "
        "standard: SOCINVEST_DATABASE_URL, ellers ./socinvest.db.",
    ),
]


@db_app.command()
def upgrade(db: DbOpt = None, lang: LangOpt = Lang.da) -> None:
    """Opret eller opgradér databasens skema til nyeste version (to gange er ufarligt)."""
    from socinvest.i18n import translator
    from socinvest.services.workspace import upgrade_database

    tr = translator(lang.value)
    before, after = upgrade_database(db)
    if before == after:
        typer.echo(tr("Databasen er allerede i nyeste version ({rev}).", rev=after))
    else:
        typer.echo(
            tr("Databasen er opgraderet: {before} → {after}.", before=before or "–", after=after)
        )


@db_app.command()
def backup(
    dest: Annotated[
        Path, typer.Argument(help="Backupfil: .zip (alle databaser) eller .db (SQLite).")
    ],
    db: DbOpt = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Tag en backup af databasen (findes filen, afvises den)."""
    from socinvest.i18n import translator
    from socinvest.services import workspace as ws_service

    ws = ws_service.open_workspace(db)
    try:
        out = ws_service.backup(ws, dest)
    finally:
        ws.store.dispose()
    tr = translator(lang.value)
    typer.echo(tr("Skrevet: {path}", path=str(out)))


@db_app.command()
def restore(
    src: Annotated[Path, typer.Argument(help="Backupfil skrevet af `socinvest db backup`.")],
    db: DbOpt = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Gendan en backup: en .zip kun i en tom database; en SQLite-fil erstatter databasens
    indhold."""
    from socinvest.i18n import translator
    from socinvest.services import workspace as ws_service

    ws = ws_service.open_workspace(db)
    try:
        ws_service.restore(ws, src)
    finally:
        ws.store.dispose()
    tr = translator(lang.value)
    typer.echo(tr("Gendannet fra {path}.", path=str(src)))
