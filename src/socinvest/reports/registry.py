"""The one renderer registry: every report (case, pool, ladder, simulation, check) is a
`ReportDocument` and is shown through these three functions.

CONTRACT (stable; other packages build on it)
---------------------------------------------
Build a document from the blocks in `socinvest.reports.document.model`:

    ReportDocument(lang, title, kicker, sections, footer, units, kind="pool")
    Section(key, heading, blocks, wide=False)        # heading "" continues the previous one
    blocks: Table, Paragraph, Note, Fields, KeyFigures, Subheading, BulletList,
            Figure(number, caption, ChartSpec), Findings(items=(FindingItem(...),), ...)

Every text in a block is already worded in `doc.lang` and every number already formatted
(renderers compute nothing and translate nothing but their own few words, e.g. severities).
`Cell(text, value)`: give `value` for numbers; the xlsx renderer writes it as a number.
Charts: `ChartSpec(chart=..., title, xlabel, ylabel, categories, series, lang)`; generic
kinds for every report: "lines" (p5/p95, p25/p75, low/high pairs become bands), "stacked",
"bars"; the case kinds "cumulative", "flows", "committees", "fan", "tornado", "payback".

Then render it:

    render_file(doc, path, overwrite=False, inputs=()) -> Path
        The suffix picks the format: .docx .pdf .html .md .xlsx .json. An unknown suffix is an
        InputError that lists the formats (`check_report_path` says so before computing).
        Written through `write.safe_write` (temporary file in the target folder, renamed; an
        existing file only with `overwrite`, never one of `inputs`; a missing folder, a
        directory or a name too long is an InputError). Every text is cleaned of control
        characters first (`safetext.clean`), and each format escapes its own specials
        (HTML, Markdown, rich markup, workbook formulas). A CASE document
        (kind "case" whose `origin` is the CaseBundle it was built from, or its Results) goes
        to the workbook with live formulas for .xlsx (it needs the case's parameters, not
        only the document); every other document's .xlsx is the generic workbook: a first sheet with the text blocks and one sheet per table (texts as strings, never
        formulas; numbers as numbers).
    render_terminal(doc, console) -> None
        rich (every text cleaned and markup-escaped): title, headings, fields, tables (numbers right-aligned, totals bold), key
        figures, notes, lists, findings (severity first); figures are listed by caption.
    document_json(doc) -> dict
        Every block as data (JSON-ready: tuples as lists, NaN as null), with `kind` on each
        block and `doc.kind` at the top. `render_file(doc, "x.json")` writes the same.

`FORMATS` is the tuple of suffixes `render_file` accepts, in the order `run --reports`
writes them. Heavy libraries (python-docx, WeasyPrint, xlsxwriter, matplotlib) are imported
only when their format is asked for.
"""

from __future__ import annotations

import importlib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from ..engine.results import Results
from ..errors import InputError
from ..i18n import Msg
from .document.model import ReportDocument
from .safetext import clean
from .write import check_output, safe_write

# suffix -> (module, function(doc, path) that writes the file at `path`)
_RENDERERS: dict[str, tuple[str, str]] = {
    ".docx": ("socinvest.reports.docx", "write_docx"),
    ".xlsx": ("socinvest.reports.xlsx.document", "write_document_xlsx"),
    ".pdf": ("socinvest.reports.pdf", "write_pdf"),
    ".html": ("socinvest.reports.html", "write_html"),
    ".md": ("socinvest.reports.markdown", "write_md"),
    ".json": ("socinvest.reports.registry", "write_json"),
}
FORMATS: tuple[str, ...] = tuple(_RENDERERS)
REPORT_FORMATS: tuple[str, ...] = (".docx", ".xlsx", ".pdf", ".html", ".md")
"""The formats `run --reports` writes for every case."""


