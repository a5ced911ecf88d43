"""The pool's ledger per year, vectorised over draws: arrays of shape (draws, years) on the
pool's year axis, in the pool's unit. A plain (deterministic) ledger is one draw; the risk
projection runs the same code on the per-draw net savings of every case.

Definitions (docs/pool.md):

- **Net savings** of a case in a year: minus the net flow of its lines with `funding: own`
  (spending convention), plus external co-funding given in the pool file. Lines funded by
  the pool are paid by the grant and external lines by others, so neither counts. Realised
  savings given in the pool file replace the computed ones for their years.
- **Repayment** per year: what the terms schedule (a fixed amount, a custom schedule, or a
  share of the year's positive net savings from the start year), but never more than is
  outstanding: cumulative repaid R[y] = min(R[y-1] + s[y], G[y]) with G the cumulative grant.
  Unrolled, R = S + min(0, running min of (G - S)) with S the cumulative schedule, which is
  one `np.minimum.accumulate` over the year axis: no Python loop over draws or years.
- **Deficit cover**: a grant may finance a running deficit, not only investment lines: what
  is granted beyond the case's pool-funded investment lines (cumulatively, never below 0) paid
  part of its net running cost. Repayments are judged against net savings *net of the grant*:
  cumulative net savings + deficit cover.
- **On schedule**: the grant is repaid in full within the horizon, and (a) for a fixed or
  custom schedule, the case's cumulative net savings (net of the grant) cover its cumulative
  repayments in every year; (b) for a share of savings, it is repaid no later than in the plain
  calculation.
- **Capital unknown**: a pool file may omit `capital`; the ledger then counts no capital
  (`capital_known` is False) and the rules on capital and balance are not checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ..case.schema import Case, Funding
from ..checks.findings import Finding
from .load import LoadedPool, requested_from_case, to_pool_axis, year_vector
from .schema import Application, FixedRepayment, ScheduleRepayment, ShareRepayment, Status

REL_TOL = 1e-5
"""Relative tolerance for 'repaid in full' and 'covered' (per-draw nets are float32)."""


# -- the arithmetic -----------------------------------------------------------------------


def cap_repayments(granted: np.ndarray, scheduled: np.ndarray) -> np.ndarray:
    """Repayments per year: the schedule, capped so that the cumulative repaid never exceeds
    the cumulative granted. `granted` (years,) or (draws, years); `scheduled` (draws, years)."""
    g = np.cumsum(granted, axis=-1)
    s = np.cumsum(scheduled, axis=-1)
    slack = np.minimum.accumulate(g - s, axis=-1)
    repaid_cum = s + np.minimum(slack, 0.0)
    return np.diff(repaid_cum, axis=-1, prepend=0.0)


def scheduled_repayments(
    terms, savings: np.ndarray, years: np.ndarray, case_first: int
) -> np.ndarray:
    """What the terms ask for each year before the cap, shape (draws, years)."""
    draws = savings.shape[0]
    if isinstance(terms, FixedRepayment):
        on = (years >= terms.start) & (years < terms.start + terms.years)
        return np.broadcast_to(np.where(on, terms.amount, 0.0), (draws, len(years)))
    if isinstance(terms, ScheduleRepayment):
        v = year_vector_for(terms.amounts, years)
        return np.broadcast_to(v, (draws, len(years)))
    if isinstance(terms, ShareRepayment):
        start = case_first if terms.start is None else terms.start
        return terms.share * np.maximum(savings, 0.0) * (years >= start)
    raise TypeError(type(terms))  # pragma: no cover


def with_actual(granted: np.ndarray, scheduled: np.ndarray, made: np.ndarray) -> np.ndarray:
    """Repayments when some were actually made (`made`, (years,), NaN where none reported):
    those are taken as made, in full; the terms schedule the other years, capped at what is
    still outstanding after every repayment made (never below zero)."""
    a = np.nan_to_num(made)
    future = np.where(np.isnan(made), scheduled, 0.0)
    rest = np.maximum(cap_repayments(granted - a, future), 0.0)
    return a + rest


def year_vector_for(v, years: np.ndarray, fill: float = 0.0) -> np.ndarray:
    from ..case.years import to_vector

    return to_vector(v, years, fill)


def net_savings(own: np.ndarray, cofunding: np.ndarray, terms, years: np.ndarray) -> np.ndarray:
    """Net savings per draw and year: -(own-funded flow) + co-funding; realised years replace."""
    sav = -own + cofunding
    if isinstance(terms, ShareRepayment) and terms.realised is not None:
        real = year_vector_for(terms.realised, years, np.nan)
        sav = np.where(np.isnan(real), sav, real)
    return sav


def first_year(mask: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Calendar year of the first True along the last axis, per draw; NaN if none."""
    found = mask.any(axis=-1)
    return np.where(found, years[mask.argmax(axis=-1)].astype(float), np.nan)


