"""Risk of the pool: every case is simulated with the uncertainty machinery (`simulate`, the
same seeds and chunks as `socinvest simulate`), and the ledger is run on the per-draw net
savings as (draws, years) arrays. Repayments tied to savings shrink when the savings do; fixed
and custom schedules stay what they are (an obligation of the administration), and their risk
is the probability that the case's savings do not cover them.

Each application gets its own random stream, `SeedSequence([seed, i])` for application i,
so the cases' uncertainties are independent of each other (their own correlations apply
within each case)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..case.expr import parse_expression
from ..case.schema import Case, CountDriver, ExprDriver, FteDriver, Funding
from ..uncertainty.sampling import uncertain_names
from ..uncertainty.simulate import Simulation, simulate
from .ledger import Ledger, build_ledger, planned_years
from .load import LoadedPool, to_pool_axis

PERCENTILES = (5, 50, 95)
Progress = Callable[[int, int], None]
"""`progress(done, total)`: draws simulated so far of all the applications' draws."""


def _line_names(line) -> set[str]:
    d = line.driver
    names: set[str] = set()
    if isinstance(d, FteDriver):
        names |= {v for v in (d.fte, d.rate) if isinstance(v, str)}
    elif isinstance(d, CountDriver):
        names |= {v for v in (d.count, d.price, d.multiplier) if isinstance(v, str)}
    elif isinstance(d, ExprDriver):
        names |= set(parse_expression(d.expr).names)
    if isinstance(line.ramp, str):
        names.add(line.ramp)
    return names


def _other_funding_is_certain(case: Case) -> bool:
    unc = set(uncertain_names(case))
    return not any(ln.funding is not Funding.OWN and _line_names(ln) & unc for ln in case.lines)


def case_seed(seed: int, i: int) -> int:
    return int(np.random.SeedSequence([seed, i]).generate_state(1)[0])


def simulated_own(
    lp: LoadedPool,
    draws: int,
    seed: int,
    chunk_size: int | None = None,
    progress: Progress | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, Simulation]]:
    """Per application: its own-funded net flow per draw (draws, pool years), and its
    Simulation. Own = the simulated net effect minus the lines funded by the pool or
    externally (deterministic amounts; if one of them depends on an uncertain parameter, the
    same chunks are re-evaluated line by line). `progress(done, total)` counts the draws of
    every application (total = draws × applications); the numbers are the same without it."""
    from ..engine.resolve import evaluate
    from ..uncertainty.defaults import DEFAULT_CHUNK

    chunk = chunk_size or DEFAULT_CHUNK
    own: dict[str, np.ndarray] = {}
    sims: dict[str, Simulation] = {}
    total = draws * len(lp.cases)
    for i, (app, case) in enumerate(zip(lp.pool.applications, lp.cases, strict=True)):
        s = case_seed(seed, i)
        sim = simulate(
            case, draws, s, chunk, workers=1, progress=_shifted(progress, i * draws, total)
        )
        sims[app.id] = sim
        if _other_funding_is_certain(case):
            res = evaluate(case)
            other = res.total(funding=(Funding.POOL, Funding.EXTERNAL))  # (1, years)
            flow = sim.data["net"].T.astype(float) - other
        else:
            flow = _own_by_chunks(case, draws, s, chunk)
        own[app.id] = to_pool_axis(lp.pool, case, flow)
    return own, sims


def _shifted(progress: Progress | None, before: int, total: int) -> Callable[[int], None] | None:
    """One application's `progress(done)` as the pool's `progress(before + done, total)`."""
    if progress is None:
        return None
    return lambda done: progress(before + done, total)


def _own_by_chunks(case: Case, draws: int, seed: int, chunk: int) -> np.ndarray:
    """The own-funded flow per draw with exactly the draws of `simulate(case, draws, seed)`."""
    from ..engine.resolve import evaluate
    from ..uncertainty.sampling import sample
    from ..uncertainty.simulate import chunk_plan

    sizes = chunk_plan(draws, chunk)
    parts = []
    for ss, n in zip(np.random.SeedSequence(seed).spawn(len(sizes)), sizes, strict=True):
        rng = np.random.default_rng(ss)
        res = evaluate(case, overrides=sample(case, n, rng), draws=n)
        parts.append(res.total(funding=(Funding.OWN,)))
    return np.concatenate(parts, axis=0)


@dataclass(frozen=True)
class Projection:
    """The plain ledger and the same ledger over draws."""

    base: Ledger
    risk: Ledger | None
    sims: dict[str, Simulation]
    draws: int
    seed: int

    def balance_percentiles(self) -> dict[str, list[float]]:
        """P5, P50, P95 of the closing balance per year (the plain value if no draws)."""
        led = self.risk or self.base
        q = np.percentile(led.closing, PERCENTILES, axis=0)
        return {f"p{p}": [float(x) for x in row] for p, row in zip(PERCENTILES, q, strict=True)}

    def p_negative(self) -> list[float]:
        """Probability that the closing balance is negative, per year."""
        led = self.risk or self.base
        return [float(x) for x in (led.closing < -1e-9).mean(axis=0)]

    def p_on_schedule(self) -> dict[str, float]:
        led = self.risk or self.base
        return {c.id: float(c.on_schedule.mean()) for c in led.cases}

    def p_repaid(self) -> dict[str, float]:
        """Probability that each application is repaid in full within the horizon."""
        led = self.risk or self.base
        return {c.id: float((~np.isnan(c.repaid_year)).mean()) for c in led.cases}

    def expected_repaid(self) -> dict[str, float]:
        led = self.risk or self.base
        return {c.id: float(c.repaid.sum(axis=-1).mean()) for c in led.cases}


def project(
    lp: LoadedPool,
    scope: str = "approved+pending",
    draws: int = 0,
    seed: int = 0,
    chunk_size: int | None = None,
    progress: Progress | None = None,
) -> Projection:
    """The pool's projection: the plain ledger and, with `draws` > 0, the ledger over draws
    (`progress(done, total)`: the draws simulated so far, as `simulated_own`)."""
    base = build_ledger(lp, scope=scope)
    if draws <= 0:
        return Projection(base, None, {}, 0, seed)
    own, sims = simulated_own(lp, draws, seed, chunk_size, progress)
    risk = build_ledger(lp, own, scope=scope, planned=planned_years(base))
    return Projection(base, risk, sims, draws, seed)
