"""Ending sessions: the session cookie carries the user's session epoch (users.session_epoch),
and the per-request actor lookup refuses a cookie of another epoch. A new password (the
admin's user page, `socinvest user password`, services.auth.set_password), a deactivation
(removal from the last organisation) and `socinvest user logout` raise the epoch, so a cookie
issued before — a stolen one too — is refused at once (401 for JSON, 303 to the login page
for HTML, as an expired cookie), while a fresh login works. A normal logout ends only its own
browser's session. The migration adds the column on SQLite and PostgreSQL (`db_url`).

Also the command line's `socinvest user list|remove|logout`: output, JSON, English, and
refusals (exit 2, one line naming the argument, nothing written)."""

from __future__ import annotations

import json
import re

import pytest

pytest.importorskip("fastapi")

from sqlalchemy import func, inspect, select, text  # noqa: E402

from socinvest.services import auth  # noqa: E402
from socinvest.services import users as users_svc  # noqa: E402
from socinvest.services import workspace as wsv  # noqa: E402
from socinvest.store.models import AuditEntry, Membership, Role, User  # noqa: E402
from socinvest.web.security import COOKIE, Session, SessionCodec  # noqa: E402

from . import test_web as web  # noqa: E402
from .conftest import cli  # noqa: E402
from .test_web import JSON, ORG, OTHER, PASSWORD, client, login  # noqa: E402

template_db = web.template_db  # the demo workspace, built once per test run
app = web.app  # a fresh copy of it per test

HOME = f"/o/{ORG}"
USERS = f"/o/{ORG}/users"
NEW_PW = "en-ny-adgangskode-42"
PW = "a-long-enough-password"


@pytest.fixture(autouse=True)
def _fast(fast_passwords):
    """argon2 at its smallest cost for the passwords set here (the demo's stay as they are)."""


def fresh_login(app, username: str, password: str) -> tuple[int, str | None]:
    """A new login of its own (never the cached one of test_web): status and the cookie."""
    c = client(app)
    token = c.get("/login", headers=JSON).json()["csrf_token"]
    r = c.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers=JSON,
    )
    return r.status_code, c.cookies.get(COOKIE) if r.status_code == 200 else None


def with_cookie(app, cookie: str):
    c = client(app)
    c.cookies.set(COOKIE, cookie)
    return c


def server_cookie(c) -> str:
    """The session cookie the server set last (a test's own `cookies.set` has no domain)."""
    (value,) = [k.value for k in c.cookies.jar if k.name == COOKIE and k.domain]
    return value


def status(app, cookie: str, url: str = HOME) -> int:
    return with_cookie(app, cookie).get(url, headers=JSON).status_code


def epoch(app, username: str) -> int:
    with app.state.ws.store.reading() as s:
        return s.scalar(select(User.session_epoch).where(User.username == username))


def codec(app) -> SessionCodec:
    return app.state.codec


# -- the cookie ----------------------------------------------------------------------------


def test_the_cookie_carries_the_users_epoch(app):
    code, cookie = fresh_login(app, "oekonom", PASSWORD.format("oekonom"))
    assert code == 200
    session = codec(app).loads(cookie)
    assert session is not None and session.epoch == 0 == epoch(app, "oekonom")
    with app.state.ws.store.reading() as s:
        assert session.user_id == s.scalar(select(User.id).where(User.username == "oekonom"))
    # a round trip keeps it; an anonymous session has none
    again = codec(app).loads(codec(app).dumps(Session("s", "c", 7, 3)))
    assert (again.user_id, again.epoch) == (7, 3)
    assert codec(app).loads(codec(app).dumps(Session.new())).epoch is None


