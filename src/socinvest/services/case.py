"""The case bundle: a case's results and, when it states uncertainty, its simulation —
computed once per `run`/`report`/web request, then rendered by every face."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..case.load import load_case as _parse_case_file
from ..case.schema import Case
from ..engine.resolve import evaluate
from ..engine.results import Results
from ..uncertainty.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from .simulation import SimulationBundle, simulation_bundle


def load_case(path: str | Path) -> Case:
    """Read, validate and resolve a case file into data that the engine can evaluate.
    Raises InputError naming file:line:col and key path."""
    return _parse_case_file(path)


@dataclass(frozen=True)
class CaseBundle:
    results: Results
    simulation: SimulationBundle | None = None

    @property
    def case(self) -> Case:
        return self.results.case


def has_uncertainty(case: Case) -> bool:
    return any(p.uncertainty is not None for p in case.parameters.values())


def case_bundle(
    case: Case,
    simulate: bool | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> CaseBundle:
    """Results of `case`; with `simulate` (default: when the case has uncertain parameters)
    also its simulation bundle with `draws` and `seed`."""
    res = evaluate(case)
    if simulate is None:
        simulate = has_uncertainty(case)
    sim = simulation_bundle(case, draws, seed) if simulate and has_uncertainty(case) else None
    return CaseBundle(res, sim)
