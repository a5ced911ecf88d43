"""The pool's bundles as JSON data (`socinvest pool … --json`): the ledger, the projection
and the selection with their findings. Keys are English and the same in every language;
messages and reasons are worded in `lang`."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...checks.findings import Finding
from ...pool.ledger import Ledger
from ...pool.portfolio import Selection
from ...pool.risk import Projection
from ...services.pool import PoolBundle, ProjectionBundle, SelectionBundle
from .text import finding_text, word


def _f(v: Any) -> Any:
    """A float or an array as JSON numbers; NaN and infinity as null."""
    if isinstance(v, np.ndarray):
        return [_f(x) for x in v.tolist()]
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) or math.isinf(v) else v


def findings_json(findings: tuple[Finding, ...] | list[Finding], lang: str = "da") -> list[dict]:
    return [
        {
            "severity": str(f.severity),
            "code": f.code,
            "message": finding_text(f, lang),
            "row": f.row,
            "year": f.year,
            "stated": _f(f.stated),
            "computed": _f(f.computed),
            "line": f.line,
        }
        for f in findings
    ]


def ledger_json(ledger: Ledger, draw: int = 0) -> dict[str, Any]:
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


def projection_json(proj: Projection) -> dict[str, Any]:
    out: dict[str, Any] = {"plain": ledger_json(proj.base), "draws": proj.draws, "seed": proj.seed}
    if proj.risk is not None:
        p_on, p_rep, e_rep = proj.p_on_schedule(), proj.p_repaid(), proj.expected_repaid()
        out["balance_percentiles"] = proj.balance_percentiles()
        out["p_negative_balance"] = proj.p_negative()
        out["applications"] = {
            c.id: {
                "p_on_schedule": p_on[c.id],
                "p_repaid": p_rep[c.id],
                "expected_repaid": e_rep[c.id],
            }
            for c in proj.base.cases
        }
    return out


def selection_json(sel: Selection, lang: str = "da") -> dict[str, Any]:
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
                "reason": word(c.reason, lang),
                "alternative": _f(c.alternative),
                "alternative_text": word(c.alternative_text, lang),
            }
            for c in sel.choices
        ],
    }


def bundle_json(bundle: PoolBundle, lang: str = "da") -> dict[str, Any]:
    """The JSON of a bundle: its data and its findings (messages in `lang`)."""
    if isinstance(bundle, SelectionBundle):
        data = selection_json(bundle.selection, lang)
    elif isinstance(bundle, ProjectionBundle):
        data = projection_json(bundle.projection)
    else:
        data = ledger_json(bundle.ledger)
    return {**data, "findings": findings_json(bundle.findings, lang)}
