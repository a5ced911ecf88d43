"""Allocation between committees: permanent changes and investments per committee, with the
allocation key."""

from __future__ import annotations

import numpy as np

from ...case.schema import Kind
from ...engine.results import Results
from ...i18n import translator
from ...numbers import format_percent
from ..table1 import sign_factor
from .format import Numbers, _amount, _committee_name, _numcells
from .labels import T
from .model import Block, Cell, Table, TableRow
from .tables import _investment_years


def _share(part: float, whole: float, lang: str) -> tuple[str, float | None]:
    if abs(whole) < 1e-9:
        return "–", None
    s = part / whole
    return format_percent(s, 0, lang), s


def _allocation_blocks(
    res: Results, lang: str, draw: int, n: Numbers, units: str
) -> tuple[Block, ...]:
    """Seed 000 Tabel 3 and 4: per committee, savings and costs per year with the key
    (each committee's share of the summed amounts over the years shown)."""
    L = T[lang]
    f = sign_factor(res)  # shown with savings positive: every amount flipped (keys are not)
    blocks: list[Block] = []
    ny = len(res.years)
    span = f"{int(res.years[0])}–{int(res.years[-1])}"
    # permanent changes
    kinds = ((L["savings"], (Kind.SAVING,)), (L["costs"], (Kind.COST,)))
    present = [(lab, k) for lab, k in kinds if res.mask(kinds=k).any()]
    if present:
        header = (L["committee"], "", L["key"], *(str(y) for y in res.years), L["sum"])
        rows: list[TableRow] = []
        totals = {lab: res.total(kinds=k)[draw] * f + 0.0 for lab, k in present}
        for c in res.committees:
            first = True
            for lab, k in present:
                v = res.total(committee=c, kinds=k)[draw] * f + 0.0
                if not np.any(np.abs(v) > 1e-9) and not first:
                    continue
                key_text, share = _share(float(v.sum()), float(totals[lab].sum()), lang)
                rows.append(
                    TableRow(
                        (
                            Cell(_committee_name(res, c, lang) if first else ""),
                            Cell(lab),
                            Cell(key_text, share),
                            *_numcells(v, lang, blank_zero=True),
                            Cell(_amount(float(v.sum()), lang), float(v.sum()) + 0.0),
                        ),
                        "line" if first else "group",
                    )
                )
                first = False
        first = True
        for lab, _k in present:
            v = totals[lab]
            rows.append(
                TableRow(
                    (
                        Cell(L["total_row"] if first else ""),
                        Cell(lab),
                        Cell(format_percent(1.0, 0, lang), 1.0),
                        *_numcells(v, lang, blank_zero=False),
                        Cell(_amount(float(v.sum()), lang), float(v.sum()) + 0.0),
                    ),
                    "total",
                )
            )
            first = False
        number = n.next_table()
        blocks.append(
            Table(
                "allocation_permanent",
                number,
                f"{L['table']} {number}. {L['alloc_perm_caption']} ({units})",
                header,
                tuple(rows),
                (False, False, True) + (True,) * (ny + 1),
                (3.4, 1.9, 1.6) + (1.0,) * ny + (1.35,),
                _key_note(lang, span),
            )
        )
    # investments
    if res.mask(kinds=(Kind.INVESTMENT,)).any():
        cols = _investment_years(res, draw)
        header = (L["committee"], L["key"], *(str(int(res.years[j])) for j in cols), L["sum"])
        tot = res.investment[draw] * f + 0.0
        rows = []
        for c in res.committees:
            v = res.total(committee=c, kinds=(Kind.INVESTMENT,))[draw] * f + 0.0
            if not np.any(np.abs(v) > 1e-9):
                continue
            key_text, share = _share(float(v.sum()), float(tot.sum()), lang)
            rows.append(
                TableRow(
                    (
                        Cell(_committee_name(res, c, lang)),
                        Cell(key_text, share),
                        *_numcells(v[cols], lang, blank_zero=True),
                        Cell(_amount(float(v.sum()), lang), float(v.sum()) + 0.0),
                    )
                )
            )
        rows.append(
            TableRow(
                (
                    Cell(L["total_row"]),
                    Cell(format_percent(1.0, 0, lang), 1.0),
                    *_numcells(tot[cols], lang, blank_zero=False),
                    Cell(_amount(float(tot.sum()), lang), float(tot.sum())),
                ),
                "total",
            )
        )
        number = n.next_table()
        nc = len(cols)
        blocks.append(
            Table(
                "allocation_investment",
                number,
                f"{L['table']} {number}. {L['alloc_inv_caption']} ({units})",
                header,
                tuple(rows),
                (False, True) + (True,) * (nc + 1),
                (3.4, 1.6) + (1.0,) * nc + (1.35,),
                _key_note(lang, span),
            )
        )
    return tuple(blocks)


def _key_note(lang: str, span: str) -> str:
    tr = translator(lang)
    return tr(
        "Fordelingsnøglen er udvalgets andel af de summerede beløb "
        "{span} (kolonnen I alt), beregnet ud fra beløbene.",
        span=span,
    )
