"""Table layout from measured text: column widths, orientation and font size for every table.

A table's columns are sized from the width of their widest content, measured with the advance
widths of DejaVu Sans Bold (the font files matplotlib ships, read with fontTools; no kerning):
the font of the HTML/PDF report and, on a machine without Calibri, of the Word file as
LibreOffice shows it. Calibri is narrower, so a column that fits in DejaVu fits in Word too.
Every text is measured bold (headers and totals are bold), so a column fits all its rows.

The rules (docs/reports.md, "Layout"):

- a number is never broken: its column is at least as wide as its widest number;
- a label wraps at spaces only: a text column is at least as wide as its widest word (a word
  wider than a third of the page, such as a long path, is the one exception: it may break);
- the first fit wins, in this order: portrait at 9/8.5, 8 or 7.5 pt with text columns at a
  comfortable width; landscape at 9/8.5 … 6.5 pt likewise; landscape at 8 … 6 pt with text
  columns at their widest word; otherwise the table is printed in parts of year columns, each
  part repeating the leading label columns (`TableLayout.parts`);
- a section is printed landscape when any of its tables needs it (`plan_document`); a section
  without tables that opens the document (the front matter, on table 1's page as in the
  seeds), asks for a wide page (`Section.wide`) or has no blocks (a heading whose tables
  follow) takes the orientation of the next section.

Renderers (html/pdf, docx) use the plan; the document model's `Table.widths` are only a hint
for formats without a page (the generic workbook).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from ..i18n import N_
from .document.model import ReportDocument, Table

MM = 72.0 / 25.4  # points per millimetre
CONTINUED = N_("fortsat")
"""After the caption of the second and later parts of a table printed in parts."""


@dataclass(frozen=True)
class Geometry:
    """A format's printable text widths (pt), its normal table font size and cell padding
    (pt, left + right)."""

    portrait: float
    landscape: float
    base: float
    pad: float = 6.0


HTML = Geometry(portrait=(210 - 32) * MM, landscape=(297 - 24) * MM, base=8.5)
"""A4 with the margins of templates/report.css (16 mm portrait, 12 mm landscape)."""
DOCX = Geometry(portrait=(210 - 40) * MM, landscape=(297 - 30) * MM, base=9.0)
"""A4 with the margins of docx.py (2 cm portrait, 1.5 cm landscape)."""

SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)
PORTRAIT_FLOOR = 7.5  # smaller than this: a landscape page instead
COMFORT_FLOOR = 6.5  # comfortable text columns down to this size
SPLIT_SIZE = 7.0  # the font of a table printed in parts
COMFORT = 125.0  # pt: a comfortable width for a text column (about 44 mm)
SLACK = 1.04  # measured widths × this + 1 pt: rounding and renderer differences


@cache
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Advance widths in em per code point, and the width used for a character the font
    lacks (the widest of the font's Latin letters)."""
    import matplotlib
    from fontTools.ttLib import TTFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    font = TTFont(os.path.join(matplotlib.get_data_path(), "fonts", "ttf", name), lazy=True)
    upm = float(font["head"].unitsPerEm)
    hmtx = font["hmtx"]
    widths = {cp: hmtx[glyph][0] / upm for cp, glyph in font.getBestCmap().items()}
    return widths, max(widths[ord(c)] for c in "MWmw")


@cache
def text_width(text: str, size: float, bold: bool = True) -> float:
    """The width of `text` on one line in points at `size` pt (DejaVu Sans, bold by
    default)."""
    widths, missing = _advances(bold)
    return sum(widths.get(ord(c), missing) for c in text) * size


def _words(text: str) -> list[str]:
    return text.split() or [""]


@dataclass(frozen=True)
class TableLayout:
    """How one table is printed: font size, column widths in points (every column of the
    table) and its parts (column indexes per printed part; one part unless it is split)."""

    font: float
    widths: tuple[float, ...]
    parts: tuple[tuple[int, ...], ...]
    landscape: bool = False
    lines: int = 0  # the estimated lines of its tallest part (header and rows, wrapped)

    @property
    def split(self) -> bool:
        return len(self.parts) > 1

    def part_width(self, k: int) -> float:
        return sum(self.widths[i] for i in self.parts[k])


