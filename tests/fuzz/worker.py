"""The worker process: runs inputs in-process, one at a time, under a memory limit.

Started by the harness as `python -m tests.fuzz.worker MEMORY_BYTES`. It reads one job a line
on stdin ({"dir": job folder, "input": Input JSON}) and answers one JSON line on the original
stdout (file descriptor 1 is pointed at /dev/null, so nothing a library prints can break the
protocol). The harness kills it when a job passes the time limit; the memory limit makes a
runaway allocation a MemoryError (exit 3, "intern fejl") instead of a machine that swaps.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import time
import traceback
import warnings
from typing import Any

IGNORED = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)  # hidden
# by default: Python never prints them to a user (matplotlib leaves font files to the GC)


def _root_cause(exc: BaseException | None) -> BaseException | None:
    """The first exception in the chain that is not an exit (the bug behind an exit 3)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if not isinstance(exc, SystemExit) and type(exc).__name__ != "Exit":
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _format(exc: BaseException | None) -> str:
    return "".join(traceback.format_exception(exc)) if exc is not None else ""


def run_cli(argv: list[str], command: Any) -> dict[str, Any]:
    from unittest import mock

    import typer.testing
    from typer.testing import CliRunner

    from socinvest.cli import app

    env = {"SOCINVEST_DEBUG": None, "COLUMNS": "120", "NO_COLOR": "1"}
    with mock.patch.object(typer.testing, "_get_command", lambda _app: command, create=True):
        r = CliRunner().invoke(app, argv, env=env, catch_exceptions=True)
    cause = _root_cause(r.exception)
    return {
        "exit": r.exit_code,
        "stdout": r.stdout,
        "stderr": r.stderr,
        "uncaught": r.exception is not None and not isinstance(r.exception, SystemExit),
        "error": _format(cause) if r.exit_code not in (0, 1, 2) or cause is not None else "",
        "etype": type(cause).__name__ if cause is not None else "",
    }


def run_call(call: str, argv: list[str]) -> dict[str, Any]:
    from socinvest.errors import InputError

    module, name = call.split(":")
    fn = getattr(importlib.import_module(module), name)
    out: dict[str, Any] = {"stdout": "", "stderr": "", "uncaught": False, "error": ""}
    try:
        fn(*argv)
        out["exit"] = 0
    except InputError as e:
        out["exit"] = 2
        out["stderr"] = str(e)
    except Exception as e:  # a bug: what the CLI would answer with exit 3
        out["exit"] = 3
        out["error"] = _format(e)
        out["etype"] = type(e).__name__
    return out


def main() -> None:
    limit = int(sys.argv[1])
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    proto_in = os.fdopen(os.dup(0), "rb")
    proto_out = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    import typer.main

    from socinvest.cli import app

    command = typer.main.get_command(app)
    proto_out.write(b'{"ready": true}\n')
    proto_out.flush()
    for line in proto_in:
        job = json.loads(line)
        from tests.fuzz.model import Input

        inp = Input.from_json(job["input"])
        os.chdir(job["dir"])
        t0 = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                res = (
                    run_call(inp.call, list(inp.argv))
                    if inp.call
                    else run_cli(list(inp.argv), command)
                )
            except BaseException as e:  # noqa: BLE001 - the harness itself must survive
                res = {
                    "exit": -1,
                    "stdout": "",
                    "stderr": "",
                    "uncaught": True,
                    "error": _format(e),
                }
        res["elapsed"] = time.perf_counter() - t0
        res["warnings"] = [f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})"
                           for w in caught if not issubclass(w.category, IGNORED)]  # fmt: skip
        os.chdir("/")
        proto_out.write(json.dumps(res).encode() + b"\n")
        proto_out.flush()


if __name__ == "__main__":
    main()
