"""Check a pool's applications against its rules, and its balance; findings in the same format
as `check` (codes POOL_* in checks/findings.py, documented in docs/findings.md).

A finding's message is a lazy `Msg` (`Join` of the application's id and the rule's text) whose
amounts are `Money` and whose words are msgids: the face words it in its language
(`render(msg, lang)`, `Finding.text(lang)`); the codes and figures are the same in every
language."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..checks.findings import Finding, basis
from ..engine.resolve import evaluate
from ..i18n import Join, Msg
from .ledger import Ledger, requested_of
from .load import requested_from_case
from .params import SCOPE, Money, years_text
from .schema import ShareRepayment, Status


@dataclass(frozen=True)
class RuleCheck:
    """The plain figures a rule is checked against, per application."""

    payback: dict[str, float]  # basis -> payback year (NaN: not within the horizon)
    grant: float
    share: float  # of the pool's total capital
    first_repayment: float  # calendar year, NaN if none


def rule_figures(ledger: Ledger) -> dict[str, RuleCheck]:
    out = {}
    total = ledger.total_capital if ledger.capital_known else math.nan
    for c in ledger.cases:
        res = evaluate(c.case)
        pb = {b: float(res.payback(b)[0]) for b in ("service", "total")}
        grant = float(c.granted.sum())
        rep = c.repaid[0]
        tol = 1e-9 * max(1.0, grant)
        first = float(ledger.years[np.argmax(rep > tol)]) if (rep > tol).any() else math.nan
        share = math.nan if math.isnan(total) else grant / total if total > 0 else math.inf
        out[c.id] = RuleCheck(pb, grant, share, first)
    return out


def about(app_id: str, text: Msg) -> Join:
    """`'app-id': text` -- the message of a finding about one application."""
    return Join((f"'{app_id}'", text), ": ")


def rule_text(message: object) -> object:
    """The rule's text of a finding about one application (without the application's id)."""
    return message.parts[-1] if isinstance(message, Join) else message


def check_pool(ledger: Ledger) -> list[Finding]:
    """Findings for every application that is not rejected (its rules, repayment plan), and
    for the pool's balance in `ledger` (one draw: the plain calculation)."""
    lp = ledger.loaded
    pool, unit = lp.pool, lp.pool.unit

    def m(v: float) -> Money:
        return Money(float(v), unit)

    rules = pool.rules
    figs = rule_figures(ledger)
    findings: list[Finding] = []

    def add(
        code: str,
        app_id: str,
        text: Msg,
        year: int | None = None,
        stated: float | None = None,
        computed: float | None = None,
    ) -> None:
        findings.append(Finding(code, about(app_id, text), app_id, year, stated, computed))

    for i, c in enumerate(ledger.cases):
        app, case = c.app, c.case
        if app.decision.status is Status.REJECTED:
            continue
        f = figs[c.id]
        if rules.max_payback is not None:
            b, limit = rules.max_payback.basis, rules.max_payback.years
            pb = f.payback[b]
            if math.isnan(pb) or pb > limit:
                got = (
                    Msg("ikke inden for casens horisont")
                    if math.isnan(pb)
                    else Msg.plural_of("{n} år", "{n} år", round(pb))
                )
                text = Msg(
                    "tilbagebetalingstid ({basis}) {got} > reglen {limit} år",
                    basis=basis(b),
                    got=got,
                    limit=limit,
                )
                add(
                    "POOL_PAYBACK_TOO_LONG",
                    app.id,
                    text,
                    stated=float(limit),
                    computed=None if math.isnan(pb) else pb,
                )
        if rules.max_grant is not None and f.grant > rules.max_grant * (1 + 1e-12):
            text = Msg(
                "bevilling i alt {grant} > loftet {limit}",
                grant=m(f.grant),
                limit=m(rules.max_grant),
            )
            add(
                "POOL_GRANT_TOO_LARGE",
                app.id,
                text,
                stated=rules.max_grant,
                computed=f.grant,
            )
        if (
            rules.max_share is not None
            and not math.isnan(f.share)  # capital unknown: the share cannot be judged
            and f.share > rules.max_share * (1 + 1e-12)
        ):
            text = Msg(
                "{grant} er {share} % af puljens samlede kapital ({total}); "
                "reglen er højst {limit} %",
                grant=m(f.grant),
                share=_pct(f.share),
                total=m(ledger.total_capital),
                limit=_pct(rules.max_share),
            )
            add(
                "POOL_SHARE_TOO_LARGE",
                app.id,
                text,
                stated=rules.max_share,
                computed=f.share,
            )
        if rules.repay_start_by is not None and f.grant > 0:
            n = rules.repay_start_by
            deadline = case.horizon.first + n - 1
            if math.isnan(f.first_repayment) or f.first_repayment > deadline:
                first = None if math.isnan(f.first_repayment) else int(f.first_repayment)
                case_year = None if first is None else first - case.horizon.first + 1
                got = (
                    Msg("aldrig inden for perioden")
                    if first is None
                    else Msg("i {year} (casens år {case_year})", year=first, case_year=case_year)
                )
                text = Msg(
                    "tilbagebetalingen begynder {got}; reglen er senest casens år {n} ({deadline})",
                    got=got,
                    n=n,
                    deadline=deadline,
                )
                add(
                    "POOL_REPAY_LATE",
                    app.id,
                    text,
                    year=first,
                    stated=float(n),
                    computed=None if case_year is None else float(case_year),
                )
        if not isinstance(app.repayment, ShareRepayment):
            cum_sav = np.cumsum(c.savings[0])
            cover = c.deficit_cover  # the grant's cover of the running deficit, cumulative
            cum_rep = np.cumsum(c.repaid[0])
            tol = 1e-6 * max(1.0, f.grant)
            bad = (cum_rep > tol) & (cum_rep > cum_sav + cover + tol)  # net of the grant
            if bad.any():
                k = int(np.argmax(bad))
                year = int(ledger.years[k])
                if cover[k] > tol:
                    text = Msg(
                        "i {year} er der tilbagebetalt {repaid} i alt, men casens samlede "
                        "nettobesparelse til og med {year} er {saved}, også når bevillingens "
                        "dækning af driftsunderskuddet ({cover}) regnes med",
                        year=year,
                        repaid=m(cum_rep[k]),
                        saved=m(cum_sav[k]),
                        cover=m(cover[k]),
                    )
                else:
                    text = Msg(
                        "i {year} er der tilbagebetalt {repaid} i alt, men casens samlede "
                        "nettobesparelse til og med {year} er {saved}",
                        year=year,
                        repaid=m(cum_rep[k]),
                        saved=m(cum_sav[k]),
                    )
                add(
                    "POOL_REPAY_BEFORE_SAVINGS",
                    app.id,
                    text,
                    year=year,
                    stated=float(cum_rep[k]),
                    computed=float(cum_sav[k] + cover[k]),
                )
        if f.grant > 0 and math.isnan(c.repaid_year[0]):
            left = float(c.outstanding[0, -1])
            last = int(ledger.years[-1])
            text = Msg(
                "{left} af {grant} er ikke tilbagebetalt ved udgangen af {year}",
                left=m(left),
                grant=m(f.grant),
                year=last,
            )
            add(
                "POOL_NOT_REPAID",
                app.id,
                text,
                year=last,
                stated=f.grant,
                computed=f.grant - left,
            )
        if app.requested is not None:
            from_case = requested_from_case(pool, case)
            asked = requested_of(lp, i)
            if from_case.any() and abs(from_case.sum() - asked.sum()) > 0.5:
                text = Msg(
                    "ansøgt {asked}, men casens linjer med funding: pool er {from_case}",
                    asked=m(asked.sum()),
                    from_case=m(from_case.sum()),
                )
                add(
                    "POOL_REQUEST_DIFFERS",
                    app.id,
                    text,
                    stated=float(asked.sum()),
                    computed=float(from_case.sum()),
                )
    if not ledger.capital_known:
        text = Msg(
            "puljens kapital er ikke angivet: reglen om en cases andel af kapitalen og "
            "puljens saldo kontrolleres ikke"
        )
        findings.append(Finding("POOL_CAPITAL_UNKNOWN", text, row=pool.id))
        return findings
    closing = ledger.closing[0]
    neg = closing < -1e-9 * max(1.0, ledger.total_capital)
    if neg.any():
        k = int(np.argmax(neg))
        year = int(ledger.years[k])
        text = Msg(
            "puljens saldo er negativ ved udgangen af {year}: {amount} (negativ i {years}; "
            "omfatter {scope})",
            year=year,
            amount=m(closing[k]),
            years=years_text(list(ledger.years[neg])),
            scope=Msg(SCOPE[ledger.scope]),
        )
        findings.append(
            Finding(
                "POOL_NEGATIVE_BALANCE",
                text,
                row=pool.id,
                year=year,
                computed=float(closing[k]),
            )
        )
    return findings


def _pct(share: float) -> str:
    """A share as a whole percentage, '56' (the same in both languages below 1.000)."""
    return f"{share * 100:.0f}"
