"""`--chart`: the pool's balance chart as a file of its own (.png or .svg), drawn by the one
chart module and written by the one safe writer."""

from __future__ import annotations

from pathlib import Path

from ...errors import InputError
from ...i18n import Msg
from ..document.model import ReportDocument
from ..write import safe_write

CHART_SUFFIXES = (".png", ".svg")
_XML = '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'


def write_chart(
    doc: ReportDocument, path: Path, overwrite: bool = False, inputs: tuple = ()
) -> Path:
    """Write the first figure of `doc` (the balance chart) to `path`."""
    from ..charts import chart_png, chart_svg

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise InputError(
            Msg(
                "{path}: ukendt figurformat {suffix}; brug .png eller .svg",
                path=str(path),
                suffix=repr(suffix) if suffix else Msg("(ingen endelse)"),
            )
        )
    spec = doc.figures[0].spec

    def produce(tmp: Path) -> None:
        if suffix == ".svg":
            tmp.write_text(_XML + chart_svg(spec), encoding="utf-8")
        else:
            tmp.write_bytes(chart_png(spec))

    return safe_write(path, produce, overwrite=overwrite, inputs=inputs)
