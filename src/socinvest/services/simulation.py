"""The simulation bundle: Monte Carlo, tornado and switching values of a case, computed once.

Every face (terminal, JSON, the report's uncertainty section, `simulate --html`) renders this
bundle; none of them runs a simulation of its own. `sensitivity` needs no Monte Carlo: it gets
a `SensitivityBundle` (tornado and switching values only), which a `SimulationBundle` also
holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..case.schema import Case
from ..engine.resolve import evaluate
from ..errors import InputError
from ..i18n import Msg
from ..uncertainty.defaults import DEFAULT_CHUNK, DEFAULT_DRAWS, DEFAULT_SEED
from ..uncertainty.sampling import uncertain_names
from ..uncertainty.sensitivity import Switching, TornadoBar, switching_values, tornado
from ..uncertainty.simulate import Simulation, simulate

Method = Literal["p10p90", "minmax"]
METHODS: tuple[Method, ...] = ("p10p90", "minmax")


@dataclass(frozen=True)
class SensitivityBundle:
    """One-way sensitivity of a case: the tornado (at P10/P90 or at min/max) and the switching
    values for NPV = 0 and for payback within `payback_target` years."""

    case: Case
    base_npv: float  # the plain calculation's NPV: where the tornado's bars start
    tornado: tuple[TornadoBar, ...]
    tornado_method: Method
    switching_npv: tuple[Switching, ...]
    switching_payback: tuple[Switching, ...]
    payback_target: int


@dataclass(frozen=True)
class SimulationBundle:
    """A Monte Carlo run of a case and its sensitivity, computed once for every face."""

    simulation: Simulation
    sensitivity: SensitivityBundle

    @property
    def case(self) -> Case:
        return self.simulation.case

    @property
    def draws(self) -> int:
        return self.simulation.draws

    @property
    def seed(self) -> int:
        return self.simulation.seed

    @property
    def base_npv(self) -> float:
        return self.sensitivity.base_npv

    @property
    def tornado(self) -> tuple[TornadoBar, ...]:
        return self.sensitivity.tornado

    @property
    def tornado_method(self) -> Method:
        return self.sensitivity.tornado_method

    @property
    def switching_npv(self) -> tuple[Switching, ...]:
        return self.sensitivity.switching_npv

    @property
    def switching_payback(self) -> tuple[Switching, ...]:
        return self.sensitivity.switching_payback

    @property
    def payback_target(self) -> int:
        return self.sensitivity.payback_target


def require_uncertainty(case: Case, source: str | Path) -> None:
    """A Monte Carlo of a case without uncertain parameters is unusable input: say how to add
    one."""
    if not uncertain_names(case):
        message = Msg(  # InputError words it in the face's language
            "{path}: ingen parametre har 'uncertainty'; tilføj fx uncertainty: "
            "{{dist: triangular, min: 400, mode: 500, max: 650}} (docs/uncertainty.md)",
            path=str(source),
        )
        raise InputError(message)


def sensitivity_bundle(
    case: Case, target: int | None = None, method: Method = "p10p90"
) -> SensitivityBundle:
    """Tornado and switching values of `case`; payback target default: the whole horizon."""
    if method not in METHODS:
        raise ValueError(f"unknown tornado method {method!r}; use one of {METHODS}")
    pb_target = target or len(case.horizon.years)
    return SensitivityBundle(
        case=case,
        base_npv=float(evaluate(case).npv()[0]),
        tornado=tuple(tornado(case, method)),
        tornado_method=method,
        switching_npv=tuple(switching_values(case, "npv")),
        switching_payback=tuple(switching_values(case, "payback", pb_target)),
        payback_target=pb_target,
    )


def simulation_bundle(
    case: Case,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    target: int | None = None,
    method: Method = "p10p90",
    chunk_size: int = DEFAULT_CHUNK,
    scheduler: str = "threads",
    progress: Callable[[int], None] | None = None,
) -> SimulationBundle:
    """Simulate `case` (`draws` draws from `seed`, in chunks of `chunk_size`) and compute its
    sensitivity, once."""
    sim = simulate(case, draws, seed, chunk_size, target, scheduler, progress=progress)
    return SimulationBundle(sim, sensitivity_bundle(case, target, method))
