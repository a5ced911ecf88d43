"""The workspace service: the operations every face (web, CLI) calls on the shared store.

Every operation takes the acting user (`Actor`, from `services.auth`) and an organisation slug,
and checks access before it reads or writes (rules in `services._ws_access`, docs/workspace.md):
organisations are isolated; admin does all in its own organisation; economist edits every case,
pool, follow-up and data file; case_owner edits own cases and their follow-up; committee_reader
reads decided cases, pools and reports; auditor reads everything, including the audit log.
A refusal raises `AccessDenied` (web: 403; `hidden=True` → 404, nothing about the entity
leaks); an unknown entity raises `NotFound` (404). Input that cannot be used raises
`errors.InputError` (web: 422). Results are frozen dataclasses; nothing here renders.

Writes are one transaction each, with their audit entries in the same transaction. A save names
the version it was based on; a stale base returns `Conflict` (both versions), never overwrites.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..store.models import CaseStatus, Kind, Role
from ._ws_access import Actor
from ._ws_types import (
    AccessDenied,
    AttachmentInfo,
    AuditRecord,
    Change,
    Conflict,
    DemoLogin,
    DocumentInfo,
    NotFound,
    OrgInfo,
    PoolBalance,
    Portfolio,
    PortfolioRow,
    Saved,
    SaveResult,
    Summary,
    UploadResult,
    VersionDiff,
    VersionInfo,
    VersionView,
    Workspace,
)

if TYPE_CHECKING:
    from ._ws_compute import CasePage, EditPreview, Preview
    from .case import CaseBundle
    from .followup import FollowupBundle
    from .pool import PoolBundle

__all__ = [
    "AccessDenied",
    "DemoLogin",
    "SaveResult",
    "Actor",
    "AttachmentInfo",
    "AuditRecord",
    "CaseStatus",
    "Change",
    "Conflict",
    "DocumentInfo",
    "Kind",
    "NotFound",
    "OrgInfo",
    "PoolBalance",
    "Portfolio",
    "PortfolioRow",
    "Role",
    "Saved",
    "Summary",
    "UploadResult",
    "VersionDiff",
    "VersionInfo",
    "VersionView",
    "Workspace",
]

# -- opening ------------------------------------------------------------------------------


def default_url() -> str:
    """`SOCINVEST_DATABASE_URL`, else a SQLite file ./socinvest.db."""
    from ..store.engine import default_url as _default

    return _default()


def open_workspace(url: str | None = None, *, upgrade: bool = True) -> Workspace:
    """Open (and with `upgrade`, create or migrate) the store at `url` (default_url())."""
    from ..store.engine import open_store

    return Workspace(open_store(url or default_url(), upgrade=upgrade))


# -- reading ------------------------------------------------------------------------------


def organisations(ws: Workspace, actor: Actor) -> tuple[OrgInfo, ...]:
    """The organisations the actor holds a role in."""
    from . import _ws_docs

    return _ws_docs.organisations(ws, actor)


def portfolio(ws: Workspace, actor: Actor, org: str) -> Portfolio:
    """Every case the actor may read, at its latest version, from the per-version summaries
    (one query), with realised payback from follow-up and each pool's balance."""
    from . import _ws_portfolio

    return _ws_portfolio.portfolio(ws, actor, org)


def documents(
    ws: Workspace, actor: Actor, org: str, kind: Kind | None = None
) -> tuple[DocumentInfo, ...]:
    """The documents the actor may read (of one kind), ordered by path."""
    from . import _ws_docs

    return _ws_docs.documents(ws, actor, org, kind)


def get(
    ws: Workspace, actor: Actor, org: str, path: str, version: int | None = None
) -> VersionView:
    """A document at `version` (default: latest)."""
    from . import _ws_docs

    return _ws_docs.get(ws, actor, org, path, version)


def history(ws: Workspace, actor: Actor, org: str, path: str) -> tuple[VersionInfo, ...]:
    """Every version of a document, oldest first."""
    from . import _ws_docs

    return _ws_docs.history(ws, actor, org, path)


