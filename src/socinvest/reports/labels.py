"""Label tables of the reports as catalogue data: Danish msgids, worded per language.

A `LabelTable` holds the Danish text of every label (marked with `N_` for extraction) and is
indexed by language like the dictionaries it replaces: `T["en"]["title"]` is the catalogue's
English for the Danish msgid. Nested tables (e.g. the names of the kinds of line) are worded
too. A few Danish words need two English words (the row "Besparelse" is "Savings", the kind
"Besparelse" is "Saving"); such labels are written `C_("rows", "Besparelse")`: a msgid with a
gettext context (msgctxt), extracted as such (`i18n.extract.KEYWORDS`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..i18n import LANGS, translations


@dataclass(frozen=True)
class Ctx:
    """A msgid in a gettext context (see `C_`)."""

    context: str
    msgid: str


def C_(context: str, msgid: str) -> Ctx:
    """Mark a label whose Danish msgid needs a context to get its own English wording."""
    return Ctx(context, msgid)


def pgettext(context: str, msgid: str, lang: str) -> str:
    """The catalogue's wording of `msgid` in `context` (the msgid itself when untranslated)."""
    return translations(lang).pgettext(context, msgid)


class LabelTable(Mapping[str, dict[str, Any]]):
    """`table[lang]` -> the labels worded in `lang` (cached); `lang in table` for the known
    languages only."""

    def __init__(self, labels: dict[Any, Any]) -> None:
        self._labels = labels

    def _word(self, text: Any, lang: str) -> Any:
        if isinstance(text, dict):
            return {k: self._word(v, lang) for k, v in text.items()}
        if isinstance(text, Ctx):
            return pgettext(text.context, text.msgid, lang)
        if not isinstance(text, str) or not text:
            return text  # "" stays "" (gettext would answer the catalogue header)
        return translations(lang).gettext(text)

    @functools.lru_cache(maxsize=len(LANGS))  # noqa: B019 - tables are module-level constants
    def __getitem__(self, lang: str) -> dict[str, Any]:
        if lang not in LANGS:
            raise KeyError(lang)
        return {k: self._word(v, lang) for k, v in self._labels.items()}

    def __iter__(self) -> Iterator[str]:
        return iter(LANGS)

    def __len__(self) -> int:
        return len(LANGS)

    def __contains__(self, lang: object) -> bool:
        return lang in LANGS

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other
