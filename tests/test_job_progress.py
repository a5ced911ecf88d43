"""Progress of long jobs: the Monte Carlo of a case and of a pool report their draws as they
go (`progress(done, total)` through the services), with exactly the numbers they give
without a callback; the job's JSON twin shows done/total growing and 100 % at the end, and
its page a <progress> element that is read without JavaScript."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from socinvest.reports.pool.data import bundle_json
from socinvest.services import pool as pool_service
from socinvest.services import workspace as wsv
from socinvest.services.case import load_case
from socinvest.services.jobs import JobInfo
from socinvest.uncertainty.defaults import DEFAULT_DRAWS, DEFAULT_SEED, PROGRESS_STEPS
from socinvest.uncertainty.simulate import run_chunk, simulate
from socinvest.web import jobs as web_jobs
from socinvest.web.jobs import Job
from socinvest.web.render import jsonable

from . import test_web as web
from .test_web import CASE, CASE_URL, JSON, ORG, login

template_db = web.template_db
app = web.app

ROOT = Path(__file__).resolve().parent.parent
POOL = ROOT / "examples" / "pool" / "pool.yaml"
SAMFUND = ROOT / "examples" / "tidlig-indsats-0-2-samfund.yaml"  # payers: perspectives too


def same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return a.keys() == b.keys() and all(
        a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k], equal_nan=True) for k in a
    )


class Calls:
    """A progress callback that records its calls (from whichever thread)."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, ...]] = []
        self._lock = threading.Lock()

    def __call__(self, *args: int) -> None:
        with self._lock:
            self.calls.append(args)


# -- the domain and the services: the same numbers with a callback ------------------------


@pytest.mark.parametrize(
    ("draws", "chunk", "workers"),
    [(DEFAULT_DRAWS, 25_000, 2), (7, 25_000, 1), (2_500, 1_000, 2), (2_500, 1_000, 1)],
)
@pytest.mark.parametrize("path", [ROOT / CASE, SAMFUND])
def test_a_simulation_with_progress_gives_the_same_numbers(path, draws, chunk, workers):
    """One chunk (the web's 10.000 draws) is evaluated in parts to report about ten times;
    several chunks in threads report as they finish: every per-draw array is identical."""
    case = load_case(path)
    plain = simulate(case, draws, 11, chunk, workers=workers)
    calls = Calls()
    reported = simulate(case, draws, 11, chunk, workers=workers, progress=calls)
    assert same(plain.data, reported.data)
    done = [c[0] for c in calls.calls]
    assert done == sorted(done) and done[-1] == draws and len(set(done)) == len(done)
    assert min(draws, PROGRESS_STEPS) <= len(done) <= PROGRESS_STEPS + draws // chunk + 1
    if draws == DEFAULT_DRAWS:  # one chunk: ten equal parts
        assert done == list(range(1_000, 10_001, 1_000))


