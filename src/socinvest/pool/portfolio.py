"""Portfolio: compare applications side by side and choose the set that maximises expected NPV
(or net savings over the horizon) within the pool's capital and rules, as an exact integer
programme (`scipy.optimize.milp`, HiGHS).

The cash constraint is cumulative: in every year t, what the chosen cases have been granted
minus what they have repaid up to t (plain calculation) must not exceed the capital available
up to t (opening balance + capital + injections). Approved applications are in, rejected ones
and those that break a rule are out; the rest are chosen. Why each case is in or out is said
as a lazy message (`Msg`, amounts as `Money`), worded by the face in its language, and what
the next-best alternative costs is found by solving again with the case forced the other way.

ROI (return on investment) = the case's net savings over its horizon (savings minus costs
minus investments, all lines, undiscounted) / its investments (all investment lines). ROI 0
means the case just earns its investment back; 1,5 means back plus 150 %.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from ..case.schema import Funding
from ..checks.findings import Finding, Num
from ..engine.resolve import evaluate
from ..i18n import Join, Msg
from .ledger import Ledger, build_ledger, cofunding_of
from .load import LoadedPool, to_pool_axis
from .params import SHORT, Money
from .risk import Projection
from .rules import check_pool, rule_text
from .schema import Status

RULE_CODES = (
    "POOL_PAYBACK_TOO_LONG",
    "POOL_GRANT_TOO_LARGE",
    "POOL_SHARE_TOO_LARGE",
    "POOL_REPAY_LATE",
)
"""Findings that break one of the pool's rules: such an application cannot be chosen."""
OBJECTIVES = ("npv", "savings")


@dataclass(frozen=True)
class Row:
    """One application in the comparison; amounts in the pool's unit."""

    id: str
    title: str
    status: str
    investment: float
    grant: float
    external: float
    own_net: float  # own net cost over the case's horizon (negative = net saving)
    net_savings: float  # -(sum of all lines over the horizon)
    payback_service: float
    payback_total: float
    npv: float
    expected_npv: float
    expected_savings: float
    roi: float
    p_payback_target: float | None  # None without draws
    target: int
    basis: str


def compare(lp: LoadedPool, ledger: Ledger, projection: Projection | None = None) -> list[Row]:
    """The applications side by side (plain figures; expected values and the probability of
    payback within the target from the simulation when `projection` has draws)."""
    rules = lp.pool.rules
    basis = rules.max_payback.basis if rules.max_payback else "total"
    rows = []
    for i, c in enumerate(ledger.cases):
        case = c.case
        res = evaluate(case)

        def ax(a, case=case):
            return to_pool_axis(lp.pool, case, a)

        inv = float(ax(res.investment).sum())
        ext = float(ax(res.total(funding=(Funding.EXTERNAL,))).sum() + cofunding_of(lp, i).sum())
        own = float(ax(res.own_net).sum() - cofunding_of(lp, i).sum())
        net = float(-ax(res.impact).sum())
        f = case.unit.factor / lp.pool.unit.factor
        npv = float(res.npv()[0]) * f
        target = rules.max_payback.years if rules.max_payback else len(case.horizon.years)
        sim = projection.sims.get(c.id) if projection is not None else None
        if sim is not None:
            e_npv = float(sim.data["npv"].mean()) * f
            e_sav = float(-sim.data["net"].sum(axis=0, dtype=np.float64).mean()) * f
            p_target = sim.p_payback(basis, target)
        else:
            e_npv, e_sav, p_target = npv, net, None
        rows.append(
            Row(
                c.id,
                c.title,
                c.app.decision.status.value,
                inv,
                float(c.granted.sum()),
                ext,
                own,
                net,
                float(res.payback("service")[0]),
                float(res.payback("total")[0]),
                npv,
                e_npv,
                e_sav,
                net / inv if inv > 0 else math.nan,
                p_target,
                target,
                basis,
            )
        )
    return rows


# -- the integer programme ----------------------------------------------------------------