# -- the ledger ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseLedger:
    """One application in the ledger. Arrays are (draws, years) unless noted."""

    app: Application
    case: Case
    included: bool  # counted in the pool's balance
    granted: np.ndarray  # (years,)
    savings: np.ndarray
    scheduled: np.ndarray
    repaid: np.ndarray
    outstanding: np.ndarray
    repaid_year: np.ndarray  # (draws,): calendar year repaid in full, NaN if not
    on_schedule: np.ndarray  # (draws,) bool
    made: np.ndarray | None = None  # (years,) actual repayments made (follow-up); NaN: none
    cover: np.ndarray | None = None  # (years,) cumulative grant financing the running deficit

    @property
    def deficit_cover(self) -> np.ndarray:
        """Cumulative grant beyond the pool-funded investment lines, per year (0 if none)."""
        return np.zeros(len(self.granted)) if self.cover is None else self.cover

    @property
    def id(self) -> str:
        return self.app.id

    @property
    def title(self) -> str:
        return self.app.title or self.case.title


@dataclass(frozen=True)
class Ledger:
    """The pool per year. `opening`, `repayments`, `closing` are (draws, years)."""

    loaded: LoadedPool
    years: np.ndarray
    capital: np.ndarray  # (years,)
    injections: np.ndarray  # (years,)
    grants: np.ndarray  # (years,)
    repayments: np.ndarray
    opening: np.ndarray
    closing: np.ndarray
    cases: list[CaseLedger]
    scope: str  # "approved" or "approved+pending"
    findings: list[Finding] = field(default_factory=list)

    @property
    def draws(self) -> int:
        return self.closing.shape[0]

    def case(self, app_id: str) -> CaseLedger:
        return next(c for c in self.cases if c.id == app_id)

    @property
    def total_capital(self) -> float:
        return float(self.loaded.pool.opening + self.capital.sum() + self.injections.sum())

    @property
    def capital_known(self) -> bool:
        """False when the pool file omits `capital`: no capital or balance rule is checked."""
        return self.loaded.pool.capital is not None


def grant_of(lp: LoadedPool, i: int) -> np.ndarray:
    """Granted (approved) or requested amounts per pool year, in the pool's unit."""
    app = lp.pool.applications[i]
    if app.decision.status is Status.APPROVED and app.decision.granted is not None:
        return year_vector(lp.pool, app.decision.granted)
    return requested_of(lp, i)


def requested_of(lp: LoadedPool, i: int) -> np.ndarray:
    app = lp.pool.applications[i]
    if app.requested is not None:
        return year_vector(lp.pool, app.requested)
    return requested_from_case(lp.pool, lp.cases[i])


def cofunding_of(lp: LoadedPool, i: int) -> np.ndarray:
    cf = lp.pool.applications[i].cofunding
    return year_vector(lp.pool, cf.amounts) if cf is not None else np.zeros(len(lp.years))


def base_own_flows(lp: LoadedPool) -> dict[str, np.ndarray]:
    """Own-funded net flow of every case (1, years) on the pool axis: the plain calculation."""
    from ..engine.resolve import evaluate

    out = {}
    for app, case in zip(lp.pool.applications, lp.cases, strict=True):
        res = evaluate(case)
        out[app.id] = to_pool_axis(lp.pool, case, res.total(funding=(Funding.OWN,)))
    return out


def deficit_cover(granted: np.ndarray, pool_lines: np.ndarray) -> np.ndarray:
    """Cumulative grant that finances the case's running deficit: the cumulative grant beyond
    its cumulative pool-funded investment lines, never below 0. (years,)"""
    return np.maximum(np.cumsum(granted) - np.cumsum(pool_lines), 0.0)


def in_scope(app: Application, scope: str) -> bool:
    if app.decision.status is Status.APPROVED:
        return True
    return scope == "approved+pending" and app.decision.status is Status.PENDING


