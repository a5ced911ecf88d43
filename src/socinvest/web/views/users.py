"""The organisation's users (its admin only): the members and their roles; add a user, change
a member's roles, reset a password, remove a member. The service (services/users.py) decides
every rule; a refused form answers the page again with the message above the forms and the
add form's values kept (never a password), in the service's status (422 bad input, 404 no
such member, 409 the organisation's last admin), or as JSON `{"error", "field", "message"}`."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import JSONResponse, Response

from ...services import users as svc
from ...services.auth import MIN_PASSWORD
from ...store.models import Role
from ..deps import Ctx, handles
from ..render import ROLE_LABELS, page, wants_json
from .common import data, done

CODES = {404: "not_found", 409: "conflict"}
Roles = Annotated[list[str] | None, Form()]


@handles("users")
def users(request: Request, org: str) -> Response:
    return _page(request, Ctx.of(request), org)


@handles("add_user")
def add_user(
    request: Request,
    org: str,
    username: Annotated[str, Form(max_length=200)] = "",
    display_name: Annotated[str, Form(max_length=400)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    roles: Roles = None,
) -> Response:
    ctx = Ctx.of(request)
    try:
        m = svc.add_member(ctx.ws, ctx.actor, org, username, password, roles or [], display_name)
    except svc.UserError as e:
        form = {"username": username, "display_name": display_name, "roles": roles or []}
        return _refused(request, ctx, org, e, "add", "", form)
    return done(request, _here(request, org, m.username), {"member": data(m)}, 201)


@handles("set_roles")
def set_roles(request: Request, org: str, username: str, roles: Roles = None) -> Response:
    ctx = Ctx.of(request)
    try:
        m = svc.set_roles(ctx.ws, ctx.actor, org, username, roles or [])
    except svc.UserError as e:
        return _refused(request, ctx, org, e, "roles", username)
    url = _here(request, org, username)
    if username == ctx.actor.username and Role.ADMIN not in m.roles:
        url = str(request.app.url_path_for("portfolio", org=org))  # no longer on this page
    return done(request, url, {"member": data(m)})


@handles("reset_password")
def reset_password(
    request: Request,
    org: str,
    username: str,
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    ctx = Ctx.of(request)
    try:
        epoch = svc.reset_password(ctx.ws, ctx.actor, org, username, password)
    except svc.UserError as e:
        return _refused(request, ctx, org, e, "password", username)
    if username == ctx.actor.username:
        # the member's sessions have ended; the admin who set its own password keeps this one
        session = request.state.session
        request.state.new_session = dataclasses.replace(session, epoch=epoch)
    return done(request, _here(request, org, username), {"username": username, "password": "reset"})


@handles("remove_user")
def remove_user(request: Request, org: str, username: str) -> Response:
    ctx = Ctx.of(request)
    try:
        gone = svc.remove_member(ctx.ws, ctx.actor, org, username)
    except svc.UserError as e:
        return _refused(request, ctx, org, e, "remove", username)
    url = "/" if username == ctx.actor.username else _here(request, org, "")
    return done(request, url, {"removed": data(gone)})


def _here(request: Request, org: str, username: str) -> str:
    url = str(request.app.url_path_for("users", org=org))
    return url + (f"#user-{username}" if username else "")


def _refused(
    request: Request,
    ctx: Ctx,
    org: str,
    e: svc.UserError,
    action: str,
    username: str,
    form: dict[str, Any] | None = None,
) -> Response:
    message = e.render(ctx.lang)
    if wants_json(request):
        body = {"error": CODES.get(e.status, "input"), "field": e.field, "message": message}
        return JSONResponse(body, status_code=e.status)
    error = {"message": message, "field": e.field, "action": action, "username": username}
    return _page(request, ctx, org, error, form, e.status)


def _page(
    request: Request,
    ctx: Ctx,
    org: str,
    error: dict[str, str] | None = None,
    form: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    rows = svc.members(ctx.ws, ctx.actor, org)
    context = {
        "org": org,
        "members": rows,
        "roles": [(r.value, ROLE_LABELS[r.value]) for r in svc.ORDER],
        "me": ctx.actor.username,
        "min_password": MIN_PASSWORD,
        "error": error,
        "form": form or {"username": "", "display_name": "", "roles": []},
    }
    payload = {"org": org, "members": data(rows), "roles": [r.value for r in svc.ORDER]}
    return page(request, "users.html.j2", context, payload, status)
