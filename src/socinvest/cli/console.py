"""The terminal every face prints to (rich, imported lazily to keep start-up light).

Hardened against text from input files: every string rich renders is cleaned of control
characters first (`reports.safetext.clean_text`: no ESC sequence from a case file reaches
the terminal raw, whatever the print site), emoji codes (":smile:") are not replaced, and
the print sites escape rich markup in what they did not write themselves.
"""

from __future__ import annotations

from typing import Any

WIDTH_WHEN_PIPED = 200
"""Columns when output is not a terminal: wide enough for a 13-year table."""

_CLASS: Any = None


def _safe_console_class() -> Any:
    global _CLASS
    if _CLASS is None:
        from rich.console import Console

        from socinvest.reports.safetext import clean_text

        class SafeConsole(Console):
            """A rich Console that cleans every string before it parses its markup."""

            def render_str(self, text: str, **kwargs: Any) -> Any:
                return super().render_str(clean_text(text), **kwargs)

        _CLASS = SafeConsole
    return _CLASS


def console(width: int = WIDTH_WHEN_PIPED):
    cls = _safe_console_class()
    c = cls(highlight=False, emoji=False)
    return c if c.is_terminal else cls(highlight=False, emoji=False, width=width)
