"""Options every command shares, declared once: the output language and `--json`.

`LangOpt` has a callback that records the chosen language for the command being run, so that
`main()` words an error (an `InputError` carrying a catalogue message) in that language too.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ..i18n import DEFAULT_LANG


class Lang(StrEnum):
    da = "da"
    en = "en"


class _State:
    lang: str = DEFAULT_LANG


state = _State()


def _remember(value: Lang | None) -> Lang | None:
    if value is not None:
        state.lang = Lang(value).value
    return value


LangOpt = Annotated[
    Lang,
    typer.Option(
        "--lang", help="Sprog i output: da (dansk) eller en (English).", callback=_remember
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Skriv resultatet som JSON på stdout.")]
