"""Defaults of the simulation, declared once (light: the CLI imports them at start-up)."""

DEFAULT_DRAWS = 10_000
DEFAULT_CHUNK = 25_000
"""Draws per chunk: small enough for the CPU caches (10^6 draws run about 1,6 times faster
than with chunks of 100.000) and it bounds memory to about 18 MB of line amounts per chunk
for the largest example (7 lines × 13 years)."""
PROGRESS_FROM = 100_000
"""Runs of at least this many draws show a progress bar on the terminal."""
PROGRESS_STEPS = 10
"""A run asked for its progress reports it about this many times (a web job's percentage),
also when it is one chunk: the chunk is then evaluated in parts, with the same numbers."""
DEFAULT_SEED = 0
"""Seed of a simulation when none is given (reports, `simulate`): the same seed, the same
numbers."""

# The ranges every command accepts (declared once; docs/uncertainty.md, "Ranges").
MAX_DRAWS = 10_000_000
"""Most draws of one run: a draw keeps about 150 bytes of results per case (NPV, payback and
the net effect of each year), so 10^7 draws stay near 1,5 GB; more is refused, not tried."""
MAX_SEED = 2**32 - 1
"""Seeds are 0 … 2^32 − 1 (numpy's SeedSequence takes no negative seed)."""
MAX_CHUNK = MAX_DRAWS
"""A chunk is never larger than a run."""
SCHEDULER_TIMEOUT = 5
"""Seconds to wait for a Dask scheduler at tcp://host:port before giving up (exit 2)."""
