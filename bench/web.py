"""`make bench` (web): the workspace app under load, against `socinvest serve` on 127.0.0.1,
on PostgreSQL (127.0.0.1:5432, a throwaway database) and on SQLite (a temporary file).

- 50 concurrent simulated users (httpx async clients, each with a logged-in session; the five
  demo users of "eksempel" log in once and the 50 clients share their sessions round-robin,
  so the figure measures pages, not argon2): each opens seed 000's case page, and each sends
  the recompute of an edit (the preview POST of price_foster with `HX-Request: true`, as the
  page's htmx inputs send it: the answer is the part of the page the edit replaces), with a
  think time between requests (exponential, mean THINK s, fixed seed), as people clicking do.
  Goal: p95 < 100 ms and 0 errors for both. Also printed: each figure for one user alone,
  the server's CPU time per request, and (for information) the no-JavaScript recompute,
  which answers the whole page.
- The server runs WORKERS processes (`socinvest serve --workers`, default 2: one per core).
- A workspace of 1.000 cases × 10 versions (rows copied from seed 000's stored version, as a
  save would store them): the portfolio page. Goal: < 300 ms.

Bounded: every phase stops after its requests or DEADLINE seconds, whichever comes first;
the server is stopped and the PostgreSQL database dropped at the end. Run alone:
`python bench/web.py [--users 50] [--think 1.0] [--workers 2] [--only sqlite|postgresql]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

ORG = "eksempel"
CASE = "examples/tidlig-indsats-0-2.yaml"
USERS = ("admin", "oekonom", "sagsejer", "udvalg", "revisor")
EDITORS = ("admin", "oekonom", "sagsejer")  # sagsejer owns seed 000
CASES, VERSIONS = 1000, 10
DEADLINE = 60.0
SECRET = "bench-" + "x" * 32
HX = {"HX-Request": "true"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _postgres() -> tuple[str, str] | None:
    """(admin URL, SQLAlchemy URL of a fresh database), or None when no server answers."""
    try:
        import psycopg
    except ImportError:
        return None
    admin = (
        os.environ.get("SOCINVEST_TEST_POSTGRES_URL")
        or "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"socinvest_bench_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        return None
    url = admin.rsplit("/", 1)[0] + "/" + name
    return admin, url.replace("postgresql://", "postgresql+psycopg://", 1)


def _drop(admin: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build(url: str, cases: int = 0) -> None:
    """The demo workspace, plus `cases` extra cases of VERSIONS versions each (rows copied
    from seed 000's stored version: the same text, parsed data and figures)."""
    from sqlalchemy import select

    from socinvest.services import workspace as wsv
    from socinvest.store.models import CaseSummary, Document, Version

    ws = wsv.open_workspace(url)
    wsv.load_demo(ws, ROOT / "examples")
    if cases:
        with ws.store.transaction() as s:
            src = s.scalars(select(Document).where(Document.path == CASE)).one()
            v = s.scalars(select(Version).where(Version.document_id == src.id)).one()
            cs = s.get(CaseSummary, v.id)
            assert cs is not None
            summary = {c.name: getattr(cs, c.name) for c in CaseSummary.__table__.columns}
            for i in range(cases):
                d = Document(
                    org_id=src.org_id,
                    kind=src.kind,
                    path=f"bench/case-{i:04d}.yaml",
                    status=("draft", "submitted", "decided")[i % 3],
                    owner_id=src.owner_id,
                    latest=VERSIONS,
                )
                s.add(d)
                s.flush()
                for n in range(1, VERSIONS + 1):
                    nv = Version(
                        document_id=d.id,
                        number=n,
                        parent_number=n - 1 or None,
                        text=v.text,
                        sha256=v.sha256,
                        data=v.data,
                        author=v.author,
                        author_id=v.author_id,
                        message=f"bench {n}",
                    )
                    s.add(nv)
                    s.flush()
                    s.add(CaseSummary(**{**summary, "version_id": nv.id}))
    ws.store.engine.dispose()


def _cpu(pid: int) -> float:
    """CPU seconds used so far by process `pid` and its live children (the workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # itself, or a child
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


class Server:
    """`socinvest serve` in a subprocess on a free port."""

    def __init__(self, url: str, workers: int = 1) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        exe = str(Path(sys.executable).parent / "socinvest")
        env = {**os.environ, "SOCINVEST_SECRET_KEY": SECRET}
        args = [exe, "serve", "--db", url, "--host", "127.0.0.1", "--port", str(self.port)]
        args += ["--workers", str(workers)]
        self.proc = subprocess.Popen(
            args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        end = time.monotonic() + 60
        while time.monotonic() < end:
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("socinvest serve did not start")

    def cpu(self) -> float:
        return _cpu(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


async def login(base: str, user: str) -> tuple[str, str]:
    async with httpx.AsyncClient(base_url=base) as c:
        token = (await c.get("/login", headers={"accept": "application/json"})).json()
        form = {
            "username": user,
            "password": f"demo-{user}-2026",
            "csrf_token": token["csrf_token"],
        }
        r = await c.post("/login", data=form, headers={"accept": "application/json"})
        r.raise_for_status()
        return c.cookies["socinvest_session"], r.json()["csrf_token"]


async def load(
    base: str,
    sessions: dict[str, tuple[str, str]],
    users: int,
    per_user: int,
    think: float,
    kind: str,
    htmx: bool = True,
) -> tuple[list[float], int, int]:
    """`users` clients, `per_user` requests each: latencies (s), errors, requests sent."""
    names = list(EDITORS if kind == "preview" else USERS)
    lat: list[float] = []
    errors = 0
    sent = 0
    end = time.monotonic() + DEADLINE
    url = f"/o/{ORG}/cases/{CASE}"

    # every client is made before anyone starts: making one takes milliseconds (its TLS
    # context), and made in turn they held back the first users until all arrived at once
    limits = httpx.Limits(max_connections=1)
    clients = [httpx.AsyncClient(base_url=base, limits=limits, timeout=30) for _ in range(users)]
    start = time.perf_counter()

    async def user(i: int) -> None:
        nonlocal errors, sent
        rng = random.Random(i)
        cookie, token = sessions[names[i % len(names)]]
        async with clients[i] as c:
            c.cookies.set("socinvest_session", cookie)
            # users arrive spread out over the first `think` seconds
            await asyncio.sleep(max(0.0, start + rng.uniform(0, think) - time.perf_counter()))
            for k in range(per_user):
                if time.monotonic() > end:
                    return
                t0 = time.perf_counter()
                try:
                    if kind == "page":
                        r = await c.get(url)
                    else:
                        form = {
                            "base_version": "1",
                            "value": str(500 + 10 * (k % 50)),
                            "action": "preview",
                            "csrf_token": token,
                        }
                        # as the page's htmx inputs send it: the part the edit replaces
                        r = await c.post(
                            f"{url}/parameters/price_foster",
                            data=form,
                            headers=HX if htmx else None,
                        )
                    ok = r.status_code == 200 and "Tabel 1." in r.text
                except httpx.HTTPError:
                    ok = False
                lat.append(time.perf_counter() - t0)
                sent += 1
                errors += not ok
                await asyncio.sleep(rng.expovariate(1 / think) if think else 0)

    await asyncio.gather(*(user(i) for i in range(users)))
    return lat, errors, sent


def warm(base: str, sessions: dict[str, tuple[str, str]], workers: int) -> None:
    """Every worker past its first requests (templates compiled, the stored version's bundle
    and page parts made, its database connections open), as a server that has run for a
    while is: one connection is one worker's, and the kernel spreads new connections over the
    workers, so many short-lived clients reach each of them."""
    cookie, token = sessions["oekonom"]
    url = f"/o/{ORG}/cases/{CASE}"
    form = {"base_version": "1", "value": "500", "action": "preview", "csrf_token": token}

    async def one(i: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as c:
            c.cookies.set("socinvest_session", cookie)
            for _ in range(3):
                (await c.get(url)).raise_for_status()
                r = await c.post(f"{url}/parameters/price_foster", data=form, headers=HX)
                r.raise_for_status()

    async def all_of_them() -> None:
        await asyncio.gather(*(one(i) for i in range(10 * workers)))

    asyncio.run(all_of_them())


def _p(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] if xs else float("nan")


def report(
    db: str,
    what: str,
    lat: list[float],
    errors: int,
    sent: int,
    goal_ms: float | None,
    cpu: float | None = None,
) -> None:
    """One line: latencies, errors, the server's CPU per request and the goal's verdict
    (`goal_ms` None: a figure for information, no goal)."""
    p50, p95 = _p(lat, 0.5) * 1000, _p(lat, 0.95) * 1000
    per = f"  server CPU {cpu / max(sent, 1) * 1000:5.1f} ms/req" if cpu is not None else ""
    if goal_ms is None:
        verdict = "(for information)"
    else:
        ok = p95 < goal_ms and errors == 0 and sent
        verdict = f"goal p95 < {goal_ms:.0f} ms, 0 errors: {'OK' if ok else 'MISSED'}"
    print(
        f"web       {db:10s} {what:40s} {sent:4d} req  p50 {p50:6.0f} ms  p95 {p95:6.0f} ms  "
        f"max {max(lat, default=0) * 1000:6.0f} ms  errors {errors}{per}  {verdict}"
    )


def run_one(db: str, url: str, users: int, think: float, per_user: int, workers: int) -> None:
    t0 = time.perf_counter()
    build(url)
    server = Server(url, workers)
    try:
        sessions = {u: asyncio.run(login(server.base, u)) for u in USERS}
        warm(server.base, sessions, workers)
        print(
            f"web       {db:10s} set-up (demo workspace, server with {workers} worker(s), "
            f"5 logins) {time.perf_counter() - t0:.1f} s"
        )
        for kind, what, n in (
            ("page", "case page", per_user),
            ("preview", "recompute after an edit", per_user),
        ):
            # one user alone first: the service time the concurrent figure queues behind
            lat, errors, sent = asyncio.run(load(server.base, sessions, 1, 10, 0.0, kind))
            report(db, f"{what} (1 user)", lat, errors, sent, 100)
            c0 = server.cpu()
            lat, errors, sent = asyncio.run(load(server.base, sessions, users, n, think, kind))
            report(db, f"{what} ({users} users)", lat, errors, sent, 100, server.cpu() - c0)
        # without JavaScript an edit answers the whole page: for information
        lat, errors, sent = asyncio.run(
            load(server.base, sessions, 1, 10, 0.0, "preview", htmx=False)
        )
        report(db, "recompute, whole page without JS (1 user)", lat, errors, sent, None)
    finally:
        server.stop()


def run_portfolio(db: str, url: str, workers: int) -> None:
    t0 = time.perf_counter()
    build(url, CASES)
    built = time.perf_counter() - t0
    server = Server(url, workers)
    try:
        cookie, _ = asyncio.run(login(server.base, "oekonom"))
        times, errors, rows = [], 0, 0
        with httpx.Client(base_url=server.base, timeout=60) as c:
            c.cookies.set("socinvest_session", cookie)
            for i in range(6):  # the first one warms the server up; not counted
                t = time.perf_counter()
                r = c.get(f"/o/{ORG}")
                dt = time.perf_counter() - t
                errors += r.status_code != 200
                rows = len(set(re.findall(r"bench/case-\d{4}", r.text)))
                if i:
                    times.append(dt)
        med = statistics.median(times) * 1000
        verdict = "OK" if med < 300 and errors == 0 and rows >= CASES else "MISSED"
        print(
            f"web       {db:10s} portfolio, {CASES:,} cases × {VERSIONS} versions "
            f"(built in {built:.0f} s): median {med:.0f} ms, max {max(times) * 1000:.0f} ms "
            f"({rows} bench rows shown, errors {errors})  goal < 300 ms: {verdict}"
        )
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--think", type=float, default=1.0, help="mean think time (s)")
    ap.add_argument("--requests", type=int, default=10, help="case pages per user")
    ap.add_argument("--only", choices=("sqlite", "postgresql"))
    ap.add_argument(
        "--workers", type=int, default=2, help="server processes (socinvest serve --workers)"
    )
    a = ap.parse_args(argv)
    # cheap argon2 for the demo logins: the bench measures pages, not password hashing
    from argon2 import PasswordHasher

    from socinvest.services import auth

    auth._HASHER = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    load1 = os.getloadavg()[0]
    print(f"web       load average before: {load1:.2f} ({os.cpu_count()} cores)")
    for db in ("postgresql", "sqlite"):
        if a.only and db != a.only:
            continue
        for phase in ("users", "portfolio"):
            if db == "postgresql":
                pg = _postgres()
                if pg is None:
                    print("web       postgresql  not reachable on 127.0.0.1:5432: skipped")
                    break
                admin, url = pg
                try:
                    (run_one if phase == "users" else run_portfolio)(
                        db,
                        url,
                        *((a.users, a.think, a.requests) if phase == "users" else ()),
                        a.workers,
                    )
                finally:
                    _drop(admin, url)
            else:
                with tempfile.TemporaryDirectory() as tmp:
                    url = f"sqlite:///{Path(tmp) / 'bench.db'}"
                    (run_one if phase == "users" else run_portfolio)(
                        db,
                        url,
                        *((a.users, a.think, a.requests) if phase == "users" else ()),
                        a.workers,
                    )
    print(f"web       load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
