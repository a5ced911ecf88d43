"""The investment pool (investeringspulje): pool file, ledger, rules, risk and portfolio.

Public API:

- `load_pool(path, load_case) -> LoadedPool` (pool file and its cases, read by `load_case`;
  InputError with file:line:col). Faces use `socinvest.services.pool.load_pool(path)`.
- `build_ledger(lp, own=None, scope="approved", planned=None, include=None) -> Ledger`
- `check_pool(ledger) -> list[Finding]` (codes POOL_*; messages are lazy `Msg`s with amounts
  as `Money`, worded by the face)
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
