"""Presentation of the intervention ladder: its document blocks and renderings."""
