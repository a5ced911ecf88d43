"""The Tabel 1 / Table 1 sheet: the template's table as formulas over the line cells, the
workings of payback and NPV, own net cost and the totals by committee; a part of the
workbook writer (`writer._Writer`).

A case with external funding gets a third payback basis, the municipality's own money (all
lines but `funding: external`), with its own workings. The workbook always computes in the
spending convention (savings negative); a case written with savings positive says so in the
caption."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...case.schema import Area, Funding, Kind
from ...engine import finance
from ...engine.results import PERMANENT, UNALLOCATED
from ...i18n import N_, translator
from ..labels import LabelTable
from ..table1 import LABELS as TABLE1_LABELS
from ..table1 import bases, caption, sign_factor
from .cells import write_text
from .formulas import cell
from .labels import FUNDING_LABEL, KIND_LABEL
from .state import _State

OWN_LABELS = LabelTable(
    {
        "flow_own": N_("Nettostrøm, kommunens egne midler (uden ekstern finansiering)"),
        "cum_own": N_("Akkumuleret, kommunens egne midler"),
        "tol_own": N_("Tolerance for nul, egne midler (10⁻⁹ × største nettostrøm, mindst 10⁻⁹)"),
        "started_own": N_("Startet, egne midler (1 = første år med nettostrøm ≠ 0 er nået)"),
        "ok_own": N_("Tilbagebetalt, egne midler (1 = startet og akkumuleret ≤ 0)"),
        "frac_own": N_("Tilbagebetalingstid, kommunens egne midler, interpoleret (år)"),
        "payback_year_own": N_("Tilbagebetalingsår, kommunens egne midler (kalenderår)"),
        "npv_own": N_("Nutidsværdi af gevinsten, kommunens egne midler"),
    }
)
"""The workings of the own-money basis (only for a case with external funding)."""


class _Table1Sheet(_State):
    """Writes Tabel 1 last, as formulas over the cells of Linjer and Parametre; mixed into
    `writer._Writer`, whose state it shares."""

    T_YEAR0 = 2

    def write_table1(self, ws: Any) -> None:
        L = {**self.L, **OWN_LABELS[self.lang]}
        T, F = TABLE1_LABELS[self.lang], self.fmt
        res, case, n, y0 = self.res, self.case, self.n, self.T_YEAR0
        cols = [(j, y0 + j) for j in range(n)]  # (year index, column)
        write_text(ws, 0, 0, L["title"], F["title"])
        write_text(ws, 1, 0, case.title, F["subtitle"])
        note = f"{caption(res, self.lang)}. {L['caption_note']}"
        if sign_factor(res) < 0:
            tr = translator(self.lang)
            note += " " + tr(
                "Arbejdsbogen regner og viser beløbene i udgiftskonventionen (besparelser "
                "negative); casen er skrevet med besparelser positive."
            )
        write_text(ws, 2, 0, note, F["caption"])
        hdr = 4
        write_text(ws, hdr, 0, caption(res, self.lang), F["header"])
        write_text(ws, hdr, 1, T["area"], F["header"])
        for j, y in enumerate(self.years):
            ws.write_number(hdr, y0 + j, int(y), F["header_year"])
        r = hdr + 1

        def row_values(r: int, formulas: list[str], values: Any, fmt: Any) -> None:
            for (j, c), f in zip(cols, formulas, strict=True):
                ws.write_formula(r, c, "=" + f, fmt, float(values[j]))

        def span(row: int, abs_row: bool = True) -> str:
            return f"{cell(row, y0, abs_row, True)}:{cell(row, y0 + n - 1, abs_row, True)}"

        def col_sum(first: int, last: int) -> list[str]:
            if last < first:
                return ["0"] * n
            return [f"SUM({cell(first, c)}:{cell(last, c)})" for _, c in cols]

        # the template: sections, line rows grouped by `row` and area, totals, payback
        total_rows = {}
        for key, kinds, total in (
            ("permanent", PERMANENT, res.permanent[0]),
            ("investment", (Kind.INVESTMENT,), res.investment[0]),
        ):
            write_text(ws, r, 0, T[key], F["section"])
            r += 1
            groups: dict[tuple[str, Area], list[int]] = {}
            for i, ln in enumerate(case.lines):
                if ln.kind in kinds:
                    groups.setdefault((ln.display_row, ln.area), []).append(i)
            first = r
            for (label, area), idx in groups.items():
                write_text(ws, r, 0, label, F["text"])
                write_text(ws, r, 1, self.areas[area], F["text"])
                formulas = ["+".join(self.lref(i, j) for i in idx) for j, _ in cols]
                row_values(r, formulas, res.amounts[0, idx].sum(axis=0), F["num_blank"])
                r += 1
            write_text(ws, r, 0, T[f"{key}_total"], F["section"])
            row_values(r, col_sum(first, r - 1), total, F["num_bold"])
            total_rows[key] = r
            r += 1
        impact = r
        write_text(ws, r, 0, T["impact"], F["section"])
        perm, inv = total_rows["permanent"], total_rows["investment"]
        row_values(
            r, [f"{cell(perm, c)}+{cell(inv, c)}" for _, c in cols], res.impact[0], F["num_bold"]
        )
        r += 1
        shown = bases(res)  # service, total (and own money with external funding)
        payback_rows = {b: r + k for k, b in enumerate(shown)}
        for b, row in payback_rows.items():
            write_text(ws, row, 0, T[f"payback_{b}"], F["section"])
        r += len(shown) + 1

        # workings: net flow, cumulative, helper rows; payback into the template's rows
        write_text(ws, r, 0, L["workings"], F["subtitle"])
        r += 1
        area_rng = self.lrange(self.c_area, True)
        service = '"' + self.areas[Area.SERVICE] + '"'
        not_within = '"' + T["not_within"] + '"'
        flow_rows: dict[str, int] = {}
        fund_rng = self.lrange(self.c_funding, True)
        ext = '"' + FUNDING_LABEL[self.lang][Funding.EXTERNAL] + '"'
        for basis in shown:
            flows = res.basis_flows(basis)[0]
            cum = np.cumsum(flows)
            tol = 1e-9 * max(float(np.max(np.abs(flows))), 1.0)
            started = np.maximum.accumulate(np.abs(flows) > tol)
            ok = started & (cum <= tol)
            flow, cumr, tolr, st, okr = r, r + 1, r + 2, r + 3, r + 4
            flow_rows[basis] = flow
            tol_ref = cell(tolr, y0, True, True)
            write_text(ws, flow, 0, L[f"flow_{basis}"], F["text"])
            if basis == "service":
                formulas = [
                    f"SUMIFS({self.lrange(self.l_year0 + j)},{area_rng},{service})" for j, _ in cols
                ]
            elif basis == "own":  # all lines but those funded by an external grant
                formulas = [
                    f"{cell(impact, c)}-SUMIFS({self.lrange(self.l_year0 + j)},{fund_rng},{ext})"
                    for j, c in cols
                ]
            else:
                formulas = [cell(impact, c) for _, c in cols]
            row_values(flow, formulas, flows, F["num"])
            write_text(ws, cumr, 0, L[f"cum_{basis}"], F["section"])
            formulas = [
                cell(flow, c) if j == 0 else f"{cell(cumr, c - 1)}+{cell(flow, c)}" for j, c in cols
            ]
            row_values(cumr, formulas, cum, F["num_bold"])
            write_text(ws, tolr, 0, L[f"tol_{basis}"], F["helper_text"])
            rng = span(flow)
            ws.write_formula(tolr, y0, f"=1E-9*MAX(1,MAX({rng}),-MIN({rng}))", F["tolerance"], tol)
            write_text(ws, st, 0, L[f"started_{basis}"], F["helper_text"])
            formulas = [
                f"IF(ABS({cell(flow, c)})>{tol_ref},1,0)"
                if j == 0
                else f"IF(OR({cell(st, c - 1)}=1,ABS({cell(flow, c)})>{tol_ref}),1,0)"
                for j, c in cols
            ]
            row_values(st, formulas, started.astype(float), F["helper"])
            write_text(ws, okr, 0, L[f"ok_{basis}"], F["helper_text"])
            formulas = [f"IF(AND({cell(st, c)}=1,{cell(cumr, c)}<={tol_ref}),1,0)" for _, c in cols]
            row_values(okr, formulas, ok.astype(float), F["helper"])
            r += 5
            # the template's payback row: the first year that is paid back
            k = float(res.payback(basis)[0])
            pr = payback_rows[basis]
            ws.write_formula(
                pr,
                y0,
                f"=IFERROR(MATCH(1,{span(okr, False)},0),{not_within})",
                F["payback"],
                T["not_within"] if np.isnan(k) else k,
            )
            K = cell(pr, y0, True, True)
            # fractional: (k-1) + C(k-1) / (C(k-1) - C(k)), with C(k-1) >= 0 and 0 for k = 1
            cum_rng = span(cumr)
            prev = f"IF({K}>=2,MAX(INDEX({cum_rng},MAX({K}-1,1)),0),0)"
            denom = f"({prev}-INDEX({cum_rng},{K}))"
            frac = float(res.payback_fractional(basis)[0])
            write_text(ws, r, 0, L[f"frac_{basis}"], F["text"])
            ws.write_formula(
                r,
                y0,
                f"=IF(ISNUMBER({K}),{K}-1+IF({denom}>0,{prev}/{denom},0),{not_within})",
                F["payback_frac"],
                T["not_within"] if np.isnan(frac) else frac,
            )
            r += 1
            write_text(ws, r, 0, L[f"payback_year_{basis}"], F["text"])
            ws.write_formula(
                r,
                y0,
                f'=IF(ISNUMBER({K}),INDEX({span(hdr)},{K}),"")',
                F["payback_year"],
                "" if np.isnan(k) else float(self.years[int(k) - 1]),
            )
            r += 2

        # discount factors and NPV (of the benefit: minus the discounted net spending)
        d = case.discount
        df = finance.discount_factors(n, d.rate, d.first_year_discounted)
        note = L["discount_note_yes"] if d.first_year_discounted else L["discount_note_no"]
        dfr = r
        write_text(ws, r, 0, f"{L['discount_factor']} ({note})", F["text"])
        ws.write_formula(r, 1, "=" + self.rate_cell, F["pct_plain"], float(d.rate))
        formulas = [
            f"1/(1+{self.rate_cell})^({self.pref('t', j)}-1+{self.flag_cell})" for j, _ in cols
        ]
        row_values(r, formulas, df, F["factor"])
        r += 1
        for basis in ("total", "service", "own")[: len(shown)]:
            write_text(ws, r, 0, L[f"npv_{basis}"], F["section"])
            ws.write_formula(r, 1, "=" + self.rate_cell, F["pct_plain"], float(d.rate))
            ws.write_formula(
                r,
                y0,
                f"=-SUMPRODUCT({span(flow_rows[basis])},{span(dfr)})",
                F["npv"],
                float(res.npv(basis=basis)[0]),
            )
            r += 1
        r += 1
        write_text(ws, r, 0, L["own_net"], F["section"])
        formulas = [
            f"{cell(impact, c)}-SUMIFS({self.lrange(self.l_year0 + j)},{fund_rng},{ext})"
            for j, c in cols
        ]
        row_values(r, formulas, res.own_net[0], F["num_bold"])
        r += 2

        # committees: allocation share cells × line amounts
        write_text(ws, r, 0, L["by_committee"], F["subtitle"])
        r += 1
        kind_rng = self.lrange(self.c_kind, True)
        inv_label = '"' + KIND_LABEL[self.lang][Kind.INVESTMENT] + '"'
        blocks: tuple[tuple[str, str, dict[str, Any]], ...] = (
            ("committee_permanent", f",({kind_rng}<>{inv_label})*1", {"kinds": PERMANENT}),
            ("committee_investment", f",({kind_rng}={inv_label})*1", {"kinds": (Kind.INVESTMENT,)}),
            ("committee_total", "", {}),
        )
        for key, cond, select in blocks:
            write_text(ws, r, 0, L[key], F["section"])
            r += 1
            first = r
            by = res.by_committee(**select)
            for k, com in enumerate(res.committees):
                name = L["unallocated"] if com == UNALLOCATED else case.committees[com]
                write_text(ws, r, 0, f"{name} ({com})", F["text"])
                share = self.lrange(self.c_share0 + k, True)
                formulas = [
                    f"SUMPRODUCT({share},{self.lrange(self.l_year0 + j)}{cond})" for j, _ in cols
                ]
                row_values(r, formulas, by[com][0], F["num_blank"])
                r += 1
            write_text(ws, r, 0, L["total"], F["section"])
            row_values(r, col_sum(first, r - 1), res.total(**select)[0], F["num_bold"])
            r += 2

        ws.set_column(0, 0, 62)
        ws.set_column(1, 1, 14)
        ws.set_column(y0, y0 + n - 1, self.year_width())
        ws.freeze_panes(hdr + 1, 2)
        self._page(ws, hdr, fit=True)
