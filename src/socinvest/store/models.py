"""The workspace's tables (SQLAlchemy 2, declarative, typed).

One organisation (a municipality) owns a tree of *documents*: case files, pool files,
follow-up files and the data files they name (mappings, posting exports, price indices,
session CSVs), each at a workspace-relative `path` as in the project's folders (so pool and
follow-up files keep their relative references, and `workspace export` writes a tree the CLI
reads). A document never changes in place: every save adds an immutable `Version` row (text or
bytes, parsed JSON, author, message, parent); a trigger refuses UPDATE/DELETE of versions and of
the append-only `AuditEntry` rows (store/migrations). Computed figures live beside a version
(`CaseSummary`, `DocumentSummary`): a cache filled at save time, so the portfolio is one query.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Role(StrEnum):
    """A user's role in one organisation (docs/workspace.md, access rules)."""

    ADMIN = "admin"
    ECONOMIST = "economist"
    CASE_OWNER = "case_owner"
    COMMITTEE_READER = "committee_reader"
    AUDITOR = "auditor"


class Kind(StrEnum):
    """What a document is: a case file, a pool file, a follow-up file or a data file."""

    CASE = "case"
    POOL = "pool"
    FOLLOWUP = "followup"
    DATA = "data"


class CaseStatus(StrEnum):
    """Where a case is in its life: written, sent for decision, decided (approved), rejected,
    withdrawn. `decided` and `rejected` are decisions (a committee reader sees them)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    DECIDED = "decided"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


DECISIONS = frozenset({CaseStatus.DECIDED, CaseStatus.REJECTED})


def utcnow() -> dt.datetime:
    """Now in UTC, to the microsecond (stored timezone-aware, compared as such)."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: DateTime(timezone=True), dict[str, Any]: JSON}


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Department(Base):
    """Forvaltning."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("org_id", "slug"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))


class Committee(Base):
    """Udvalg."""

    __tablename__ = "committees"
    __table_args__ = (UniqueConstraint("org_id", "slug"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))


class User(Base):
    """A person who logs in. `password_hash` is an argon2 hash (services/auth.py), never plain.
    `session_epoch` is written into every session cookie issued to the user; raising it (a new
    password, deactivation, `socinvest user logout`) ends every session issued before."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    memberships: Mapped[list[Membership]] = relationship(back_populates="user")


class Membership(Base):
    """One role of one user in one organisation (a user may hold several)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "org_id", "role"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    user: Mapped[User] = relationship(back_populates="memberships")


class Document(Base):
    """A file of the workspace at `path` (unique in its organisation); its content is in its
    versions. Cases carry a status, an owner (the case owner) and a department."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("org_id", "path"),
        Index("ix_documents_org_kind", "org_id", "kind"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    kind: Mapped[str] = mapped_column(String(16))
    path: Mapped[str] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(16), default=CaseStatus.DRAFT.value)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    latest: Mapped[int] = mapped_column(Integer, default=0)  # number of the latest version
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Version(Base):
    """One immutable save of a document: `text` (UTF-8 files) or `blob` (anything else),
    its parsed JSON (`data`, cases/pools/follow-up), who saved it, why, and on what."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    number: Mapped[int] = mapped_column(Integer)
    parent_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    blob: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    author: Mapped[str] = mapped_column(String(100))  # username at the time (kept if renamed)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseSummary(Base):
    """Figures of one case version, computed once when it was saved (a cache: the portfolio is
    one indexed query). `p_payback` is filled later, when a simulation has run."""

    __tablename__ = "case_summaries"
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), primary_key=True)
    case_key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(16))
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    investment: Mapped[float] = mapped_column(Float)  # sum over the horizon, case unit
    payback: Mapped[int | None] = mapped_column(Integer, nullable=True)  # year number, service
    payback_total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    npv: Mapped[float | None] = mapped_column(Float, nullable=True)  # total basis, case unit
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    p_payback: Mapped[float | None] = mapped_column(Float, nullable=True)
    p_draws: Mapped[int | None] = mapped_column(Integer, nullable=True)


class DocumentSummary(Base):
    """Figures of a pool or follow-up version (pool balance; realised payback), as JSON."""

    __tablename__ = "document_summaries"
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class PoolApplication(Base):
    """An application in one pool version: which case, its decision and repayment terms."""

    __tablename__ = "pool_applications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    case_path: Mapped[str] = mapped_column(String(400))
    case_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    decided_on: Mapped[dt.date | None] = mapped_column(nullable=True)
    repayment: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class Measurement(Base):
    """A success criterion's measurement in one follow-up version (pseudonymous data only)."""

    __tablename__ = "measurements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), index=True)
    criterion: Mapped[str] = mapped_column(String(200))
    measured_on: Mapped[dt.date] = mapped_column()
    value: Mapped[float] = mapped_column(Float)


class Repayment(Base):
    """A repayment made to the pool, as a follow-up version reports it (year, case unit)."""

    __tablename__ = "repayments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[float] = mapped_column(Float)


class Attachment(Base):
    """An original document (Word, Excel, PDF, …) kept as it was uploaded."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Append-only: who did what to which entity, with the state before and after. Written in
    the transaction of the change; UPDATE and DELETE are refused by a database trigger."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_org_at", "org_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    username: Mapped[str] = mapped_column(String(100))
    org_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(400))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class Job(Base):
    """A background job of the web (a report file, a pool's Monte Carlo, a P(payback)), shared
    by every process of the server: the process that accepted it runs it and writes its
    progress and end here; any process answers its page. The result is data, never pickled:
    a file's place in the job directory (`file`, relative to it) with its download name and
    media type, or the JSON (`result`) and HTML fragment (`result_html`) the job page shows,
    both in the job's language. `runner` ("host:pid") and `beat` (epoch seconds, renewed
    while it runs) tell a job whose process died from a slow one."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    done: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int] = mapped_column(BigInteger, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    runner: Mapped[str] = mapped_column(String(300))
    beat: Mapped[float] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(nullable=True, index=True)
    file: Mapped[str | None] = mapped_column(String(400), nullable=True)
    filename: Mapped[str | None] = mapped_column(String(255), nullable=True)
    media_type: Mapped[str | None] = mapped_column(String(120), nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    result_html: Mapped[str | None] = mapped_column(Text, nullable=True)


class LoginFailure(Base):
    """One failed login: the user name (lower case), the client's address and when (epoch
    seconds). The web's login rate limit counts them, whichever process answered; rows older
    than the limit's window are deleted as new ones come."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key", "username", "address", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[float] = mapped_column(Float, index=True)