def test_a_cookie_without_an_epoch_or_with_another_is_refused(app):
    """A cookie signed with the app's secret but of another epoch — or of none (issued before
    the migration), or not a number — is no session: 401 for JSON, 303 to /login for HTML."""
    code, cookie = fresh_login(app, "oekonom", PASSWORD.format("oekonom"))
    assert code == 200 and status(app, cookie) == 200
    good = codec(app).loads(cookie)
    signer = codec(app)._s  # the app's own signer: these are validly signed cookies
    payloads = {
        "no epoch": {"sid": good.sid, "csrf": good.csrf, "uid": good.user_id},
        "next epoch": {"sid": good.sid, "csrf": good.csrf, "uid": good.user_id, "ep": 1},
        "epoch as text": {"sid": good.sid, "csrf": good.csrf, "uid": good.user_id, "ep": "0"},
        "epoch true": {"sid": good.sid, "csrf": good.csrf, "uid": good.user_id, "ep": False},
        "uid as text": {"sid": good.sid, "csrf": good.csrf, "uid": str(good.user_id), "ep": 0},
    }
    for what, payload in payloads.items():
        forged = signer.dumps(payload)
        assert status(app, forged) == 401, what
    # HTML: to the login page with the way back, and the dead cookie replaced (anonymous)
    r = with_cookie(app, signer.dumps(payloads["no epoch"])).get(f"{HOME}?x=1")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fo%2Feksempel%3Fx%3D1"
    replaced = codec(app).loads(r.cookies[COOKIE])
    assert replaced is not None and replaced.user_id is None and replaced.csrf != good.csrf
    # JSON says why, as for an expired cookie
    j = with_cookie(app, signer.dumps(payloads["next epoch"])).get(HOME, headers=JSON)
    assert j.status_code == 401 and j.json()["error"] == "login_required"


# -- a new password ends the sessions issued before ----------------------------------------


def test_an_admins_reset_ends_the_members_sessions(app):
    code, stolen = fresh_login(app, "oekonom", PASSWORD.format("oekonom"))
    assert code == 200 and status(app, stolen) == 200
    admin, token = login(app, "admin")
    r = admin.post(f"{USERS}/oekonom/password", data={"password": NEW_PW, "csrf_token": token})
    assert r.status_code == 303
    assert epoch(app, "oekonom") == 1
    # the cookie from before is refused, also on a page of the other organisation's routes
    assert status(app, stolen) == 401
    assert status(app, stolen, f"{HOME}/cases/{web.CASE}") == 401
    # the old password no longer logs in; the new one does, and its cookie works
    assert fresh_login(app, "oekonom", PASSWORD.format("oekonom"))[0] == 401
    code, fresh = fresh_login(app, "oekonom", NEW_PW)
    assert code == 200 and status(app, fresh) == 200
    assert codec(app).loads(fresh).epoch == 1
    # the admin's own session is untouched by a reset of someone else's password
    assert admin.get(USERS, headers=JSON).status_code == 200


def test_an_admin_resetting_its_own_password_keeps_this_session_only(app):
    code, other_browser = fresh_login(app, "admin", PASSWORD.format("admin"))
    assert code == 200
    admin, token = login(app, "admin")
    r = admin.post(f"{USERS}/admin/password", data={"password": NEW_PW, "csrf_token": token})
    assert r.status_code == 303 and epoch(app, "admin") == 1
    # this browser got its cookie re-issued under the new epoch (same session, same token)
    assert admin.get(USERS, headers=JSON).status_code == 200
    kept = codec(app).loads(server_cookie(admin))
    assert kept.epoch == 1 and kept.csrf == token
    # every other session of the admin has ended
    assert status(app, other_browser, USERS) == 401


def test_a_reset_on_the_command_line_ends_the_sessions(app):
    code, stolen = fresh_login(app, "revisor", PASSWORD.format("revisor"))
    assert code == 200 and status(app, stolen) == 200
    r = cli(
        "user",
        "password",
        "revisor",
        "--password-stdin",
        "--db",
        app.state.ws.url,
        input=NEW_PW + "\n",
    )
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == [
        "Ny adgangskode sat for revisor.",
        "Brugerens tidligere sessioner er afsluttet.",
    ]
    assert status(app, stolen) == 401
    code, fresh = fresh_login(app, "revisor", NEW_PW)
    assert code == 200 and status(app, fresh) == 200


