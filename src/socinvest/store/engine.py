"""Opening the store: the URL (SOCINVEST_DATABASE_URL or ./socinvest.db), the engine and a
transaction per operation.

SQLite is the embedded default: foreign keys on, WAL journal and a busy timeout so a web
server's threads and a CLI command can share the file. PostgreSQL when the URL names one
(`postgresql://…` is read as psycopg 3)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

ENV = "SOCINVEST_DATABASE_URL"
DEFAULT_FILE = "socinvest.db"


def default_url() -> str:
    """`SOCINVEST_DATABASE_URL`, else the SQLite file ./socinvest.db."""
    return os.environ.get(ENV) or sqlite_url(Path(DEFAULT_FILE))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def normalise(url: str) -> str:
    """A bare path is a SQLite file; `postgresql://` and `postgres://` use psycopg 3."""
    if "://" not in url:
        return sqlite_url(Path(url))
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_sqlite(url: str) -> bool:
    return normalise(url).startswith("sqlite")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def make_engine(url: str) -> Engine:
    url = normalise(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@dataclass
class Store:
    """An engine and its session factory. `transaction()` is one unit of work."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back (and
        nothing left behind) when it raises."""
        with self.sessions() as s, s.begin():
            yield s

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.sessions() as s:
            yield s

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, upgrade: bool = True) -> Store:
    """The store at `url` (default_url()); with `upgrade`, created or migrated to head."""
    url = normalise(url or default_url())
    engine = make_engine(url)
    if upgrade:
        from .migrate import upgrade as _upgrade

        _upgrade(engine)
    return Store(url, engine, sessionmaker(engine, expire_on_commit=False))
