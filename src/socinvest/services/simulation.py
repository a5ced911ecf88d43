"""The simulation bundle: Monte Carlo, tornado and switching values of a case, computed once.

Every face (terminal, JSON, the report's uncertainty section, `simulate --html`) renders this
bundle; none of them runs a simulation of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..case.schema import Case
from ..uncertainty.defaults import DEFAULT_CHUNK, DEFAULT_DRAWS, DEFAULT_SEED
from ..uncertainty.sensitivity import Switching, TornadoBar, switching_values, tornado
from ..uncertainty.simulate import Simulation, simulate


@dataclass(frozen=True)
class SimulationBundle:
    simulation: Simulation
    tornado: tuple[TornadoBar, ...]
    tornado_method: str  # "p10p90" | "minmax"
    switching_npv: tuple[Switching, ...]
    switching_payback: tuple[Switching, ...]
    payback_target: int

    @property
    def draws(self) -> int:
        return self.simulation.draws

    @property
    def seed(self) -> int:
        return self.simulation.seed


def simulation_bundle(
    case: Case,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    target: int | None = None,
    method: str = "p10p90",
    chunk_size: int = DEFAULT_CHUNK,
    scheduler: str = "threads",
    progress: Callable[[int], None] | None = None,
) -> SimulationBundle:
    """Simulate `case` and compute its sensitivity, once."""
    pb_target = target or len(case.horizon.years)
    sim = simulate(case, draws, seed, chunk_size, target, scheduler, progress=progress)
    return SimulationBundle(
        simulation=sim,
        tornado=tuple(tornado(case, method)),
        tornado_method=method,
        switching_npv=tuple(switching_values(case, "npv")),
        switching_payback=tuple(switching_values(case, "payback", pb_target)),
        payback_target=pb_target,
    )
