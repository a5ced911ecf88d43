"""The one sanitising function for text from input files (case titles, line labels, pool and
ladder names) on its way into any output: a report file, a workbook or the terminal.

Control characters are removed — C0 (\\x00–\\x1f) except tab and newline, DEL (\\x7f) and C1
(\\x80–\\x9f) — and so are lone surrogates (which no UTF-8 file can hold). They have no
meaning in a report, Word refuses them (XML 1.0 cannot hold them), and on a terminal an ESC
starts a control sequence: "\\x1b[2J" clears the screen, "\\x1b]0;…\\a" retitles the window.
Removing the ESC leaves its printable rest ("[2J") as harmless text.

Each format then escapes what is special to it: rich markup (`rich.markup.escape`), HTML
(jinja2's autoescape), Markdown (`markdown._esc`), formulas in workbooks (`xlsx.cells`).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

T = TypeVar("T")


def clean_text(text: str) -> str:
    """`text` without control characters (tab and newline are kept) and lone surrogates."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def clean(obj: T) -> T:
    """`obj` with `clean_text` applied to every string in it: strings, tuples, lists, dicts
    and (frozen) dataclasses such as a report document and its blocks, rebuilt only where
    something changed. A dataclass field named `origin` (the bundle a document was built
    from) is left as it is: it is data, not text to show."""
    return _clean(obj)


def _clean(obj: Any) -> Any:
    if isinstance(obj, str):
        return clean_text(obj)
    if isinstance(obj, tuple):
        items = tuple(_clean(x) for x in obj)
        return obj if all(a is b for a, b in zip(items, obj, strict=True)) else items
    if isinstance(obj, list):
        return [_clean(x) for x in obj]
    if isinstance(obj, dict):
        return {_clean(k): _clean(v) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {}
        for f in dataclasses.fields(obj):
            if not f.init or f.name == "origin":
                continue
            old = getattr(obj, f.name)
            new = _clean(old)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(obj, **changes) if changes else obj
    return obj
