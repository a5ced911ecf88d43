"""Shared paths and the in-process CLI runner.

`cli(*args)` runs a command in this process with typer's CliRunner (no Python start-up per
call). It sets SOCINVEST_DEBUG so that an unexpected exception (a bug, exit 3 for users)
propagates with its traceback instead of hiding behind an exit code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures"
TABLES = FIXTURES / "tables"


_COMMANDS: dict[tuple[int, int, int], object] = {}


def _click_command(app):
    """typer builds the click command anew on every invoke (about 40 ms); build it once per
    shape of the app (a test may add a sub-app)."""
    import typer.main

    key = (id(app), len(app.registered_commands), len(app.registered_groups))
    if key not in _COMMANDS:
        _COMMANDS[key] = typer.main.get_command(app)
    return _COMMANDS[key]


def cli(*args: str | Path, debug: bool = True, **kwargs):
    """Run `socinvest ARGS` in-process; returns click's Result (exit_code, stdout, stderr)."""
    from unittest import mock

    import typer.testing
    from typer.testing import CliRunner

    from socinvest.cli import app

    env = {"SOCINVEST_DEBUG": "1" if debug else "", "COLUMNS": "200"}
    command = _click_command(app)
    with mock.patch.object(typer.testing, "_get_command", lambda _app: command, create=True):
        return CliRunner().invoke(
            app, [str(a) for a in args], env=env, catch_exceptions=not debug, **kwargs
        )


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES
