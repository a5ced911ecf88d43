"""The figures a save stores beside a version, so reading them later is one query:
a case's investment, planned payback and NPV; a pool's applications and balance; a follow-up's
measurements, repayments and realised payback. Computed with the same engine and services as
`socinvest run`, `pool status` and `followup status`."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from ..engine.resolve import evaluate
from ..errors import InputError
from ._ws_parse import Parsed, jsonable, resolve, validated_json
from .case import has_uncertainty, load_case, parse_case


def _year(v: Any) -> int | None:
    f = float(v)
    return None if math.isnan(f) else int(f)


def _num(v: Any) -> float | None:
    f = float(v)
    return f if math.isfinite(f) else None


def case_figures(path: str, text: str, root: Path | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The case's data (its YAML as JSON) and summary (investment, payback, NPV), from one
    deterministic evaluation. Raises InputError (located) for a case that does not load."""
    base = (root / path).parent if root is not None else Path("/nonexistent")
    case = parse_case(text, path, base)
    res = evaluate(case)
    data = validated_json(text)
    summary = {
        "case_key": case.id,
        "title": case.title,
        "unit": case.unit.value,
        "first_year": case.horizon.first,
        "last_year": case.horizon.last,
        "investment": float(np.sum(res.investment[0])),
        "payback": _year(res.payback("service")[0]),
        "payback_total": _year(res.payback("total")[0]),
        "npv": _num(res.npv()[0]),
        "uncertain": has_uncertainty(case),
    }
    return data, summary


def _pool_model(path: str, text: str) -> Any:
    from ..case.load import parse_yaml_model, raise_problems
    from ..pool.load import check_references
    from ..pool.schema import Pool

    pool, marks = parse_yaml_model(text, path, Pool, "a pool file")
    raise_problems(path, marks, check_references(pool))
    return pool


def pool_figures(path: str, text: str, root: Path | None) -> Parsed:
    """The pool file checked on its own; its applications; its balance when every case it
    names is in the workspace (else `summary.error` says why not)."""
    from ..pool.ledger import build_ledger
    from ..pool.load import parse_pool
    from ..store.models import Kind

    pool = _pool_model(path, text)
    apps = tuple(
        {
            "key": a.id,
            "case_path": resolve(path, a.case),
            "status": a.decision.status.value,
            "decided_on": a.decision.date if not isinstance(a.decision.date, str) else None,
            "repayment": jsonable(a.repayment.model_dump(mode="json")),
        }
        for a in pool.applications
    )
    summary: dict[str, Any] = {"title": pool.title, "unit": pool.unit.value}
    if root is not None:
        try:
            lp = parse_pool(text, load_case, str(root / path), base=(root / path).parent)
            ledger = build_ledger(lp, scope="approved")
            closing = ledger.closing[0]
            i = int(np.argmin(closing))
            summary |= {
                "years": [int(y) for y in ledger.years],
                "closing": [float(x) for x in closing],
                "minimum": float(closing[i]),
                "minimum_year": int(ledger.years[i]),
                "capital_known": ledger.capital_known,
            }
        except InputError as e:
            summary["error"] = str(e).replace(str(root) + "/", "")
    data = validated_json(text)
    return Parsed(Kind.POOL, data, doc_summary=summary, applications=apps)


def followup_figures(path: str, text: str, root: Path | None) -> Parsed:
    """The follow-up file checked on its own; its measurements and repayments; its realised
    payback when the files it names are in the workspace."""
    from ..followup.actuals import build_actuals
    from ..followup.mapping import load_mapping
    from ..followup.prices import load_price_index
    from ..followup.realised import realised_payback
    from ..followup.schema import parse_followup
    from ..store.models import Kind

    fu, _marks = parse_followup(text, path)
    case_path = resolve(path, fu.case)
    meas = tuple(
        {"criterion": m.criterion, "measured_on": m.date, "value": float(m.value)}
        for m in fu.measurements
    )
    reps = tuple({"year": int(y), "amount": float(a)} for y, a in sorted(fu.repayments.items()))
    summary: dict[str, Any] = {"case_path": case_path}
    if root is not None:
        try:
            full = root / path
            base = full.parent
            case = load_case(base / fu.case)
            index = load_price_index(base / fu.price_index)
            mapping = load_mapping(base / fu.mapping) if fu.mapping else None
            actuals = build_actuals(
                case, index, mapping, [base / p for p in fu.postings], fu.actuals or None
            )
            real = realised_payback(case, actuals)
            summary |= {
                "through": real.through,
                "payback": {k: _year(v) for k, v in real.payback.items()},
                "plan_payback": {k: _year(v) for k, v in real.plan_payback.items()},
            }
        except (InputError, OSError) as e:
            summary["error"] = str(e).replace(str(root) + "/", "")
    data = validated_json(text)
    return Parsed(
        Kind.FOLLOWUP,
        data,
        doc_summary=summary,
        measurements=meas,
        repayments=reps,
        case_path=case_path,
    )
