"""What a parsed table is: rows, the table, unreadable cells, and the report a check returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...numbers import Parsed
from ..findings import Finding

# Sign conventions (how the table prints savings).
NEGATIVE = "negative"  # savings negative, costs positive (Copenhagen; = spending)
POSITIVE = "positive"  # savings and costs positive; totals = costs - savings
FLIPPED = "flipped"  # savings positive, costs negative (effect on the result)


@dataclass(frozen=True)
class UnreadableCell:
    line: int
    row: str
    year: int | None
    column: str
    text: str


@dataclass(frozen=True)
class Row:
    """One row of the table. `amounts` are the cells under the year columns (None = blank)."""

    line: int  # 1-based line in the input
    label: str  # label without markup (committee tables: "Udvalg (type)")
    kind: str  # "section" | "line" | "total" | "payback" | "repayment" | "external" | "net"
    amounts: tuple[Parsed | None, ...] = ()
    i_alt_cell: Parsed | None = None
    area: str | None = None  # "service" | "anlaeg" | "overfoersler"
    section: str | None = None  # label of the section header above
    committee: str | None = None
    type: str | None = None  # Besparelse / Omkostninger (committee tables)
    key: Parsed | None = None  # allocation key as a share (0.65)
    pool: bool = False  # marked with X in the pool column
    stated: str | None = None  # payback rows: the stated text ("3 år")
    by_position: bool = False  # a total recognised by its place and sums, not its label

    @property
    def values(self) -> tuple[float | None, ...]:
        return tuple(None if c is None else c.value for c in self.amounts)

    @property
    def i_alt(self) -> float | None:
        return None if self.i_alt_cell is None else self.i_alt_cell.value


@dataclass(frozen=True)
class Table:
    source: str
    caption: str | None
    unit: str | None
    price_level: int | None
    years: tuple[int, ...]
    rows: tuple[Row, ...]
    header_line: int
    kind: str = "years"  # "years" | "staff" | "data" (columns that are not years)
    has_area_column: bool = False
    has_i_alt: bool = False
    has_pool: bool = False
    has_committee: bool = False
    has_type: bool = False
    has_key: bool = False
    unreadable: tuple[UnreadableCell, ...] = ()
    end_line: int = 0  # last line read as part of the table
    more_tables: bool = False  # further tab-separated lines after the table
    columns: tuple[str, ...] = ()  # a data table's column headings (no years)
    layout: str | None = None  # "pdf" (runs of spaces) | "csv" (semicolons) | None (tabs)
    sign_text: str | None = None  # "positive" | "negative": what the text says of the signs
    sign_sentence: str | None = None  # the sentence that says it

    @property
    def width(self) -> int:
        """Number of amount columns: the years, or a data table's columns."""
        return len(self.years) or len(self.columns)


@dataclass
class TableReport:
    """What `socinvest check TABLE` reports; same shape as a case report. `notes` are catalogue
    texts (`Msg`/`Join`) worded by the face."""

    title: str
    findings: list[Finding]
    payback: dict[str, float | None]
    notes: list[Any]
    table: Table
    kind: str = "table"
    sign: str = NEGATIVE
    payback_other: dict[str, float | None] | None = None  # under the other sign reading
    tables: tuple[Table, ...] = ()  # every table of a document (one report for them all)
