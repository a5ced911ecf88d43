"""The Parametre / Parameters sheet: parameters, `year` and `t`, ramps written on lines, and
the discounting; a part of the workbook writer (`writer._Writer`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...case.years import parse_year_key, to_vector
from ..table1 import caption
from .cells import comment_text, write_text
from .formats import _decimals_needed
from .formulas import cell
from .state import _State


def _runs(value: Any, years: np.ndarray) -> list[tuple[int, int]]:
    """Index ranges [lo, hi) of the horizon that one written value covers (one input cell)."""
    n = len(years)
    if not isinstance(value, dict):
        return [(0, n)]
    first = int(years[0])
    runs, covered = [], np.zeros(n, dtype=bool)
    for key in value:
        a, b = parse_year_key(key)
        lo, hi = max(a - first, 0), min(b - first + 1, n)
        if lo < hi:
            runs.append((lo, hi))
            covered[lo:hi] = True
    runs += [(i, i + 1) for i in range(n) if not covered[i]]  # unlisted years: own cell
    return sorted(runs)


class _ParamsSheet(_State):
    """Writes Parametre and records the rows (`p_row`, `ramp_row`, rate and flag cells) that
    the other sheets refer to; mixed into `writer._Writer`, whose state it shares."""

    P_YEAR0 = 4  # first year column on Parametre (A name, B unit, C source, D date)

    def write_params(self, ws: Any) -> None:
        L, F, case, years, n = self.L, self.fmt, self.case, self.years, self.n
        write_text(ws, 0, 0, f"{L['params_title']} – {case.title}", F["title"])
        write_text(ws, 1, 0, f"{caption(self.res, self.lang)}. {L['params_note']}", F["caption"])
        hdr = 3
        for c, key in enumerate(("name", "unit", "source", "date")):
            write_text(ws, hdr, c, L[key], F["header"])
        for j, y in enumerate(years):
            ws.write_number(hdr, self.P_YEAR0 + j, int(y), F["header_year"])
        self.p_row: dict[str, int] = {}
        r = hdr + 1
        for name, unit, vals in (
            ("year", L["year_unit"], years.astype(float)),
            ("t", L["t_unit"], np.arange(1, n + 1, dtype=float)),
        ):
            write_text(ws, r, 0, name, F["section"])
            write_text(ws, r, 1, unit, F["text"])
            write_text(ws, r, 2, L["builtin"], F["param_text"])
            for j, v in enumerate(vals):
                ws.write_number(r, self.P_YEAR0 + j, float(v), F["year"])
            self.p_row[name] = r
            r += 1
        for name, p in case.parameters.items():
            write_text(ws, r, 0, name, F["section"])
            write_text(ws, r, 1, p.unit, F["text"])
            write_text(ws, r, 2, p.source, F["wrap"])
            if p.date is not None:
                d = p.date.isoformat() if hasattr(p.date, "isoformat") else str(p.date)
                write_text(ws, r, 3, d, F["text"])
            if p.note:
                ws.write_comment(r, 0, comment_text(p.note))
            self._year_inputs(ws, r, p.value, to_vector(p.value, years))
            self.p_row[name] = r
            r += 1
        # ramps written on lines (a ramp that names a parameter uses the parameter's row)
        self.ramp_row: dict[int, int] = {}
        ramps = [
            (i, ln)
            for i, ln in enumerate(case.lines)
            if ln.ramp is not None and not isinstance(ln.ramp, str)
        ]
        if ramps:
            r += 1
            write_text(ws, r, 0, L["ramps"], F["subtitle"])
            r += 1
            for i, ln in ramps:
                assert ln.ramp is not None and not isinstance(ln.ramp, str)
                write_text(ws, r, 0, f"ramp: {ln.id}", F["section"])
                write_text(ws, r, 1, L["share"], F["text"])
                write_text(ws, r, 2, f"{L['line']} {ln.id}: {ln.label}", F["wrap"])
                self._year_inputs(ws, r, ln.ramp, to_vector(ln.ramp, years, 1.0), fill_one=True)
                self.ramp_row[i] = r
                r += 1
        # discounting
        d = case.discount
        r += 1
        write_text(ws, r, 0, L["discount"], F["subtitle"])
        r += 1
        write_text(ws, r, 0, L["rate_label"], F["section"])
        write_text(ws, r, 1, L["rate_unit"], F["text"])
        write_text(ws, r, 2, L["case"], F["param_text"])
        ws.write_number(r, self.P_YEAR0, float(d.rate), F["pct"])
        self.rate_cell = self.p_prefix + cell(r, self.P_YEAR0, True, True)
        r += 1
        write_text(ws, r, 0, L["flag_label"], F["section"])
        write_text(ws, r, 1, L["flag_unit"], F["text"])
        note = L["discount_note_yes"] if d.first_year_discounted else L["discount_note_no"]
        write_text(ws, r, 2, note, F["wrap"])
        ws.write_number(r, self.P_YEAR0, 1.0 if d.first_year_discounted else 0.0, F["flag"])
        self.flag_cell = self.p_prefix + cell(r, self.P_YEAR0, True, True)

        ws.set_column(0, 0, 24)
        ws.set_column(1, 1, 22)
        ws.set_column(2, 2, 48)
        ws.set_column(3, 3, 11)
        ws.set_column(self.P_YEAR0, self.P_YEAR0 + n - 1, 9)
        ws.freeze_panes(hdr + 1, 1)
        self._page(ws, hdr)

    def _year_inputs(
        self, ws: Any, r: int, value: Any, vec: np.ndarray, fill_one: bool = False
    ) -> None:
        """One input cell per written value; other years of its run refer to that cell."""
        d = _decimals_needed(vec)
        f_in, f_ref = self.fmt.decimals(d, True), self.fmt.decimals(d, False)
        for lo, hi in _runs(value, self.years):
            ws.write_number(r, self.P_YEAR0 + lo, float(vec[lo]), f_in)
            anchor = cell(r, self.P_YEAR0 + lo)
            for j in range(lo + 1, hi):
                ws.write_formula(r, self.P_YEAR0 + j, f"={anchor}", f_ref, float(vec[j]))

    def pref(self, name: str, j: int) -> str:
        """Reference to a parameter (or year/t) in year column j, from another sheet."""
        return self.p_prefix + cell(self.p_row[name], self.P_YEAR0 + j)
