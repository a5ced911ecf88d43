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

The package: `labels` (sheet names and labels), `formulas` (cell references and expressions
as Excel formulas), `formats` (cell formats), one module per sheet (`params`, `lines`,
`table1`, each a part of the writer) and `writer` (the workbook, the figure sheet and
`write_xlsx`).
"""

from __future__ import annotations

from .formulas import cell, col_letter, expr_to_excel
from .labels import FIGURES_NOTE, FUNDING_LABEL, KIND_LABEL, LABELS, SHEETS
from .writer import write_xlsx

__all__ = [
    "FIGURES_NOTE",
    "FUNDING_LABEL",
    "KIND_LABEL",
    "LABELS",
    "SHEETS",
    "cell",
    "col_letter",
    "expr_to_excel",
    "write_xlsx",
]
