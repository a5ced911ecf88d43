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
from .roles import is_saving


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


def sign_factors(rows: tuple[Row, ...], reading: str) -> list[float]:
    """Per row: how a printed amount enters a sum under a reading (+1, or -1 for savings
    printed positive under POSITIVE)."""
    if reading != POSITIVE:
        return [1.0] * len(rows)
    return [-1.0 if r.kind == "line" and is_saving(r) else 1.0 for r in rows]


class _Sum:
    """A running sum of printed rows, per column: exact partial sums (Shewchuk, as
    `math.fsum`), the number of printed parts and their coarsest and finest decimals; so that
    each candidate of each total is evaluated in O(columns), not O(rows above)."""

    def __init__(self, width: int) -> None:
        self.parts: list[int] = []
        self.all_negative = True
        self.partials: list[list[float]] = [[] for _ in range(width)]
        self.n = [0] * width
        self.min_dec: list[int | None] = [None] * width
        self.max_dec: list[int | None] = [None] * width

    def add(self, i: int, r: Row, f: float) -> None:
        self.parts.append(i)
        self.all_negative &= f < 0
        for col, p in enumerate(r.amounts):
            if p is None or col >= len(self.n):
                continue
            _msum_add(self.partials[col], f * p.value)
            self.n[col] += 1
            lo, hi = self.min_dec[col], self.max_dec[col]
            self.min_dec[col] = p.decimals if lo is None else min(lo, p.decimals)
            self.max_dec[col] = p.decimals if hi is None else max(hi, p.decimals)


def _msum_add(partials: list[float], x: float) -> None:
    """Add x to the exact partial sums (Shewchuk's algorithm, as in `math.fsum`)."""
    i = 0
    for y in partials:
        if abs(x) < abs(y):
            x, y = y, x
        hi = x + y
        lo = y - (hi - x)
        if lo:
            partials[i] = lo
            i += 1
        x = hi
    partials[i:] = [x]


def evaluate(table: Table, rows_sign: list[float], reading: str) -> dict[int, Eval]:
    """For each total row (by index): the best-fitting candidate set of parts. Candidates, in
    order of preference: (a) the lines since the section or total above, (c) the totals
    above not yet summed by another total, (b) all lines above; by type in committee tables."""
    rows = table.rows
    w = table.width
    result: dict[int, Eval] = {}
    acc_a, acc_c, acc_b = _Sum(w), _Sum(w), _Sum(w)
    by_type: dict[str | None, _Sum] = {}
    for t, r in enumerate(rows):
        if r.kind == "section":
            acc_a = _Sum(w)
            continue
        if r.kind == "line":
            for acc in (acc_a, acc_b, by_type.setdefault(r.type, _Sum(w))):
                acc.add(t, r, rows_sign[t])
            continue
        if r.kind != "total":
            continue
        if table.has_type and r.type:
            acc_t = by_type.get(r.type)
            cands = [("type", acc_t)] if acc_t is not None else []
        else:
            cands = [("a", acc_a), ("c", acc_c), ("b", acc_b)]
        best: Eval | None = None
        for kind, acc in cands:
            if acc is None or not acc.parts:  # in order of preference: ties keep the earlier
                continue
            ev = _eval_sum(table, t, kind, acc, reading)
            if best is None or ev.score < best.score:
                best = ev
            if best.score == (0, 0):
                break
        if best is not None:
            best.parts = list(best.parts)  # a copy: the running sums go on growing
            result[t] = best
            if best.kind in ("c", "b"):
                acc_c = _Sum(w)
        acc_c.add(t, r, best.factor if best is not None else 1.0)
        acc_a = _Sum(w)
    return result


def _eval_sum(table: Table, t: int, kind: str, acc: _Sum, reading: str) -> Eval:
    r = table.rows[t]
    factor = 1.0
    if reading == POSITIVE and (
        (tx.SAVING.search(r.label) or (r.type and tx.SAVING.search(r.type))) or acc.all_negative
    ):
        factor = -1.0
    cells, statuses = [], []
    for col in range(table.width):
        st = r.amounts[col] if col < len(r.amounts) else None
        if st is None:
            continue
        n = acc.n[col]
        computed = factor * math.fsum(acc.partials[col])
        lo, hi = acc.min_dec[col], acc.max_dec[col]
        part_dec = st.decimals if lo is None else lo
        dec = st.decimals if hi is None else max(st.decimals, hi)
        cells.append(Cell(col, st.value, computed, n, dec))
        statuses.append(verdict(st.value, computed, st.decimals, n, part_dec))
    return Eval(kind, acc.parts, factor, cells, statuses)


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
    column: str | None = None,
) -> Finding | None:
    if v is Verdict.MATCH:
        return None
    where: Any = (
        f"'{row.label}' {year}"
        if year is not None
        else f"'{row.label}' ({column})"
        if column is not None
        else Msg("'{row}' I alt", row=row.label)
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
            year = table.years[cell.col] if table.years else None
            column = None if table.years else table.columns[cell.col]
            f = sum_finding(st, r, year, cell.stated, cell.computed, cell.n, cell.dec, what, column)
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
