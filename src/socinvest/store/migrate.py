"""Alembic migrations, run from code: the configuration is built here and the scripts ship in
the package (store/migrations), so no alembic.ini is needed at run time.

`upgrade(engine)` brings a database to head; on a database already at head it does nothing
(`socinvest db upgrade` twice is a no-op)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

SCRIPTS = Path(__file__).parent / "migrations"


def config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.set_main_option("path_separator", "os")
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head() -> str | None:
    return ScriptDirectory.from_config(config()).get_current_head()


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate to `revision`; returns (before, after). Nothing runs when already there."""
    before = current(engine)
    if before is not None and before == head() and revision == "head":
        return before, before
    command.upgrade(config(engine), revision)
    return before, current(engine)
