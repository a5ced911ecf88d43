"""Monte Carlo through the one engine, in chunks of draws.

Each chunk gets its own random stream from `numpy.random.SeedSequence(seed).spawn(n_chunks)`,
so the result depends only on (seed, draws, chunk_size) — not on where or in which order the
chunks run: threads on this machine, a Dask LocalCluster, or an existing Dask cluster give
identical numbers. Memory is bounded by the chunk size (default 25.000 draws: about 18 MB of
line amounts per chunk for a case with 7 lines over 13 years), plus the kept per-draw results
(NPV, payback and the yearly net effect in float32: about 100 bytes a draw for that case).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from ..case.schema import Area, Case
from ..engine import finance
from ..engine.perspectives import has_payers, perspectives
from ..engine.resolve import evaluate
from ..errors import InputError
from ..i18n import Msg
from .defaults import DEFAULT_CHUNK, DEFAULT_DRAWS, PROGRESS_STEPS
from .sampling import sample, uncertain_names

PERCENTILES = (5, 25, 50, 75, 95)


def run_chunk(
    case: Case,
    seed: np.random.SeedSequence,
    n: int,
    step: int | None = None,
    report: Callable[[int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Evaluate `n` draws; keep per-draw NPV and payback (total and service basis, and per
    committee on the total basis) and the yearly net effect.

    With `step`, the chunk's draws are sampled at once (the rank correlation is imposed on
    the whole chunk, as without it) and the engine evaluates them `step` draws at a time,
    calling `report(k)` after each part of k draws. The engine computes every draw on its
    own, and the chunk's figures (NPV, payback) are computed over the whole chunk as
    without `step`: the numbers are the same, only the progress is finer."""
    rng = np.random.default_rng(seed)
    overrides = sample(case, n, rng)
    step = n if step is None or step < 1 or step >= n else step
    parts = []
    for a in range(0, n, step):
        b = min(a + step, n)
        part = overrides if b - a == n else {k: v[a:b] for k, v in overrides.items()}
        parts.append(_flows(case, part, b - a))
        if report is not None:
            report(b - a)
    flows = parts[0] if len(parts) == 1 else _joined(parts)
    d = case.discount
    factors = finance.discount_factors(flows["total"].shape[-1], d.rate, d.first_year_discounted)
    total, service, by_c = flows["total"], flows.get("service"), flows["by_committee"]
    pb_total = finance.payback_year(total)
    return {
        "npv": -(total @ factors),
        "payback_total": pb_total,
        "payback_service": pb_total if service is None else finance.payback_year(service),
        # years first, so that percentiles per year read contiguous memory
        "net": np.ascontiguousarray(total.T, dtype=np.float32),
        "npv_committee": -(by_c @ factors),
        "payback_committee": finance.payback_year(by_c),
        **_perspective_draws(flows, factors),
    }


