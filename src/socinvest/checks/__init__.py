"""Checks: findings against stated figures (case files) and pasted tables."""
