"""An organisation's people, administered by its admin (the web's user page): the members
and their roles, adding a user with roles and an initial password, changing a member's roles,
resetting a password, and removing a member from the organisation.

Rules (docs/web.md, People and access):
- only an admin of the organisation, checked here on every call against the database (a
  role lost a moment ago counts as lost): a member without the admin role is refused (403),
  anyone else is told the organisation does not exist (404);
- the organisation always keeps at least one active admin (409 otherwise), whoever's role
  is changed or removed; changes of one organisation's members are serialised (the
  organisation's row is locked first), so two admins cannot demote each other at once;
- a new user needs a new user name (user names are global; to give an existing member
  another role, change its roles); its password follows the command line's rules
  (`auth.check_password`);
- a password is reset only for a member whose every organisation the admin administers,
  so one organisation's admin cannot take over an account of another organisation;
- removing a member deletes its roles in this organisation; a user left with no
  organisation is deactivated (cannot log in; its name stays reserved for the audit trail);
- a new password and a deactivation end the user's sessions (`auth.bump_epoch`: every
  cookie issued before is refused at its next request);
- the command line (`socinvest user list|remove`) calls `members` and `remove_member` with
  `by=None`: the database's operator, who may act in any organisation (audited as
  `auth.SYSTEM`); the last-admin rule holds there too;
- every change is one transaction with its audit entries (before and after: roles, active;
  never a password or its hash); a refused change writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ..errors import InputError, Text
from ..i18n import Msg
from ..store import repo
from ..store.models import Membership, Organisation, Role, User
from ._ws_access import Actor, require_admin
from .auth import SYSTEM, bump_epoch, check_password, hash_password
from .workspace import AccessDenied, NotFound, Workspace

USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,99}")
MAX_DISPLAY = 200
ORDER = tuple(Role)  # admin first, as the page lists them

FIELDS = {
    "username": Msg("brugernavn"),
    "display_name": Msg("vist navn"),
    "password": Msg("adgangskode"),
    "roles": Msg("roller"),
}


class UserError(InputError):
    """A refused user change, naming its form field (`field`) and the web's answer
    (`status`: 422 bad input, 404 no such member, 409 the last admin). Nothing was written."""

    def __init__(self, field: str, message: Text, status: int = 422) -> None:
        super().__init__(Msg("{field}: {message}", field=FIELDS[field], message=message))
        self.field = field
        self.status = status


@dataclass(frozen=True)
class Member:
    """A user with its roles in one organisation."""

    username: str
    display_name: str
    roles: tuple[Role, ...]
    active: bool


@dataclass(frozen=True)
class Removed:
    """A member removed from an organisation; `active` False: it has no organisation left and
    can no longer log in."""

    username: str
    roles: tuple[Role, ...]
    active: bool


# -- reading -------------------------------------------------------------------------------


def members(ws: Workspace, by: Actor | None, org: str) -> tuple[Member, ...]:
    """Everyone with a role in `org`, by user name, each with its roles (admin first).
    `by` None: the command line."""
    if by is not None:
        require_admin(by, org)
    with ws.store.reading() as s:
        o = _org(s, org)
        rows = s.execute(
            select(User.username, User.display_name, User.active, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.org_id == o.id)
            .order_by(User.username)
        )
        found: dict[str, tuple[str, bool, set[Role]]] = {}
        for username, display, active, role in rows:
            found.setdefault(username, (display or "", bool(active), set()))[2].add(Role(role))
        return tuple(
            Member(u, d, _ordered(roles), active) for u, (d, active, roles) in found.items()
        )


# -- changes -------------------------------------------------------------------------------


def add_member(
    ws: Workspace,
    by: Actor,
    org: str,
    username: str,
    password: str,
    roles: Iterable[str],
    display_name: str = "",
) -> Member:
    """A new user in `org` with `roles` and an initial password. Audited: the user's creation
    and its roles (never the password)."""
    require_admin(by, org)
    username = username.strip()
    display_name = display_name.strip()
    if not username:
        raise UserError("username", Msg("skal udfyldes"))
    if not USERNAME.fullmatch(username):
        raise UserError(
            "username",
            Msg(
                "{user} er ikke et gyldigt brugernavn: 2–100 tegn: bogstaver a–z og A–Z, tal og . _ @ -",
                user=repr(username),
            ),
        )
    if len(display_name) > MAX_DISPLAY or any(ord(c) < 32 for c in display_name):
        raise UserError("display_name", Msg("højst {n} tegn og ingen kontroltegn", n=MAX_DISPLAY))
    wanted = _roles(roles)
    _password(password)
    with ws.store.transaction() as s:
        o = _locked_org(s, by, org)
        taken = s.scalar(select(User.username).where(func.lower(User.username) == username.lower()))
        if taken is not None:
            raise UserError(
                "username",
                Msg(
                    "brugernavnet {user} er optaget; giv et eksisterende medlem flere roller "
                    "under Roller",
                    user=taken,
                ),
            )
        user = User(
            username=username, display_name=display_name, password_hash=hash_password(password)
        )
        s.add(user)
        s.flush()
        for r in wanted:
            s.add(Membership(user_id=user.id, org_id=o.id, role=r.value))
        s.flush()
        _audit(s, by, o, "user", username, "create", None, {"display_name": display_name})
        _audit(s, by, o, "membership", username, "roles", _state((), True), _state(wanted, True))
        return Member(username, display_name, wanted, True)


def set_roles(ws: Workspace, by: Actor, org: str, username: str, roles: Iterable[str]) -> Member:
    """`username`'s roles in `org` become `roles` (at least one). Refused (409) when the
    organisation would be left without an active admin."""
    require_admin(by, org)
    wanted = _roles(roles)
    with ws.store.transaction() as s:
        o = _locked_org(s, by, org)
        user, current = _member(s, o, username)
        for r in set(current) - set(wanted):
            s.execute(
                delete(Membership).where(
                    Membership.user_id == user.id,
                    Membership.org_id == o.id,
                    Membership.role == r.value,
                )
            )
        for r in set(wanted) - set(current):
            s.add(Membership(user_id=user.id, org_id=o.id, role=r.value))
        s.flush()
        _keeps_an_admin(s, o, "roles")
        if wanted != current:
            before, after = _state(current, user.active), _state(wanted, user.active)
            _audit(s, by, o, "membership", username, "roles", before, after)
        return Member(user.username, user.display_name or "", wanted, user.active)


def reset_password(ws: Workspace, by: Actor, org: str, username: str, password: str) -> int:
    """A new password for a member of `org`, set by its admin; the member's sessions end.
    Refused (403) when the member also belongs to an organisation the admin does not
    administer. Audited without the password or its hash. Returns the member's new session
    epoch (the page re-issues the admin's own cookie when it reset its own password)."""
    require_admin(by, org)
    _password(password)
    with ws.store.transaction() as s:
        o = _locked_org(s, by, org)
        user, _ = _member(s, o, username)
        elsewhere = s.scalars(
            select(Organisation.slug)
            .join(Membership, Membership.org_id == Organisation.id)
            .where(Membership.user_id == user.id, Organisation.id != o.id)
            .distinct()
        ).all()
        for other in sorted(elsewhere):
            if not _is_admin(s, by.user_id, other):
                raise AccessDenied(
                    Msg(
                        "{user} er også medlem af en anden organisation; kun dens egen "
                        "administrator (eller kommandolinjen) kan sætte adgangskoden",
                        user=username,
                    )
                )
        user.password_hash = hash_password(password)
        bump_epoch(user)
        _audit(s, by, o, "user", username, "password", None, {"password": "reset"})
        s.flush()
        return user.session_epoch


def remove_member(ws: Workspace, by: Actor | None, org: str, username: str) -> Removed:
    """`username` loses every role in `org`; with no organisation left it is deactivated and
    its sessions end. Refused (409) when it would leave the organisation without an active
    admin. `by` None: the command line."""
    if by is not None:
        require_admin(by, org)
    with ws.store.transaction() as s:
        o = _locked_org(s, by, org)
        user, current = _member(s, o, username)
        s.execute(
            delete(Membership).where(Membership.user_id == user.id, Membership.org_id == o.id)
        )
        s.flush()
        _keeps_an_admin(s, o, "username")
        left = s.scalar(
            select(func.count()).select_from(Membership).where(Membership.user_id == user.id)
        )
        was_active = user.active
        if not left:
            user.active = False
            bump_epoch(user)
        _audit(
            s,
            by,
            o,
            "membership",
            username,
            "remove",
            _state(current, was_active),
            _state((), user.active),
        )
        return Removed(username, current, user.active)


# -- helpers -------------------------------------------------------------------------------


def _ordered(roles: Iterable[Role]) -> tuple[Role, ...]:
    given = set(roles)
    return tuple(r for r in ORDER if r in given)


def _roles(roles: Iterable[str]) -> tuple[Role, ...]:
    names = [str(r).strip() for r in roles if str(r).strip()]
    known = {r.value for r in Role}
    for name in names:
        if name not in known:
            raise UserError(
                "roles",
                Msg(
                    "ukendt rolle {role}; brug en af {roles}",
                    role=repr(name[:40]),
                    roles=", ".join(r.value for r in ORDER),
                ),
            )
    if not names:
        raise UserError("roles", Msg("vælg mindst én rolle"))
    return _ordered(Role(n) for n in names)


def _password(password: str) -> None:
    try:
        check_password(password)
    except InputError as e:
        raise UserError("password", e.message) from None


def _state(roles: Iterable[Role], active: bool) -> dict[str, object]:
    return {"roles": [r.value for r in _ordered(roles)], "active": bool(active)}


def _org(s: Session, org: str) -> Organisation:
    o = repo.org_by_slug(s, org)
    if o is None:
        raise NotFound(Msg("organisationen {org} findes ikke", org=org))
    return o


def _locked_org(s: Session, by: Actor | None, org: str) -> Organisation:
    """The organisation, its row locked for the rest of the transaction, after checking in
    the database that `by` is (still) one of its active admins (`by` None: the command
    line). The lock is a no-op UPDATE: a row lock on PostgreSQL and the write lock on SQLite
    (SELECT … FOR UPDATE is ignored there), taken before anything is read, so every later
    read sees the latest roles."""
    s.execute(update(Organisation).where(Organisation.slug == org).values(name=Organisation.name))
    o = _org(s, org)
    if by is not None and not _is_admin(s, by.user_id, org):
        raise AccessDenied(Msg("kun en administrator kan administrere brugere"))
    return o


def _is_admin(s: Session, user_id: int, org: str) -> bool:
    return bool(
        s.scalar(
            select(func.count())
            .select_from(Membership)
            .join(Organisation, Organisation.id == Membership.org_id)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.user_id == user_id,
                Organisation.slug == org,
                Membership.role == Role.ADMIN.value,
                User.active.is_(True),
            )
        )
    )


