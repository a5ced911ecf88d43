"""The state the workbook writer's sheet parts share (set up by `writer._Writer`, filled in
while the sheets are written): declared once so that each part is type-checked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ...case.schema import Area, Case
    from ...engine.results import Results
    from .formats import _Formats


class _State:
    # set up by the writer
    res: Results
    case: Case
    lang: str
    L: dict[str, Any]
    years: np.ndarray
    n: int
    names: dict[str, Any]
    wb: Any
    fmt: _Formats
    p_prefix: str
    l_prefix: str
    areas: dict[Area, str] | dict[Any, Any]
    # recorded by the Parametre sheet
    P_YEAR0: int
    p_row: dict[str, int]
    ramp_row: dict[int, int]
    rate_cell: str
    flag_cell: str
    # recorded by the Linjer sheet
    c_kind: int
    c_area: int
    c_funding: int
    c_share0: int
    l_year0: int
    l_first: int
    l_last: int

    if TYPE_CHECKING:  # methods of the other parts

        def _page(self, ws: Any, hdr: int, fit: bool = True) -> None: ...
        def year_width(self) -> float: ...
        def pref(self, name: str, j: int) -> str: ...
        def lref(self, i: int, j: int) -> str: ...
        def lrange(self, col: int, abs_col: bool = False) -> str: ...