def test_a_reset_by_the_service_ends_the_sessions(app):
    code, stolen = fresh_login(app, "sagsejer", PASSWORD.format("sagsejer"))
    assert code == 200 and status(app, stolen) == 200
    assert auth.set_password(app.state.ws, "sagsejer", NEW_PW) == 1
    assert status(app, stolen) == 401
    code, fresh = fresh_login(app, "sagsejer", NEW_PW)
    assert code == 200 and status(app, fresh) == 200
    # twice: each change counts (the epoch is raised in SQL, never set from a stale read)
    assert auth.set_password(app.state.ws, "sagsejer", NEW_PW + "x") == 2
    assert status(app, fresh) == 401


def test_a_login_that_only_rehashes_the_password_keeps_the_sessions(app, monkeypatch):
    """argon2 parameters changed: the login stores a new hash of the same password; that is
    no new password and ends nothing."""
    from argon2 import PasswordHasher

    code, first = fresh_login(app, "oekonom", PASSWORD.format("oekonom"))
    assert code == 200
    with app.state.ws.store.reading() as s:
        old_hash = s.scalar(select(User.password_hash).where(User.username == "oekonom"))
    monkeypatch.setattr(auth, "_HASHER", PasswordHasher(time_cost=2, memory_cost=128))
    code, second = fresh_login(app, "oekonom", PASSWORD.format("oekonom"))
    assert code == 200
    with app.state.ws.store.reading() as s:
        new_hash = s.scalar(select(User.password_hash).where(User.username == "oekonom"))
    assert new_hash != old_hash  # rehashed
    assert epoch(app, "oekonom") == 0
    assert status(app, first) == 200 and status(app, second) == 200


# -- deactivation, role changes, logout ----------------------------------------------------


def test_deactivation_ends_the_sessions_for_good(app):
    """Removed from its last organisation, the user is deactivated and its epoch raised: when
    the command line lets it in again, the old cookie stays dead."""
    code, stolen = fresh_login(app, "udvalg", PASSWORD.format("udvalg"))
    assert code == 200 and status(app, stolen) == 200
    admin, token = login(app, "admin")
    r = admin.post(f"{USERS}/udvalg/remove", data={"csrf_token": token}, headers=JSON)
    assert r.status_code == 200 and r.json()["removed"]["active"] is False
    assert epoch(app, "udvalg") == 1 and status(app, stolen) == 401
    auth.add_user(app.state.ws, "udvalg", "ignored-password", ORG, Role.COMMITTEE_READER)
    assert status(app, stolen) == 401
    code, fresh = fresh_login(app, "udvalg", PASSWORD.format("udvalg"))
    assert code == 200 and status(app, fresh) == 200


def test_removal_from_one_of_two_organisations_keeps_the_sessions(app):
    auth.add_user(app.state.ws, "nabo-oekonom", "ignored-password", ORG, Role.AUDITOR)
    code, cookie = fresh_login(app, "nabo-oekonom", PASSWORD.format("nabo-oekonom"))
    assert code == 200 and status(app, cookie) == 200
    admin, token = login(app, "admin")
    r = admin.post(f"{USERS}/nabo-oekonom/remove", data={"csrf_token": token}, headers=JSON)
    assert r.status_code == 200 and r.json()["removed"]["active"] is True
    assert epoch(app, "nabo-oekonom") == 0
    assert status(app, cookie, f"/o/{OTHER}") == 200  # still a member there
    assert status(app, cookie) == 404  # no longer here, at the next request


def test_a_role_change_takes_effect_without_ending_the_session(app):
    code, cookie = fresh_login(app, "revisor", PASSWORD.format("revisor"))
    assert code == 200 and status(app, cookie, f"{HOME}/audit") == 200
    admin, token = login(app, "admin")
    r = admin.post(
        f"{USERS}/revisor/roles", data={"roles": "committee_reader", "csrf_token": token}
    )
    assert r.status_code == 303 and epoch(app, "revisor") == 0
    assert status(app, cookie, f"{HOME}/audit") == 403  # the new role, same session
    assert status(app, cookie) == 200


def test_a_normal_logout_ends_only_this_browsers_session(app):
    _, laptop = fresh_login(app, "oekonom", PASSWORD.format("oekonom"))
    _, phone = fresh_login(app, "oekonom", PASSWORD.format("oekonom"))
    c = with_cookie(app, laptop)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get(HOME).text).group(1)
    out = c.post("/logout", data={"csrf_token": token})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert c.get(HOME, headers=JSON).status_code == 401  # this browser: logged out
    assert codec(app).loads(server_cookie(c)).user_id is None
    assert epoch(app, "oekonom") == 0 and status(app, phone) == 200  # the other: still in