def _writer(doc: ReportDocument, suffix: str) -> Callable[[ReportDocument, Path], None]:
    res = getattr(doc.origin, "results", doc.origin)  # a CaseBundle's results, or Results
    if suffix == ".xlsx" and doc.kind == "case" and isinstance(res, Results):
        from .xlsx import write_xlsx

        def case_workbook(d: ReportDocument, path: Path) -> None:
            write_xlsx(res, path, d.lang)

        return case_workbook
    module, name = _RENDERERS[suffix]
    writer: Callable[[ReportDocument, Path], None] = getattr(importlib.import_module(module), name)
    return writer


def check_report_path(
    path: Path,
    *,
    overwrite: bool = False,
    inputs: Iterable[Path | None] = (),
    formats: Iterable[str] = FORMATS,
) -> Path:
    """Refuse a report file `render_file` would not write (an unknown suffix, and everything
    `write.check_output` refuses), before anything is computed."""
    path = Path(path)
    formats = tuple(formats)
    suffix = path.suffix.lower()
    if suffix not in formats:
        raise InputError(
            Msg(
                "{path}: ukendt rapportformat {suffix}; brug et af {formats}",
                path=path,
                suffix=repr(suffix) if suffix else "(ingen endelse)",
                formats=", ".join(formats),
            )
        )
    return check_output(path, overwrite=overwrite, inputs=inputs)


def render_file(
    doc: ReportDocument,
    path: Path,
    overwrite: bool = False,
    inputs: Iterable[Path | None] = (),
) -> Path:
    """Write `doc` to `path` in the format its suffix names (see the module's contract)."""
    path = check_report_path(path, overwrite=overwrite, inputs=inputs)
    doc = clean(doc)
    if path.suffix.lower() == ".md":
        return write_markdown_with_charts(doc, path, overwrite=overwrite, inputs=inputs)
    writer = _writer(doc, path.suffix.lower())
    return safe_write(path, lambda tmp: writer(doc, tmp), overwrite=overwrite, inputs=inputs)


def write_markdown_with_charts(
    doc: ReportDocument, path: Path, overwrite: bool = False, inputs: Iterable[Path | None] = ()
) -> Path:
    """A Markdown report with its charts as SVG files beside it (`<name>-figur-<n>.svg`),
    linked by relative names: GitHub and markdown-it show them, where they refuse large data
    URIs. Every file goes through the safe writer; all are checked before any is written."""
    from .markdown import chart_files, links_to, render_markdown

    inputs = tuple(inputs)
    files = chart_files(doc, path)
    targets = [path.parent / name for name, _svg in files.values()]
    for t in targets:
        check_output(t, overwrite=overwrite, inputs=inputs)
    for t, (_name, svg) in zip(targets, files.values(), strict=True):
        safe_write(t, _text_writer(svg), overwrite=overwrite, inputs=inputs)
    text = render_markdown(doc, links_to(files))
    return safe_write(path, _text_writer(text), overwrite=overwrite, inputs=inputs)


def _text_writer(text: str) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        Path(tmp).write_text(text, encoding="utf-8")

    return write


def render_terminal(doc: ReportDocument, console: Any) -> None:
    """Show `doc` on a rich console (see reports/terminal.py)."""
    from .terminal import print_document

    print_document(console, clean(doc))


def _data(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _data(getattr(obj, f.name)) for f in fields(obj) if f.name != "origin"}
    if isinstance(obj, tuple | list):
        return [_data(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): _data(v) for k, v in obj.items()}
    if getattr(obj, "ndim", None) == 0 and hasattr(obj, "item"):
        return _data(obj.item())  # a numpy scalar (e.g. a year) as a plain int or float
    if isinstance(obj, float):  # NaN/inf as null; -0.0 as 0.0 (+ 0.0 turns -0.0 into 0.0)
        return float(obj) + 0.0 if math.isfinite(obj) else None
    return obj


def document_json(doc: ReportDocument) -> dict[str, Any]:
    """Every block of `doc` as JSON-ready data; `kind` names each block's type."""
    out: dict[str, Any] = _data(doc)
    return out


def write_json(doc: ReportDocument, path: Path) -> None:
    """The `.json` renderer: `document_json` as UTF-8, indented."""
    text = json.dumps(document_json(doc), ensure_ascii=False, indent=2)
    Path(path).write_text(text + "\n", encoding="utf-8")
