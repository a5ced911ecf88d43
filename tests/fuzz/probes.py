"""Functions that break the invariant on purpose, one way each: the harness's own tests run them
as `call` inputs to show that a hang, a runaway allocation, a stray file and a bug are caught."""

from __future__ import annotations

import time
from pathlib import Path


def sleep(seconds: str) -> None:
    time.sleep(float(seconds))


def allocate(gib: str) -> bytes:
    return b"x" * int(float(gib) * 2**30)


def stray(name: str) -> None:
    Path(name).write_text("not declared")


def bug(_: str) -> None:
    raise KeyError("a bug")
