"""`--chart FILE`: the first figure of a ladder document (children per step) as a PNG or SVG
file, drawn by the one chart module and written by the one safe writer."""

from __future__ import annotations

from pathlib import Path

from ...errors import InputError
from ...i18n import Msg
from ..document.model import ReportDocument
from ..write import safe_write

CHART_SUFFIXES = (".png", ".svg")


def check_chart_path(path: Path | None) -> None:
    """Refuse a --chart file the chart module cannot write (before anything is computed)."""
    if path is not None and path.suffix.lower() not in CHART_SUFFIXES:
        raise InputError(Msg("{path}: --chart skal slutte på .png eller .svg", path=path))


def write_chart(
    doc: ReportDocument, path: Path, overwrite: bool = False, inputs: tuple = ()
) -> Path:
    """Write the document's first figure to `path` (.png or .svg)."""
    from ..charts import chart_png, chart_svg

    check_chart_path(path)
    spec = doc.figures[0].spec
    if path.suffix.lower() == ".png":
        data = chart_png(spec)
    else:
        svg = chart_svg(spec)
        data = ('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n' + svg).encode()

    def produce(tmp: Path) -> None:
        tmp.write_bytes(data)

    return safe_write(Path(path), produce, overwrite=overwrite, inputs=inputs)
