"""The pool bundles: each computed once per command or request, then rendered by every face
(terminal, JSON, reports, later the web).

- `pool_status`: the ledger of the approved applications and the rule findings;
- `pool_projection`: the ledger with pending applications as granted, and its risk over the
  cases' simulations, with the rule findings;
- `pool_selection`: the chosen set (integer programme), the ledger of the chosen applications,
  the risk it was chosen on, and the findings about the chosen set.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..checks.findings import Finding
from ..pool.ledger import Ledger, build_ledger
from ..pool.load import LoadedPool
from ..pool.load import load_pool as _load_pool
from ..pool.portfolio import Selection, select
from ..pool.risk import Progress, Projection, project
from ..pool.rules import check_pool
from ..uncertainty.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from .case import load_case


def load_pool(path: str | Path) -> LoadedPool:
    """Read and validate a pool file and every case it refers to (cases resolved into data
    by the case service). Raises InputError naming file:line:col and key path."""
    return _load_pool(path, load_case)


@dataclass(frozen=True)
class StatusBundle:
    ledger: Ledger
    findings: tuple[Finding, ...]
    kind: Literal["status"] = "status"


@dataclass(frozen=True)
class ProjectionBundle:
    projection: Projection
    findings: tuple[Finding, ...]
    kind: Literal["project"] = "project"

    @property
    def ledger(self) -> Ledger:
        return self.projection.base


@dataclass(frozen=True)
class SelectionBundle:
    selection: Selection
    ledger: Ledger  # of the chosen applications (scope "chosen")
    findings: tuple[Finding, ...]  # about the chosen applications and the pool's balance
    projection: Projection | None  # the risk the values were taken from (None: plain)
    kind: Literal["select"] = "select"


PoolBundle = StatusBundle | ProjectionBundle | SelectionBundle


def pool_status(lp: LoadedPool) -> StatusBundle:
    """The ledger of the approved applications; every application not rejected is checked."""
    ledger = build_ledger(lp, scope="approved")
    return StatusBundle(ledger, tuple(check_pool(ledger)))


def pool_projection(
    lp: LoadedPool,
    scope: str = "approved+pending",
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> ProjectionBundle:
    """The ledger of `scope` and, with `draws` > 0, its risk over the cases' simulations
    (`progress(done, total)` as the draws go; the same numbers without it)."""
    proj = project(lp, scope, draws, seed, progress=progress)
    return ProjectionBundle(proj, tuple(check_pool(proj.base)))


def pool_selection(
    lp: LoadedPool,
    objective: str = "npv",
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> SelectionBundle:
    """The best set of applications on expected values over `draws` (plain values with 0;
    `progress(done, total)` as the draws go)."""
    proj = project(lp, "approved+pending", draws, seed, progress=progress) if draws > 0 else None
    sel = select(lp, objective, proj)
    chosen = set(sel.chosen)
    ledger = build_ledger(lp, include=chosen)
    findings = tuple(f for f in check_pool(ledger) if f.row in chosen or f.row == lp.pool.id)
    return SelectionBundle(sel, ledger, findings, proj)
