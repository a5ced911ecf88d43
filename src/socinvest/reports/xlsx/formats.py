"""Cell formats of the workbook (yellow cells are inputs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .labels import LABELS


@dataclass
class _Formats:
    wb: Any
    lang: str
    f: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        wb, L = self.wb, LABELS[self.lang]
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}

        def add(name: str, **kw: Any) -> None:
            self.f[name] = wb.add_format({**base, **kw})

        add("text", text_wrap=True)  # rows grow to their lines (rowfit.py)
        add("wrap", text_wrap=True)
        add("title", bold=True, font_size=14)
        add("subtitle", bold=True, font_size=11)
        add("caption", italic=True, font_color="#595959")
        add("header", bold=True, bg_color="#D9E1F2", bottom=1, text_wrap=True)
        add("header_year", bold=True, bg_color="#D9E1F2", bottom=1, num_format="0", align="right")
        add("section", bold=True, text_wrap=True)
        add("num", num_format="#,##0")
        # a line's amount: blank where it is zero, as the template leaves it (still a formula)
        add("num_blank", num_format='#,##0;-#,##0;""')
        add("input_blank", num_format='#,##0;-#,##0;""', bg_color="#FFF2CC")
        add("num_bold", num_format="#,##0", bold=True, top=1)
        add("input", num_format="#,##0", bg_color="#FFF2CC")
        add("pct", num_format="0.0%", bg_color="#FFF2CC")
        add("pct_plain", num_format="0.0%")
        add("year", num_format="0")
        add("flag", num_format="0", bg_color="#FFF2CC")
        add("helper", num_format="0", font_color="#808080")
        add("helper_text", font_color="#808080")
        add("tolerance", num_format="0.00E+00", font_color="#808080")
        add("factor", num_format="0.0000")
        add("payback", num_format=L["years_fmt"], bold=True, align="left")
        add("payback_frac", num_format=L["years_frac_fmt"], align="left")
        add("payback_year", num_format="0", align="left")
        add("npv", num_format="#,##0", bold=True)
        add("param_text", italic=True, font_color="#595959", text_wrap=True)
        self._decimal: dict[int, Any] = {}

    def __getitem__(self, name: str) -> Any:
        return self.f[name]

    def decimals(self, d: int, input_: bool) -> Any:
        key = d * 2 + int(input_)
        if key not in self._decimal:
            fmt = "#,##0" + ("." + "0" * d if d else "")
            opts = {"font_name": "Calibri", "font_size": 10, "num_format": fmt}
            if input_:
                opts["bg_color"] = "#FFF2CC"
            self._decimal[key] = self.wb.add_format(opts)
        return self._decimal[key]


def _decimals_needed(values: np.ndarray) -> int:
    for d in range(7):
        if np.allclose(values, np.round(values, d), rtol=0, atol=1e-12):
            return d
    return 6
