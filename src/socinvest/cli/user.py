"""`socinvest user add|password`: people of the workspace, from the command line (the first
admin of a new database is added here; it also creates the organisation)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from socinvest.cli.db import DbOpt
from socinvest.cli.options import Lang, LangOpt

user_app = typer.Typer(
    name="user",
    help="Brugere og roller i arbejdsområdet.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ROLES = ("admin", "economist", "case_owner", "committee_reader", "auditor")
StdinOpt = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Læs adgangskoden fra første linje på stdin (ellers spørges)."
    ),
]


def _password(from_stdin: bool, lang: str) -> str:
    from socinvest.i18n import translator

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    tr = translator(lang)
    return str(
        typer.prompt(
            tr("Adgangskode"),
            hide_input=True,
            confirmation_prompt=tr("Gentag adgangskoden"),
        )
    )


@user_app.command()
def add(
    username: Annotated[str, typer.Argument(help="Brugernavn (login).")],
    org: Annotated[str, typer.Option("--org", help="Organisationens kortnavn (fx kbh).")],
    role: Annotated[str, typer.Option("--role", help="Rolle: " + ", ".join(ROLES) + ".")],
    name: Annotated[str, typer.Option("--name", help="Vist navn.")] = "",
    org_name: Annotated[
        str | None, typer.Option("--org-name", help="Organisationens navn, når den oprettes.")
    ] = None,
    password_stdin: StdinOpt = False,
    db: DbOpt = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Tilføj en bruger med en rolle i en organisation (organisationen oprettes, hvis den ikke
    findes). Adgangskoden gemmes kun som argon2-hash."""
    from socinvest.errors import InputError
    from socinvest.i18n import Msg, translator
    from socinvest.services import auth
    from socinvest.services import workspace as ws_service

    if role not in ROLES:
        raise InputError(
            Msg("ukendt rolle {role}; brug en af {roles}", role=repr(role), roles=", ".join(ROLES))
        )
    password = _password(password_stdin, lang.value)
    ws = ws_service.open_workspace(db)
    try:
        auth.add_user(ws, username, password, org, ws_service.Role(role), name, org_name=org_name)
    finally:
        ws.store.dispose()
    tr = translator(lang.value)
    typer.echo(tr("Brugeren {user} har rollen {role} i {org}.", user=username, role=role, org=org))


@user_app.command()
def password(
    username: Annotated[str, typer.Argument(help="Brugernavn.")],
    password_stdin: StdinOpt = False,
    db: DbOpt = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Sæt en ny adgangskode for en bruger."""
    from socinvest.i18n import translator
    from socinvest.services import auth
    from socinvest.services import workspace as ws_service

    secret = _password(password_stdin, lang.value)
    ws = ws_service.open_workspace(db)
    try:
        auth.set_password(ws, username, secret)
    finally:
        ws.store.dispose()
    tr = translator(lang.value)
    typer.echo(tr("Ny adgangskode sat for {user}.", user=username))
