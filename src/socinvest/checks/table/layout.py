"""Other column separators than tabs: text copied from a PDF and semicolon CSV, made into the
tab-separated lines the parser reads. Line numbers are kept (one line in, one line out).

- A PDF copy has no tabs: its columns are runs of two or more spaces, and a minus may be
  followed by a space (`- 250.000`, read as -250.000 by `numbers.parse_number`). A line is a
  table row when it splits into 2+ cells of which one after the label is a number, a year or
  a dash, or into 3+ short cells (a header of words).
- A semicolon CSV (Danish Excel's export: `;` between cells, `,` as decimal comma) is read
  with the csv module, so quoted cells may hold `;`.

Text that already holds tabs is left as it is: a pasted Word or Excel table.
"""

from __future__ import annotations

import csv
import re

from ...numbers import parse_number, parse_percent
from .text import DASH, is_year

PDF = "pdf"
CSV = "csv"

_GAP = re.compile(r"\s{2,}")


def _numeric(cell: str) -> bool:
    return (
        cell in DASH
        or is_year(cell)
        or parse_number(cell) is not None
        or parse_percent(cell) is not None
    )


def _pdf_cells(line: str, indent: int = 0) -> list[str] | None:
    """The cells of a PDF-copied line, or None when it is prose or a single cell. `indent`
    is the block's margin: a line indented beyond it by 2+ spaces has an empty label."""
    if not line.strip():
        return None
    body = line.rstrip()[indent:]
    cells = _GAP.split(body.strip())
    if body[:2].isspace() and body.strip():  # indented: the label cell is empty
        cells = ["", *cells]
    if len(cells) < 2:
        return None
    if any(_numeric(c) for c in cells[1:] if c):
        return cells
    if len(cells) >= 3 and all(len(c) <= 40 for c in cells):
        return cells
    return None


def _margins(lines: list[str]) -> list[int]:
    """Per line: the smallest indentation of its block (consecutive non-blank lines), the
    page margin a PDF's layout text adds to every line."""
    out = [0] * len(lines)
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].strip():
            j += 1
        m = min(len(ln) - len(ln.lstrip()) for ln in lines[i:j])
        out[i:j] = [m] * (j - i)
        i = j
    return out


def _is_csv(lines: list[str]) -> bool:
    rows = [ln for ln in lines if ln.strip()]
    with_sep = [ln for ln in rows if ";" in ln]
    return len(with_sep) >= 2 and len(with_sep) * 2 >= len(rows)


def to_tabs(text: str) -> tuple[str, str | None]:
    """(`text` with tab-separated cells, how it was read: None, "pdf" or "csv")."""
    if "\t" in text:
        return text, None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if _is_csv(lines):
        out = []
        for ln in lines:
            if ";" not in ln:
                out.append(ln)
                continue
            cells = next(csv.reader([ln], delimiter=";", quotechar='"'), [])
            out.append("\t".join(c.strip() for c in cells))
        return "\n".join(out), CSV
    out, changed = [], False
    for ln, indent in zip(lines, _margins(lines), strict=True):
        row = _pdf_cells(ln, indent)
        if row is None:
            out.append(ln)
        else:
            out.append("\t".join(row))
            changed = True
    return ("\n".join(out), PDF) if changed else (text, None)
