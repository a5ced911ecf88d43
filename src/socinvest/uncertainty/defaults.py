"""Defaults of the simulation, declared once (light: the CLI imports them at start-up)."""

DEFAULT_DRAWS = 10_000
DEFAULT_CHUNK = 25_000
"""Draws per chunk: small enough for the CPU caches (10^6 draws run about 1,6 times faster
than with chunks of 100.000) and it bounds memory to about 18 MB of line amounts per chunk
for the largest example (7 lines × 13 years)."""
PROGRESS_FROM = 100_000
"""Runs of at least this many draws show a progress bar on the terminal."""
DEFAULT_SEED = 0
"""Seed of a simulation when none is given (reports, `simulate`): the same seed, the same
numbers."""
