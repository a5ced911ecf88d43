"""The message catalogue: every user-facing string, in Danish (the source language) and English.

Strings are written in Danish in the code, marked for extraction (`tr`, `N_`, `Msg`,
`ngettext`, `plural_of`; see `extract.KEYWORDS`),
and translated by gettext catalogues in `locale/{da,en}/LC_MESSAGES/socinvest.po` (Babel:
`make messages` extracts and updates them). The `.mo` files are compiled at build time
(`setup.py`'s build step, `make`); a missing or stale `.mo` is compiled from its `.po` in memory,
so a plain checkout works too.

Two ways to word a text:
- in a face that knows its language: `tr = translator(lang)`, then `tr("Tabel {n}", n=3)`;
- deep in the domain, where the language is not known yet: `Msg("filen findes ikke: {path}",
  path=p)` is a lazy message (a msgid and its parameters), rendered by the face with
  `render(msg, lang)`. `InputError` and findings carry such messages.

Placeholders use `str.format` names (`{name}`); a parameter that is itself a `Msg` is rendered
in the same language.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGS = ("da", "en")
DEFAULT_LANG = "da"
DOMAIN = "socinvest"
LOCALE_DIR = Path(__file__).parent / "locale"


def N_(msgid: str) -> str:
    """Mark a string for extraction without translating it (labels in tables, codes' titles)."""
    return msgid


def _compile(po: Path, parts: list[Path]) -> _gettext.GNUTranslations:
    """Compile a `.po` (and any not yet merged `parts/*.po` beside it) in memory."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    lang = po.parent.parent.name
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    for part in parts:
        with part.open("rb") as f:
            for m in read_po(f, locale=lang, domain=DOMAIN):
                if m.id and m.string:
                    catalog[m.id] = m
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


@functools.lru_cache(maxsize=len(LANGS))
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `lang` (the `.mo` when it is newer than its `.po`)."""
    check_lang(lang)
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    parts = sorted((po.parent / "parts").glob("*.po"))
    fresh = mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime)
    if fresh and not parts:
        with mo.open("rb") as f:
            return _gettext.GNUTranslations(f)
    if po.is_file():
        return _compile(po, parts)
    return _gettext.NullTranslations()  # pragma: no cover - the package ships both catalogues


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def gettext(msgid: str, lang: str = DEFAULT_LANG) -> str:
    return translations(lang).gettext(msgid)


def ngettext(singular: str, plural: str, n: int, lang: str = DEFAULT_LANG) -> str:
    return translations(lang).ngettext(singular, plural, n)


@dataclass(frozen=True)
class Msg:
    """A message not yet worded: its Danish msgid and parameters. Rendered by a face."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict, compare=False)
    plural: str | None = None
    n: int | None = None

    def __init__(self, msgid: str, /, **params: Any) -> None:
        object.__setattr__(self, "msgid", msgid)
        object.__setattr__(self, "params", params)
        object.__setattr__(self, "plural", None)
        object.__setattr__(self, "n", None)

    @classmethod
    def plural_of(cls, singular: str, plural: str, n: int, /, **params: Any) -> Msg:
        m = cls(singular, n=n, **params)
        object.__setattr__(m, "plural", plural)
        object.__setattr__(m, "n", n)
        return m

    def render(self, lang: str = DEFAULT_LANG) -> str:
        t = translations(lang)
        text = (
            t.ngettext(self.msgid, self.plural, self.n)
            if self.plural is not None and self.n is not None
            else t.gettext(self.msgid)
        )
        if not self.params:
            return text
        return text.format(**{k: render(v, lang) for k, v in self.params.items()})

    def __str__(self) -> str:  # Danish, the default language
        return self.render(DEFAULT_LANG)


@dataclass(frozen=True)
class Join:
    """Several texts shown one after the other (e.g. a location prefix and a message)."""

    parts: tuple[Any, ...]
    sep: str = ""

    def render(self, lang: str = DEFAULT_LANG) -> str:
        return self.sep.join(render(p, lang) for p in self.parts)

    def __str__(self) -> str:
        return self.render(DEFAULT_LANG)


Text = str | Msg | Join


def render(text: Any, lang: str = DEFAULT_LANG) -> Any:
    """Word a text in `lang`: a `Msg`/`Join` is translated; anything else is returned as is."""
    if isinstance(text, Msg | Join):
        return text.render(lang)
    return text


def render_all(texts: Iterable[Any], lang: str = DEFAULT_LANG) -> list[Any]:
    return [render(t, lang) for t in texts]


class Translator:
    """`tr = translator("en")`; `tr("Tabel {n}", n=3)`; `tr.ngettext("{n} år", "{n} år", k, n=k)`."""

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)
        self._t = translations(lang)

    def __call__(self, msgid: str, /, **params: Any) -> str:
        text = self._t.gettext(msgid)
        if params:
            text = text.format(**{k: render(v, self.lang) for k, v in params.items()})
        return text

    def ngettext(self, singular: str, plural: str, n: int, /, **params: Any) -> str:
        text = self._t.ngettext(singular, plural, n)
        if params:
            text = text.format(**{k: render(v, self.lang) for k, v in params.items()})
        return text

    def render(self, text: Any) -> Any:
        return render(text, self.lang)


@functools.lru_cache(maxsize=len(LANGS))
def translator(lang: str = DEFAULT_LANG) -> Translator:
    return Translator(lang)
