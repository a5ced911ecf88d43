"""Login, logout, health and the start page."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ...i18n import translator
from ...services import auth
from ...services.workspace import organisations
from ..deps import Ctx, handles
from ..render import html, page, wants_json
from ..security import Session
from .common import done


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a scheme): no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


@handles("health")
def health() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@handles("login_form")
def login_form(request: Request, next: str = "/") -> Response:
    context = {"error": "", "next": _safe_next(next), "username": ""}
    return page(request, "login.html.j2", context, {"csrf_token": request.state.session.csrf})


@handles("login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    tr = translator(request.state.lang)
    limiter = request.app.state.limiter
    address = request.client.host if request.client else ""
    wait = limiter.blocked(username, address)
    if wait > 0:
        text = tr("For mange mislykkede forsøg; prøv igen om {n} sekunder.", n=int(wait) + 1)
        headers = {"Retry-After": str(int(wait) + 1)}
        if wants_json(request):
            return JSONResponse({"error": "rate_limited", "message": text}, 429, headers)
        context = {"error": text, "next": _safe_next(next), "username": username}
        return html(request, "login.html.j2", context, 429, headers)
    signed_in = auth.log_in(request.app.state.ws, username, password)
    if signed_in is None:
        limiter.failed(username, address)
        text = tr("Forkert brugernavn eller adgangskode.")
        if wants_json(request):
            return JSONResponse({"error": "login_failed", "message": text}, 401)
        context = {"error": text, "next": _safe_next(next), "username": username}
        return html(request, "login.html.j2", context, 401)
    limiter.succeeded(username, address)
    actor = signed_in.actor
    # a new id and token on login, under the user's current session epoch
    request.state.new_session = Session.new(actor.user_id, signed_in.epoch)
    return done(
        request,
        _safe_next(next),
        {
            "user": actor.username,
            "orgs": list(actor.orgs),
            "csrf_token": request.state.new_session.csrf,
        },
    )


@handles("logout")
def logout(request: Request) -> Response:
    # This browser's session ends (its cookie becomes an anonymous one). The cookie is
    # stateless: every session of a user ends with a new password or `socinvest user logout
    # USER` (docs/web.md, People and access).
    request.state.new_session = Session.new()
    return done(request, "/login", {"logged_out": True})


@handles("home")
def home(request: Request) -> Response:
    ctx = Ctx.of(request)
    orgs = organisations(ctx.ws, ctx.actor)
    if len(orgs) == 1 and not wants_json(request):
        return RedirectResponse(str(request.app.url_path_for("portfolio", org=orgs[0].slug)), 303)
    rows = [{"slug": o.slug, "name": o.name} for o in orgs]
    return page(request, "home.html.j2", {"orgs": orgs}, {"organisations": rows})


@handles("openapi")
def openapi(request: Request) -> JSONResponse:
    """The OpenAPI description of every route (for logged-in users, like every other route)."""
    return JSONResponse(request.app.openapi())
