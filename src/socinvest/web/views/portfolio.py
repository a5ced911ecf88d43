"""The organisation's portfolio: every case the user may read (status, investment, payback
planned against realised, P(payback)) and every pool's balance — one query of stored
figures (services.workspace.portfolio)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from ...services import workspace as wsv
from ..deps import Ctx, handles
from ..render import page
from .common import data


@handles("portfolio")
def portfolio(request: Request, org: str) -> Response:
    ctx = Ctx.of(request)
    p = wsv.portfolio(ctx.ws, ctx.actor, org)
    return page(request, "portfolio.html.j2", {"p": p, "org": org}, data(p))
