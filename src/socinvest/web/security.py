"""Sessions, CSRF tokens and the login rate limit.

- The session is a signed cookie (itsdangerous, HMAC-SHA1 over the payload with the app's
  secret, timestamped: older than `max_age` is no session). It holds the user's id, the
  user's session epoch at login, a random session id and the CSRF token; nothing secret,
  nothing the server trusts unsigned. The cookie is stateless, so ending sessions is done in
  the user's row: a new password or a deactivation raises the user's epoch, and the actor
  lookup (web/deps.py → services.auth.session_actor) refuses a cookie of another epoch.
- CSRF: every state-changing request carries the session's token, in the form field
  `csrf_token` (plain forms) or the header `X-CSRF-Token` (htmx, set once on <body>), compared
  in constant time. An anonymous visitor gets a session with a token too (the login form).
- Login: five failures per minute for one user name from one address answer 429 before the
  password is even checked; a success clears the count. The failures are counted in the
  database, so every process of the server counts them alike.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..services import login_limit
from ..services.workspace import Workspace

COOKIE = "socinvest_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class Session:
    """What the cookie holds: `user_id` None before login; `epoch` the user's session epoch
    when it logged in (None in a cookie without one: refused as a login)."""

    sid: str
    csrf: str
    user_id: Any = None
    epoch: int | None = None

    @classmethod
    def new(cls, user_id: Any = None, epoch: int | None = None) -> Session:
        return cls(secrets.token_urlsafe(16), secrets.token_urlsafe(24), user_id, epoch)


class SessionCodec:
    """Signs and reads the session cookie."""

    def __init__(self, secret: str, max_age: int) -> None:
        self._s = URLSafeTimedSerializer(secret, salt="socinvest.session")
        self.max_age = max_age

    def dumps(self, s: Session) -> str:
        return self._s.dumps({"sid": s.sid, "csrf": s.csrf, "uid": s.user_id, "ep": s.epoch})

    def loads(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        try:
            data = self._s.loads(cookie, max_age=self.max_age)
        except (BadSignature, ValueError, TypeError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("csrf"), str):
            return None
        epoch = data.get("ep")
        if not isinstance(epoch, int) or isinstance(epoch, bool):
            epoch = None
        return Session(str(data.get("sid", "")), data["csrf"], data.get("uid"), epoch)


def same_token(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


@dataclass(frozen=True)
class LoginLimiter:
    """At most `limit` failed logins per `window` seconds for one (user name, address),
    counted in the workspace's database (services/login_limit.py), so that every process of
    the server (`serve --workers N`) counts the failures made through any of them."""

    ws: Workspace
    limit: int = 5
    window: float = 60.0

    def blocked(self, user: str, address: str) -> float:
        """Seconds until the next try is allowed (0: allowed now)."""
        return login_limit.blocked(self.ws, user, address, self.limit, self.window)

    def failed(self, user: str, address: str) -> None:
        login_limit.failed(self.ws, user, address, self.window)

    def succeeded(self, user: str, address: str) -> None:
        login_limit.succeeded(self.ws, user, address)
