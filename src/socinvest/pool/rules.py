"""Check a pool's applications against its rules, and its balance; findings in the same format
as `check` (codes POOL_* in checks/findings.py, documented in docs/findings.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..checks.findings import Finding
from ..engine.resolve import evaluate
from socinvest.reports.pool.labels import LABELS, labels
from .ledger import Ledger, requested_of
from .load import requested_from_case
from .schema import ShareRepayment, Status
from socinvest.reports.pool.text import money, years_text


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


def check_pool(ledger: Ledger, lang: str = "da") -> list[Finding]:
    """Findings for every application that is not rejected (its rules, repayment plan), and
    for the pool's balance in `ledger` (one draw: the plain calculation). Messages are in
    `lang` ('da' or 'en'); the codes and figures are the same in every language."""
    L = labels(lang)

    def m(v: float) -> str:
        return money(v, unit, lang)

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
                got = L["not_in_horizon"] if math.isnan(pb) else L["n_years"].format(n=pb)
                findings.append(
                    Finding(
                        "POOL_PAYBACK_TOO_LONG",
                        L["payback_too_long"].format(
                            who=who, basis=L["basis"][b], got=got, limit=limit
                        ),
                        row=row,
                        stated=float(limit),
                        computed=None if math.isnan(pb) else pb,
                    )
                )
        if rules.max_grant is not None and f.grant > rules.max_grant * (1 + 1e-12):
            findings.append(
                Finding(
                    "POOL_GRANT_TOO_LARGE",
                    L["grant_too_large"].format(
                        who=who, grant=m(f.grant), limit=m(rules.max_grant)
                    ),
                    row=row,
                    stated=rules.max_grant,
                    computed=f.grant,
                )
            )
        if rules.max_share is not None and f.share > rules.max_share * (1 + 1e-12):
            findings.append(
                Finding(
                    "POOL_SHARE_TOO_LARGE",
                    L["share_too_large"].format(
                        who=who,
                        grant=m(f.grant),
                        share=f.share * 100,
                        total=m(ledger.total_capital),
                        limit=rules.max_share * 100,
                    ),
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
                    L["repay_never"]
                    if math.isnan(f.first_repayment)
                    else L["repay_in"].format(
                        year=f.first_repayment,
                        case_year=f.first_repayment - case.horizon.first + 1,
                    )
                )
                findings.append(
                    Finding(
                        "POOL_REPAY_LATE",
                        L["repay_late"].format(who=who, got=got, n=n, deadline=deadline),
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
                        L["repay_before_savings"].format(
                            who=who,
                            year=ledger.years[k],
                            repaid=m(cum_rep[k]),
                            saved=m(cum_sav[k]),
                        ),
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
                    L["not_repaid"].format(
                        who=who, left=m(left), grant=m(f.grant), year=ledger.years[-1]
                    ),
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
                        L["request_differs"].format(
                            who=who, asked=m(asked.sum()), from_case=m(from_case.sum())
                        ),
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
                L["negative_balance"].format(
                    year=ledger.years[k],
                    amount=m(closing[k]),
                    years=years_text(list(ledger.years[neg])),
                    scope=L["scope"][ledger.scope],
                ),
                row=pool.id,
                year=int(ledger.years[k]),
                computed=float(closing[k]),
            )
        )
    return findings


SCOPE_DA = LABELS["da"]["scope"]
