"""The user-administration page (an organisation's admin only): the members and their roles,
adding a user, changing roles, resetting a password, removing a member; the last-admin rule;
the audit entries (before/after, never a password hash); the messages naming the field, in
Danish and English; and other organisations' admins and the other roles refused, by the
route table and by the service itself (services/users.py).

The web tests run over a copy of the demo workspace (tests/test_web.py's fixtures); the
service's rules, its lock and a race of two admins also run on SQLite and PostgreSQL
(`db_url`)."""

from __future__ import annotations

import re
import threading

import pytest

pytest.importorskip("fastapi")

from sqlalchemy import func, select, text  # noqa: E402

from socinvest.services import auth  # noqa: E402
from socinvest.services import users as svc  # noqa: E402
from socinvest.services import workspace as wsv  # noqa: E402
from socinvest.store.models import AuditEntry, Role, User  # noqa: E402
from socinvest.web.access import ADMINS, BY_NAME  # noqa: E402

from . import test_web as web  # noqa: E402
from .test_web import JSON, ORG, OTHER, PASSWORD, client, login  # noqa: E402

template_db = web.template_db  # the demo workspace, built once per test run
app = web.app  # a fresh copy of it per test

USERS = f"/o/{ORG}/users"
NEW_PW = "en-god-adgangskode-1"


@pytest.fixture(autouse=True)
def _fast(fast_passwords):
    """argon2 at its smallest cost for the passwords set here (the demo's stay as they are)."""


def _audit(app, entity: str | None = None) -> list[AuditEntry]:
    with app.state.ws.store.reading() as s:
        q = select(AuditEntry).order_by(AuditEntry.id)
        if entity:
            q = q.where(AuditEntry.entity == entity)
        return list(s.scalars(q))


def _count(app, model) -> int:
    with app.state.ws.store.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def _members(c) -> dict[str, list[str]]:
    return {m["username"]: m["roles"] for m in c.get(USERS, headers=JSON).json()["members"]}


def _login_status(app, username: str, password: str) -> int:
    c = client(app)
    token = c.get("/login", headers=JSON).json()["csrf_token"]
    form = {"username": username, "password": password, "csrf_token": token}
    return c.post("/login", data=form, headers=JSON).status_code


# -- the route table -----------------------------------------------------------------------


def test_routes_are_declared_for_admins_only():
    names = ("users", "add_user", "set_roles", "reset_password", "remove_user")
    assert frozenset({"admin"}) == ADMINS
    for name in names:
        assert BY_NAME[name].roles == ADMINS and BY_NAME[name].org_scoped, name
    assert [BY_NAME[n].method for n in names] == ["GET", "POST", "POST", "POST", "POST"]


# -- the page ------------------------------------------------------------------------------


def test_page_lists_the_organisations_members_and_roles(app):
    c, _ = login(app, "admin")
    data = c.get(USERS, headers=JSON).json()
    assert data["org"] == ORG
    assert data["roles"] == ["admin", "economist", "case_owner", "committee_reader", "auditor"]
    rows = {m["username"]: m for m in data["members"]}
    # the demo's five logins of eksempel, nobody of nabo
    assert {u: m["roles"] for u, m in rows.items()} == {
        "admin": ["admin"],
        "oekonom": ["economist"],
        "revisor": ["auditor"],
        "sagsejer": ["case_owner"],
        "udvalg": ["committee_reader"],
    }
    assert all(m["active"] for m in rows.values())
    page = c.get(USERS)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    # plain forms (no JavaScript needed): one per member and action, and the add form
    for user in rows:
        assert f'id="user-{user}"' in page.text
        assert f'action="{USERS}/{user}/roles"' in page.text
        assert f'action="{USERS}/{user}/password"' in page.text
        assert f'action="{USERS}/{user}/remove"' in page.text
    assert f'<form method="post" action="{USERS}"' in page.text
    row = re.search(r'<tr id="user-oekonom">.*?</tr>', page.text, re.S).group(0)
    assert re.search(r'value="economist" checked', row)
    assert not re.search(r'value="admin" checked', row)
    # password fields are never pre-filled
    assert not re.search(r'type="password"[^>]*value=', page.text)


def test_nav_links_to_the_page_for_admins_only(app):
    link = f'href="{USERS}"'
    admin, _ = login(app, "admin")
    assert link in admin.get(f"/o/{ORG}").text
    for user in ("oekonom", "revisor", "sagsejer", "udvalg"):
        c, _ = login(app, user)
        assert link not in c.get(f"/o/{ORG}").text, user
    nabo, _ = login(app, "nabo-admin")
    assert 'href="/o/nabo/users"' in nabo.get("/o/nabo").text