def test_a_chunk_in_parts_is_the_chunk_at_once():
    """Down to one draw at a time (the engine's matrix products then run on one row; the
    NPV's dot product runs over the whole chunk either way)."""
    case = load_case(SAMFUND)  # correlated parameters: the ranks are imposed on the chunk
    seed = np.random.SeedSequence(5)
    for n in (1, 2, 13, 97):
        whole = run_chunk(case, seed, n)
        for step in {1, 3, max(1, n // 10), n - 1 or 1}:
            parts = Calls()
            assert same(whole, run_chunk(case, seed, n, step, parts)), (n, step)
            assert sum(c[0] for c in parts.calls) == n


def test_the_pool_projection_and_selection_with_progress_are_unchanged():
    lp = pool_service.load_pool(POOL)
    apps = len(lp.cases)
    plain = pool_service.pool_projection(lp, draws=1_500, seed=7)
    calls = Calls()
    reported = pool_service.pool_projection(lp, draws=1_500, seed=7, progress=calls)
    p, r = plain.projection, reported.projection
    assert p.balance_percentiles() == r.balance_percentiles()
    assert p.p_negative() == r.p_negative() and p.p_repaid() == r.p_repaid()
    assert p.expected_repaid() == r.expected_repaid() and p.p_on_schedule() == r.p_on_schedule()
    assert np.array_equal(p.risk.closing, r.risk.closing)
    # (done, total) over all applications: total = draws × applications, never decreasing
    assert {c[1] for c in calls.calls} == {1_500 * apps}
    done = [c[0] for c in calls.calls]
    assert done == sorted(done) and done[-1] == 1_500 * apps
    assert len(done) == PROGRESS_STEPS * apps  # each application's one chunk in ten parts
    # the selection: the same choice, on the same risk
    sel_plain = pool_service.pool_selection(lp, draws=1_500, seed=7)
    sel_calls = Calls()
    sel = pool_service.pool_selection(lp, draws=1_500, seed=7, progress=sel_calls)
    assert sel.selection.chosen == sel_plain.selection.chosen
    assert sel.projection.balance_percentiles() == sel_plain.projection.balance_percentiles()
    assert sel_calls.calls[-1] == (1_500 * apps, 1_500 * apps)


def test_p_payback_of_a_stored_case_with_progress(app):
    """The workspace's P(payback) with a callback: the plain simulation's figure, reported
    in ten steps of the 10.000 draws."""
    ws = app.state.ws
    from socinvest.services import auth
    from socinvest.store import repo

    with ws.store.reading() as s:
        uid = repo.user_by_name(s, "oekonom").id
    actor = auth.actor(ws, uid)
    calls = Calls()
    p = wsv.simulate_payback(ws, actor, ORG, CASE, progress=calls)
    expected = simulate(load_case(ROOT / CASE), DEFAULT_DRAWS, DEFAULT_SEED)
    assert p == expected.p_payback("service")
    assert calls.calls == [(d, DEFAULT_DRAWS) for d in range(1_000, 10_001, 1_000)]
    assert wsv.simulate_payback(ws, actor, ORG, CASE) == p


# -- the job: its JSON twin and its page ---------------------------------------------------


def test_job_percent():
    now = dt.datetime.now(dt.UTC)
    j = JobInfo("x", 1, "o", "pool", "t", "da", "running", 0, 0, "", "h:1", 0.0, now, None)
    assert j.percent is None  # nothing known yet
    j = dataclasses.replace(j, total=4_000)
    assert (j.done, j.total, j.percent) == (0, 4_000, 0)
    assert dataclasses.replace(j, done=1_999).percent == 49  # rounded down
    j = dataclasses.replace(j, done=4_000)
    assert j.percent == 99  # all draws, but the work is not done yet
    assert dataclasses.replace(j, state="done").percent == 100


def test_job_progress_is_kept_and_written_at_most_every_interval():
    """The running job keeps every report; the database gets one at most every
    PROGRESS_INTERVAL seconds (the first at once), done and total together."""
    written: list[tuple[int, int]] = []

    class Manager:
        def _write_progress(self, job):
            written.append((job.done, job.total))

    j = Job("x", "pool", "da", Path("."), manager=Manager())
    for done in (1, 2, 3):  # well within 0.3 s
        j.progress(done, 10)
    assert (j.done, j.total) == (3, 10) and written == [(1, 10)]
    time.sleep(web_jobs.PROGRESS_INTERVAL + 0.05)
    j.progress(4)
    j.progress(5)
    assert (j.done, j.total) == (5, 10) and written == [(1, 10), (4, 10)]


@pytest.fixture
def slow_progress(monkeypatch):
    """Each progress report of a job holds its work a little, so that polling sees it."""
    original = web_jobs.Job.progress

    def progress(self, done, total=None):
        original(self, done, total)
        time.sleep(0.04)

    monkeypatch.setattr(web_jobs.Job, "progress", progress)
    monkeypatch.setattr(web_jobs, "PROGRESS_INTERVAL", 0.0)  # every report is written


def poll(c, url: str, seconds: float = 120.0) -> tuple[list[dict], str]:
    """Every distinct state of the job's JSON twin until it ends, and its HTML page once
    while it runs with a known percentage."""
    seen: list[dict] = []
    page = ""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        j = c.get(url, headers=JSON).json()
        if not seen or (j["state"], j["done"], j["total"]) != (
            seen[-1]["state"],
            seen[-1]["done"],
            seen[-1]["total"],
        ):
            seen.append(j)
        if not page and j["state"] == "running" and j["percent"] is not None:
            page = c.get(url).text
        if j["state"] in ("done", "failed"):
            return seen, page
        time.sleep(0.01)
    raise AssertionError(f"job {url} still running after {seconds} s")


def test_a_pool_job_reports_its_draws(app, slow_progress):
    c, token = login(app, "oekonom")
    pool = c.get(f"/o/{ORG}", headers=JSON).json()["pools"][0]["path"]
    apps = len(pool_service.load_pool(POOL).cases)
    r = c.post(
        f"/o/{ORG}/pool/{pool}/jobs",
        data={"kind": "project", "draws": "1000", "seed": "3", "csrf_token": token},
        headers=JSON,
    )
    assert r.status_code == 202
    seen, page = poll(c, r.json()["url"])
    last = seen[-1]
    assert last["state"] == "done" and last["percent"] == 100, last
    assert last["done"] == last["total"] == 1_000 * apps
    running = [j for j in seen if j["state"] == "running" and j["total"]]
    assert len(running) >= 3, seen  # several steps seen on the way
    assert all(j["total"] == 1_000 * apps for j in running)
    done = [j["done"] for j in running]
    percents = [j["percent"] for j in running]
    assert done == sorted(done) and percents == sorted(percents) and max(percents) <= 99
    assert all(
        j["percent"] == 100 * j["done"] // j["total"] for j in running if j["done"] < j["total"]
    )
    # the page while running: a <progress> with the percentage, and the text beside it
    assert '<progress id="job-progress" max="100" value="' in page
    assert "trækninger" in page and "%" in page
    # the finished job is the projection without a callback, with the same draws and seed
    plain = pool_service.pool_projection(pool_service.load_pool(POOL), draws=1_000, seed=3)
    assert last["result"]["pool"] == jsonable(bundle_json(plain, "da"))
    assert last["result"]["pool"]["draws"] == 1_000 and last["result"]["pool"]["seed"] == 3


def test_a_case_monte_carlo_job_reports_its_draws(app, slow_progress):
    c, token = login(app, "oekonom")
    r = c.post(f"{CASE_URL}/jobs", data={"kind": "simulate", "csrf_token": token}, headers=JSON)
    assert r.status_code == 202
    seen, page = poll(c, r.json()["url"])
    last = seen[-1]
    assert last["state"] == "done" and last["percent"] == 100
    assert (last["done"], last["total"]) == (DEFAULT_DRAWS, DEFAULT_DRAWS)
    running = [j["done"] for j in seen if j["state"] == "running" and j["total"]]
    assert len(running) >= 3 and running == sorted(running)
    assert set(running) <= set(range(1_000, 10_001, 1_000))
    expected = simulate(load_case(ROOT / CASE), DEFAULT_DRAWS, DEFAULT_SEED)
    assert last["result"]["p_payback"] == expected.p_payback("service")
    assert '<progress id="job-progress" max="100" value="' in page and "trækninger" in page
