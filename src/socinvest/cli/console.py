"""The terminal every face prints to (rich, imported lazily to keep start-up light)."""

from __future__ import annotations

WIDTH_WHEN_PIPED = 200
"""Columns when output is not a terminal: wide enough for a 13-year table."""


def console(width: int = WIDTH_WHEN_PIPED):
    from rich.console import Console

    c = Console(highlight=False)
    return c if c.is_terminal else Console(highlight=False, width=width)
