"""Check a table pasted from Word, PDF or Excel: read it, infer its structure, check its sums.

Input is text with tab-separated columns and Danish numbers (`-1.763`, `3,5`), sometimes with
`<b>` markup, as users get when they copy a table out of a business case. Nothing is declared:
the header row with years, the unit, the area column, which rows are totals and which rows each
total sums are all inferred, and every inference is reported in `notes`.

Structure: rows are section headers (a label without numbers), lines, totals (`Samlet…`,
`Samlede…`, `… totalt`, `Total`, `I alt`) and payback rows (`Tilbagebetalingstid …`).

The package, in the order data flows:

- `read`    – file → text (size limit, encodings, clear errors)
- `text`    – one cell or line: markup, years, unit, price level, caption
- `parse`   – text → `Table` (`model`): header, role columns, rows; `staff` for staff tables
- `sums`    – which rows each total sums; SUM_MISMATCH / SIGN_MISMATCH / ROUNDING, I alt
- `sign`    – which sign convention the table prints in
- `shares`  – allocation keys (SHARE_MISMATCH)
- `payback` – payback from the rows (PAYBACK_MISMATCH)
- `check`   – orchestration: `check_table`, `check_table_file`, and `analyse` (sign + totals)

Pure Python + numpy: this package is imported by the CLI and must import fast.
"""

from __future__ import annotations

from ..findings import BASIS
from .check import Analysis, analyse, check_parsed, check_table, check_table_file
from .model import (
    FLIPPED,
    NEGATIVE,
    POSITIVE,
    Row,
    Table,
    TableReport,
    UnreadableCell,
)
from .parse import parse_table
from .read import MAX_BYTES, read_table_file

__all__ = [
    "BASIS",
    "FLIPPED",
    "MAX_BYTES",
    "NEGATIVE",
    "POSITIVE",
    "Analysis",
    "Row",
    "Table",
    "TableReport",
    "UnreadableCell",
    "analyse",
    "check_parsed",
    "check_table",
    "check_table_file",
    "parse_table",
    "read_table_file",
]
