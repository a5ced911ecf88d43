"""The web app in-process (FastAPI's TestClient over the demo workspace): login and logout,
CSRF, the login rate limit, anonymous refusal on every route, roles and organisations,
Table 1 of seed 000 on the case page, an edit that changes payback (hand-checked), 409 on a
stale save, 422 with the loader's message, JSON twins and OpenAPI.

The demo workspace is built once (services.workspace.load_demo) and copied per test that
writes, so each test starts from the same state.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from socinvest.services import workspace as wsv  # noqa: E402
from socinvest.web.access import ROUTES  # noqa: E402
from socinvest.web.app import create_app  # noqa: E402
from socinvest.web.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ORG, OTHER = "eksempel", "nabo"
CASE = "examples/tidlig-indsats-0-2.yaml"  # seed 000
CASE_URL = f"/o/{ORG}/cases/{CASE}"
JSON = {"accept": "application/json"}
PASSWORD = "demo-{}-2026"  # services/_ws_demo.py


_BUILT: list[Path] = []  # the demo database, built once per test run (every module shares it)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    if not _BUILT:
        path = tmp_path_factory.mktemp("web") / "demo.db"
        ws = wsv.open_workspace(f"sqlite:///{path}")
        wsv.load_demo(ws, ROOT / "examples")
        ws.store.engine.dispose()
        _BUILT.append(path)
    return _BUILT[0]


@pytest.fixture
def app(template_db, tmp_path):
    db = tmp_path / "ws.db"
    shutil.copy(template_db, db)
    ws = wsv.open_workspace(f"sqlite:///{db}", upgrade=False)
    application = create_app(Settings(secret_key="k" * 32, job_workers=1), ws)
    yield application
    application.state.jobs.shutdown()
    ws.store.engine.dispose()


def client(app) -> TestClient:
    return TestClient(app, follow_redirects=False)


_SESSIONS: dict[str, tuple[str, str]] = {}  # user -> (session cookie, CSRF token)


def login(app, user: str) -> tuple[TestClient, str]:
    """A client logged in as a demo user, and its CSRF token. Each user logs in once per test
    run (an argon2 check costs most of a second here); its signed session cookie is valid in
    every copy of the demo workspace (same secret, same user ids)."""
    c = client(app)
    if user not in _SESSIONS:
        token = c.get("/login", headers=JSON).json()["csrf_token"]
        r = c.post(
            "/login",
            data={"username": user, "password": PASSWORD.format(user), "csrf_token": token},
            headers=JSON,
        )
        assert r.status_code == 200, r.text
        _SESSIONS[user] = (c.cookies["socinvest_session"], r.json()["csrf_token"])
    cookie, token = _SESSIONS[user]
    c.cookies.set("socinvest_session", cookie)
    return c, token


def _url(spec_path: str) -> str:
    return (
        spec_path.replace("{org}", ORG)
        .replace("{path:path}", CASE)
        .replace("{name}", "fte_rate")
        .replace("{line_id}", "team_buf")
        .replace("{job_id}", "nojob")
        .replace("{ident}", "1")
    )


def payback_rows(case_json: dict) -> dict[str, str]:
    """Table 1's payback rows of the JSON twin: label -> the years text."""
    t1 = next(
        b
        for s in case_json["report"]["sections"]
        for b in s["blocks"]
        if b.get("kind") == "table" and b["key"] == "table1"
    )
    return {
        r["cells"][0]["text"]: r["cells"][1]["text"] for r in t1["rows"] if r["style"] == "payback"
    }


# -- access -------------------------------------------------------------------------------


def test_health_and_static_are_public(app):
    c = client(app)
    assert c.get("/health").json() == {"status": "ok"}
    js = c.get("/static/htmx.min.js")
    assert js.status_code == 200 and "Zero-Clause BSD" in js.text[:600]


def test_every_route_refuses_an_anonymous_request(app):
    c = client(app)
    checked = 0
    for spec in ROUTES:
        if spec.public:
            continue
        url = _url(spec.path)
        as_json = c.request(spec.method, url, headers=JSON)
        assert as_json.status_code == 401, (spec.name, as_json.status_code)
        as_html = c.request(spec.method, url)
        assert as_html.status_code == 303, spec.name
        assert as_html.headers["location"].startswith("/login?next="), spec.name
        checked += 1
    assert checked == sum(1 for s in ROUTES if not s.public) > 15


