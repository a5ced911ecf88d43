"""Wording shared by the pool's faces: amounts, years, numbers (Danish or English)."""

from __future__ import annotations

import math

from socinvest.case.schema import Unit
from socinvest.numbers import format_number
from socinvest.reports.pool.labels import LABELS, labels

BASIS_DA = LABELS["da"]["basis"]
STATUS_DA = LABELS["da"]["status"]
KIND_DA = LABELS["da"]["kind"]


def money(v: float, unit: Unit, lang: str = "da") -> str:
    """An amount in the pool's unit as text: '1,2 mio. kr.' or '450.000 kr.' (da),
    '1.2 m kr.' or '450,000 kr.' (en)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    L = labels(lang)
    kr = float(v) * unit.factor
    if abs(kr) >= 1e5:
        return L["money_m"].format(x=format_number(kr / 1e6, 1, lang))
    return L["money_kr"].format(x=format_number(kr, 0, lang))


def unit_text(unit: Unit | str, lang: str = "da") -> str:
    """The pool's unit as written in `lang`: '1.000 kr.' (da), '1,000 kr.' (en)."""
    value = unit.value if isinstance(unit, Unit) else str(unit)
    return labels(lang)["unit"].get(value, value)


def years_text(ys: list) -> str:
    """[2018, 2019, 2020, 2023] -> '2018-2020, 2023'."""
    ys = [int(y) for y in ys]
    if not ys:
        return ""
    runs: list[str] = []
    start = prev = ys[0]
    for y in ys[1:]:
        if y == prev + 1:
            prev = y
            continue
        runs.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = y
    runs.append(str(start) if start == prev else f"{start}-{prev}")
    return ", ".join(runs)


def num(v: float | None, decimals: int = 0, lang: str = "da") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return format_number(float(v), decimals, lang)
