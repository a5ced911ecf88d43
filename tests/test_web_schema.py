"""schemathesis against the app's own OpenAPI description: for every operation, a bounded
number of generated requests (path, query and form fields as the spec describes them) with a
logged-in session cookie and the CSRF header; no answer may be a 5xx, every status must be
one the spec declares for the operation, and its content type the declared one.

Generated values are mostly nonsense (404 and 422 are right answers to them); to reach the
handlers behind the organisation and document lookups too, part of the examples are steered
to the demo's real organisation and documents (`_steer`)."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("fastapi")
schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    status_code_conformance,
)

from . import test_web as web  # noqa: E402

EXAMPLES = int(os.environ.get("SOCINVEST_SCHEMA_EXAMPLES", "12"))
KNOWN = {
    "org": ["eksempel", "nabo"],
    "path": [
        "examples/tidlig-indsats-0-2.yaml",
        "examples/fit-familiebehandling.yaml",
        "examples/pool/pool.yaml",
        "examples/followup/tidlig-indsats-0-2.followup.yaml",
    ],
    "name": ["pilot_areas", "price_foster", "fte_rate"],
    "line_id": ["team_buf", "savings_norms"],
}


template_db = web.template_db  # the demo workspace, built once per test run


@pytest.fixture(scope="module")
def app(template_db, tmp_path_factory):
    """One copy of the demo workspace for the module (the generated requests may write)."""
    import shutil

    from socinvest.services import workspace as wsv
    from socinvest.web.app import create_app
    from socinvest.web.settings import Settings

    db = tmp_path_factory.mktemp("schema") / "ws.db"
    shutil.copy(template_db, db)
    ws = wsv.open_workspace(f"sqlite:///{db}", upgrade=False)
    # the secret of test_web's apps: its cached logins (web.login) hold here and there
    application = create_app(Settings(secret_key="k" * 32, job_workers=1), ws)
    yield application
    application.state.jobs.shutdown()
    ws.store.engine.dispose()


@pytest.fixture(scope="module")
def session(app):
    """The economist's session cookie and CSRF token (edits every case and the pool)."""
    web.login(app, "oekonom")
    return web._SESSIONS["oekonom"]


def _steer(case) -> None:
    """Two of three examples name real objects (chosen by the generated value itself, so
    hypothesis still shrinks and replays them)."""
    for key, values in KNOWN.items():
        given = (case.path_parameters or {}).get(key)
        if given is None:
            continue
        h = sum(map(ord, str(given)))
        if h % 3:
            case.path_parameters[key] = values[h % len(values)]


def test_no_server_error_on_any_operation(app, session):
    """Every operation of /openapi.json, EXAMPLES generated requests each: no 5xx, only
    declared statuses and content types."""
    cookie, token = session
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", app, headers={"cookie": f"socinvest_session={cookie}"}
    )
    ops = [r.ok() for r in schema.get_all_operations()]
    from socinvest.web.access import ROUTES

    labels = {o.label for o in ops} | {"GET /openapi.json"}  # it leaves out the spec's own URL
    assert labels == {f"{r.method} {r.path.replace('{path:path}', '{path}')}" for r in ROUTES}
    checked: dict[str, int] = {}

    for op in ops:
        run_examples(op, token, cookie, checked)
    assert len(checked) == len(ops), set(o.label for o in ops) - set(checked)


def run_examples(op, token: str, cookie: str, checked: dict[str, int]) -> None:
    """EXAMPLES generated requests of one operation (hypothesis shrinks a failing one)."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=op.as_strategy())
    def run(case) -> None:
        _steer(case)
        response = case.call(
            headers={"X-CSRF-Token": token, "accept": "application/json"},
            cookies={"socinvest_session": cookie},
        )
        case.validate_response(
            response,
            checks=[not_a_server_error, status_code_conformance, content_type_conformance],
        )
        checked[op.label] = checked.get(op.label, 0) + 1

    run()
