"""The pool after the decision: repayments due against realised savings and repayments made.

Definitions (docs/followup.md, *The pool: repayments made*), on the pool's year axis and in the
pool's unit (`pool.load.to_pool_axis`):

- **Realised net savings** of a year: as the pool defines net savings (minus the net flow of
  the case's own-funded lines, plus external co-funding; docs/pool.md), with the actual flows
  of the observed period (cells not reported count as planned, `realised.mixed`).
- **Due**: what the pool's terms ask for on the realised savings (a fixed amount or schedule
  as agreed; a share of the realised positive net savings), capped at the grant — the ledger's
  own rule (`pool.ledger.scheduled_repayments`, `cap_repayments`).
- **Made**: the follow-up file's `repayments` (case unit, converted to the pool's).
- Findings in check's format, through the last observed year: `POOL_ARREARS` when at its end
  the repayments made fall short of those due (cumulative); `POOL_REPAID_WITHOUT_SAVINGS` for
  every year in which more was repaid than the realised net savings of that year ("repaid out
  of money that did not come").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..case.schema import Funding
from ..checks.findings import Finding
from ..engine.resolve import evaluate
from ..errors import InputError
from ..i18n import Join, Msg
from ..pool.ledger import (
    REL_TOL,
    Ledger,
    build_ledger,
    cap_repayments,
    cofunding_of,
    grant_of,
    net_savings,
    scheduled_repayments,
)
from ..pool.load import LoadedPool, to_pool_axis, unit_factor
from ..pool.params import Money
from .model import Actuals, readonly
from .realised import aligned, mixed, observed_through


@dataclass(frozen=True)
class RepaymentStatus:
    """One application's repayments after the fact. Arrays (pool years,), pool unit."""

    app_id: str
    unit: str
    years: np.ndarray
    through: int | None  # last observed calendar year (None: no actuals)
    realised: np.ndarray  # bool: the year's savings are realised (else planned)
    granted: np.ndarray
    savings: np.ndarray  # realised net savings where `realised`, planned elsewhere
    due: np.ndarray
    made: np.ndarray  # 0 where nothing was reported
    arrears: np.ndarray  # cumulative due - cumulative made (negative: ahead)
    findings: tuple[Finding, ...]

    @property
    def arrears_now(self) -> float:
        """Arrears at the end of the last observed year (0 with no actuals)."""
        if self.through is None:
            return 0.0
        return float(self.arrears[int(np.searchsorted(self.years, self.through))])


def made_vector(lp: LoadedPool, i: int, made: Mapping[int, float]) -> np.ndarray:
    """Repayments made per pool year in the pool's unit (NaN where none reported), from
    amounts in the case's unit; InputError for a year outside the pool's horizon."""
    pool, case = lp.pool, lp.cases[i]
    out = np.full(len(lp.years), np.nan)
    for y, v in made.items():
        if not pool.horizon.first <= int(y) <= pool.horizon.last:
            raise InputError(
                Msg(
                    "tilbagebetalingen i {year} ligger uden for puljens horisont {first}-{last}",
                    year=int(y),
                    first=pool.horizon.first,
                    last=pool.horizon.last,
                )
            )
        out[int(y) - pool.horizon.first] = float(v) * unit_factor(pool, case)
    return out


def app_index(lp: LoadedPool, app_id: str) -> int:
    ids = [a.id for a in lp.pool.applications]
    if app_id not in ids:
        raise InputError(
            Msg(
                "puljen har ingen ansøgning {id}; kendte: {known}",
                id=repr(app_id),
                known=", ".join(ids),
            )
        )
    return ids.index(app_id)


def repayment_status(
    lp: LoadedPool, app_id: str, actuals: Actuals, made: Mapping[int, float]
) -> RepaymentStatus:
    """Due against made for one application (module docstring)."""
    i = app_index(lp, app_id)
    pool, case, app = lp.pool, lp.cases[i], lp.pool.applications[i]
    years = lp.years
    own_mask = np.array([ln.funding is Funding.OWN for ln in case.lines], dtype=float)
    plan = evaluate(case).amounts[0]
    actual, observed = aligned(case, actuals)
    k = observed_through(observed)
    through = case.horizon.first + k - 1 if k else None
    own_real = to_pool_axis(pool, case, own_mask @ mixed(actual, observed, plan))
    own_plan = to_pool_axis(pool, case, own_mask @ plan)
    realised = years <= (through if through is not None else years[0] - 1)
    realised &= years >= case.horizon.first
    cof = cofunding_of(lp, i)
    planned_sav = net_savings(own_plan[None, :], cof, app.repayment, years)[0]
    sav = np.where(realised, -own_real + cof, planned_sav)
    g = grant_of(lp, i)
    due = cap_repayments(
        g, scheduled_repayments(app.repayment, sav[None, :], years, case.horizon.first)
    )[0]
    m = made_vector(lp, i, made)
    paid = np.nan_to_num(m)
    arrears = np.cumsum(due) - np.cumsum(paid)
    tol = REL_TOL * max(1.0, float(g.sum()), float(np.abs(sav).max(initial=0.0)))
    unit = pool.unit
    findings: list[Finding] = []

    def about(text: Msg) -> Join:
        return Join((f"'{app_id}'", text), ": ")

    if through is not None:
        end = int(np.searchsorted(years, min(through, int(years[-1]))))
        if through >= years[0] and arrears[end] > tol:
            msg = Msg(
                "ved udgangen af {year} er der forfaldet {due} i alt, men tilbagebetalt {paid}; "
                "restancen er {arrears}",
                year=int(years[end]),
                due=Money(float(np.cumsum(due)[end]), unit),
                paid=Money(float(np.cumsum(paid)[end]), unit),
                arrears=Money(float(arrears[end]), unit),
            )
            findings.append(
                Finding(
                    "POOL_ARREARS",
                    about(msg),
                    app_id,
                    int(years[end]),
                    float(np.cumsum(paid)[end]),
                    float(np.cumsum(due)[end]),
                )
            )
        for j in np.nonzero(realised & (paid > tol) & (paid > sav + tol))[0]:
            msg = Msg(
                "i {year} er der tilbagebetalt {paid}, men den realiserede nettobesparelse var "
                "{savings}",
                year=int(years[j]),
                paid=Money(float(paid[j]), unit),
                savings=Money(float(sav[j]), unit),
            )
            findings.append(
                Finding(
                    "POOL_REPAID_WITHOUT_SAVINGS",
                    about(msg),
                    app_id,
                    int(years[j]),
                    float(paid[j]),
                    float(sav[j]),
                )
            )
    return RepaymentStatus(
        app_id,
        unit.value,
        readonly(years.copy()),
        through,
        readonly(realised),
        readonly(g.copy()),
        readonly(sav),
        readonly(due),
        readonly(paid),
        readonly(arrears),
        tuple(findings),
    )


def ledger_with_repayments(
    lp: LoadedPool, made: Mapping[str, Mapping[int, float]], scope: str = "approved"
) -> Ledger:
    """The pool's ledger with the repayments actually made (application id -> year -> amount
    in the case's unit) in place of the terms for those years."""
    actual = {a: made_vector(lp, app_index(lp, a), m) for a, m in made.items()}
    return build_ledger(lp, scope=scope, actual=actual)
