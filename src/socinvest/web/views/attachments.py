"""The uploaded originals (attachments): the list of those the user may read, and the download
of one, exactly as it was uploaded.

Access is the service's: an attachment is read as the document it belongs to (another
organisation's is 404, so is one of a case the user may not see); the list leaves out what
the user may not read. A download is always offered as a file to save (`attachment`), never
shown in the page (an uploaded HTML or SVG file must not run in the app's origin), with the
stored media type (`nosniff`: the browser does not guess another), a sandboxing
Content-Security-Policy, and a file name that is safe in the header (RFC 6266: an ASCII
`filename` and the exact UTF-8 name as `filename*`)."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Path as PathParam
from fastapi import Query, Request
from fastapi.responses import Response

from ...i18n import translator
from ...numbers import format_number
from ...services import workspace as wsv
from ..deps import Ctx, handles
from ..render import page
from .common import data

MAX_IDENT = 2**31 - 1  # the store's integer ids; a larger number names nothing
FALLBACK_NAME = "bilag"
_TYPE = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$"
)
_CHARSET = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
_ASCII_SAFE = re.compile(r"[^A-Za-z0-9 ._()+,-]")
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
PAGES = {wsv.Kind.CASE: "case", wsv.Kind.FOLLOWUP: "followup", wsv.Kind.POOL: "pool"}


def media_type(stored: str, content: bytes) -> str:
    """The stored media type if it is a well-formed `type/subtype` (with at most a charset),
    else `application/octet-stream`; text declared without a charset gets `utf-8` when the
    bytes are UTF-8. Nothing else of the stored text reaches the header."""
    base, _, params = stored.partition(";")
    base = base.strip().lower()
    if not _TYPE.match(base):
        return "application/octet-stream"
    charset = ""
    for p in params.split(";"):
        key, _, value = p.partition("=")
        value = value.strip().strip('"')
        if key.strip().lower() == "charset" and _CHARSET.match(value):
            charset = value.lower()
    if not charset and base.startswith("text/"):
        try:
            content.decode("utf-8")
            charset = "utf-8"
        except UnicodeDecodeError:
            pass
    return f"{base}; charset={charset}" if charset else base


def content_disposition(name: str) -> str:
    """`attachment` with the file's name, safe in a header whatever the name holds: an ASCII
    `filename` (Danish letters spelled out, anything else not plainly safe as `_`) and, when
    that is not the name itself, the exact name as `filename*=UTF-8''…` (RFC 6266 / 5987,
    percent-encoded: no quote, semicolon or line break can end the header's value)."""
    clean = "".join(c for c in name if c.isprintable()).replace("/", "_").replace("\\", "_")
    clean = clean.strip() or FALLBACK_NAME
    ascii_name = unicodedata.normalize("NFKD", clean.translate(_DANISH))
    ascii_name = ascii_name.encode("ascii", "ignore").decode("ascii")
    ascii_name = _ASCII_SAFE.sub("_", ascii_name).strip(" .") or FALLBACK_NAME
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != clean:
        header += f"; filename*=UTF-8''{quote(clean, safe='')}"
    return header


def _size(n: int, lang: str) -> str:
    if n < 1024:
        return f"{format_number(n, 0, lang)} B"
    if n < 1024 * 1024:
        return f"{format_number(n / 1024, 0, lang)} kB"
    return f"{format_number(n / (1024 * 1024), 1, lang)} MB"


def attachment_json(request: Request, org: str, a: wsv.AttachmentInfo) -> dict[str, Any]:
    """One attachment as the JSON twins give it: its data and its download URL."""
    url = str(request.app.url_path_for("attachment_file", org=org, ident=str(a.id)))
    return {**data(a), "url": url}


@handles("attachments")
def attachments(
    request: Request,
    org: str,
    path: Annotated[str | None, Query(max_length=400)] = None,
) -> Response:
    """Every attachment the user may read (`?path=` those of one document), oldest first."""
    ctx = Ctx.of(request)
    found = wsv.attachments(ctx.ws, ctx.actor, org, path or None)
    kinds = {d.path: d.kind for d in wsv.documents(ctx.ws, ctx.actor, org)}
    rows = []
    for a in found:
        route = PAGES.get(kinds[a.path]) if a.path in kinds else None
        rows.append(
            {
                "a": a,
                "url": str(request.app.url_path_for("attachment_file", org=org, ident=str(a.id))),
                "doc_url": (
                    str(request.app.url_path_for(route, org=org, path=a.path)) if route else None
                ),
                "size": _size(a.size, ctx.lang),
            }
        )
    tr = translator(ctx.lang)
    context = {"org": org, "rows": rows, "path": path or "", "title": tr("Bilag")}
    payload = lambda: {  # noqa: E731 - built only for the JSON twin
        "path": path or None,
        "attachments": [attachment_json(request, org, a) for a in found],
    }
    return page(request, "attachments.html.j2", context, payload)


@handles("attachment_file")
def attachment_file(
    request: Request, org: str, ident: Annotated[int, PathParam(ge=1, le=MAX_IDENT)]
) -> Response:
    """The original bytes, to save as a file (never shown inline)."""
    ctx = Ctx.of(request)
    info, content = wsv.attachment(ctx.ws, ctx.actor, org, ident)
    headers = {
        # set here, not by the response: it would add a charset the bytes may not have
        "Content-Type": media_type(info.media_type, content),
        "Content-Disposition": content_disposition(info.name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
    }
    return Response(content, headers=headers)
