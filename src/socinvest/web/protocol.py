"""The HTTP protocol `socinvest serve` runs: uvicorn's h11 protocol, with Nagle's algorithm
turned off on every connection.

asyncio turns it off itself, but only on sockets it knows to be TCP; with `--workers N` the
listening socket is handed to the worker processes and its accepted connections no longer say
so. The last small segment of a response then waits for the client's delayed ACK: 40 ms on
an answer that took 15 (measured by bench/web.py: a recompute at 1 user went from 15 to 60 ms
with two workers). Setting TCP_NODELAY here makes it the same with one worker or many.
"""

from __future__ import annotations

import contextlib
import socket
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: Any) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):  # not TCP after all: nothing to turn off
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
