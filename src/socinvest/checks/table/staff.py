"""Staff tables (personalemæssige konsekvenser: budget year A, budget year B, change)."""

from __future__ import annotations

from typing import Any

from ...i18n import Join, Msg
from ...numbers import parse_number
from ..findings import Finding, Num
from . import text as tx
from .model import Row, Table, TableReport


def parse_staff(lines: list[str], cells_of: list, source: str) -> Table | None:
    """Staff table ("Budget 2017 | Budget 2018 | Ændring (+/-)"): rows read as numbers in order.

    PDF extraction misaligns its cells, so columns are not trusted: each row's numbers are read
    in order as (from, to, change). None when the text has no such header.
    """
    hy = None
    for i, c in enumerate(cells_of):
        if c and sum(bool(tx.BUDGET_YEAR.search(x)) for x in c) >= 2:
            hy = i
            break
        if (
            c
            and any(tx.BUDGET_YEAR.search(x) for x in c)
            and any(tx.norm(x).startswith("ændring") for x in c)
        ):
            hy = i
            break
    if hy is None:
        return None
    head = cells_of[hy]
    years = tuple(int(m.group(1)) for x in head if (m := tx.BUDGET_YEAR.search(x)))
    rows = []
    for j in range(hy + 1, len(lines)):
        c = cells_of[j]
        if c is None:
            continue
        label = next((x for x in c if x and parse_number(x) is None), "")
        nums = tuple(p for x in c if x and (p := parse_number(x)) is not None)
        if not nums:
            continue
        rows.append(Row(line=j + 1, label=label or f"linje {j + 1}", kind="line", amounts=nums))
    return Table(
        source=source,
        caption=tx.caption(lines, hy),
        unit=None,
        price_level=None,
        years=years,
        rows=tuple(rows),
        header_line=hy + 1,
        kind="staff",
    )


def check_staff(table: Table) -> TableReport:
    """CHANGE_MISMATCH for each row whose change is not to − from."""
    findings = []
    for r in table.rows:
        v = [p for p in r.amounts if p is not None]  # a staff row holds only its numbers
        if len(v) >= 3:
            change = v[1].value - v[0].value
            if abs(v[2].value - change) > 1e-9:
                findings.append(
                    Finding(
                        "CHANGE_MISMATCH",
                        Msg(
                            "'{row}': ændring angivet {stated}, men {to} − {from_} = {change}",
                            row=r.label,
                            stated=Num(v[2].value, v[2].decimals),
                            to=Num(v[1].value, v[1].decimals),
                            from_=Num(v[0].value, v[0].decimals),
                            change=Num(change, max(v[0].decimals, v[1].decimals)),
                        ),
                        r.label,
                        None,
                        v[2].value,
                        change,
                        r.line,
                    )
                )
    yrs = Join(tuple(Msg("budget {year}", year=y) for y in table.years), ", ")
    notes: list[Any] = [
        Msg(
            "Personaletabel ({years} og ændring): hver rækkes tal læses i rækkefølge som "
            "fra, til og ændring, fordi kolonnerne ikke står præcist under overskrifterne.",
            years=yrs,
        ),
        Msg("Ingen tilbagebetalingstid for en personaletabel."),
    ]
    return TableReport(
        title=table.caption or table.source,
        findings=findings,
        payback={"service": None, "total": None},
        notes=notes,
        table=table,
    )
