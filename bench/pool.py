"""`make bench` (pool): choose among 500 applications over a 10-year horizon with the exact
integer programme (scipy.optimize.milp, HiGHS). Goal: solved to optimality in under 2 s.

The applications are generated with a fixed seed: investment profiles over the first 1-3
years, savings that ramp up from year 2-4 with a random size and running cost, and repayment
as a share of net savings (40-80 %) or a fixed amount over 3-5 years; the pool's rules (payback
at most 6 years on the total basis, a grant ceiling) rule some out before the solve. The
ledger arithmetic is the pool's own (`cap_repayments`, vectorised over all 500 at once).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from socinvest.engine.finance import npv, payback_year  # noqa: E402
from socinvest.pool.ledger import cap_repayments  # noqa: E402
from socinvest.pool.portfolio import solve  # noqa: E402

N, YEARS, SEED = 500, 10, 20240601
MAX_PAYBACK, MAX_GRANT = 6, 9_000.0


def generate(n: int = N, years: int = YEARS, seed: int = SEED):
    rng = np.random.default_rng(seed)
    t = np.arange(years)
    # investments (pool grants) in the first 1-3 years
    length = rng.integers(1, 4, n)
    start = rng.integers(0, 3, n)
    size = rng.lognormal(np.log(3000), 0.6, n)
    on = (t[None, :] >= start[:, None]) & (t[None, :] < (start + length)[:, None])
    grants = on * (size / length)[:, None]
    # permanent changes: a running cost and savings ramping up over 2 years from year 2-4
    ramp_from = start + rng.integers(1, 4, n)
    ramp = np.clip((t[None, :] - ramp_from[:, None] + 1) / 2.0, 0, 1)
    saving = size * rng.uniform(0.15, 0.9, n)
    cost = saving * rng.uniform(0.1, 0.5, n)
    permanent = (cost[:, None] * (t[None, :] >= ramp_from[:, None])) - saving[:, None] * ramp
    flows = grants + permanent  # spending convention: savings negative
    net_savings = -permanent
    # repayment terms: share of savings, or fixed over 3-5 years from the ramp start
    share_terms = rng.uniform(size=n) < 0.5
    share = rng.uniform(0.4, 0.8, n)
    sched_share = share[:, None] * np.maximum(net_savings, 0)
    k = rng.integers(3, 6, n)
    fixed_on = (t[None, :] >= ramp_from[:, None]) & (t[None, :] < (ramp_from + k)[:, None])
    sched_fixed = fixed_on * (grants.sum(1) / k)[:, None]
    sched = np.where(share_terms[:, None], sched_share, sched_fixed)
    repaid = np.stack([cap_repayments(grants[i], sched[i : i + 1])[0] for i in range(n)])
    usage = (np.cumsum(grants, 1) - np.cumsum(repaid, 1)).T  # (years, n)
    values = npv(flows)  # benefit at 3,5 %
    pb = payback_year(flows)
    ok = ~np.isnan(pb) & (pb <= MAX_PAYBACK) & (grants.sum(1) <= MAX_GRANT)
    available = np.cumsum([40_000.0] + [5_000.0] * (years - 1))  # capital: tight
    return values, usage, available, ok


def main() -> None:
    t0 = time.perf_counter()
    values, usage, available, ok = generate()
    t_gen = time.perf_counter() - t0
    upper = ok.astype(float)
    best = None
    for _ in range(3):
        s = solve(values, usage, available, upper=upper, time_limit=60)
        best = s if best is None or s.seconds < best.seconds else best
    s = best
    verdict = "OK" if s.status == "optimal" and s.seconds < 2 else "SLOW"
    print(
        f"pool      select {N} applications x {YEARS} years ({int(ok.sum())} pass the rules): "
        f"{s.seconds * 1000:.0f} ms (best of 3; data {t_gen * 1000:.0f} ms), status {s.status}, "
        f"gap {s.gap:.2g}, nodes {s.nodes}, chosen {int(s.x.sum())}, objective {s.objective:,.0f}"
        f"  goal < 2 s optimal: {verdict}"
    )
    slack = (available - usage @ s.x) / available
    print(
        f"          tightest year: {slack.min() * 100:.2f} % of the capital left "
        f"(years within 1 %: {int((slack < 0.01).sum())} of {YEARS})"
    )


if __name__ == "__main__":
    main()
