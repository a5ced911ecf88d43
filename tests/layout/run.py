"""Render report documents in the print formats, convert the Word and Excel files to PDF with
LibreOffice (one `soffice` call for all of them) and check every PDF (check.py)."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from socinvest.reports.document.model import ReportDocument
from socinvest.reports.registry import render_file

from .check import Problem, check_pdf, numbers_of

FORMATS = ("pdf", "docx", "xlsx")


def convert(files: list[Path], outdir: Path, timeout: float = 900) -> None:
    """Every file to PDF in `outdir` with one headless LibreOffice (its own profile, so that
    it runs beside another instance)."""
    if not files:
        return
    soffice = shutil.which("soffice")
    if soffice is None:
        raise FileNotFoundError("soffice")
    profile = outdir / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)],
        capture_output=True, timeout=timeout, check=True,
    )  # fmt: skip


def render_and_check(
    docs: Iterable[tuple[str, ReportDocument]], outdir: Path, formats: Iterable[str] = FORMATS
) -> tuple[dict[str, list[Problem]], int]:
    """Write each (name, document) in `formats`, check every PDF: ({file: problems} for the
    files with any, number of PDFs checked)."""
    outdir.mkdir(parents=True, exist_ok=True)
    conv = outdir / "lo"
    conv.mkdir(exist_ok=True)
    formats = tuple(formats)
    checks: list[tuple[Path, Counter[str] | None]] = []
    office: list[Path] = []
    for name, doc in docs:
        numbers = numbers_of(doc)
        for ext in formats:
            target = outdir / (f"{name}.{ext}" if ext != "xlsx" else f"{name}-xlsx.xlsx")
            if target.exists():
                target.unlink()
            render_file(doc, target)
            if ext == "pdf":
                checks.append((target, numbers))
            else:
                office.append(target)
                # the workbook's numbers are formatted by LibreOffice, not the document
                checks.append((conv / f"{target.stem}.pdf", numbers if ext == "docx" else None))
    convert(office, conv)
    problems = {}
    for path, numbers in checks:
        found = check_pdf(path, numbers) if path.exists() else [Problem(0, "missing", str(path))]
        if found:
            problems[str(path.relative_to(outdir))] = found
    return problems, len(checks)
