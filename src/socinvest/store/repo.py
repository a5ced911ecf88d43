"""Small queries and writes every service needs, inside the caller's transaction: find an
organisation or document, add a version (immutable), write an audit entry (append-only).
Nothing here checks access (services do) or commits (the caller's `transaction()` does)."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

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


def version(s: Session, document_id: int, number: int) -> Version | None:
    return s.scalar(
        select(Version).where(Version.document_id == document_id, Version.number == number)
    )


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
