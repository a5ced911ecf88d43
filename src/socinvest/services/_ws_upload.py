"""Uploads and attachments. An uploaded table (pasted text, CSV, Word, Excel, PDF) becomes a
case file through the importer (`io.importer`, as `socinvest import`), saved as a version, and
the original is kept as an attachment — all in one transaction: if any step fails, nothing is
left behind (no document, version, attachment or audit entry)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from ..errors import InputError
from ..i18n import Msg
from ..store import repo
from ..store.models import Attachment, Document, Kind, Organisation
from ._ws_access import Actor, member, require_write
from ._ws_docs import save_in
from ._ws_parse import YAML
from ._ws_views import aware, clean_path, org_row, readable_doc, subject
from .workspace import AccessDenied, AttachmentInfo, Conflict, NotFound, UploadResult, Workspace

MAX_ATTACHMENT = 25 * 1024 * 1024
TABLES = (".txt", ".csv", ".tsv", ".docx", ".xlsx", ".pdf")
MEDIA = {
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
}


def safe_name(name: str) -> str:
    """The file name without folders or control characters (kept for display/download)."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(c for c in base if c.isprintable()).strip() or "upload"
    return base[:200]


def attachment_info(a: Attachment, path: str | None) -> AttachmentInfo:
    return AttachmentInfo(
        a.id, a.name, a.media_type, a.sha256, a.size, path, a.uploaded_by, aware(a.created_at)
    )


def _add_attachment(
    s: Session,
    actor: Actor,
    o: Organisation,
    d: Document | None,
    name: str,
    media: str,
    content: bytes,
) -> Attachment:
    if len(content) > MAX_ATTACHMENT:
        raise InputError(
            Msg(
                "{name} er for stor ({size} byte; højst {cap})",
                name=name,
                size=len(content),
                cap=MAX_ATTACHMENT,
            )
        )
    a = Attachment(
        org_id=o.id,
        document_id=d.id if d is not None else None,
        name=safe_name(name),
        media_type=media[:120] or "application/octet-stream",
        sha256=repo.sha256(content),
        size=len(content),
        content=content,
        uploaded_by=actor.username,
    )
    s.add(a)
    s.flush()
    repo.audit(
        s,
        actor.username,
        actor.user_id,
        o.id,
        "attachment",
        str(a.id),
        "create",
        None,
        {
            "name": a.name,
            "sha256": a.sha256,
            "size": a.size,
            "path": d.path if d is not None else None,
        },
    )
    return a


def _imported(
    filename: str, content: bytes, unit: str | None, price_level: int | None, sign: str | None
) -> str:
    from ..io.importer import import_tables

    with tempfile.TemporaryDirectory(prefix="socinvest-upload-") as tmp:
        p = Path(tmp) / safe_name(filename)
        p.write_bytes(content)
        return import_tables([p], unit=unit, price_level=price_level, sign=sign)


def upload(
    ws: Workspace,
    actor: Actor,
    org: str,
    filename: str,
    content: bytes,
    path: str | None,
    base_version: int | None,
    message: str,
    unit: str | None,
    price_level: int | None,
    sign: str | None,
) -> UploadResult:
    name = safe_name(filename)
    suffix = Path(name).suffix.lower()
    member(actor, org)
    if suffix in YAML:
        target = clean_path(path or name)
        with ws.store.transaction() as s:
            result = save_in(s, actor, org, target, content, base_version, message, None, None)
        return UploadResult(result, None)
    if suffix not in TABLES:
        raise InputError(
            Msg(
                "{name}: kan ikke læses; upload en case-fil (.yaml) eller en tabel ({kinds})",
                name=name,
                kinds=", ".join(TABLES),
            )
        )
    text = _imported(name, content, unit, price_level, sign)
    target = clean_path(path or (Path(name).stem + ".yaml"))
    with ws.store.transaction() as s:
        result = save_in(s, actor, org, target, text, base_version, message, Kind.CASE, None)
        if isinstance(result, Conflict):
            return UploadResult(result, None)
        o = org_row(s, actor, org)
        d = repo.document(s, o.id, target)
        a = _add_attachment(s, actor, o, d, name, MEDIA[suffix], content)
        return UploadResult(result, attachment_info(a, target))


def attach(
    ws: Workspace,
    actor: Actor,
    org: str,
    path: str | None,
    name: str,
    media_type: str,
    content: bytes,
) -> AttachmentInfo:
    with ws.store.transaction() as s:
        o = org_row(s, actor, org)
        d = readable_doc(s, actor, o, path) if path is not None else None
        require_write(
            actor, org, subject(s, d) if d else None, Kind(d.kind) if d else Kind.DATA, path or name
        )
        a = _add_attachment(s, actor, o, d, name, media_type, content)
        return attachment_info(a, d.path if d else None)


def _readable(s: Session, actor: Actor, o: Organisation, a: Attachment) -> str | None:
    if a.document_id is None:
        member(actor, o.slug)
        return None
    d = s.get(Document, a.document_id)
    assert d is not None
    readable_doc(s, actor, o, d.path)
    return d.path


def _listed(o: Organisation) -> Any:
    """The organisation's attachments, without their contents (up to MAX_ATTACHMENT each)."""
    q = select(Attachment).options(defer(Attachment.content)).where(Attachment.org_id == o.id)
    return q.order_by(Attachment.id)


def document_attachments(s: Session, o: Organisation, d: Document) -> tuple[AttachmentInfo, ...]:
    """The attachments kept with document `d` (its reader may read them all)."""
    q = _listed(o).where(Attachment.document_id == d.id)
    return tuple(attachment_info(a, d.path) for a in s.scalars(q))


def attachments(
    ws: Workspace, actor: Actor, org: str, path: str | None
) -> tuple[AttachmentInfo, ...]:
    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        if path is not None:
            return document_attachments(s, o, readable_doc(s, actor, o, path))
        q = _listed(o)
        out = []
        readable: dict[int | None, tuple[bool, str | None]] = {}  # per document, checked once
        for a in s.scalars(q):
            if a.document_id not in readable:
                try:
                    readable[a.document_id] = (True, _readable(s, actor, o, a))
                except (AccessDenied, NotFound):  # not readable by this actor: not listed
                    readable[a.document_id] = (False, None)
            ok, doc_path = readable[a.document_id]
            if ok:
                out.append(attachment_info(a, doc_path))
        return tuple(out)


def attachment(ws: Workspace, actor: Actor, org: str, ident: int) -> tuple[AttachmentInfo, bytes]:
    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        a = s.get(Attachment, ident)
        if a is None or a.org_id != o.id:
            raise NotFound(Msg("bilag {id} findes ikke", id=ident))
        return attachment_info(a, _readable(s, actor, o, a)), a.content
