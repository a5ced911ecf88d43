"""Danish numbers as users write them: parse pasted cells and format results.

Parsing is our own (pasted tables hold `- 250.000`, `3 år`, `65 %`, `(1.200)`), formatting uses
babel's `da_DK` locale so output matches what Danish office software prints.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass

# A minus may be typed as hyphen, Unicode minus or en dash, optionally followed by a space
# (`- 250.000` comes out of PDFs like that).
_MINUS = "-\u2212\u2013"
_NUMBER = re.compile(
    rf"""^\s*
    (?P<neg>[{_MINUS}]\s*)?
    (?P<int>\d{{1,3}}(?:\.\d{{3}})+|\d+)
    (?:,(?P<frac>\d+))?
    \s*$""",
    re.VERBOSE,
)
_PAREN = re.compile(r"^\s*\((?P<body>[^()]*)\)\s*$")
_PERCENT = re.compile(r"^\s*(?P<num>[^%]+?)\s*%\s*$")
_YEARS = re.compile(r"^\s*(?P<num>\d+(?:,\d+)?)\s*(?:år)?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A number read from a cell, with the number of decimals it was printed with.

    The decimals tell how much the printed value may have been rounded: half a unit of the
    last printed digit.
    """

    value: float
    decimals: int

    @property
    def half_unit(self) -> float:
        return 0.5 * 10.0 ** (-self.decimals)


def parse_number(text: str) -> Parsed | None:
    """Parse a Danish-formatted number (`-1.763`, `- 250.000`, `3,5`, `(1.200)`).

    Returns None when the text is not a number. `.` is the thousands separator only in groups
    of three digits, so `1.5` is not read as a number (it is not Danish).
    """
    if text is None:
        return None
    s = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
    if not s:
        return None
    m = _PAREN.match(s)
    negate = False
    if m:
        s, negate = m.group("body"), True
    m = _NUMBER.match(s)
    if not m:
        return None
    digits = m.group("int").replace(".", "")
    frac = m.group("frac") or ""
    value = float(f"{digits}.{frac}" if frac else digits)
    if m.group("neg"):
        value = -value
    if negate:
        value = -value
    return Parsed(value, len(frac))


def parse_percent(text: str) -> Parsed | None:
    """Parse `65 %` or `28%` into a share (0.65); None if the cell is not a percentage."""
    m = _PERCENT.match(text.replace("\u00a0", " ")) if text else None
    if not m:
        return None
    p = parse_number(m.group("num"))
    if p is None:
        return None
    return Parsed(p.value / 100.0, p.decimals + 2)


def parse_years(text: str) -> float | None:
    """Parse a stated payback period: `6`, `3 år`, `2,5 år`."""
    m = _YEARS.match(text) if text else None
    if not m:
        return None
    p = parse_number(m.group("num"))
    return None if p is None else p.value


_SWAP = str.maketrans(",.", ".,")
_EXACT = 1e15
"""Below this, a rounded float printed by Python has exactly the digits babel prints (a float
carries 15–17 significant digits); larger values, and negative decimals, go through babel."""


def format_number(value: float, decimals: int = 0, lang: str = "da") -> str:
    """Format a number as users write it: `-1.763`, `3,5` (da) or `-1,763`, `3.5` (en).

    A report formats thousands of numbers, so the common case is Python's own formatting with
    the separators swapped for Danish; tests/test_numbers_format.py checks it against babel's
    `da_DK` and `en_GB` on every kind of value."""
    if value != value:  # NaN
        return "–"
    rounded = round(value, decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    if -_EXACT < rounded < _EXACT and 0 <= decimals <= 12:
        text = f"{rounded:,.{decimals}f}"
        return text.translate(_SWAP) if lang == "da" else text
    return _babel_number(rounded, decimals, lang)


def _babel_number(rounded: float, decimals: int, lang: str) -> str:
    from babel.numbers import format_decimal  # lazy: babel is only needed for output

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    locale = "da_DK" if lang == "da" else "en_GB"
    with decimal.localcontext() as ctx:  # babel quantizes in the current context: 28 digits
        ctx.prec = 330 + decimals  # a float has at most 309 whole digits
        return format_decimal(rounded, format=pattern, locale=locale)


def format_percent(share: float, decimals: int = 1, lang: str = "da") -> str:
    """Format a share as a percentage with a space before the sign in Danish: `3,5 %`."""
    text = format_number(share * 100.0, decimals, lang)
    return f"{text} %" if lang == "da" else f"{text}%"
