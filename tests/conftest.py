"""Shared paths and the in-process CLI runner.

`cli(*args)` runs a command in this process with typer's CliRunner (no Python start-up per
call). It sets SOCINVEST_DEBUG so that an unexpected exception (a bug, exit 3 for users)
propagates with its traceback instead of hiding behind an exit code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures"
TABLES = FIXTURES / "tables"


_COMMANDS: dict[tuple[int, int, int], object] = {}


def _click_command(app):
    """typer builds the click command anew on every invoke (about 40 ms); build it once per
    shape of the app (a test may add a sub-app)."""
    import typer.main

    key = (id(app), len(app.registered_commands), len(app.registered_groups))
    if key not in _COMMANDS:
        _COMMANDS[key] = typer.main.get_command(app)
    return _COMMANDS[key]


def cli(*args: str | Path, debug: bool = True, **kwargs):
    """Run `socinvest ARGS` in-process; returns click's Result (exit_code, stdout, stderr)."""
    from unittest import mock

    import typer.testing
    from typer.testing import CliRunner

    from socinvest.cli import app

    env = {"SOCINVEST_DEBUG": "1" if debug else "", "COLUMNS": "200"}
    command = _click_command(app)
    with mock.patch.object(typer.testing, "_get_command", lambda _app: command, create=True):
        return CliRunner().invoke(
            app, [str(a) for a in args], env=env, catch_exceptions=not debug, **kwargs
        )


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


# -- the workspace store: the same tests on SQLite and PostgreSQL ----------------------------


def _postgres_admin_url() -> str | None:
    """A PostgreSQL server to test against: SOCINVEST_TEST_POSTGRES_URL, else the libpq
    environment (PGHOST, PGUSER, PGPASSWORD, PGPORT), else postgres@127.0.0.1:5432; None when
    none answers."""
    import os

    candidates = [os.environ.get("SOCINVEST_TEST_POSTGRES_URL")]
    user = os.environ.get("PGUSER", "postgres")
    password = os.environ.get("PGPASSWORD")
    host = os.environ.get("PGHOST", "127.0.0.1")
    port = os.environ.get("PGPORT", "5432")
    auth = f"{user}:{password}" if password else user
    candidates.append(f"postgresql://{auth}@{host}:{port}/postgres")
    try:
        import psycopg
    except ImportError:
        return None
    for url in filter(None, candidates):
        try:
            with psycopg.connect(url, connect_timeout=3):
                return url
        except psycopg.Error:
            continue
    return None


@pytest.fixture(scope="session")
def _postgres_database():
    """One throwaway PostgreSQL database per test session (dropped at the end); each test
    gets its own schema in it (`db_url`). Missing PostgreSQL: skip, or fail under CI."""
    import os
    import uuid

    admin = _postgres_admin_url()
    if admin is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432 (CI requires it)")
        pytest.skip("PostgreSQL is not reachable (set SOCINVEST_TEST_POSTGRES_URL)")
    import psycopg

    name = f"socinvest_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0] + "/" + name
    yield base
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A URL of an empty workspace database: a SQLite file in tmp_path, or a fresh schema in
    the session's PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.db'}"
    import uuid

    import psycopg

    base = request.getfixturevalue("_postgres_database")
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return base.replace("postgresql://", "postgresql+psycopg://", 1) + (
        f"?options=-csearch_path%3D{schema}"
    )


@pytest.fixture
def fast_passwords(monkeypatch):
    """argon2 with the smallest cost for tests (the default costs about half a second per hash
    on a loaded 2-core machine); the hashes are still argon2id."""
    from argon2 import PasswordHasher

    from socinvest.services import auth

    monkeypatch.setattr(auth, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


def wait_until_served(base: str, proc, log: Path, seconds: float) -> None:
    """Wait until `socinvest serve` (process `proc`, output in `log`) answers /health at
    `base`; fail with the end of its log when it stops or takes longer than `seconds`."""
    import time

    import httpx

    end = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > end:
            raise AssertionError(log.read_text(errors="replace")[-3000:])
        time.sleep(0.1)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
