"""Reading the audit log (auditor and admin of the organisation): a filtered query, and an
export as CSV or JSON. There is no way here to change or remove an entry; the database refuses
it too (store/migrations)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from sqlalchemy import select

from ..store.models import AuditEntry
from ._ws_access import Actor, require_audit
from ._ws_views import aware, org_row
from .workspace import AuditRecord, Workspace

FIELDS = ("id", "at", "username", "org", "entity", "entity_id", "action", "before", "after")


def _rows(
    ws: Workspace,
    actor: Actor,
    org: str,
    entity: str | None,
    entity_id: str | None,
    username: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    limit: int | None,
    offset: int,
    newest_first: bool,
) -> tuple[AuditRecord, ...]:
    require_audit(actor, org)
    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        q = select(AuditEntry).where(AuditEntry.org_id == o.id)
        if entity is not None:
            q = q.where(AuditEntry.entity == entity)
        if entity_id is not None:
            q = q.where(AuditEntry.entity_id == entity_id)
        if username is not None:
            q = q.where(AuditEntry.username == username)
        if since is not None:
            q = q.where(AuditEntry.at >= since)
        if until is not None:
            q = q.where(AuditEntry.at < until)
        q = q.order_by(AuditEntry.id.desc() if newest_first else AuditEntry.id)
        if limit is not None:
            q = q.limit(max(0, min(limit, 10_000))).offset(max(0, offset))
        return tuple(
            AuditRecord(
                e.id,
                aware(e.at),
                e.username,
                o.slug,
                e.entity,
                e.entity_id,
                e.action,
                e.before,
                e.after,
            )
            for e in s.scalars(q)
        )


def query(
    ws: Workspace,
    actor: Actor,
    org: str,
    entity: str | None,
    entity_id: str | None,
    username: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    limit: int,
    offset: int,
) -> tuple[AuditRecord, ...]:
    return _rows(ws, actor, org, entity, entity_id, username, since, until, limit, offset, True)


def _plain(r: AuditRecord) -> dict[str, Any]:
    return {
        "id": r.id,
        "at": r.at.isoformat(),
        "username": r.username,
        "org": r.org,
        "entity": r.entity,
        "entity_id": r.entity_id,
        "action": r.action,
        "before": r.before,
        "after": r.after,
    }


def export(ws: Workspace, actor: Actor, org: str, fmt: str, **filters: Any) -> str:
    """Every matching entry, oldest first. CSV: before/after as JSON text in their columns."""
    args = {k: filters.get(k) for k in ("entity", "entity_id", "username", "since", "until")}
    rows = [
        _plain(r) for r in _rows(ws, actor, org, **args, limit=None, offset=0, newest_first=False)
    ]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if fmt != "csv":
        raise ValueError(f"unknown audit export format {fmt!r}")
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        r["before"] = json.dumps(r["before"], ensure_ascii=False, sort_keys=True)
        r["after"] = json.dumps(r["after"], ensure_ascii=False, sort_keys=True)
        w.writerow(r)
    return out.getvalue()
