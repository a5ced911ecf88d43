"""The portfolio: every readable case at its latest version with the figures stored at save
time (one query over indexed columns, no engine run), realised payback from the latest
follow-up files, and each pool's balance."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..store.models import (
    CaseStatus,
    CaseSummary,
    Department,
    Document,
    DocumentSummary,
    Kind,
    User,
    Version,
)
from ._ws_access import Actor, Subject, may_read, member
from ._ws_views import aware, org_row
from .workspace import OrgInfo, PoolBalance, Portfolio, PortfolioRow, Workspace


def _latest(kind: Kind, org_id: int):
    return (
        select(Document, Version, DocumentSummary)
        .join(Version, (Version.document_id == Document.id) & (Version.number == Document.latest))
        .outerjoin(DocumentSummary, DocumentSummary.version_id == Version.id)
        .where(Document.org_id == org_id, Document.kind == kind.value)
    )


def portfolio(ws: Workspace, actor: Actor, org: str) -> Portfolio:
    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        roles = member(actor, org)
        owner = aliased(User)
        q = (
            select(
                Document.path,
                Document.status,
                Document.owner_id,
                owner.username,
                Department.slug,
                Document.latest,
                Document.id,
                Version.created_at,
                CaseSummary,
            )
            .join(
                Version, (Version.document_id == Document.id) & (Version.number == Document.latest)
            )
            .join(CaseSummary, CaseSummary.version_id == Version.id)
            .outerjoin(owner, owner.id == Document.owner_id)
            .outerjoin(Department, Department.id == Document.department_id)
            .where(Document.org_id == o.id, Document.kind == Kind.CASE.value)
            .order_by(Document.path)
        )
        realised: dict[int, tuple[int | None, int | None]] = {}
        for d, _v, ds in s.execute(_latest(Kind.FOLLOWUP, o.id)):
            if d.case_id is not None and ds is not None:
                pb = (ds.data.get("payback") or {}).get("service")
                realised[d.case_id] = (pb, ds.data.get("through"))
        rows = []
        for path, status, owner_id, username, dep, latest, doc_id, at, cs in s.execute(q):
            st = CaseStatus(status)
            if not may_read(actor, roles, Subject(Kind.CASE, st, owner_id)):
                continue
            rows.append(
                PortfolioRow(
                    path,
                    cs.case_key,
                    cs.title,
                    st,
                    username,
                    dep,
                    latest,
                    aware(at),
                    cs.unit,
                    cs.first_year,
                    cs.investment,
                    cs.payback,
                    realised.get(doc_id, (None, None))[0],
                    cs.p_payback,
                    cs.npv,
                    realised.get(doc_id, (None, None))[1],
                )
            )
        pools = []
        for d, v, ds in s.execute(_latest(Kind.POOL, o.id).order_by(Document.path)):
            data = ds.data if ds is not None else {}
            pools.append(
                PoolBalance(
                    d.path,
                    str(data.get("title", d.path)),
                    str(data.get("unit", "")),
                    v.number,
                    (data.get("closing") or [None])[-1],
                    data.get("minimum"),
                    data.get("minimum_year"),
                )
            )
        return Portfolio(OrgInfo(o.slug, o.name), tuple(rows), tuple(pools))
