"""A SQLite workspace copied as a file with SQLite's online backup API (consistent while the
web app runs), and restored the same way. PostgreSQL workspaces use the portable dump
(services: `workspace.backup` to a .zip), which also works for SQLite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from ..errors import InputError
from ..i18n import Msg


def sqlite_file(engine: Engine) -> Path:
    url = make_url(str(engine.url))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise InputError(
            Msg("en fil-kopi kræver en SQLite-database; brug en .zip-backup for PostgreSQL")
        )
    return Path(url.database)


def backup_file(engine: Engine, dest: Path) -> Path:
    """Copy the database into the new file `dest` (refused if it exists)."""
    src = sqlite_file(engine)
    if dest.exists():
        raise InputError(Msg("{path} findes allerede", path=str(dest)))
    with sqlite3.connect(src) as a, sqlite3.connect(dest) as b:
        a.backup(b)
    b.close()
    a.close()
    return dest


def restore_file(engine: Engine, src: Path) -> None:
    """Replace the database's content by the backup file `src` (checked to be SQLite)."""
    target = sqlite_file(engine)
    if not src.is_file():
        raise InputError(Msg("{path} findes ikke", path=str(src)))
    with src.open("rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            raise InputError(Msg("{path} er ikke en SQLite-backup", path=str(src)))
    engine.dispose()
    with sqlite3.connect(src) as a, sqlite3.connect(target) as b:
        a.backup(b)
    b.close()
    a.close()
