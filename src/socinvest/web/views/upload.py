"""Upload: a case file (.yaml), a table pasted from Word, PDF or Excel, or a Word/Excel/PDF
document whose tables are imported into a case file (as `socinvest import`). The service
saves it as a new case (or a new version of `path`) and keeps the original as an attachment,
in one transaction."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ...errors import InputError
from ...i18n import Msg
from ...services import workspace as wsv
from ..deps import Ctx, handles
from ..render import page
from .common import data, done
from .edit import conflict_page
from .files import read_upload

Sign = Literal["", "spending", "savings_positive", "flipped"]


@handles("upload_form")
def upload_form(request: Request, org: str) -> Response:
    return page(request, "upload.html.j2", {"org": org}, {"accepts": list(ACCEPTS)})


ACCEPTS = (".yaml", ".yml", ".txt", ".csv", ".tsv", ".docx", ".xlsx", ".pdf")


@handles("upload")
async def upload(
    request: Request,
    org: str,
    file: Annotated[UploadFile | None, File()] = None,
    pasted: Annotated[str, Form(max_length=2_000_000)] = "",
    path: Annotated[str, Form(max_length=400)] = "",
    base_version: Annotated[int | None, Form(ge=1)] = None,
    message: Annotated[str, Form(max_length=2000)] = "",
    unit: Annotated[str, Form(max_length=20)] = "",
    price_level: Annotated[int | None, Form(ge=1900, le=2200)] = None,
    sign: Annotated[Sign, Form()] = "",
) -> Response:
    ctx = Ctx.of(request)
    if file is not None and file.filename:
        name, content = file.filename, await read_upload(request, file)
    elif pasted.strip():
        name, content = "tabel.txt", pasted.encode("utf-8")
    else:
        raise InputError(Msg("vælg en fil eller indsæt en tabel"))
    res = await run_in_threadpool(
        lambda: wsv.upload(
            ctx.ws,
            ctx.actor,
            org,
            name,
            content,
            path=path.strip() or None,
            base_version=base_version,
            message=message,
            unit=unit or None,
            price_level=price_level,
            sign=sign or None,
        )
    )
    if isinstance(res.result, wsv.Conflict):
        return conflict_page(request, ctx, res.result)
    v = res.result.version
    url = str(request.app.url_path_for("case", org=org, path=v.document.path))
    payload = {"saved": data(v.info), "document": data(v.document), "summary": data(v.summary)}
    return done(request, url, {**payload, "attachment": data(res.attachment)}, 201)
