"""The workspace service's results and errors (frozen dataclasses), re-exported by
`services.workspace`: import them from there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..errors import Text, word
from ..store.models import CaseStatus, Kind, Role

if TYPE_CHECKING:
    from ..store.engine import Store

# -- errors -------------------------------------------------------------------------------


class AccessDenied(Exception):
    """The actor may not do this. `hidden`: the entity belongs to another organisation (or the
    actor may not even know it exists) — the web answers 404, not 403."""

    def __init__(self, message: Text, hidden: bool = False) -> None:
        super().__init__(word(message))
        self.message: Text = message
        self.hidden = hidden

    def render(self, lang: str = "da") -> str:
        return word(self.message, lang)


class NotFound(Exception):
    """No such organisation, document, version or attachment (web: 404)."""

    def __init__(self, message: Text) -> None:
        super().__init__(word(message))
        self.message: Text = message

    def render(self, lang: str = "da") -> str:
        return word(self.message, lang)


# -- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgInfo:
    slug: str
    name: str


@dataclass(frozen=True)
class VersionInfo:
    """One immutable save: number (1, 2, …), the version it was based on, who, why, when."""

    number: int
    parent: int | None
    author: str
    message: str
    created_at: dt.datetime
    sha256: str


@dataclass(frozen=True)
class Summary:
    """A case version's figures, computed when it was saved. Amounts in the case's unit;
    payback is the year number (year 1 = first year), None = not within the horizon."""

    case_key: str
    title: str
    unit: str
    first_year: int
    last_year: int
    investment: float
    payback: int | None  # service basis
    payback_total: int | None
    npv: float | None  # total basis, the case's discount rate
    uncertain: bool
    p_payback: float | None  # P(payback within the horizon), once simulated


@dataclass(frozen=True)
class DocumentInfo:
    """A file of the workspace. `case_path`: for a follow-up file, the case it follows up."""

    org: str
    path: str
    kind: Kind
    status: CaseStatus
    owner: str | None
    department: str | None
    latest: int
    created_at: dt.datetime
    case_path: str | None = None


@dataclass(frozen=True)
class VersionView:
    """A document at one version: its text (or bytes), parsed data and, for a case, summary."""

    document: DocumentInfo
    info: VersionInfo
    text: str | None
    blob: bytes | None
    data: dict[str, Any] | None
    summary: Summary | None


@dataclass(frozen=True)
class PortfolioRow:
    path: str
    case_key: str
    title: str
    status: CaseStatus
    owner: str | None
    department: str | None
    version: int
    updated_at: dt.datetime
    unit: str
    first_year: int
    investment: float
    payback_planned: int | None  # year number
    payback_realised: int | None  # year number, when a follow-up file reports it
    p_payback: float | None
    npv: float | None
    realised_through: int | None = None  # last year with actuals (None: no follow-up yet)

    @property
    def payback_planned_year(self) -> int | None:
        return None if self.payback_planned is None else self.first_year + self.payback_planned - 1


@dataclass(frozen=True)
class PoolBalance:
    """A pool's balance at its latest version (pool unit): at the end of its horizon and the
    lowest over it (negative: the pool runs dry that year)."""

    path: str
    title: str
    unit: str
    version: int
    closing: float | None
    minimum: float | None
    minimum_year: int | None


@dataclass(frozen=True)
class Portfolio:
    org: OrgInfo
    rows: tuple[PortfolioRow, ...]
    pools: tuple[PoolBalance, ...]


@dataclass(frozen=True)
class Saved:
    version: VersionView
    kind: Literal["saved"] = "saved"


@dataclass(frozen=True)
class Conflict:
    """A save based on `base` while `latest` is newer: nothing was written. The face shows
    both versions (and the text the user tried to save) side by side (web: 409)."""

    base: VersionView | None
    latest: VersionView
    text: str
    kind: Literal["conflict"] = "conflict"


SaveResult = Saved | Conflict


@dataclass(frozen=True)
class Change:
    """One difference between two versions' data. `section`: lines, parameters, stated or
    other; `key`: a line id, a parameter name, a stated figure's label or a top-level key."""

    section: str
    key: str
    kind: Literal["added", "removed", "changed"]
    before: Any
    after: Any


@dataclass(frozen=True)
class VersionDiff:
    path: str
    a: VersionInfo
    b: VersionInfo
    changes: tuple[Change, ...]
    unified: str  # a unified diff of the two texts

    def section(self, name: str) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.section == name)


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: dt.datetime
    username: str
    org: str | None
    entity: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    name: str
    media_type: str
    sha256: str
    size: int
    path: str | None  # the document it belongs to
    uploaded_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class UploadResult:
    """An upload: the case saved (or a conflict) and the original kept as an attachment."""

    result: SaveResult
    attachment: AttachmentInfo | None


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    org: str
    role: Role


@dataclass
class Workspace:
    """An open store plus per-version caches (case bundles are computed once per version)."""

    store: Store
    bundles: dict[tuple[int, bool], Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.store.url
