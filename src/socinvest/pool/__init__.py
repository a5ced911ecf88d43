"""The investment pool (investeringspulje): pool file, ledger, rules, risk and portfolio.

Public API:

- `load_pool(path) -> LoadedPool` (pool file and its cases; InputError with file:line:col)
- `build_ledger(lp, own=None, scope="approved", planned=None, include=None) -> Ledger`
- `check_pool(ledger) -> list[Finding]` (codes POOL_*)
- `project(lp, scope, draws, seed) -> Projection` (risk over draws)
- `compare(lp, ledger, projection) -> list[Row]`, `select(lp, objective, projection) -> Selection`
- `solve(values, usage, available, lower, upper) -> Solved` (the integer programme)
- `cap_repayments(granted, scheduled)` (the vectorised repayment rule)
"""

from .ledger import Ledger, build_ledger, cap_repayments
from .load import LoadedPool, load_pool, parse_pool
from .portfolio import Selection, compare, select, solve
from .risk import Projection, project
from .rules import check_pool

__all__ = [
    "Ledger",
    "LoadedPool",
    "Projection",
    "Selection",
    "build_ledger",
    "cap_repayments",
    "check_pool",
    "compare",
    "load_pool",
    "parse_pool",
    "project",
    "select",
    "solve",
]