def test_page_in_english(app):
    c, _ = login(app, "admin")
    page = c.get(f"{USERS}?lang=en")
    assert "Users in eksempel" in page.text and "Add a user" in page.text
    assert "economist" in page.text and "Reset password" in page.text


# -- adding a user -------------------------------------------------------------------------


def test_add_a_user_with_roles_who_can_then_log_in(app):
    c, token = login(app, "admin")
    before = len(_audit(app))
    form = {
        "username": "ny-oekonom",
        "display_name": "Ny Økonom",
        "password": NEW_PW,
        "roles": ["economist", "auditor"],
        "csrf_token": token,
    }
    r = c.post(USERS, data=form)
    assert r.status_code == 303 and r.headers["location"] == f"{USERS}#user-ny-oekonom"
    assert _members(c)["ny-oekonom"] == ["economist", "auditor"]
    assert _login_status(app, "ny-oekonom", NEW_PW) == 200
    # the new user reads the audit log (auditor) in eksempel and nothing of nabo
    actor = auth.authenticate(app.state.ws, "ny-oekonom", NEW_PW)
    assert actor.roles_in(ORG) == {Role.ECONOMIST, Role.AUDITOR} and not actor.roles_in(OTHER)
    entries = _audit(app)[before:]
    assert [(e.entity, e.entity_id, e.action, e.username) for e in entries] == [
        ("user", "ny-oekonom", "create", "admin"),
        ("membership", "ny-oekonom", "roles", "admin"),
    ]
    assert entries[0].after == {"display_name": "Ny Økonom"}
    assert entries[1].before == {"roles": [], "active": True}
    assert entries[1].after == {"roles": ["economist", "auditor"], "active": True}
    # JSON: 201 and the member
    form = {**form, "username": "ny-revisor", "roles": "auditor"}
    r = c.post(USERS, data=form, headers=JSON)
    assert r.status_code == 201
    assert r.json()["member"] == {
        "username": "ny-revisor",
        "display_name": "Ny Økonom",
        "roles": ["auditor"],
        "active": True,
    }


BAD_ADDS = [
    # (form changes, field, Danish message part, English message part)
    ({"roles": ["economist", "chef"]}, "roles", "roller: ukendt rolle 'chef'", "roles: unknown role"),
    ({"roles": []}, "roles", "roller: vælg mindst én rolle", "roles: choose at least one role"),
    ({"password": ""}, "password", "adgangskode: adgangskoden skal have mindst 10 tegn",
     "password: the password must have at least 10 characters"),
    ({"password": "kort1234"}, "password", "adgangskode: adgangskoden skal have mindst 10 tegn",
     "password: the password must have at least 10 characters"),
    ({"username": "oekonom"}, "username", "brugernavn: brugernavnet oekonom er optaget",
     "user name: the user name oekonom is taken"),
    ({"username": "OEKONOM"}, "username", "brugernavn: brugernavnet oekonom er optaget",
     "user name: the user name oekonom is taken"),
    ({"username": "nabo-admin"}, "username", "brugernavn: brugernavnet nabo-admin er optaget",
     "user name: the user name nabo-admin is taken"),
    ({"username": ""}, "username", "brugernavn: skal udfyldes", "user name: must be filled in"),
    ({"username": "ny bruger"}, "username", "brugernavn: 'ny bruger' er ikke et gyldigt",
     "user name: 'ny bruger' is not a valid user name"),
    ({"display_name": "a\x01b"}, "display_name", "vist navn: højst 200 tegn",
     "display name: at most 200 characters"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "field", "da", "en"), BAD_ADDS)
