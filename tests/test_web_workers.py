"""Several processes serving one workspace (`socinvest serve --workers N`): what used to live
in one process's memory is in the database.

- Two app instances over the same database (two "processes", each with its own engine and
  job manager): a job started through one shows its progress and result, and downloads its
  file, through the other; a pool job's page (its stored HTML and JSON) likewise; the login
  rate limit counts the failures made through either.
- The job table and the failed-login table on SQLite and PostgreSQL (`db_url`): ownership,
  progress never after the end, the hour's cleaning, pruning of old failures.
- A job whose process died is shown as failed with a clear message (its process is gone from
  this machine, or it has not been heard of for STALE_SECONDS); a stopping server ends its
  unfinished jobs as failed.
- One real `socinvest serve --workers 2` on a free port: a report job started and polled over
  fresh connections (the kernel spreads them over both workers), its file downloaded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from socinvest.i18n import translator
from socinvest.reports.pool.data import bundle_json
from socinvest.services import auth, login_limit
from socinvest.services import jobs as jobs_service
from socinvest.services import pool as pool_service
from socinvest.services import workspace as wsv
from socinvest.services.case import load_case
from socinvest.store.models import Job as JobRow
from socinvest.store.models import LoginFailure
from socinvest.uncertainty.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from socinvest.uncertainty.simulate import simulate
from socinvest.web import jobs as web_jobs
from socinvest.web.app import create_app
from socinvest.web.jobs import JobManager
from socinvest.web.render import jsonable
from socinvest.web.settings import Settings

from . import test_web as web
from .conftest import free_port, wait_until_served
from .test_web import CASE, CASE_URL, JSON, ORG, OTHER, PASSWORD, ROOT, login

template_db = web.template_db
PW = "a-long-enough-password"
POOL = ROOT / "examples" / "pool" / "pool.yaml"
# the messages of web/jobs.py (Danish msgids; English in the catalogue)
INTERRUPTED = (
    "Jobbet blev afbrudt: serverprocessen, der kørte det, stoppede undervejs "
    "(fx ved en genstart). Start det igen."
)
STOPPED = "Serveren stoppede, før jobbet var færdigt. Start det igen."


# -- two "processes" over one database -------------------------------------------------------


@pytest.fixture
def two(template_db, tmp_path):
    """Two apps over one copy of the demo workspace, each with its own engine, job manager
    and thread pool, as two worker processes have (same secret, as `serve` hands down)."""
    db = tmp_path / "ws.db"
    shutil.copy(template_db, db)
    url = f"sqlite:///{db}"
    apps = []
    for _ in range(2):
        ws = wsv.open_workspace(url, upgrade=False)
        apps.append(create_app(Settings(secret_key="k" * 32, job_workers=1, workers=2), ws))
    yield apps
    for a in apps:
        a.state.jobs.shutdown()
    for a in apps:
        a.state.ws.store.engine.dispose()
    shutil.rmtree(apps[0].state.jobs.root, ignore_errors=True)


@pytest.fixture
def slow_progress(monkeypatch):
    """Each progress report is written at once and holds the work a little, so that the
    other process's polls see the job on its way."""
    original = web_jobs.Job.progress

    def progress(self, done, total=None):
        original(self, done, total)
        time.sleep(0.04)

    monkeypatch.setattr(web_jobs.Job, "progress", progress)
    monkeypatch.setattr(web_jobs, "PROGRESS_INTERVAL", 0.0)


def poll(c, url: str, seconds: float = 120.0) -> list[dict]:
    """Every distinct state of the job's JSON twin until it ends."""
    seen: list[dict] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        r = c.get(url, headers=JSON)
        assert r.status_code == 200, r.text
        j = r.json()
        if not seen or (j["state"], j["done"]) != (seen[-1]["state"], seen[-1]["done"]):
            seen.append(j)
        if j["state"] in ("done", "failed"):
            return seen
        time.sleep(0.01)
    raise AssertionError(f"job {url} still running after {seconds} s")