@dataclass(frozen=True)
class _Measure:
    least: tuple[float, ...]  # widest word (text) or widest cell (numbers), with padding
    comfort: tuple[float, ...]
    full: tuple[float, ...]  # widest cell on one line


def _fixed(t: Table, i: int) -> bool:
    """A column whose cells never wrap: numbers and centred marks."""
    return t.numeric[i] or i in t.centered


def _measure(t: Table, size: float, avail: float, pad: float) -> _Measure:
    cap = avail / 3.0
    numbers = any(_fixed(t, i) for i in range(len(t.header)))
    least, comfort, full = [], [], []
    for i in range(len(t.header)):
        cells = [r.cells[i].text for r in t.rows if i < len(r.cells)]
        head = text_width(t.header[i], size)
        head_word = max(text_width(w, size) for w in _words(t.header[i]))
        body = max((text_width(c, size) for c in cells), default=0.0)
        if _fixed(t, i):  # numbers never break; their header wraps at spaces
            lo = max(body, head_word)
            hi = max(body, head)
            co = lo
        else:
            word = max((text_width(w, size) for c in cells for w in _words(c)), default=0.0)
            lo = min(max(word, head_word), cap)
            hi = max(body, head)
            co = max(lo, min(hi, COMFORT)) if numbers else lo  # a text table just wraps
        least.append(lo * SLACK + 1.0 + pad)
        comfort.append(co * SLACK + 1.0 + pad)
        full.append(hi * SLACK + 1.0 + pad)
    return _Measure(tuple(least), tuple(comfort), tuple(full))


def _spread(t: Table, base: tuple[float, ...], m: _Measure, avail: float) -> tuple[float, ...]:
    """Widths from `base` (which fits) using the room left: text columns grow towards their
    full width; a table of text only then fills the page, a table with numbers keeps its
    natural width (at least 65 % of the page, the room going to its text columns)."""
    w = list(base)
    room = avail - sum(w)
    text = [i for i in range(len(w)) if not _fixed(t, i)]
    want = {i: m.full[i] - w[i] for i in text if m.full[i] > w[i]}
    need = sum(want.values())
    if need > 0 and room > 0:
        k = min(1.0, room / need)
        for i, d in want.items():
            w[i] += d * k
        room = avail - sum(w)
    numbers = any(_fixed(t, i) for i in range(len(w)))
    target = max(0.0, 0.65 * avail - sum(w)) if numbers else room
    grow = text or list(range(len(w)))
    if target > 0:
        total = sum(w[i] for i in grow) or 1.0
        for i in grow:
            w[i] += target * w[i] / total
    return tuple(w)


def _fit(t: Table, avail: float, sizes: tuple[float, ...], comfortable: bool, pad: float):
    for size in sizes:
        m = _measure(t, size, avail, pad)
        base = m.comfort if comfortable else m.least
        if sum(base) <= avail:
            return size, _spread(t, base, m, avail)
    return None


def _sizes(geo: Geometry, floor: float) -> tuple[float, ...]:
    return tuple(s for s in SIZES if floor <= s <= geo.base)


def plan_table(t: Table, geo: Geometry, landscape: bool | None = None) -> TableLayout:
    """The layout of `t` (see the module docstring); `landscape` forces the orientation of
    its page (None: the first fit, portrait preferred)."""
    whole = (tuple(range(len(t.header))),)
    tries: list[tuple[bool, tuple[float, ...], bool]] = []
    if landscape is not True:
        tries.append((False, _sizes(geo, PORTRAIT_FLOOR), True))
    if landscape is not False:
        tries += [(True, _sizes(geo, COMFORT_FLOOR), True), (True, _sizes(geo, 6.0), False)]
    else:
        tries.append((False, _sizes(geo, 6.0), False))
    for land, sizes, comfortable in tries:
        avail = geo.landscape if land else geo.portrait
        got = _fit(t, avail, sizes, comfortable, geo.pad)
        if got is not None:
            return _with_lines(t, TableLayout(got[0], got[1], whole, land), geo.pad)
    land = landscape is not False
    return _with_lines(
        t, _split(t, geo.landscape if land else geo.portrait, geo.pad, land), geo.pad
    )


