"""Excel workbook of a computed case, with live formulas an auditor can follow and change.

Three sheets (Danish names by default, English with ``lang="en"``):

- **Parametre** / Parameters: one row per parameter (name, unit, source, date) with its value
  in one column per year; rows for ``year`` and ``t``; a ramp row for every line whose ramp is
  written on the line; the discount rate and whether year 1 is discounted. Yellow cells are
  inputs. A value that the case file gives for a run of years (``2019-2022: 8``, or one number
  for the whole horizon) is one input cell; the other years of the run refer to it.
- **Linjer** / Lines: one row per line (id, label, table-1 row, kind, area, funding,
  allocation shares) and one cell per year. Explicit amounts are numbers in the spending
  convention (savings negative); driver lines are formulas over the parameter cells, with
  any number written in the driver (``rate: 500``) in an input cell on the line's row.
- **Tabel 1** / Table 1: the template's table (as ``reports.table1``) where every figure is a
  formula over the line cells, followed by the workings of payback (net flow, cumulative,
  helper rows, fractional payback) on both bases, discount factors, NPV, the municipality's
  own net cost and the totals by committee.

Every formula carries the engine's value as its cached result, so viewers that do not
recalculate show the right numbers; ``tests/test_report_xlsx.py`` recalculates the workbook in
LibreOffice and compares every figure with the engine. The conventions implemented by the
formulas are those of docs/conventions.md; no figure is computed here that the engine does
not compute (the cached values come from ``Results``).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np

from ..case.expr import parse_expression
from ..case.schema import Area, CountDriver, ExprDriver, FteDriver, Funding, Kind, Line
from ..case.years import parse_year_key, to_vector
from ..engine import finance
from ..engine.results import PERMANENT, UNALLOCATED, Results
from .table1 import AREA_DA, AREA_EN, caption
from .table1 import LABELS as TABLE1_LABELS

__all__ = ["LABELS", "SHEETS", "write_xlsx"]

SHEETS = {
    "da": {"table1": "Tabel 1", "lines": "Linjer", "params": "Parametre", "figures": "Figurer"},
    "en": {"table1": "Table 1", "lines": "Lines", "params": "Parameters", "figures": "Figures"},
}
FIGURES_NOTE = {
    "da": "Figurerne er de samme som i rapportens andre formater (tegnet af socinvest ud fra "
    "casens egne tal); de følger ikke med, hvis du ændrer tal i arket.",
    "en": "The figures are those of the report's other formats (drawn by socinvest from the "
    "case's own figures); they do not follow changes you make in the workbook.",
}

KIND_LABEL = {
    "da": {Kind.COST: "Omkostning", Kind.SAVING: "Besparelse", Kind.INVESTMENT: "Investering"},
    "en": {Kind.COST: "Cost", Kind.SAVING: "Saving", Kind.INVESTMENT: "Investment"},
}
FUNDING_LABEL = {
    "da": {Funding.OWN: "Egen", Funding.POOL: "Pulje", Funding.EXTERNAL: "Ekstern"},
    "en": {Funding.OWN: "Own", Funding.POOL: "Pool", Funding.EXTERNAL: "External"},
}

LABELS: dict[str, dict[str, str]] = {
    "da": {
        "title": "Forslagets samlede økonomiske konsekvenser",
        "caption_note": "Besparelser med negativt fortegn. Alle tal er formler over arket "
        "Linjer og Parametre; vist afrundet, beregnet med fuld præcision.",
        "workings": "Tilbagebetalingstid og nutidsværdi (beregning)",
        "flow_service": "Nettostrøm, serviceeffektivisering (kun Service)",
        "flow_total": "Nettostrøm, totaløkonomi (alle linjer)",
        "cum_service": "Akkumuleret, serviceeffektivisering",
        "cum_total": "Akkumuleret, totaløkonomi",
        "tol_service": "Tolerance for nul, service (10⁻⁹ × største nettostrøm, mindst 10⁻⁹)",
        "tol_total": "Tolerance for nul, totaløkonomi (10⁻⁹ × største nettostrøm, mindst 10⁻⁹)",
        "started_service": "Startet, service (1 = første år med nettostrøm ≠ 0 er nået)",
        "started_total": "Startet, totaløkonomi (1 = første år med nettostrøm ≠ 0 er nået)",
        "ok_service": "Tilbagebetalt, service (1 = startet og akkumuleret ≤ 0)",
        "ok_total": "Tilbagebetalt, totaløkonomi (1 = startet og akkumuleret ≤ 0)",
        "frac_service": "Tilbagebetalingstid, serviceeffektivisering, interpoleret (år)",
        "frac_total": "Tilbagebetalingstid, totaløkonomi, interpoleret (år)",
        "payback_year_service": "Tilbagebetalingsår, serviceeffektivisering (kalenderår)",
        "payback_year_total": "Tilbagebetalingsår, totaløkonomi (kalenderår)",
        "discount_factor": "Diskonteringsfaktor 1/(1 + rente)^t",
        "npv_total": "Nutidsværdi af gevinsten, totaløkonomi (positiv: forslaget betaler sig)",
        "npv_service": "Nutidsværdi af gevinsten, serviceeffektivisering",
        "own_net": "Egen nettoudgift (ekskl. ekstern finansiering)",
        "by_committee": "Fordeling på udvalg (fordelingsnøgle × linjernes beløb)",
        "committee_permanent": "Varige ændringer fordelt på udvalg",
        "committee_investment": "Implementeringsomkostninger fordelt på udvalg",
        "committee_total": "Samlet økonomisk påvirkning fordelt på udvalg",
        "total": "I alt",
        "unallocated": "Ikke fordelt",
        "years_fmt": '0 "år"',
        "years_frac_fmt": '0.00 "år"',
        "discount_note_yes": "år 1 diskonteres med et helt år: t = 1",
        "discount_note_no": "år 1 diskonteres ikke: t = 0",
        # Lines sheet
        "lines_title": "Linjer",
        "lines_note": "Udgiftsfortegn: omkostninger og investeringer positive, besparelser "
        "negative. Driverlinjer er formler over Parametre; gule celler er input.",
        "id": "Id",
        "label": "Tekst",
        "row": "Række i tabel 1",
        "kind": "Art",
        "area": "Styringsområde",
        "funding": "Finansiering",
        "how": "Beregning",
        "in1": "Årsværk / antal",
        "in2": "Sats / pris",
        "in3": "Faktor",
        "ramp": "Indfasning",
        "amounts": "Beløb",
        "ramp_row": "se Parametre",
        # Parameters sheet
        "params_title": "Parametre",
        "params_note": "Gule celler er input: ændr et tal, så regner linjer, tabel 1, "
        "tilbagebetalingstid og nutidsværdi om.",
        "name": "Navn",
        "unit": "Enhed",
        "source": "Kilde",
        "date": "Dato",
        "year_unit": "kalenderår (year i udtryk)",
        "t_unit": "årets nummer, år 1 = første år (t i udtryk)",
        "builtin": "indbygget",
        "ramps": "Indfasning pr. linje (andel af fuld effekt)",
        "share": "andel",
        "line": "linje",
        "discount": "Diskontering",
        "rate_label": "Diskonteringsrate (real, pr. år)",
        "rate_unit": "andel pr. år",
        "flag_label": "År 1 diskonteret (1 = ja, 0 = nej)",
        "flag_unit": "1/0",
        "case": "forslagets discount-blok",
    },
    "en": {
        "title": "Total economic consequences of the proposal",
        "caption_note": "Savings are negative. Every figure is a formula over the sheets "
        "Lines and Parameters; shown rounded, computed in full precision.",
        "workings": "Payback and present value (workings)",
        "flow_service": "Net flow, service basis (Service lines only)",
        "flow_total": "Net flow, total basis (all lines)",
        "cum_service": "Cumulative, service basis",
        "cum_total": "Cumulative, total basis",
        "tol_service": "Tolerance for zero, service (1e-9 × largest net flow, at least 1e-9)",
        "tol_total": "Tolerance for zero, total (1e-9 × largest net flow, at least 1e-9)",
        "started_service": "Started, service (1 = first year with net flow ≠ 0 reached)",
        "started_total": "Started, total (1 = first year with net flow ≠ 0 reached)",
        "ok_service": "Paid back, service (1 = started and cumulative ≤ 0)",
        "ok_total": "Paid back, total (1 = started and cumulative ≤ 0)",
        "frac_service": "Payback period, service basis, interpolated (years)",
        "frac_total": "Payback period, total basis, interpolated (years)",
        "payback_year_service": "Payback year, service basis (calendar year)",
        "payback_year_total": "Payback year, total basis (calendar year)",
        "discount_factor": "Discount factor 1/(1 + rate)^t",
        "npv_total": "Net present value of the benefit, total basis (positive: the case pays)",
        "npv_service": "Net present value of the benefit, service basis",
        "own_net": "Own net cost (excluding external funding)",
        "by_committee": "By committee (allocation share × line amounts)",
        "committee_permanent": "Permanent changes by committee",
        "committee_investment": "Implementation costs by committee",
        "committee_total": "Total economic impact by committee",
        "total": "Total",
        "unallocated": "Unallocated",
        "years_fmt": '0 "years"',
        "years_frac_fmt": '0.00 "years"',
        "discount_note_yes": "year 1 is discounted by one full year: t = 1",
        "discount_note_no": "year 1 is not discounted: t = 0",
        "lines_title": "Lines",
        "lines_note": "Spending convention: costs and investments positive, savings negative. "
        "Driver lines are formulas over Parameters; yellow cells are inputs.",
        "id": "Id",
        "label": "Label",
        "row": "Row in table 1",
        "kind": "Kind",
        "area": "Control area",
        "funding": "Funding",
        "how": "Computation",
        "in1": "FTE / count",
        "in2": "Rate / price",
        "in3": "Multiplier",
        "ramp": "Ramp",
        "amounts": "Amounts",
        "ramp_row": "see Parameters",
        "params_title": "Parameters",
        "params_note": "Yellow cells are inputs: change a number and the lines, table 1, "
        "payback and present value follow.",
        "name": "Name",
        "unit": "Unit",
        "source": "Source",
        "date": "Date",
        "year_unit": "calendar year (year in expressions)",
        "t_unit": "number of the year, year 1 = first year (t in expressions)",
        "builtin": "built in",
        "ramps": "Ramp per line (share of the full effect)",
        "share": "share",
        "line": "line",
        "discount": "Discounting",
        "rate_label": "Discount rate (real, per year)",
        "rate_unit": "share per year",
        "flag_label": "Year 1 discounted (1 = yes, 0 = no)",
        "flag_unit": "1/0",
        "case": "the case's discount block",
    },
}


# --- cell references ---------------------------------------------------------------------


def col_letter(col: int) -> str:
    """0-based column index -> Excel column letters (0 -> A, 26 -> AA)."""
    s = ""
    col += 1
    while col:
        col, r = divmod(col - 1, 26)
        s = chr(65 + r) + s
    return s


def cell(row: int, col: int, abs_row: bool = False, abs_col: bool = False) -> str:
    """0-based (row, col) -> A1 reference."""
    return f"{'$' if abs_col else ''}{col_letter(col)}{'$' if abs_row else ''}{row + 1}"


def _sheet_prefix(name: str) -> str:
    if name.replace("_", "").isalnum() and name.isascii():
        return f"{name}!"
    return "'" + name.replace("'", "''") + "'!"


def _num_literal(v: float) -> str:
    v = float(v)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v).upper()


# --- expressions -> Excel formulas ---------------------------------------------------------

_ATOM = 9
_PREC = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}


def expr_to_excel(tree: ast.expr, ref: Callable[[str], str]) -> str:
    """Translate a checked expression tree (case/expr.py) into an Excel formula body.

    `ref(name)` gives the cell reference of a parameter, `year` or `t` for the column being
    written. Parentheses keep numpy's evaluation order exactly (`a - (b - c)` stays so);
    unary minus and powers are always parenthesised, since Excel binds `-a^b` as `(-a)^b`.
    """

    def emit(node: ast.AST) -> tuple[str, int]:
        if isinstance(node, ast.Constant):
            return _num_literal(node.value), _ATOM
        if isinstance(node, ast.Name):
            return ref(node.id), _ATOM
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = ",".join(emit(a)[0] for a in node.args)
            return f"{node.func.id.upper()}({args})", _ATOM
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
            text, prec = emit(node.operand)
            if prec < _ATOM:
                text = f"({text})"
            return (f"-{text}" if isinstance(node.op, ast.USub) else text), 0
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            (lt, lp), (rt, rp) = emit(node.left), emit(node.right)
            op = type(node.op)
            if op is ast.Pow:
                lt = lt if lp == _ATOM else f"({lt})"
                rt = rt if rp == _ATOM else f"({rt})"
                return f"{lt}^{rt}", 3
            p = _PREC[op]
            if lp < p:
                lt = f"({lt})"
            if rp <= p:
                rt = f"({rt})"
            return f"{lt}{_OPS[op]}{rt}", p
        raise ValueError(f"cannot write {ast.unparse(node)!r} as an Excel formula")

    return emit(tree)[0]


# --- layout ------------------------------------------------------------------------------


@dataclass
class _Formats:
    wb: Any
    lang: str
    f: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        wb, L = self.wb, LABELS[self.lang]
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}

        def add(name: str, **kw: Any) -> None:
            self.f[name] = wb.add_format({**base, **kw})

        add("text")
        add("wrap", text_wrap=True)
        add("title", bold=True, font_size=14)
        add("subtitle", bold=True, font_size=11)
        add("caption", italic=True, font_color="#595959")
        add("header", bold=True, bg_color="#D9E1F2", bottom=1, text_wrap=True)
        add("header_year", bold=True, bg_color="#D9E1F2", bottom=1, num_format="0", align="right")
        add("section", bold=True)
        add("num", num_format="#,##0")
        add("num_bold", num_format="#,##0", bold=True, top=1)
        add("input", num_format="#,##0", bg_color="#FFF2CC")
        add("pct", num_format="0.0%", bg_color="#FFF2CC")
        add("pct_plain", num_format="0.0%")
        add("year", num_format="0")
        add("flag", num_format="0", bg_color="#FFF2CC")
        add("helper", num_format="0", font_color="#808080")
        add("helper_text", font_color="#808080")
        add("tolerance", num_format="0.00E+00", font_color="#808080")
        add("factor", num_format="0.0000")
        add("payback", num_format=L["years_fmt"], bold=True, align="left")
        add("payback_frac", num_format=L["years_frac_fmt"], align="left")
        add("payback_year", num_format="0", align="left")
        add("npv", num_format="#,##0", bold=True)
        add("param_text", italic=True, font_color="#595959")
        self._decimal: dict[int, Any] = {}

    def __getitem__(self, name: str) -> Any:
        return self.f[name]

    def decimals(self, d: int, input_: bool) -> Any:
        key = d * 2 + int(input_)
        if key not in self._decimal:
            fmt = "#,##0" + ("." + "0" * d if d else "")
            opts = {"font_name": "Calibri", "font_size": 10, "num_format": fmt}
            if input_:
                opts["bg_color"] = "#FFF2CC"
            self._decimal[key] = self.wb.add_format(opts)
        return self._decimal[key]


def _decimals_needed(values: np.ndarray) -> int:
    for d in range(7):
        if np.allclose(values, np.round(values, d), rtol=0, atol=1e-12):
            return d
    return 6


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


class _Writer:
    def __init__(self, res: Results, target: Any, lang: str) -> None:
        import xlsxwriter

        self.res, self.case, self.lang, self.L = res, res.case, lang, LABELS[lang]
        self.years = res.years
        self.n = len(res.years)
        self.names = SHEETS[lang]
        opts = {"strings_to_numbers": False, "strings_to_formulas": False}
        opts["strings_to_urls"] = False
        if not isinstance(target, str | os.PathLike):
            opts["in_memory"] = True
        self.wb = xlsxwriter.Workbook(
            os.fspath(target) if isinstance(target, str | os.PathLike) else target, opts
        )
        self.fmt = _Formats(self.wb, lang)
        self.p_prefix = _sheet_prefix(self.names["params"])
        self.l_prefix = _sheet_prefix(self.names["lines"])
        self.areas = AREA_DA if lang == "da" else AREA_EN

    # -- Parametre ----------------------------------------------------------------------

    P_YEAR0 = 4  # first year column on Parametre (A name, B unit, C source, D date)

    def write_params(self, ws: Any) -> None:
        L, F, case, years, n = self.L, self.fmt, self.case, self.years, self.n
        ws.write_string(0, 0, f"{L['params_title']} – {case.title}", F["title"])
        ws.write_string(1, 0, f"{caption(self.res, self.lang)}. {L['params_note']}", F["caption"])
        hdr = 3
        for c, key in enumerate(("name", "unit", "source", "date")):
            ws.write_string(hdr, c, L[key], F["header"])
        for j, y in enumerate(years):
            ws.write_number(hdr, self.P_YEAR0 + j, int(y), F["header_year"])
        self.p_row: dict[str, int] = {}
        r = hdr + 1
        for name, unit, vals in (
            ("year", L["year_unit"], years.astype(float)),
            ("t", L["t_unit"], np.arange(1, n + 1, dtype=float)),
        ):
            ws.write_string(r, 0, name, F["section"])
            ws.write_string(r, 1, unit, F["text"])
            ws.write_string(r, 2, L["builtin"], F["param_text"])
            for j, v in enumerate(vals):
                ws.write_number(r, self.P_YEAR0 + j, float(v), F["year"])
            self.p_row[name] = r
            r += 1
        for name, p in case.parameters.items():
            ws.write_string(r, 0, name, F["section"])
            ws.write_string(r, 1, p.unit, F["text"])
            ws.write_string(r, 2, p.source, F["wrap"])
            if p.date is not None:
                d = p.date.isoformat() if hasattr(p.date, "isoformat") else str(p.date)
                ws.write_string(r, 3, d, F["text"])
            if p.note:
                ws.write_comment(r, 0, p.note)
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
            ws.write_string(r, 0, L["ramps"], F["subtitle"])
            r += 1
            for i, ln in ramps:
                ws.write_string(r, 0, f"ramp: {ln.id}", F["section"])
                ws.write_string(r, 1, L["share"], F["text"])
                ws.write_string(r, 2, f"{L['line']} {ln.id}: {ln.label}", F["wrap"])
                self._year_inputs(ws, r, ln.ramp, to_vector(ln.ramp, years, 1.0), fill_one=True)
                self.ramp_row[i] = r
                r += 1
        # discounting
        d = case.discount
        r += 1
        ws.write_string(r, 0, L["discount"], F["subtitle"])
        r += 1
        ws.write_string(r, 0, L["rate_label"], F["section"])
        ws.write_string(r, 1, L["rate_unit"], F["text"])
        ws.write_string(r, 2, L["case"], F["param_text"])
        ws.write_number(r, self.P_YEAR0, float(d.rate), F["pct"])
        self.rate_cell = self.p_prefix + cell(r, self.P_YEAR0, True, True)
        r += 1
        ws.write_string(r, 0, L["flag_label"], F["section"])
        ws.write_string(r, 1, L["flag_unit"], F["text"])
        note = L["discount_note_yes"] if d.first_year_discounted else L["discount_note_no"]
        ws.write_string(r, 2, note, F["wrap"])
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

    # -- Linjer ------------------------------------------------------------------------

    def write_lines(self, ws: Any) -> None:
        L, F, res, case, n = self.L, self.fmt, self.res, self.case, self.n
        ws.write_string(0, 0, f"{L['lines_title']} – {case.title}", F["title"])
        ws.write_string(1, 0, f"{caption(res, self.lang)}. {L['lines_note']}", F["caption"])
        hdr = 3
        cols = ["id", "label", "row", "kind", "area", "funding", "how", "in1", "in2", "in3"]
        cols.append("ramp")
        for c, key in enumerate(cols):
            ws.write_string(hdr, c, L[key], F["header"])
        self.c_kind, self.c_area, self.c_funding = 3, 4, 5
        self.c_share0 = len(cols)
        for k, com in enumerate(res.committees):
            ws.write_string(hdr, self.c_share0 + k, com, F["header"])
            name = case.committees.get(com, L["unallocated"])
            ws.write_comment(hdr, self.c_share0 + k, name)
        self.l_year0 = self.c_share0 + len(res.committees)
        for j, y in enumerate(self.years):
            ws.write_number(hdr, self.l_year0 + j, int(y), F["header_year"])
        self.l_first = hdr + 1
        self.l_row: list[int] = []
        for i, ln in enumerate(case.lines):
            r = self.l_first + i
            self.l_row.append(r)
            ws.write_string(r, 0, ln.id, F["section"])
            ws.write_string(r, 1, ln.label, F["text"])
            if ln.note:
                ws.write_comment(r, 1, ln.note, {"x_scale": 2, "y_scale": 2})
            ws.write_string(r, 2, ln.display_row, F["text"])
            ws.write_string(r, self.c_kind, KIND_LABEL[self.lang][ln.kind], F["text"])
            ws.write_string(r, self.c_area, self.areas[ln.area], F["text"])
            ws.write_string(r, self.c_funding, FUNDING_LABEL[self.lang][ln.funding], F["text"])
            for k in range(len(res.committees)):
                ws.write_number(r, self.c_share0 + k, float(res.allocation[i, k]), F["pct"])
            self._line_cells(ws, i, ln, r)
        self.l_last = self.l_first + len(case.lines) - 1
        tr = self.l_last + 1
        ws.write_string(tr, 0, L["total"], F["section"])
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
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 44)
        ws.set_column(2, 2, 30)
        ws.set_column(3, 5, 12)
        ws.set_column(6, 6, 40)
        ws.set_column(7, 9, 10)
        ws.set_column(10, 10, 16)
        ws.set_column(self.c_share0, self.l_year0 - 1, 8)
        ws.set_column(self.l_year0, self.l_year0 + n - 1, 9)
        ws.set_row(hdr, 28)
        ws.freeze_panes(hdr + 1, 2)
        self._page(ws, hdr)

    def _line_cells(self, ws: Any, i: int, ln: Line, r: int) -> None:
        L, F, n, case = self.L, self.fmt, self.n, self.case
        values = self.res.amounts[0, i]
        saving = ln.kind is Kind.SAVING

        ramp_ref: Callable[[int], str] | None = None
        if isinstance(ln.ramp, str):
            ws.write_string(r, 10, ln.ramp, F["param_text"])
            ramp_row = self.p_row[ln.ramp]
        elif ln.ramp is not None:
            ws.write_string(r, 10, L["ramp_row"], F["param_text"])
            ramp_row = self.ramp_row[i]
        if ln.ramp is not None:

            def ramp_ref(j: int) -> str:
                return self.p_prefix + cell(ramp_row, self.P_YEAR0 + j)

        d = ln.driver
        if d is None:
            ws.write_string(r, 6, L["amounts"], F["param_text"])
            raw = to_vector(ln.amounts, self.years)  # type: ignore[arg-type]
            if case.sign.value == "savings_positive":
                raw = -raw
            for j in range(n):
                c = self.l_year0 + j
                if ramp_ref is None:
                    ws.write_number(r, c, float(raw[j]), F["input"])
                else:
                    body = f"{_num_literal(raw[j])}*{ramp_ref(j)}"
                    ws.write_formula(r, c, "=" + body, F["num"], float(values[j]))
            return

        def operand(col: int, v: float | str) -> Callable[[int], str]:
            if isinstance(v, str):
                ws.write_string(r, col, v, F["param_text"])
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
        ws.write_string(r, 6, how, F["text"])
        for j in range(n):
            body = f"({mag(j)})"
            if saving:
                body = "-" + body
            if ramp_ref is not None:
                body = f"{body}*{ramp_ref(j)}"
            ws.write_formula(r, self.l_year0 + j, "=" + body, F["num"], float(values[j]))

    def lref(self, i: int, j: int) -> str:
        return self.l_prefix + cell(self.l_row[i], self.l_year0 + j)

    def lrange(self, col: int, abs_col: bool = False) -> str:
        a = cell(self.l_first, col, True, abs_col)
        b = cell(self.l_last, col, True, abs_col)
        return f"{self.l_prefix}{a}:{b}"

    # -- Tabel 1 -------------------------------------------------------------------------

    T_YEAR0 = 2

    def write_table1(self, ws: Any) -> None:
        L, T, F = self.L, TABLE1_LABELS[self.lang], self.fmt
        res, case, n, y0 = self.res, self.case, self.n, self.T_YEAR0
        cols = [(j, y0 + j) for j in range(n)]  # (year index, column)
        ws.write_string(0, 0, L["title"], F["title"])
        ws.write_string(1, 0, case.title, F["subtitle"])
        ws.write_string(2, 0, f"{caption(res, self.lang)}. {L['caption_note']}", F["caption"])
        hdr = 4
        ws.write_string(hdr, 0, caption(res, self.lang), F["header"])
        ws.write_string(hdr, 1, T["area"], F["header"])
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
            ws.write_string(r, 0, T[key], F["section"])
            r += 1
            groups: dict[tuple[str, Area], list[int]] = {}
            for i, ln in enumerate(case.lines):
                if ln.kind in kinds:
                    groups.setdefault((ln.display_row, ln.area), []).append(i)
            first = r
            for (label, area), idx in groups.items():
                ws.write_string(r, 0, label, F["text"])
                ws.write_string(r, 1, self.areas[area], F["text"])
                formulas = ["+".join(self.lref(i, j) for i in idx) for j, _ in cols]
                row_values(r, formulas, res.amounts[0, idx].sum(axis=0), F["num"])
                r += 1
            ws.write_string(r, 0, T[f"{key}_total"], F["section"])
            row_values(r, col_sum(first, r - 1), total, F["num_bold"])
            total_rows[key] = r
            r += 1
        impact = r
        ws.write_string(r, 0, T["impact"], F["section"])
        perm, inv = total_rows["permanent"], total_rows["investment"]
        row_values(
            r, [f"{cell(perm, c)}+{cell(inv, c)}" for _, c in cols], res.impact[0], F["num_bold"]
        )
        r += 1
        payback_rows = {"service": r, "total": r + 1}
        ws.write_string(r, 0, T["payback_service"], F["section"])
        ws.write_string(r + 1, 0, T["payback_total"], F["section"])
        r += 3

        # workings: net flow, cumulative, helper rows; payback into the template's rows
        ws.write_string(r, 0, L["workings"], F["subtitle"])
        r += 1
        area_rng = self.lrange(self.c_area, True)
        service = '"' + self.areas[Area.SERVICE] + '"'
        not_within = '"' + T["not_within"] + '"'
        flow_rows: dict[str, int] = {}
        for basis in ("service", "total"):
            flows = res.basis_flows(basis)[0]
            cum = np.cumsum(flows)
            tol = 1e-9 * max(float(np.max(np.abs(flows))), 1.0)
            started = np.maximum.accumulate(np.abs(flows) > tol)
            ok = started & (cum <= tol)
            flow, cumr, tolr, st, okr = r, r + 1, r + 2, r + 3, r + 4
            flow_rows[basis] = flow
            tol_ref = cell(tolr, y0, True, True)
            ws.write_string(flow, 0, L[f"flow_{basis}"], F["text"])
            if basis == "service":
                formulas = [
                    f"SUMIFS({self.lrange(self.l_year0 + j)},{area_rng},{service})" for j, _ in cols
                ]
            else:
                formulas = [cell(impact, c) for _, c in cols]
            row_values(flow, formulas, flows, F["num"])
            ws.write_string(cumr, 0, L[f"cum_{basis}"], F["section"])
            formulas = [
                cell(flow, c) if j == 0 else f"{cell(cumr, c - 1)}+{cell(flow, c)}" for j, c in cols
            ]
            row_values(cumr, formulas, cum, F["num_bold"])
            ws.write_string(tolr, 0, L[f"tol_{basis}"], F["helper_text"])
            rng = span(flow)
            ws.write_formula(tolr, y0, f"=1E-9*MAX(1,MAX({rng}),-MIN({rng}))", F["tolerance"], tol)
            ws.write_string(st, 0, L[f"started_{basis}"], F["helper_text"])
            formulas = [
                f"IF(ABS({cell(flow, c)})>{tol_ref},1,0)"
                if j == 0
                else f"IF(OR({cell(st, c - 1)}=1,ABS({cell(flow, c)})>{tol_ref}),1,0)"
                for j, c in cols
            ]
            row_values(st, formulas, started.astype(float), F["helper"])
            ws.write_string(okr, 0, L[f"ok_{basis}"], F["helper_text"])
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
            ws.write_string(r, 0, L[f"frac_{basis}"], F["text"])
            ws.write_formula(
                r,
                y0,
                f"=IF(ISNUMBER({K}),{K}-1+IF({denom}>0,{prev}/{denom},0),{not_within})",
                F["payback_frac"],
                T["not_within"] if np.isnan(frac) else frac,
            )
            r += 1
            ws.write_string(r, 0, L[f"payback_year_{basis}"], F["text"])
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
        ws.write_string(r, 0, f"{L['discount_factor']} ({note})", F["text"])
        ws.write_formula(r, 1, "=" + self.rate_cell, F["pct_plain"], float(d.rate))
        formulas = [
            f"1/(1+{self.rate_cell})^({self.pref('t', j)}-1+{self.flag_cell})" for j, _ in cols
        ]
        row_values(r, formulas, df, F["factor"])
        r += 1
        for basis in ("total", "service"):
            ws.write_string(r, 0, L[f"npv_{basis}"], F["section"])
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
        ws.write_string(r, 0, L["own_net"], F["section"])
        fund_rng = self.lrange(self.c_funding, True)
        ext = '"' + FUNDING_LABEL[self.lang][Funding.EXTERNAL] + '"'
        formulas = [
            f"{cell(impact, c)}-SUMIFS({self.lrange(self.l_year0 + j)},{fund_rng},{ext})"
            for j, c in cols
        ]
        row_values(r, formulas, res.own_net[0], F["num_bold"])
        r += 2

        # committees: allocation share cells × line amounts
        ws.write_string(r, 0, L["by_committee"], F["subtitle"])
        r += 1
        kind_rng = self.lrange(self.c_kind, True)
        inv_label = '"' + KIND_LABEL[self.lang][Kind.INVESTMENT] + '"'
        blocks = (
            ("committee_permanent", f",({kind_rng}<>{inv_label})*1", {"kinds": PERMANENT}),
            ("committee_investment", f",({kind_rng}={inv_label})*1", {"kinds": (Kind.INVESTMENT,)}),
            ("committee_total", "", {}),
        )
        for key, cond, select in blocks:
            ws.write_string(r, 0, L[key], F["section"])
            r += 1
            first = r
            by = res.by_committee(**select)
            for k, com in enumerate(res.committees):
                name = L["unallocated"] if com == UNALLOCATED else case.committees[com]
                ws.write_string(r, 0, f"{name} ({com})", F["text"])
                share = self.lrange(self.c_share0 + k, True)
                formulas = [
                    f"SUMPRODUCT({share},{self.lrange(self.l_year0 + j)}{cond})" for j, _ in cols
                ]
                row_values(r, formulas, by[com][0], F["num"])
                r += 1
            ws.write_string(r, 0, L["total"], F["section"])
            row_values(r, col_sum(first, r - 1), res.total(**select)[0], F["num_bold"])
            r += 2

        ws.set_column(0, 0, 62)
        ws.set_column(1, 1, 14)
        ws.set_column(y0, y0 + n - 1, 9)
        ws.freeze_panes(hdr + 1, 2)
        self._page(ws, hdr, fit=True)

    # -- common ---------------------------------------------------------------------------

    def _page(self, ws: Any, hdr: int, fit: bool = False) -> None:
        ws.set_landscape()
        ws.set_paper(9)  # A4
        if fit:
            ws.fit_to_pages(1, 0)
        ws.repeat_rows(hdr)
        ws.set_footer(f"&L{self.case.title}&R&P / &N")

    def write(self) -> None:
        c = self.case
        self.wb.set_properties(
            {
                "title": c.title,
                "subject": caption(self.res, self.lang),
                "author": "socinvest",
                "company": c.organisation or "",
                "comments": LABELS[self.lang]["caption_note"],
            }
        )
        t1 = self.wb.add_worksheet(self.names["table1"])
        lines = self.wb.add_worksheet(self.names["lines"])
        params = self.wb.add_worksheet(self.names["params"])
        # order of writing: parameters first (lines refer to their rows), table 1 last
        self.write_params(params)
        self.write_lines(lines)
        self.write_table1(t1)
        self.write_figures(self.wb.add_worksheet(self.names["figures"]))
        t1.activate()
        self.wb.close()

    def write_figures(self, ws: Any) -> None:
        """The report's charts as pictures: one chart library for every format."""
        import io

        from .charts import chart_png
        from .document import case_figures

        ws.write(0, 0, FIGURES_NOTE[self.lang])
        row = 2
        for fig in case_figures(self.res, self.lang):
            ws.write(row, 0, fig.caption, self.wb.add_format({"bold": True}))
            png = chart_png(fig.spec, dpi=110)
            ws.insert_image(
                row + 1,
                0,
                f"figure{fig.number}.png",
                {"image_data": io.BytesIO(png), "object_position": 3},
            )
            row += 22


def _check_results(res: Results) -> None:
    """The formulas are built from the case's parameters; cached values must be the same."""
    from ..engine.resolve import evaluate

    ref = evaluate(res.case)
    if not np.allclose(ref.amounts[0], res.amounts[0], rtol=1e-12, atol=1e-9):
        raise ValueError(
            "write_xlsx writes the case as its file states it; these results differ from it "
            "(computed with overrides or as a draw of a Monte Carlo run)"
        )


def write_xlsx(res: Results, path: str | os.PathLike | IO[bytes], lang: str = "da") -> None:
    """Write the case as an Excel workbook with live formulas (see the module docstring).

    `res` must be the plain calculation of its case (draw 0 is written, and it must equal
    the case's own figures: the formulas use the case's parameters). `path` is a file name or
    a binary file object. `lang`: "da" (default) or "en".
    """
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}; use 'da' or 'en'")
    _check_results(res)
    _Writer(res, path, lang).write()
