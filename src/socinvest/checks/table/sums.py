"""Totals: which rows each total sums, and whether its cells (and I alt) add up.

A total sums the candidate that fits its cells best: (a) the lines of its section, (c) the
totals above not yet summed by another total, or (b) all lines above (ties in that order); in
committee tables a `Total` of type T sums the rows of type T. A cell that differs is
SUM_MISMATCH, unless it is the same amount with the opposite sign (SIGN_MISMATCH) or small
enough to come from rounding the printed parts (ROUNDING). `verdict.verdict` decides, from the
total's printed precision, the parts' printed precision and the number of parts; a total that
equals its parts rounded to the total's own precision matches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

from ...i18n import Msg
from ...numbers import Parsed
from ..findings import Finding, Num
from ..verdict import Verdict, verdict
from . import text as tx
from .model import POSITIVE, Row, Table


class Cell(NamedTuple):
    """One year cell of a total: the stated and computed figure, parts summed, and the
    decimals to print the figures with (the finest printed)."""

    col: int
    stated: float
    computed: float
    n: int
    dec: int


@dataclass
class Eval:
    """A total row evaluated against one candidate set of parts."""

    kind: str  # "a" | "b" | "c" | "type"
    parts: list[int]  # row indices
    factor: float  # the total's own sign factor
    cells: list[Cell]
    statuses: list[Verdict]

    @property
    def score(self) -> tuple[int, int]:
        err = sum(s in (Verdict.SIGN, Verdict.MISMATCH) for s in self.statuses)
        nonexact = sum(s is not Verdict.MATCH for s in self.statuses)
        return err, nonexact


def status(stated: Parsed, computed: float, parts: list[Parsed]) -> Verdict:
    """The verdict on a printed total against the sum of its printed parts: the total's own
    precision, the coarsest part's precision and the number of parts."""
    part_dec = min((p.decimals for p in parts), default=stated.decimals)
    return verdict(stated.value, computed, stated.decimals, len(parts), part_dec)


def finest(stated: Parsed, parts: list[Parsed]) -> int:
    """Decimals to print a total, its sum and their difference with."""
    return max([stated.decimals, *(p.decimals for p in parts)])


def is_saving(r: Row) -> bool:
    return any(t and tx.SAVING.search(t) for t in (r.label, r.section, r.type, r.committee))


def sign_factors(rows: tuple[Row, ...], reading: str) -> list[float]:
    """Per row: how a printed amount enters a sum under a reading (+1, or -1 for savings
    printed positive under POSITIVE)."""
    if reading != POSITIVE:
        return [1.0] * len(rows)
    return [-1.0 if r.kind == "line" and is_saving(r) else 1.0 for r in rows]


def evaluate(table: Table, rows_sign: list[float], reading: str) -> dict[int, Eval]:
    """For each total row (by index): the best-fitting candidate set of parts."""
    rows = table.rows
    consumed: set[int] = set()
    result: dict[int, Eval] = {}
    start = 0  # first row of the current section
    for t, r in enumerate(rows):
        if r.kind == "section":
            start = t + 1
            continue
        if r.kind != "total":
            continue
        best: Eval | None = None
        for kind, parts in _candidates(table, t, start, consumed):
            if not parts:  # in order of preference: ties keep the earlier one
                continue
            ev = _eval_candidate(table, t, kind, parts, rows_sign, reading, result)
            if best is None or ev.score < best.score:
                best = ev
        if best is not None:
            result[t] = best
            if best.kind == "c":
                consumed |= set(best.parts)
            elif best.kind == "b":
                consumed |= {i for i in range(t) if rows[i].kind == "total"}
        start = t + 1
    return result


def _candidates(table: Table, t: int, start: int, consumed: set[int]):
    rows = table.rows
    r = rows[t]
    lines_above = [i for i in range(t) if rows[i].kind == "line"]
    if table.has_type and r.type:
        return [("type", [i for i in lines_above if rows[i].type == r.type])]
    return [
        ("a", [i for i in lines_above if i >= start]),
        ("c", [i for i in range(t) if rows[i].kind == "total" and i not in consumed]),
        ("b", lines_above),
    ]


def _eval_candidate(table, t, kind, parts, rows_sign, reading, done) -> Eval:
    rows = table.rows
    r = rows[t]
    part_factor = []
    for i in parts:
        if rows[i].kind == "total":
            ev = done.get(i)
            part_factor.append(ev.factor if ev is not None else 1.0)
        else:
            part_factor.append(rows_sign[i])
    factor = 1.0
    if reading == POSITIVE and (
        (tx.SAVING.search(r.label) or (r.type and tx.SAVING.search(r.type)))
        or all(f < 0 for f in part_factor)
    ):
        factor = -1.0
    cells, statuses = [], []
    for col in range(len(table.years)):
        st = r.amounts[col]
        if st is None:
            continue
        vals = [(rows[i].amounts[col], f) for i, f in zip(parts, part_factor, strict=True)]
        present = [(p, f) for p, f in vals if p is not None]
        computed = factor * math.fsum(f * p.value for p, f in present)
        printed = [p for p, _ in present]
        cells.append(Cell(col, st.value, computed, len(present), finest(st, printed)))
        statuses.append(status(st, computed, printed))
    return Eval(kind, list(parts), factor, cells, statuses)


