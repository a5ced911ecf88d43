"""The whole report as a frozen, format-neutral document: the one place that decides content.

`build_document(res, lang)` turns engine Results into a `ReportDocument`: sections of blocks
(fields, paragraphs, tables with pre-formatted cells, key figures, notes, chart specs, lists).
Every number is taken from the engine (Results, `parameter_arrays`) and formatted here, once,
in Danish (`-1.763`) or English (`-1,763`); the renderers (html, pdf, markdown, docx) only lay
the blocks out and compute nothing. The order follows the Copenhagen template of the seed
documents: title and summary, table 1, the free texts, tables of permanent changes and
investments, allocation between committees, staff, success criteria, and an appendix with
every parameter and every line's calculation.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ..case.expr import parse_expression
from ..case.schema import (
    Area,
    CountDriver,
    ExprDriver,
    FteDriver,
    Funding,
    Kind,
    Line,
)
from ..case.years import to_vector
from ..engine.resolve import parameter_arrays
from ..engine.results import UNALLOCATED, Results
from ..numbers import format_number, format_percent
from .table1 import AREA_DA, AREA_EN, caption, payback_text, table1_rows

# -- the model ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A table cell: its display text and, for numbers, the unrounded value behind it."""

    text: str
    value: float | None = None


RowStyle = Literal["section", "line", "total", "payback", "group"]


@dataclass(frozen=True)
class TableRow:
    cells: tuple[Cell, ...]
    style: RowStyle = "line"

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.cells)


@dataclass(frozen=True)
class Table:
    """A table with one header row; `numeric[i]` says column i holds numbers (right-aligned)."""

    key: str
    number: int
    caption: str  # "Tabel 1. … (1.000 kr. 2016 p/l)"
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    numeric: tuple[bool, ...]
    widths: tuple[float, ...]  # relative column widths (a hint for fixed layouts)
    note: str | None = None
    centered: tuple[int, ...] = ()  # columns of marks (X) shown centred
    kind: Literal["table"] = "table"

    def row(self, label: str) -> TableRow:
        """The first row whose first cell is `label` (KeyError if none)."""
        for r in self.rows:
            if r.cells and r.cells[0].text == label:
                return r
        raise KeyError(label)


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class Note:
    """A short explanatory note (rounding, sign, discounting), printed small."""

    text: str
    kind: Literal["note"] = "note"


@dataclass(frozen=True)
class Fields:
    """Label/value pairs at the top of the template (Forslagets titel, Kort resumé, …)."""

    items: tuple[tuple[str, str], ...]
    kind: Literal["fields"] = "fields"


@dataclass(frozen=True)
class KeyFigures:
    """A small box of key figures (NPV, payback variants)."""

    title: str
    items: tuple[tuple[str, str], ...]
    kind: Literal["keyfigures"] = "keyfigures"


@dataclass(frozen=True)
class Subheading:
    text: str
    kind: Literal["subheading"] = "subheading"


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]
    kind: Literal["list"] = "list"


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float, ...]
    role: Literal[
        "cost",
        "investment",
        "saving",
        "net",
        "cumulative",
        "p5",
        "p25",
        "p50",
        "p75",
        "p95",
        "low",
        "high",
    ]


@dataclass(frozen=True)
class ChartSpec:
    """Everything a chart shows; charts.py only draws it."""

    chart: Literal["cumulative", "flows", "committees", "fan", "tornado"]
    title: str
    xlabel: str
    ylabel: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    lang: str = "da"
    marker: int | None = None  # index into categories (the payback year)
    marker_label: str = ""
    reference: float | None = None  # a value the chart is drawn from (the tornado's base NPV)


@dataclass(frozen=True)
class Figure:
    number: int
    caption: str
    spec: ChartSpec
    kind: Literal["figure"] = "figure"


Block = Table | Paragraph | Note | Fields | KeyFigures | Subheading | BulletList | Figure


@dataclass(frozen=True)
class Section:
    """A numbered section; `wide` asks print formats for a landscape page (many columns)."""

    key: str
    heading: str
    blocks: tuple[Block, ...]
    wide: bool = False


@dataclass(frozen=True)
class ReportDocument:
    lang: str
    title: str
    kicker: str  # the line above the title ("Business case")
    sections: tuple[Section, ...]
    footer: str
    units: str  # "1.000 kr. 2016 p/l"
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for s in self.sections for b in s.blocks if isinstance(b, Table))

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(b for s in self.sections for b in s.blocks if isinstance(b, Figure))

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def text(self) -> str:
        """All visible text, one block per line (for searching and tests)."""
        out = [self.kicker, self.title]
        for s in self.sections:
            out.append(s.heading)
            for b in s.blocks:
                if isinstance(b, Table):
                    out.append(b.caption)
                    out.append(" | ".join(b.header))
                    out += [" | ".join(r.texts) for r in b.rows]
                    if b.note:
                        out.append(b.note)
                elif isinstance(b, Paragraph | Note | Subheading):
                    out.append(b.text)
                elif isinstance(b, Fields | KeyFigures):
                    if isinstance(b, KeyFigures):
                        out.append(b.title)
                    out += [f"{k}: {v}" for k, v in b.items]
                elif isinstance(b, BulletList):
                    out += list(b.items)
                elif isinstance(b, Figure):
                    out.append(b.caption)
        out.append(self.footer)
        return "\n".join(out)


# -- labels --------------------------------------------------------------------------------

SECTION_KEYS = (
    "background",
    "content",
    "economy",
    "implementation",
    "involvement",
    "effect",
    "followup",
    "risk",
)

