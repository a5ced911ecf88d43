"""The JSON twins of the follow-up faces: the same figures as the documents, as data (codes in
every language, words in the face's language). Small cells are absent here as in the
documents: a hidden count is null, and a share or mean that would reveal it is null."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...followup import adbb as adbb_mod
from ...followup import fit as fit_mod
from ...followup.privacy import Table
from ...i18n import render, translator
from ...services.followup import AdbbResult, FitResult, FollowupBundle, ImportBundle
from .labels import LABELS


def _f(v: Any) -> Any:
    """A float for JSON: NaN/inf as null, -0.0 as 0.0."""
    if v is None:
        return None
    f = float(v)
    return f + 0.0 if math.isfinite(f) else None


def _table(t: Table) -> list[list[int | None]]:
    return [[t.shown(i, j) for j in range(t.counts.shape[1])] for i in range(t.counts.shape[0])]


def _problems(problems: tuple, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "file": p.path,
            "line": p.line,
            "column": p.column,
            "message": str(render(p.message, lang)),
        }
        for p in problems
    ]


def fit_json(r: FitResult, lang: str = "da") -> dict[str, Any]:
    s = r.summary
    return {
        "kind": "fit_summary",
        "source": r.source,
        "min_persons": s.min_persons,
        "columns": [*fit_mod.OUTCOMES, "total"],
        "rows": [{"team": t, "year": y, "half": h} for t, (y, h) in s.rows] + [{"total": True}],
        "counts": _table(s.table),
        "improved_share": [_f(x) for x in s.improved_share],
        "deteriorated_share": [_f(x) for x in s.deteriorated_share],
        "mean_days": [_f(x) for x in s.mean_days],
        "mean_sessions": [_f(x) for x in s.mean_sessions],
        "courses": s.courses,
        "single_session": s.single_session,
        "dropouts": s.dropouts,
        "clinically_significant": s.clinically_significant,
        "alliance_warning_courses": s.alliance_warning_courses,
        "problems": _problems(r.problems, lang),
    }


def adbb_json(r: AdbbResult, lang: str = "da") -> dict[str, Any]:
    s = r.summary
    return {
        "kind": "adbb_summary",
        "source": r.source,
        "min_persons": s.min_persons,
        "columns": [*adbb_mod.CATEGORIES, "total"],
        "rows": [{"year": y, "half": h or None} for y, h in s.periods] + [{"total": True}],
        "counts": _table(s.table),
        "flagged_share": [_f(x) for x in s.flagged_share],
        "followup_share": [_f(x) for x in s.followup_share],
        "resolved_share": [_f(x) for x in s.resolved_share],
        "screened_share": _f(s.screened_share),
        "problems": _problems(r.problems, lang),
    }


def _by_line(ids: tuple[str, ...], years: np.ndarray, a: np.ndarray) -> dict[str, Any]:
    return {
        lid: {str(int(y)): _f(a[i, k]) for k, y in enumerate(years)} for i, lid in enumerate(ids)
    }


def import_json(b: ImportBundle, lang: str = "da") -> dict[str, Any]:
    """Totals per line × year (case unit, current prices) and every finding."""
    a = b.actuals
    current = np.where(a.observed, a.current, np.nan)
    quarters = {
        lid: {
            f"{int(y)}Q{q + 1}": _f(a.quarterly[i, k, q])
            for k, y in enumerate(a.years)
            for q in range(4)
            if not math.isnan(a.quarterly[i, k, q])
        }
        for i, lid in enumerate(a.line_ids)
    }
    return {
        "kind": "followup_import",
        "case": b.case.id,
        "source": b.source,
        "mapping": b.mapping,
        "unit": a.unit,
        "prices": "current",
        "postings_used": a.postings,
        "rejected": [
            {"line": f.line, "code": f.code, "message": str(render(f.message, lang))}
            for f in a.findings
        ],
        "unmapped_accounts": [
            {
                "account": u.account,
                "cost_centre": u.cost_centre,
                "postings": u.postings,
                "amount_kr": _f(u.amount),
                "years": list(u.years),
            }
            for u in a.unmapped_accounts
        ],
        "totals": {
            k: {y: v for y, v in d.items() if v is not None}
            for k, d in _by_line(a.line_ids, a.years, current).items()
        },  # fmt: skip
        "quarters": quarters,
    }


def status_json(b: FollowupBundle, lang: str = "da") -> dict[str, Any]:
    """Plan vs actual, flags, payback, re-forecast, probability, criteria, measures, pool."""
    tr = translator(lang)
    v, r, rf, c = b.variance, b.realised, b.reforecast, b.conditioned
    cells = []
    for i, lid in enumerate(v.line_ids):
        for k, y in enumerate(v.years):
            if not math.isnan(v.actual[i, k]):
                cells.append(
                    {
                        "line": lid,
                        "year": int(y),
                        "plan": _f(v.plan[i, k]),
                        "actual": _f(v.actual[i, k]),
                        "diff": _f(v.diff[i, k]),
                        "pct": _f(v.pct[i, k]),
                        "status": {-1: None, 0: "ok", 1: "watch", 2: "alert"}[int(v.status[i, k])],
                    }
                )
    out: dict[str, Any] = {
        "kind": "followup_status",
        "case": b.case.id,
        "synthetic": b.followup.synthetic,
        "unit": b.case.unit.value,
        "price_level": b.case.price_level,
        "as_of": b.as_of.isoformat(),
        "through": r.through,
        "variance": cells,
        "totals": [
            {
                "year": int(y),
                "plan": _f(v.total_plan[k]),
                "actual": _f(v.total_actual[k]),
                "diff": _f(v.total_diff[k]),
            }
            for k, y in enumerate(v.years)
            if not math.isnan(v.total_actual[k])
        ],  # fmt: skip
        "split": [
            {
                "line": s.line,
                "count": s.count,
                "year": int(y),
                "volume": _f(s.volume[k]),
                "price": _f(s.price[k]),
            }
            for s in v.split
            for k, y in enumerate(v.years)
            if not math.isnan(s.volume[k])
        ],  # fmt: skip
        "realised_payback": {k: _f(x) for k, x in r.payback.items()},
        "plan_payback": {k: _f(x) for k, x in rf.plan_payback.items()},
        "reforecast": {
            "rule": rf.rule.value,
            "payback": {k: _f(x) for k, x in rf.payback.items()},
            "npv": _f(rf.npv),
            "plan_npv": _f(rf.plan_npv),
            "total_flow": [_f(x) for x in rf.flows["total"]],
        },
        "conditioned": None,
        "criteria": [
            {
                "id": k.criterion.id,
                "status": k.status.status.value,
                "label": tr(k.status.label),
                "latest_date": k.status.latest_date.isoformat() if k.status.latest_date else None,
                "latest_value": k.latest_value,
                "suppressed": k.suppressed,
            }
            for k in b.kpi
        ],
        "fit": fit_json(b.fit, lang) if b.fit else None,
        "adbb": adbb_json(b.adbb, lang) if b.adbb else None,
        "pool": None,
        "unmapped_accounts": len(b.actuals.unmapped_accounts),
        "import_findings": len(b.actuals.findings),
    }
    if c is not None:
        target = b.followup.conditioning.target
        out["conditioned"] = {
            "draws": c.draws,
            "seed": c.seed,
            "ess": _f(c.ess),
            "target": target,
            "p_payback": {k: _f(c.p_payback(k)) for k in ("service", "total", "own")},
            "prior_p_payback": {k: _f(c.prior_p_payback(k)) for k in ("service", "total", "own")},
            "npv_band": [_f(x) for x in c.npv_band],
            "warnings": [str(render(w, lang)) for w in c.warnings],
        }
    if b.repayment is not None:
        rp = b.repayment
        out["pool"] = {
            "application": rp.app_id,
            "years": [int(y) for y in rp.years],
            "due": [_f(x) for x in rp.due],
            "made": [_f(x) for x in rp.made],
            "arrears": [_f(x) for x in rp.arrears],
            "findings": [{"code": f.code, "text": f.text(lang)} for f in rp.findings],
        }
    out["note"] = tr(LABELS["n_synthetic"]) if b.followup.synthetic else None
    return out