def test_both_processes_share_the_job_directory(two):
    a, b = two
    assert a.state.jobs.root == b.state.jobs.root  # named after the database
    assert a.state.jobs.root.name.startswith(f"socinvest-jobs-{os.getuid()}-")
    assert a.state.jobs.shared and b.state.jobs.shared


def test_a_job_started_in_one_process_is_followed_in_the_other(two, slow_progress):
    a, b = two
    ca, token = login(a, "oekonom")
    cb, _ = login(b, "oekonom")  # the same session cookie works in both (same secret)
    r = ca.post(f"{CASE_URL}/jobs", data={"kind": "simulate", "csrf_token": token}, headers=JSON)
    assert r.status_code == 202
    url = r.json()["url"]
    seen = poll(cb, url)  # every poll answered by the other process
    last = seen[-1]
    assert last["state"] == "done" and last["percent"] == 100, last
    assert (last["done"], last["total"]) == (DEFAULT_DRAWS, DEFAULT_DRAWS)
    running = [j["done"] for j in seen if j["state"] == "running" and j["total"]]
    assert len(running) >= 3 and running == sorted(running), seen  # progress seen on the way
    assert set(running) <= set(range(1_000, 10_001, 1_000))
    assert all(j["percent"] <= 99 for j in seen if j["state"] == "running" and j["total"])
    expected = simulate(load_case(ROOT / CASE), DEFAULT_DRAWS, DEFAULT_SEED)
    assert last["result"] == {
        "p_payback": expected.p_payback("service"),
        "case": CASE,
        "version": 1,
    }
    page = cb.get(url).text  # the result on the page, in the job's language (Danish)
    assert "P(tilbagebetaling)" in page and "Tilbage til sagen" in page


def test_a_report_file_made_in_one_process_downloads_from_the_other(two):
    a, b = two
    ca, token = login(a, "udvalg")
    cb, _ = login(b, "udvalg")
    r = ca.post(
        f"{CASE_URL}/jobs?lang=en",  # the job's language: its title and file in English
        data={"kind": "report", "format": "md", "csrf_token": token},
        headers=JSON,
    )
    assert r.status_code == 202
    url = r.json()["url"]
    last = poll(cb, url)[-1]
    assert last["state"] == "done" and last["result"]["file"] == f"{url}/file", last
    f = cb.get(last["result"]["file"])
    assert f.status_code == 200 and f.headers["content-type"].startswith("text/markdown")
    assert 'filename="tidlig-indsats-0-2-v1.md"' in f.headers["content-disposition"]
    assert "# Tidlig indsats for de 0-2-årige" in f.text and "Payback" in f.text
    # the file is in the shared job directory, in the job's own 0700 folder
    folder = a.state.jobs.root / url.rsplit("/", 1)[1]
    assert "tidlig-indsats-0-2-v1.md" in [p.name for p in folder.iterdir()]
    assert folder.stat().st_mode & 0o777 == 0o700
    assert a.state.jobs.root.stat().st_mode & 0o777 == 0o700
    # someone else, in either process: 404 for the page and the file
    for app in (a, b):
        other, _ = login(app, "oekonom")
        assert other.get(url, headers=JSON).status_code == 404
        assert other.get(f"{url}/file").status_code == 404
        neighbour, _ = login(app, "nabo-oekonom")
        assert neighbour.get(url.replace(ORG, OTHER), headers=JSON).status_code == 404