def test_logout_everywhere_on_the_command_line(app):
    _, laptop = fresh_login(app, "oekonom", PASSWORD.format("oekonom"))
    _, phone = fresh_login(app, "oekonom", PASSWORD.format("oekonom"))
    with app.state.ws.store.reading() as s:
        n = s.scalar(select(func.count()).select_from(AuditEntry))
    r = cli("user", "logout", "oekonom", "--db", app.state.ws.url)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "Alle sessioner for oekonom er afsluttet; brugeren skal logge ind igen.\n"
    assert status(app, laptop) == 401 and status(app, phone) == 401
    # the password is kept: a new login works
    code, fresh = fresh_login(app, "oekonom", PASSWORD.format("oekonom"))
    assert code == 200 and status(app, fresh) == 200
    with app.state.ws.store.reading() as s:
        entries = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))[n:]
    assert [(e.username, e.entity, e.entity_id, e.action, e.after) for e in entries] == [
        ("system", "user", "oekonom", "logout", {"sessions": "ended"})
    ]
    en = cli("user", "logout", "oekonom", "--db", app.state.ws.url, "--lang", "en")
    assert en.stdout == "Every session of oekonom has ended; the user must log in again.\n"
    bad = cli("user", "logout", "ingen-saadan", "--db", app.state.ws.url, debug=False)
    assert bad.exit_code == 2 and bad.stdout == ""
    assert bad.stderr == "fejl: brugeren ingen-saadan findes ikke\n"


# -- the migration and the export ----------------------------------------------------------


def test_the_migration_adds_the_epoch_to_existing_users(db_url):
    from alembic import command

    from socinvest.store import migrate
    from socinvest.store.engine import make_engine

    engine = make_engine(db_url)
    try:
        assert migrate.upgrade(engine, "0001") == (None, "0001")
        with engine.begin() as conn:  # a user of the first schema, with a membership
            conn.execute(
                text(
                    "insert into users (username, display_name, password_hash, active, "
                    "created_at) values ('ada', '', 'x', true, '2026-01-01 00:00:00+00')"
                )
            )
            conn.execute(
                text(
                    "insert into organisations (slug, name, created_at) "
                    "values ('kbh', 'kbh', '2026-01-01 00:00:00+00')"
                )
            )
            conn.execute(
                text(
                    "insert into memberships (user_id, org_id, role) "
                    "select u.id, o.id, 'admin' from users u, organisations o"
                )
            )
        assert migrate.upgrade(engine, "0002") == ("0001", "0002")
        column = {c["name"]: c for c in inspect(engine).get_columns("users")}["session_epoch"]
        assert column["nullable"] is False
        with engine.begin() as conn:
            assert conn.execute(text("select username, session_epoch from users")).all() == [
                ("ada", 0)
            ]
        # down again (the users row and its membership kept), then to the newest version
        command.downgrade(migrate.config(engine), "0001")
        assert migrate.current(engine) == "0001"
        assert "session_epoch" not in {c["name"] for c in inspect(engine).get_columns("users")}
        with engine.begin() as conn:
            assert conn.execute(text("select count(*) from memberships")).scalar() == 1
        assert migrate.upgrade(engine) == ("0001", migrate.head())
    finally:
        engine.dispose()


def test_export_and_import_keep_the_epoch(db_url, tmp_path):
    """A restored backup must not bring back sessions ended before it was made."""
    ws = wsv.open_workspace(db_url)
    try:
        auth.add_user(ws, "ada", PW, "kbh", Role.ADMIN)
        auth.set_password(ws, "ada", PW + "2")
        auth.end_sessions(ws, "ada")
        wsv.export_workspace(ws, tmp_path / "tree")
    finally:
        ws.store.dispose()
    manifest = json.loads((tmp_path / "tree" / "manifest.json").read_text("utf-8"))
    assert [(u["username"], u["session_epoch"]) for u in manifest["users"]] == [("ada", 2)]
    other = wsv.open_workspace(f"sqlite:///{tmp_path / 'restored.db'}")
    try:
        wsv.import_workspace(other, tmp_path / "tree")
        with other.store.reading() as s:
            assert s.scalar(select(User.session_epoch).where(User.username == "ada")) == 2
        login = auth.log_in(other, "ada", PW + "2")
        assert login is not None and login.epoch == 2
        assert auth.session_actor(other, login.actor.user_id, 1) is None
        assert auth.session_actor(other, login.actor.user_id, 2) == login.actor
    finally:
        other.store.dispose()


