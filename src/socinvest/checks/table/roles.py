"""What a row is about: a saving or a cost (its nature), and rows that are not flows of the
case (repayments to the pool, external co-funding, a net budget) or totals without a total's
label.

Nature. The row's own label decides first ("Brutto besparelser (ved investeringen)" is a
saving whatever the caption says); the label's main text before its parenthesis, then the
parenthesis; then the section above it, the type column, the committee, and last the caption.
`nature` says which of them decided, so that the sign inference can weigh the evidence.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from ..verdict import Verdict, verdict
from . import text as tx
from .model import Row

SAVING = "saving"
COST = "cost"

_PAREN = re.compile(r"\(([^()]*)\)")

# How much a row's sign says about the table's convention, by what decided its nature.
WEIGHT = {"label": 1.0, "section": 0.75, "type": 0.75, "committee": 0.75, "caption": 0.5}


def word_nature(text: str | None) -> str | None:
    """saving/cost from the words of one text; None when it says neither or both equally."""
    if not text:
        return None
    main = _PAREN.sub(" ", text)
    for part in (main, " ".join(_PAREN.findall(text))):
        s, c = bool(tx.SAVING.search(part)), bool(tx.COST.search(part))
        if s and not c:
            return SAVING
        if c and not s:
            return COST
        if s and c:  # both: the word that comes first names the row ("Besparelse på løn")
            ms, mc = tx.SAVING.search(part), tx.COST.search(part)
            assert ms is not None and mc is not None
            return SAVING if ms.start() <= mc.start() else COST
    return None


def nature(r: Row, caption: str | None = None) -> tuple[str | None, str | None]:
    """(saving | cost | None, what decided: label | section | type | committee | caption)."""
    label = r.label if r.committee is None else None  # committee rows: the label is the name
    for source, text in (
        ("label", label),
        ("type", r.type),
        ("section", r.section),
        ("committee", r.committee),
        ("caption", caption),
    ):
        n = word_nature(text)
        if n is not None:
            return n, source
    return None, None


def is_saving(r: Row) -> bool:
    """A saving by its own words (label, type, section, committee; not the caption)."""
    return nature(r)[0] == SAVING


def net_rows_without_external(rows: list[Row]) -> list[Row]:
    """A 'netto' row in a table without co-funding is an ordinary total."""
    if any(r.kind == "external" for r in rows):
        return rows
    return [replace(r, kind="total") if r.kind == "net" else r for r in rows]


def positional_totals(rows: list[Row]) -> list[Row]:
    """A line at the end of its block (before a section, a total, another kind of row or the
    end) whose every printed cell is the sum of the 2+ lines above it in the block, and whose
    label may name a total (`_summary_label`), is a total: 'Gevinster for kommunen' under the
    section 'Gevinster'. Read cells only match
    within rounding; a wrong figure cannot make a row a total here (its label must)."""
    out = list(rows)
    block: list[int] = []
    for t, r in enumerate(rows):
        if r.kind != "line":
            block = []
            continue
        nxt = rows[t + 1] if t + 1 < len(rows) else None
        at_end = nxt is None or nxt.kind != "line"
        if at_end and len(block) >= 2 and _summary_label(r) and _sums(rows, block, r):
            out[t] = replace(r, kind="total", by_position=True)
            block = []
            continue
        block.append(t)
    return out


def _summary_label(r: Row) -> bool:
    """A label that may name a block's total: it repeats the section's first word
    ("Gevinster for kommunen" under "Gevinster"), or says neither saving nor cost. A row
    named like a line ("Besparelse 3") is a line even when its amounts happen to add up."""
    if r.section:
        head = r.section.split()[0].lower().rstrip(":") if r.section.split() else ""
        if len(head) >= 4 and r.label.lower().startswith(head):
            return True
    return word_nature(r.label) is None


def _sums(rows: list[Row], parts: list[int], r: Row) -> bool:
    cells = 0
    for col, st in enumerate(r.amounts):
        vals = [rows[i].amounts[col] for i in parts if col < len(rows[i].amounts)]
        present = [p for p in vals if p is not None]
        if st is None:
            if any(p.value for p in present):
                return False
            continue
        if sum(1 for p in present if p.value) < 2 and st.value:
            return False
        computed = math.fsum(p.value for p in present)
        dec = min((p.decimals for p in present), default=st.decimals)
        if verdict(st.value, computed, st.decimals, len(present), dec) is not Verdict.MATCH:
            return False
        cells += st.value != 0
    return cells >= 2
