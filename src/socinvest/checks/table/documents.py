"""Word (.docx) and PDF files read directly: their text, with every table as tab-separated
lines, so that `check` and `import` find every table in the document.

- **.docx** (python-docx): the body in document order; a paragraph is a line (a caption, a
  sentence on the signs), a table row is a line of tab-separated cells; a blank line after
  each table.
- **.pdf** (pypdf): each page's text in layout mode, which keeps columns apart by runs of
  spaces; `layout.to_tabs` then reads it as a PDF copy.

Both are bounded: the file size (`read.MAX_BYTES`), the uncompressed size of a .docx's parts
(a zip bomb is refused) and the number of PDF pages. Anything else is read as text.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ...errors import InputError
from ...i18n import Msg
from .read import MAX_BYTES, read_text

DOCX = (".docx", ".docm")
PDFS = (".pdf",)
MAX_UNZIPPED = 50 * 1024 * 1024
"""Largest total uncompressed size of a .docx's parts (a real proposal is a few MB)."""
MAX_PAGES = 300


def read_document(path: str | Path) -> tuple[str, str]:
    """(text, how it was read): "docx", "pdf", or the encoding of a text file."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in DOCX + PDFS:
        return read_text(p)
    name = str(path)
    if not p.is_file():
        read_text(p)  # the text reader's clear message for a missing file or a folder
    try:
        size = p.stat().st_size
    except OSError as e:
        raise InputError(
            Msg("{name}: filen kan ikke læses ({reason})", name=name, reason=e.strerror or str(e))
        ) from None
    if size > MAX_BYTES:
        mb = f"{size / 1e6:.1f}"
        raise InputError(
            Msg(
                "{name}: filen er for stor ({size} MB); et dokument må højst fylde 5 MB",
                name=name,
                size=mb,
            )
        )
    try:
        text = _docx_text(p) if suffix in DOCX else _pdf_text(p)
    except InputError:
        raise
    except Exception as e:  # a damaged or foreign file: say so, never a traceback
        kind = "Word" if suffix in DOCX else "PDF"
        raise InputError(
            Msg(
                "{name}: filen kan ikke læses som {kind}-dokument ({reason}) – gem den igen, "
                "eller kopiér tabellerne ind i en tekstfil",
                name=name,
                kind=kind,
                reason=type(e).__name__,
            )
        ) from None
    if not text.strip():
        raise InputError(
            Msg(
                "{name}: dokumentet indeholder ingen tekst (en scannet PDF?) – kopiér "
                "tabellerne ind i en tekstfil",
                name=name,
            )
        )
    return text, "docx" if suffix in DOCX else "pdf"


def _docx_text(p: Path) -> str:
    with zipfile.ZipFile(p) as z:
        if sum(i.file_size for i in z.infolist()) > MAX_UNZIPPED:
            raise InputError(
                Msg(
                    "{name}: dokumentet pakker ud til mere end 50 MB og læses ikke",
                    name=str(p),
                )
            )
    import docx  # python-docx, imported only when a Word file is read
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    doc = docx.Document(str(p))
    out: list[str] = []
    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            out.append(_one_line(item.text))
        elif isinstance(item, DocxTable):
            out.append("")
            for row in item.rows:
                out.append("\t".join(_one_line(c.text) for c in row.cells))
            out.append("")
    return "\n".join(out) + "\n"


def _pdf_text(p: Path) -> str:
    from pypdf import PdfReader  # imported only when a PDF is read

    reader = PdfReader(str(p))
    if len(reader.pages) > MAX_PAGES:
        raise InputError(
            Msg(
                "{name}: PDF-filen har {n} sider; højst {max} sider læses",
                name=str(p),
                n=len(reader.pages),
                max=MAX_PAGES,
            )
        )
    pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    return "\n".join(pages) + "\n"


def _one_line(s: str) -> str:
    """A cell or paragraph on one line: line breaks and tabs inside it become spaces."""
    return " ".join(s.replace("\t", " ").split())