# -- socinvest user list | remove ----------------------------------------------------------


@pytest.fixture
def db(db_url):
    """kbh: ada (admin), bob (economist, auditor), cy (case owner, also in aarhus); aarhus:
    dan (admin)."""
    ws = wsv.open_workspace(db_url)
    try:
        auth.add_user(ws, "ada", PW, "kbh", Role.ADMIN, "Ada Lovelace")
        auth.add_user(ws, "bob", PW, "kbh", Role.ECONOMIST, "Bob Økonom")
        auth.add_user(ws, "bob", PW, "kbh", Role.AUDITOR)
        auth.add_user(ws, "cy", PW, "kbh", Role.CASE_OWNER)
        auth.add_user(ws, "dan", PW, "aarhus", Role.ADMIN)
        auth.add_user(ws, "cy", PW, "aarhus", Role.ECONOMIST)
    finally:
        ws.store.dispose()
    return db_url


def _state(url: str) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[bool, int]], int]:
    """Roles per user in kbh, (active, epoch) per user, and the number of audit entries."""
    ws = wsv.open_workspace(url)
    try:
        rows = users_svc.members(ws, None, "kbh")
        with ws.store.reading() as s:
            users = {u.username: (u.active, u.session_epoch) for u in s.scalars(select(User))}
            n = s.scalar(select(func.count()).select_from(AuditEntry))
        return {m.username: tuple(r.value for r in m.roles) for m in rows}, users, n
    finally:
        ws.store.dispose()


def test_user_list(db):
    r = cli("user", "list", "--org", "kbh", "--db", db)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == [
        "Medlemmer af kbh (bruger, vist navn, roller):",
        "  ada  Ada Lovelace  admin",
        "  bob  Bob Økonom    economist, auditor",
        "  cy   cy            case_owner",
    ]
    en = cli("user", "list", "--org", "aarhus", "--db", db, "--lang", "en")
    assert en.stdout.splitlines() == [
        "Members of aarhus (user, display name, roles):",
        "  cy   cy   economist",
        "  dan  dan  admin",
    ]
    j = cli("user", "list", "--org", "kbh", "--json", "--db", db)
    assert j.exit_code == 0
    assert json.loads(j.stdout) == {
        "org": "kbh",
        "members": [
            {"username": "ada", "display_name": "Ada Lovelace", "roles": ["admin"], "active": True},
            {
                "username": "bob",
                "display_name": "Bob Økonom",
                "roles": ["economist", "auditor"],
                "active": True,
            },
            {"username": "cy", "display_name": "", "roles": ["case_owner"], "active": True},
        ],
    }


def test_user_list_refusals(db):
    r = cli("user", "list", "--org", "odense", "--db", db, debug=False)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == "fejl: --org: organisationen odense findes ikke\n"
    en = cli("user", "list", "--org", "odense", "--db", db, "--lang", "en", debug=False)
    assert en.exit_code == 2
    assert en.stderr == "error: --org: the organisation odense does not exist\n"
    missing = cli("user", "list", "--db", db, debug=False)
    assert missing.exit_code == 2 and "--org" in missing.stderr
    assert "Traceback" not in missing.stderr + r.stderr + en.stderr


def test_user_remove_keeps_a_user_with_another_organisation_active(db):
    r = cli("user", "remove", "--org", "kbh", "cy", "--db", db)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "cy er fjernet fra kbh (roller: case_owner).\n"
    roles, users, _ = _state(db)
    assert "cy" not in roles and users["cy"] == (True, 0)  # still in aarhus, sessions kept
    ws = wsv.open_workspace(db)
    try:
        with ws.store.reading() as s:
            entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.username, entry.user_id, entry.entity, entry.entity_id, entry.action) == (
            "system",
            None,
            "membership",
            "cy",
            "remove",
        )
        assert entry.before == {"roles": ["case_owner"], "active": True}
        assert entry.after == {"roles": [], "active": True}
    finally:
        ws.store.dispose()


