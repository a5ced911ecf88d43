"""A case's history (every version: who, when, why) and the difference of two versions."""

from __future__ import annotations

from fastapi import Query, Request
from fastapi.responses import Response

from ...services import workspace as wsv
from ..deps import Ctx, handles
from ..edits import flow
from ..render import page
from .common import data


@handles("history")
def history(request: Request, org: str, path: str) -> Response:
    ctx = Ctx.of(request)
    versions = wsv.history(ctx.ws, ctx.actor, org, path)
    context = {"org": org, "path": path, "versions": versions}
    return page(request, "history.html.j2", context, {"path": path, "versions": data(versions)})


@handles("diff")
def diff(
    request: Request,
    org: str,
    path: str,
    a: int = Query(ge=1),
    b: int = Query(ge=1),
) -> Response:
    ctx = Ctx.of(request)
    d = wsv.diff(ctx.ws, ctx.actor, org, path, a, b)
    shown = [
        {
            "section": c.section,
            "key": c.key,
            "kind": c.kind,
            "before": "" if c.before is None else flow(c.before),
            "after": "" if c.after is None else flow(c.after),
        }
        for c in d.changes
    ]
    lines = [
        ("add" if ln.startswith("+") else "del" if ln.startswith("-") else "", ln)
        for ln in d.unified.splitlines()
    ]
    context = {"org": org, "path": path, "d": d, "changes": shown, "lines": lines}
    return page(request, "diff.html.j2", context, data(d))
