"""socinvest: build, check and stress-test social investment business cases.

The package is organised by concept (see docs/architecture.md): ``case`` (schema, loading,
drivers), ``engine`` (vectorised calculation and finance), ``checks`` (findings against stated
figures and pasted tables) and the thin faces ``cli``.
"""

__version__ = "0.1.0"
