"""The audit log (auditor and admin): who changed what, when, before and after; and its
export as CSV or JSON. The service refuses everyone else."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import Query, Request
from fastapi.responses import Response

from ...services import workspace as wsv
from ..deps import Ctx, handles
from ..edits import flow
from ..render import page
from .common import data

PAGE = 200


@handles("audit")
def audit(
    request: Request,
    org: str,
    entity: str | None = Query(None, max_length=32),
    username: str | None = Query(None, max_length=100),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> Response:
    ctx = Ctx.of(request)
    rows = wsv.audit(
        ctx.ws, ctx.actor, org, entity=entity, username=username, limit=PAGE, offset=offset
    )
    shown = [
        {
            "r": r,
            "before": "" if r.before is None else flow(r.before),
            "after": "" if r.after is None else flow(r.after),
        }
        for r in rows
    ]
    context = {
        "org": org,
        "rows": shown,
        "entity": entity or "",
        "username": username or "",
        "offset": offset,
        "next": offset + PAGE if len(rows) == PAGE else None,
    }
    return page(request, "audit.html.j2", context, {"entries": data(rows), "offset": offset})


@handles("audit_export")
def audit_export(request: Request, org: str, format: Literal["csv", "json"] = "csv") -> Response:
    ctx = Ctx.of(request)
    text = wsv.audit_export(ctx.ws, ctx.actor, org, format)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    media = "text/csv; charset=utf-8" if format == "csv" else "application/json"
    name = f"audit-{org}-{stamp}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(text, media_type=media, headers=headers)