def test_user_remove_from_the_last_organisation_deactivates(db):
    r = cli("user", "remove", "bob", "--org", "kbh", "--db", db, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == [
        "bob was removed from kbh (roles: economist, auditor).",
        "bob has no organisation left and is deactivated: cannot log in, and every session "
        "has ended.",
    ]
    roles, users, _ = _state(db)
    assert set(roles) == {"ada", "cy"} and users["bob"] == (False, 1)
    ws = wsv.open_workspace(db)
    try:
        assert auth.authenticate(ws, "bob", PW) is None
    finally:
        ws.store.dispose()


def test_user_remove_refusals_write_nothing(db):
    before = _state(db)
    cases = {
        # the last admin: the service's rule, naming the user name
        ("ada", "kbh"): "fejl: brugernavn: kbh skal have mindst én aktiv administrator; "
        "giv først en anden bruger rollen administrator\n",
        ("dan", "kbh"): "fejl: brugernavn: dan er ikke medlem af kbh\n",
        ("nobody", "kbh"): "fejl: brugernavn: nobody er ikke medlem af kbh\n",
        ("ada", "odense"): "fejl: --org: organisationen odense findes ikke\n",
    }
    for (user, org), message in cases.items():
        r = cli("user", "remove", user, "--org", org, "--db", db, debug=False)
        assert (r.exit_code, r.stdout, r.stderr) == (2, "", message), (user, org)
    assert _state(db) == before
    en = cli("user", "remove", "ada", "--org", "kbh", "--db", db, "--lang", "en", debug=False)
    assert en.exit_code == 2 and en.stderr.startswith("error: user name: kbh must keep")
    for argv in (("user", "remove", "--org", "kbh"), ("user", "remove", "ada")):
        usage = cli(*argv, "--db", db, debug=False)
        assert usage.exit_code == 2 and "Traceback" not in usage.stderr
        assert ("'username'" if "--org" in argv else "'--org'") in usage.stderr
    assert _state(db) == before


def test_user_remove_then_the_admin_can_go_once_another_admin_exists(db):
    """The last-admin rule counts active admins: with a second admin, the first may go."""
    ws = wsv.open_workspace(db)
    try:
        auth.add_user(ws, "cy", PW, "kbh", Role.ADMIN)
    finally:
        ws.store.dispose()
    r = cli("user", "remove", "ada", "--org", "kbh", "--db", db)
    assert r.exit_code == 0, r.stderr
    roles, users, _ = _state(db)
    assert roles == {"bob": ("economist", "auditor"), "cy": ("admin", "case_owner")}
    assert users["ada"] == (False, 1)


def test_every_user_command_and_option_has_help():
    for command in ("add", "password", "list", "remove", "logout"):
        r = cli("user", command, "--help")
        assert r.exit_code == 0, command
        options = set(re.findall(r"(--[a-z][a-z-]+)", r.stdout)) - {"--help"}
        assert options, command
        for option in options:
            line = next(x for x in r.stdout.splitlines() if option in x)
            # every option's line carries words of its own after the option (its help)
            assert re.search(rf"{option}\b.*\b[A-Za-zæøå]{{3,}}", line), (command, option)
    r = cli("user", "--help")
    for command in ("add", "password", "list", "remove", "logout"):
        assert re.search(rf"^\W*{command}\s+\S", r.stdout, re.M), command


def test_one_list_of_members(db):
    """auth.members (one row per role) is gone; services.users.members is the one list."""
    assert not hasattr(auth, "members")
    ws = wsv.open_workspace(db)
    try:
        admin = auth.authenticate(ws, "ada", PW)
        assert users_svc.members(ws, admin, "kbh") == users_svc.members(ws, None, "kbh")
        with ws.store.reading() as s:
            assert s.scalar(select(func.count()).select_from(Membership)) == 6
    finally:
        ws.store.dispose()
