"""Small queries and writes every service needs, inside the caller's transaction: find an
organisation or document, add a version (immutable), write an audit entry (append-only).
Nothing here checks access (services do) or commits (the caller's `transaction()` does)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, defer

from .models import AuditEntry, Document, Organisation, User, Version, utcnow


def org_by_slug(s: Session, slug: str) -> Organisation | None:
    return s.scalar(select(Organisation).where(Organisation.slug == slug))


def user_by_name(s: Session, username: str) -> User | None:
    return s.scalar(select(User).where(User.username == username))


def document(s: Session, org_id: int, path: str, lock: bool = False) -> Document | None:
    """The document at `path`; with `lock`, its row is locked for the rest of the transaction
    (PostgreSQL: SELECT … FOR UPDATE), so two saves on one base cannot both win."""
    q = select(Document).where(Document.org_id == org_id, Document.path == path)
    if lock:
        q = q.with_for_update()
    return s.scalar(q)


def version(s: Session, document_id: int, number: int, light: bool = False) -> Version | None:
    """Version `number` of a document; `light`: without its content (read it with `content`,
    which keeps recent versions' content: a version never changes)."""
    q = select(Version).where(Version.document_id == document_id, Version.number == number)
    if light:
        q = q.options(defer(Version.text), defer(Version.blob), defer(Version.data))
    return s.scalar(q)


Content = tuple[str | None, bytes | None, dict[str, Any] | None]
"""A version's text (UTF-8 files), blob (anything else) and parsed data."""
_CONTENT: OrderedDict[tuple[int, str], Content] = OrderedDict()
_CONTENT_LOCK = threading.Lock()
KEEP_CONTENT = 512  # versions
KEEP_BYTES = 1 << 20  # larger contents are read each time, not kept


def content(s: Session, v: Version) -> Content:
    """`v`'s content, from the versions read recently when it is there. Keyed by id and hash,
    so a restored database with other rows under the same ids is never answered from here.
    The data is shared between callers: read it, never change it."""
    key = (v.id, v.sha256)
    with _CONTENT_LOCK:
        hit = _CONTENT.get(key)
        if hit is not None:
            _CONTENT.move_to_end(key)
            return hit
    loaded = inspect(v).unloaded
    if not loaded & {"text", "blob", "data"}:
        value: Content = (v.text, v.blob, v.data)
    else:
        row = s.execute(
            select(Version.text, Version.blob, Version.data).where(Version.id == v.id)
        ).one()
        value = (row.text, row.blob, row.data)
    if len(value[0] or "") + len(value[1] or b"") <= KEEP_BYTES:
        with _CONTENT_LOCK:
            _CONTENT[key] = value
            while len(_CONTENT) > KEEP_CONTENT:
                _CONTENT.popitem(last=False)
    return value


def sha256(content: str | bytes) -> str:
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(raw).hexdigest()


def add_version(
    s: Session,
    doc: Document,
    content: str | bytes,
    data: dict[str, Any] | None,
    author_id: int | None,
    author: str,
    message: str,
    created_at: Any = None,
) -> Version:
    """Append version latest+1 of `doc` (its parent: the latest) and move `doc.latest`."""
    number = doc.latest + 1
    v = Version(
        document_id=doc.id,
        number=number,
        parent_number=doc.latest or None,
        text=content if isinstance(content, str) else None,
        blob=content if isinstance(content, bytes) else None,
        sha256=sha256(content),
        data=data,
        author_id=author_id,
        author=author,
        message=message,
        created_at=created_at or utcnow(),
    )
    s.add(v)
    doc.latest = number
    s.flush()
    return v


def audit(
    s: Session,
    username: str,
    user_id: int | None,
    org_id: int | None,
    entity: str,
    entity_id: str,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """One audit entry, in the caller's transaction (it commits or rolls back with the change)."""
    s.add(
        AuditEntry(
            at=utcnow(),
            user_id=user_id,
            username=username,
            org_id=org_id,
            entity=entity,
            entity_id=entity_id,
            action=action,
            before=before,
            after=after,
        )
    )
