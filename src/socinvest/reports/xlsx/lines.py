"""The Linjer / Lines sheet: one row per line, explicit amounts as inputs and driver lines as
formulas over the parameter cells; a part of the workbook writer (`writer._Writer`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ...case.expr import parse_expression
from ...case.schema import CountDriver, ExprDriver, FteDriver, Kind, LadderDriver, Line
from ...case.years import to_vector
from ...i18n import translator
from ..table1 import caption
from .cells import comment_text, write_text
from .formats import _decimals_needed
from .formulas import _num_literal, cell, expr_to_excel
from .labels import FUNDING_LABEL, KIND_LABEL
from .state import _State


class _LinesSheet(_State):
    """Writes Linjer after Parametre (it refers to `p_row`) and records the line rows and
    columns that Tabel 1 sums over; mixed into `writer._Writer`, whose state it shares."""

    def write_lines(self, ws: Any) -> None:
        L, F, res, case, n = self.L, self.fmt, self.res, self.case, self.n
        write_text(ws, 0, 0, f"{L['lines_title']} – {case.title}", F["title"])
        write_text(ws, 1, 0, f"{caption(res, self.lang)}. {L['lines_note']}", F["caption"])
        hdr = 3
        cols = ["id", "label", "row", "kind", "area", "funding", "how", "in1", "in2", "in3"]
        cols.append("ramp")
        for c, key in enumerate(cols):
            write_text(ws, hdr, c, L[key], F["header"])
        self.c_kind, self.c_area, self.c_funding = 3, 4, 5
        self.c_share0 = len(cols)
        for k, com in enumerate(res.committees):
            write_text(ws, hdr, self.c_share0 + k, com, F["header"])
            name = case.committees.get(com, L["unallocated"])
            ws.write_comment(hdr, self.c_share0 + k, comment_text(name))
        self.l_year0 = self.c_share0 + len(res.committees)
        for j, y in enumerate(self.years):
            ws.write_number(hdr, self.l_year0 + j, int(y), F["header_year"])
        self.l_first = hdr + 1
        self.l_row: list[int] = []
        for i, ln in enumerate(case.lines):
            r = self.l_first + i
            self.l_row.append(r)
            write_text(ws, r, 0, ln.id, F["section"])
            write_text(ws, r, 1, ln.label, F["wrap"])
            if ln.note:
                ws.write_comment(r, 1, comment_text(ln.note), {"x_scale": 2, "y_scale": 2})
            write_text(ws, r, 2, ln.display_row, F["wrap"])
            write_text(ws, r, self.c_kind, KIND_LABEL[self.lang][ln.kind], F["text"])
            write_text(ws, r, self.c_area, self.areas[ln.area], F["text"])
            write_text(ws, r, self.c_funding, FUNDING_LABEL[self.lang][ln.funding], F["text"])
            for k in range(len(res.committees)):
                ws.write_number(r, self.c_share0 + k, float(res.allocation[i, k]), F["pct"])
            self._line_cells(ws, i, ln, r)
        self.l_last = self.l_first + len(case.lines) - 1
        tr = self.l_last + 1
        write_text(ws, tr, 0, L["total"], F["section"])
        impact = res.impact[0]
        for j in range(n):
            c = self.l_year0 + j
            ws.write_formula(
                tr,
                c,
                f"=SUM({cell(self.l_first, c)}:{cell(self.l_last, c)})",
                F["num_bold"],
                float(impact[j]),
            )
        # narrow text columns that wrap: the sheet is printed one page wide
        ws.set_column(0, 0, 20)
        ws.set_column(1, 1, 30)
        ws.set_column(2, 2, 20)
        ws.set_column(3, 5, 11)
        ws.set_column(6, 6, 26)
        ws.set_column(7, 9, 8)
        ws.set_column(10, 10, 12)
        ws.set_column(self.c_share0, self.l_year0 - 1, 8)
        ws.set_column(self.l_year0, self.l_year0 + n - 1, self.year_width())
        ws.set_row(hdr, 28)
        ws.freeze_panes(hdr + 1, 2)
        self._page(ws, hdr)

    def _line_cells(self, ws: Any, i: int, ln: Line, r: int) -> None:
        L, F, n, case = self.L, self.fmt, self.n, self.case
        values = self.res.amounts[0, i]
        saving = ln.kind is Kind.SAVING

        ramp_ref: Callable[[int], str] | None = None
        if isinstance(ln.ramp, str):
            write_text(ws, r, 10, ln.ramp, F["param_text"])
            ramp_row = self.p_row[ln.ramp]
        elif ln.ramp is not None:
            write_text(ws, r, 10, L["ramp_row"], F["param_text"])
            ramp_row = self.ramp_row[i]
        if ln.ramp is not None:

            def ramp_ref(j: int) -> str:
                return self.p_prefix + cell(ramp_row, self.P_YEAR0 + j)

        d = ln.driver
        if isinstance(d, LadderDriver):  # derived by the ladder model: amounts as numbers
            tr = translator(self.lang)
            text = tr("indsatstrappen: {ladder} ({measure})", ladder=d.ladder, measure=d.measure)
            write_text(ws, r, 6, text, F["param_text"])
            for j in range(n):
                ws.write_number(r, self.l_year0 + j, float(values[j]), F["input_blank"])
            return
        if d is None:
            write_text(ws, r, 6, L["amounts"], F["param_text"])
            raw = to_vector(ln.amounts, self.years)  # type: ignore[arg-type]
            if case.sign.value == "savings_positive":
                raw = -raw
            for j in range(n):
                c = self.l_year0 + j
                if ramp_ref is None:
                    ws.write_number(r, c, float(raw[j]), F["input_blank"])
                else:
                    body = f"{_num_literal(raw[j])}*{ramp_ref(j)}"
                    ws.write_formula(r, c, "=" + body, F["num_blank"], float(values[j]))
            return

        def operand(col: int, v: float | str) -> Callable[[int], str]:
            if isinstance(v, str):
                write_text(ws, r, col, v, F["param_text"])
                return lambda j: self.pref(v, j)
            ws.write_number(r, col, float(v), self.fmt.decimals(_decimals_needed(np.r_[v]), True))
            ref = cell(r, col, True, True)
            return lambda j: ref

        if isinstance(d, FteDriver):
            parts = [operand(7, d.fte), operand(8, d.rate)]
            how = f"{d.fte} × {d.rate}"
            mag = lambda j: "*".join(p(j) for p in parts)  # noqa: E731
        elif isinstance(d, CountDriver):
            parts = [operand(7, d.count), operand(8, d.price), operand(9, d.multiplier)]
            how = f"{d.count} × {d.price} × {d.multiplier}"
            mag = lambda j: "*".join(p(j) for p in parts)  # noqa: E731
        elif isinstance(d, ExprDriver):
            tree = parse_expression(d.expr).tree
            how = " ".join(d.expr.split())
            mag = lambda j: expr_to_excel(tree, lambda name: self.pref(name, j))  # noqa: E731
        else:  # pragma: no cover - the schema admits no other driver
            raise TypeError(type(d))
        how = f"−({how})" if saving else how
        if ramp_ref is not None:
            how += f" × {L['ramp'].lower()}"
        write_text(ws, r, 6, how, F["wrap"])
        for j in range(n):
            body = f"({mag(j)})"
            if saving:
                body = "-" + body
            if ramp_ref is not None:
                body = f"{body}*{ramp_ref(j)}"
            ws.write_formula(r, self.l_year0 + j, "=" + body, F["num_blank"], float(values[j]))

    def lref(self, i: int, j: int) -> str:
        return self.l_prefix + cell(self.l_row[i], self.l_year0 + j)

    def lrange(self, col: int, abs_col: bool = False) -> str:
        a = cell(self.l_first, col, True, abs_col)
        b = cell(self.l_last, col, True, abs_col)
        return f"{self.l_prefix}{a}:{b}"
