"""The whole report as a frozen, format-neutral document: the one place that decides content.

`build_document(res, lang)` turns engine Results into a `ReportDocument`: sections of blocks
(fields, paragraphs, tables with pre-formatted cells, key figures, notes, chart specs, lists).
Every number is taken from the engine (Results, `parameter_arrays`) and formatted here, once,
in Danish (`-1.763`) or English (`-1,763`); the renderers (html, pdf, markdown, docx) only lay
the blocks out and compute nothing. The order follows the Copenhagen template of the seed
documents: title and summary, table 1, the free texts, tables of permanent changes and
investments, allocation between committees, staff, success criteria, and an appendix with
every parameter and every line's calculation.

The package: `model` (the blocks), `labels` (Danish/English labels), `format` (number and text
helpers), one module per part of the report (`overview`: table 1, key figures and charts;
`tables`: permanent changes and investments; `allocation`; `staff`: staff and success
criteria; `appendix`: parameters and line calculations) and `build` (the orchestration).
"""

from __future__ import annotations

from .appendix import expr_text, line_calculation
from .build import build_document
from .labels import SECTION_KEYS, WIDE_YEARS, T
from .model import (
    Block,
    BulletList,
    Cell,
    ChartSpec,
    Fields,
    Figure,
    KeyFigures,
    Note,
    Paragraph,
    ReportDocument,
    RowStyle,
    Section,
    Series,
    Subheading,
    Table,
    TableRow,
)
from .overview import case_figures

__all__ = [
    "SECTION_KEYS",
    "WIDE_YEARS",
    "Block",
    "BulletList",
    "Cell",
    "ChartSpec",
    "Fields",
    "Figure",
    "KeyFigures",
    "Note",
    "Paragraph",
    "ReportDocument",
    "RowStyle",
    "Section",
    "Series",
    "Subheading",
    "T",
    "Table",
    "TableRow",
    "build_document",
    "case_figures",
    "expr_text",
    "line_calculation",
]
