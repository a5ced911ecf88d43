"""Reading a table file: size limit, encodings (UTF-8, UTF-16 from Excel, cp1252), and clear
errors for files that are not text. The bytes come from the bounded reader (`socinvest.files`):
no FIFO, device or file over 5 MB is ever read."""

from __future__ import annotations

import re
from pathlib import Path

from ... import files
from ...errors import InputError
from ...i18n import Msg

MAX_BYTES = 5 * 1024 * 1024
"""Largest table file we read (5 MB); a pasted table is a few kB."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_text(path: str | Path) -> tuple[str, str]:
    """The file's text and the encoding it was read with ("utf-8", "utf-16" or "cp1252")."""
    name = str(path)
    try:
        data = files.read_bytes(path, MAX_BYTES)
    except files.FileProblem as e:  # the table's own wording, with a hint, where it has one
        if e.kind == "missing":
            msg = Msg("{name}: filen findes ikke – tjek stavningen og mappen", name=name)
        elif e.kind == "directory":
            msg = Msg("{name}: er en mappe, ikke en fil – angiv tekstfilen med tabellen", name=name)
        else:
            raise
        raise InputError(msg) from None
    text, encoding = _decode(data, name)
    if not text.strip():
        if not text:
            raise InputError(
                Msg("{name}: filen er tom – indsæt tabellen fra dokumentet", name=name)
            )
        raise InputError(
            Msg(
                "{name}: filen indeholder kun mellemrum og tomme linjer – indsæt tabellen fra "
                "dokumentet",
                name=name,
            )
        )
    if _CONTROL.search(text):
        raise InputError(
            Msg(
                "{name}: filen indeholder kontroltegn og ligner en binær fil, ikke tekst – gem "
                "tabellen som tekst (.txt)",
                name=name,
            )
        )
    return text, encoding


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode-tekst" is UTF-16 with BOM
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(
                Msg("{name}: filen kan ikke læses som UTF-16-tekst", name=name)
            ) from None
    if b"\x00" in data:
        raise InputError(
            Msg(
                "{name}: filen er binær (indeholder NUL-bytes), ikke tekst – gem tabellen som "
                "tekst (.txt) eller indsæt den i en tekstfil",
                name=name,
            )
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise InputError(
                Msg(
                    "{name}: filen kan hverken læses som UTF-8 eller Windows-1252 (cp1252) – gem "
                    "den som UTF-8-tekst",
                    name=name,
                )
            ) from None


def read_table_file(path: str | Path) -> str:
    """Read a table file as text: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252.

    Raises InputError naming the file when it is missing, a directory, empty, binary, larger
    than 5 MB or undecodable.
    """
    return read_text(path)[0]
