"""The intervention-ladder population model (indsatstrappen), docs/ladder.md.

Public API:

- `load_model(path)` → `Model` (a population or scenario file with its ladder);
  `load_ladder(path)` → `Ladder`;
- `build_tables(model, scenario=True, ...)` → `Tables`; `project_markov(tables)` and
  `simulate_micro(tables, seed)` → `Projection` (the two engines, same inputs and outputs);
- `project(model, scenario, engine, seed)`, `compare(model, engine, seed, draws)` →
  `Comparison` (children, mix, costs, savings, Monte Carlo of savings);
- `fit(path, ladder, ...)` → `FitResult`; `population_yaml(result, ladder_path, source)`;
- `resolve_ladder_lines(case, base)`: a case's `driver: ladder` lines resolved into data
  (done by `services.case.load_case`; the engine never runs the ladder).
"""

from .derive import resolve_ladder_lines
from .fit import FitResult, fit, population_yaml
from .load import Model, load_ladder, load_model
from .markov import project_markov
from .micro import simulate_micro
from .projection import Projection
from .scenario import Comparison, compare, monte_carlo, project, step_costs
from .tables import Tables, build_tables

__all__ = [
    "Comparison",
    "FitResult",
    "Model",
    "Projection",
    "Tables",
    "build_tables",
    "compare",
    "fit",
    "load_ladder",
    "load_model",
    "monte_carlo",
    "population_yaml",
    "project",
    "project_markov",
    "resolve_ladder_lines",
    "simulate_micro",
    "step_costs",
]
