"""Check a pool's applications against its rules, and its balance; findings in the same format
as `check` (codes POOL_* in checks/findings.py, documented in docs/findings.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..checks.findings import Finding
from ..engine.resolve import evaluate
from .ledger import Ledger, requested_of
from .load import requested_from_case
from .schema import ShareRepayment, Status
from .text import BASIS_DA, money, years_text


@dataclass(frozen=True)
class RuleCheck:
    """The plain figures a rule is checked against, per application."""

    payback: dict[str, float]  # basis -> payback year (NaN: not within the horizon)
    grant: float
    share: float  # of the pool's total capital
    first_repayment: float  # calendar year, NaN if none


def rule_figures(ledger: Ledger) -> dict[str, RuleCheck]:
    out = {}
    total = ledger.total_capital
    for c in ledger.cases:
        res = evaluate(c.case)
        pb = {b: float(res.payback(b)[0]) for b in ("service", "total")}
        grant = float(c.granted.sum())
        rep = c.repaid[0]
        tol = 1e-9 * max(1.0, grant)
        first = float(ledger.years[np.argmax(rep > tol)]) if (rep > tol).any() else math.nan
        out[c.id] = RuleCheck(pb, grant, grant / total if total > 0 else math.inf, first)
    return out


def check_pool(ledger: Ledger) -> list[Finding]:
    """Findings for every application that is not rejected (its rules, repayment plan), and
    for the pool's balance in `ledger` (one draw: the plain calculation)."""
    lp = ledger.loaded
    pool, unit = lp.pool, lp.pool.unit
    rules = pool.rules
    figs = rule_figures(ledger)
    findings: list[Finding] = []
    for i, c in enumerate(ledger.cases):
        app, case = c.app, c.case
        if app.decision.status is Status.REJECTED:
            continue
        f = figs[c.id]
        row = app.id
        who = f"'{app.id}'"
        if rules.max_payback is not None:
            b, limit = rules.max_payback.basis, rules.max_payback.years
            pb = f.payback[b]
            if math.isnan(pb) or pb > limit:
                got = "ikke inden for casens horisont" if math.isnan(pb) else f"{pb:.0f} år"
                findings.append(
                    Finding(
                        "POOL_PAYBACK_TOO_LONG",
                        f"{who}: tilbagebetalingstid ({BASIS_DA[b]}) {got} > reglen {limit} år",
                        row=row,
                        stated=float(limit),
                        computed=None if math.isnan(pb) else pb,
                    )
                )
        if rules.max_grant is not None and f.grant > rules.max_grant * (1 + 1e-12):
            findings.append(
                Finding(
                    "POOL_GRANT_TOO_LARGE",
                    f"{who}: bevilling i alt {money(f.grant, unit)} > loftet "
                    f"{money(rules.max_grant, unit)}",
                    row=row,
                    stated=rules.max_grant,
                    computed=f.grant,
                )
            )
        if rules.max_share is not None and f.share > rules.max_share * (1 + 1e-12):
            findings.append(
                Finding(
                    "POOL_SHARE_TOO_LARGE",
                    f"{who}: {money(f.grant, unit)} er {f.share * 100:.0f} % af puljens samlede "
                    f"kapital ({money(ledger.total_capital, unit)}); reglen er højst "
                    f"{rules.max_share * 100:.0f} %",
                    row=row,
                    stated=rules.max_share,
                    computed=f.share,
                )
            )
        if rules.repay_start_by is not None and f.grant > 0:
            n = rules.repay_start_by
            deadline = case.horizon.first + n - 1
            if math.isnan(f.first_repayment) or f.first_repayment > deadline:
                got = (
                    "aldrig inden for perioden"
                    if math.isnan(f.first_repayment)
                    else f"i {f.first_repayment:.0f} (casens år "
                    f"{f.first_repayment - case.horizon.first + 1:.0f})"
                )
                findings.append(
                    Finding(
                        "POOL_REPAY_LATE",
                        f"{who}: tilbagebetalingen begynder {got}; reglen er senest casens år "
                        f"{n} ({deadline})",
                        row=row,
                        year=None if math.isnan(f.first_repayment) else int(f.first_repayment),
                        stated=float(n),
                        computed=None
                        if math.isnan(f.first_repayment)
                        else f.first_repayment - case.horizon.first + 1,
                    )
                )
        if not isinstance(app.repayment, ShareRepayment):
            cum_sav = np.cumsum(c.savings[0])
            cum_rep = np.cumsum(c.repaid[0])
            tol = 1e-6 * max(1.0, f.grant)
            bad = (cum_rep > tol) & (cum_rep > cum_sav + tol)
            if bad.any():
                k = int(np.argmax(bad))
                findings.append(
                    Finding(
                        "POOL_REPAY_BEFORE_SAVINGS",
                        f"{who}: i {ledger.years[k]} er der tilbagebetalt "
                        f"{money(cum_rep[k], unit)} i alt, men casens samlede nettobesparelse "
                        f"til og med {ledger.years[k]} er {money(cum_sav[k], unit)}",
                        row=row,
                        year=int(ledger.years[k]),
                        stated=float(cum_rep[k]),
                        computed=float(cum_sav[k]),
                    )
                )
        if f.grant > 0 and math.isnan(c.repaid_year[0]):
            left = float(c.outstanding[0, -1])
            findings.append(
                Finding(
                    "POOL_NOT_REPAID",
                    f"{who}: {money(left, unit)} af {money(f.grant, unit)} er ikke "
                    f"tilbagebetalt ved udgangen af {ledger.years[-1]}",
                    row=row,
                    year=int(ledger.years[-1]),
                    stated=f.grant,
                    computed=f.grant - left,
                )
            )
        if app.requested is not None:
            from_case = requested_from_case(pool, case)
            asked = requested_of(lp, i)
            if from_case.any() and abs(from_case.sum() - asked.sum()) > 0.5:
                findings.append(
                    Finding(
                        "POOL_REQUEST_DIFFERS",
                        f"{who}: ansøgt {money(asked.sum(), unit)}, men casens linjer med "
                        f"funding: pool er {money(from_case.sum(), unit)}",
                        row=row,
                        stated=float(asked.sum()),
                        computed=float(from_case.sum()),
                    )
                )
    closing = ledger.closing[0]
    neg = closing < -1e-9 * max(1.0, ledger.total_capital)
    if neg.any():
        k = int(np.argmax(neg))
        findings.append(
            Finding(
                "POOL_NEGATIVE_BALANCE",
                f"puljens saldo er negativ ved udgangen af {ledger.years[k]}: "
                f"{money(closing[k], unit)} (negativ i {years_text(list(ledger.years[neg]))}; "
                f"omfatter {SCOPE_DA[ledger.scope]})",
                row=pool.id,
                year=int(ledger.years[k]),
                computed=float(closing[k]),
            )
        )
    return findings


SCOPE_DA = {
    "approved": "bevilgede ansøgninger",
    "approved+pending": "bevilgede og verserende ansøgninger",
    "chosen": "de valgte ansøgninger",
}
