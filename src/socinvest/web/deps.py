"""What every handler gets: the gate (login, role in the organisation, CSRF) built from the
route table, and `Ctx` (workspace, actor, organisation, language) for calling the service.

Handlers are registered by name (`@handles("case")`); `app.create_app` joins them to the route
table (`access.ROUTES`) and refuses to start when a route has no handler or a handler no route.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from ..services import auth
from ..services.workspace import Actor, Workspace
from .access import RouteSpec
from .security import CSRF_FIELD, CSRF_HEADER, Session, same_token

HANDLERS: dict[str, Callable[..., Any]] = {}


def handles(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        HANDLERS[name] = fn
        return fn

    return register


class LoginRequired(Exception):
    """No (valid) session: 401 for JSON, 303 to the login page for HTML."""


class CsrfRefused(Exception):
    """A state-changing request without the session's CSRF token (403)."""


@dataclass(frozen=True)
class Ctx:
    """The service's arguments for this request."""

    ws: Workspace
    actor: Actor
    org: str
    lang: str

    @classmethod
    def of(cls, request: Request) -> Ctx:
        return cls(
            request.app.state.ws,
            request.state.actor,
            request.path_params.get("org", ""),
            request.state.lang,
        )


async def current_actor(request: Request) -> Actor | None:
    """The logged-in actor of the session (None: anonymous; or the user is gone, deactivated,
    or the cookie's session epoch is no longer the user's — its password changed or its
    sessions were ended since — and the dead cookie is replaced by an anonymous session, as
    an expired one is)."""
    if hasattr(request.state, "actor"):
        return request.state.actor
    session = request.state.session
    actor = None
    if session.user_id is not None:
        actor = await run_in_threadpool(
            auth.session_actor, request.app.state.ws, session.user_id, session.epoch
        )
        if actor is None and getattr(request.state, "new_session", None) is None:
            request.state.new_session = Session.new()
    request.state.actor = actor
    return actor


async def check_csrf(request: Request) -> None:
    token = request.headers.get(CSRF_HEADER)
    if not token:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()  # cached on the request: the handler reads it again
            value = form.get(CSRF_FIELD)
            token = value if isinstance(value, str) else None
    if not same_token(token, request.state.session.csrf):
        raise CsrfRefused()


def gate(spec: RouteSpec) -> Callable[[Request], Any]:
    """The dependency that guards `spec`: login (unless public), role in the route's
    organisation (none: 404 as the service would; not this role: 403), then CSRF."""

    async def guard(request: Request) -> None:
        if not spec.public:
            actor = await current_actor(request)
            if actor is None:
                raise LoginRequired()
            if spec.org_scoped:
                roles = {str(r) for r in actor.roles_in(request.path_params.get("org", ""))}
                if not roles:
                    raise HTTPException(404)
                if spec.roles is not None and not (roles & spec.roles):
                    raise HTTPException(403)
        if spec.changes_state:
            await check_csrf(request)

    guard.__name__ = f"gate_{spec.name}"
    return guard
