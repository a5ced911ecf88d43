"""The pool's outputs as data: a document of tables (for the terminal, xlsx, html and docx) and
JSON dicts. Everything is computed before; this module only chooses and labels, in the
document's language (labels.py; 'da' by default, 'en' with `--lang en`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from socinvest.checks.findings import Finding
from socinvest.reports.pool.labels import labels
from socinvest.pool.ledger import Ledger
from socinvest.pool.portfolio import Selection
from socinvest.pool.risk import Projection
from socinvest.reports.pool.text import num, unit_text

Cell = str | float | int | None


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str | None = None
    decimals: int = 0  # for float cells


@dataclass(frozen=True)
class PoolDocument:
    title: str
    lines: list[str]  # what, unit, p/l, horizon
    tables: list[Table]
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)
    balance: dict | None = None  # for the chart: years, plain, p5/p50/p95
    lang: str = "da"  # language of every text above, and of the faces' own words


def _nan(v: float) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def pool_unit(ledger: Ledger) -> str:
    return ledger.loaded.pool.unit.value


def _heading(ledger: Ledger, what: str, lang: str) -> tuple[str, list[str]]:
    L = labels(lang)
    pool = ledger.loaded.pool
    lines = [
        f"{L[what]} · {L['scope'][ledger.scope]}",
        L["amounts_in"].format(
            unit=unit_text(pool.unit, lang),
            price_level=pool.price_level,
            first=pool.horizon.first,
            last=pool.horizon.last,
        ),
    ]
    levels = sorted({c.case.price_level for c in ledger.cases} - {pool.price_level})
    if levels:
        lines.append(L["other_levels"].format(levels=", ".join(str(x) for x in levels)))
    return pool.title, lines


def _balance(ledger: Ledger) -> dict:
    return {
        "years": [int(y) for y in ledger.years],
        "plain": [float(x) for x in ledger.closing[0]],
        "unit": ledger.loaded.pool.unit.value,
    }


def ledger_tables(ledger: Ledger, draw: int = 0, lang: str = "da") -> list[Table]:
    L = labels(lang)
    years = [str(y) for y in ledger.years]
    pool_rows = [
        [L["r_opening"], *ledger.opening[draw]],
        [L["r_capital"], *ledger.capital],
        [L["r_injections"], *ledger.injections],
        [L["r_grants"], *(-ledger.grants)],
        [L["r_repayments"], *ledger.repayments[draw]],
        [L["r_closing"], *ledger.closing[draw]],
    ]
    t1 = Table(L["t_pool"], ["", *years], pool_rows)
    case_rows = []
    for c in ledger.cases:
        case_rows.append(
            [
                c.id,
                L["status"][c.app.decision.status.value]
                + ("" if c.included else L["not_included"]),
                L["kind"][c.app.repayment.kind],
                float(c.granted.sum()),
                float(c.repaid[draw].sum()),
                float(c.outstanding[draw, -1]),
                _nan(c.repaid_year[draw]) and int(c.repaid_year[draw]),
                L["yes"] if c.on_schedule[draw] else L["no"],
            ]
        )
    t2 = Table(
        L["t_cases"],
        [
            L["c_application"],
            L["c_status"],
            L["c_repayment"],
            L["c_granted"],
            L["c_repaid"],
            L["c_outstanding"].format(year=ledger.years[-1]),
            L["c_repaid_year"],
            L["c_on_schedule"],
        ],
        case_rows,
        note=L["n_cases"],
    )
    t3 = Table(
        L["t_repaid"],
        [L["c_application"], *years],
        [[c.id, *c.repaid[draw]] for c in ledger.cases],
    )
    t4 = Table(
        L["t_outstanding"],
        [L["c_application"], *years],
        [[c.id, *c.outstanding[draw]] for c in ledger.cases],
    )
    return [t1, t2, t3, t4]


def status_document(ledger: Ledger, findings: list[Finding], lang: str = "da") -> PoolDocument:
    title, lines = _heading(ledger, "heading_status", lang)
    return PoolDocument(
        title,
        lines,
        ledger_tables(ledger, lang=lang),
        findings,
        balance=_balance(ledger),
        lang=lang,
    )


def projection_document(
    proj: Projection, findings: list[Finding], lang: str = "da"
) -> PoolDocument:
    L = labels(lang)
    title, lines = _heading(proj.base, "heading_project", lang)
    tables = ledger_tables(proj.base, lang=lang)
    bal = _balance(proj.base)
    notes = []
    if proj.risk is not None:
        q = proj.balance_percentiles()
        bal.update(q)
        years = [str(y) for y in proj.base.years]
        pneg = proj.p_negative()
        tables.append(
            Table(
                L["t_risk_balance"].format(draws=num(proj.draws, 0, lang), seed=proj.seed),
                ["", *years],
                [
                    ["P5", *q["p5"]],
                    [L["r_p50"], *q["p50"]],
                    ["P95", *q["p95"]],
                    [L["r_p_negative"], *[100 * p for p in pneg]],
                ],
            )
        )
        p_on, p_rep, e_rep = proj.p_on_schedule(), proj.p_repaid(), proj.expected_repaid()
        tables.append(
            Table(
                L["t_risk_cases"],
                [
                    L["c_application"],
                    L["c_repayment"],
                    L["c_p_on_schedule"],
                    L["c_p_repaid"],
                    L["c_expected_repaid"],
                    L["c_granted"],
                ],
                [
                    [
                        c.id,
                        L["kind"][c.app.repayment.kind],
                        100 * p_on[c.id],
                        100 * p_rep[c.id],
                        e_rep[c.id],
                        float(c.granted.sum()),
                    ]
                    for c in proj.base.cases
                ],
                note=L["n_risk_cases"],
            )
        )
        notes.append(L["n_risk"])
    return PoolDocument(title, lines, tables, findings, notes, bal, lang)


def selection_document(
    sel: Selection, ledger: Ledger, findings: list[Finding], lang: str = "da"
) -> PoolDocument:
    L = labels(lang)
    title, lines = _heading(ledger, "heading_select", lang)
    lines.append(
        L["goal"].format(
            expected=L["expected_prefix"] if sel.expected else "",
            objective=L["objective"][sel.objective],
            status=sel.solved.status,
            gap=num(sel.solved.gap, 2, lang),
            value=num(sel.value, 0, lang),
            unit=unit_text(pool_unit(ledger), lang),
        )
    )
    rows = sel.rows
    basis = rows[0].basis if rows else "total"
    comp = Table(
        L["t_compare"],
        [
            L["c_application"],
            L["c_status"],
            L["c_investment"],
            L["c_grant"],
            L["c_external"],
            L["c_own_net"],
            L["c_pb_service"],
            L["c_pb_total"],
            L["c_npv"],
            L["c_expected_npv"],
            L["c_roi"],
            L["c_p_target"].format(basis=L["basis"][basis]),
        ],
        [
            [
                r.id,
                L["status"][r.status],
                r.investment,
                r.grant,
                r.external,
                r.own_net,
                _nan(r.payback_service),
                _nan(r.payback_total),
                r.npv,
                r.expected_npv,
                _nan(r.roi),
                None if r.p_payback_target is None else 100 * r.p_payback_target,
            ]
            for r in rows
        ],
        note=L["n_compare"],
        decimals=2,
    )
    choice = Table(
        L["t_choice"],
        [L["c_application"], L["c_in"], L["c_value"], L["c_why"], L["c_alternative"]],
        [
            [c.id, L["yes"] if c.selected else L["no"], c.value, c.reason, c.alternative_text]
            for c in sel.choices
        ],
    )
    cap = Table(
        L["t_capital"],
        ["", *[str(y) for y in sel.years]],
        [
            [L["r_available"], *sel.available],
            [L["r_used"], *sel.used],
            [L["r_free"], *(sel.available - sel.used)],
        ],
    )
    bal = _balance(ledger)
    return PoolDocument(title, lines, [comp, choice, cap], findings, [], bal, lang)


# -- JSON ---------------------------------------------------------------------------------


def _f(v) -> float | None:
    if isinstance(v, np.ndarray):
        return [_f(x) for x in v.tolist()]
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) or math.isinf(v) else v


def findings_json(findings: list[Finding]) -> list[dict]:
    return [
        {
            "severity": str(f.severity),
            "code": f.code,
            "message": f.message,
            "row": f.row,
            "year": f.year,
            "stated": _f(f.stated),
            "computed": _f(f.computed),
            "line": f.line,
        }
        for f in findings
    ]


def ledger_json(ledger: Ledger, draw: int = 0) -> dict:
    pool = ledger.loaded.pool
    return {
        "pool": pool.id,
        "unit": pool.unit.value,
        "price_level": pool.price_level,
        "scope": ledger.scope,
        "years": [int(y) for y in ledger.years],
        "opening": _f(ledger.opening[draw]),
        "capital": _f(ledger.capital),
        "injections": _f(ledger.injections),
        "grants": _f(ledger.grants),
        "repayments": _f(ledger.repayments[draw]),
        "closing": _f(ledger.closing[draw]),
        "applications": [
            {
                "id": c.id,
                "title": c.title,
                "case": c.case.id,
                "status": c.app.decision.status.value,
                "included": c.included,
                "repayment": c.app.repayment.kind,
                "granted": _f(c.granted),
                "repaid": _f(c.repaid[draw]),
                "outstanding": _f(c.outstanding[draw]),
                "net_savings": _f(c.savings[draw]),
                "repaid_year": _f(c.repaid_year[draw]),
                "on_schedule": bool(c.on_schedule[draw]),
            }
            for c in ledger.cases
        ],
    }


def projection_json(proj: Projection) -> dict:
    out = {"plain": ledger_json(proj.base), "draws": proj.draws, "seed": proj.seed}
    if proj.risk is not None:
        out["balance_percentiles"] = proj.balance_percentiles()
        out["p_negative_balance"] = proj.p_negative()
        out["applications"] = {
            c.id: {
                "p_on_schedule": proj.p_on_schedule()[c.id],
                "p_repaid": proj.p_repaid()[c.id],
                "expected_repaid": proj.expected_repaid()[c.id],
            }
            for c in proj.base.cases
        }
    return out


def selection_json(sel: Selection) -> dict:
    return {
        "objective": sel.objective,
        "expected": sel.expected,
        "value": _f(sel.value),
        "status": sel.solved.status,
        "gap": _f(sel.solved.gap),
        "seconds": sel.solved.seconds,
        "chosen": sel.chosen,
        "years": [int(y) for y in sel.years],
        "available": _f(sel.available),
        "used": _f(sel.used),
        "roi_definition": "net savings over the case's horizon (all lines, undiscounted) "
        "/ investments",
        "comparison": [
            {k: _f(v) if isinstance(v, float) else v for k, v in r.__dict__.items()}
            for r in sel.rows
        ],
        "choices": [
            {
                "id": c.id,
                "selected": c.selected,
                "value": _f(c.value),
                "reason": c.reason,
                "alternative": _f(c.alternative),
                "alternative_text": c.alternative_text,
            }
            for c in sel.choices
        ],
    }