T = {
    "da": {
        "kicker": "Business case",
        "title": "Forslagets titel",
        "summary": "Kort resumé",
        "lead": "Fremstillende forvaltning",
        "affected": "Øvrige berørte forvaltninger",
        "organisation": "Kommune/organisation",
        "table1": "Forslagets samlede økonomiske konsekvenser",
        "background": "Baggrund og formål",
        "content": "Forslagets indhold",
        "economy": "Økonomi",
        "implementation": "Implementering af forslaget",
        "involvement": "Inddragelse af medarbejdere, virksomheder og borgere",
        "effect": "Forslagets effekt",
        "followup": "Opfølgning",
        "risk": "Risikovurdering",
        "tables": "Varige ændringer og investeringer",
        "permanent_caption": "Varige ændringer",
        "investment_caption": "Investeringer i forslaget",
        "allocation": "Fordeling på udvalg",
        "alloc_perm_caption": "Fordeling af varige ændringer mellem udvalg",
        "alloc_inv_caption": "Fordeling af investeringer mellem udvalg",
        "staff": "Personalemæssige konsekvenser",
        "staff_caption": "Personalemæssige konsekvenser",
        "staff_unit": "årsværk; + merudgift, − besparelse",
        "kpi": "Succeskriterier og opfølgning",
        "kpi_caption": "Succeskriterier",
        "appendix": "Bilag: parametre og beregninger",
        "param_caption": "Parametre",
        "lines_caption": "Linjer",
        "calc": "Beregning af linjerne",
        "committee": "Udvalg",
        "key": "Fordelingsnøgle",
        "total_row": "Total",
        "sum": "I alt",
        "costs": "Omkostninger",
        "savings": "Besparelse",
        "savings_pl": "Besparelser",
        "investments": "Investeringer",
        "net": "Samlet økonomisk påvirkning",
        "pool": "Investeringspuljen (sæt X)",
        "area": "Styringsområde",
        "criterion": "Succeskriterium",
        "measure": "Hvordan måles succeskriteriet",
        "responsible": "Hvem er ansvarlig for opfølgning",
        "when": "Hvornår gennemføres opfølgningen",
        "parameter": "Parameter",
        "values": "Værdi(er)",
        "unit": "Enhed",
        "source": "Kilde",
        "date": "Dato",
        "line": "Linje",
        "id": "Id",
        "type": "Type",
        "owner": "Udvalg (fordeling)",
        "funding": "Finansiering",
        "unallocated": "Ikke fordelt",
        "kind": {"cost": "Omkostning", "saving": "Besparelse", "investment": "Investering"},
        "funding_names": {
            "own": "Egen ramme",
            "pool": "Investeringspuljen",
            "external": "Ekstern pulje",
        },
        "fte": "årsværk",
        "ramp": "indfasning",
        "table": "Tabel",
        "figure": "Figur",
        "key_figures": "Nøgletal",
        "years": "år",
        "year_axis": "År",
        "fig_cumulative": "Akkumuleret nettoeffekt (totaløkonomi)",
        "fig_flows": "Udgifter og besparelser pr. år",
        "fig_committees": "Fordeling på udvalg over hele perioden",
        "cumulative": "Akkumuleret nettoeffekt",
        "payback_marker": "Tilbagebetaling år {k} ({year})",
        "no_payback": "Ingen tilbagebetaling inden for horisonten",
        "permanent_costs": "Omkostninger (varige)",
        "explicit": "angivne beløb",
        "saving_note": "besparelse: indgår med negativt fortegn",
        "all_years": "alle år",
        "none_lines": "Forslaget har ingen linjer af denne type.",
        "no_fte": "",
    },
    "en": {
        "kicker": "Business case",
        "title": "Title of the proposal",
        "summary": "Summary",
        "lead": "Lead department",
        "affected": "Other departments affected",
        "organisation": "Municipality/organisation",
        "table1": "Total economic consequences of the proposal",
        "background": "Background and purpose",
        "content": "Content of the proposal",
        "economy": "Economy",
        "implementation": "Implementation of the proposal",
        "involvement": "Involvement of staff, businesses and citizens",
        "effect": "Effect of the proposal",
        "followup": "Follow-up",
        "risk": "Risk assessment",
        "tables": "Permanent changes and investments",
        "permanent_caption": "Permanent changes",
        "investment_caption": "Investments in the proposal",
        "allocation": "Allocation between committees",
        "alloc_perm_caption": "Allocation of permanent changes between committees",
        "alloc_inv_caption": "Allocation of investments between committees",
        "staff": "Staff consequences",
        "staff_caption": "Staff consequences",
        "staff_unit": "FTE; + extra cost, − saving",
        "kpi": "Success criteria and follow-up",
        "kpi_caption": "Success criteria",
        "appendix": "Appendix: parameters and calculations",
        "param_caption": "Parameters",
        "lines_caption": "Lines",
        "calc": "Calculation of the lines",
        "committee": "Committee",
        "key": "Allocation key",
        "total_row": "Total",
        "sum": "Total",
        "costs": "Costs",
        "savings": "Savings",
        "savings_pl": "Savings",
        "investments": "Investments",
        "net": "Total economic impact",
        "pool": "Investment pool (mark X)",
        "area": "Control area",
        "criterion": "Success criterion",
        "measure": "How is the criterion measured",
        "responsible": "Who is responsible for follow-up",
        "when": "When does the follow-up take place",
        "parameter": "Parameter",
        "values": "Value(s)",
        "unit": "Unit",
        "source": "Source",
        "date": "Date",
        "line": "Line",
        "id": "Id",
        "type": "Type",
        "owner": "Committee (allocation)",
        "funding": "Funding",
        "unallocated": "Unallocated",
        "kind": {"cost": "Cost", "saving": "Saving", "investment": "Investment"},
        "funding_names": {"own": "Own budget", "pool": "Investment pool", "external": "External"},
        "fte": "FTE",
        "ramp": "ramp-up",
        "table": "Table",
        "figure": "Figure",
        "key_figures": "Key figures",
        "years": "years",
        "year_axis": "Year",
        "fig_cumulative": "Cumulative net effect (total basis)",
        "fig_flows": "Costs and savings by year",
        "fig_committees": "Allocation by committee over the whole period",
        "cumulative": "Cumulative net effect",
        "payback_marker": "Payback year {k} ({year})",
        "no_payback": "No payback within the horizon",
        "permanent_costs": "Costs (permanent)",
        "explicit": "amounts as given",
        "saving_note": "saving: enters with a negative sign",
        "all_years": "all years",
        "none_lines": "The proposal has no lines of this kind.",
        "no_fte": "",
    },
}

