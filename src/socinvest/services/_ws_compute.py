"""Computed bundles of stored documents: a case version's bundle (cached per version), the
preview of an unsaved edit, P(payback) stored beside its version, and the pool and follow-up
bundles over the organisation's latest files (written out for the file-based services)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..case.yamlsafe import Loaded, load_located
from ..errors import InputError
from ..i18n import Msg
from ..store import repo
from ..store.models import CaseSummary, Document, Kind, Organisation
from ..uncertainty.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from ._ws_access import Actor, may_read, member, require_write
from ._ws_parse import names_files
from ._ws_tree import materialised
from ._ws_types import AttachmentInfo, DocumentInfo, VersionView
from ._ws_views import (
    clean_path,
    doc_info,
    org_row,
    readable_doc,
    subject,
    version_row,
    view,
)
from .case import CaseBundle, has_uncertainty, parse_case
from .case import case_bundle as _case_bundle
from .workspace import Workspace

CACHE_SIZE = 256
_LOCK = threading.Lock()


def _remember(ws: Workspace, key: tuple[int, bool], value: Any) -> Any:
    with _LOCK:
        ws.bundles[key] = value
        while len(ws.bundles) > CACHE_SIZE:
            ws.bundles.pop(next(iter(ws.bundles)))
    return value


def _parse(s: Session, o: Organisation, path: str, text: str, loaded: Loaded | None = None) -> Any:
    if names_files(text):  # ladder lines and catalogues: files relative to the case
        with materialised(s, o.id, {path: text}) as root:
            return parse_case(text, path, (root / path).parent, loaded)
    return parse_case(text, path, Path("/nonexistent"), loaded)


def _require_case(kind: str, path: str) -> None:
    if kind != Kind.CASE.value:
        raise InputError(Msg("{path} er ikke en case", path=path))


def case_bundle(
    ws: Workspace, actor: Actor, org: str, path: str, version: int | None, simulate: bool
) -> CaseBundle:
    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        d = readable_doc(s, actor, o, path)
        _require_case(d.kind, path)
        v = version_row(s, d, version)
        key, got = _kept_or_parsed(ws, s, o, d.path, v, simulate)
    return _bundle_of(ws, key, got, simulate)


def _kept_or_parsed(
    ws: Workspace, s: Session, o: Organisation, path: str, v: Any, simulate: bool
) -> tuple[tuple[int, bool], Any]:
    """A stored version's bundle as the workspace keeps it, else its case, parsed (the
    bundle is then computed by `_bundle_of`, after the session: a Monte Carlo holds no
    database connection)."""
    key = (v.id, simulate)
    hit = ws.bundles.get(key)
    if hit is not None:
        return key, hit
    return key, _parse(s, o, path, repo.content(s, v)[0] or "")


def _bundle_of(ws: Workspace, key: tuple[int, bool], got: Any, simulate: bool) -> CaseBundle:
    if isinstance(got, CaseBundle):
        return got
    return _remember(ws, key, _case_bundle(got, simulate=simulate))


@dataclass(frozen=True)
class CasePage:
    """Everything the case page shows, read in one session: the version, its bundle, the
    follow-ups of the case and its attachments (those the actor may read)."""

    view: VersionView
    bundle: CaseBundle
    followups: tuple[DocumentInfo, ...]
    attachments: tuple[AttachmentInfo, ...]


def case_page(ws: Workspace, actor: Actor, org: str, path: str, version: int | None) -> CasePage:
    from ._ws_upload import document_attachments

    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        d = readable_doc(s, actor, o, path)
        _require_case(d.kind, path)
        v = version_row(s, d, version)
        shown = view(s, o, d, v)
        roles = member(actor, org)
        fus = s.scalars(
            select(Document)
            .where(Document.case_id == d.id, Document.kind == Kind.FOLLOWUP.value)
            .order_by(Document.path)
        )
        followups = tuple(doc_info(s, o, f) for f in fus if may_read(actor, roles, subject(s, f)))
        attachments = document_attachments(s, o, d)
        key, got = _kept_or_parsed(ws, s, o, d.path, v, False)
    return CasePage(shown, _bundle_of(ws, key, got, False), followups, attachments)


@dataclass(frozen=True)
class Preview:
    """An edited, unsaved case text's bundle, and the text's data (as the file has it)."""

    bundle: CaseBundle
    data: dict[str, Any]


def preview(ws: Workspace, actor: Actor, org: str, path: str, text: str) -> Preview:
    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        # a preview is the first step of a save: only for someone who may save it
        d = repo.document(s, o.id, clean_path(path))
        require_write(actor, org, subject(s, d) if d is not None else None, Kind.CASE, path)
        case, data = _read_edit(s, o, clean_path(path), text)
    return Preview(_case_bundle(case, simulate=False), data)


def _read_edit(s: Session, o: Organisation, path: str, text: str) -> tuple[Any, Any]:
    """An edited text's case and data, from one read of the text."""
    loaded = load_located(text, path)
    return _parse(s, o, path, text, loaded), loaded[0]


