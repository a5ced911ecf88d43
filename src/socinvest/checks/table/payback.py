"""Payback (tilbagebetalingstid) computed from a table's line rows, and the stated payback rows
compared with it. Years count from the first year column (= year 1); the engine's
`payback_year` defines the rule, `payback_fractional` serves stated figures like "2,5 år"."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from ...engine.finance import payback_fractional, payback_year
from ...i18n import Msg
from ...numbers import parse_years
from ..findings import Finding, Num, basis
from .model import FLIPPED, Table


def year_gaps(years: tuple[int, ...]) -> list[int]:
    """Calendar years missing between the first and last year column (2017, 2019 → [2018])."""
    if not years:
        return []
    have = set(years)
    return [y for y in range(min(years), max(years) + 1) if y not in have]


def compute_payback(table: Table, sign: str, signs: list[float]) -> tuple[dict, dict, list[Any]]:
    """Computed payback on both bases, counted in calendar years from the first year column
    (= year 1), the flows per basis (spending convention, one per calendar year) and notes.
    A year missing between the columns has no flow (0 kr.): a note says so, and the check
    reports YEAR_GAP."""
    notes: list[Any] = []
    lines = [(i, r) for i, r in enumerate(table.rows) if r.kind == "line"]
    empty = {"service": None, "total": None}
    if not lines or not table.years:
        return empty, {}, notes
    if len(set(table.years)) != len(table.years):
        notes.append(Msg("Tilbagebetalingstid beregnes ikke, fordi et år står i flere kolonner."))
        return empty, {}, notes
    first = min(table.years)
    span = max(table.years) - first + 1

    def flows(rows) -> np.ndarray:
        out = np.zeros(span)
        for i, r in rows:
            f = -1.0 if sign == FLIPPED else signs[i]
            for k, y in enumerate(table.years):
                v = r.amounts[k]
                if v is not None:
                    out[y - first] += f * v.value
        return out

    if not any(r.area for _, r in lines):
        notes.append(
            Msg("Ingen styringsområde-kolonne eller -angivelse: alle rækker regnes som service.")
        )
        service_rows = lines
    else:
        unknown = [r for _, r in lines if r.area is None]
        if unknown:
            notes.append(
                Msg.plural_of(
                    "{n} rækker uden styringsområde regnes som service.",
                    "{n} rækker uden styringsområde regnes som service.",
                    len(unknown),
                )
            )
        service_rows = [(i, r) for i, r in lines if r.area in (None, "service")]
    fl = {"service": flows(service_rows), "total": flows(lines)}
    result = {}
    for b, f in fl.items():
        y = float(payback_year(f))
        result[b] = None if math.isnan(y) else y
    return result, fl, notes


def payback_text(v: float | None, first_year: int) -> Msg:
    """'3 år (2019)', or 'ikke inden for tabellens år'."""
    if v is None:
        return Msg("ikke inden for tabellens år")
    return Msg.plural_of(
        "{years} år ({year})",
        "{years} år ({year})",
        int(v),
        years=Num(v),
        year=first_year + int(v) - 1,
    )


def basis_of(label: str) -> str:
    """The basis a payback row states: 'service' if its label says so, else 'total'."""
    return "service" if "service" in label.lower() else "total"


def check_payback(table: Table, computed: dict, flows: dict) -> list[Finding]:
    out = []
    first = min(table.years) if table.years else 0
    for r in table.rows:
        if r.kind != "payback" or not r.stated:
            continue
        stated = parse_years(r.stated)
        if stated is None:
            out.append(
                Finding(
                    "UNREADABLE_CELL",
                    Msg(
                        "'{row}': '{text}' kan ikke læses som et antal år (fx 6 eller 3 år)",
                        row=r.label,
                        text=r.stated,
                    ),
                    r.label,
                    None,
                    None,
                    None,
                    r.line,
                )
            )
            continue
        own = basis_of(r.label)
        other = "total" if own == "service" else "service"
        m = re.search(r",(\d+)", r.stated)
        dec = len(m.group(1)) if m else 0

        def value(b: str, dec: int = dec) -> float | None:
            if dec == 0 or b not in flows:
                return computed.get(b)
            y = float(payback_fractional(flows[b]))
            return None if math.isnan(y) else round(y, dec)

        mine, theirs = value(own), value(other)
        if mine is not None and abs(mine - stated) < 1e-9:
            continue
        tail: Msg
        if theirs is not None and abs(theirs - stated) < 1e-9:
            tail = Msg.plural_of(
                " Det angivne tal svarer til tilbagebetalingstiden på {basis} ({years} år).",
                " Det angivne tal svarer til tilbagebetalingstiden på {basis} ({years} år).",
                _count(theirs),
                basis=basis(other),
                years=Num(theirs, dec),
            )
        else:
            tail = Msg(
                " Det svarer heller ikke til {basis} ({payback}).",
                basis=basis(other),
                payback=payback_text(theirs, first),
            )
        out.append(
            Finding(
                "PAYBACK_MISMATCH",
                Msg.plural_of(
                    "Tilbagebetalingstid baseret på {basis}: angivet {stated} år, beregnet "
                    "{payback} med år 1 = {first}.{tail}",
                    "Tilbagebetalingstid baseret på {basis}: angivet {stated} år, beregnet "
                    "{payback} med år 1 = {first}.{tail}",
                    _count(stated),
                    basis=basis(own),
                    stated=Num(stated, dec),
                    payback=payback_text(mine, first),
                    first=first,
                    tail=tail,
                ),
                r.label,
                None,
                stated,
                mine,
                r.line,
            )
        )
    return out


def _count(years: float) -> int:
    """The plural count of a number of years: 1 for exactly one, else many."""
    return 1 if years == 1 else 2
