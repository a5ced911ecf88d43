"""Check a case: compare every figure stated in its source document with the computation.

Whether a stated figure matches, differs by rounding, has the opposite sign or is wrong is
decided by `verdict.verdict` alone (the one rule for cases and tables): a match within half a
unit of the figure's printed precision; ROUNDING (info) within that plus half a unit for each
of the n ≥ 2 parts summed (the case's lines, printed in whole units of the case, or at the
figure's precision when it is finer); anything else is an error.

A figure printed in another unit than the case's (`unit: mio. kr.` in a case in kr.) is
converted exactly (in decimal, by a power of ten) before the verdict, and so is its printed
precision: "1,96 mio. kr." (2 decimals) in a kr. case is 1.960.000 to the nearest 10.000.
A stated payback may be on the municipality's own money (`payback: own`, external funding left
out).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from ..case.schema import Case, Kind, SignConvention, StatedFigure, Unit
from ..case.years import parse_year_key, to_vector
from ..engine.results import Results
from ..i18n import N_, Msg
from .findings import Finding, Num, basis
from .verdict import Verdict, verdict

OF_KINDS: dict[str, tuple[Kind, ...] | None] = {
    "permanent": (Kind.COST, Kind.SAVING),
    "investment": (Kind.INVESTMENT,),
    "cost": (Kind.COST,),
    "saving": (Kind.SAVING,),
    "impact": None,
    "all": None,
}


@dataclass(frozen=True)
class CaseReport:
    """What `socinvest check CASE` reports (same shape as a table report). `notes` are
    catalogue texts (`Msg`) worded by the face."""

    kind: str
    title: str
    findings: list[Finding]
    payback: dict[str, float | None]
    notes: list[Any] = field(default_factory=list)


def _num(v: float) -> Num:
    """A computed figure as the case check prints it: whole, else one decimal."""
    return Num(v, 0 if abs(v - round(v)) < 1e-9 else 1)


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
    decimals: int,
    row: str,
    year: int | None,
    what: Msg,
    n_cells: int = 1,
) -> Finding | None:
    """Compare one stated figure with the computation. `n_parts`: non-zero cells summed
    (rounding budget); `n_cells`: cells the figure sums (≥ 2 makes it a total)."""
    v = verdict(stated, computed, decimals, n_parts)
    if v is Verdict.MATCH:
        return None
    where = f"{row}" + (f" {year}" if year is not None else "")
    s, c, d = _num(stated), _num(computed), _num(stated - computed)
    if v is Verdict.SIGN:
        msg = Msg(
            "'{where}': angivet {stated}, beregnet {computed} ({what}) – samme beløb med modsat "
            "fortegn",
            where=where,
            stated=s,
            computed=c,
            what=what,
        )
        return Finding("SIGN_MISMATCH", msg, row, year, stated, computed)
    if v is Verdict.ROUNDING:
        msg = Msg.plural_of(
            "'{where}': angivet {stated}, beregnet {computed} ({what}); forskellen {diff} kan "
            "skyldes afrunding af {n} delbeløb",
            "'{where}': angivet {stated}, beregnet {computed} ({what}); forskellen {diff} kan "
            "skyldes afrunding af {n} delbeløb",
            n_parts,
            where=where,
            stated=s,
            computed=c,
            what=what,
            diff=d,
        )
        return Finding("ROUNDING", msg, row, year, stated, computed)
    # A stated figure that sums several cells is a total: the same code as a table's total.
    msg = Msg(
        "'{where}': angivet {stated}, beregnet {computed} ({what}); forskel {diff}",
        where=where,
        stated=s,
        computed=c,
        what=what,
        diff=d,
    )
    return Finding(
        "SUM_MISMATCH" if n_cells >= 2 else "STATED_MISMATCH", msg, row, year, stated, computed
    )


def unit_shift(stated: Unit | None, case: Unit) -> int:
    """The power of ten from a figure's unit to the case's: mio. kr. in a kr. case is 6."""
    if stated is None or stated is case:
        return 0
    return round(math.log10(stated.factor / case.factor))


def in_case_unit(value: float, shift: int) -> float:
    """`value` × 10^shift, exactly as printed: 1,96 (mio. kr.) is 1.960.000 (kr.), not the
    binary product 1959999,9999999998."""
    if shift == 0 or not math.isfinite(value):
        return value
    return float(Decimal(repr(float(value))).scaleb(shift))


def _year_range(s: StatedFigure, case: Case) -> tuple[int, int]:
    if s.years is None:
        return case.horizon.first, case.horizon.last
    return parse_year_key(s.years)


def check_stated(case: Case, res: Results) -> list[Finding]:
    findings: list[Finding] = []
    years = res.years
    flip = -1.0 if case.sign is SignConvention.SAVINGS_POSITIVE else 1.0
    for s in case.stated:
        if s.perspective in ("public", "society"):
            continue  # checked against the perspectives (checks.perspectives)
        row = f"{s.table}: {s.row}"
        if s.payback is not None:
            findings.extend(_check_payback(s, res, row))
            continue
        sel = _select(s)
        shift = unit_shift(s.unit, case.unit)
        decimals = s.decimals - shift  # printed precision, in the case's unit
        series = res.total(committee=s.committee, **sel)[0]
        mask = res.mask(**sel)
        if s.committee is not None:  # only the lines the committee has a share of
            mask = mask & (res.allocation[:, res.committees.index(s.committee)] > 0)
        parts = np.abs(res.amounts[0, mask, :]) > 1e-9  # (lines, years)
        if s.values is not None:
            given = to_vector(s.values, years, np.nan)
            stated_v = (np.array([in_case_unit(v, shift) for v in given]) * flip).tolist()
            # per year as plain numbers: a case states a hundred figures or more
            nonzero, computed, n_cells = (
                parts.sum(axis=0).tolist(),
                series.tolist(),
                int(mask.sum()),
            )
            what = Msg("summen af de udvalgte linjer")
            for j, y in enumerate(years.tolist()):
                if stated_v[j] != stated_v[j]:  # NaN: not stated for this year
                    continue
                f = _compare(
                    stated_v[j],
                    computed[j],
                    nonzero[j],
                    decimals,
                    row,
                    y,
                    what,
                    n_cells=n_cells,
                )
                if f:
                    findings.append(f)
        elif s.total is not None:
            a, b = _year_range(s, case)
            cols = (years >= a) & (years <= b)
            f = _compare(
                in_case_unit(s.total, shift) * flip,
                float(series[cols].sum()),
                int(parts[:, cols].sum()),
                decimals,
                row,
                None,
                Msg("i alt {a}-{b}", a=a, b=b),
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
            # A key printed as a percentage with `decimals`: matched within its own rounding.
            if verdict(s.share * 100, share * 100, s.decimals) is not Verdict.MATCH:
                key_d = 0 if abs(s.share * 100 - round(s.share * 100)) < 1e-9 else 1
                msg = Msg(
                    "'{row}': fordelingsnøglen er {key}, men udvalgets andel af beløbene {a}-{b} "
                    "er {share} ({part} af {whole})",
                    row=row,
                    key=Num(s.share, key_d, percent=True),
                    a=a,
                    b=b,
                    share=Num(share, 1, percent=True),
                    part=_num(part),
                    whole=_num(whole),
                )
                findings.append(
                    Finding(
                        "SHARE_MISMATCH",
                        msg,
                        row,
                        None,
                        round(s.share * 100, 6),
                        round(share * 100, 6),
                    )
                )
    return findings


def _years_word(value: float) -> int:
    """The plural count of a number of years: 1 for exactly one, else many."""
    return 1 if value == 1 else 2


def _check_payback(s: StatedFigure, res: Results, row: str) -> list[Finding]:
    assert s.payback is not None and s.value is not None  # the schema requires both
    computed = float(res.payback(s.payback)[0])
    other = "service" if s.payback == "total" else "total"
    if not np.isnan(computed) and abs(computed - s.value) < 1e-9:
        return []
    # the stated year may be that of another basis (own money only with external funding)
    others = [other] + [
        b for b in ("own", "service") if b not in (s.payback, other) and res.has_external
    ]
    for b in others:
        v = float(res.payback(b)[0])
        if not np.isnan(v) and abs(v - s.value) < 1e-9:
            other = b
            break
    other_v = float(res.payback(other)[0])
    shown: Any = Msg("ikke inden for horisonten") if np.isnan(computed) else f"{computed:g}"
    other_shown = "–" if np.isnan(other_v) else f"{other_v:g}"
    stated = f"{s.value:g}"
    also = (
        Msg("; det svarer til tilbagebetalingstiden baseret på {basis}", basis=basis(other))
        if not np.isnan(other_v) and abs(other_v - s.value) < 1e-9
        else Msg(
            "; heller ikke basis {basis} ({value})",
            basis=basis(other),
            value=other_shown,
        )
    )
    msg = Msg.plural_of(
        "'{row}': angivet {stated} år, beregnet på basis af {basis}: {computed}{also}",
        "'{row}': angivet {stated} år, beregnet på basis af {basis}: {computed}{also}",
        _years_word(s.value),
        row=row,
        stated=stated,
        basis=basis(s.payback),
        computed=shown,
        also=also,
    )
    return [
        Finding(
            "PAYBACK_MISMATCH", msg, row, None, s.value, None if np.isnan(computed) else computed
        )
    ]


_KIND = {
    Kind.COST: N_("omkostning"),
    Kind.SAVING: N_("besparelse"),
    Kind.INVESTMENT: N_("investering"),
}
_SIGN = {
    SignConvention.SPENDING: N_("besparelser negative"),
    SignConvention.SAVINGS_POSITIVE: N_("besparelser positive"),
}


def check_line_signs(case: Case, res: Results) -> list[Finding]:
    """A saving that raises spending (or a cost that lowers it) is usually a sign slip."""
    out = []
    for i, line in enumerate(case.lines):
        a = res.amounts[0, i]
        bad = a > 1e-9 if line.kind is Kind.SAVING else a < -1e-9
        if bad.any():
            j = int(np.argmax(bad))
            msg = Msg(
                "linje '{line}' er af arten {kind}, men beløbet {year} er {amount} "
                "(fortegnskonvention: {sign})",
                line=line.id,
                kind=Msg(_KIND[line.kind]),
                year=int(res.years[j]),
                amount=_num(float(a[j])),
                sign=Msg(_SIGN[case.sign]),
            )
            out.append(Finding("LINE_SIGN", msg, line.label, int(res.years[j]), None, float(a[j])))
    return out


def check_case(case: Case, res: Results | None = None) -> CaseReport:
    from ..engine.resolve import evaluate

    res = res or evaluate(case)
    findings = check_line_signs(case, res) + check_stated(case, res)
    from .perspectives import check_perspectives  # it uses this module's unit helpers

    findings += check_perspectives(case, res)
    bases = ("service", "total", "own") if res.has_external else ("service", "total")
    payback = {b: _none_if_nan(res.payback(b)[0]) for b in bases}
    n = len(case.stated)
    notes: list[Any] = [
        Msg(
            "Enhed: {unit}, {price_level} p/l; år {first}-{last}; fortegn: {sign}",
            unit=case.unit.value,
            price_level=case.price_level,
            first=case.horizon.first,
            last=case.horizon.last,
            sign=Msg(_SIGN[case.sign]),
        ),
        Msg.plural_of(
            "{n} angivne tal sammenlignet med beregningen",
            "{n} angivne tal sammenlignet med beregningen",
            n,
        ),
    ]
    return CaseReport("case", f"{case.id}: {case.title}", findings, payback, notes)


def _none_if_nan(v: float) -> float | None:
    return None if np.isnan(v) else float(v)