def _member(s: Session, o: Organisation, username: str) -> tuple[User, tuple[Role, ...]]:
    user = repo.user_by_name(s, username)
    roles = () if user is None else _ordered(Role(m.role) for m in _memberships(s, user, o))
    if user is None or not roles:
        raise UserError(
            "username",
            Msg("{user} er ikke medlem af {org}", user=username[:100], org=o.slug),
            status=404,
        )
    return user, roles


def _memberships(s: Session, user: User, o: Organisation) -> list[Membership]:
    return list(
        s.scalars(
            select(Membership).where(Membership.user_id == user.id, Membership.org_id == o.id)
        )
    )


def _keeps_an_admin(s: Session, o: Organisation, field: str) -> None:
    admins = s.scalar(
        select(func.count())
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.org_id == o.id,
            Membership.role == Role.ADMIN.value,
            User.active.is_(True),
        )
    )
    if not admins:
        raise UserError(
            field,
            Msg(
                "{org} skal have mindst én aktiv administrator; giv først en anden bruger "
                "rollen administrator",
                org=o.slug,
            ),
            status=409,
        )


def _audit(
    s: Session,
    by: Actor | None,
    o: Organisation,
    entity: str,
    username: str,
    action: str,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
) -> None:
    who, who_id = (SYSTEM, None) if by is None else (by.username, by.user_id)
    repo.audit(s, who, who_id, o.id, entity, username, action, before, after)