WIDE_YEARS = 8  # more year columns than this: landscape pages in print formats

# -- formatting helpers ------------------------------------------------------------------------


def _amount(v: float, lang: str) -> str:
    return format_number(float(v), 0, lang)


def _value(v: float, lang: str, max_decimals: int = 4) -> str:
    """A parameter value with as many decimals as it needs (500, 0,6, 587,667)."""
    v = float(v)
    for d in range(max_decimals + 1):
        if abs(round(v, d) - v) < 1e-9 * max(1.0, abs(v)):
            return format_number(v, d, lang)
    return format_number(v, max_decimals, lang)


def _year_ranges(years: list[int]) -> str:
    """2017, 2018, 2019, 2029 -> '2017–2019, 2029'."""
    out: list[str] = []
    start = prev = None
    for y in years:
        if start is None:
            start = prev = y
        elif y == prev + 1:
            prev = y
        else:
            out.append(f"{start}" if start == prev else f"{start}–{prev}")
            start = prev = y
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}–{prev}")
    return ", ".join(out)


def _runs(values: np.ndarray, years: list[int], lang: str) -> str:
    """Year vector as '2017–2018: 5; 2019–2022: 8' (a single value when constant)."""
    groups: dict[float, list[int]] = {}
    for y, v in zip(years, values, strict=True):
        groups.setdefault(float(v), []).append(y)
    if len(groups) == 1:
        return _value(next(iter(groups)), lang)
    # consecutive runs in year order
    parts: list[str] = []
    i = 0
    while i < len(years):
        j = i
        while j + 1 < len(years) and float(values[j + 1]) == float(values[i]):
            j += 1
        yr = f"{years[i]}" if i == j else f"{years[i]}–{years[j]}"
        parts.append(f"{yr}: {_value(values[i], lang)}")
        i = j + 1
    return "; ".join(parts)


def _paragraphs(text: str) -> list[str]:
    chunks = [" ".join(c.split()) for c in text.replace("\r\n", "\n").split("\n\n")]
    return [c for c in chunks if c]


def _committee_name(res: Results, c: str, lang: str) -> str:
    if c == UNALLOCATED:
        return T[lang]["unallocated"]
    return res.case.committees.get(c, c)


def _numcells(values, lang: str, blank_zero: bool) -> tuple[Cell, ...]:
    out = []
    for v in values:
        v = float(v)
        text = "" if blank_zero and abs(v) < 1e-9 else _amount(v, lang)
        out.append(Cell(text, v))
    return tuple(out)


# -- expression rendering (walk the AST; numbers come from the engine's parameter arrays) ----

_OPS = {ast.Add: ("+", 1), ast.Sub: ("−", 1), ast.Mult: ("×", 2), ast.Div: ("/", 2)}


def expr_text(node: ast.expr, value_of=None, lang: str = "da") -> tuple[str, int]:
    """Print an expression tree with names (value_of None) or with values; (text, precedence)."""
    sep = "; " if lang == "da" else ", "
    if isinstance(node, ast.Constant):
        return _value(float(node.value), lang), 4
    if isinstance(node, ast.Name):
        if value_of is None:
            return node.id, 4
        v = float(value_of(node.id))
        text = _value(v, lang)
        return (f"({text})", 4) if v < 0 else (text, 4)
    if isinstance(node, ast.UnaryOp):
        inner, p = expr_text(node.operand, value_of, lang)
        if p < 3:
            inner = f"({inner})"
        return ("−" if isinstance(node.op, ast.USub) else "+") + inner, 3
    if isinstance(node, ast.BinOp):
        sym, prec = _OPS[type(node.op)]
        left, lp = expr_text(node.left, value_of, lang)
        right, rp = expr_text(node.right, value_of, lang)
        if lp < prec:
            left = f"({left})"
        if rp < prec or (rp == prec and isinstance(node.op, ast.Sub | ast.Div)):
            right = f"({right})"
        return f"{left} {sym} {right}", prec
    if isinstance(node, ast.Call):
        args = sep.join(expr_text(a, value_of, lang)[0] for a in node.args)
        return f"{node.func.id}({args})", 4  # type: ignore[union-attr]
    raise TypeError(ast.dump(node))  # pragma: no cover - excluded by the parser


# -- the builder -------------------------------------------------------------------------------


class _Counter:
    def __init__(self) -> None:
        self.table = 0
        self.figure = 0

    def next_table(self) -> int:
        self.table += 1
        return self.table

    def next_figure(self) -> int:
        self.figure += 1
        return self.figure


