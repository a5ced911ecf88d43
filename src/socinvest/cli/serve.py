"""`socinvest serve [--db URL] [--host H] [--port P] [--workers N] [--jobs J]`: the web app
(docs/web.md) on uvicorn.

The database is `--db URL`, else SOCINVEST_DATABASE_URL, else ./socinvest.db (SQLite); it is
created or upgraded here, once, before any worker starts. Sessions are signed with
SOCINVEST_SECRET_KEY (a random key per start when unset: everyone logs in again after a
restart). `--workers N` runs N processes (uvicorn spreads the connections over them; one
Python process uses one core): they share the database, the key made here, the background
jobs and the login rate limit (both in the database) and the job files' directory."""

from __future__ import annotations

from typing import Annotated

import typer

from socinvest.cli.options import Lang, LangOpt

FACTORY = "socinvest.web.app:create_app_from_env"
PROTOCOL = "socinvest.web.protocol:NoDelayH11Protocol"  # TCP_NODELAY on every connection


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
            "--workers",
            min=1,
            max=64,
            help="Serverprocesser (fx én pr. kerne); de deler databasen, baggrundsjobbene "
            "og grænsen for mislykkede logins.",
        ),
    ] = 1,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            min=1,
            max=32,
            help="Tråde til baggrundsjob (rapporter, Monte Carlo) i hver serverproces.",
        ),
    ] = 2,
    lang: LangOpt = Lang.da,
) -> None:
    """Start webappen (FastAPI) på http://HOST:PORT."""
    import os
    import secrets

    import uvicorn

    from socinvest.i18n import translator
    from socinvest.services.workspace import open_workspace

    tr = translator(lang.value)
    # created or upgraded once, here: workers starting together never migrate at the same time
    ws = open_workspace(db)
    url = ws.url
    ws.store.dispose()
    # The web is a sibling face: started by name (uvicorn's app factory, in each worker),
    # configured through the environment it reads (web/settings.py), never imported here.
    os.environ["SOCINVEST_DATABASE_URL"] = url
    if not os.environ.get("SOCINVEST_SECRET_KEY"):  # one key for every worker of this start
        os.environ["SOCINVEST_SECRET_KEY"] = secrets.token_urlsafe(32)
    os.environ["SOCINVEST_WEB_JOBS"] = str(jobs)
    os.environ["SOCINVEST_WEB_WORKERS"] = str(workers)
    typer.echo(
        tr("socinvest kører på http://{host}:{port}/ (Ctrl-C stopper)", host=host, port=port)
    )
    uvicorn.run(
        FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=False,
        http=PROTOCOL,
    )
