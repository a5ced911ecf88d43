"""The report document's model: frozen, format-neutral blocks and the document that holds them.

Renderers (html, pdf, markdown, docx) lay these blocks out and compute nothing; every number
in them is already formatted (see the package docstring).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


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
        "value",
    ]


ChartKind = Literal[
    "cumulative", "flows", "committees", "fan", "tornado", "payback", "lines", "stacked", "bars"
]


@dataclass(frozen=True)
class ChartSpec:
    """Everything a chart shows; charts.py only draws it.

    The case report's kinds (cumulative, flows, committees, fan, tornado, payback) and three
    generic ones: `lines` (each series a line; a p5/p95, p25/p75 or low/high pair is drawn as
    a band labelled with the lower series' label), `stacked` (stacked areas, one per series,
    e.g. children per ladder step over the years) and `bars` (grouped bars, one group per
    category). Generic series take role "value" (or cost/investment/saving/net for those
    colours). `decimals` sets the amount axis' tick labels.
    """

    chart: ChartKind
    title: str
    xlabel: str
    ylabel: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    lang: str = "da"
    marker: int | None = None  # index into categories (the payback year)
    marker_label: str = ""
    reference: float | None = None  # a value the chart is drawn from (the tornado's base NPV)
    decimals: int = 0  # decimals of the amount axis' tick labels


@dataclass(frozen=True)
class Figure:
    number: int
    caption: str
    spec: ChartSpec
    kind: Literal["figure"] = "figure"


Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class FindingItem:
    """One finding as shown: its severity, stable code, worded text and where it was found."""

    severity: Severity
    code: str
    text: str
    where: str = ""  # "Tabel 1, række 3, 2019" — already worded; may be empty


@dataclass(frozen=True)
class Findings:
    """Findings of a check (or of a pool's rules); every renderer shows them, severity first.

    `title` is an optional heading line; `summary` a worded count ("8 fejl, 4 advarsler");
    `empty` the text shown when there are no items.
    """

    items: tuple[FindingItem, ...]
    title: str = ""
    summary: str = ""
    empty: str = ""
    kind: Literal["findings"] = "findings"


Block = Table | Paragraph | Note | Fields | KeyFigures | Subheading | BulletList | Figure | Findings


@dataclass(frozen=True)
class Section:
    """A numbered section; `wide` asks print formats for a landscape page (many columns)."""

    key: str
    heading: str
    blocks: tuple[Block, ...]
    wide: bool = False


@dataclass(frozen=True)
class ReportDocument:
    """A whole report. `kind` names what it reports on ("case", "pool", "ladder",
    "simulation", "check"); `origin` is the bundle it was built from (a case document's
    CaseBundle), kept so that the registry can hand a case's .xlsx to the workbook with live
    formulas. Renderers never compute from `origin`."""

    lang: str
    title: str
    kicker: str  # the line above the title ("Business case")
    sections: tuple[Section, ...]
    footer: str
    units: str  # "1.000 kr. 2016 p/l"
    kind: str = "case"
    origin: Any = field(default=None, repr=False, compare=False)
    author: str = ""  # who publishes it (department, organisation): the files' metadata

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

    @property
    def findings(self) -> tuple[FindingItem, ...]:
        return tuple(
            f for s in self.sections for b in s.blocks if isinstance(b, Findings) for f in b.items
        )

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
                elif isinstance(b, Findings):
                    out += [t for t in (b.title, b.summary) if t]
                    out += [finding_line(f) for f in b.items] or ([b.empty] if b.empty else [])
        out.append(self.footer)
        return "\n".join(out)


def finding_line(f: FindingItem) -> str:
    """A finding as one line of text: `CODE (where): text` (severity is shown by the face)."""
    where = f" ({f.where})" if f.where else ""
    return f"{f.code}{where}: {f.text}"
