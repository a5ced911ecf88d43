"""Computed bundles of stored documents: a case version's bundle (cached per version), the
preview of an unsaved edit, P(payback) stored beside its version, and the pool and follow-up
bundles over the organisation's latest files (written out for the file-based services)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.orm import Session

from ..errors import InputError
from ..i18n import Msg
from ..store import repo
from ..store.models import CaseSummary, Kind, Organisation
from ..uncertainty.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from ._ws_access import Actor, require_write
from ._ws_parse import names_files
from ._ws_tree import materialised
from ._ws_views import clean_path, org_row, readable_doc, subject, version_row
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


def _parse(s: Session, o: Organisation, path: str, text: str) -> Any:
    if names_files(text):  # ladder lines and catalogues: files relative to the case
        with materialised(s, o.id, {path: text}) as root:
            return parse_case(text, path, (root / path).parent)
    return parse_case(text, path, Path("/nonexistent"))


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
        key = (v.id, simulate)
        hit = ws.bundles.get(key)
        if hit is not None:
            return hit
        case = _parse(s, o, d.path, v.text or "")
    return _remember(ws, key, _case_bundle(case, simulate=simulate))


def preview(ws: Workspace, actor: Actor, org: str, path: str, text: str) -> CaseBundle:
    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        # a preview is the first step of a save: only for someone who may save it
        d = repo.document(s, o.id, clean_path(path))
        require_write(actor, org, subject(s, d) if d is not None else None, Kind.CASE, path)
        case = _parse(s, o, clean_path(path), text)
    return _case_bundle(case, simulate=False)


def simulate_payback(
    ws: Workspace,
    actor: Actor,
    org: str,
    path: str,
    version: int | None,
    draws: int | None,
    seed: int | None,
) -> float | None:
    from ..uncertainty.simulate import simulate

    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        d = readable_doc(s, actor, o, path)
        _require_case(d.kind, path)
        v = version_row(s, d, version)
        case = _parse(s, o, d.path, v.text or "")
        vid = v.id
    if not has_uncertainty(case):
        return None
    n = draws or DEFAULT_DRAWS
    sim = simulate(case, n, DEFAULT_SEED if seed is None else seed)
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
                return pool_service.pool_projection(lp, draws=draws, seed=sd)
            if kind == "select":
                return pool_service.pool_selection(lp, draws=draws, seed=sd)
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
        fu, _ = parse_followup(v.text or "", d.path)
        with materialised(s, o.id) as root:
            full = root / d.path
            return followup_service.followup_bundle(full.parent / fu.case, full)