def test_bad_add_names_the_field_and_writes_nothing(app, change, field, da, en):
    c, token = login(app, "admin")
    form = {
        "username": "ny",
        "display_name": "Ny",
        "password": NEW_PW,
        "roles": ["economist"],
        "csrf_token": token,
        **change,
    }
    audit, users = len(_audit(app)), _count(app, User)
    members = _members(c)
    r = c.post(USERS, data=form, headers=JSON)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field and r.json()["error"] == "input"
    assert da in r.json()["message"], r.json()["message"]
    english = c.post(f"{USERS}?lang=en", data=form, headers=JSON).json()
    assert english["field"] == field and en in english["message"], english["message"]
    # HTML: the page again, the message in an alert, the form's values kept but the password
    page = c.post(f"{USERS}?lang=da", data=form)  # the English request set the cookie
    assert page.status_code == 422
    alert = re.search(r'<p class="error" role="alert" id="users-error">(.*?)</p>', page.text, re.S)
    assert alert and da.replace("'", "&#39;") in alert.group(1)
    assert 'aria-invalid="true"' in page.text
    if change.get("username") and "\x01" not in change.get("username", ""):
        assert f'name="username" value="{change["username"]}"' in page.text.replace("&#39;", "'")
    assert NEW_PW not in page.text and "kort1234" not in page.text
    # nothing written
    assert (len(_audit(app)), _count(app, User)) == (audit, users)
    assert _members(c) == members


# -- changing roles ------------------------------------------------------------------------