def test_login_logout(app):
    c = client(app)
    form = c.get("/login")
    assert form.status_code == 200 and 'name="password"' in form.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    bad = c.post("/login", data={"username": "oekonom", "password": "wrong", "csrf_token": token})
    assert bad.status_code == 401 and "Forkert brugernavn eller adgangskode" in bad.text
    ok = c.post(
        "/login",
        data={"username": "oekonom", "password": PASSWORD.format("oekonom"), "csrf_token": token},
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    assert c.get("/").headers["location"] == f"/o/{ORG}"
    assert c.get(f"/o/{ORG}", headers=JSON).status_code == 200
    # the login gave a new session: the anonymous token no longer works
    assert c.post("/logout", data={"csrf_token": token}).status_code == 403
    new_token = re.search(r'name="csrf_token" value="([^"]+)"', c.get(f"/o/{ORG}").text).group(1)
    out = c.post("/logout", data={"csrf_token": new_token})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert c.get(f"/o/{ORG}", headers=JSON).status_code == 401


def test_login_redirect_stays_on_the_site(app):
    c = client(app)
    token = c.get("/login", headers=JSON).json()["csrf_token"]
    for evil in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"):
        r = c.post(
            "/login",
            data={
                "username": "oekonom",
                "password": PASSWORD.format("oekonom"),
                "csrf_token": token,
                "next": evil,
            },
        )
        assert r.status_code == 303 and r.headers["location"] == "/"
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)


def test_csrf_is_required_on_every_state_changing_request(app):
    c, token = login(app, "oekonom")
    url = f"{CASE_URL}/parameters/fte_rate"
    form = {"base_version": "1", "value": "500", "action": "preview"}
    assert c.post(url, data=form, headers=JSON).status_code == 403
    assert c.post(url, data={**form, "csrf_token": "forged"}, headers=JSON).status_code == 403
    assert c.post(url, data={**form, "csrf_token": token}, headers=JSON).status_code == 200
    assert c.post(url, data=form, headers={**JSON, "X-CSRF-Token": token}).status_code == 200
    # a login form without the token is refused too (login CSRF)
    assert client(app).post("/login", data={"username": "x", "password": "y"}).status_code == 403


def test_login_is_rate_limited_per_user_and_address(app):
    c = client(app)
    token = c.get("/login", headers=JSON).json()["csrf_token"]
    wrong = {"username": "revisor", "password": "wrong-password", "csrf_token": token}
    for _ in range(5):
        assert c.post("/login", data=wrong, headers=JSON).status_code == 401
    right = {**wrong, "password": PASSWORD.format("revisor")}
    limited = c.post("/login", data=right, headers=JSON)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    other = {**right, "username": "oekonom", "password": PASSWORD.format("oekonom")}
    assert c.post("/login", data=other, headers=JSON).status_code == 200


def test_roles_and_organisations_are_enforced(app):
    reader, rtoken = login(app, "udvalg")
    assert reader.get(CASE_URL, headers=JSON).status_code == 200  # a decided case
    edit = {"base_version": "1", "value": "600", "csrf_token": rtoken}
    assert reader.post(f"{CASE_URL}/parameters/fte_rate", data=edit).status_code == 403
    assert reader.get(f"/o/{ORG}/audit", headers=JSON).status_code == 403
    # a draft case is hidden from a committee reader by the service: 404, not 403
    assert (
        reader.get(f"/o/{ORG}/cases/examples/ladder-strategi.yaml", headers=JSON).status_code == 404
    )
    neighbour, _ = login(app, "nabo-oekonom")
    assert neighbour.get(CASE_URL, headers=JSON).status_code == 404
    assert neighbour.get(f"/o/{ORG}", headers=JSON).status_code == 404
    auditor, _ = login(app, "revisor")
    assert auditor.get(f"/o/{ORG}/audit", headers=JSON).status_code == 200
    export = auditor.get(f"/o/{ORG}/audit/export?format=csv")
    assert export.status_code == 200 and "attachment" in export.headers["content-disposition"]
    economist, _ = login(app, "oekonom")
    assert economist.get(f"/o/{ORG}/audit", headers=JSON).status_code == 403
    # a case owner edits its own case, not another (decided, readable) one: 403 by the service
    owner, otoken = login(app, "sagsejer")
    own = {"base_version": "1", "value": "500", "csrf_token": otoken, "action": "preview"}
    assert owner.post(f"{CASE_URL}/parameters/fte_rate", data=own, headers=JSON).status_code == 200
    theirs = f"/o/{ORG}/cases/examples/taettere-paa-familier-handicap.yaml"
    assert owner.get(theirs, headers=JSON).status_code == 200
    line = owner.get(theirs, headers=JSON).json()["lines"][0]["id"]
    save = {"base_version": "1", "label": "x", "csrf_token": otoken}
    assert owner.post(f"{theirs}/lines/{line}", data=save, headers=JSON).status_code == 403


