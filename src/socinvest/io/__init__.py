"""Import of tables and spreadsheets into case files (`socinvest import`)."""

from __future__ import annotations

from .importer import import_tables, import_to_file

__all__ = ["import_tables", "import_to_file"]
