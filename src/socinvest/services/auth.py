"""People: argon2 password hashes (never a plain password stored or logged), users and their
roles per organisation, and logging in.

A new database has no users: the first admin is added from the command line (`socinvest user
add --org ORG --role admin`), which also creates the organisation. In the web, an admin of an
organisation adds users to it (`by=`)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from ..errors import InputError
from ..i18n import Msg
from ..store import repo
from ..store.models import Membership, Organisation, Role, User
from ._ws_access import Actor, require_admin
from .workspace import Workspace

_HASHER = PasswordHasher()
MIN_PASSWORD = 10
SYSTEM = "system"  # the name audit entries carry for command-line (database-level) operations
_DUMMY: dict[str, str] = {}  # a hash to verify against when the user is unknown (same work)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(Msg("adgangskoden skal have mindst {n} tegn", n=MIN_PASSWORD))


def _actor(user: User, orgs: dict[int, str]) -> Actor:
    roles = tuple(
        sorted((orgs[m.org_id], Role(m.role)) for m in user.memberships if m.org_id in orgs)
    )
    return Actor(user.id, user.username, user.display_name or user.username, roles)


def _orgs(s) -> dict[int, str]:
    return {o.id: o.slug for o in s.scalars(select(Organisation))}


def actor(ws: Workspace, user_id: int) -> Actor | None:
    """The actor of a session's user id (None: gone or deactivated)."""
    with ws.store.reading() as s:
        user = s.get(User, user_id)
        if user is None or not user.active:
            return None
        return _actor(user, _orgs(s))


def authenticate(ws: Workspace, username: str, password: str) -> Actor | None:
    """The actor when `password` is right; None otherwise (the same work either way)."""
    with ws.store.transaction() as s:
        user = repo.user_by_name(s, username)
        if user is None or not user.active:
            dummy = _DUMMY.setdefault("hash", hash_password("socinvest-no-such-user"))
            verify_password(dummy, password)
            return None
        if not verify_password(user.password_hash, password):
            return None
        if _HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return _actor(user, _orgs(s))


def add_user(
    ws: Workspace,
    username: str,
    password: str,
    org: str,
    role: Role,
    display_name: str = "",
    by: Actor | None = None,
    org_name: str | None = None,
) -> Actor:
    """Add a user (or a role to an existing one) in `org`. `by` None: the command line, which
    may create the organisation; otherwise `by` must be an admin of `org`. Audited."""
    check_password(password)
    if by is not None:
        require_admin(by, org)
    who, who_id = (SYSTEM, None) if by is None else (by.username, by.user_id)
    with ws.store.transaction() as s:
        o = repo.org_by_slug(s, org)
        if o is None:
            if by is not None:
                raise InputError(Msg("organisationen {org} findes ikke", org=org))
            o = Organisation(slug=org, name=org_name or org)
            s.add(o)
            s.flush()
            repo.audit(s, who, who_id, o.id, "organisation", org, "create", None, {"name": o.name})
        user = repo.user_by_name(s, username)
        if user is None:
            user = User(
                username=username, display_name=display_name, password_hash=hash_password(password)
            )
            s.add(user)
            s.flush()
            repo.audit(
                s,
                who,
                who_id,
                o.id,
                "user",
                username,
                "create",
                None,
                {"display_name": display_name},
            )
        elif any(m.org_id == o.id and m.role == role.value for m in user.memberships):
            raise InputError(
                Msg(
                    "{user} har allerede rollen {role} i {org}",
                    user=username,
                    role=role.value,
                    org=org,
                )
            )
        s.add(Membership(user_id=user.id, org_id=o.id, role=role.value))
        s.flush()
        s.refresh(user)
        repo.audit(
            s,
            who,
            who_id,
            o.id,
            "membership",
            username,
            "grant",
            None,
            {"org": org, "role": role.value},
        )
        return _actor(user, _orgs(s))


def set_password(ws: Workspace, username: str, password: str, by: Actor | None = None) -> None:
    """A new password for `username` (by itself, an admin of one of its organisations, or the
    command line). Audited without the password or its hash."""
    check_password(password)
    with ws.store.transaction() as s:
        user = repo.user_by_name(s, username)
        if user is None:
            raise InputError(Msg("brugeren {user} findes ikke", user=username))
        orgs = _orgs(s)
        org_ids = sorted({m.org_id for m in user.memberships})
        if (
            by is not None
            and by.user_id != user.id
            and not any(Role.ADMIN in by.roles_in(orgs[i]) for i in org_ids)
        ):
            require_admin(by, orgs[org_ids[0]] if org_ids else "")
        user.password_hash = hash_password(password)
        who, who_id = (SYSTEM, None) if by is None else (by.username, by.user_id)
        repo.audit(
            s,
            who,
            who_id,
            org_ids[0] if org_ids else None,
            "user",
            username,
            "password",
            None,
            None,
        )


def members(ws: Workspace, by: Actor, org: str) -> tuple[tuple[str, str, Role], ...]:
    """(username, display name, role) of everyone with a role in `org` (admins only)."""
    require_admin(by, org)
    with ws.store.reading() as s:
        o = repo.org_by_slug(s, org)
        if o is None:
            return ()
        rows = s.execute(
            select(User.username, User.display_name, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.org_id == o.id)
            .order_by(User.username, Membership.role)
        )
        return tuple((u, n or u, Role(r)) for u, n, r in rows)
