"""Errors for input that cannot be used. Faces turn them into a one-line message and exit 2
(CLI) or a 4xx answer (web); they never show a traceback."""

from __future__ import annotations


class InputError(Exception):
    """Input cannot be read or is invalid. The message names the file, line and key path and
    says how to fix it; `details` holds further lines (one per problem) when there are several."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details or [])

    def __str__(self) -> str:
        return "\n".join([self.message, *self.details])
