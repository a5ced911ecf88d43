"""PDF report: the HTML report printed to A4 with WeasyPrint (landscape pages for wide tables)."""

from __future__ import annotations

import logging
from pathlib import Path

from ..engine.results import Results
from .html import render_html


def render_pdf(res: Results, lang: str = "da") -> bytes:
    import warnings

    with warnings.catch_warnings():  # "HarfBuzz-Subset will be required by future versions"
        warnings.simplefilter("ignore", DeprecationWarning)
        from weasyprint import HTML  # lazy: WeasyPrint is slow to import

    # WeasyPrint logs every CSS property it does not support; the report's CSS is known.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=render_html(res, lang)).write_pdf()


def write_pdf(res: Results, path: str | Path, lang: str = "da") -> Path:
    """Write the report as an A4 PDF; returns the path."""
    p = Path(path)
    p.write_bytes(render_pdf(res, lang))
    return p