def _cell_lines(text: str, width: float, size: float) -> int:
    """Lines of `text` wrapped at spaces into `width` pt."""
    lines, used = 1, 0.0
    space = text_width(" ", size)
    for word in text.split():
        w = text_width(word, size)
        if used and used + space + w > width:
            lines, used = lines + 1, 0.0
        used += (space if used else 0.0) + w
    return lines


def _with_lines(t: Table, lay: TableLayout, pad: float) -> TableLayout:
    """`lay` with its estimated height in lines (renderers keep a short table whole)."""
    from dataclasses import replace

    def rows(texts: list[str], part: tuple[int, ...]) -> int:
        return max(_cell_lines(texts[i], lay.widths[i] - pad, lay.font) for i in part)

    tallest = 0
    for part in lay.parts:
        n = rows(list(t.header), part)
        n += sum(rows([c.text for c in r.cells], part) for r in t.rows)
        tallest = max(tallest, n)
    return replace(lay, lines=tallest)


def _split(t: Table, avail: float, pad: float, land: bool) -> TableLayout:
    """Parts of columns: the leading text columns in every part, the others in order, as
    many in each part as fit at SPLIT_SIZE."""
    m = _measure(t, SPLIT_SIZE, avail, pad)
    n = len(t.header)
    lead = 0
    while lead < n and not _fixed(t, lead):
        lead += 1
    lead = min(lead, n - 1)
    keys = list(range(lead))
    widths = list(m.least)
    # the leading columns may take what the widest other column leaves
    rest = [i for i in range(lead, n)]
    key_room = avail - max(widths[i] for i in rest)
    while keys and sum(widths[i] for i in keys) > key_room and len(keys) > 1:
        keys.pop()  # too many label columns to repeat: repeat fewer
    parts: list[tuple[int, ...]] = []
    current: list[int] = []
    used = sum(widths[i] for i in keys)
    for i in range(len(keys), n):
        if current and used + widths[i] > avail:
            parts.append(tuple(keys + current))
            current, used = [], sum(widths[i] for i in keys)
        current.append(i)
        used += widths[i]
    parts.append(tuple(keys + current))
    if len(parts) > 1 and len(keys) < lead:  # a label column left out of the later parts
        parts[0] = tuple(sorted(set(parts[0]) | set(range(lead))))
    # the room every part leaves goes to the repeated label columns, up to comfortable
    room = min(avail - sum(widths[i] for i in part) for part in parts)
    want = {i: m.comfort[i] - widths[i] for i in keys if m.comfort[i] > widths[i]}
    if room > 0 and want:
        k = min(1.0, room / sum(want.values()))
        for i, d in want.items():
            widths[i] += d * k
    return TableLayout(SPLIT_SIZE, tuple(widths), tuple(parts), land)


@dataclass(frozen=True)
class DocumentLayout:
    """Per section: landscape or not; per table (by identity): its layout."""

    landscape: tuple[bool, ...]
    tables: dict[int, TableLayout]

    def table(self, t: Table) -> TableLayout:
        return self.tables[id(t)]


def plan_document(doc: ReportDocument, geo: Geometry) -> DocumentLayout:
    """The orientation of every section and the layout of every table of `doc` (keyed by the
    identity of the Table objects of this very document)."""
    needs: list[bool | None] = []
    for s in doc.sections:
        tabs = [b for b in s.blocks if isinstance(b, Table)]
        if not tabs:
            needs.append(None)
        else:
            needs.append(any(plan_table(t, geo).landscape for t in tabs))
    orient: list[bool] = [False] * len(doc.sections)
    following = False
    for k in range(len(doc.sections) - 1, -1, -1):
        need = needs[k]
        if need is None:  # the front matter before table 1, a heading before its tables
            s = doc.sections[k]
            orient[k] = following if (s.wide or not s.blocks or k == 0) else False
        else:
            orient[k] = need
        following = orient[k]
    tables: dict[int, TableLayout] = {}
    for s, land in zip(doc.sections, orient, strict=True):
        for b in s.blocks:
            if isinstance(b, Table):
                tables[id(b)] = plan_table(b, geo, landscape=land)
    return DocumentLayout(tuple(orient), tables)
