"""Rows that are not flows of the case, checked for what they are.

- A **net budget** row ("Samlet nettobudget", "kommunal finansiering") is gross minus external
  co-funding: the lines above it plus the co-funding rows above it as printed (co-funding
  printed negative), or minus them (printed positive); whichever reading fits the printed
  cells best. A cell that fits neither is a SUM_MISMATCH (ROUNDING, SIGN_MISMATCH as for any
  total).
- A **repayment** to the investment pool ("Tilbagebetaling til Investeringspuljen", an amount
  per year) must be paid from the year's net savings: the repayment may not exceed
  −(the year's net flow of the lines, spending convention) + the year's co-funding.
  REPAYMENT_EXCEEDS_SAVINGS (warning) when it does.

Neither kind of row enters the totals, the payback or an import as a flow.
"""

from __future__ import annotations

import math
from typing import Any

from ...i18n import Msg
from ..findings import Finding, Num
from ..verdict import Verdict, half_unit, verdict
from .model import Table
from .sums import sum_finding


def check_net(table: Table) -> tuple[list[Finding], list[Any]]:
    """Net = gross − external for each net row; findings and a note per net row."""
    findings: list[Finding] = []
    notes: list[Any] = []
    rows = table.rows
    for t, r in enumerate(rows):
        if r.kind != "net":
            continue
        lines = [i for i in range(t) if rows[i].kind == "line"]
        ext = [i for i in range(t) if rows[i].kind == "external"]
        best: tuple[int, float, list] | None = None
        for sign in (1.0, -1.0):  # co-funding printed negative (added) / positive (subtracted)
            res = []
            for col, st in enumerate(r.amounts):
                if st is None:
                    continue
                parts = [(rows[i].amounts[col], 1.0) for i in lines]
                parts += [(rows[i].amounts[col], sign) for i in ext]
                present = [(p, f) for p, f in parts if p is not None]
                computed = math.fsum(f * p.value for p, f in present)
                printed = [p for p, _ in present]
                dec = min((p.decimals for p in printed), default=st.decimals)
                v = verdict(st.value, computed, st.decimals, len(printed), dec)
                finest = max([st.decimals, *(p.decimals for p in printed)])
                res.append((col, st.value, computed, len(printed), finest, v))
            bad = sum(x[5] in (Verdict.SIGN, Verdict.MISMATCH) for x in res)
            if best is None or bad < best[0]:
                best = (bad, sign, res)
        if best is None:
            continue
        _, sign, res = best
        notes.append(
            Msg(
                "Nettobudget: '{row}' = bruttobeløbet (rækkerne ovenfor) {op} den eksterne "
                "finansiering ({ext}).",
                row=r.label,
                op="+" if sign > 0 else "−",
                ext=", ".join(f"'{rows[i].label}'" for i in ext) or "–",
            )
        )
        what = Msg("bruttobeløbet minus den eksterne finansiering")
        for col, stated, computed, n, dec, v in res:
            f = sum_finding(v, r, table.years[col], stated, computed, n, dec, what)
            if f:
                findings.append(f)
    return findings, notes


def check_repayments(table: Table, factors: list[float]) -> list[Finding]:
    """Each repayment cell against the year's net savings (lines in the spending convention
    by `factors`, plus co-funding as a positive amount)."""
    rows = table.rows
    out: list[Finding] = []
    if not any(r.kind == "repayment" for r in rows):
        return out
    flow = [0.0] * table.width
    cofund = [0.0] * table.width
    for i, x in enumerate(rows):
        for col, p in enumerate(x.amounts):
            if p is None:
                continue
            if x.kind == "line":
                flow[col] += factors[i] * p.value
            elif x.kind == "external":
                cofund[col] += abs(p.value)
    for r in rows:
        if r.kind != "repayment":
            continue
        for col, cell in enumerate(r.amounts):
            if cell is None or not cell.value:
                continue
            savings = -flow[col] + cofund[col]
            repay = abs(cell.value)
            if repay > max(savings, 0.0) + half_unit(cell.decimals) + 1e-9:
                out.append(
                    Finding(
                        "REPAYMENT_EXCEEDS_SAVINGS",
                        Msg(
                            "'{row}' {year}: tilbagebetaling {repay}, men årets nettobesparelse "
                            "er {savings} – tilbagebetalingen kan ikke betales af besparelserne",
                            row=r.label,
                            year=table.years[col],
                            repay=Num(repay, cell.decimals),
                            savings=Num(savings, cell.decimals),
                        ),
                        r.label,
                        table.years[col],
                        repay,
                        savings,
                        r.line,
                    )
                )
    return out
