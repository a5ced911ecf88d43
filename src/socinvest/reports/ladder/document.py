"""The ladder's reports as `ReportDocument(kind="ladder")`: built from the bundles of
`services.ladder`, shown by the renderer registry (terminal, .docx, .pdf, .html, .md, .xlsx)
and drawn by the one chart module. Numbers are formatted here (`1.234` or `1,234`); nothing
is computed that the bundle does not already hold, beyond rounding and sums for display.
"""

from __future__ import annotations

from ...i18n import translator
from ...services.ladder import ProjectionBundle
from ..document.model import (
    Block,
    Cell,
    Note,
    ReportDocument,
    Section,
    Series,
    TableRow,
)
from . import labels as L
from .base import (
    WIDE_YEARS,
    _document,
    _figure,
    _num,
    _Numbers,
    _pct,
    _units,
    _year_table,
)
from .compare import comparison_document
from .fit import fit_document

__all__ = ["comparison_document", "fit_document", "projection_document"]


def projection_document(b: ProjectionBundle, lang: str = "da") -> ReportDocument:
    """Children per step on 31 December, the placement mix and the cost per step."""
    tr = translator(lang)
    p, lad = b.projection, b.model.ladder
    years = [int(y) for y in p.years]
    labels = L.step_labels(p.tables, lang)
    dec = 1 if p.engine == "markov" else 0
    engine = tr(L.ENGINE.get(p.engine, p.engine))
    n = _Numbers()
    wide = len(years) > WIDE_YEARS

    ye = p.year_end()[0]
    rows = [
        TableRow((Cell(lab), *(_num(v, dec, lang) for v in ye[:, k])))
        for k, lab in enumerate(labels)
    ]
    rows.append(
        TableRow((Cell(tr(L.TOTAL)), *(_num(v, dec, lang) for v in ye.sum(axis=1))), "total")
    )
    children = _year_table(
        "children", n.next_table(), tr(L.CHILDREN_TITLE, engine=engine), tr, years, rows
    )
    mix = p.placement_mix()[0]
    placement = p.tables.placement
    rows = [
        TableRow((Cell(lab), *(_pct(v, lang) for v in mix[:, k])))
        for k, lab in enumerate(labels)
        if placement[k]
    ]
    mix_table = _year_table("mix", n.next_table(), tr(L.MIX_TITLE), tr, years, rows)
    series = tuple(
        Series(lab, tuple(float(v) for v in ye[:, k]), "value") for k, lab in enumerate(labels)
    )
    figure = _figure(n, tr(L.CHART_CAPTION, engine=engine), "stacked", tr, years, series, dec)
    sections = [
        Section("children", n.heading(tr(L.SEC_CHILDREN)), (children, mix_table, figure), wide)
    ]

    blocks: tuple[Block, ...]
    costs = b.costs
    if costs is None:
        blocks = (Note(tr(L.NO_COSTS)),)
    else:
        c = costs / 1000.0
        shown, pl = _units(lad.unit.value, lad.price_level, tr)
        rows = [
            TableRow((Cell(lab), *(_num(v, 0, lang) for v in c[:, k])))
            for k, lab in enumerate(labels)
        ]
        rows.append(
            TableRow((Cell(tr(L.TOTAL)), *(_num(v, 0, lang) for v in c.sum(axis=1))), "total")
        )
        caption = tr(L.COST_TITLE, unit=shown, price_level=pl)
        blocks = (
            _year_table("cost", n.next_table(), caption, tr, years, rows, tr(L.COST_CAPTION)),
        )
    sections.append(Section("costs", n.heading(tr(L.SEC_COSTS)), blocks, wide))
    return _document(b.title, tr, sections, p.engine, lad.unit.value, lad.price_level)
