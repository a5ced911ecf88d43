"""The tables of permanent changes and of investments (the seeds' 'Varige ændringer' and
'Serviceinvesteringer i forslaget')."""

from __future__ import annotations

import numpy as np

from ...case.schema import Funding, Kind
from ...engine.results import Results
from ...i18n import translator
from ..table1 import sign_factor, signed
from .format import Numbers, _amount, _area, _numcells
from .labels import T
from .model import Block, Cell, Paragraph, Table, TableRow


def _permanent_table(res: Results, lang: str, draw: int, number: int, units: str) -> Table:
    """Like the seeds' 'Varige ændringer' table: every cost and saving line, then the total."""
    L = T[lang]
    f = sign_factor(res)
    header = (units, L["area"], *(str(y) for y in res.years))
    ny = len(res.years)
    rows: list[TableRow] = []
    for kinds, label in (((Kind.COST,), L["costs"]), ((Kind.SAVING,), L["savings"])):
        idx = [i for i, ln in enumerate(res.case.lines) if ln.kind in kinds]
        if not idx:
            continue
        rows.append(TableRow((Cell(label), Cell(""), *[Cell("")] * ny), "section"))
        for i in idx:
            ln = res.case.lines[i]
            cells = _numcells(signed(res.amounts[draw, i], f), lang, blank_zero=True)
            rows.append(TableRow((Cell(ln.label), Cell(_area(ln.area, lang)), *cells)))
    total = _numcells(signed(res.permanent[draw], f), lang, blank_zero=False)
    rows.append(TableRow((Cell(_perm_total(lang)), Cell(""), *total), "total"))
    return Table(
        "permanent",
        number,
        f"{L['table']} {number}. {L['permanent_caption']} ({units})",
        header,
        tuple(rows),
        (False, False) + (True,) * ny,
        (7.0, 2.0) + (1.0,) * ny,
    )


def _perm_total(lang: str) -> str:
    tr = translator(lang)
    return tr("Samlet varig ændring")


def _investment_years(res: Results, draw: int) -> list[int]:
    """Year columns of the investment tables: from the first year to the last with any
    investment (at least the first year)."""
    inv = np.abs(res.investment[draw]) > 1e-9
    per_line = np.abs(res.amounts[draw][res.mask(kinds=(Kind.INVESTMENT,))]) > 1e-9
    any_year = inv | (per_line.any(axis=0) if per_line.size else inv)
    last = int(np.nonzero(any_year)[0].max()) if any_year.any() else 0
    return list(range(last + 1))


def _investment_blocks(
    res: Results, lang: str, draw: int, n: Numbers, units: str
) -> tuple[Block, ...]:
    """Like the seeds' 'Serviceinvesteringer i forslaget': lines, I alt, pool mark X."""
    L = T[lang]
    f = sign_factor(res)
    idx = [i for i, ln in enumerate(res.case.lines) if ln.kind is Kind.INVESTMENT]
    if not idx:
        return (Paragraph(f"{L['investment_caption']}: {L['none_lines'].lower()}"),)
    cols = _investment_years(res, draw)
    yrs = [str(int(res.years[j])) for j in cols]
    header = (units, L["area"], *yrs, L["sum"], L["pool"])
    rows: list[TableRow] = []
    external = []
    for i in idx:
        ln = res.case.lines[i]
        v = np.array(signed(res.amounts[draw, i], f))
        cells = _numcells(v[cols], lang, blank_zero=True)
        tot = float(v.sum()) + 0.0
        mark = "X" if ln.funding is Funding.POOL else ""
        if ln.funding is Funding.EXTERNAL:
            external.append(ln.label)
        rows.append(
            TableRow(
                (
                    Cell(ln.label),
                    Cell(_area(ln.area, lang)),
                    *cells,
                    Cell(_amount(tot, lang), tot),
                    Cell(mark),
                )
            )
        )
    tv = np.array(signed(res.investment[draw], f))
    tr = translator(lang)
    total_label = tr("Investeringer totalt")
    rows.append(
        TableRow(
            (
                Cell(total_label),
                Cell(""),
                *_numcells(tv[cols], lang, blank_zero=False),
                Cell(_amount(float(tv.sum()), lang), float(tv.sum()) + 0.0),
                Cell(""),
            ),
            "total",
        )
    )
    note = None
    if len(cols) < len(res.years):
        last = int(res.years[cols[-1]])
        note = tr(
            "Der er ingen investeringer efter {last}; kolonnen I alt dækker hele perioden.",
            last=last,
        )
    if external:
        ext = tr(
            "Finansieret af ekstern pulje (indgår ikke i kommunens egen nettoudgift): {lines}",
            lines=", ".join(external),
        )
        note = f"{note} {ext}" if note else ext
    number = n.next_table()
    nc = len(cols)
    return (
        Table(
            "investment",
            number,
            f"{L['table']} {number}. {L['investment_caption']} ({units})",
            header,
            tuple(rows),
            (False, False) + (True,) * (nc + 1) + (False,),
            (5.0, 1.6) + (1.0,) * nc + (1.2, 1.8),
            note,
            centered=(len(header) - 1,),
        ),
    )