# -- the case page ------------------------------------------------------------------------


def test_case_page_shows_table_1_of_seed_000(app):
    c, _ = login(app, "oekonom")
    page = c.get(CASE_URL)
    assert page.status_code == 200
    html = page.text
    assert "Tabel 1. Forslagets samlede økonomiske konsekvenser (1.000 kr. 2016 p/l)" in html
    # the seed's 'Samlet økonomisk påvirkning' row: 3.500 1.500 -1.400 … and payback 6 / 6
    assert re.search(
        r"Samlet økonomisk påvirkning</td><td></td><td class=\"num\">3.500</td>"
        r"<td class=\"num\">1.500</td><td class=\"num\">-1.400</td>",
        html,
    )
    twin = c.get(CASE_URL, headers=JSON).json()
    assert payback_rows(twin) == {
        "Tilbagebetalingstid baseret på serviceeffektivisering": "6 år",
        "Tilbagebetalingstid baseret på totaløkonomi": "6 år",
    }
    assert twin["summary"]["payback"] == 6 and twin["version"]["number"] == 1
    names = [p["name"] for p in twin["parameters"]]
    assert "price_foster" in names and twin["lines"][0]["id"] == "team_buf"


def test_case_page_in_english(app):
    c, _ = login(app, "oekonom")
    page = c.get(CASE_URL + "?lang=en")
    assert "Table 1." in page.text and "Log out" in page.text
    assert page.cookies.get("socinvest_lang") == "en" or "socinvest_lang=en" in page.headers.get(
        "set-cookie", ""
    )
    assert "Table 1." in c.get(CASE_URL).text  # the cookie keeps the language


def test_editing_a_parameter_changes_payback(app):
    """price_foster 500 → 1000 (1.000 kr. per foster placement prevented). Hand check: the
    savings line is (prevented_preventive × 100 + prevented_foster × price_foster + …) × 3
    areas; prevented_foster is 1 a year in 2019–2022, so each of those years saves
    1 × 500 × 3 = 1.500 more. Total impact 3.500, 1.500, -2.900, -2.900 → cumulative 3.500,
    5.000, 2.100, -800: payback in year 4 on both bases (was 6)."""
    c, token = login(app, "oekonom")
    url = f"{CASE_URL}/parameters/price_foster"
    form = {"base_version": "1", "value": "1000", "csrf_token": token}
    preview = c.post(url, data={**form, "action": "preview"}, headers=JSON)
    assert preview.status_code == 200 and preview.json()["preview"] is True
    assert set(payback_rows(preview.json()).values()) == {"4 år"}
    assert c.get(CASE_URL, headers=JSON).json()["version"]["number"] == 1  # nothing saved
    saved = c.post(url, data={**form, "action": "save"}, headers=JSON)
    assert saved.status_code == 200, saved.text
    assert saved.json()["saved"]["number"] == 2
    assert saved.json()["summary"]["payback"] == 4 and saved.json()["summary"]["payback_total"] == 4
    page = c.get(CASE_URL, headers=JSON).json()
    assert page["version"]["number"] == 2 and set(payback_rows(page).values()) == {"4 år"}
    # the browser way: 303 back to the case page, which shows the new figures
    again = c.post(url, data={**form, "base_version": "2", "value": "500"})
    assert again.status_code == 303 and again.headers["location"] == CASE_URL
    assert "6 år" in c.get(CASE_URL).text


