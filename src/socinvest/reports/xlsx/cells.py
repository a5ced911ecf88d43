"""The one way text goes into a workbook cell, for every xlsx writer (the case workbook and
the generic workbook of pool, ladder, simulation and check documents).

A text is cleaned of control characters (`safetext.clean_text`) and always written as a
string (`write_string`), never through `write`, which could take it for a formula or a
number: a case title `@SUM(1)` or a line label `=HYPERLINK("http://x","y")` is a text
cell (Excel's type "s"), shown as written and never evaluated. The workbooks are also opened
with `strings_to_formulas`, `strings_to_numbers` and `strings_to_urls` off (`WORKBOOK_OPTIONS`).
"""

from __future__ import annotations

from typing import Any

from ..safetext import clean_text

WORKBOOK_OPTIONS = {
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a typed or imported text as a formula (OWASP, CSV injection)."""


def write_text(ws: Any, row: int, col: int, text: object, fmt: Any = None) -> None:
    """Write `text` at (row, col) as a string cell, cleaned of control characters."""
    ws.write_string(row, col, clean_text(str(text)), fmt)


def comment_text(text: object) -> str:
    """A cell comment's text, cleaned of control characters."""
    return clean_text(str(text))


def header_footer_text(text: object) -> str:
    """Text for a page header or footer: cleaned, '&' doubled (a single '&' starts one of
    Excel's codes, '&P' is the page number) and cut to fit Excel's limit of 255 characters
    with the codes around it."""
    return clean_text(str(text)).replace("&", "&&")[:200].rstrip("&")
