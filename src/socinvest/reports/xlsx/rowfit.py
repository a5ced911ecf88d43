"""Row heights for wrapped text: a worksheet wrapper that notes every wrapped text cell and
the column widths, and sets each row's height to its lines (`fit`). LibreOffice and Excel do
not grow a row of a generated file when its text wraps, so the second line of a cell would
be drawn over the next row. Widths are measured in DejaVu Sans (what LibreOffice shows without
Calibri; Calibri is narrower, so Excel shows the rows a little taller than needed)."""

from __future__ import annotations

import math
from typing import Any

from ..layout import text_width

LINE_PT = 13.0  # one line of Calibri 10 pt
CHAR_PT = 5.0  # the width of one "character" of a column width (Calibri 11: 7 px, less)


def _lines(text: str, room: float) -> int:
    """Lines of `text` wrapped at spaces into `room` pt (a word wider than the room is broken
    by characters, as the spreadsheet does)."""
    lines, used = 1, 0.0
    space = text_width(" ", 10.0, bold=False)
    for word in text.split():
        w = text_width(word, 10.0, bold=True)  # bold labels: the wider measure
        if used and used + space + w > room:
            lines, used = lines + 1, 0.0
        if w > room:
            lines += math.ceil(w / room) - 1
            w = w % room
        used += (space if used else 0.0) + w
    return lines


class RowFit:
    """Wraps a worksheet: `write_string` and `set_column` are noted, all else passes on."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws
        self._cells: dict[int, list[tuple[int, str]]] = {}
        self._widths: dict[int, float] = {}
        self._fixed: set[int] = set()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ws, name)

    def write_string(self, row: int, col: int, text: str, fmt: Any = None) -> Any:
        if fmt is not None and getattr(fmt, "text_wrap", False):
            self._cells.setdefault(row, []).append((col, text))
        return self._ws.write_string(row, col, text, fmt)

    def set_column(self, first: int, last: int, width: float, *args: Any, **kw: Any) -> Any:
        for c in range(first, last + 1):
            self._widths[c] = width
        return self._ws.set_column(first, last, width, *args, **kw)

    def set_row(self, row: int, *args: Any, **kw: Any) -> Any:
        self._fixed.add(row)
        return self._ws.set_row(row, *args, **kw)

    def fit(self) -> None:
        """Set the height of every row with wrapped text (rows set by hand are kept)."""
        for row, cells in self._cells.items():
            if row in self._fixed:
                continue
            lines = 1
            for col, text in cells:
                room = max(self._widths.get(col, 8.43) * CHAR_PT - 4.0, 10.0)
                lines = max(lines, sum(_lines(part, room) for part in text.split("\n")))
            if lines > 1:
                self._ws.set_row(row, LINE_PT * lines)
