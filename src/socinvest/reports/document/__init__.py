"""The whole report as a frozen, format-neutral document: the one place that decides content.

`build_document(bundle, lang)` turns a case's bundle (services.case.CaseBundle: results and,
when the case states uncertainty, its simulation) into a `ReportDocument`: sections of blocks
(fields, paragraphs, tables with pre-formatted cells, key figures, notes, chart specs, lists,
findings). Every number is taken from the bundle and formatted here, once, in Danish
(`-1.763`) or English (`-1,763`), with labels from the message catalogue; the renderers
(registry.py: terminal, JSON, docx, xlsx, pdf, html, md) only lay the blocks out and compute
nothing. Pool, ladder, simulation and check reports are documents of the same model. The order follows the Copenhagen template of the seed
documents: title and summary, table 1, the free texts, tables of permanent changes and
investments, allocation between committees, staff, success criteria, and an appendix with
every parameter and every line's calculation.

The package: `model` (the blocks), `labels` (the labels' Danish msgids), `severity` (words
of a finding's severity), `format` (number and text
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
    FindingItem,
    Findings,
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
    finding_line,
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
    "FindingItem",
    "Findings",
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
    "finding_line",
    "line_calculation",
]
