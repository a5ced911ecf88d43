"""Values by year: a number for every year, or a mapping whose keys are years or ranges.

`{2017: 5400, 2019-2029: 7500}` is how the seeds' tables read; keys may be ints or strings
(YAML reads `2019-2029` as a string).
"""

from __future__ import annotations

import re

import numpy as np

from ..errors import InvalidValue
from ..i18n import Msg

_RANGE = re.compile(r"^\s*(\d{4})\s*(?:(?:-|–|\.\.)\s*(\d{4}))?\s*$")

YearValues = float | dict[int | str, float]


def parse_year_key(key: int | str) -> tuple[int, int]:
    """`2017` -> (2017, 2017); `"2019-2029"` -> (2019, 2029). Raises InvalidValue (a
    ValueError) with a hint."""
    if isinstance(key, bool):
        raise InvalidValue(Msg("{key} er ikke et år", key=repr(key)))
    if isinstance(key, int):
        return key, key
    m = _RANGE.match(str(key))
    if not m:
        raise InvalidValue(
            Msg("{key} er hverken et år eller et interval som 2019-2029", key=repr(key))
        )
    a = int(m.group(1))
    b = int(m.group(2) or a)
    if b < a:
        raise InvalidValue(
            Msg("intervallet {key} går baglæns; skriv {b}-{a}", key=repr(key), a=a, b=b)
        )
    return a, b


def check_year_values(v: YearValues) -> YearValues:
    """Validate the keys of a year mapping (used by the schema); overlapping ranges are errors."""
    if not isinstance(v, dict):
        return v
    seen: dict[int, str] = {}
    for key in v:
        a, b = parse_year_key(key)
        for y in range(a, b + 1):
            if y in seen:
                raise InvalidValue(
                    Msg(
                        "år {year} er angivet to gange ({first} og {second})",
                        year=y,
                        first=seen[y],
                        second=str(key),
                    )
                )

            seen[y] = str(key)
    return v


def year_keys(v: YearValues) -> list[int]:
    if not isinstance(v, dict):
        return []
    out: list[int] = []
    for key in v:
        a, b = parse_year_key(key)
        out.extend(range(a, b + 1))
    return out


def to_vector(v: YearValues, years: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """The value for each of `years`; years a mapping does not list get `fill`."""
    if not isinstance(v, dict):
        return np.full(len(years), float(v))
    out = np.full(len(years), fill, dtype=float)
    first = int(years[0]) if len(years) else 0
    for key, value in v.items():
        a, b = parse_year_key(key)
        lo, hi = max(a - first, 0), min(b - first + 1, len(years))
        if lo < hi:
            out[lo:hi] = float(value)
    return out
