"""Presentation of the investment pool: its document blocks and renderings."""
