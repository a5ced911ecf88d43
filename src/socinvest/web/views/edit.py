"""Editing a case in place: a parameter, a line or the whole file's text becomes the case's
new text (web/edits.py), which the workspace service previews (recomputes, writes nothing) or
saves as a new version based on the version the form was showing. A save based on an old
version writes nothing and answers 409 with both versions side by side; unusable input
answers 422 on the case page with the loader's located message."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import Form, Request
from fastapi.responses import Response

from ...errors import InputError
from ...i18n import translator
from ...services import workspace as wsv
from ..deps import Ctx, handles
from ..edits import line_index, set_line, set_parameter
from ..render import page
from .case import case_page
from .common import data, done

Action = Literal["save", "preview"]


def conflict_page(request: Request, ctx: Ctx, c: wsv.Conflict) -> Response:
    """409: nothing was saved; the version the edit was based on, the newer one, and the
    text the user tried to save, side by side."""
    payload = {
        "error": "conflict",
        "base": data(c.base.info) if c.base else None,
        "latest": data(c.latest.info),
        "latest_text": c.latest.text,
        "base_text": c.base.text if c.base else None,
        "your_text": c.text,
    }
    yours, latest = c.text.splitlines(), (c.latest.text or "").splitlines()
    mine, theirs = [False] * len(yours), [False] * len(latest)
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, yours, latest).get_opcodes():
        if op != "equal":  # a reading aid: the lines where the two texts differ
            mine[i1:i2] = [True] * (i2 - i1)
            theirs[j1:j2] = [True] * (j2 - j1)
    context = {
        "c": c,
        "org": ctx.org,
        "path": c.latest.document.path,
        "yours": list(zip(yours, mine, strict=True)),
        "latest": list(zip(latest, theirs, strict=True)),
    }
    return page(request, "conflict.html.j2", context, payload, 409)


def _apply(
    request: Request,
    org: str,
    path: str,
    base_version: int,
    action: Action,
    message: str,
    change: Callable[[wsv.VersionView], str],
) -> Response:
    ctx = Ctx.of(request)
    base = None
    try:
        if action == "preview":  # the recompute of an edit: one service call
            e = wsv.preview_edit(ctx.ws, ctx.actor, org, path, base_version, change)
            p = e.preview
            return case_page(
                request, ctx, e.base, p.bundle, text=e.text, parsed=p.data, preview=True
            )
        base = wsv.get(ctx.ws, ctx.actor, org, path, base_version)
        try:
            text = change(base)
        except InputError:  # an unusable edit: still refused first to one who may not edit
            wsv.preview(ctx.ws, ctx.actor, org, path, base.text or "")
            raise
        result = wsv.save(
            ctx.ws, ctx.actor, org, path, text, base_version=base_version, message=message
        )
    except InputError as e:
        tr = translator(ctx.lang)
        error = tr("fejl: {message}", message=e.render(ctx.lang))
        base = base or wsv.get(ctx.ws, ctx.actor, org, path, base_version)
        bundle = wsv.case_bundle(ctx.ws, ctx.actor, org, path, base_version)
        return case_page(request, ctx, base, bundle, error=error, status=422)
    if isinstance(result, wsv.Conflict):
        return conflict_page(request, ctx, result)
    v = result.version
    url = str(request.app.url_path_for("case", org=org, path=path))
    return done(request, url, {"saved": data(v.info), "summary": data(v.summary)}, 200)


@handles("edit_parameter")
def edit_parameter(
    request: Request,
    org: str,
    path: str,
    name: str,
    base_version: Annotated[int, Form(ge=1)],
    value: Annotated[str, Form(max_length=20_000)],
    uncertainty: Annotated[str | None, Form(max_length=20_000)] = None,
    action: Annotated[Action, Form()] = "save",
) -> Response:
    """A parameter's value and distribution ('' removes the distribution)."""
    message = f"parameters.{name}"
    return _apply(
        request,
        org,
        path,
        base_version,
        action,
        message,
        lambda v: set_parameter(v.text or "", name, value, uncertainty),
    )


@handles("edit_line")
def edit_line(
    request: Request,
    org: str,
    path: str,
    line_id: str,
    base_version: Annotated[int, Form(ge=1)],
    label: Annotated[str | None, Form(max_length=2000)] = None,
    amounts: Annotated[str | None, Form(max_length=20_000)] = None,
    driver: Annotated[str | None, Form(max_length=20_000)] = None,
    action: Annotated[Action, Form()] = "save",
) -> Response:
    """A line's label and its amounts or driver."""
    message = f"lines.{line_id}"
    return _apply(
        request,
        org,
        path,
        base_version,
        action,
        message,
        lambda v: set_line(v.text or "", line_index(v.data, line_id), label, amounts, driver),
    )


@handles("edit_source")
def edit_source(
    request: Request,
    org: str,
    path: str,
    base_version: Annotated[int, Form(ge=1)],
    text: Annotated[str, Form(max_length=2_000_000)],
    message: Annotated[str, Form(max_length=2000)] = "",
    action: Annotated[Action, Form()] = "save",
) -> Response:
    """The case file's whole text."""
    return _apply(request, org, path, base_version, action, message, lambda v: text)