def diff(ws: Workspace, actor: Actor, org: str, path: str, a: int, b: int) -> VersionDiff:
    """What changed from version `a` to `b`: lines, parameters, stated figures, other keys,
    and a unified text diff."""
    from . import _ws_diff

    return _ws_diff.diff(ws, actor, org, path, a, b)


def case_bundle(
    ws: Workspace,
    actor: Actor,
    org: str,
    path: str,
    version: int | None = None,
    simulate: bool = False,
) -> CaseBundle:
    """The case bundle (results, check, simulation with `simulate`) of a stored version,
    computed once per version and kept in the workspace's cache."""
    from . import _ws_compute

    return _ws_compute.case_bundle(ws, actor, org, path, version, simulate)


def case_page(
    ws: Workspace, actor: Actor, org: str, path: str, version: int | None = None
) -> CasePage:
    """A case version with what its page shows (bundle, follow-ups, attachments), read in
    one session: a page is one call, not four."""
    from . import _ws_compute

    return _ws_compute.case_page(ws, actor, org, path, version)


def preview(ws: Workspace, actor: Actor, org: str, path: str, text: str) -> Preview:
    """The bundle (and data) of an edited, unsaved case text (recompute after an edit; writes
    nothing). Raises InputError (located) when the text is not a valid case."""
    from . import _ws_compute

    return _ws_compute.preview(ws, actor, org, path, text)


def preview_edit(
    ws: Workspace,
    actor: Actor,
    org: str,
    path: str,
    base_version: int,
    change: Callable[[VersionView], str],
) -> EditPreview:
    """An edit (`change`: the stored version → its new text) of version `base_version`,
    recomputed without saving, in one session: the recompute after an edit in place."""
    from . import _ws_compute

    return _ws_compute.preview_edit(ws, actor, org, path, base_version, change)


