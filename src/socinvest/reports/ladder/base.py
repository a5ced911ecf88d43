"""Shared parts of the ladder's documents: numbering, cells, year tables, figures and the
document's frame (kicker, footer, units)."""

from __future__ import annotations

from collections.abc import Sequence

from ...i18n import Translator
from ...numbers import format_number, format_percent
from ..document.format import Numbers
from ..document.model import (
    Cell,
    ChartSpec,
    Figure,
    ReportDocument,
    Section,
    Series,
    Table,
    TableRow,
)
from . import labels as L

WIDE_YEARS = 7  # more year columns than this: landscape pages in print formats


def _num(v: float, decimals: int, lang: str) -> Cell:
    return Cell(format_number(float(v), decimals, lang), float(v))


def _pct(v: float, lang: str) -> Cell:
    return Cell(format_percent(float(v), 0, lang), float(v))


def _year_table(
    key: str,
    number: int,
    caption: str,
    tr: Translator,
    years: Sequence[int],
    rows: list[TableRow],
    note: str | None = None,
    first: str | None = None,
) -> Table:
    """A table with a label column and one column per year (the ladder's every table); with
    `first`, a column before the years (the start: 1 January of the first year)."""
    ny = len(years) + (first is not None)
    head = (first,) if first is not None else ()
    return Table(
        key,
        number,
        tr(L.TABLE, n=number, caption=caption),
        ("", *head, *(str(int(y)) for y in years)),
        tuple(rows),
        (False,) + (True,) * ny,
        (5.0,) + (1.0,) * ny,
        note,
    )


def _units(unit: str, price_level: int, tr: Translator) -> tuple[str, str]:
    """The cost tables' unit (thousands of the ladder's unit) and the price level."""
    shown = tr(L.THOUSAND_OF, unit=L.unit(unit, tr.lang)) if unit == "kr." else tr(L.TIMES_THOUSAND)
    return shown, tr(L.PRICE_LEVEL, year=price_level)


def _thousands(unit: str, tr: Translator) -> str:
    return tr(L.THOUSAND_OF, unit=L.unit(unit, tr.lang))


def _document(
    title: str, tr: Translator, sections: list[Section], engine: str, unit: str, pl: int
) -> ReportDocument:
    shown, level = _units(unit, pl, tr)
    return ReportDocument(
        tr.lang,
        title,
        tr(L.KICKER),
        tuple(sections),
        tr(L.FOOTER, engine=tr(L.ENGINE.get(engine, engine))),
        f"{shown} {level}" if tr.lang == "da" else f"{shown}, {level}",
        kind="ladder",
    )


def _figure(
    n: Numbers,
    caption: str,
    chart: str,
    tr: Translator,
    years: Sequence[int | str],
    series: tuple[Series, ...],
    decimals: int = 0,
    ylabel: str | None = None,
    title: str | None = None,
) -> Figure:
    number = n.next_figure()
    spec = ChartSpec(
        chart,  # type: ignore[arg-type]
        title if title is not None else tr(L.CHART_TITLE),
        tr(L.CHART_X),
        ylabel if ylabel is not None else tr(L.CHART_Y),
        tuple(str(y) for y in years),
        series,
        tr.lang,
        decimals=decimals,
    )
    return Figure(number, tr(L.FIGURE, n=number, caption=caption), spec)
