"""Write a report of a case; the file's suffix chooses the format.

The one place that maps formats to renderers. Each renderer is imported only when its format
is asked for (WeasyPrint, python-docx and xlsxwriter are heavy). Files are written to a
temporary name next to the target and renamed, so a failed run never leaves half a file.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path

from ..engine.results import Results
from ..errors import InputError

FORMATS = {
    ".docx": ("socinvest.reports.docx", "write_docx"),
    ".xlsx": ("socinvest.reports.xlsx", "write_xlsx"),
    ".pdf": ("socinvest.reports.pdf", "write_pdf"),
    ".html": ("socinvest.reports.html", "write_html"),
    ".md": ("socinvest.reports.markdown", "write_md"),
}


def write_report(res: Results, path: Path, lang: str = "da") -> Path:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            f"{path}: unknown report format {suffix or '(no suffix)'!r}; "
            f"use one of {', '.join(FORMATS)}"
        )
    if path.parent and not path.parent.exists():
        raise InputError(f"{path}: the folder {path.parent} does not exist")
    module, name = FORMATS[suffix]
    writer = getattr(importlib.import_module(module), name)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=suffix, dir=path.parent or ".")
    os.close(fd)
    try:
        writer(res, Path(tmp), lang)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
