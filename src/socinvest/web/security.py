"""Sessions, CSRF tokens and the login rate limit.

- The session is a signed cookie (itsdangerous, HMAC-SHA1 over the payload with the app's
  secret, timestamped: older than `max_age` is no session). It holds the user's id, a random
  session id and the CSRF token; nothing secret, nothing the server trusts unsigned.
- CSRF: every state-changing request carries the session's token, in the form field
  `csrf_token` (plain forms) or the header `X-CSRF-Token` (htmx, set once on <body>), compared
  in constant time. An anonymous visitor gets a session with a token too (the login form).
- Login: five failures per minute for one user name from one address answer 429 before the
  password is even checked; a success clears the count.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "socinvest_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class Session:
    """What the cookie holds: `user_id` None before login."""

    sid: str
    csrf: str
    user_id: Any = None

    @classmethod
    def new(cls, user_id: Any = None) -> Session:
        return cls(secrets.token_urlsafe(16), secrets.token_urlsafe(24), user_id)


class SessionCodec:
    """Signs and reads the session cookie."""

    def __init__(self, secret: str, max_age: int) -> None:
        self._s = URLSafeTimedSerializer(secret, salt="socinvest.session")
        self.max_age = max_age

    def dumps(self, s: Session) -> str:
        return self._s.dumps({"sid": s.sid, "csrf": s.csrf, "uid": s.user_id})

    def loads(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        try:
            data = self._s.loads(cookie, max_age=self.max_age)
        except (BadSignature, ValueError, TypeError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("csrf"), str):
            return None
        return Session(str(data.get("sid", "")), data["csrf"], data.get("uid"))


def same_token(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


@dataclass
class LoginLimiter:
    """At most `limit` failed logins per `window` seconds for one (user name, address)."""

    limit: int = 5
    window: float = 60.0
    _fails: dict[tuple[str, str], deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        q = self._fails.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, user: str, address: str) -> float:
        """Seconds until the next try is allowed (0: allowed now)."""
        now = time.monotonic()
        with self._lock:
            q = self._recent((user.lower(), address), now)
            if len(q) < self.limit:
                return 0.0
            return max(0.0, self.window - (now - q[0]))

    def failed(self, user: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent((user.lower(), address), now).append(now)
            if len(self._fails) > 100_000:  # bounded memory under a spray of names
                self._fails = {k: v for k, v in self._fails.items() if v}

    def succeeded(self, user: str, address: str) -> None:
        with self._lock:
            self._fails.pop((user.lower(), address), None)
