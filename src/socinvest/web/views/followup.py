"""The follow-up page: plan against actual, realised payback, criteria (KPI) status, FIT and
ADBB summaries (reports/followup's evaluation document of the service's bundle), and the
upload of actuals — a posting export or the follow-up file — as a new version."""

from __future__ import annotations

import posixpath
from typing import Annotated

from fastapi import File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ...errors import InputError
from ...i18n import Msg
from ...reports.followup.data import status_json
from ...reports.followup.document import followup_document
from ...reports.registry import document_json
from ...services import workspace as wsv
from ..deps import Ctx, handles
from ..render import page
from .common import data, done
from .edit import conflict_page
from .files import read_upload


def targets(view: wsv.VersionView) -> list[str]:
    """The files an upload may replace: the follow-up file and the posting exports it names
    (workspace paths, relative to the follow-up file's folder as in the file)."""
    folder = posixpath.dirname(view.document.path)
    named = (view.data or {}).get("postings") or []
    paths = [posixpath.normpath(posixpath.join(folder, str(p))) for p in named]
    return [view.document.path, *paths]


@handles("followup")
def followup(request: Request, org: str, path: str) -> Response:
    ctx = Ctx.of(request)
    view = wsv.get(ctx.ws, ctx.actor, org, path)
    bundle = wsv.followup_bundle(ctx.ws, ctx.actor, org, path)
    doc = followup_document(bundle, ctx.lang)
    context = {"org": org, "view": view, "doc": doc, "targets": targets(view)}
    payload = lambda: {  # noqa: E731 - built only for the JSON twin
        "document": data(view.document),
        "version": data(view.info),
        "status": status_json(bundle, ctx.lang),
        "report": document_json(doc),
    }
    return page(request, "followup.html.j2", context, payload)


@handles("upload_actuals")
async def upload_actuals(
    request: Request,
    org: str,
    path: str,
    file: Annotated[UploadFile, File()],
    target: Annotated[str, Form(max_length=400)] = "",
    message: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    ctx = Ctx.of(request)
    view = await run_in_threadpool(wsv.get, ctx.ws, ctx.actor, org, path)
    allowed = targets(view)
    target = target or allowed[-1]
    if target not in allowed:
        raise InputError(Msg("{target} hører ikke til denne opfølgning", target=target))
    raw = await read_upload(request, file)
    content: str | bytes = raw
    if target == view.document.path:
        try:
            content = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(Msg("{name}: filen er ikke UTF-8", name=file.filename)) from None

    def save() -> wsv.SaveResult:
        try:
            base = wsv.get(ctx.ws, ctx.actor, org, target).info.number
        except wsv.NotFound:
            base = None
        return wsv.save(ctx.ws, ctx.actor, org, target, content, base_version=base, message=message)

    result = await run_in_threadpool(save)
    if isinstance(result, wsv.Conflict):
        return conflict_page(request, ctx, result)
    url = str(request.app.url_path_for("followup", org=org, path=path))
    return done(request, url, {"saved": data(result.version.info), "path": target})