def build_ledger(
    lp: LoadedPool,
    own: Mapping[str, np.ndarray] | None = None,
    scope: str = "approved",
    planned: Mapping[str, float] | None = None,
    include: set[str] | None = None,
    actual: Mapping[str, np.ndarray] | None = None,
) -> Ledger:
    """The ledger for the applications in `scope` ("approved" or "approved+pending"; pending
    ones as if granted what they request). `own`: per application, its own-funded net flow
    (draws, years) on the pool axis (default: the plain calculation, one draw). `planned`:
    per share-of-savings application, the year it is repaid in the plain calculation (for
    'on schedule'; default: this ledger's own). `include`: exactly these applications count
    in the balance (scope "chosen"), whatever their status. `actual`: per application, the
    repayments actually made per pool year (NaN where none reported; follow-up), which replace
    the terms in those years (`with_actual`)."""
    if include is not None:
        scope = "chosen"
    if scope not in ("approved", "approved+pending", "chosen"):
        raise ValueError(f"unknown scope {scope!r}")
    pool, years = lp.pool, lp.years
    own = base_own_flows(lp) if own is None else own
    draws = max(v.shape[0] for v in own.values())
    capital = year_vector(pool, pool.capital) if pool.capital is not None else np.zeros(len(years))
    injections = np.zeros(len(years))
    for inj in pool.injections:
        injections[inj.year - years[0]] += inj.amount
    grants = np.zeros(len(years))
    repayments = np.zeros((draws, len(years)))
    cases: list[CaseLedger] = []
    for i, (app, case) in enumerate(zip(pool.applications, lp.cases, strict=True)):
        included = app.id in include if include is not None else in_scope(app, scope)
        g = grant_of(lp, i)
        o = np.broadcast_to(own[app.id], (draws, len(years)))
        sav = net_savings(o, cofunding_of(lp, i), app.repayment, years)
        sched = scheduled_repayments(app.repayment, sav, years, case.horizon.first)
        made = None if actual is None else actual.get(app.id)
        rep = cap_repayments(g, sched) if made is None else with_actual(g, sched, made)
        out = np.cumsum(g) - np.cumsum(rep, axis=-1)
        cover = (
            np.zeros(len(years))  # the grant is exactly the pool-funded lines
            if app.requested is None and app.decision.granted is None
            else deficit_cover(g, requested_from_case(pool, case))
        )
        scale = max(1.0, float(g.sum()), float(np.abs(sav).max(initial=0.0)))
        tol = REL_TOL * scale
        done = out <= tol
        # repaid in full: outstanding stays at zero from that year on, after the last grant
        last_grant = int(np.nonzero(g > tol)[0].max()) if (g > tol).any() else 0
        done[:, :last_grant] = False
        done_all = np.logical_and.accumulate(done[:, ::-1], axis=-1)[:, ::-1]
        repaid_year = first_year(done_all, years) if g.sum() > tol else np.full(draws, np.nan)
        if isinstance(app.repayment, ShareRepayment):
            plan = (planned or {}).get(app.id)
            if plan is None:
                on = ~np.isnan(repaid_year)
            else:
                on = ~np.isnan(repaid_year) & (repaid_year <= plan)
        else:
            cum_rep = np.cumsum(rep, axis=-1)
            cum_sav = np.cumsum(sav, axis=-1) + cover  # net of the grant
            covered = ((cum_rep <= tol) | (cum_sav >= cum_rep - tol)).all(axis=-1)
            on = covered & ~np.isnan(repaid_year)
        if g.sum() <= tol:
            on = np.ones(draws, dtype=bool)
        cases.append(
            CaseLedger(app, case, included, g, sav, sched, rep, out, repaid_year, on, made, cover)
        )
        if included:
            grants += g
            repayments += rep
    flow = capital + injections - grants + repayments
    closing = pool.opening + np.cumsum(flow, axis=-1)
    opening = np.concatenate([np.full((draws, 1), pool.opening), closing[:, :-1]], axis=1)
    return Ledger(
        lp, years, capital, injections, grants, repayments, opening, closing, cases, scope
    )


def planned_years(ledger: Ledger) -> dict[str, float]:
    """Year each application is repaid in full in a plain (one-draw) ledger."""
    return {c.id: float(c.repaid_year[0]) for c in ledger.cases}
