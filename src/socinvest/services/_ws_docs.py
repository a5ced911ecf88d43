"""Documents and their versions: list, read, history, diff, save (optimistic concurrency),
status. Every write is one transaction with its audit entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import InputError
from ..i18n import Msg
from ..store import repo
from ..store.models import (
    CaseStatus,
    CaseSummary,
    Department,
    Document,
    DocumentSummary,
    Kind,
    Measurement,
    Organisation,
    PoolApplication,
    Repayment,
    Version,
)
from ._ws_access import EDITORS, Actor, may_read, member, require_status, require_write
from ._ws_parse import Parsed, as_text, guess_kind, needs_root, parse
from ._ws_tree import materialised
from ._ws_views import (
    clean_path,
    doc_info,
    org_row,
    readable_doc,
    subject,
    version_info,
    version_row,
    view,
)
from .workspace import (
    AccessDenied,
    Conflict,
    DocumentInfo,
    NotFound,
    OrgInfo,
    Saved,
    SaveResult,
    VersionInfo,
    VersionView,
    Workspace,
)


def organisations(ws: Workspace, actor: Actor) -> tuple[OrgInfo, ...]:
    with ws.store.reading() as s:
        rows = s.scalars(
            select(Organisation)
            .where(Organisation.slug.in_(actor.orgs))
            .order_by(Organisation.slug)
        )
        return tuple(OrgInfo(o.slug, o.name) for o in rows)


def documents(ws: Workspace, actor: Actor, org: str, kind: Kind | None) -> tuple[DocumentInfo, ...]:
    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        roles = member(actor, org)
        q = select(Document).where(Document.org_id == o.id).order_by(Document.path)
        if kind is not None:
            q = q.where(Document.kind == kind.value)
        return tuple(
            doc_info(s, o, d) for d in s.scalars(q) if may_read(actor, roles, subject(s, d))
        )


def get(ws: Workspace, actor: Actor, org: str, path: str, version: int | None) -> VersionView:
    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        d = readable_doc(s, actor, o, path)
        return view(s, o, d, version_row(s, d, version))


def history(ws: Workspace, actor: Actor, org: str, path: str) -> tuple[VersionInfo, ...]:
    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        d = readable_doc(s, actor, o, path)
        rows = s.scalars(
            select(Version).where(Version.document_id == d.id).order_by(Version.number)
        )
        return tuple(version_info(v) for v in rows)


# -- save ---------------------------------------------------------------------------------


def _department(
    s: Session, actor: Actor | None, o: Organisation, slug: str | None, record: bool = True
) -> int | None:
    if slug is None:
        return None
    dep = s.scalar(select(Department).where(Department.org_id == o.id, Department.slug == slug))
    if dep is None:
        dep = Department(org_id=o.id, slug=slug, name=slug)
        s.add(dep)
        s.flush()
        who = actor.username if actor else "system"
        if record:
            repo.audit(
                s,
                who,
                actor.user_id if actor else None,
                o.id,
                "department",
                slug,
                "create",
                None,
                {"name": slug},
            )
    return dep.id


def _store_figures(s: Session, o: Organisation, d: Document, v: Version, p: Parsed) -> None:
    if p.case_summary is not None:
        s.add(CaseSummary(version_id=v.id, **p.case_summary))
    if p.doc_summary is not None:
        s.add(DocumentSummary(version_id=v.id, data=p.doc_summary))
    for app in p.applications:
        case = repo.document(s, o.id, app["case_path"])
        s.add(PoolApplication(version_id=v.id, case_document_id=case.id if case else None, **app))
    for m in p.measurements:
        s.add(Measurement(version_id=v.id, **m))
    for r in p.repayments:
        s.add(Repayment(version_id=v.id, **r))


def _audit_view(v: Version | None, d: Document) -> dict[str, Any] | None:
    if v is None:
        return None
    return {
        "path": d.path,
        "kind": d.kind,
        "version": v.number,
        "sha256": v.sha256,
        "message": v.message,
        "status": d.status,
    }


def save_in(
    s: Session,
    actor: Actor | None,
    org: str,
    path: str,
    content: str | bytes,
    base_version: int | None,
    message: str,
    kind: Kind | None,
    department: str | None,
    author: str | None = None,
    created_at: Any = None,
    record: bool = True,
) -> SaveResult:
    """`save` inside the caller's transaction (an upload adds its attachment to the same).
    `actor` None: a system operation (import); `author`/`created_at` then as recorded.
    `record` False only when restoring a backup, whose audit log is restored as it was."""
    path = clean_path(path)
    content = as_text(content)
    o = org_row(s, actor, org)
    d = repo.document(s, o.id, path, lock=True)
    if d is not None and kind is not None and d.kind != kind.value:
        raise InputError(Msg("{path} er ikke en {kind}-fil", path=path, kind=kind.value))
    kind = Kind(d.kind) if d is not None else (kind or guess_kind(path, content))
    if actor is not None:
        require_write(actor, org, subject(s, d) if d is not None else None, kind, path)
    if d is not None and base_version != d.latest:
        if base_version is not None and not 1 <= base_version <= d.latest:
            raise NotFound(Msg("{path} har ingen version {n}", path=path, n=base_version))
        base = view(s, o, d, version_row(s, d, base_version)) if base_version else None
        latest = view(s, o, d, version_row(s, d, None))
        text = content if isinstance(content, str) else ""
        return Conflict(base, latest, text)
    if d is None and base_version is not None:
        raise NotFound(Msg("{path} findes ikke", path=path))
    if needs_root(kind, content):
        with materialised(s, o.id, {path: content}) as root:
            parsed = parse(path, content, kind, root)
    else:
        parsed = parse(path, content, kind, None)
    if d is not None:
        latest_v = version_row(s, d, None)
        if latest_v.sha256 == repo.sha256(content):
            return Saved(view(s, o, d, latest_v))  # nothing changed: no new version
    case = repo.document(s, o.id, parsed.case_path) if parsed.case_path else None
    if (
        actor is not None
        and case is not None
        and not member(actor, org) & EDITORS
        and case.owner_id != actor.user_id
    ):
        raise AccessDenied(Msg("du har ikke ret til at ændre {path}", path=path))
    if actor is None:  # a system operation (import, demo): the version keeps its author
        who, who_id = "system", None
        writer = repo.user_by_name(s, author) if author else None
        author_name, author_id = (author or who), (writer.id if writer else None)
    else:
        who, who_id = actor.username, actor.user_id
        author_name, author_id = who, who_id
    before = None
    if d is None:
        d = Document(
            org_id=o.id,
            kind=kind.value,
            path=path,
            status=CaseStatus.DRAFT.value,
            owner_id=author_id,
            department_id=_department(s, actor, o, department, record),
            latest=0,
        )
        if created_at is not None:
            d.created_at = created_at
        s.add(d)
        s.flush()
        if record:
            repo.audit(
                s,
                who,
                who_id,
                o.id,
                "document",
                path,
                "create",
                None,
                {"kind": kind.value, "owner": author_name},
            )
    else:
        before = _audit_view(version_row(s, d, None), d)
        if department is not None:
            d.department_id = _department(s, actor, o, department, record)
    if case is not None:
        d.case_id = case.id
    v = repo.add_version(s, d, content, parsed.data, author_id, author_name, message, created_at)
    _store_figures(s, o, d, v, parsed)
    after = _audit_view(v, d)
    if after is not None and parsed.case_summary is not None:
        after["summary"] = {k: parsed.case_summary[k] for k in ("investment", "payback", "npv")}
    if record:
        repo.audit(s, who, who_id, o.id, "version", path, "save", before, after)
    s.flush()
    return Saved(view(s, o, d, v))


def save(
    ws: Workspace,
    actor: Actor,
    org: str,
    path: str,
    content: str | bytes,
    base_version: int | None,
    message: str,
    kind: Kind | None,
    department: str | None,
) -> SaveResult:
    try:
        with ws.store.transaction() as s:
            return save_in(s, actor, org, path, content, base_version, message, kind, department)
    except IntegrityError:
        # another save on the same base won the race (same version number or path)
        with ws.store.reading() as s:
            o = org_row(s, actor, org)
            d = readable_doc(s, actor, o, path)
            latest = view(s, o, d, version_row(s, d, None))
            base = None
            if base_version is not None and 1 <= base_version <= d.latest:
                base = view(s, o, d, version_row(s, d, base_version))
            return Conflict(base, latest, content if isinstance(content, str) else "")


def set_status(
    ws: Workspace, actor: Actor, org: str, path: str, status: CaseStatus, message: str
) -> DocumentInfo:
    with ws.store.transaction() as s:
        o = org_row(s, actor, org)
        d = readable_doc(s, actor, o, path)
        if d.kind != Kind.CASE.value:
            raise InputError(Msg("kun en case har en status: {path}", path=path))
        require_status(actor, org, subject(s, d), status, path)
        before = d.status
        d.status = CaseStatus(status).value
        repo.audit(
            s,
            actor.username,
            actor.user_id,
            o.id,
            "document",
            d.path,
            "status",
            {"status": before},
            {"status": d.status, "message": message},
        )
        s.flush()
        return doc_info(s, o, d)