def build_document(res: Results, lang: str = "da", draw: int = 0) -> ReportDocument:
    """The whole report for `res` (one draw: the plain calculation is draw 0)."""
    if lang not in T:
        raise ValueError(f"unknown language {lang!r}; use 'da' or 'en'")
    L = T[lang]
    case = res.case
    years = [int(y) for y in res.years]
    wide = len(years) > WIDE_YEARS
    units = caption(res, lang)
    n = _Counter()
    sections: list[Section] = []
    num = 0

    def heading(text: str) -> str:
        nonlocal num
        num += 1
        return f"{num}. {text}"

    # 1. front matter ---------------------------------------------------------------------
    items: list[tuple[str, str]] = [(L["title"], case.title)]
    if case.summary:
        items.append((L["summary"], " ".join(case.summary.split())))
    if case.organisation:
        items.append((L["organisation"], case.organisation))
    if case.departments.lead:
        items.append((L["lead"], _join(case.departments.lead, lang)))
    if case.departments.affected:
        items.append((L["affected"], _join(case.departments.affected, lang)))
    # on a landscape page with table 1 when table 1 needs one, as in the seeds' first page
    sections.append(Section("front", "", (Fields(tuple(items)),), wide))

    # 2. table 1 + key figures + charts ---------------------------------------------------
    t1 = _table1(res, lang, draw, n.next_table(), units)
    sections.append(Section("table1", heading(L["table1"]), (t1, Note(_notes(res, lang))), wide))
    figures = (_key_figures(res, lang, draw, units), *_figures(res, lang, draw, units, n))
    sections.append(Section("figures", "", figures))  # continues section 1, portrait

    # 3. free texts -----------------------------------------------------------------------
    for key in SECTION_KEYS:
        text = getattr(case.sections, key)
        if text and text.strip():
            paras = tuple(Paragraph(p) for p in _paragraphs(text))
            sections.append(Section(key, heading(L[key]), paras))

    # 3b. uncertainty, when the case states any (a simulation through the same engine) -----
    if any(p.uncertainty is not None for p in case.parameters.values()):
        from .uncertainty_section import uncertainty_blocks

        title, blocks = uncertainty_blocks(res, lang, units, n.next_table, n.next_figure)
        sections.append(Section("uncertainty", heading(title), blocks))

    # 4. permanent changes and investments -------------------------------------------------
    sections.append(
        Section(
            "tables",
            heading(L["tables"]),
            (_permanent_table(res, lang, draw, n.next_table(), units),)
            + _investment_blocks(res, lang, draw, n, units),
            wide,
        )
    )

    # 5. allocation between committees -----------------------------------------------------
    sections.append(
        Section(
            "allocation",
            heading(L["allocation"]),
            _allocation_blocks(res, lang, draw, n, units),
            wide,
        )
    )

    # 6. staff ------------------------------------------------------------------------------
    staff = _staff_table(res, lang, draw, n)
    if staff is not None:
        sections.append(Section("staff", heading(L["staff"]), (staff,), wide))

    # 7. success criteria -------------------------------------------------------------------
    if case.success_criteria:
        sections.append(Section("kpi", heading(L["kpi"]), (_kpi_table(res, lang, n),)))

    # 8. appendix ---------------------------------------------------------------------------
    sections.append(
        Section("appendix", heading(L["appendix"]), _appendix(res, lang, draw, n, units))
    )

    footer = _footer(res, lang)
    return ReportDocument(lang, case.title, L["kicker"], tuple(sections), footer, units)


