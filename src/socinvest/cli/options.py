"""Options every command shares, declared once: the output language, `--json`, `--force`,
and the simulation's `--seed` and `--draws` with their ranges.

`LangOpt` has a callback that records the chosen language for the command being run, so that
`main()` words an error (an `InputError` carrying a catalogue message) in that language too.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ..i18n import DEFAULT_LANG
from ..uncertainty.defaults import MAX_DRAWS, MAX_SEED


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
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Overskriv en eksisterende fil (aldrig en inddatafil).")
]
"""Every command that writes a file refuses an existing one without `--force`
(reports/write.py)."""
SeedOpt = Annotated[
    int,
    typer.Option(
        "--seed", min=0, max=MAX_SEED, help="Frø (0 … 2^32−1): samme frø giver samme tal."
    ),
]
DrawsOpt = Annotated[
    int,
    typer.Option("--draws", "-n", min=1, max=MAX_DRAWS, help="Antal trækninger (1 … 10^7)."),
]
DrawsOrNoneOpt = Annotated[
    int,
    typer.Option(
        "--draws",
        "-n",
        min=0,
        max=MAX_DRAWS,
        help="Antal trækninger til risiko (0 … 10^7; 0: kun den faste beregning).",
    ),
]
"""The ranges are declared once, in uncertainty/defaults.py (docs/uncertainty.md)."""
