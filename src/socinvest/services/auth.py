"""People: argon2 password hashes (never a plain password stored or logged), users and their
roles per organisation, and logging in.

A new database has no users: the first admin is added from the command line (`socinvest user
add --org ORG --role admin`), which also creates the organisation. In the web, an admin of an
organisation adds users to it (`by=`).

Sessions: a login (`log_in`) returns the user's session epoch, which the session cookie
carries; `session_actor` refuses a cookie whose epoch is no longer the user's. A new password
(`set_password`, services/users.py `reset_password`), a deactivation (services/users.py
`remove_member`) and `end_sessions` (`socinvest user logout`) raise the epoch
(`bump_epoch`), so every session issued before ends at its next request."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Login:
    """A successful login: the actor and the session epoch its cookie is issued under."""

    actor: Actor
    epoch: int


def bump_epoch(user: User) -> None:
    """End every session issued to `user` so far (in the caller's transaction): the epoch its
    cookies carry is no longer the user's. Done in SQL (`epoch + 1`), so two changes at once
    both count."""
    user.session_epoch = User.session_epoch + 1


def actor(ws: Workspace, user_id: int) -> Actor | None:
    """The actor of a user id (None: gone or deactivated). Not for sessions: a session's
    cookie is checked by `session_actor`, which also compares its epoch."""
    with ws.store.reading() as s:
        user = s.get(User, user_id)
        if user is None or not user.active:
            return None
        return _actor(user, _orgs(s))


def session_actor(ws: Workspace, user_id: object, epoch: object) -> Actor | None:
    """The actor of a session cookie's user id and epoch; None when the user is gone or
    deactivated, or when the cookie was issued under another epoch (its password changed,
    it was deactivated, or its sessions were ended since): such a cookie is no session."""
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    if not isinstance(epoch, int) or isinstance(epoch, bool):
        return None
    with ws.store.reading() as s:
        user = s.get(User, user_id)
        if user is None or not user.active or user.session_epoch != epoch:
            return None
        return _actor(user, _orgs(s))


def log_in(ws: Workspace, username: str, password: str) -> Login | None:
    """The actor and its session epoch when `password` is right; None otherwise (the same
    work either way)."""
    with ws.store.transaction() as s:
        user = repo.user_by_name(s, username)
        if user is None or not user.active:
            dummy = _DUMMY.setdefault("hash", hash_password("socinvest-no-such-user"))
            verify_password(dummy, password)
            return None
        if not verify_password(user.password_hash, password):
            return None
        if _HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)  # the same password: sessions stay
        return Login(_actor(user, _orgs(s)), user.session_epoch)


def authenticate(ws: Workspace, username: str, password: str) -> Actor | None:
    """The actor when `password` is right; None otherwise (the same work either way)."""
    login = log_in(ws, username, password)
    return None if login is None else login.actor


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
        elif not user.active and by is None:
            # removed from its last organisation in the web (services/users.py): the command
            # line lets it in again
            user.active = True
            before, after = {"active": False}, {"active": True}
            repo.audit(s, who, who_id, o.id, "user", username, "activate", before, after)
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


def set_password(ws: Workspace, username: str, password: str, by: Actor | None = None) -> int:
    """A new password for `username` (by itself, an admin of one of its organisations, or the
    command line); every session issued to it before ends. Audited without the password or
    its hash. Returns the new session epoch (a face may re-issue the changer's own cookie)."""
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
        bump_epoch(user)
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
        s.flush()
        return user.session_epoch


def end_sessions(ws: Workspace, username: str) -> None:
    """End every session of `username` ("log out everywhere"; the command line's `socinvest
    user logout`): each cookie issued before is refused at its next request, and the user
    logs in again. The password stays. Audited (`user` `logout`)."""
    with ws.store.transaction() as s:
        user = repo.user_by_name(s, username)
        if user is None:
            raise InputError(Msg("brugeren {user} findes ikke", user=username))
        bump_epoch(user)
        org_ids = sorted({m.org_id for m in user.memberships})
        repo.audit(
            s,
            SYSTEM,
            None,
            org_ids[0] if org_ids else None,
            "user",
            username,
            "logout",
            None,
            {"sessions": "ended"},
        )