def test_a_pool_job_page_is_served_from_stored_data(two):
    a, b = two
    ca, token = login(a, "oekonom")
    cb, _ = login(b, "oekonom")
    pool = ca.get(f"/o/{ORG}", headers=JSON).json()["pools"][0]["path"]
    r = ca.post(
        f"/o/{ORG}/pool/{pool}/jobs",
        data={"kind": "select", "draws": "200", "seed": "5", "csrf_token": token},
        headers=JSON,
    )
    assert r.status_code == 202
    url = r.json()["url"]
    last = poll(cb, url)[-1]
    assert last["state"] == "done", last
    # the selection as the service makes it with the same draws and seed, as JSON data
    plain = pool_service.pool_selection(pool_service.load_pool(POOL), draws=200, seed=5)
    expected = jsonable(bundle_json(plain, "da"))
    got = last["result"]["pool"]
    assert {**got, "seconds": None} == {**expected, "seconds": None}  # the solver's time aside
    assert isinstance(last["result"]["pool"]["chosen"], list)
    assert last["result"]["report"]["kind"] == "pool"
    # the page: the report's sections, rendered once by the work, shown by the other process
    page = cb.get(url).text
    headings = [s["heading"] for s in last["result"]["report"]["sections"] if s["heading"]]
    assert 'class="doc-section' in page and all(h in page for h in headings)
    # what is stored is data: JSON and HTML text, no Python object
    with a.state.ws.store.reading() as s:
        row = s.get(JobRow, url.rsplit("/", 1)[1])
        assert row is not None and isinstance(row.result, dict)
        assert row.result_html is not None and row.result_html.lstrip().startswith("<section")
        assert row.file is None


def test_the_login_limit_counts_failures_made_through_either_process(two):
    a, b = two
    ca, cb = TestClient(a, follow_redirects=False), TestClient(b, follow_redirects=False)
    token = ca.get("/login", headers=JSON).json()["csrf_token"]
    cb.cookies.set("socinvest_session", ca.cookies["socinvest_session"])
    wrong = {"username": "Revisor", "password": "wrong-password", "csrf_token": token}
    for c in (ca, cb, ca, cb, ca):  # five failures, alternating processes
        assert c.post("/login", data=wrong, headers=JSON).status_code == 401
    right = {**wrong, "username": "revisor", "password": PASSWORD.format("revisor")}
    for c in (cb, ca):  # the sixth try is refused in both, before the password is checked
        limited = c.post("/login", data=right, headers=JSON)
        assert limited.status_code == 429, limited.text
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert limited.json()["error"] == "rate_limited"
    with a.state.ws.store.reading() as s:
        rows = s.scalars(select(LoginFailure)).all()
        assert [(f.username, f.address) for f in rows] == [("revisor", "testclient")] * 5


# -- the tables, on SQLite and PostgreSQL ----------------------------------------------------


@pytest.fixture
def ws(db_url, fast_passwords):
    ws = wsv.open_workspace(db_url)
    auth.add_user(ws, "eva", PW, "kbh", wsv.Role.ECONOMIST)
    auth.add_user(ws, "ole", PW, "kbh", wsv.Role.ECONOMIST)
    auth.add_user(ws, "nina", PW, "nabo", wsv.Role.ECONOMIST)
    yield ws
    ws.store.dispose()


def _uid(ws, name: str) -> int:
    actor = auth.authenticate(ws, name, PW)
    assert actor is not None
    return actor.user_id


