"""Check a case: compare every figure stated in its source document with the computation.

Tolerances follow the printed precision: a stated figure may differ from the exact computation
by half a unit of its own printed precision (display rounding) without comment; a larger
difference that the rounding of the `n` parts, printed in whole units of the case, could still
explain (≤ ½ unit of the figure + n·½) is ROUNDING (info); anything else is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..case.schema import Case, Kind, SignConvention, StatedFigure
from ..case.years import parse_year_key, to_vector
from ..engine.results import Results
from ..numbers import format_number
from .findings import Finding

OF_KINDS: dict[str, tuple[Kind, ...] | None] = {
    "permanent": (Kind.COST, Kind.SAVING),
    "investment": (Kind.INVESTMENT,),
    "cost": (Kind.COST,),
    "saving": (Kind.SAVING,),
    "impact": None,
    "all": None,
}
PART_HALF_UNIT = 0.5
"""Lines are the document's own table cells, printed in whole units of the case."""
BASIS_DA = {"service": "serviceeffektivisering", "total": "totaløkonomi"}


@dataclass(frozen=True)
class CaseReport:
    """What `socinvest check CASE` reports (same shape as a table report)."""

    kind: str
    title: str
    findings: list[Finding]
    payback: dict[str, float | None]
    notes: list[str] = field(default_factory=list)


def _fmt(v: float) -> str:
    return format_number(v, 0 if abs(v - round(v)) < 1e-9 else 1)


def _select(s: StatedFigure) -> dict:
    sel: dict = {}
    if s.of is not None:
        kinds = OF_KINDS[s.of]
        if kinds is not None:
            sel["kinds"] = kinds
    if s.lines is not None:
        sel["lines"] = tuple(s.lines)
    if s.area is not None:
        sel["areas"] = tuple(s.area) if isinstance(s.area, list) else (s.area,)
    if s.funding is not None:
        sel["funding"] = (s.funding,)
    return sel


def _compare(
    stated: float,
    computed: float,
    n_parts: int,
    half: float,
    row: str,
    year: int | None,
    what: str,
    n_cells: int = 1,
) -> Finding | None:
    """Compare one stated figure with the computation. `n_parts`: non-zero cells summed
    (rounding tolerance); `n_cells`: cells the figure sums (≥ 2 makes it a total)."""
    diff = stated - computed
    if abs(diff) <= half + 1e-9:
        return None
    where = f"{row}" + (f" {year}" if year is not None else "")
    if abs(stated + computed) <= half + 1e-9:
        return Finding(
            "SIGN_MISMATCH",
            f"'{where}': angivet {_fmt(stated)}, beregnet {_fmt(computed)} "
            f"({what}) – samme beløb med modsat fortegn",
            row,
            year,
            stated,
            computed,
        )
    if n_parts >= 2 and abs(diff) <= half + PART_HALF_UNIT * n_parts + 1e-9:
        return Finding(
            "ROUNDING",
            f"'{where}': angivet {_fmt(stated)}, beregnet {_fmt(computed)} "
            f"({what}); forskellen {_fmt(diff)} kan skyldes afrunding af "
            f"{n_parts} delbeløb",
            row,
            year,
            stated,
            computed,
        )
    # A stated figure that sums several cells is a total: the same code as a table's total.
    return Finding(
        "SUM_MISMATCH" if n_cells >= 2 else "STATED_MISMATCH",
        f"'{where}': angivet {_fmt(stated)}, beregnet {_fmt(computed)} ({what}); "
        f"forskel {_fmt(diff)}",
        row,
        year,
        stated,
        computed,
    )


def _year_range(s: StatedFigure, case: Case) -> tuple[int, int]:
    if s.years is None:
        return case.horizon.first, case.horizon.last
    return parse_year_key(s.years)


