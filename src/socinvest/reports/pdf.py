"""PDF report: the HTML report printed to A4 with WeasyPrint (landscape pages for wide tables)."""

from __future__ import annotations

import logging
from pathlib import Path

from .document.model import ReportDocument
from .html import render_document_html

PDF_VARIANT = "pdf/ua-1"


def render_pdf(doc: ReportDocument) -> bytes:
    import warnings

    with warnings.catch_warnings():  # "HarfBuzz-Subset will be required by future versions"
        warnings.simplefilter("ignore", DeprecationWarning)
        from weasyprint import HTML  # lazy: WeasyPrint is slow to import

    # WeasyPrint logs every CSS property it does not support; the report's CSS is known.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    # Tagged PDF/UA-1: headings, paragraphs, tables and lists are structure a screen reader
    # follows; the title and language come from the HTML (<title>, <html lang>).
    pdf: bytes = HTML(string=render_document_html(doc)).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


def write_pdf(doc: ReportDocument, path: Path) -> None:
    """Write the document as an A4 PDF at `path` (use `registry.render_file`)."""
    Path(path).write_bytes(render_pdf(doc))