def test_the_job_table(ws):
    eva, ole = _uid(ws, "eva"), _uid(ws, "ole")
    info = jobs_service.create(ws, "j1", eva, "kbh", "pool", "Puljens risiko", "da", "h:1", 5)
    assert (info.state, info.done, info.total, info.percent) == ("queued", 0, 5, 0)
    jobs_service.start(ws, "j1")
    jobs_service.progress(ws, "j1", 3, 8)
    j = jobs_service.get(ws, "j1", eva, "kbh")
    assert j is not None and (j.state, j.done, j.total, j.percent) == ("running", 3, 8, 37)
    # only its owner, in its organisation, finds it
    assert jobs_service.get(ws, "j1", ole, "kbh") is None
    assert jobs_service.get(ws, "j1", eva, "nabo") is None
    assert jobs_service.get(ws, "j1", str(eva), "kbh") is None
    result = {"p": 0.625, "år": [2017, 2018], "navn": "Æblegård ø"}
    assert jobs_service.finish(ws, "j1", "done", 8, 8, result=result, result_html="<p>ø</p>")
    jobs_service.progress(ws, "j1", 1, 8)  # a late report changes nothing after the end
    assert not jobs_service.finish(ws, "j1", "failed", 0, 0, error="late")
    j = jobs_service.get(ws, "j1", eva, "kbh")
    assert j is not None and (j.state, j.done, j.total, j.percent, j.error) == (
        "done",
        8,
        8,
        100,
        "",
    )
    assert j.result == result and j.result_html == "<p>ø</p>" and j.finished is not None
    assert j.created <= j.finished and j.seconds >= 0
    # a file job
    jobs_service.create(ws, "j2", eva, "kbh", "report", "Rapport", "en", "h:1")
    jobs_service.finish(ws, "j2", "done", 3, 3, file=("j2/a.pdf", "a.pdf", "application/pdf"))
    j2 = jobs_service.get(ws, "j2", eva, "kbh")
    assert j2 is not None and (j2.file, j2.filename, j2.media_type, j2.lang) == (
        "j2/a.pdf",
        "a.pdf",
        "application/pdf",
        "en",
    )
    # the hour's cleaning: finished long ago, or silent for as long
    jobs_service.create(ws, "j3", eva, "kbh", "report", "Rapport", "da", "h:1")
    with ws.store.transaction() as s:
        s.execute(update(JobRow).where(JobRow.id == "j3").values(beat=time.time() - 4000))
    assert {j.id for j in jobs_service.forget_old(ws, 3600)} == {"j3"}
    assert {j.id for j in jobs_service.forget_old(ws, 0)} == {"j1", "j2"}
    with ws.store.reading() as s:
        assert s.scalars(select(JobRow.id)).all() == []


def test_the_failed_login_table(ws):
    for _ in range(4):
        login_limit.failed(ws, "Eva", "10.0.0.1", 60)
    assert login_limit.blocked(ws, "eva", "10.0.0.1", 5, 60) == 0
    login_limit.failed(ws, "EVA", "10.0.0.1", 60)
    wait = login_limit.blocked(ws, "eva", "10.0.0.1", 5, 60)
    assert 59 < wait <= 60
    assert login_limit.blocked(ws, "eva", "10.0.0.2", 5, 60) == 0  # another address
    assert login_limit.blocked(ws, "ole", "10.0.0.1", 5, 60) == 0  # another name
    # failures older than the window do not count, and are pruned by the next failure
    with ws.store.transaction() as s:
        s.execute(update(LoginFailure).values(at=LoginFailure.at - 61))
    assert login_limit.blocked(ws, "eva", "10.0.0.1", 5, 60) == 0
    login_limit.failed(ws, "ole", "10.0.0.9", 60)
    with ws.store.reading() as s:
        assert [(f.username, f.address) for f in s.scalars(select(LoginFailure))] == [
            ("ole", "10.0.0.9")
        ]
    login_limit.succeeded(ws, "OLE", "10.0.0.9")  # a success clears the count
    with ws.store.reading() as s:
        assert s.scalars(select(LoginFailure)).all() == []


# -- a job whose process died, a server that stops -------------------------------------------


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_a_job_whose_process_died_is_shown_failed(ws, tmp_path):
    eva = _uid(ws, "eva")
    m = JobManager(ws, 1, str(tmp_path / "jobs"), shared=True)
    try:
        here = f"{web_jobs.HOST}:{_dead_pid()}"
        jobs_service.create(ws, "dead", eva, "kbh", "pool", "t", "en", here)
        jobs_service.start(ws, "dead")
        elsewhere = f"{web_jobs.HOST}-other:4242"  # another machine: known only by its beat
        jobs_service.create(ws, "silent", eva, "kbh", "pool", "t", "da", elsewhere)
        jobs_service.create(ws, "alive", eva, "kbh", "pool", "t", "da", elsewhere)
        with ws.store.transaction() as s:
            old = time.time() - web_jobs.STALE_SECONDS - 1
            s.execute(update(JobRow).where(JobRow.id == "silent").values(beat=old))
        dead = m.get("dead", eva, "kbh")
        assert dead is not None and dead.state == "failed" and dead.finished is not None
        assert dead.error == translator("en")(INTERRUPTED)  # in the job's language
        silent = m.get("silent", eva, "kbh")
        assert silent is not None and silent.state == "failed" and silent.error == INTERRUPTED
        alive = m.get("alive", eva, "kbh")  # a slow job on another machine keeps running
        assert alive is not None and alive.state == "queued" and alive.error == ""
    finally:
        m.shutdown()