@dataclass(frozen=True)
class Solved:
    x: np.ndarray | None  # 0/1 per application, None if infeasible
    objective: float
    status: str  # "optimal", "infeasible", "time limit", ...
    gap: float
    seconds: float
    nodes: int


def solve(
    values: np.ndarray,
    usage: np.ndarray,
    available: np.ndarray,
    lower: np.ndarray | None = None,
    upper: np.ndarray | None = None,
    time_limit: float | None = None,
) -> Solved:
    """max values·x s.t. usage @ x <= available, x binary within [lower, upper].

    `usage` (years, n): each application's outstanding amount (cumulative granted minus
    cumulative repaid) at the end of each year; `available` (years,): cumulative capital."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(values)
    lo = np.zeros(n) if lower is None else np.asarray(lower, float)
    hi = np.ones(n) if upper is None else np.asarray(upper, float)
    options = {"disp": False, "mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = time_limit
    t0 = time.perf_counter()
    res = milp(
        c=-np.asarray(values, float),
        constraints=LinearConstraint(usage, -np.inf, available),
        integrality=np.ones(n),
        bounds=Bounds(lo, hi),
        options=options,
    )
    dt = time.perf_counter() - t0
    status = {0: "optimal", 1: "time limit", 2: "infeasible", 3: "unbounded"}.get(
        res.status, f"status {res.status}"
    )
    if res.x is None:
        return Solved(
            None, math.nan, status, math.nan, dt, int(getattr(res, "mip_node_count", 0) or 0)
        )
    x = np.round(res.x).astype(int)
    gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    return Solved(
        x,
        float(np.asarray(values, float) @ x),
        status,
        gap,
        dt,
        int(getattr(res, "mip_node_count", 0) or 0),
    )


@dataclass(frozen=True)
class Choice:
    """Why an application is in or out: `why` is a code (approved, rejected, rule, infeasible,
    best, ranked, not_positive, no_room, no_gain), `reason` its message ('inde: …'/'ude: …'),
    `alternative_text` what choosing otherwise would cost (both worded by the face)."""

    id: str
    title: str
    status: str
    selected: bool
    value: float
    why: str
    reason: Msg
    alternative: float | None  # objective change if forced the other way (None: not tried)
    alternative_text: Msg | None


@dataclass(frozen=True)
class Selection:
    objective: str  # "npv" | "savings"
    expected: bool  # values are means over draws
    value: float
    solved: Solved
    choices: list[Choice]
    years: np.ndarray
    available: np.ndarray
    used: np.ndarray  # outstanding of the chosen set per year
    rows: list[Row] = field(default_factory=list)

    @property
    def chosen(self) -> list[str]:
        return [c.id for c in self.choices if c.selected]


def _decided(approved: bool, date: object) -> Msg:
    if approved:
        if date:
            return Msg("inde: allerede bevilget ({date})", date=str(date))
        return Msg("inde: allerede bevilget")
    if date:
        return Msg("ude: afvist ({date})", date=str(date))
    return Msg("ude: afvist")


def select(
    lp: LoadedPool,
    objective: str = "npv",
    projection: Projection | None = None,
    explain: bool = True,
) -> Selection:
    """The best set of applications (see the module's docstring)."""
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}; use npv or savings")
    pool, unit = lp.pool, lp.pool.unit

    def m(v: float) -> Money:
        return Money(float(v), unit)

    everyone = build_ledger(lp, scope="approved+pending")
    findings = check_pool(everyone)
    rows = compare(lp, everyone, projection)
    expected = projection is not None and projection.draws > 0
    values = np.array(
        [
            (r.expected_npv if objective == "npv" else r.expected_savings)
            if expected
            else (r.npv if objective == "npv" else r.net_savings)
            for r in rows
        ]
    )
    usage = np.stack([np.cumsum(c.granted) - np.cumsum(c.repaid[0]) for c in everyone.cases], 1)
    available = known = pool.opening + np.cumsum(everyone.capital + everyone.injections)
    if not everyone.capital_known:  # no capital given: no cash limit (POOL_CAPITAL_UNKNOWN);
        available = np.full(len(everyone.years), np.inf)  # shown: only what is known
    n = len(rows)
    lower, upper = np.zeros(n), np.ones(n)
    fixed: dict[int, str] = {}
    broken: dict[int, list[Finding]] = {}
    for i, c in enumerate(everyone.cases):
        st = c.app.decision.status
        if st is Status.APPROVED:
            lower[i] = 1
            fixed[i] = "approved"
        elif st is Status.REJECTED:
            upper[i] = 0
            fixed[i] = "rejected"
        else:
            bad = [f for f in findings if f.row == c.id and f.code in RULE_CODES]
            if bad:
                upper[i] = 0
                fixed[i] = "rule"
                broken[i] = bad
    solved = solve(values, usage, available, lower, upper)
    short = Msg(SHORT[objective])
    choices: list[Choice] = []
    x = solved.x if solved.x is not None else np.zeros(n, int)
    used = usage @ x
    free_in = [i for i in range(n) if x[i] and i not in fixed]
    per_krone = {i: values[i] / max(rows[i].grant, 1e-12) for i in free_in}
    ranked = sorted(free_in, key=lambda i: -per_krone[i])
    for i, c in enumerate(everyone.cases):
        r = rows[i]
        alt: float | None = None
        alt_text: Msg | None = None
        why = fixed.get(i, "")
        if why == "approved":
            reason = _decided(True, c.app.decision.date)
        elif why == "rejected":
            reason = _decided(False, c.app.decision.date)
        elif why == "rule":
            texts = Join(tuple(rule_text(f.message) for f in broken[i]), "; ")
            reason = Msg("ude: {texts}", texts=texts)
        elif solved.x is None:
            why = "infeasible"
            reason = Msg("ude: de bevilgede ansøgninger alene passer ikke i puljen")
        elif x[i]:
            k = ranked.index(i)
            if k == 0:
                why, reason = "best", Msg("inde: højeste {short} pr. krone", short=short)
            else:
                why = "ranked"
                reason = Msg(
                    "inde: {short} pr. krone {per_krone} (nr. {k} af {n} valgte)",
                    short=short,
                    per_krone=Num(float(per_krone[i]), 2),
                    k=k + 1,
                    n=len(ranked),
                )
        elif values[i] <= 0:
            why = "not_positive"
            reason = Msg("ude: {short} er ikke positiv ({value})", short=short, value=m(values[i]))
        else:
            over = used + usage[:, i] - available
            bad = over > 1e-9 * max(1.0, float(available.max(initial=1.0)))
            if bad.any():
                k = int(np.argmax(bad))
                why = "no_room"
                reason = Msg(
                    "ude: passer ikke i puljen i {year} (mangler {missing})",
                    year=int(everyone.years[k]),
                    missing=m(over[k]),
                )
            else:
                why, reason = "no_gain", Msg("ude: bidrager ikke til målet")
        if explain and solved.x is not None and (i not in fixed or fixed[i] == "rule"):
            lo2, hi2 = lower.copy(), upper.copy()
            lo2[i] = hi2[i] = 0 if x[i] else 1
            other = solve(values, usage, available, lo2, hi2)
            if other.x is None:
                alt = None
                if not x[i]:
                    alt_text = Msg("kan ikke komme ind: puljen har ikke plads, selv uden de andre")
            else:
                alt = other.objective - solved.objective
                if fixed.get(i) == "rule":
                    alt_text = (
                        Msg("med dispensation: målet stiger {amount}", amount=m(alt))
                        if alt > 0
                        else Msg("med dispensation: målet falder {amount}", amount=m(-alt))
                    )
                elif x[i]:
                    alt_text = Msg("uden den falder målet {drop}", drop=m(-alt))
                else:
                    alt_text = Msg("tvunget ind falder målet {drop}", drop=m(-alt))
        choices.append(
            Choice(
                c.id, r.title, r.status, bool(x[i]), float(values[i]), why, reason, alt, alt_text
            )
        )
    return Selection(
        objective,
        expected,
        solved.objective,
        solved,
        choices,
        everyone.years,
        known,
        used,
        rows,
    )