def describe_parts(table: Table, ev: Eval) -> Msg:
    """What a total was compared with, for a finding's message."""
    rows = table.rows
    if ev.kind == "c":
        names = [f"'{rows[i].label}'" for i in ev.parts]
        joined: Any = (
            Msg("{first} og {last}", first=", ".join(names[:-1]), last=names[-1])
            if len(names) > 1
            else names[0]
        )
        return Msg("summen af totalerne {names}", names=joined)
    if ev.kind == "type":
        return Msg("summen af rækkerne med typen '{type}'", type=rows[ev.parts[0]].type)
    return Msg("summen af rækkerne")


def note_parts(table: Table, t: int, ev: Eval) -> Any:
    """Which rows a total was read as summing, for the notes."""
    rows = table.rows
    name = rows[t].label
    if ev.kind == "c":
        return f"'{name}' = " + " + ".join(f"'{rows[i].label}'" for i in ev.parts) + "."
    if ev.kind == "type":
        return Msg(
            "'{name}' = summen af rækkerne med typen '{type}'.", name=name, type=rows[t].type
        )
    n = len(ev.parts)
    sec = rows[ev.parts[0]].section if ev.kind == "a" else None
    if sec:
        return Msg.plural_of(
            "'{name}' = summen af {n} rækker i afsnittet '{section}'.",
            "'{name}' = summen af {n} rækker i afsnittet '{section}'.",
            n,
            name=name,
            section=sec,
        )
    return Msg.plural_of(
        "'{name}' = summen af {n} rækker ovenfor.",
        "'{name}' = summen af {n} rækker ovenfor.",
        n,
        name=name,
    )


def sum_finding(
    v: Verdict,
    row: Row,
    year: int | None,
    stated: float,
    computed: float,
    n: int,
    dec: int,
    what: Msg,
) -> Finding | None:
    if v is Verdict.MATCH:
        return None
    where: Any = (
        f"'{row.label}' {year}" if year is not None else Msg("'{row}' I alt", row=row.label)
    )
    s, c, d = Num(stated, dec), Num(computed, dec), Num(stated - computed, dec)
    msg: Msg
    if v is Verdict.SIGN:
        code = "SIGN_MISMATCH"
        msg = Msg(
            "{where}: angivet {stated}, {what} er {computed} – samme beløb med modsat fortegn",
            where=where,
            stated=s,
            what=what,
            computed=c,
        )
    elif v is Verdict.ROUNDING:
        code = "ROUNDING"
        msg = Msg.plural_of(
            "{where}: angivet {stated}, {what} er {computed} (forskel {diff}); kan skyldes "
            "afrunding af {n} delbeløb",
            "{where}: angivet {stated}, {what} er {computed} (forskel {diff}); kan skyldes "
            "afrunding af {n} delbeløb",
            n,
            where=where,
            stated=s,
            what=what,
            computed=c,
            diff=d,
        )
    else:
        code = "SUM_MISMATCH"
        msg = Msg(
            "{where}: angivet {stated}, {what} er {computed} (forskel {diff})",
            where=where,
            stated=s,
            what=what,
            computed=c,
            diff=d,
        )
    return Finding(code, msg, row.label, year, stated, computed, row.line)


def total_findings(table: Table, evals: dict[int, Eval]) -> list[Finding]:
    """A finding for each year cell of a total that does not add up."""
    out = []
    for t, ev in evals.items():
        r = table.rows[t]
        what = describe_parts(table, ev)
        for cell, st in zip(ev.cells, ev.statuses, strict=True):
            f = sum_finding(
                st, r, table.years[cell.col], cell.stated, cell.computed, cell.n, cell.dec, what
            )
            if f:
                out.append(f)
    return out


class _Option(NamedTuple):
    """One way an I alt cell may be meant: the computed figure, its printed parts, and what."""

    computed: float
    parts: list[Parsed]
    what: Msg


def check_i_alt(table: Table, evals: dict[int, Eval], signs: list[float]) -> list[Finding]:
    """The I alt column: the sum of the row's years, or (for a total) of its parts' I alt."""
    out = []
    for t, r in enumerate(table.rows):
        st = r.i_alt_cell
        if st is None or r.kind not in ("line", "total"):
            continue
        options = _i_alt_options(table, t, st, evals, signs)
        if any(status(st, o.computed, o.parts) is Verdict.MATCH for o in options):
            continue
        o = min(options, key=lambda o: abs(st.value - o.computed))
        f = sum_finding(
            status(st, o.computed, o.parts),
            r,
            None,
            st.value,
            o.computed,
            len(o.parts),
            finest(st, o.parts),
            o.what,
        )
        if f:
            out.append(f)
    return out


def _i_alt_options(
    table: Table, t: int, st: Parsed, evals: dict[int, Eval], signs: list[float]
) -> list[_Option]:
    """Each way the I alt cell `st` of row `t` may be meant."""
    r = table.rows[t]
    own = [p for p in r.amounts if p is not None]
    options = [_Option(math.fsum(p.value for p in own), own, Msg("summen af årene"))]
    ev = evals.get(t)
    if r.kind == "total" and ev is not None:
        parts: list[tuple[float, Parsed]] = []
        for i in ev.parts:
            pr = table.rows[i]
            f = evals[i].factor if pr.kind == "total" and i in evals else signs[i]
            if pr.i_alt_cell is not None:
                parts.append((f, pr.i_alt_cell))
        if parts:
            options.append(
                _Option(
                    ev.factor * math.fsum(f * p.value for f, p in parts),
                    [p for _, p in parts],
                    Msg("summen af delrækkernes I alt"),
                )
            )
    return options
