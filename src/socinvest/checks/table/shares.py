"""Allocation keys (fordelingsnøgle): each row's key against its share of its group's amounts,
and the keys of a group against its total row's key."""

from __future__ import annotations

import math
from typing import Any

from ...i18n import Msg
from ..findings import Finding, Num
from .model import Row, Table


def pct(share: float, decimals: int = 1) -> Num:
    """A share as a percentage, worded by the face: `37,0 %` (da), `37.0%` (en)."""
    return Num(share, decimals, percent=True)


def key_groups(table: Table) -> dict[str | None, list[Row]]:
    """Rows (lines and totals) sharing a key: by type in a table with a type column."""
    groups: dict[str | None, list[Row]] = {}
    for r in table.rows:
        if r.kind in ("line", "total"):
            groups.setdefault(r.type if table.has_type else None, []).append(r)
    return groups


def check_shares(table: Table) -> list[Finding]:
    if not table.has_key:
        return []
    out = []
    span = f"{table.years[0]}–{table.years[-1]}" if table.years else ""
    for typ, members in key_groups(table).items():
        what: Any = Msg(" med typen '{type}'", type=typ) if typ else ""
        parts = [r for r in members if r.kind == "line"]
        out += _row_keys(parts, what, span)
        out += _total_keys(members, parts, what)
    return out


def _row_keys(parts: list[Row], what: Any, span: str) -> list[Finding]:
    out: list[Finding] = []
    cells = [[p for p in r.amounts if p is not None] for r in parts]
    total = math.fsum(p.value for cs in cells for p in cs)
    n_all = sum(len(cs) for cs in cells)
    h = max([p.half_unit for cs in cells for p in cs], default=0.5)
    if total == 0:
        return out
    for r, cs in zip(parts, cells, strict=True):
        if r.key is None:
            continue
        amount = math.fsum(p.value for p in cs)
        share = amount / total
        tol = r.key.half_unit + (len(cs) * h + abs(share) * n_all * h) / abs(total)
        if abs(share - r.key.value) > tol + 1e-12:
            kd = max(r.key.decimals - 2, 0)
            out.append(
                Finding(
                    "SHARE_MISMATCH",
                    Msg(
                        "'{row}': fordelingsnøgle {key}, men rækken udgør {share} af "
                        "beløbene{what} {span} ({amount} af {total})",
                        row=r.label,
                        key=pct(r.key.value, kd),
                        share=pct(share),
                        what=what,
                        span=span,
                        amount=Num(amount),
                        total=Num(total),
                    ),
                    r.label,
                    None,
                    r.key.value * 100.0,
                    share * 100.0,
                    r.line,
                )
            )
    return out


def _total_keys(members: list[Row], parts: list[Row], what: Any) -> list[Finding]:
    out = []
    keys = [r.key for r in parts if r.key is not None]
    for r in members:
        if r.kind != "total" or r.key is None or not keys:
            continue
        ksum = math.fsum(k.value for k in keys)
        tol = r.key.half_unit + sum(k.half_unit for k in keys)
        if abs(ksum - r.key.value) > tol + 1e-12:
            out.append(
                Finding(
                    "SHARE_MISMATCH",
                    Msg(
                        "'{row}': totalens nøgle er {key}, men rækkernes nøgler{what} summer til "
                        "{sum}",
                        row=r.label,
                        key=pct(r.key.value, 0),
                        what=what,
                        sum=pct(ksum),
                    ),
                    r.label,
                    None,
                    r.key.value * 100.0,
                    ksum * 100.0,
                    r.line,
                )
            )
    return out
