"""The login rate limit's memory in the store (`login_failures`), shared by every process of
the web server: at most `limit` failed logins per `window` seconds for one (user name,
address), whichever process answered them. Rows older than the window are deleted as new
failures come, so the table holds about one window's failures.

Cheap by design: a check is one indexed query, a failure one insert (and the pruning delete
over the index on `at`), a success one delete. Times are wall-clock epoch seconds (shared by
the processes of one machine; several machines need synchronised clocks, as they do anyway).
"""

from __future__ import annotations

import time

from sqlalchemy import delete, select

from ..store.models import LoginFailure
from ._ws_types import Workspace


def _key(user: str, address: str) -> tuple[str, str]:
    return user.lower()[:100], address[:64]


def blocked(ws: Workspace, user: str, address: str, limit: int, window: float) -> float:
    """Seconds until the next try is allowed (0: allowed now)."""
    now = time.time()
    name, addr = _key(user, address)
    with ws.store.reading() as s:
        times = list(
            s.scalars(
                select(LoginFailure.at)
                .where(
                    LoginFailure.username == name,
                    LoginFailure.address == addr,
                    LoginFailure.at > now - window,
                )
                .order_by(LoginFailure.at.desc())
                .limit(limit)
            )
        )
    if len(times) < limit:
        return 0.0
    # allowed again when the oldest of the last `limit` failures leaves the window
    return max(0.0, window - (now - times[-1]))


def failed(ws: Workspace, user: str, address: str, window: float) -> None:
    """Count one failure; failures older than the window are forgotten on the way."""
    now = time.time()
    name, addr = _key(user, address)
    with ws.store.transaction() as s:
        s.execute(delete(LoginFailure).where(LoginFailure.at < now - window))
        s.add(LoginFailure(username=name, address=addr, at=now))


def succeeded(ws: Workspace, user: str, address: str) -> None:
    """A success clears the count of this user name from this address."""
    name, addr = _key(user, address)
    with ws.store.transaction() as s:
        s.execute(
            delete(LoginFailure).where(LoginFailure.username == name, LoginFailure.address == addr)
        )
