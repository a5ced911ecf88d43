"""Guards for an Excel workbook before openpyxl opens it: a workbook is a zip of XML parts,
and each of the three can be made to cost without limit. `inspect_zip` refuses a zip bomb
(declared or real unpacked size, packing ratio), an XML document type (entity bombs: Excel
never writes one) and an encrypted file; `extent` finds where a sheet's content really ends
in one streaming pass, so a cell at XFD1048576 is refused instead of iterated to.
openpyxl itself parses with defusedxml (a dependency), a second line against entity bombs.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from .. import files
from ..errors import InputError
from ..i18n import Msg

MB = files.MB
MAX_UNPACKED = 50 * MB
MAX_RATIO = 100
"""A workbook unpacks to at most 50 MB, and a part over 1 MB is packed at most 100 times
(real sheets pack some 5-20 times): beyond that it is a zip bomb."""
MAX_PARTS = 10_000
MAX_TAGS = 300_000
"""XML elements in all parts together: openpyxl spends some 5 µs on each (shared strings,
styles), so 300.000 keep an import within about 2 s; a table workbook has a few thousand."""
_OLE = bytes.fromhex("d0cf11e0a1b11ae1")  # the signature of an OLE compound file
_DTD = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!ENTITY".encode("utf-16-le"))
_OVERLAP = 2 * len("<!DOCTYPE")
_CHUNK = 1 << 16
_MEDIA = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".emf", ".wmf", ".bin", ".tif", ".tiff")


_REF = re.compile(r"([A-Za-z]{1,3})?(\d+)?$")


def unreadable_errors() -> tuple[type[BaseException], ...]:
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        from defusedxml import DefusedXmlException
    except ImportError:  # pragma: no cover - a dependency; openpyxl then parses unguarded
        DefusedXmlException = ValueError  # noqa: N806
    # What openpyxl raises on a corrupt part: its descriptors raise TypeError/ValueError on a
    # bad attribute, ElementTree a ParseError (a SyntaxError), zipfile BadZipFile on a bad CRC.
    return (
        zipfile.BadZipFile,
        zlib.error,
        InvalidFileException,
        DefusedXmlException,
        SyntaxError,
        KeyError,
        IndexError,
        TypeError,
        ValueError,
        AttributeError,
        EOFError,
        OSError,
        NotImplementedError,
    )


def unreadable(name: str, kind: str | Msg) -> InputError:
    return InputError(
        Msg(
            "{name}: filen kan ikke læses som et Excel-regneark (.xlsx) ({kind}) – gem den som "
            "Excel-projektmappe (.xlsx) eller kopiér tabellen ind i en tekstfil",
            name=name,
            kind=kind,
        )
    )


def inspect_zip(data: bytes, name: str) -> None:
    """Refuse a workbook that would cost more to open than a table can: more than
    `MAX_UNPACKED` bytes unpacked, a part packed more than `MAX_RATIO` times (a zip bomb), an
    XML document type (entity bombs), an encrypted file. Every part is unpacked here once, in
    chunks, so a part whose real size differs from the size it declares is caught too."""
    if data[:8] == _OLE:  # Excel saves a workbook with a password as an OLE file, as .xls was
        raise InputError(
            Msg(
                "{name}: filen er krypteret (beskyttet med adgangskode) eller en gammel "
                "Excel-fil (.xls) – fjern adgangskoden og gem den som Excel-projektmappe (.xlsx)",
                name=name,
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = zf.infolist()
            if len(parts) > MAX_PARTS:
                raise unreadable(name, Msg("{n} dele", n=len(parts)))
            declared = 0
            for info in parts:
                declared += info.file_size
                packed = max(info.compress_size, 1)
                if declared > MAX_UNPACKED or (
                    info.file_size > MB and info.file_size > MAX_RATIO * packed
                ):
                    raise _bomb(name, info.filename)
            tags = 0
            for info in parts:
                if info.flag_bits & 0x1:
                    raise unreadable(name, Msg("krypteret"))
                tags += _scan_part(zf, info, name)
                if tags > MAX_TAGS:
                    raise InputError(
                        Msg(
                            "{name}: projektmappen har over {most} XML-elementer – langt flere "
                            "end en tabel; gem kun arket med tabellen i en ny projektmappe",
                            name=name,
                            most=MAX_TAGS,
                        )
                    )
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as e:
        raise unreadable(name, type(e).__name__) from None


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> int:
    """Unpack one part in chunks (at most its declared size: zipfile stops there and checks
    the CRC); an XML part must not declare a document type. Returns its number of XML
    elements (start tags, near enough): what parsing it will cost."""
    xml = not info.filename.lower().endswith(_MEDIA)
    tail = b""
    got = tags = 0
    with zf.open(info) as f:
        while chunk := f.read(_CHUNK):
            got += len(chunk)
            if got > info.file_size:
                raise _bomb(name, info.filename)
            if xml:
                window = tail + chunk
                if any(mark in window for mark in _DTD):
                    raise InputError(
                        Msg(
                            "{name}: delen {part} indeholder en XML-dokumenttype (<!DOCTYPE eller "
                            "<!ENTITY), som Excel aldrig skriver – filen læses ikke, da den kan "
                            "være en XML-bombe; gem tabellen i en ny projektmappe",
                            name=name,
                            part=info.filename,
                        )
                    )
                tail = window[-_OVERLAP:]
                tags += chunk.count(b"<") - chunk.count(b"</")
    return tags


def _bomb(name: str, part: str) -> InputError:
    return InputError(
        Msg(
            "{name}: delen {part} fylder udpakket langt mere end en tabel kan (over {most} MB i "
            "alt eller pakket mere end {ratio} gange) – filen ligner en zip-bombe og læses ikke; "
            "gem tabellen i en ny projektmappe",
            name=name,
            part=part,
            most=MAX_UNPACKED // MB,
            ratio=MAX_RATIO,
        )
    )


@dataclass(frozen=True)
class SheetScan:
    """What one pass over a sheet's XML finds: the last row and column holding content, the
    number of cells with content, and the cells with a formula but no saved result."""

    rows: int
    cols: int
    cells: int
    uncached: tuple[str, ...]


def scan_sheet(data: bytes, part: str, max_cells: int) -> SheetScan:
    """Scan the sheet `part` (a streaming defusedxml parse: flat memory however long the
    sheet); empty, styled cells do not count. Stops with `TooManyCells` past `max_cells`."""
    from defusedxml.ElementTree import iterparse

    last_row = last_col = row = col = cells = 0
    uncached: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open(part) as f:
        for event, el in iterparse(f, events=("start", "end")):
            tag = el.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "row":
                    r = el.get("r")
                    row, col = (int(r) if r else row + 1), 0
                continue
            if tag == "c":
                cell_row, col = _cell_of(el.get("r"), row, col + 1)
                kids = {k.tag.rsplit("}", 1)[-1]: k for k in el}
                if kids:  # <v>, <is> or <f>: content
                    cells += 1
                    if cells > max_cells:
                        raise TooManyCells(cells)
                    last_row, last_col = max(last_row, cell_row), max(last_col, col)
                    v = kids.get("v")
                    if "f" in kids and (v is None or not v.text) and len(uncached) < 6:
                        uncached.append(f"{letters(col)}{cell_row}")
                el.clear()
            elif tag == "row":
                el.clear()
    return SheetScan(last_row, last_col, cells, tuple(uncached))


class TooManyCells(Exception):
    """A sheet with more cells of content than a table has."""


def letters(col: int) -> str:
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _cell_of(ref: str | None, row: int, col: int) -> tuple[int, int]:
    """(row, column) of a cell reference ("AB12" → (12, 28)); the row's and the next
    column when the reference leaves them out."""
    m = _REF.match(ref or "")
    if not m:
        raise ValueError(f"cell reference {ref!r}")
    letters, digits = m.groups()
    if letters:
        col = 0
        for ch in letters.upper():
            col = 26 * col + ord(ch) - 64
    return (int(digits) if digits else row), col
