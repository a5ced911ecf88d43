"""The case bundle: a case's results and, when it states uncertainty, its simulation —
computed once per `run`/`report`/web request, then rendered by every face."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..case.catalogue import Origin, catalogue_problems, read_catalogue, split_by_payer
from ..case.load import locate, parse_case_located, raise_problems, read_text
from ..case.payers import payer_problems
from ..case.schema import Case, ExprDriver, LadderDriver
from ..case.yamlsafe import Loaded
from ..checks.case import CaseReport, check_case
from ..engine.perspectives import Perspectives, evaluate_other, has_payers, perspectives
from ..engine.resolve import NonFiniteAmount, evaluate
from ..engine.results import Results
from ..errors import InputError
from ..i18n import Msg
from ..uncertainty.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from .simulation import SimulationBundle, simulation_bundle


def load_case(path: str | Path) -> Case:
    """Read, validate and resolve a case file into data that the engine can evaluate.
    Raises InputError naming file:line:col and key path."""
    p = Path(path)
    return parse_case(read_text(p), str(p), p.resolve().parent)


def parse_case(
    text: str, source: str = "<case>", base: str | Path | None = None, loaded: Loaded | None = None
) -> Case:
    """A case from its text, resolved into data: ladder lines get their projection (paths
    relative to `base`; default the folder of `source` if it is a file, else the working
    directory), then one evaluation finds a driver that gives no finite amount. Every error
    names file:line:col and key path. `loaded`: the text already read by `load_located`."""
    case, marks = parse_case_located(text, source, loaded)
    if base is None:
        src = Path(source)
        base = src.parent if src.is_file() else Path.cwd()
    raise_problems(source, marks, payer_problems(case))
    if any(isinstance(ln.driver, LadderDriver) for ln in case.lines):
        from ..ladder.derive import resolve_ladder_lines  # only cases that use the ladder

        case, problems = resolve_ladder_lines(case, Path(base).resolve())
        raise_problems(source, marks, problems)
    written = case
    case, origin = _split_by_payer(case, Path(base), source, marks)
    own = True
    try:
        evaluate(case)  # one draw: a driver that divides by zero is found here, located
        own = False
        evaluate_other(case)  # the other payers' lines likewise
    except NonFiniteAmount as e:
        index = origin[0 if own else 1][e.line_index]
        line = written.lines[index]
        e.line_index = index
        d = line.driver
        key = (
            ("driver", "expr") if isinstance(d, ExprDriver) else ("driver",) if d else ("amounts",)
        )
        raise InputError(locate(source, marks, ("lines", e.line_index, *key), e.message)) from None
    return case


def _split_by_payer(case: Case, base: Path, source: str, marks: dict) -> tuple[Case, Origin]:
    """Read the case's consequence catalogue (if it names one), check it against the case and
    split the lines by payer (case.catalogue.split_by_payer); every problem located."""
    cat = None
    cat_path = None
    if case.catalogue is not None:
        cat_path = (base / case.catalogue).resolve()
        try:
            cat = read_catalogue(cat_path)
        except InputError as e:
            if not cat_path.exists():
                raise InputError(locate(source, marks, ("catalogue",), e.message)) from None
            raise
        raise_problems(source, marks, catalogue_problems(case, cat))
    out, origin = split_by_payer(case, cat, None if cat_path is None else str(cat_path))
    if not out.lines:
        no_own = Msg("casen har ingen linjer for kommunen; mindst én linje skal have payer kommune")
        raise InputError(locate(source, marks, ("lines",), no_own))
    return out, origin


@dataclass(frozen=True)
class CaseBundle:
    """Everything a face shows of one case: its results, the check of its stated figures and,
    when asked for, its simulation."""

    results: Results
    simulation: SimulationBundle | None = None
    check: CaseReport | None = None
    perspectives: Perspectives | None = None
    """Results per payer and perspective, when the case has more than one payer."""

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
    persp = perspectives(res) if has_payers(case) else None
    return CaseBundle(res, sim, check_case(case, res), persp)
