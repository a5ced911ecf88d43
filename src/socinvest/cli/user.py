"""`socinvest user add|password|list|remove|logout`: people of the workspace, from the command
line (the first admin of a new database is added here; it also creates the organisation).

`list` and `remove` use the rules of the admin's user page (services/users.py, with the
command line as the operator: any organisation, audited as `system`): removing the last
active admin is refused, and a user left without an organisation is deactivated. A new
password, a deactivation and `logout` end every session of the user (docs/web.md)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from socinvest.cli.db import DbOpt
from socinvest.cli.options import JsonOpt, Lang, LangOpt

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
    """Sæt en ny adgangskode for en bruger; brugerens sessioner afsluttes (log ind igen)."""
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
    typer.echo(tr("Brugerens tidligere sessioner er afsluttet."))


OrgOpt = Annotated[str, typer.Option("--org", help="Organisationens kortnavn (fx kbh).")]


def _org_error(e: Exception) -> Exception:
    """The service's "no such organisation" (the web's 404) as unusable input naming --org."""
    from socinvest.errors import InputError
    from socinvest.i18n import Msg

    return InputError(Msg("--org: {message}", message=getattr(e, "message", str(e))))


@user_app.command("list")
def list_(
    org: OrgOpt,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Vis organisationens medlemmer og deres roller (som administratorens brugerside)."""
    from socinvest.i18n import translator
    from socinvest.services import users as users_service
    from socinvest.services import workspace as ws_service

    ws = ws_service.open_workspace(db)
    try:
        rows = users_service.members(ws, None, org)
    except ws_service.NotFound as e:
        raise _org_error(e) from None
    finally:
        ws.store.dispose()
    if as_json:
        data = {
            "org": org,
            "members": [
                {
                    "username": m.username,
                    "display_name": m.display_name,
                    "roles": [r.value for r in m.roles],
                    "active": m.active,
                }
                for m in rows
            ],
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    tr = translator(lang.value)
    if not rows:
        typer.echo(tr("{org} har ingen medlemmer.", org=org))
        return
    typer.echo(tr("Medlemmer af {org} (bruger, vist navn, roller):", org=org))
    width = max(len(m.username) for m in rows)
    shown = max(len(m.display_name or m.username) for m in rows)
    for m in rows:
        roles = ", ".join(r.value for r in m.roles)
        line = f"  {m.username:<{width}}  {m.display_name or m.username:<{shown}}  {roles}"
        if not m.active:
            line += "  " + tr("(deaktiveret)")
        typer.echo(line)


@user_app.command()
def remove(
    username: Annotated[str, typer.Argument(help="Brugernavn på medlemmet, der fjernes.")],
    org: OrgOpt,
    db: DbOpt = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Fjern en bruger fra en organisation (alle dens roller dér). En bruger uden andre
    organisationer deaktiveres: den kan ikke logge ind, og dens sessioner afsluttes.
    Organisationens sidste aktive administrator kan ikke fjernes."""
    from socinvest.i18n import translator
    from socinvest.services import users as users_service
    from socinvest.services import workspace as ws_service

    ws = ws_service.open_workspace(db)
    try:
        gone = users_service.remove_member(ws, None, org, username)
    except ws_service.NotFound as e:
        raise _org_error(e) from None
    finally:
        ws.store.dispose()
    tr = translator(lang.value)
    roles = ", ".join(r.value for r in gone.roles)
    typer.echo(
        tr("{user} er fjernet fra {org} (roller: {roles}).", user=username, org=org, roles=roles)
    )
    if not gone.active:
        typer.echo(
            tr(
                "{user} har ingen organisation tilbage og er deaktiveret: kan ikke logge ind, "
                "og alle sessioner er afsluttet.",
                user=username,
            )
        )


@user_app.command()
def logout(
    username: Annotated[str, typer.Argument(help="Brugernavn.")],
    db: DbOpt = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Log en bruger ud overalt: alle sessioner, der er udstedt til brugeren, afsluttes (fx
    ved mistanke om en stjålet session-cookie); adgangskoden bevares."""
    from socinvest.i18n import translator
    from socinvest.services import auth
    from socinvest.services import workspace as ws_service

    ws = ws_service.open_workspace(db)
    try:
        auth.end_sessions(ws, username)
    finally:
        ws.store.dispose()
    tr = translator(lang.value)
    typer.echo(
        tr("Alle sessioner for {user} er afsluttet; brugeren skal logge ind igen.", user=username)
    )
