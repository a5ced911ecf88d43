"""Checks of the perspectives (docs/perspectives.md): a stated figure for the public sector or
society against the computation (by `verdict`, the one rule), and transfers that must net to
zero (the lines marked as one transfer, or a catalogue consequence marked as a transfer)."""

from __future__ import annotations

import numpy as np

from ..case.schema import Case, SignConvention, StatedFigure
from ..case.years import parse_year_key, to_vector
from ..engine.perspectives import Perspectives, has_payers, perspectives
from ..engine.results import Results
from ..i18n import N_, Msg
from .findings import Finding, Num
from .verdict import Verdict, verdict

PERSPECTIVE_NAMES = {
    "municipality": N_("kommunen"),
    "public": N_("den offentlige sektor"),
    "society": N_("samfundet"),
}


def _num(v: float) -> Num:
    return Num(v, 0 if abs(v - round(v)) < 1e-9 else 1)


def check_perspectives(case: Case, res: Results, pr: Perspectives | None = None) -> list[Finding]:
    """Findings of the stated perspective figures and the transfers of `case`."""
    wanted = [s for s in case.stated if s.perspective in ("public", "society")]
    if not wanted and not case.transfers:
        return []
    if pr is None:
        pr = perspectives(res)
    out: list[Finding] = []
    for s in wanted:
        out += _check_figure(s, case, pr)
    out += check_transfers(pr)
    return out


def _check_figure(s: StatedFigure, case: Case, pr: Perspectives) -> list[Finding]:
    from .case import OF_KINDS, in_case_unit, unit_shift

    assert s.perspective is not None
    row = f"{s.table}: {s.row}"
    who = Msg(PERSPECTIVE_NAMES[s.perspective])
    if s.payback is not None:
        assert s.value is not None  # the schema requires it
        computed = float(pr.payback(s.perspective)[0])
        if not np.isnan(computed) and abs(computed - s.value) < 1e-9:
            return []
        shown = Msg("ikke inden for horisonten") if np.isnan(computed) else f"{computed:g}"
        msg = Msg(
            "'{row}': angivet tilbagebetalingstid {stated} år for {who}, beregnet {computed}",
            row=row,
            stated=f"{s.value:g}",
            who=who,
            computed=shown,
        )
        value = None if np.isnan(computed) else computed
        return [Finding("PERSPECTIVE_MISMATCH", msg, row, None, s.value, value)]
    kinds = OF_KINDS[s.of] if s.of is not None else None
    flow, parts = pr.selected(s.perspective, kinds)
    series = flow[0]
    shift = unit_shift(s.unit, case.unit)
    decimals = s.decimals - shift
    flip = -1.0 if case.sign is SignConvention.SAVINGS_POSITIVE else 1.0
    years = pr.years
    checks: list[tuple[float, float, int, int | None]] = []  # stated, computed, parts, year
    if s.values is not None:
        given = to_vector(s.values, years, np.nan)
        for j, y in enumerate(years):
            if not np.isnan(given[j]):
                stated = in_case_unit(float(given[j]), shift) * flip
                checks.append((stated, float(series[j]), int(parts[j]), int(y)))
    elif s.total is not None:
        a, b = (
            (case.horizon.first, case.horizon.last) if s.years is None else parse_year_key(s.years)
        )
        cols = (years >= a) & (years <= b)
        stated = in_case_unit(s.total, shift) * flip
        checks.append((stated, float(series[cols].sum()), int(parts[cols].sum()), None))
    out = []
    for stated, computed, n, year in checks:
        v = verdict(stated, computed, decimals, n)
        if v is Verdict.MATCH:
            continue
        where = row + (f" {year}" if year is not None else "")
        code = {Verdict.ROUNDING: "ROUNDING", Verdict.SIGN: "SIGN_MISMATCH"}.get(
            v, "PERSPECTIVE_MISMATCH"
        )
        msg = Msg(
            "'{where}' ({who}): angivet {stated}, beregnet {computed}; forskel {diff}",
            where=where,
            who=who,
            stated=_num(stated * flip),
            computed=_num(computed * flip),
            diff=_num((stated - computed) * flip),
        )
        out.append(Finding(code, msg, row, year, stated, computed))
    return out


def check_transfers(pr: Perspectives) -> list[Finding]:
    """A transfer moves money between payers, so its lines sum to zero every year; the first
    year in which a transfer does not is a finding (draw 0, the plain calculation)."""
    out = []
    for name, residual in pr.transfer_residuals().items():
        r = residual[0]
        ids = pr.case.transfers[name]
        size = max(
            [float(np.abs(a[0]).max()) for a in (pr.line_amounts(i) for i in ids) if a is not None]
            + [1.0]
        )
        bad = np.abs(r) > 1e-9 * size
        if not bad.any():
            continue
        j = int(np.argmax(bad))
        year = int(pr.years[j])
        if ">" in name:
            a, b = name.split(">", 1)
            msg = Msg(
                "overførslen fra {a} til {b} går ikke i nul i {year}: linjerne {lines} summerer "
                "til {amount}",
                a=a,
                b=b,
                year=year,
                lines=", ".join(ids),
                amount=_num(float(r[j])),
            )
        else:
            msg = Msg(
                "konsekvensen på linje {line} er en overførsel, men dens værdier for betalerne "
                "summerer til {amount} i {year}, ikke nul",
                line=name,
                amount=_num(float(r[j])),
                year=year,
            )
        out.append(Finding("TRANSFER_NOT_NETTING", msg, name, year, 0.0, float(r[j])))
    return out


__all__ = ["check_perspectives", "check_transfers", "has_payers"]
