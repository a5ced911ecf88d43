"""The route × role × organisation matrix: every route of `web.access.ROUTES`, as every role
of both demo organisations (and anonymously), against objects of its own organisation and of
the other one; state-changing routes with a valid CSRF token. The expected answer of each
call comes from the issue's role rules, written out here independently of the app
(`RULES`, `readable`, `writable`), and any access that should be refused and is not fails.

Demo workspace: "eksempel" as `socinvest workspace demo` makes it; "nabo" gets the roles the
demo leaves out (case owner, committee reader, auditor) and a decided case of its own case
owner, so both organisations have every role and the same kinds of objects.

Objects (per organisation):
- own: a decided case owned by the organisation's case owner (eksempel: seed 000);
- decided: a decided case of an economist (eksempel only);
- undecided: a submitted or draft case of an economist;
- fu_own / fu_undecided: the follow-up of the own case, of an undecided case (eksempel);
- pool: the pool (eksempel);
- ghost: an eksempel path asked for in nabo (exists only in the other organisation);
- job: a finished report job of eksempel's admin; nojob: no such job.
- matrix-{org}, matrix-gone-{org}: members (auditors) whose roles and password the user
  routes set, and one they remove; add_user adds a new name per caller.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from socinvest.services import auth  # noqa: E402
from socinvest.services import workspace as wsv  # noqa: E402
from socinvest.store.models import CaseStatus, Role  # noqa: E402
from socinvest.web.access import ROUTES, RouteSpec  # noqa: E402
from socinvest.web.app import create_app  # noqa: E402
from socinvest.web.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
JSON = {"accept": "application/json"}
ORGS = ("eksempel", "nabo")
ROLES = ("admin", "economist", "case_owner", "committee_reader", "auditor")
USERS = {  # (org, role) -> user name; the nabo roles beyond admin/economist are added here
    ("eksempel", "admin"): "admin",
    ("eksempel", "economist"): "oekonom",
    ("eksempel", "case_owner"): "sagsejer",
    ("eksempel", "committee_reader"): "udvalg",
    ("eksempel", "auditor"): "revisor",
    ("nabo", "admin"): "nabo-admin",
    ("nabo", "economist"): "nabo-oekonom",
    ("nabo", "case_owner"): "nabo-sagsejer",
    ("nabo", "committee_reader"): "nabo-udvalg",
    ("nabo", "auditor"): "nabo-revisor",
}
SEED_000 = "examples/tidlig-indsats-0-2.yaml"
OBJECTS: dict[str, dict[str, str]] = {
    "eksempel": {
        "own": SEED_000,
        "decided": "examples/taettere-paa-familier-handicap.yaml",
        "undecided": "examples/fit-familiebehandling.yaml",
        "fu_own": "examples/followup/tidlig-indsats-0-2.followup.yaml",
        "fu_undecided": "examples/followup/fit-familiebehandling.followup.yaml",
        "pool": "examples/pool/pool.yaml",
    },
    "nabo": {"own": "egen.yaml", "undecided": "fit-familiebehandling.yaml"},
}
STATUS = {"own": "decided", "decided": "decided", "undecided": "submitted"}
PARAMETER = {"own": "pilot_areas", "decided": "no_such_parameter", "undecided": "fte_cost"}
LINE = {"own": "team_buf", "decided": "fewer_bought_places", "undecided": "fit_training"}
NABO_UNDECIDED_STATUS = "draft"
ATTACHMENTS: dict[tuple[str, str], int] = {}
"""(org, object) → the id of an original kept with that case (made by `world`)."""

# -- the rules of the issue (item 3), independently of web/access.py ----------------------

EVERYONE = frozenset(ROLES)
EDITORS = frozenset({"admin", "economist", "case_owner"})
RULES: dict[str, frozenset[str] | None] = {
    "health": None,
    "login_form": None,
    "login": None,
    "logout": EVERYONE,
    "openapi": EVERYONE,
    "home": EVERYONE,
    "portfolio": EVERYONE,
    "upload_form": EDITORS,  # a case owner writes new proposals
    "upload": EDITORS,
    "history": EVERYONE,
    "diff": EVERYONE,
    "edit_parameter": EDITORS,
    "edit_line": EDITORS,
    "edit_source": EDITORS,
    "set_status": EDITORS,
    "start_case_job": EVERYONE,  # reports: a committee reader reads decided cases' reports
    "case": EVERYONE,
    "followup": EVERYONE,
    "upload_actuals": EDITORS,  # a case owner edits its cases' follow-up
    "start_pool_job": frozenset({"admin", "economist"}),  # economist edits the pool
    "pool": EVERYONE,
    "job": EVERYONE,
    "job_file": EVERYONE,
    "attachments": EVERYONE,  # the service lists only those of readable documents
    "attachment_file": EVERYONE,  # read exactly as the document it belongs to
    "audit": frozenset({"admin", "auditor"}),
    "audit_export": frozenset({"admin", "auditor"}),
    "users": frozenset({"admin"}),  # an organisation's admin administers its users
    "add_user": frozenset({"admin"}),
    "set_roles": frozenset({"admin"}),
    "reset_password": frozenset({"admin"}),
    "remove_user": frozenset({"admin"}),
}
CASE_ROUTES = {"history", "diff", "edit_parameter", "edit_line", "edit_source", "set_status"}
CASE_ROUTES |= {"start_case_job", "case"}
WRITES = {"edit_parameter", "edit_line", "edit_source", "set_status", "upload_actuals"}


def readable(role: str, obj: str) -> bool:
    """admin, economist, auditor read everything; a case owner its own cases and their
    follow-up, decided cases and pools; a committee reader decided cases, their follow-up
    and pools."""
    if role in ("admin", "economist", "auditor"):
        return True
    return obj in ("own", "decided", "fu_own", "pool")  # "own" is decided in both orgs


def writable(role: str, obj: str, route: str) -> bool:
    if role in ("admin", "economist"):
        return True
    if role != "case_owner" or route == "set_status":  # own case is decided: owner can't move it
        return False
    return obj in ("own", "fu_own")


@dataclass(frozen=True)
class Call:
    spec: RouteSpec
    org: str  # the organisation in the URL ("" for global routes)
    obj: str  # the object's key in OBJECTS ("" for organisation-level and global routes)
    url: str


def expected(org: str | None, role: str | None, user: str | None, call: Call) -> int | None:
    """The refusal a call must get (401, 403, 404), or None when it must be served."""
    rule = RULES[call.spec.name]
    if call.spec.name == "login" and user is None:
        return 401  # anonymous logs in as no one: wrong user name or password
    if rule is None:
        return None
    if role is None:
        return 401
    if not call.org:
        return None
    if call.org != org:
        return 404  # another organisation: as if it did not exist
    if role not in rule:
        return 403
    if call.obj in ("ghost", "nojob", "noatt"):
        return 404
    if call.obj == "job":
        return None if user == "admin" else 404  # a job is its starter's
    if call.obj and not readable(role, call.obj):
        return 404
    if call.spec.name in WRITES and not writable(role, call.obj, call.spec.name):
        return 403
    return None


SERVED = {200, 201, 202, 303}


# -- the workspace -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The demo workspace with both organisations fully staffed, the app over it, a logged-in
    session (cookie, CSRF token) per user, and a finished job of eksempel's admin."""
    from argon2 import PasswordHasher

    mp = pytest.MonkeyPatch()
    mp.setattr(auth, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    db = tmp_path_factory.mktemp("matrix") / "ws.db"
    ws = wsv.open_workspace(f"sqlite:///{db}")
    wsv.load_demo(ws, ROOT / "examples")
    for role in ("case_owner", "committee_reader", "auditor"):
        name = USERS[("nabo", role)]
        auth.add_user(ws, name, f"demo-{name}-2026", "nabo", Role(role), name)
    for org in ORGS:  # members whose roles, password and membership the user routes change
        for name in (f"matrix-{org}", f"matrix-gone-{org}"):
            auth.add_user(ws, name, f"demo-{name}-2026", org, Role.AUDITOR, name)
    owner = auth.authenticate(ws, "nabo-sagsejer", "demo-nabo-sagsejer-2026")
    nabo_admin = auth.authenticate(ws, "nabo-admin", "demo-nabo-admin-2026")
    assert owner is not None and nabo_admin is not None
    text = (ROOT / SEED_000).read_text(encoding="utf-8")
    wsv.save(ws, owner, "nabo", "egen.yaml", text, base_version=None, message="egen")
    wsv.set_status(ws, nabo_admin, "nabo", "egen.yaml", CaseStatus.DECIDED)
    admin = auth.authenticate(ws, "admin", "demo-admin-2026")
    assert admin is not None
    for org, who in (("eksempel", admin), ("nabo", nabo_admin)):
        for obj, path in OBJECTS[org].items():
            if obj in STATUS:  # an original with each case
                a = wsv.attach(ws, who, org, path, f"{obj}.pdf", "application/pdf", b"%PDF-1.4")
                ATTACHMENTS[(org, obj)] = a.id
    app = create_app(Settings(secret_key="m" * 32, job_workers=1, login_limit=1000), ws)
    sessions: dict[str, tuple[str, str]] = {}
    with TestClient(app, follow_redirects=False) as c:
        for user in USERS.values():
            c.cookies.clear()
            token = c.get("/login", headers=JSON).json()["csrf_token"]
            form = {"username": user, "password": f"demo-{user}-2026", "csrf_token": token}
            r = c.post("/login", data=form, headers=JSON)
            assert r.status_code == 200, (user, r.text)
            sessions[user] = (c.cookies["socinvest_session"], r.json()["csrf_token"])
        c.cookies.set("socinvest_session", sessions["admin"][0])
        started = c.post(
            f"/o/eksempel/cases/{SEED_000}/jobs",
            data={"kind": "report", "format": "md", "csrf_token": sessions["admin"][1]},
            headers=JSON,
        )
        assert started.status_code == 202, started.text
        job_url = started.json()["url"]
        end = time.monotonic() + 120
        while c.get(job_url, headers=JSON).json()["state"] not in ("done", "failed"):
            assert time.monotonic() < end, "the admin's report job did not finish"
            time.sleep(0.1)
        assert c.get(job_url, headers=JSON).json()["state"] == "done"
        yield app, sessions, job_url.rsplit("/", 1)[1]
    mp.undo()
    app.state.jobs.shutdown()
    ws.store.engine.dispose()


def calls(job_id: str) -> list[Call]:
    """Every route with every object it can be asked about, in both organisations."""
    out: list[Call] = []
    for spec in ROUTES:
        if not spec.org_scoped:
            out.append(Call(spec, "", "", spec.path))
            continue
        for org in ORGS:
            base = spec.path.replace("{org}", org)
            if spec.name in CASE_ROUTES:
                objs = [k for k in OBJECTS[org] if k in STATUS]
            elif spec.name in ("followup", "upload_actuals"):
                objs = [k for k in OBJECTS[org] if k.startswith("fu_")]
            elif "pool" in spec.name:
                objs = [k for k in OBJECTS[org] if k == "pool"]
            elif spec.name in ("job", "job_file"):
                objs = ["job", "nojob"]
            elif spec.name == "attachment_file":  # eksempel's own case's, asked for in nabo
                objs = [k for k in OBJECTS[org] if k in STATUS] + ["noatt"]
                objs += ["ghost"] if org == "nabo" else []
            else:
                objs = [""]
            if org == "nabo" and "{path:path}" in spec.path:
                objs.append("ghost")  # eksempel's paths, asked for in nabo
            for obj in objs:
                path = OBJECTS["eksempel"][_ghost(spec.name)] if obj == "ghost" else ""
                path = path or OBJECTS[org].get(obj, "")
                url = (
                    base.replace("{path:path}", path)
                    .replace("{name}", PARAMETER.get(obj, "pilot_areas"))
                    .replace("{line_id}", LINE.get(obj, "team_buf"))
                    .replace("{job_id}", job_id if obj == "job" else "nojob")
                    .replace("{ident}", _ident(org, obj))
                    .replace("{username}", _member(spec.name, org))
                )
                out.append(Call(spec, org, obj, url))
    return out


def _ident(org: str, obj: str) -> str:
    """An attachment's id in a URL: of the object, eksempel's for the ghost, else none."""
    key = ("eksempel", "own") if obj == "ghost" else (org, obj)
    return str(ATTACHMENTS.get(key, 999_999))


def _member(route: str, org: str) -> str:
    """The member a user route changes: one to remove, another for roles and password."""
    return f"matrix-gone-{org}" if route == "remove_user" else f"matrix-{org}"


def _ghost(route: str) -> str:
    if route in ("followup", "upload_actuals"):
        return "fu_own"
    return "pool" if "pool" in route else "own"


def request(c: TestClient, call: Call, user: str, token: str, org: str) -> int:
    """One call with a valid body for the route (the CSRF token in the form)."""
    name = call.spec.name
    if call.spec.method == "GET":
        query = {"a": "1", "b": "1"} if name == "diff" else {}
        return c.get(call.url, params=query, headers=JSON).status_code
    form: dict[str, str] = {"csrf_token": token}
    files = None
    if name == "login":
        form |= {"username": user or "nobody", "password": f"demo-{user}-2026"}
    elif name == "edit_parameter":
        form |= {"base_version": "1", "value": "4", "action": "preview"}
    elif name == "edit_line":
        form |= {"base_version": "1", "label": "Ny tekst", "action": "preview"}
    elif name == "edit_source":
        text = (ROOT / SEED_000).read_text(encoding="utf-8")
        form |= {"base_version": "1", "text": text, "action": "preview"}
    elif name == "set_status":  # the status it has: access changes nothing for later calls
        status = STATUS.get(call.obj, "decided")
        if call.org == "nabo" and call.obj == "undecided":
            status = NABO_UNDECIDED_STATUS
        form |= {"status": status}
    elif name == "start_case_job":
        form |= {"kind": "report", "format": "md"}
    elif name == "start_pool_job":
        form |= {"kind": "select", "draws": "0"}
    elif name == "upload":
        form |= {"path": f"matrix/{user}-{org}-{call.org}.yaml", "message": "matrix"}
        files = {"file": ("case.yaml", (ROOT / SEED_000).read_bytes(), "text/yaml")}
    elif name == "upload_actuals":
        csv = "postings-tidlig-indsats.csv" if call.obj != "fu_undecided" else "postings-fit.csv"
        files = {"file": (csv, (ROOT / "examples/followup" / csv).read_bytes(), "text/csv")}
    elif name == "add_user":  # a new name per caller and organisation
        new = f"matrix-new-{user or 'anonymous'}-{call.org}"
        form |= {"username": new, "password": "matrix-password-2026", "roles": "auditor"}
    elif name == "set_roles":  # the roles it has
        form |= {"roles": "auditor"}
    elif name == "reset_password":
        form |= {"password": f"demo-matrix-{call.org}-2026"}
    return c.post(call.url, data=form, files=files, headers=JSON).status_code


def test_the_rules_match_the_route_table():
    """Every route has a rule here, and the table's coarse gate agrees with it."""
    assert set(RULES) == {r.name for r in ROUTES}
    for r in ROUTES:
        declared = None if r.roles is None else frozenset(str(x) for x in r.roles)
        assert declared == RULES[r.name], r.name


@pytest.mark.parametrize("org", [None, *ORGS])
def test_every_route_as_every_role(world, org):
    """All roles of `org` (None: anonymous) against every route and object; one report of
    every call that got an answer other than the rules say."""
    app, sessions, job_id = world
    c = TestClient(app, follow_redirects=False)
    wrong: list[str] = []
    n = 0
    for role in ROLES if org else [None]:
        user = USERS[(org, role)] if org and role else None
        for call in calls(job_id):
            c.cookies.clear()
            token = ""
            if user:
                cookie, token = sessions[user]
                c.cookies.set("socinvest_session", cookie)
            else:
                token = c.get("/login", headers=JSON).json()["csrf_token"]
            got = request(c, call, user or "", token, org or "")
            want = expected(org, role, user, call)
            n += 1
            # the decided case has no parameters: past the access checks, its edit is 422
            edit_without = call.obj == "decided" and "/parameters/" in call.url
            served = SERVED | ({422} if edit_without else set())
            ok = got in served if want is None else got == want
            if not ok:
                what = f"{call.spec.method} {call.url}"
                wrong.append(f"{user or 'anonymous'} → {what} [{call.obj}]: {got}, want {want}")
    assert n >= (100 if org else 25)
    assert not wrong, f"{len(wrong)} of {n} calls answered wrongly:\n" + "\n".join(wrong)


def test_cross_organisation_access_is_never_served(world):
    """The core of isolation on its own: no user of one organisation gets anything of the
    other's (every route, every object, every role), whatever the finer rules say."""
    app, sessions, job_id = world
    c = TestClient(app, follow_redirects=False)
    leaks = []
    for (org, _role), user in USERS.items():
        cookie, token = sessions[user]
        for call in calls(job_id):
            if not call.org or call.org == org:
                continue
            c.cookies.clear()
            c.cookies.set("socinvest_session", cookie)
            got = request(c, call, user, token, org)
            if got not in (403, 404):
                leaks.append(f"{user} → {call.spec.method} {call.url}: {got}")
    assert not leaks, "\n".join(leaks)