@dataclass(frozen=True)
class EditPreview:
    """An edit of a stored version, recomputed: the version it was made to, the edited text
    and its preview."""

    base: VersionView
    text: str
    preview: Preview


def preview_edit(
    ws: Workspace,
    actor: Actor,
    org: str,
    path: str,
    base_version: int,
    change: Callable[[VersionView], str],
) -> EditPreview:
    """`change` (the face's edit: the version → its new text) made to version
    `base_version` and recomputed, in one session. Refused as a save would be before the
    edit is even read: an unusable edit says so only to someone who may edit."""
    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        d = readable_doc(s, actor, o, path)
        _require_case(d.kind, path)
        require_write(actor, org, subject(s, d), Kind.CASE, path)
        base = view(s, o, d, version_row(s, d, base_version))
        text = change(base)
        case, data = _read_edit(s, o, d.path, text)
    return EditPreview(base, text, Preview(_case_bundle(case, simulate=False), data))


def simulate_payback(
    ws: Workspace,
    actor: Actor,
    org: str,
    path: str,
    version: int | None,
    draws: int | None,
    seed: int | None,
    progress: Callable[[int, int], None] | None = None,
) -> float | None:
    from ..uncertainty.simulate import simulate

    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        d = readable_doc(s, actor, o, path)
        _require_case(d.kind, path)
        v = version_row(s, d, version)
        case = _parse(s, o, d.path, repo.content(s, v)[0] or "")
        vid = v.id
    if not has_uncertainty(case):
        return None
    n = draws or DEFAULT_DRAWS
    report = (lambda done: progress(done, n)) if progress is not None else None
    sim = simulate(case, n, DEFAULT_SEED if seed is None else seed, progress=report)
    p = float(sim.p_payback("service"))
    with ws.store.transaction() as s:  # a cache beside the immutable version, not the version
        cs = s.get(CaseSummary, vid)
        if cs is not None:
            cs.p_payback, cs.p_draws = p, n
    return p


def pool_bundle(
    ws: Workspace,
    actor: Actor,
    org: str,
    path: str,
    kind: Literal["status", "project", "select"],
    draws: int,
    seed: int | None,
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    from . import pool as pool_service

    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        d = readable_doc(s, actor, o, path)
        if d.kind != Kind.POOL.value:
            raise InputError(Msg("{path} er ikke en puljefil", path=path))
        with materialised(s, o.id) as root:
            lp = pool_service.load_pool(root / d.path)
            sd = DEFAULT_SEED if seed is None else seed
            if kind == "project":
                return pool_service.pool_projection(lp, draws=draws, seed=sd, progress=progress)
            if kind == "select":
                return pool_service.pool_selection(lp, draws=draws, seed=sd, progress=progress)
            return pool_service.pool_status(lp)


def followup_bundle(ws: Workspace, actor: Actor, org: str, path: str) -> Any:
    from ..followup.schema import parse_followup
    from . import followup as followup_service

    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        d = readable_doc(s, actor, o, path)
        if d.kind != Kind.FOLLOWUP.value:
            raise InputError(Msg("{path} er ikke en opfølgningsfil", path=path))
        v = version_row(s, d, None)
        fu, _ = parse_followup(repo.content(s, v)[0] or "", d.path)
        with materialised(s, o.id) as root:
            full = root / d.path
            return followup_service.followup_bundle(full.parent / fu.case, full)
