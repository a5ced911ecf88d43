"""Computed results as JSON-ready data (`socinvest show --json`).

Amounts are shown in the case's own sign convention (`sign`; a case written with savings
positive gets its savings positive here too, `sign_convention` says which), years are whole
numbers, a payback that is not within the horizon is null, and no number is -0.0. The NPV is
the value of the benefit in either convention (positive when the case pays).
"""

from __future__ import annotations

import numpy as np

from ..engine.results import Results
from ..i18n import translator
from .document.perspectives import perspectives_json
from .table1 import bases, sign_factor


def _clean(v: float) -> float:
    """`v` rounded to 6 decimals, never -0.0 (rounding a tiny negative gives -0.0)."""
    return round(float(v), 6) + 0.0


def _num(v: float) -> float | None:
    return None if np.isnan(v) else _clean(v)


def results_json(res: Results, draw: int = 0, lang: str = "da") -> dict:
    """The results of `draw` as data; the explanatory texts are worded in `lang`."""
    tr = translator(lang)
    c = res.case
    d = c.discount
    f = sign_factor(res)
    persp = perspectives_json(res, draw)  # None for a case with one payer

    def vec(a: np.ndarray) -> list[float]:
        return [_clean(float(x) * f) for x in a]

    sign = (
        tr("udgift: omkostninger og investeringer positive, besparelser negative")
        if f > 0
        else tr("som i casens kilde: besparelser positive, omkostninger og investeringer negative")
    )
    return {
        "id": c.id,
        "title": c.title,
        "unit": c.unit.value,
        "price_level": int(c.price_level),
        "sign": sign,
        "sign_convention": c.sign.value,
        "years": [int(y) for y in res.years],
        "lines": [
            {
                "id": ln.id,
                "label": ln.label,
                "row": ln.display_row,
                "kind": ln.kind.value,
                "area": ln.area.value,
                "funding": ln.funding.value,
                "amounts": vec(res.amounts[draw, i]),
            }
            for i, ln in enumerate(c.lines)
        ],
        "totals": {
            "permanent": vec(res.permanent[draw]),
            "investment": vec(res.investment[draw]),
            "impact": vec(res.impact[draw]),
            "cumulative": vec(res.cumulative("total")[draw]),
            "own_net": vec(res.own_net[draw]),
            "by_area": {a.value: vec(v[draw]) for a, v in res.by_area().items()},
            "by_committee": {k: vec(v[draw]) for k, v in res.by_committee().items()},
            "by_funding": {fu.value: vec(v[draw]) for fu, v in res.by_funding().items()},
        },
        "payback": {
            b: {
                "year": _num(res.payback(b)[draw]),
                "fractional": _num(res.payback_fractional(b)[draw]),
                "discounted": _num(res.payback_discounted(b)[draw]),
            }
            for b in bases(res)
        },
        "npv": {
            "value": _clean(res.npv()[draw]),
            **({"own": _clean(res.npv(basis="own")[draw])} if res.has_external else {}),
            "rate": d.rate,
            "first_year_discounted": d.first_year_discounted,
            "meaning": tr(
                "nutidsværdi af besparelser minus omkostninger (totaløkonomi); positiv betaler sig"
            ),
        },
        **({"perspectives": persp} if persp is not None else {}),
    }
