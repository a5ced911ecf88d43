"""Alembic environment: the engine comes from `store.migrate.config` (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from socinvest.store.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as conn:
    context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
