"""Computed results as JSON-ready data (`socinvest show --json`)."""

from __future__ import annotations

import numpy as np

from ..engine.results import Results
from ..i18n import translator


def _vec(a: np.ndarray) -> list[float]:
    return [round(float(x), 6) for x in a]


def _num(v: float) -> float | None:
    return None if np.isnan(v) else round(float(v), 6)


def results_json(res: Results, draw: int = 0, lang: str = "da") -> dict:
    """The results of `draw` as data; the two explanatory texts are worded in `lang`."""
    tr = translator(lang)
    c = res.case
    d = c.discount
    return {
        "id": c.id,
        "title": c.title,
        "unit": c.unit.value,
        "price_level": c.price_level,
        "sign": tr("udgift: omkostninger og investeringer positive, besparelser negative"),
        "years": [int(y) for y in res.years],
        "lines": [
            {
                "id": ln.id,
                "label": ln.label,
                "row": ln.display_row,
                "kind": ln.kind.value,
                "area": ln.area.value,
                "funding": ln.funding.value,
                "amounts": _vec(res.amounts[draw, i]),
            }
            for i, ln in enumerate(c.lines)
        ],
        "totals": {
            "permanent": _vec(res.permanent[draw]),
            "investment": _vec(res.investment[draw]),
            "impact": _vec(res.impact[draw]),
            "cumulative": _vec(res.cumulative("total")[draw]),
            "own_net": _vec(res.own_net[draw]),
            "by_area": {a.value: _vec(v[draw]) for a, v in res.by_area().items()},
            "by_committee": {k: _vec(v[draw]) for k, v in res.by_committee().items()},
            "by_funding": {f.value: _vec(v[draw]) for f, v in res.by_funding().items()},
        },
        "payback": {
            b: {
                "year": _num(res.payback(b)[draw]),
                "fractional": _num(res.payback_fractional(b)[draw]),
                "discounted": _num(res.payback_discounted(b)[draw]),
            }
            for b in ("service", "total")
        },
        "npv": {
            "value": round(float(res.npv()[draw]), 6),
            "rate": d.rate,
            "first_year_discounted": d.first_year_discounted,
            "meaning": tr(
                "nutidsværdi af besparelser minus omkostninger (totaløkonomi); positiv betaler sig"
            ),
        },
    }