def test_a_stopping_server_ends_its_unfinished_jobs(ws, tmp_path):
    eva = _uid(ws, "eva")
    m = JobManager(ws, 1, str(tmp_path / "jobs"), shared=True)
    release = threading.Event()
    started = threading.Event()

    def work(job):
        job.progress(1, 4)
        started.set()
        release.wait(30)
        return {"late": True}

    job = m.submit("simulate", eva, "kbh", "t", "da", work)
    queued = m.submit("simulate", eva, "kbh", "t", "en", work)  # waits for the one thread
    assert started.wait(30)
    m.shutdown()
    release.set()
    for j, text in ((job, STOPPED), (queued, translator("en")(STOPPED))):
        info = jobs_service.get(ws, j.id, eva, "kbh")
        assert info is not None and info.state == "failed" and info.error == text
    time.sleep(0.2)  # the released work ends after the stop: the job stays failed
    info = jobs_service.get(ws, job.id, eva, "kbh")
    assert info is not None and info.state == "failed" and info.result is None


def test_old_jobs_and_their_files_are_forgotten(ws, tmp_path):
    """An hour after it finished a job is forgotten with its file: on the next job's start,
    or when any process reads a job page (at most every CLEAN_EVERY seconds)."""
    eva = _uid(ws, "eva")
    m = JobManager(ws, 1, str(tmp_path / "jobs"), shared=True)
    other = JobManager(ws, 1, str(tmp_path / "jobs"), shared=True)  # another process

    def report(job):
        out = job.workdir / "r.md"
        out.write_text("# r\n", "utf-8")
        return web_jobs.JobFile(out, "r.md", "text/markdown")

    def finished(job):
        end = time.monotonic() + 30
        while (info := m.get(job.id, eva, "kbh")) is None or info.running:
            assert time.monotonic() < end
            time.sleep(0.05)
        assert info.state == "done"
        return info

    def age(job, hours: float) -> None:
        with ws.store.transaction() as s:
            row = s.get(JobRow, job.id)
            assert row is not None and row.finished_at is not None
            row.finished_at = row.finished_at - dt.timedelta(hours=hours)

    try:
        first = m.submit("report", eva, "kbh", "t", "da", report)
        info = finished(first)
        assert m.file(info) == other.file(info) == (first.workdir / "r.md").resolve()
        age(first, 1.01)
        second = m.submit("report", eva, "kbh", "t", "da", report)  # a new job cleans up
        assert m.get(first.id, eva, "kbh") is None and not first.workdir.exists()
        finished(second)
        age(second, 0.9)  # not yet an hour
        other.get("nojob", eva, "kbh")  # a page read in another process looks too
        assert other.get(second.id, eva, "kbh") is not None and second.workdir.exists()
        age(second, 0.2)
        other._cleaned = time.monotonic() - web_jobs.CLEAN_EVERY - 1
        other.get("nojob", eva, "kbh")
        assert m.get(second.id, eva, "kbh") is None and not second.workdir.exists()
    finally:
        m.shutdown()
        other.shutdown()


# -- a real server with two workers ----------------------------------------------------------


def _worker_of(conn: http.client.HTTPConnection, port: int, workers: list[int]) -> int | None:
    """The worker process that holds the server end of `conn` (Linux: the connection's row
    in /proc/net/tcp, and the socket's inode among the worker's open files)."""
    assert conn.sock is not None
    mine = conn.sock.getsockname()[1]
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        f = line.split()
        if int(f[1].rsplit(":", 1)[1], 16) == port and int(f[2].rsplit(":", 1)[1], 16) == mine:
            inode = f[9]
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
    return None


