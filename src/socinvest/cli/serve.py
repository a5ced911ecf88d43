"""`socinvest serve [--db URL] [--host H] [--port P]`: the web app (docs/web.md) on uvicorn.

The database is `--db URL`, else SOCINVEST_DATABASE_URL, else ./socinvest.db (SQLite); it is
created or upgraded on start. Sessions are signed with SOCINVEST_SECRET_KEY (a random key per
start when unset: everyone logs in again after a restart)."""

from __future__ import annotations

from typing import Annotated

import typer

from socinvest.cli.options import Lang, LangOpt


def serve(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Databasens URL (sqlite:///fil.db, postgresql://…) eller en SQLite-fil; "
            "standard: SOCINVEST_DATABASE_URL, ellers ./socinvest.db.",
        ),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Adressen der lyttes på (standard kun denne maskine).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Porten.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--jobs", min=1, max=32, help="Tråde til baggrundsjob (rapporter, Monte Carlo)."
        ),
    ] = 2,
    lang: LangOpt = Lang.da,
) -> None:
    """Start webappen (FastAPI) på http://HOST:PORT."""
    import os

    import uvicorn

    from socinvest.i18n import translator

    tr = translator(lang.value)
    # The web is a sibling face: started by name (uvicorn's app factory), configured through
    # the environment it reads (web/settings.py), never imported by the CLI.
    if db:
        os.environ["SOCINVEST_DATABASE_URL"] = db
    os.environ["SOCINVEST_WEB_JOBS"] = str(workers)
    typer.echo(
        tr("socinvest kører på http://{host}:{port}/ (Ctrl-C stopper)", host=host, port=port)
    )
    uvicorn.run(
        "socinvest.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=False,
    )
