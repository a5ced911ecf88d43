"""Errors for input that cannot be used. Faces turn them into a one-line message and exit 2
(CLI) or a 4xx answer (web); they never show a traceback.

A message is a plain `str` or a catalogue text (`socinvest.i18n.Msg`/`Join`): anything with
`render(lang) -> str`. This module does not import the catalogue (the two are independent
leaves of the layer contract); it only asks a text to word itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeAlias


class Worded(Protocol):
    """A text that words itself in a language (`i18n.Msg`, `i18n.Join`)."""

    def render(self, lang: str = ...) -> str: ...


Text: TypeAlias = "str | Worded"
DANISH = "da"  # the source language of every message (i18n.DEFAULT_LANG)


def word(text: Text, lang: str = DANISH) -> str:
    """`text` in `lang`: a catalogue text is translated, a plain string is kept as written."""
    return text if isinstance(text, str) else str(text.render(lang))


class InputError(Exception):
    """Input cannot be read or is invalid. The message names the file, line and key path and
    says how to fix it; `details` holds further lines (one per problem) when there are several.
    `str(e)` is Danish; a face calls `e.render(lang)` for its own language."""

    def __init__(self, message: Text, details: Iterable[Text] | None = None) -> None:
        super().__init__(message)
        self.message: Text = message
        self.details: list[Text] = list(details or [])

    def render(self, lang: str = DANISH) -> str:
        """Every line (message, then details), worded in `lang`."""
        return "\n".join(word(m, lang) for m in (self.message, *self.details))

    def __str__(self) -> str:
        return self.render(DANISH)


class InvalidValue(ValueError):
    """A value a validator rejects, with a catalogue message. Raise it from a pydantic
    validator: pydantic keeps the exception in the error's `ctx["error"]`, and the loader
    (`case.load._located`) words `message` in the face's language. `str(e)` is Danish."""

    def __init__(self, message: Text) -> None:
        super().__init__(word(message))
        self.message: Text = message

    def render(self, lang: str = DANISH) -> str:
        return word(self.message, lang)