def check_stated(case: Case, res: Results) -> list[Finding]:
    findings: list[Finding] = []
    years = res.years
    flip = -1.0 if case.sign is SignConvention.SAVINGS_POSITIVE else 1.0
    for s in case.stated:
        row = f"{s.table}: {s.row}"
        half = 0.5 * 10.0 ** (-s.decimals)
        if s.payback is not None:
            findings.extend(_check_payback(s, res, row))
            continue
        sel = _select(s)
        series = res.total(committee=s.committee, **sel)[0]
        mask = res.mask(**sel)
        if s.committee is not None:  # only the lines the committee has a share of
            mask = mask & (res.allocation[:, res.committees.index(s.committee)] > 0)
        parts = np.abs(res.amounts[0, mask, :]) > 1e-9  # (lines, years)
        if s.values is not None:
            stated_v = to_vector(s.values, years, np.nan) * flip
            for j, y in enumerate(years):
                if np.isnan(stated_v[j]):
                    continue
                f = _compare(
                    stated_v[j],
                    series[j],
                    int(parts[:, j].sum()),
                    half,
                    row,
                    int(y),
                    "summen af de udvalgte linjer",
                    n_cells=int(mask.sum()),
                )
                if f:
                    findings.append(f)
        elif s.total is not None:
            a, b = _year_range(s, case)
            cols = (years >= a) & (years <= b)
            f = _compare(
                s.total * flip,
                float(series[cols].sum()),
                int(parts[:, cols].sum()),
                half,
                row,
                None,
                f"i alt {a}-{b}",
                n_cells=int(mask.sum()) * int(cols.sum()),
            )
            if f:
                findings.append(f)
        elif s.share is not None:
            a, b = _year_range(s, case)
            cols = (years >= a) & (years <= b)
            whole = float(res.total(**sel)[0, cols].sum())
            part = float(series[cols].sum())
            share = part / whole if abs(whole) > 1e-12 else float("nan")
            tol = 0.5 * 10.0 ** (-(s.decimals + 2))
            if not (abs(share - s.share) <= tol + 1e-9):
                findings.append(
                    Finding(
                        "SHARE_MISMATCH",
                        f"'{row}': fordelingsnøglen er {_fmt(s.share * 100)} %, men udvalgets andel "
                        f"af beløbene {a}-{b} er {format_number(share * 100, 1)} % "
                        f"({_fmt(part)} af {_fmt(whole)})",
                        row,
                        None,
                        round(s.share * 100, 6),
                        round(share * 100, 6),
                    )
                )
    return findings


def _check_payback(s: StatedFigure, res: Results, row: str) -> list[Finding]:
    computed = float(res.payback(s.payback)[0])
    other = "total" if s.payback == "service" else "service"
    other_v = float(res.payback(other)[0])
    if not np.isnan(computed) and abs(computed - s.value) < 1e-9:
        return []
    shown = "ikke inden for horisonten" if np.isnan(computed) else f"{computed:g}"
    also = (
        f"; det svarer til tilbagebetalingstiden baseret på {BASIS_DA[other]}"
        if not np.isnan(other_v) and abs(other_v - s.value) < 1e-9
        else f"; heller ikke basis {BASIS_DA[other]} ({'–' if np.isnan(other_v) else f'{other_v:g}'})"
    )
    return [
        Finding(
            "PAYBACK_MISMATCH",
            f"'{row}': angivet {s.value:g} år, beregnet på basis af {BASIS_DA[s.payback]}: "
            f"{shown}{also}",
            row,
            None,
            s.value,
            None if np.isnan(computed) else computed,
        )
    ]


def check_line_signs(case: Case, res: Results) -> list[Finding]:
    """A saving that raises spending (or a cost that lowers it) is usually a sign slip."""
    out = []
    for i, line in enumerate(case.lines):
        a = res.amounts[0, i]
        bad = a > 1e-9 if line.kind is Kind.SAVING else a < -1e-9
        if bad.any():
            j = int(np.argmax(bad))
            out.append(
                Finding(
                    "LINE_SIGN",
                    f"linje '{line.id}' er af arten {_KIND_DA[line.kind]}, men beløbet {int(res.years[j])} "
                    f"er {_fmt(float(a[j]))} (fortegnskonvention: {_SIGN_DA[case.sign]})",
                    line.label,
                    int(res.years[j]),
                    None,
                    float(a[j]),
                )
            )
    return out


_KIND_DA = {Kind.COST: "omkostning", Kind.SAVING: "besparelse", Kind.INVESTMENT: "investering"}
_SIGN_DA = {
    SignConvention.SPENDING: "besparelser negative",
    SignConvention.SAVINGS_POSITIVE: "besparelser positive",
}


def check_case(case: Case, res: Results | None = None) -> CaseReport:
    from ..engine.resolve import evaluate

    res = res or evaluate(case)
    findings = check_line_signs(case, res) + check_stated(case, res)
    payback = {b: _none_if_nan(res.payback(b)[0]) for b in ("service", "total")}
    notes = [
        f"Enhed: {case.unit.value}, {case.price_level} p/l; år {case.horizon.first}-"
        f"{case.horizon.last}; fortegn: {_SIGN_DA[case.sign]}",
        f"{len(case.stated)} angivne tal sammenlignet med beregningen",
    ]
    return CaseReport("case", f"{case.id}: {case.title}", findings, payback, notes)


def _none_if_nan(v: float) -> float | None:
    return None if np.isnan(v) else float(v)