def simulate_payback(
    ws: Workspace,
    actor: Actor,
    org: str,
    path: str,
    version: int | None = None,
    draws: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> float | None:
    """P(payback within the horizon) of a version (None: the case has no uncertainty); stored
    in the version's summary so the portfolio shows it. Long: run it in the background;
    `progress(done, total)` is called as the draws go (the same numbers without it)."""
    from . import _ws_compute

    return _ws_compute.simulate_payback(ws, actor, org, path, version, draws, seed, progress)


def pool_bundle(
    ws: Workspace,
    actor: Actor,
    org: str,
    path: str,
    kind: Literal["status", "project", "select"] = "status",
    draws: int = 0,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PoolBundle:
    """A pool's bundle (services.pool) over the latest versions of its files
    (`progress(done, total)`: the draws of its Monte Carlo as they go)."""
    from . import _ws_compute

    return _ws_compute.pool_bundle(ws, actor, org, path, kind, draws, seed, progress)


def followup_bundle(ws: Workspace, actor: Actor, org: str, path: str) -> FollowupBundle:
    """A follow-up file's bundle (services.followup) over the latest versions of its files."""
    from . import _ws_compute

    return _ws_compute.followup_bundle(ws, actor, org, path)


# -- writing ------------------------------------------------------------------------------


def save(
    ws: Workspace,
    actor: Actor,
    org: str,
    path: str,
    content: str | bytes,
    *,
    base_version: int | None,
    message: str = "",
    kind: Kind | None = None,
    department: str | None = None,
) -> SaveResult:
    """Save a new version of the document at `path` (created when `base_version` is None and
    it does not exist; `kind` from the suffix and content when not given). Validates a case,
    pool or follow-up text (InputError), refuses CPR-like values in follow-up and data files,
    computes the version's summary, writes the audit entry — one transaction."""
    from . import _ws_docs

    return _ws_docs.save(ws, actor, org, path, content, base_version, message, kind, department)


def set_status(
    ws: Workspace, actor: Actor, org: str, path: str, status: CaseStatus, message: str = ""
) -> DocumentInfo:
    """Move a case to `status` (case owners: draft/submitted/withdrawn on their own cases;
    economists and admins: any)."""
    from . import _ws_docs

    return _ws_docs.set_status(ws, actor, org, path, status, message)


def upload(
    ws: Workspace,
    actor: Actor,
    org: str,
    filename: str,
    content: bytes,
    *,
    path: str | None = None,
    base_version: int | None = None,
    message: str = "",
    unit: str | None = None,
    price_level: int | None = None,
    sign: str | None = None,
) -> UploadResult:
    """Upload a case file (.yaml) or a table (pasted text .txt/.csv, Word .docx, Excel .xlsx,
    PDF) imported into a case file (io.importer); the original is kept as an attachment. One
    transaction: when anything fails, nothing is left behind."""
    from . import _ws_upload

    return _ws_upload.upload(
        ws, actor, org, filename, content, path, base_version, message, unit, price_level, sign
    )


def attach(
    ws: Workspace,
    actor: Actor,
    org: str,
    path: str | None,
    name: str,
    media_type: str,
    content: bytes,
) -> AttachmentInfo:
    """Keep an original document (size-capped) with a document (or the organisation)."""
    from . import _ws_upload

    return _ws_upload.attach(ws, actor, org, path, name, media_type, content)


def attachments(
    ws: Workspace, actor: Actor, org: str, path: str | None = None
) -> tuple[AttachmentInfo, ...]:
    from . import _ws_upload

    return _ws_upload.attachments(ws, actor, org, path)


def attachment(ws: Workspace, actor: Actor, org: str, ident: int) -> tuple[AttachmentInfo, bytes]:
    from . import _ws_upload

    return _ws_upload.attachment(ws, actor, org, ident)


# -- audit --------------------------------------------------------------------------------


def audit(
    ws: Workspace,
    actor: Actor,
    org: str,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    username: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 500,
    offset: int = 0,
) -> tuple[AuditRecord, ...]:
    """The organisation's audit entries, newest first (auditor and admin only)."""
    from . import _ws_audit

    return _ws_audit.query(ws, actor, org, entity, entity_id, username, since, until, limit, offset)


def audit_export(
    ws: Workspace, actor: Actor, org: str, fmt: Literal["csv", "json"] = "csv", **filters: Any
) -> str:
    """The audit entries (filters as `audit`, no limit) as CSV or JSON text, oldest first."""
    from . import _ws_audit

    return _ws_audit.export(ws, actor, org, fmt, **filters)


# -- whole workspace (system operations: the CLI, with direct access to the database) ------


def export_workspace(ws: Workspace, dest: Path) -> Path:
    """Write the whole workspace as the project's files (docs/workspace.md, layout)."""
    from . import _ws_files

    return _ws_files.export_tree(ws, dest)


def import_workspace(ws: Workspace, src: Path) -> None:
    """Read a tree written by export_workspace into an empty workspace (exact round trip)."""
    from . import _ws_files

    _ws_files.import_tree(ws, src)


def load_demo(ws: Workspace, examples: Path) -> tuple[DemoLogin, ...]:
    """The demo workspace: the example cases, pool and follow-up files in two organisations,
    with demo logins (only here; a new database has no users)."""
    from . import _ws_demo

    return _ws_demo.load_demo(ws, examples)


def upgrade_database(url: str | None = None) -> tuple[str | None, str | None]:
    """Create or migrate the database at `url` to the newest schema; (before, after) revision.
    Already at the newest: nothing runs (before == after)."""
    from ..store.engine import make_engine, normalise
    from ..store.migrate import upgrade

    engine = make_engine(normalise(url or default_url()))
    try:
        return upgrade(engine)
    finally:
        engine.dispose()


def backup(ws: Workspace, dest: Path) -> Path:
    """A backup: `DEST.zip` portable (any database, incl. the audit log); any other name a
    SQLite file copy (SQLite only). See services._ws_backup."""
    from . import _ws_backup

    return _ws_backup.backup(ws, dest)


def restore(ws: Workspace, src: Path) -> None:
    """Restore a backup written by `backup` (a .zip only into an empty database)."""
    from . import _ws_backup

    _ws_backup.restore(ws, src)
