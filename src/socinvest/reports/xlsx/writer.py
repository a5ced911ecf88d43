"""The workbook writer: sets up the workbook, writes the sheets in order and the figure
sheet; `write_xlsx` is the entry point (see the package docstring)."""

from __future__ import annotations

import math
import os
from typing import IO, Any

import numpy as np

from ...engine.results import Results
from ..safetext import clean_text
from ..table1 import AREAS, caption
from .cells import WORKBOOK_OPTIONS, header_footer_text, write_text
from .formats import _Formats
from .formulas import _sheet_prefix, cell
from .labels import FIGURES_NOTE, LABELS, SHEETS
from .lines import _LinesSheet
from .params import _ParamsSheet
from .rowfit import RowFit
from .table1 import _Table1Sheet


class _Writer(_ParamsSheet, _LinesSheet, _Table1Sheet):
    """One workbook being written; each sheet's methods live in their own module (params,
    lines, table1) and share the state set up here and the rows recorded on the way."""

    def __init__(self, res: Results, target: Any, lang: str) -> None:
        import xlsxwriter

        self.res, self.case, self.lang, self.L = res, res.case, lang, LABELS[lang]
        self.years = res.years
        self.n = len(res.years)
        self.names = SHEETS[lang]
        opts: dict[str, bool] = dict(WORKBOOK_OPTIONS)
        if not isinstance(target, str | os.PathLike):
            opts["in_memory"] = True
        self.wb = xlsxwriter.Workbook(
            os.fspath(target) if isinstance(target, str | os.PathLike) else target, opts
        )
        self.fmt = _Formats(self.wb, lang)
        self.p_prefix = _sheet_prefix(self.names["params"])
        self.l_prefix = _sheet_prefix(self.names["lines"])
        self.areas = AREAS[lang]

    # -- common ---------------------------------------------------------------------------

    def _page(self, ws: Any, hdr: int, fit: bool = True) -> None:
        """Landscape A4, every sheet one page wide (as many pages down as it needs), the
        header rows repeated on each page."""
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        if fit:
            ws.fit_to_pages(1, 0)
        ws.repeat_rows(hdr)
        ws.set_footer(self._footer())

    def _footer(self) -> str:
        """The page footer: the title on one line (cut at a word, '…') and the page number."""
        title = " ".join(clean_text(self.case.title).split())
        if len(title) > 80:
            title = title[:80].rsplit(" ", 1)[0] + " …"
        return f"&L{header_footer_text(title)}&R&P / &N"

    def year_width(self) -> float:
        """The width of a year column: the widest amount any total or cumulative sum can
        reach (the sum of every line's absolute amounts), with separators and a minus, in
        LibreOffice's DejaVu as well as Excel's Calibri (a number too wide shows '###')."""
        big = float(np.abs(self.res.amounts[0]).sum()) if self.res.amounts.size else 0.0
        chars = len(f"{-max(big, 1.0):,.0f}")
        return max(9.0, math.ceil(chars * 1.3) + 1.0)

    def _names(self) -> None:
        """A workbook name for every input row of Parametre (`p_<parameter>`), and for the
        discount rate and its flag, so that a formula or a reader can point at them."""
        import re

        used: set[str] = set()
        last = self.P_YEAR0 + self.n - 1
        for name, row in self.p_row.items():
            if name not in self.case.parameters:
                continue  # year, t: not inputs
            base = "p_" + re.sub(r"[^A-Za-z0-9_.]", "_", name)[:200]
            label, k = base, 2
            while label.lower() in used:
                label, k = f"{base}_{k}", k + 1
            used.add(label.lower())
            ref = f"{cell(row, self.P_YEAR0, True, True)}:{cell(row, last, True, True)}"
            self.wb.define_name(label, f"={self.p_prefix}{ref}")
        self.wb.define_name("discount_rate", "=" + self.rate_cell)
        self.wb.define_name("first_year_discounted", "=" + self.flag_cell)

    def write(self) -> None:
        c = self.case
        self.wb.set_properties(
            {
                "title": clean_text(c.title),
                "subject": caption(self.res, self.lang),
                "author": "socinvest",
                "company": clean_text(c.organisation or ""),
                "comments": LABELS[self.lang]["caption_note"],
            }
        )
        t1 = RowFit(self.wb.add_worksheet(self.names["table1"]))
        lines = RowFit(self.wb.add_worksheet(self.names["lines"]))
        params = RowFit(self.wb.add_worksheet(self.names["params"]))
        # order of writing: parameters first (lines refer to their rows), table 1 last
        self.write_params(params)
        self._names()
        self.write_lines(lines)
        self.write_table1(t1)
        for ws in (params, lines, t1):
            ws.fit()  # rows as high as their wrapped text
        self.write_figures(self.wb.add_worksheet(self.names["figures"]))
        t1.activate()
        self.wb.close()

    def write_figures(self, ws: Any) -> None:
        """The report's charts as pictures: one chart library for every format."""
        import io

        from ..charts import chart_png
        from ..document import case_figures

        wrap = self.wb.add_format({"text_wrap": True, "font_name": "Calibri", "font_size": 10})
        write_text(ws, 0, 0, FIGURES_NOTE[self.lang], wrap)
        # landscape A4, one chart a page below its caption (a page break before each), all in
        # column A, the one column printed: no chart is cut across pages, in width or height
        ws.set_landscape()
        ws.set_paper(9)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        ws.set_footer(self._footer())
        ws.set_column(0, 0, 100)  # 705 px in Excel; the charts and wrapped texts within it
        ws.set_row(0, 30)
        row, breaks = 2, []
        bold = self.wb.add_format(
            {"bold": True, "font_name": "Calibri", "font_size": 10, "text_wrap": True}
        )
        for k, fig in enumerate(case_figures(self.res, self.lang)):
            if k:
                breaks.append(row)
            write_text(ws, row, 0, fig.caption, bold)
            ws.set_row(row, 30)
            png = chart_png(fig.spec, dpi=110, title=False)  # the caption above names it
            width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
            scale = min(1.0, 660.0 / width)  # 660 px = 495 pt
            ws.insert_image(
                row + 1,
                0,
                f"figure{fig.number}.png",
                {"image_data": io.BytesIO(png), "object_position": 3,
                 "x_scale": scale, "y_scale": scale, "description": fig.caption},
            )  # fmt: skip
            row += 2 + math.ceil(height * scale / 20)  # default rows are 20 px high
        if breaks:
            ws.set_h_pagebreaks(breaks)
        ws.print_area(0, 0, row, 0)


def _check_results(res: Results) -> None:
    """The formulas are built from the case's parameters; cached values must be the same."""
    from ...engine.resolve import evaluate

    ref = evaluate(res.case)
    if not np.allclose(ref.amounts[0], res.amounts[0], rtol=1e-12, atol=1e-9):
        raise ValueError(
            "write_xlsx writes the case as its file states it; these results differ from it "
            "(computed with overrides or as a draw of a Monte Carlo run)"
        )


def write_xlsx(res: Results, path: str | os.PathLike | IO[bytes], lang: str = "da") -> None:
    """Write the case as an Excel workbook with live formulas (see the module docstring).

    `res` must be the plain calculation of its case (draw 0 is written, and it must equal
    the case's own figures: the formulas use the case's parameters). `path` is a file name or
    a binary file object. `lang`: "da" (default) or "en".
    """
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}; use 'da' or 'en'")
    _check_results(res)
    _Writer(res, path, lang).write()
