"""Reading an uploaded file from a form: bounded (never more than the app's cap in memory)."""

from __future__ import annotations

from fastapi import Request, UploadFile

from ...errors import InputError
from ...i18n import Msg


async def read_upload(request: Request, file: UploadFile) -> bytes:
    cap = request.app.state.settings.upload_max_bytes
    content = await file.read(cap + 1)
    if len(content) > cap:
        name = file.filename or "upload"
        raise InputError(Msg("{name} er for stor (mere end {cap} byte)", name=name, cap=cap))
    return content