def test_change_a_members_roles(app):
    c, token = login(app, "admin")
    economist, _ = login(app, "oekonom")
    assert economist.get(f"/o/{ORG}/audit", headers=JSON).status_code == 403
    before = len(_audit(app))
    url = f"{USERS}/oekonom/roles"
    r = c.post(url, data={"roles": ["economist", "auditor"], "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == f"{USERS}#user-oekonom"
    assert _members(c)["oekonom"] == ["economist", "auditor"]
    # at once: the economist's session now reads the audit log
    assert economist.get(f"/o/{ORG}/audit", headers=JSON).status_code == 200
    (entry,) = _audit(app)[before:]
    assert (entry.entity, entry.entity_id, entry.action) == ("membership", "oekonom", "roles")
    assert entry.before == {"roles": ["economist"], "active": True}
    assert entry.after == {"roles": ["economist", "auditor"], "active": True}
    # JSON; and the same roles again change nothing and write no entry
    r = c.post(url, data={"roles": ["auditor"], "csrf_token": token}, headers=JSON)
    assert r.status_code == 200 and r.json()["member"]["roles"] == ["auditor"]
    assert economist.get(f"/o/{ORG}", headers=JSON).status_code == 200
    n = len(_audit(app))
    assert c.post(url, data={"roles": "auditor", "csrf_token": token}).status_code == 303
    assert len(_audit(app)) == n


@pytest.mark.parametrize(
    ("roles", "message"),
    [([], "roller: vælg mindst én rolle"), (["boss"], "roller: ukendt rolle 'boss'")],
)
def test_bad_roles_name_the_field(app, roles, message):
    c, token = login(app, "admin")
    n = len(_audit(app))
    r = c.post(f"{USERS}/udvalg/roles", data={"roles": roles, "csrf_token": token}, headers=JSON)
    assert r.status_code == 422 and r.json()["field"] == "roles"
    assert message in r.json()["message"]
    assert _members(c)["udvalg"] == ["committee_reader"] and len(_audit(app)) == n


def test_unknown_member_is_404_naming_the_user(app):
    c, token = login(app, "admin")
    n = len(_audit(app))
    for user in ("nobody", "nabo-admin"):  # no such user; a user of the other organisation
        for action, form in (
            ("roles", {"roles": "auditor"}),
            ("password", {"password": NEW_PW}),
            ("remove", {}),
        ):
            r = c.post(f"{USERS}/{user}/{action}", data={**form, "csrf_token": token}, headers=JSON)
            assert r.status_code == 404, (user, action, r.text)
            assert r.json() == {
                "error": "not_found",
                "field": "username",
                "message": f"brugernavn: {user} er ikke medlem af {ORG}",
            }
    page = c.post(f"{USERS}/nobody/remove", data={"csrf_token": token})
    assert page.status_code == 404 and "nobody er ikke medlem af eksempel" in page.text
    assert len(_audit(app)) == n
    assert _login_status(app, "nabo-admin", PASSWORD.format("nabo-admin")) == 200


# -- passwords -----------------------------------------------------------------------------


def test_reset_a_password(app):
    c, token = login(app, "admin")
    before = len(_audit(app))
    r = c.post(f"{USERS}/revisor/password", data={"password": NEW_PW, "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == f"{USERS}#user-revisor"
    assert _login_status(app, "revisor", NEW_PW) == 200
    assert _login_status(app, "revisor", PASSWORD.format("revisor")) == 401
    (entry,) = _audit(app)[before:]
    assert (entry.entity, entry.entity_id, entry.action) == ("user", "revisor", "password")
    assert entry.before is None and entry.after == {"password": "reset"}
    # weak: 422 naming the field, the password unchanged, no entry
    weak = c.post(
        f"{USERS}/revisor/password", data={"password": "short", "csrf_token": token}, headers=JSON
    )
    assert weak.status_code == 422 and weak.json()["field"] == "password"
    assert weak.json()["message"] == "adgangskode: adgangskoden skal have mindst 10 tegn"
    assert _login_status(app, "revisor", NEW_PW) == 200 and len(_audit(app)) == before + 1


def test_no_password_or_hash_ever_reaches_the_audit_log(app):
    c, token = login(app, "admin")
    c.post(
        USERS, data={"username": "x1", "password": NEW_PW, "roles": "auditor", "csrf_token": token}
    )
    c.post(f"{USERS}/x1/password", data={"password": NEW_PW + "x", "csrf_token": token})
    c.post(f"{USERS}/x1/roles", data={"roles": "economist", "csrf_token": token})
    c.post(f"{USERS}/x1/remove", data={"csrf_token": token})
    export = c.get(f"/o/{ORG}/audit/export?format=json").text
    assert '"entity_id": "x1"' in export
    with app.state.ws.store.reading() as s:
        hashes = [h for (h,) in s.execute(text("select password_hash from users"))]
    assert all(h.startswith("$argon2") for h in hashes)
    for secret in (NEW_PW, "$argon2", *hashes):
        assert secret not in export


def test_reset_refused_for_a_member_of_an_organisation_the_admin_does_not_administer(app):
    ws = app.state.ws
    # the command line gives nabo's economist a role in eksempel too
    auth.add_user(ws, "nabo-oekonom", "ignored-password", ORG, Role.AUDITOR)
    c, token = login(app, "admin")
    n = len(_audit(app))
    url = f"{USERS}/nabo-oekonom/password"
    r = c.post(url, data={"password": NEW_PW, "csrf_token": token}, headers=JSON)
    assert r.status_code == 403 and "anden organisation" in r.json()["message"]
    assert len(_audit(app)) == n
    assert _login_status(app, "nabo-oekonom", PASSWORD.format("nabo-oekonom")) == 200
    # an admin of both organisations may
    auth.add_user(ws, "admin", "ignored-password", OTHER, Role.ADMIN)
    assert c.post(url, data={"password": NEW_PW, "csrf_token": token}).status_code == 303
    assert _login_status(app, "nabo-oekonom", NEW_PW) == 200


# -- removing ------------------------------------------------------------------------------


def test_remove_a_member_deactivates_a_user_with_no_organisation_left(app):
    c, token = login(app, "admin")
    reader, _ = login(app, "udvalg")
    assert reader.get(f"/o/{ORG}", headers=JSON).status_code == 200
    before = len(_audit(app))
    r = c.post(f"{USERS}/udvalg/remove", data={"csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == USERS
    assert "udvalg" not in _members(c)
    (entry,) = _audit(app)[before:]
    assert (entry.entity, entry.entity_id, entry.action) == ("membership", "udvalg", "remove")
    assert entry.before == {"roles": ["committee_reader"], "active": True}
    assert entry.after == {"roles": [], "active": False}
    # the session ends at once, and the password no longer logs in
    assert reader.get(f"/o/{ORG}", headers=JSON).status_code == 401
    assert _login_status(app, "udvalg", PASSWORD.format("udvalg")) == 401
    # the name stays reserved (the audit trail names it)
    again = {"username": "udvalg", "password": NEW_PW, "roles": "auditor", "csrf_token": token}
    assert c.post(USERS, data=again, headers=JSON).status_code == 422
    # the command line (`socinvest user add`) lets it in again, audited
    auth.add_user(app.state.ws, "udvalg", "ignored-password", ORG, Role.COMMITTEE_READER)
    assert _login_status(app, "udvalg", PASSWORD.format("udvalg")) == 200
    activate = [e for e in _audit(app, "user") if e.action == "activate"]
    assert [(e.entity_id, e.username, e.before, e.after) for e in activate] == [
        ("udvalg", "system", {"active": False}, {"active": True})
    ]


def test_remove_keeps_a_user_active_that_has_another_organisation(app):
    auth.add_user(app.state.ws, "nabo-oekonom", "ignored-password", ORG, Role.AUDITOR)
    c, token = login(app, "admin")
    r = c.post(f"{USERS}/nabo-oekonom/remove", data={"csrf_token": token}, headers=JSON)
    assert r.status_code == 200
    assert r.json()["removed"] == {"username": "nabo-oekonom", "roles": ["auditor"], "active": True}
    neighbour, _ = login(app, "nabo-oekonom")
    assert neighbour.get("/o/nabo", headers=JSON).status_code == 200
    assert neighbour.get(f"/o/{ORG}", headers=JSON).status_code == 404


# -- the last admin ------------------------------------------------------------------------


def test_the_organisation_keeps_an_admin(app):
    c, token = login(app, "admin")
    n = len(_audit(app))
    demote = c.post(
        f"{USERS}/admin/roles", data={"roles": "economist", "csrf_token": token}, headers=JSON
    )
    assert demote.status_code == 409 and demote.json()["field"] == "roles"
    assert demote.json()["error"] == "conflict"
    assert demote.json()["message"] == (
        "roller: eksempel skal have mindst én aktiv administrator; "
        "giv først en anden bruger rollen administrator"
    )
    english = c.post(
        f"{USERS}/admin/roles?lang=en", data={"roles": "economist", "csrf_token": token},
        headers=JSON,
    )  # fmt: skip
    assert english.json()["message"].startswith("roles: eksempel must keep at least one active")
    leave = c.post(f"{USERS}/admin/remove?lang=da", data={"csrf_token": token})
    assert leave.status_code == 409 and "mindst én aktiv administrator" in leave.text
    assert _members(c)["admin"] == ["admin"] and len(_audit(app)) == n
    # with a second admin the first may step down; it then leaves the page
    promote = {"roles": ["admin", "economist"], "csrf_token": token}
    assert c.post(f"{USERS}/oekonom/roles", data=promote).status_code == 303
    r = c.post(f"{USERS}/admin/roles", data={"roles": "auditor", "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == f"/o/{ORG}"
    assert c.get(USERS, headers=JSON).status_code == 403
    economist, etoken = login(app, "oekonom")
    assert _members(economist)["admin"] == ["auditor"]
    # and now the economist is the last admin
    last = economist.post(
        f"{USERS}/oekonom/roles", data={"roles": "economist", "csrf_token": etoken}, headers=JSON
    )
    assert last.status_code == 409


# -- access --------------------------------------------------------------------------------


def test_other_roles_and_other_organisations_are_refused(app):
    for user in ("oekonom", "revisor", "sagsejer", "udvalg"):
        c, token = login(app, user)
        assert c.get(USERS, headers=JSON).status_code == 403, user
        form = {"username": "x2", "password": NEW_PW, "roles": "admin", "csrf_token": token}
        assert c.post(USERS, data=form, headers=JSON).status_code == 403, user
        assert c.post(f"{USERS}/{user}/roles", data={"roles": "admin", "csrf_token": token},
                      headers=JSON).status_code == 403  # fmt: skip
    nabo, token = login(app, "nabo-admin")
    assert nabo.get(USERS, headers=JSON).status_code == 404
    for action, form in (("roles", {"roles": "admin"}), ("password", {"password": NEW_PW})):
        r = nabo.post(f"{USERS}/admin/{action}", data={**form, "csrf_token": token}, headers=JSON)
        assert r.status_code == 404
    assert nabo.post(f"{USERS}/admin/remove", data={"csrf_token": token}).status_code == 404
    assert _login_status(app, "admin", PASSWORD.format("admin")) == 200
    admin, _ = login(app, "admin")
    assert _members(admin)["admin"] == ["admin"]
    # nabo's own page lists only nabo
    assert set(_members_of(nabo, OTHER)) == {"nabo-admin", "nabo-oekonom"}


def _members_of(c, org: str) -> list[str]:
    return [m["username"] for m in c.get(f"/o/{org}/users", headers=JSON).json()["members"]]


def test_the_service_enforces_the_rules_itself(app):
    """Without the web's gate: the service refuses a non-admin (403), another organisation's
    admin (hidden: 404), and an admin whose role was revoked since its actor was read."""
    ws = app.state.ws
    economist = auth.authenticate(ws, "oekonom", PASSWORD.format("oekonom"))
    neighbour = auth.authenticate(ws, "nabo-admin", PASSWORD.format("nabo-admin"))
    admin = auth.authenticate(ws, "admin", PASSWORD.format("admin"))
    calls = [
        lambda a: svc.members(ws, a, ORG),
        lambda a: svc.add_member(ws, a, ORG, "x3", NEW_PW, ["auditor"]),
        lambda a: svc.set_roles(ws, a, ORG, "udvalg", ["admin"]),
        lambda a: svc.reset_password(ws, a, ORG, "udvalg", NEW_PW),
        lambda a: svc.remove_member(ws, a, ORG, "udvalg"),
    ]
    for call in calls:
        with pytest.raises(wsv.AccessDenied) as e:
            call(economist)
        assert not e.value.hidden
        with pytest.raises(wsv.AccessDenied) as e:
            call(neighbour)
        assert e.value.hidden
    # the admin becomes an economist and a second admin exists: its old actor is refused
    svc.set_roles(ws, admin, ORG, "oekonom", ["admin"])
    svc.set_roles(ws, admin, ORG, "admin", ["economist"])
    for call in calls[1:]:
        with pytest.raises(wsv.AccessDenied):
            call(admin)
    assert _count(app, User) == 7


# -- the service on SQLite and PostgreSQL ---------------------------------------------------


def test_service_rules_and_a_race_of_two_admins(db_url, fast_passwords):
    """Two admins demoting each other at once: one wins, the other gets 409 (the
    organisation's row is locked first), and the organisation keeps an admin."""
    ws = wsv.open_workspace(db_url)
    try:
        auth.add_user(ws, "a", "password-a-123", "kbh", Role.ADMIN)
        auth.add_user(ws, "b", "password-b-123", "kbh", Role.ADMIN)
        a = auth.authenticate(ws, "a", "password-a-123")
        b = auth.authenticate(ws, "b", "password-b-123")
        m = svc.add_member(ws, a, "kbh", "cc", "password-c-123", ["auditor", "economist"], "C")
        assert m == svc.Member("cc", "C", (Role.ECONOMIST, Role.AUDITOR), True)
        with pytest.raises(svc.UserError) as e:
            svc.add_member(ws, a, "kbh", "CC", "password-c-123", ["auditor"])
        assert e.value.field == "username" and e.value.status == 422
        assert [(x.username, x.roles) for x in svc.members(ws, a, "kbh")] == [
            ("a", (Role.ADMIN,)),
            ("b", (Role.ADMIN,)),
            ("cc", (Role.ECONOMIST, Role.AUDITOR)),
        ]
        results: list[object] = []
        barrier = threading.Barrier(2)

        def demote(actor, other: str) -> None:
            barrier.wait()
            try:
                results.append(svc.set_roles(ws, actor, "kbh", other, ["economist"]))
            except (svc.UserError, wsv.AccessDenied) as err:
                results.append(err)

        threads = [
            threading.Thread(target=demote, args=(a, "b")),
            threading.Thread(target=demote, args=(b, "a")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        # the loser is refused either by the last-admin rule (it saw the winner's change) or
        # because it is no longer an admin itself (its role went first)
        won = [r for r in results if isinstance(r, svc.Member)]
        assert len(results) == 2 and len(won) == 1, results
        admins = [x.username for x in svc.members(ws, _admin(ws), "kbh") if Role.ADMIN in x.roles]
        assert len(admins) == 1
        removed = svc.remove_member(ws, _admin(ws), "kbh", "cc")
        assert removed == svc.Removed("cc", (Role.ECONOMIST, Role.AUDITOR), False)
        assert auth.authenticate(ws, "cc", "password-c-123") is None
    finally:
        ws.store.dispose()


def _admin(ws):
    for name in ("a", "b"):
        actor = auth.authenticate(ws, name, f"password-{name}-123")
        if Role.ADMIN in actor.roles_in("kbh"):
            return actor
    raise AssertionError("no admin left")


def test_generated_requests_as_admin_never_fail_the_server(app):
    """schemathesis over the user routes with the admin's session (tests/test_web_schema.py
    runs as the economist, whom the gate refuses before the handlers): no 5xx, only
    declared statuses and content types, and the organisation keeps its admin."""
    schema_test = pytest.importorskip("tests.test_web_schema")
    schemathesis = pytest.importorskip("schemathesis")
    c, _ = login(app, "admin")
    cookie, token = web._SESSIONS["admin"]
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", app, headers={"cookie": f"socinvest_session={cookie}"}
    )
    ops = [o.ok() for o in schema.get_all_operations() if "/users" in o.ok().label]
    assert len(ops) == 5
    checked: dict[str, int] = {}
    for op in ops:
        schema_test.run_examples(op, token, cookie, checked)
    assert len(checked) == 5
    assert "admin" in _members(c) and "admin" in _members(c)["admin"]