def test_a_stale_save_gets_409_and_both_versions(app):
    c, token = login(app, "oekonom")
    url = f"{CASE_URL}/parameters/pilot_areas"
    first = c.post(url, data={"base_version": "1", "value": "4", "csrf_token": token}, headers=JSON)
    assert first.status_code == 200 and first.json()["saved"]["number"] == 2
    stale = {"base_version": "1", "value": "5", "csrf_token": token}
    conflict = c.post(url, data=stale, headers=JSON)
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["latest"]["number"] == 2 and body["base"]["number"] == 1
    assert "value: 4" in body["latest_text"] and "value: 5" in body["your_text"]
    page = c.post(url, data=stale)
    assert page.status_code == 409
    assert 'id="yours"' in page.text and 'id="latest"' in page.text
    history = c.get(f"{CASE_URL}/history", headers=JSON).json()["versions"]
    assert [v["number"] for v in history] == [1, 2]  # nothing overwritten, nothing added


def test_bad_input_answers_422_with_the_loaders_message(app):
    c, token = login(app, "oekonom")
    url = f"{CASE_URL}/parameters/fte_rate"
    r = c.post(url, data={"base_version": "1", "value": "-abc", "csrf_token": token}, headers=JSON)
    assert r.status_code == 422
    # the same located message the service (and the CLI) gives for that text
    ws = app.state.ws
    actor = __import__("socinvest.services.auth", fromlist=["x"]).authenticate(
        ws, "oekonom", PASSWORD.format("oekonom")
    )
    text = wsv.get(ws, actor, ORG, CASE).text.replace("value: 500\n", "value: -abc\n", 1)
    with pytest.raises(Exception) as e:
        wsv.save(ws, actor, ORG, CASE, text, base_version=1)
    assert r.json()["error"] == f"fejl: {e.value.render('da')}"
    assert CASE in r.json()["error"]  # located: names the file …
    assert re.search(r":\d+:\d+", r.json()["error"])  # … line and column


def test_diff_of_two_versions(app):
    c, token = login(app, "oekonom")
    c.post(
        f"{CASE_URL}/lines/savings_norms",
        data={
            "base_version": "1",
            "amounts": "{2017-2018: -4000, 2019-2029: -5000}",
            "csrf_token": token,
        },
    )
    d = c.get(f"{CASE_URL}/diff?a=1&b=2", headers=JSON).json()
    keys = {(ch["section"], ch["key"]) for ch in d["changes"]}
    assert ("lines", "savings_norms") in keys
    assert "-4000" in d["unified"]
    assert "Forskelle fra version 1 til 2" in c.get(f"{CASE_URL}/diff?a=1&b=2").text


# -- JSON twins and OpenAPI ---------------------------------------------------------------


def test_every_page_has_a_json_twin(app):
    c, _ = login(app, "admin")
    portfolio = c.get(f"/o/{ORG}", headers=JSON).json()
    pool = portfolio["pools"][0]["path"]
    followups = c.get(CASE_URL, headers=JSON).json()["followups"]
    pages = [
        f"/o/{ORG}",
        f"/o/{ORG}/upload",
        CASE_URL,
        f"{CASE_URL}/history",
        f"{CASE_URL}/diff?a=1&b=1",
        f"/o/{ORG}/pool/{pool}",
        f"/o/{ORG}/followup/{followups[0]}",
        f"/o/{ORG}/audit",
    ]
    for url in pages:
        r = c.get(url, headers=JSON)
        assert r.status_code == 200, (url, r.text[:300])
        assert r.headers["content-type"].startswith("application/json")
        assert isinstance(r.json(), dict)
        html = c.get(url)
        assert html.headers["content-type"].startswith("text/html") and "<main>" in html.text
    assert any(r["path"] == CASE and r["payback_planned"] == 6 for r in portfolio["rows"])


def test_openapi_describes_every_route(app):
    assert client(app).get("/openapi.json", headers=JSON).status_code == 401
    c, _ = login(app, "udvalg")
    spec = c.get("/openapi.json").json()
    for route in ROUTES:
        path = route.path.replace("{path:path}", "{path}")
        assert route.method.lower() in spec["paths"][path], route.name
        op = spec["paths"][path][route.method.lower()]
        assert op["x-roles"] == ("public" if route.public else sorted(route.roles))