def _flows(case: Case, overrides: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
    """The engine's flows of `n` draws, per draw and year: the total impact, the service
    basis (only when not every line is Service), per committee, and per perspective."""
    res = evaluate(case, overrides=overrides, draws=n)
    out = {"total": res.impact, "by_committee": res.by_committee_array()}  # (n, C, Y)
    if not bool(res.mask(areas=(Area.SERVICE,)).all()):
        out["service"] = res.basis_flows("service")
    if has_payers(res.case):
        pr = perspectives(res)
        for k in PERSPECTIVES:
            out[k] = pr.flows(k)
    return out


def _joined(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([p[k] for p in parts], axis=0) for k in parts[0]}


def _draw_axis(key: str) -> int:
    return 1 if key == "net" else 0  # the yearly net effect keeps its years first


PERSPECTIVES = ("public", "society")


def _perspective_draws(flows: dict[str, np.ndarray], factors: np.ndarray) -> dict[str, np.ndarray]:
    """Per-draw payback and NPV of the public sector and society (the same draws), for a case
    with more than one payer (docs/perspectives.md)."""
    out = {}
    for k in PERSPECTIVES:
        if k in flows:
            out[f"payback_{k}"] = finance.payback_year(flows[k])
            out[f"npv_{k}"] = -(flows[k] @ factors)
    return out


@dataclass(frozen=True)
class Simulation:
    """Per-draw results of a Monte Carlo run, and the figures decision makers ask for."""

    case: Case
    years: np.ndarray
    committees: tuple[str, ...]
    draws: int
    seed: int
    chunk_size: int
    target: int | None
    data: dict[str, np.ndarray] = field(repr=False)

    @property
    def uncertain(self) -> list[str]:
        return uncertain_names(self.case)

    def p_payback(self, basis: str = "total", within: int | None = None) -> float:
        p = self.data[f"payback_{basis}"]
        ok = ~np.isnan(p)
        if within is not None:
            ok &= p <= within
        return float(ok.mean())

    def payback_distribution(self, basis: str = "total") -> dict[str, float]:
        """Share of draws paying back in each year (1..n), and never ('none')."""
        p = self.data[f"payback_{basis}"]
        n = len(self.years)
        counts = np.bincount(np.nan_to_num(p, nan=0).astype(int), minlength=n + 1)
        out = {str(k): float(counts[k] / self.draws) for k in range(1, n + 1)}
        out["none"] = float(counts[0] / self.draws)
        return out

    def npv_summary(self, values: np.ndarray | None = None) -> dict[str, float]:
        v = self.data["npv"] if values is None else values
        q = np.percentile(v, [5, 50, 95])
        return {
            "mean": float(v.mean()),
            "sd": float(v.std(ddof=1)) if len(v) > 1 else 0.0,
            "p5": float(q[0]),
            "p50": float(q[1]),
            "p95": float(q[2]),
            "p_positive": float((v > 0).mean()),
        }

    def fan(self, cumulative: bool = False) -> dict[str, list[float]]:
        """Percentiles per year of the yearly (or cumulative) net effect."""
        net = self.data["net"]  # (years, draws), float32
        if cumulative:
            net = np.cumsum(net, axis=0, dtype=np.float64).astype(np.float32)
        q = np.percentile(net, PERCENTILES, axis=1)
        return {f"p{p}": [float(x) for x in row] for p, row in zip(PERCENTILES, q, strict=True)}

    def committee_summary(self) -> dict[str, dict]:
        out = {}
        for i, c in enumerate(self.committees):
            p = self.data["payback_committee"][:, i]
            ok = ~np.isnan(p)
            out[c] = {
                "p_payback": float(ok.mean()),
                "p_payback_target": None
                if self.target is None
                else float((ok & (p <= self.target)).mean()),
                "npv": self.npv_summary(self.data["npv_committee"][:, i]),
            }
        return out

    def to_json(self) -> dict:
        t = self.target
        return {
            "case": self.case.id,
            "draws": self.draws,
            "seed": self.seed,
            "chunk_size": self.chunk_size,
            "unit": self.case.unit.value,
            "price_level": self.case.price_level,
            "years": [int(y) for y in self.years],
            "uncertain_parameters": self.uncertain,
            "discount": {
                "rate": self.case.discount.rate,
                "first_year_discounted": self.case.discount.first_year_discounted,
            },
            "payback": {
                b: {
                    "p_within_horizon": self.p_payback(b),
                    "target": t,
                    "p_within_target": None if t is None else self.p_payback(b, t),
                    "distribution": self.payback_distribution(b),
                }
                for b in ("total", "service")
            },
            "npv": self.npv_summary(),
            "fan": {"yearly": self.fan()},
            "committees": self.committee_summary(),
            **self._perspectives_json(),
        }

    def _perspectives_json(self) -> dict:
        """P(payback) and NPV per perspective, for a case with more than one payer."""
        if "payback_public" not in self.data:
            return {}
        t = self.target
        out = {}
        for k, basis in (("municipality", "total"), ("public", "public"), ("society", "society")):
            out[k] = {
                "p_payback": self.p_payback(basis),
                "p_payback_target": None if t is None else self.p_payback(basis, t),
                "npv": self.npv_summary(self.data["npv" if k == "municipality" else f"npv_{k}"]),
            }
        return {"perspectives": out}


LOCAL_SCHEDULERS = (None, "threads", "local")


def check_scheduler(scheduler: str | None) -> None:
    """Threads on this machine, a Dask LocalCluster ('dask') or an existing Dask cluster
    (tcp://host:port); anything else is unusable input, said before any draw is made."""
    if scheduler in LOCAL_SCHEDULERS or scheduler == "dask":
        return
    if scheduler is not None and scheduler.startswith("tcp://"):
        host, _, port = scheduler[len("tcp://") :].rpartition(":")
        if host and port.isdigit() and 0 < int(port) < 65536:  # a host and a port number
            return
    message = Msg(
        "--scheduler '{scheduler}': brug 'threads', 'dask' (en lokal klynge) eller "
        "tcp://vært:port (en eksisterende Dask-klynge)",
        scheduler=scheduler,
    )
    raise InputError(message)


def chunk_plan(draws: int, chunk_size: int) -> list[int]:
    full, rest = divmod(draws, chunk_size)
    return [chunk_size] * full + ([rest] if rest else [])


def simulate(
    case: Case,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    chunk_size: int = DEFAULT_CHUNK,
    target: int | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    progress: Callable[[int], None] | None = None,
) -> Simulation:
    """Run `draws` draws. `scheduler`: None/'threads' (this machine), 'dask' (a LocalCluster)
    or 'tcp://host:port' (an existing Dask cluster). `progress(n)` is called with the number
    of draws finished so far (never decreasing, `draws` at the end): after each chunk, and on
    this machine about `PROGRESS_STEPS` times in all even when the run is one chunk (a chunk
    is then evaluated in parts; the numbers are the same as without `progress`)."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    if chunk_size < 1:
        raise ValueError("chunk size must be at least 1")
    check_scheduler(scheduler)
    sizes = chunk_plan(draws, chunk_size)
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    if scheduler in LOCAL_SCHEDULERS:
        step = -(-draws // PROGRESS_STEPS) if progress is not None else None
        parts = _run_threads(case, seeds, sizes, workers, progress, step)
    else:
        from .distributed import run_dask

        parts = run_dask(case, seeds, sizes, scheduler, workers, progress)
    data = {k: np.concatenate([p[k] for p in parts], axis=_draw_axis(k)) for k in parts[0]}
    from ..engine.results import Results  # committees as the engine orders them

    committees = Results.build(case, np.zeros(1), np.zeros((1, len(case.lines), 1))).committees
    years = np.arange(case.horizon.first, case.horizon.last + 1)
    for a in (years, *data.values()):
        a.flags.writeable = False  # a result is read, never changed
    return Simulation(case, years, committees, draws, seed, chunk_size, target, data)


def _run_threads(case, seeds, sizes, workers, progress, step=None) -> list[dict]:
    """Chunks in threads: numpy releases the GIL in its array loops, so 2 cores help.
    `progress(done)` is called under a lock, so `done` only grows, whichever thread reports."""
    lock = threading.Lock()
    done = 0

    def report(n: int) -> None:
        nonlocal done
        with lock:
            done += n
            progress(done)

    each = report if progress else None
    out: list[dict | None] = [None] * len(sizes)
    if workers <= 1 or len(sizes) == 1:
        for i, (s, n) in enumerate(zip(seeds, sizes, strict=True)):
            out[i] = run_chunk(case, s, n, step, each)
        return out  # type: ignore[return-value]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(run_chunk, case, s, n, step, each)
            for s, n in zip(seeds, sizes, strict=True)
        ]
        for i, f in enumerate(futures):
            out[i] = f.result()
    return out  # type: ignore[return-value]