def _join(names: list[str], lang: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    word = " og " if lang == "da" else " and "
    return ", ".join(names[:-1]) + word + names[-1]


def _footer(res: Results, lang: str) -> str:
    c = res.case
    src = f" Kilde: {c.source}." if c.source and lang == "da" else ""
    if c.source and lang == "en":
        src = f" Source: {c.source}."
    if lang == "da":
        return f"Beregnet med socinvest (sag {c.id}).{src}"
    return f"Computed with socinvest (case {c.id}).{src}"


def _notes(res: Results, lang: str) -> str:
    d = res.case.discount
    rate = format_percent(d.rate, 1, lang)
    first = int(res.years[0])
    if lang == "da":
        disc = (
            f"år 1 ({first}) diskonteres et helt år"
            if d.first_year_discounted
            else f"år 1 ({first}) diskonteres ikke"
        )
        return (
            "Alle besparelser er angivet med negativt (-) fortegn. Beløbene er beregnet med fuld "
            "præcision og afrundet ved visning, så summer kan afvige fra summen af de viste tal. "
            "Tilbagebetalingstid: nummeret på det første år, hvor den akkumulerede nettoeffekt "
            f"siden år 1 er nul eller derunder. Nutidsværdien er beregnet med en real "
            f"diskonteringsrente på {rate} om året på totaløkonomien; {disc}."
        )
    disc = (
        f"year 1 ({first}) is discounted by one full year"
        if d.first_year_discounted
        else f"year 1 ({first}) is not discounted"
    )
    return (
        "All savings are shown with a negative (-) sign. Amounts are computed in full precision "
        "and rounded for display, so totals may differ from the sum of the figures shown. "
        "Payback period: the number of the first year in which the cumulative net effect since "
        f"year 1 is zero or below. Net present value at a real discount rate of {rate} a year on "
        f"the total basis; {disc}."
    )


def _table1(res: Results, lang: str, draw: int, number: int, units: str) -> Table:
    L = T[lang]
    header = (units, L["area"], *(str(y) for y in res.years))
    rows: list[TableRow] = []
    ny = len(res.years)
    for r in table1_rows(res, lang, draw):
        if r.style == "section":
            rows.append(TableRow((Cell(r.label), Cell(""), *[Cell("")] * ny), "section"))
        elif r.style == "payback":
            rows.append(TableRow((Cell(r.label), Cell(r.text), *[Cell("")] * ny), "payback"))
        else:
            cells = _numcells(r.values, lang, blank_zero=r.style == "line")
            rows.append(TableRow((Cell(r.label), Cell(r.area), *cells), r.style))  # type: ignore[arg-type]
    return Table(
        "table1",
        number,
        f"{L['table']} {number}. {L['table1']} ({units})",
        header,
        tuple(rows),
        (False, False) + (True,) * ny,
        (7.0, 2.0) + (1.0,) * ny,
    )


def _key_figures(res: Results, lang: str, draw: int, units: str) -> KeyFigures:
    L = T[lang]
    d = res.case.discount
    rate = format_percent(d.rate, 1, lang)
    years_word = L["years"]

    def pb(v: float, decimals: int = 0) -> str:
        if np.isnan(v):
            return payback_text(v, lang)
        return f"{format_number(v, decimals, lang)} {years_word}"

    if lang == "da":
        first = "år 1 diskonteret et helt år" if d.first_year_discounted else "år 1 udiskonteret"
        items = [
            (
                "Tilbagebetalingstid (serviceeffektivisering / totaløkonomi)",
                f"{pb(float(res.payback('service')[draw]))} / "
                f"{pb(float(res.payback('total')[draw]))}",
            ),
            (
                "Tilbagebetalingstid, interpoleret (totaløkonomi)",
                pb(float(res.payback_fractional("total")[draw]), 2),
            ),
            (
                f"Tilbagebetalingstid, diskonteret ({rate}, totaløkonomi)",
                pb(float(res.payback_discounted("total")[draw])),
            ),
            (
                f"Nutidsværdi af gevinsten ({rate} real rente, {first})",
                f"{_amount(float(res.npv()[draw]), lang)} ({units})",
            ),
            (
                f"Samlet økonomisk påvirkning {int(res.years[0])}–{int(res.years[-1])}",
                f"{_amount(float(res.impact[draw].sum()), lang)} ({units})",
            ),
        ]
        if res.mask(funding=(Funding.EXTERNAL,)).any():
            items.append(
                (
                    "Kommunens egen nettoudgift (uden ekstern finansiering), hele perioden",
                    f"{_amount(float(res.own_net[draw].sum()), lang)} ({units})",
                )
            )
    else:
        first = (
            "year 1 discounted one full year" if d.first_year_discounted else "year 1 undiscounted"
        )
        items = [
            (
                "Payback period (service / total basis)",
                f"{pb(float(res.payback('service')[draw]))} / "
                f"{pb(float(res.payback('total')[draw]))}",
            ),
            (
                "Payback period, interpolated (total basis)",
                pb(float(res.payback_fractional("total")[draw]), 2),
            ),
            (
                f"Payback period, discounted ({rate}, total basis)",
                pb(float(res.payback_discounted("total")[draw])),
            ),
            (
                f"Net present value of the benefit ({rate} real rate, {first})",
                f"{_amount(float(res.npv()[draw]), lang)} ({units})",
            ),
            (
                f"Total economic impact {int(res.years[0])}–{int(res.years[-1])}",
                f"{_amount(float(res.impact[draw].sum()), lang)} ({units})",
            ),
        ]
        if res.mask(funding=(Funding.EXTERNAL,)).any():
            items.append(
                (
                    "The municipality's own net cost (without external funding), whole period",
                    f"{_amount(float(res.own_net[draw].sum()), lang)} ({units})",
                )
            )
    return KeyFigures(L["key_figures"], tuple(items))


def case_figures(res: Results, lang: str = "da", draw: int = 0) -> list[Figure]:
    """The report's three charts (cumulative net effect, costs vs savings, committees), for
    formats that show only the charts (the Excel workbook's figure sheet)."""
    return _figures(res, lang, draw, caption(res, lang), _Counter())


def _figures(res: Results, lang: str, draw: int, units: str, n: _Counter) -> list[Figure]:
    L = T[lang]
    cats = tuple(str(int(y)) for y in res.years)
    ylabel = units
    out: list[Figure] = []

    cum = res.cumulative("total")[draw]
    k = float(res.payback("total")[draw])
    if np.isnan(k):
        marker, mlabel = None, L["no_payback"]
    else:
        marker = int(k) - 1
        mlabel = L["payback_marker"].format(k=int(k), year=cats[marker])
    spec = ChartSpec(
        "cumulative",
        L["fig_cumulative"],
        L["year_axis"],
        ylabel,
        cats,
        (Series(L["cumulative"], tuple(map(float, cum)), "cumulative"),),
        lang,
        marker,
        mlabel,
    )
    fn = n.next_figure()
    out.append(Figure(fn, f"{L['figure']} {fn}. {L['fig_cumulative']} ({units}). {mlabel}.", spec))

    costs = res.total(kinds=(Kind.COST,))[draw]
    inv = res.investment[draw]
    sav = res.total(kinds=(Kind.SAVING,))[draw]
    spec = ChartSpec(
        "flows",
        L["fig_flows"],
        L["year_axis"],
        ylabel,
        cats,
        (
            Series(L["permanent_costs"], tuple(map(float, costs)), "cost"),
            Series(L["investments"], tuple(map(float, inv)), "investment"),
            Series(L["savings_pl"], tuple(map(float, sav)), "saving"),
            Series(L["net"], tuple(map(float, res.impact[draw])), "net"),
        ),
        lang,
    )
    fn = n.next_figure()
    out.append(Figure(fn, f"{L['figure']} {fn}. {L['fig_flows']} ({units})", spec))

    names = tuple(_committee_name(res, c, lang) for c in res.committees)
    per = {
        role: tuple(float(res.total(committee=c, kinds=kinds)[draw].sum()) for c in res.committees)
        for role, kinds in (
            ("cost", (Kind.COST,)),
            ("saving", (Kind.SAVING,)),
            ("investment", (Kind.INVESTMENT,)),
        )
    }
    net = tuple(float(res.total(committee=c)[draw].sum()) for c in res.committees)
    span = f"{int(res.years[0])}–{int(res.years[-1])}"
    spec = ChartSpec(
        "committees",
        L["fig_committees"],
        L["committee"],
        ylabel,
        names,
        (
            Series(L["permanent_costs"], per["cost"], "cost"),
            Series(L["investments"], per["investment"], "investment"),
            Series(L["savings_pl"], per["saving"], "saving"),
            Series(L["net"], net, "net"),
        ),
        lang,
    )
    fn = n.next_figure()
    out.append(Figure(fn, f"{L['figure']} {fn}. {L['fig_committees']}, {span} ({units})", spec))
    return out


def _area(a: Area, lang: str) -> str:
    return (AREA_DA if lang == "da" else AREA_EN)[a]


def _permanent_table(res: Results, lang: str, draw: int, number: int, units: str) -> Table:
    """Like the seeds' 'Varige ændringer' table: every cost and saving line, then the total."""
    L = T[lang]
    header = (units, L["area"], *(str(y) for y in res.years))
    ny = len(res.years)
    rows: list[TableRow] = []
    for kinds, label in (((Kind.COST,), L["costs"]), ((Kind.SAVING,), L["savings"])):
        idx = [i for i, ln in enumerate(res.case.lines) if ln.kind in kinds]
        if not idx:
            continue
        rows.append(TableRow((Cell(label), Cell(""), *[Cell("")] * ny), "section"))
        for i in idx:
            ln = res.case.lines[i]
            cells = _numcells(res.amounts[draw, i], lang, blank_zero=True)
            rows.append(TableRow((Cell(ln.label), Cell(_area(ln.area, lang)), *cells)))
    total = _numcells(res.permanent[draw], lang, blank_zero=False)
    rows.append(TableRow((Cell(_perm_total(lang)), Cell(""), *total), "total"))
    return Table(
        "permanent",
        number,
        f"{L['table']} {number}. {L['permanent_caption']} ({units})",
        header,
        tuple(rows),
        (False, False) + (True,) * ny,
        (7.0, 2.0) + (1.0,) * ny,
    )


def _perm_total(lang: str) -> str:
    return "Samlet varig ændring" if lang == "da" else "Total permanent change"


def _investment_years(res: Results, draw: int) -> list[int]:
    """Year columns of the investment tables: from the first year to the last with any
    investment (at least the first year)."""
    inv = np.abs(res.investment[draw]) > 1e-9
    per_line = np.abs(res.amounts[draw][res.mask(kinds=(Kind.INVESTMENT,))]) > 1e-9
    any_year = inv | (per_line.any(axis=0) if per_line.size else inv)
    last = int(np.nonzero(any_year)[0].max()) if any_year.any() else 0
    return list(range(last + 1))


def _investment_blocks(
    res: Results, lang: str, draw: int, n: _Counter, units: str
) -> tuple[Block, ...]:
    """Like the seeds' 'Serviceinvesteringer i forslaget': lines, I alt, pool mark X."""
    L = T[lang]
    idx = [i for i, ln in enumerate(res.case.lines) if ln.kind is Kind.INVESTMENT]
    if not idx:
        return (Paragraph(f"{L['investment_caption']}: {L['none_lines'].lower()}"),)
    cols = _investment_years(res, draw)
    yrs = [str(int(res.years[j])) for j in cols]
    header = (units, L["area"], *yrs, L["sum"], L["pool"])
    rows: list[TableRow] = []
    external = []
    for i in idx:
        ln = res.case.lines[i]
        v = res.amounts[draw, i]
        cells = _numcells(v[cols], lang, blank_zero=True)
        tot = float(v.sum())
        mark = "X" if ln.funding is Funding.POOL else ""
        if ln.funding is Funding.EXTERNAL:
            external.append(ln.label)
        rows.append(
            TableRow(
                (
                    Cell(ln.label),
                    Cell(_area(ln.area, lang)),
                    *cells,
                    Cell(_amount(tot, lang), tot),
                    Cell(mark),
                )
            )
        )
    tv = res.investment[draw]
    total_label = "Investeringer totalt" if lang == "da" else "Total investments"
    rows.append(
        TableRow(
            (
                Cell(total_label),
                Cell(""),
                *_numcells(tv[cols], lang, blank_zero=False),
                Cell(_amount(float(tv.sum()), lang), float(tv.sum())),
                Cell(""),
            ),
            "total",
        )
    )
    note = None
    if len(cols) < len(res.years):
        last = int(res.years[cols[-1]])
        note = (
            f"Der er ingen investeringer efter {last}; kolonnen I alt dækker hele perioden."
            if lang == "da"
            else f"There are no investments after {last}; the Total column covers the whole period."
        )
    if external:
        ext = (
            "Finansieret af ekstern pulje (indgår ikke i kommunens egen nettoudgift): "
            if lang == "da"
            else "Funded by an external grant (not in the municipality's own net cost): "
        ) + ", ".join(external)
        note = f"{note} {ext}" if note else ext
    number = n.next_table()
    nc = len(cols)
    return (
        Table(
            "investment",
            number,
            f"{L['table']} {number}. {L['investment_caption']} ({units})",
            header,
            tuple(rows),
            (False, False) + (True,) * (nc + 1) + (False,),
            (5.0, 1.6) + (1.0,) * nc + (1.2, 1.8),
            note,
            centered=(len(header) - 1,),
        ),
    )


def _share(part: float, whole: float, lang: str) -> tuple[str, float | None]:
    if abs(whole) < 1e-9:
        return "–", None
    s = part / whole
    return format_percent(s, 0, lang), s


def _allocation_blocks(
    res: Results, lang: str, draw: int, n: _Counter, units: str
) -> tuple[Block, ...]:
    """Seed 000 Tabel 3 and 4: per committee, savings and costs per year with the key
    (each committee's share of the summed amounts over the years shown)."""
    L = T[lang]
    blocks: list[Block] = []
    ny = len(res.years)
    span = f"{int(res.years[0])}–{int(res.years[-1])}"
    # permanent changes
    kinds = ((L["savings"], (Kind.SAVING,)), (L["costs"], (Kind.COST,)))
    present = [(lab, k) for lab, k in kinds if res.mask(kinds=k).any()]
    if present:
        header = (L["committee"], "", L["key"], *(str(y) for y in res.years), L["sum"])
        rows: list[TableRow] = []
        totals = {lab: res.total(kinds=k)[draw] for lab, k in present}
        for c in res.committees:
            first = True
            for lab, k in present:
                v = res.total(committee=c, kinds=k)[draw]
                if not np.any(np.abs(v) > 1e-9) and not first:
                    continue
                key_text, share = _share(float(v.sum()), float(totals[lab].sum()), lang)
                rows.append(
                    TableRow(
                        (
                            Cell(_committee_name(res, c, lang) if first else ""),
                            Cell(lab),
                            Cell(key_text, share),
                            *_numcells(v, lang, blank_zero=True),
                            Cell(_amount(float(v.sum()), lang), float(v.sum())),
                        ),
                        "line" if first else "group",
                    )
                )
                first = False
        first = True
        for lab, _k in present:
            v = totals[lab]
            rows.append(
                TableRow(
                    (
                        Cell(L["total_row"] if first else ""),
                        Cell(lab),
                        Cell(format_percent(1.0, 0, lang), 1.0),
                        *_numcells(v, lang, blank_zero=False),
                        Cell(_amount(float(v.sum()), lang), float(v.sum())),
                    ),
                    "total",
                )
            )
            first = False
        number = n.next_table()
        blocks.append(
            Table(
                "allocation_permanent",
                number,
                f"{L['table']} {number}. {L['alloc_perm_caption']} ({units})",
                header,
                tuple(rows),
                (False, False, True) + (True,) * (ny + 1),
                (3.4, 1.9, 1.6) + (1.0,) * ny + (1.35,),
                _key_note(lang, span),
            )
        )
    # investments
    if res.mask(kinds=(Kind.INVESTMENT,)).any():
        cols = _investment_years(res, draw)
        header = (L["committee"], L["key"], *(str(int(res.years[j])) for j in cols), L["sum"])
        tot = res.investment[draw]
        rows = []
        for c in res.committees:
            v = res.total(committee=c, kinds=(Kind.INVESTMENT,))[draw]
            if not np.any(np.abs(v) > 1e-9):
                continue
            key_text, share = _share(float(v.sum()), float(tot.sum()), lang)
            rows.append(
                TableRow(
                    (
                        Cell(_committee_name(res, c, lang)),
                        Cell(key_text, share),
                        *_numcells(v[cols], lang, blank_zero=True),
                        Cell(_amount(float(v.sum()), lang), float(v.sum())),
                    )
                )
            )
        rows.append(
            TableRow(
                (
                    Cell(L["total_row"]),
                    Cell(format_percent(1.0, 0, lang), 1.0),
                    *_numcells(tot[cols], lang, blank_zero=False),
                    Cell(_amount(float(tot.sum()), lang), float(tot.sum())),
                ),
                "total",
            )
        )
        number = n.next_table()
        nc = len(cols)
        blocks.append(
            Table(
                "allocation_investment",
                number,
                f"{L['table']} {number}. {L['alloc_inv_caption']} ({units})",
                header,
                tuple(rows),
                (False, True) + (True,) * (nc + 1),
                (3.4, 1.6) + (1.0,) * nc + (1.35,),
                _key_note(lang, span),
            )
        )
    return tuple(blocks)


def _key_note(lang: str, span: str) -> str:
    if lang == "da":
        return (
            "Fordelingsnøglen er udvalgets andel af de summerede beløb "
            f"{span} (kolonnen I alt), beregnet ud fra beløbene."
        )
    return (
        f"The allocation key is the committee's share of the summed amounts {span} "
        "(the Total column), computed from the amounts."
    )


def _ramp_vector(line: Line, env: dict, years: np.ndarray, draw: int) -> np.ndarray | None:
    if line.ramp is None:
        return None
    if isinstance(line.ramp, str):
        return np.asarray(env[line.ramp][draw], dtype=float)
    return to_vector(line.ramp, years, 1.0)


def _staff_table(res: Results, lang: str, draw: int, n: _Counter) -> Table | None:
    L = T[lang]
    case = res.case
    idx = [i for i, ln in enumerate(case.lines) if isinstance(ln.driver, FteDriver)]
    if not idx:
        return None
    env = parameter_arrays(case, res.years, res.draws)
    ny = len(res.years)
    rows: list[TableRow] = []
    total = np.zeros(ny)
    for i in idx:
        ln = case.lines[i]
        d = ln.driver
        assert isinstance(d, FteDriver)
        fte = env[d.fte][draw] if isinstance(d.fte, str) else np.full(ny, float(d.fte))
        ramp = _ramp_vector(ln, env, res.years, draw)
        if ramp is not None:
            fte = fte * ramp
        signed = (-fte if ln.kind is Kind.SAVING else fte) + 0.0  # no -0
        total = total + signed
        cells = tuple(Cell("" if abs(v) < 1e-9 else _value(v, lang, 2), float(v)) for v in signed)
        rows.append(TableRow((Cell(ln.label), *cells)))
    if len(idx) > 1:
        cells = tuple(Cell(_value(v, lang, 2), float(v)) for v in total)
        rows.append(TableRow((Cell(L["sum"]), *cells), "total"))
    number = n.next_table()
    return Table(
        "staff",
        number,
        f"{L['table']} {number}. {L['staff_caption']} ({L['staff_unit']})",
        (L["fte"], *(str(int(y)) for y in res.years)),
        tuple(rows),
        (False,) + (True,) * ny,
        (5.0,) + (1.0,) * ny,
    )


def _kpi_table(res: Results, lang: str, n: _Counter) -> Table:
    L = T[lang]
    rows = tuple(
        TableRow(
            (
                Cell(k.criterion),
                Cell(k.measure or ""),
                Cell(k.responsible or ""),
                Cell(k.when or ""),
            )
        )
        for k in res.case.success_criteria
    )
    number = n.next_table()
    return Table(
        "kpi",
        number,
        f"{L['table']} {number}. {L['kpi_caption']}",
        (L["criterion"], L["measure"], L["responsible"], L["when"]),
        rows,
        (False,) * 4,
        (1.0, 1.0, 1.0, 1.0),
    )


def _appendix(res: Results, lang: str, draw: int, n: _Counter, units: str) -> tuple[Block, ...]:
    L = T[lang]
    case = res.case
    years = [int(y) for y in res.years]
    env = parameter_arrays(case, res.years, res.draws)
    blocks: list[Block] = []

    if case.parameters:
        rows = []
        for name, p in case.parameters.items():
            src = " ".join(p.source.split())
            if p.note:
                src += f" ({' '.join(p.note.split())})"
            rows.append(
                TableRow(
                    (
                        Cell(name),
                        Cell(_runs(env[name][draw], years, lang)),
                        Cell(p.unit),
                        Cell(src),
                        Cell("" if p.date is None else str(p.date)),
                    )
                )
            )
        number = n.next_table()
        blocks.append(
            Table(
                "parameters",
                number,
                f"{L['table']} {number}. {L['param_caption']}",
                (L["parameter"], L["values"], L["unit"], L["source"], L["date"]),
                tuple(rows),
                (False,) * 5,
                (2.3, 2.6, 2.0, 4.4, 1.0),
            )
        )

    # the lines: what they are and who owns them
    rows = []
    for ln in case.lines:
        if ln.allocation:
            owner = ", ".join(f"{c} {format_percent(s, 0, lang)}" for c, s in ln.allocation.items())
        else:
            owner = ln.owner or L["unallocated"]
        rows.append(
            TableRow(
                (
                    Cell(ln.label),
                    Cell(ln.id),
                    Cell(L["kind"][ln.kind.value]),
                    Cell(_area(ln.area, lang)),
                    Cell(owner),
                    Cell(L["funding_names"][ln.funding.value]),
                )
            )
        )
    number = n.next_table()
    blocks.append(
        Table(
            "lines",
            number,
            f"{L['table']} {number}. {L['lines_caption']}",
            (L["line"], L["id"], L["type"], L["area"], L["owner"], L["funding"]),
            tuple(rows),
            (False,) * 6,
            (4.0, 2.0, 1.3, 1.3, 1.6, 1.6),
        )
    )

    # calculations
    blocks.append(Subheading(f"{L['calc']} ({units})"))
    for i, ln in enumerate(case.lines):
        blocks.append(Subheading(f"{ln.label} ({ln.id})"))
        blocks.append(BulletList(tuple(line_calculation(res, i, env, lang, draw))))
    return tuple(blocks)


def line_calculation(
    res: Results, index: int, env: dict | None = None, lang: str = "da", draw: int = 0
) -> list[str]:
    """One line's calculation as readable text, one item per distinct set of year values.

    E.g. '9 årsværk × 500 = 4.500 (2017–2029)' or 'fte_sof × fte_rate − bridge = 6 × 500 −
    2.100 = 900 (2017)'. Operand values come from the engine's parameter arrays and results
    from the engine's amounts; nothing is re-evaluated here.
    """
    L = T[lang]
    case = res.case
    ln = case.lines[index]
    years = [int(y) for y in res.years]
    if env is None:
        env = parameter_arrays(case, res.years, res.draws)
    amounts = res.amounts[draw, index]
    sign = -1.0 if ln.kind is Kind.SAVING else 1.0
    d = ln.driver
    items: list[str] = []
    if d is None:
        text = _runs(amounts, years, lang)
        items.append(f"{L['explicit'].capitalize()}: {text}")
        return items

    ramp = _ramp_vector(ln, env, res.years, draw)
    ramp_name = ln.ramp if isinstance(ln.ramp, str) else L["ramp"]

    def val(name: str, j: int) -> float:
        return float(env[name][draw][j])

    def ref_val(r: float | str, j: int) -> float:
        return val(r, j) if isinstance(r, str) else float(r)

    # the operands that decide each year's text
    if isinstance(d, FteDriver):
        operands = [d.fte, d.rate]
    elif isinstance(d, CountDriver):
        operands = [d.count, d.price, d.multiplier]
    else:
        assert isinstance(d, ExprDriver)
        expr = parse_expression(d.expr)
        operands = sorted(expr.names)
    groups: dict[tuple, list[int]] = {}
    for j, y in enumerate(years):
        key = tuple(ref_val(o, j) for o in operands)
        r = float(ramp[j]) if ramp is not None else 1.0
        key = key + (r, float(amounts[j]))
        groups.setdefault(key, []).append(y)

    for key, ys in groups.items():
        j = years.index(ys[0])
        r = key[-2]
        result = _result(sign * key[-1], lang)
        ramp_names = f" × {ramp_name}" if r != 1.0 else ""
        ramp_vals = f" × {_value(r, lang)}" if r != 1.0 else ""
        if isinstance(d, FteDriver):
            names = (
                f"{_nm(d.fte, lang)} × {_nm(d.rate, lang)}"
                if isinstance(d.fte, str) or isinstance(d.rate, str)
                else ""
            )
            vals = (
                f"{_value(ref_val(d.fte, j), lang)} {L['fte']} × {_value(ref_val(d.rate, j), lang)}"
            )
        elif isinstance(d, CountDriver):
            parts = [d.count, d.price] + ([] if d.multiplier == 1.0 else [d.multiplier])
            names = (
                " × ".join(_nm(p, lang) for p in parts)
                if any(isinstance(p, str) for p in parts)
                else ""
            )
            vals = " × ".join(_value(ref_val(p, j), lang) for p in parts)
        else:
            tree = expr.tree
            names, prec = expr_text(tree, None, lang)
            vals = expr_text(tree, lambda nm, j=j: val(nm, j), lang)[0]
            if ramp_names and prec < 2:
                names, vals = f"({names})", f"({vals})"
            if isinstance(tree, ast.Name | ast.Constant):
                vals = ""  # 'bridge = 2.100', not 'bridge = 2.100 = 2.100'
        parts = [f"{names}{ramp_names}" if names else "", f"{vals}{ramp_vals}" if vals else ""]
        chain = " = ".join(p for p in parts if p)
        items.append(f"{chain} = {result} ({_year_ranges(ys)})")
    if ln.kind is Kind.SAVING:
        items.append(L["saving_note"].capitalize() + ".")
    return items


def _nm(r: float | str, lang: str) -> str:
    return r if isinstance(r, str) else _value(float(r), lang)


def _result(v: float, lang: str) -> str:
    """A computed amount: whole units, unless it is small and not whole (0,25)."""
    if abs(v) >= 100 or abs(v - round(v)) < 1e-6:
        return _amount(v, lang)
    return _value(v, lang, 2)


__all__ = [
    "BulletList",
    "Cell",
    "ChartSpec",
    "Fields",
    "Figure",
    "KeyFigures",
    "Note",
    "Paragraph",
    "ReportDocument",
    "Section",
    "Series",
    "Subheading",
    "Table",
    "TableRow",
    "build_document",
    "expr_text",
    "line_calculation",
]
