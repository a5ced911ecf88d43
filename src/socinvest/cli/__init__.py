"""The command-line face: `main` (the console entry point) and the typer `app`."""

from .main import app, main

__all__ = ["app", "main"]
