"""Check a table pasted from Word, PDF or Excel: read it, infer its structure, check its sums.

Input is text with tab-separated columns and Danish numbers (`-1.763`, `3,5`), sometimes with
`<b>` markup, as users get when they copy a table out of a business case. Nothing is declared:
the header row with years, the unit, the area column, which rows are totals and which rows each
total sums are all inferred, and every inference is reported in `notes`.

Structure: rows are section headers (a label without numbers), lines, totals (`Samlet…`,
`Samlede…`, `… totalt`, `Total`, `… i alt …`, or a row whose place and sums make it one),
payback rows (`Tilbagebetalingstid …`), repayments to the pool (`Tilbagebetaling til
Investeringspuljen`), external co-funding (`Puljemidler fra …`) and net budget rows
(`Samlet nettobudget`). Tabs, PDF spacing, semicolon CSV, .docx and .pdf are read.

The package, in the order data flows:

- `read`    – file → text (size limit, encodings, clear errors)
- `text`    – one cell or line: markup, years, unit, price level, caption
- `parse`   – text → `Table` (`model`): header, role columns, rows; `staff` for staff tables
- `multi`   – every table of a document, and tables without year columns (data)
- `sums`    – which rows each total sums; SUM_MISMATCH / SIGN_MISMATCH / ROUNDING, I alt
- `sign`    – which sign convention the table prints in
- `shares`  – allocation keys (SHARE_MISMATCH)
- `payback` – payback from the rows (PAYBACK_MISMATCH)
- `layout`  – PDF spacing and semicolon CSV made into tab-separated lines
- `documents` – .docx and .pdf files read as text (every table)
- `roles`   – a row's nature (saving/cost, label first), totals by position
- `funding` – repayments to the pool and net = gross − external co-funding
- `check`   – one table: `check_parsed`, and `analyse` (sign + totals)
- `document` – a whole document: `check_table`, `check_table_file` (every table, data tables)

Pure Python + numpy: this package is imported by the CLI and must import fast.
"""

from __future__ import annotations

from ..findings import BASIS
from .check import Analysis, analyse, check_parsed
from .document import check_table, check_table_file, check_tables
from .model import (
    FLIPPED,
    NEGATIVE,
    POSITIVE,
    Row,
    Table,
    TableReport,
    UnreadableCell,
)
from .multi import parse_tables
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
    "check_tables",
    "parse_table",
    "parse_tables",
    "read_table_file",
]