def _ask(conn, method: str, path: str, headers: dict, body: str | None = None):
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    return r.status, r.getheader("content-type") or "", r.read()


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="Linux /proc needed")
def test_serve_with_two_workers(template_db, tmp_path):
    """`socinvest serve --workers 2` (no SOCINVEST_SECRET_KEY: serve makes one for both):
    one connection held on each worker; the report job is started through one worker and
    polled (with a few polls on the first too) and downloaded through the other."""
    db = tmp_path / "ws.db"
    shutil.copy(template_db, db)
    url = f"sqlite:///{db}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    exe = str(Path(sys.executable).parent / "socinvest")
    env = {k: v for k, v in os.environ.items() if k != "SOCINVEST_SECRET_KEY"}
    env["SOCINVEST_JOB_DIR"] = str(tmp_path / "jobs")
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed below
    args = [exe, "serve", "--db", url, "--port", str(port), "--workers", "2", "--jobs", "1"]
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    conns: list[http.client.HTTPConnection] = []
    try:
        wait_until_served(base, proc, tmp_path / "serve.log", 30)
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        workers = [
            int(p) for p in children if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()
        ]
        assert len(workers) == 2, children
        # one kept-alive connection on each worker (the kernel hands connections to either)
        on: dict[int, http.client.HTTPConnection] = {}
        for _ in range(60):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            assert _ask(conn, "GET", "/health", {})[0] == 200
            conns.append(conn)
            pid = _worker_of(conn, port, workers)
            if pid is not None:
                on.setdefault(pid, conn)
            if len(on) == 2:
                break
        assert len(on) == 2, "every connection went to one worker"
        a, b = on[workers[0]], on[workers[1]]
        # log in through a: the session made there is read by b (one secret for both)
        with httpx.Client(base_url=base, headers=JSON, timeout=30) as c:
            token = c.get("/login").json()["csrf_token"]
            form = {"username": "udvalg", "password": PASSWORD.format("udvalg")}
            r = c.post("/login", data={**form, "csrf_token": token})
            assert r.status_code == 200, r.text
            cookie = f"socinvest_session={c.cookies['socinvest_session']}"
            token = r.json()["csrf_token"]
        hdrs = {**JSON, "Cookie": cookie}
        form_hdrs = {
            **hdrs,
            "X-CSRF-Token": token,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        status, _, body = _ask(a, "POST", f"{CASE_URL}/jobs", form_hdrs, "format=md")
        assert status == 202, body
        job = json.loads(body)["url"]
        states = []
        end = time.monotonic() + 60
        while not states or states[-1]["state"] not in ("done", "failed"):
            assert time.monotonic() < end, states
            conn = a if len(states) % 3 == 2 else b  # mostly the other worker
            status, _, body = _ask(conn, "GET", job, hdrs)
            assert status == 200, body
            states.append(json.loads(body))
            time.sleep(0.15)
        assert states[-1]["state"] == "done", states[-1]
        while len(states) < 10:  # ten polls at least, on both workers
            conn = a if len(states) % 2 else b
            status, _, body = _ask(conn, "GET", job, hdrs)
            assert status == 200 and json.loads(body)["state"] == "done"
            states.append(json.loads(body))
        file = states[-1]["result"]["file"]
        for conn in (b, a):
            status, ctype, body = _ask(conn, "GET", file, {"Cookie": cookie})
            assert status == 200 and ctype.startswith("text/markdown")
            assert "# Tidlig indsats for de 0-2-årige" in body.decode("utf-8")
        assert _ask(b, "GET", f"/o/{ORG}/jobs/nojob", hdrs)[0] == 404
    finally:
        for conn in conns:
            conn.close()
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    # a stopped server with several workers keeps its finished jobs for the others
    ws = wsv.open_workspace(url, upgrade=False)
    try:
        with ws.store.reading() as s:
            assert s.scalars(select(JobRow.state)).all() == ["done"]
    finally:
        ws.store.dispose()
