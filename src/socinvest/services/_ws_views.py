"""Rows → the workspace's frozen results (shared by the workspace service modules), and the
document lookups with their access checks."""

from __future__ import annotations

import datetime as dt
import posixpath

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import InputError
from ..i18n import Msg
from ..store import repo
from ..store.models import (
    CaseStatus,
    CaseSummary,
    Department,
    Document,
    Kind,
    Organisation,
    User,
    Version,
)
from ._ws_access import Actor, Subject, member, require_read
from .workspace import DocumentInfo, NotFound, Summary, VersionInfo, VersionView

MAX_PATH = 400


def aware(t: dt.datetime) -> dt.datetime:
    """A stored time as UTC-aware (SQLite returns naive datetimes; PostgreSQL aware ones)."""
    return t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t.astimezone(dt.UTC)


def clean_path(path: str) -> str:
    """A workspace path: relative, '/'-separated, no '..' out of the tree, no empty parts."""
    p = path.replace("\\", "/").strip()
    norm = posixpath.normpath(p) if p else ""
    if (
        not norm
        or norm in (".", "..")
        or norm.startswith(("/", "../"))
        or len(norm) > MAX_PATH
        or any(ord(c) < 32 for c in norm)
        or ":" in norm.split("/")[0]
    ):
        raise InputError(Msg("ugyldig sti i arbejdsområdet: {path}", path=repr(path)))
    return norm


def org_row(s: Session, actor: Actor | None, slug: str) -> Organisation:
    """The organisation, after checking that the actor holds a role in it."""
    if actor is not None:
        member(actor, slug)
    o = repo.org_by_slug(s, slug)
    if o is None:
        raise NotFound(Msg("organisationen {org} findes ikke", org=slug))
    return o


def subject(s: Session, d: Document) -> Subject:
    case = s.get(Document, d.case_id) if d.case_id is not None else None
    return Subject(
        Kind(d.kind),
        CaseStatus(d.status),
        d.owner_id,
        CaseStatus(case.status) if case is not None else None,
        case.owner_id if case is not None else None,
    )


def readable_doc(s: Session, actor: Actor | None, org: Organisation, path: str) -> Document:
    """The document at `path`, refused like a missing one when the actor may not read it."""
    d = repo.document(s, org.id, clean_path(path))
    if d is None:
        if actor is not None:
            member(actor, org.slug)
        raise NotFound(Msg("{path} findes ikke", path=path))
    if actor is not None:
        require_read(actor, org.slug, subject(s, d), path)
    return d


def doc_info(s: Session, org: Organisation, d: Document) -> DocumentInfo:
    owner = s.get(User, d.owner_id) if d.owner_id is not None else None
    dep = s.get(Department, d.department_id) if d.department_id is not None else None
    case = s.get(Document, d.case_id) if d.case_id is not None else None
    return DocumentInfo(
        org.slug,
        d.path,
        Kind(d.kind),
        CaseStatus(d.status),
        owner.username if owner else None,
        dep.slug if dep else None,
        d.latest,
        aware(d.created_at),
        case.path if case else None,
    )


def version_info(v: Version) -> VersionInfo:
    return VersionInfo(
        v.number, v.parent_number, v.author, v.message, aware(v.created_at), v.sha256
    )


def summary_of(cs: CaseSummary | None) -> Summary | None:
    if cs is None:
        return None
    return Summary(
        cs.case_key,
        cs.title,
        cs.unit,
        cs.first_year,
        cs.last_year,
        cs.investment,
        cs.payback,
        cs.payback_total,
        cs.npv,
        cs.uncertain,
        cs.p_payback,
    )


def version_row(s: Session, d: Document, number: int | None) -> Version:
    n = d.latest if number is None else number
    v = repo.version(s, d.id, n, light=True)  # the content: repo.content
    if v is None:
        raise NotFound(Msg("{path} har ingen version {n}", path=d.path, n=n))
    return v


def view(s: Session, org: Organisation, d: Document, v: Version) -> VersionView:
    cs = s.get(CaseSummary, v.id) if d.kind == Kind.CASE.value else None
    text, blob, data = repo.content(s, v)
    return VersionView(doc_info(s, org, d), version_info(v), text, blob, data, summary_of(cs))


def departments(s: Session, org_id: int) -> dict[int, str]:
    return {
        dep.id: dep.slug for dep in s.scalars(select(Department).where(Department.org_id == org_id))
    }
