"""The check bundle: the findings, computed payback and notes of `socinvest check PATH`,
computed once for every face (terminal, JSON, later the web) to render.

A case file (`.yaml`/`.yml`) is loaded and resolved by the case service, then its stated
figures are compared with the computation; anything else is read as tables: text pasted from
Word, PDF or Excel (tabs, PDF spacing, semicolon CSV), or a Word (.docx) or PDF document,
every table of it checked in one report. Both checks decide with the one verdict (`checks.verdict`). Imports are
lazy so that a table check starts without pydantic, YAML or the engine's resolver.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from ..checks.case import CaseReport
    from ..checks.table import TableReport

CheckReport: TypeAlias = "CaseReport | TableReport"
CASE_SUFFIXES = (".yaml", ".yml")


def is_case_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in CASE_SUFFIXES


def check_path(path: str | Path) -> CheckReport:
    """Check a case file or a table file. Raises InputError when it cannot be read."""
    if is_case_file(path):
        from ..checks.case import check_case
        from .case import load_case

        return check_case(load_case(path))
    from ..checks.table import check_table_file

    return check_table_file(path)


def has_error(report: CheckReport) -> bool:
    """Whether the report holds an error finding (the CLI exits 1)."""
    from ..checks.findings import has_error as _has_error

    return _has_error(report.findings)
