"""Totals: which rows each total sums, and whether its cells (and I alt) add up.

A total sums the candidate that fits its cells best: (a) the lines of its section, (c) the
totals above not yet summed by another total, or (b) all lines above (ties in that order); in
committee tables a `Total` of type T sums the rows of type T. A cell that differs is
SUM_MISMATCH, unless it is the same amount with the opposite sign (SIGN_MISMATCH) or small
enough to come from rounding the printed parts (ROUNDING: |diff| <= h*(n+1) for n >= 2 summed
cells, h half a unit of the last printed digit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..findings import Finding
from . import text as tx
from .model import POSITIVE, Row, Table


@dataclass
class Eval:
    """A total row evaluated against one candidate set of parts."""

    kind: str  # "a" | "b" | "c" | "type"
    parts: list[int]  # row indices
    factor: float  # the total's own sign factor
    cells: list[tuple[int, float, float, int, float, int]]  # (col, stated, computed, n, h, dec)
    statuses: list[str]

    @property
    def score(self) -> tuple[int, int]:
        err = sum(s in ("sign", "sum") for s in self.statuses)
        nonexact = sum(s != "ok" for s in self.statuses)
        return err, nonexact


def status(stated: float, computed: float, n: int, h: float) -> str:
    """ "ok", "sign", "rounding" or "sum" for a stated total against its computed parts."""
    diff = stated - computed
    eps = 1e-9 * max(1.0, abs(stated), abs(computed))
    if abs(diff) <= eps:
        return "ok"
    if abs(stated + computed) <= eps:
        return "sign"
    if n >= 2 and abs(diff) <= h * (n + 1) + eps:
        return "rounding"
    return "sum"


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
        n = len(present)
        h = max([st.half_unit, *(p.half_unit for p, _ in present)])
        dec = max([st.decimals, *(p.decimals for p, _ in present)])
        cells.append((col, st.value, computed, n, h, dec))
        statuses.append(status(st.value, computed, n, h))
    return Eval(kind, list(parts), factor, cells, statuses)


def describe_parts(table: Table, ev: Eval) -> str:
    """What a total was compared with, for a finding's message."""
    rows = table.rows
    if ev.kind == "c":
        names = [f"'{rows[i].label}'" for i in ev.parts]
        return "summen af totalerne " + " og ".join(
            [", ".join(names[:-1]), names[-1]] if len(names) > 1 else names
        )
    if ev.kind == "type":
        return f"summen af rækkerne med typen '{rows[ev.parts[0]].type}'"
    return "summen af rækkerne"


def note_parts(table: Table, t: int, ev: Eval) -> str:
    """Which rows a total was read as summing, for the notes."""
    rows = table.rows
    name = rows[t].label
    if ev.kind == "c":
        return f"'{name}' = " + " + ".join(f"'{rows[i].label}'" for i in ev.parts) + "."
    if ev.kind == "type":
        return f"'{name}' = summen af rækkerne med typen '{rows[t].type}'."
    sec = rows[ev.parts[0]].section if ev.kind == "a" else None
    where = f" i afsnittet '{sec}'" if sec else " ovenfor"
    return f"'{name}' = summen af {len(ev.parts)} rækker{where}."


def sum_finding(status, row: Row, year, stated, computed, n, dec, what) -> Finding | None:
    if status == "ok":
        return None
    where = f"'{row.label}'" + (f" {year}" if year is not None else " I alt")
    s, c, d = tx.fmt(stated, dec), tx.fmt(computed, dec), tx.fmt(stated - computed, dec)
    if status == "sign":
        code = "SIGN_MISMATCH"
        msg = f"{where}: angivet {s}, {what} er {c} – samme beløb med modsat fortegn"
    elif status == "rounding":
        code = "ROUNDING"
        msg = (
            f"{where}: angivet {s}, {what} er {c} (forskel {d}); kan skyldes afrunding "
            f"af {n} delbeløb"
        )
    else:
        code = "SUM_MISMATCH"
        msg = f"{where}: angivet {s}, {what} er {c} (forskel {d})"
    return Finding(code, msg, row.label, year, stated, computed, row.line)


def total_findings(table: Table, evals: dict[int, Eval]) -> list[Finding]:
    """A finding for each year cell of a total that does not add up."""
    out = []
    for t, ev in evals.items():
        r = table.rows[t]
        what = describe_parts(table, ev)
        for (col, stated, computed, n, _h, dec), st in zip(ev.cells, ev.statuses, strict=True):
            f = sum_finding(st, r, table.years[col], stated, computed, n, dec, what)
            if f:
                out.append(f)
    return out


def check_i_alt(table: Table, evals: dict[int, Eval], signs: list[float]) -> list[Finding]:
    """The I alt column: the sum of the row's years, or (for a total) of its parts' I alt."""
    out = []
    for t, r in enumerate(table.rows):
        st = r.i_alt_cell
        if st is None or r.kind not in ("line", "total"):
            continue
        options = _i_alt_options(table, t, evals, signs)
        if any(status(st.value, o[0], o[1], o[2]) == "ok" for o in options):
            continue
        comp, n, h, dec, what = min(options, key=lambda o: abs(st.value - o[0]))
        f = sum_finding(status(st.value, comp, n, h), r, None, st.value, comp, n, dec, what)
        if f:
            out.append(f)
    return out


def _i_alt_options(table: Table, t: int, evals: dict[int, Eval], signs: list[float]) -> list:
    """(computed, n, h, decimals, description) for each way the I alt cell may be meant."""
    r = table.rows[t]
    st = r.i_alt_cell
    own = [p for p in r.amounts if p is not None]
    options = [
        (
            math.fsum(p.value for p in own),
            len(own),
            max([st.half_unit, *(p.half_unit for p in own)]),
            max([st.decimals, *(p.decimals for p in own)]),
            "summen af årene",
        )
    ]
    ev = evals.get(t)
    if r.kind == "total" and ev is not None:
        parts = []
        for i in ev.parts:
            pr = table.rows[i]
            f = evals[i].factor if pr.kind == "total" and i in evals else signs[i]
            if pr.i_alt_cell is not None:
                parts.append((f, pr.i_alt_cell))
        if parts:
            options.append(
                (
                    ev.factor * math.fsum(f * p.value for f, p in parts),
                    len(parts),
                    max([st.half_unit, *(p.half_unit for _, p in parts)]),
                    max([st.decimals, *(p.decimals for _, p in parts)]),
                    "summen af delrækkernes I alt",
                )
            )
    return options
