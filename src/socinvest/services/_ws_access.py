"""Who may do what in the workspace (docs/workspace.md, access). One place for the rules, so
the web's route × role × organisation matrix tests exactly these.

- organisations are isolated: no role in the organisation → refused as if it did not exist;
- admin: everything in its own organisation (users, audit included);
- economist: reads and edits every case, pool, follow-up and data file; no audit;
- case_owner: reads its own documents, decided cases and pools; edits its own cases (and
  creates new ones), their follow-up and its own data files; moves its own cases between
  draft, submitted and withdrawn;
- committee_reader: reads decided cases, their follow-up, and pools; edits nothing;
- auditor: reads everything, the audit log included; edits nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import Msg
from ..store.models import DECISIONS, CaseStatus, Kind, Role

EDITORS = frozenset({Role.ADMIN, Role.ECONOMIST})
READERS_ALL = frozenset({Role.ADMIN, Role.ECONOMIST, Role.AUDITOR})
AUDIT_READERS = frozenset({Role.ADMIN, Role.AUDITOR})
OWNER_STATUSES = frozenset({CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.WITHDRAWN})


@dataclass(frozen=True)
class Actor:
    """A logged-in user and its roles, per organisation slug."""

    user_id: int
    username: str
    display_name: str
    roles: tuple[tuple[str, Role], ...]

    def roles_in(self, org: str) -> frozenset[Role]:
        return frozenset(r for o, r in self.roles if o == org)

    @property
    def orgs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(o for o, _ in self.roles))


@dataclass(frozen=True)
class Subject:
    """What a rule needs to know of a document: kind, status, owner, and for a follow-up
    file the status and owner of its case."""

    kind: Kind
    status: CaseStatus
    owner_id: int | None
    case_status: CaseStatus | None = None
    case_owner_id: int | None = None


def _denied(what: Msg, hidden: bool = False) -> Exception:
    from .workspace import AccessDenied

    return AccessDenied(what, hidden)


def member(actor: Actor, org: str) -> frozenset[Role]:
    """The actor's roles in `org`; refused (404-like) when it holds none."""
    roles = actor.roles_in(org)
    if not roles:
        raise _denied(Msg("ingen adgang til organisationen {org}", org=org), hidden=True)
    return roles


def may_read(actor: Actor, roles: frozenset[Role], d: Subject) -> bool:
    if roles & READERS_ALL:
        return True
    own = d.owner_id == actor.user_id
    case_own = d.case_owner_id == actor.user_id
    decided = (d.case_status if d.kind == Kind.FOLLOWUP else d.status) in DECISIONS
    if Role.CASE_OWNER in roles:
        if d.kind in (Kind.CASE, Kind.DATA) and own:
            return True
        if d.kind == Kind.FOLLOWUP and (own or case_own):
            return True
        if d.kind == Kind.POOL:
            return True
    if Role.COMMITTEE_READER in roles or Role.CASE_OWNER in roles:
        if d.kind == Kind.POOL:
            return True
        if d.kind in (Kind.CASE, Kind.FOLLOWUP) and decided:
            return True
    return False


def may_write(actor: Actor, roles: frozenset[Role], d: Subject | None, kind: Kind) -> bool:
    """`d` None: creating a new document of `kind` (a follow-up's case checked by the caller)."""
    if roles & EDITORS:
        return True
    if Role.CASE_OWNER not in roles:
        return False
    if d is None:
        return kind in (Kind.CASE, Kind.FOLLOWUP, Kind.DATA)
    if d.kind in (Kind.CASE, Kind.DATA):
        return d.owner_id == actor.user_id
    if d.kind == Kind.FOLLOWUP:
        return d.case_owner_id == actor.user_id or (
            d.case_owner_id is None and d.owner_id == actor.user_id
        )
    return False


def require_read(actor: Actor, org: str, d: Subject, path: str) -> None:
    roles = member(actor, org)
    if not may_read(actor, roles, d):
        # a document the actor may not read is not shown to exist
        raise _denied(Msg("{path} findes ikke eller kan ikke læses", path=path), hidden=True)


def require_write(actor: Actor, org: str, d: Subject | None, kind: Kind, path: str) -> None:
    roles = member(actor, org)
    if not may_write(actor, roles, d, kind):
        hidden = d is not None and not may_read(actor, roles, d)
        raise _denied(Msg("du har ikke ret til at ændre {path}", path=path), hidden=hidden)


def require_status(actor: Actor, org: str, d: Subject, status: CaseStatus, path: str) -> None:
    roles = member(actor, org)
    if roles & EDITORS:
        return
    if (
        Role.CASE_OWNER in roles
        and d.owner_id == actor.user_id
        and status in OWNER_STATUSES
        and d.status in OWNER_STATUSES
    ):
        return
    hidden = not may_read(actor, roles, d)
    raise _denied(
        Msg(
            "du har ikke ret til at sætte status {status} på {path}", status=status.value, path=path
        ),
        hidden=hidden,
    )


def require_audit(actor: Actor, org: str) -> None:
    if not member(actor, org) & AUDIT_READERS:
        raise _denied(Msg("kun revisor og administrator kan læse revisionssporet"))


def require_admin(actor: Actor, org: str) -> None:
    if Role.ADMIN not in member(actor, org):
        raise _denied(Msg("kun en administrator kan administrere brugere"))
