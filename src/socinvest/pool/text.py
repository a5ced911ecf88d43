"""Danish wording shared by the pool's faces: amounts, years, bases."""

from __future__ import annotations

import math

from ..case.schema import Unit
from ..numbers import format_number

BASIS_DA = {"service": "serviceeffektivisering", "total": "totaløkonomi"}
STATUS_DA = {"approved": "bevilget", "rejected": "afvist", "pending": "verserende"}
KIND_DA = {"fixed": "fast beløb", "share": "andel af besparelser", "schedule": "egen plan"}


def money(v: float, unit: Unit) -> str:
    """An amount in the pool's unit as a Danish text: '1,2 mio. kr.' or '450.000 kr.'."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    kr = float(v) * unit.factor
    if abs(kr) >= 1e5:
        return f"{format_number(kr / 1e6, 1)} mio. kr."
    return f"{format_number(kr, 0)} kr."


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


def num(v: float | None, decimals: int = 0) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return format_number(float(v), decimals)
