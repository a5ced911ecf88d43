"""Every route of the web app in one table: method, path, name and who may call it.

This is the one place that says which role a route needs (the route × role × organisation
matrix, schemathesis and the load tests read it). The table is a coarse gate: a route refuses
a role it never serves (403) before anything is read; the workspace service then decides on
the object itself — another organisation's case is 404, a case owner's edit of someone
else's case or a committee reader's look at an undecided case is 403. So access is enforced
by the service, never only by hiding links.

`roles=None` is a public route (login, health; static files are mounted beside the table).
Every state-changing route (POST) also checks the CSRF token (`security.csrf_protect`);
`app.create_app` adds both checks from this table, so no route can forget them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["admin", "economist", "case_owner", "committee_reader", "auditor"]
ROLES: tuple[Role, ...] = ("admin", "economist", "case_owner", "committee_reader", "auditor")

READERS: frozenset[Role] = frozenset(ROLES)
"""Everyone logged in reads (the service narrows: a committee reader sees decided cases)."""
EDITORS: frozenset[Role] = frozenset({"admin", "economist", "case_owner"})
"""Edit cases and their follow-up (the service narrows a case owner to their own cases)."""
POOL_MANAGERS: frozenset[Role] = frozenset({"admin", "economist"})
"""Run the pool's Monte Carlo and selection."""
AUDITORS: frozenset[Role] = frozenset({"admin", "auditor"})
"""Read and export the audit log."""
ADMINS: frozenset[Role] = frozenset({"admin"})
"""Administer the organisation's users and their roles."""

Kind = Literal["page", "action", "file", "public"]


@dataclass(frozen=True)
class RouteSpec:
    """One route: `kind` page (HTML, or JSON with `Accept: application/json`), action (a
    POST that changes state or starts a job: 303 to a page, or JSON), file (a download)."""

    name: str
    method: Literal["GET", "POST"]
    path: str
    roles: frozenset[Role] | None
    kind: Kind
    summary: str

    @property
    def public(self) -> bool:
        return self.roles is None

    @property
    def changes_state(self) -> bool:
        return self.method != "GET"

    @property
    def org_scoped(self) -> bool:
        """The path names an organisation: the role is checked in that organisation."""
        return "{org}" in self.path


def _r(
    name: str, method: Literal["GET", "POST"], path: str, roles, kind: Kind, summary: str
) -> RouteSpec:
    return RouteSpec(name, method, path, roles, kind, summary)


C = "/o/{org}/cases/{path:path}"  # a case by its workspace path (e.g. cases/x.yaml)

# Order matters where paths overlap: a case's sub-pages come before the case page itself.
ROUTES: tuple[RouteSpec, ...] = (
    _r("health", "GET", "/health", None, "public", "Liveness: the app answers"),
    _r("login_form", "GET", "/login", None, "public", "The login page"),
    _r("login", "POST", "/login", None, "public", "Log in (rate-limited: 429)"),
    _r("logout", "POST", "/logout", READERS, "action", "Log out"),
    _r("openapi", "GET", "/openapi.json", READERS, "file", "This API's description (OpenAPI)"),
    _r("home", "GET", "/", READERS, "page", "The user's organisations (one: its portfolio)"),
    _r("portfolio", "GET", "/o/{org}", READERS, "page", "Every case of the organisation"),
    _r("upload_form", "GET", "/o/{org}/upload", EDITORS, "page", "Upload a case or a table"),
    _r("upload", "POST", "/o/{org}/upload", EDITORS, "action", "A case (or version) from a file"),
    _r("history", "GET", C + "/history", READERS, "page", "Every version of a case"),
    _r("diff", "GET", C + "/diff", READERS, "page", "What changed between two versions"),
    _r(
        "edit_parameter",
        "POST",
        C + "/parameters/{name}",
        EDITORS,
        "action",
        "A parameter's value or distribution: preview, or save as a new version",
    ),
    _r(
        "edit_line",
        "POST",
        C + "/lines/{line_id}",
        EDITORS,
        "action",
        "A line's label, amounts or driver: preview, or save as a new version",
    ),
    _r("edit_source", "POST", C + "/source", EDITORS, "action", "The case file's text, saved"),
    _r("set_status", "POST", C + "/status", EDITORS, "action", "Move a case to a status"),
    _r(
        "start_case_job",
        "POST",
        C + "/jobs",
        READERS,
        "action",
        "A report file or the case's Monte Carlo, in the background (a job)",
    ),
    _r("case", "GET", C, READERS, "page", "A case: Table 1, findings, payback, editing"),
    _r(
        "followup",
        "GET",
        "/o/{org}/followup/{path:path}",
        READERS,
        "page",
        "A follow-up: plan against actual, KPI status, FIT/ADBB",
    ),
    _r(
        "upload_actuals",
        "POST",
        "/o/{org}/followup/{path:path}",
        EDITORS,
        "action",
        "Upload actuals (a posting export) or the follow-up file: a new version",
    ),
    _r(
        "start_pool_job",
        "POST",
        "/o/{org}/pool/{path:path}/jobs",
        POOL_MANAGERS,
        "action",
        "The pool's Monte Carlo or selection, in the background (a job)",
    ),
    _r(
        "pool",
        "GET",
        "/o/{org}/pool/{path:path}",
        READERS,
        "page",
        "A pool: ledger, applications, findings",
    ),
    _r("job", "GET", "/o/{org}/jobs/{job_id}", READERS, "page", "A job and its progress"),
    _r("job_file", "GET", "/o/{org}/jobs/{job_id}/file", READERS, "file", "A job's file"),
    _r(
        "attachments",
        "GET",
        "/o/{org}/attachments",
        READERS,
        "page",
        "The uploaded originals (Word, Excel, PDF, text) of the documents the user may read",
    ),
    _r(
        "attachment_file",
        "GET",
        "/o/{org}/attachments/{ident}",
        READERS,
        "file",
        "An uploaded original as it was uploaded (read as its document)",
    ),
    _r("audit", "GET", "/o/{org}/audit", AUDITORS, "page", "The audit log"),
    _r("audit_export", "GET", "/o/{org}/audit/export", AUDITORS, "file", "The audit log (CSV)"),
    _r("users", "GET", "/o/{org}/users", ADMINS, "page", "The organisation's users and roles"),
    _r("add_user", "POST", "/o/{org}/users", ADMINS, "action", "A new user with roles"),
    _r(
        "set_roles",
        "POST",
        "/o/{org}/users/{username}/roles",
        ADMINS,
        "action",
        "A member's roles (the organisation keeps an admin: 409)",
    ),
    _r(
        "reset_password",
        "POST",
        "/o/{org}/users/{username}/password",
        ADMINS,
        "action",
        "A member's new password",
    ),
    _r(
        "remove_user",
        "POST",
        "/o/{org}/users/{username}/remove",
        ADMINS,
        "action",
        "A member out of the organisation (with none left: deactivated)",
    ),
)

BY_NAME: dict[str, RouteSpec] = {r.name: r for r in ROUTES}


def spec(name: str) -> RouteSpec:
    return BY_NAME[name]
