"""The follow-up bundles: computed once from a case file and its follow-up file, then rendered
by every face (terminal, JSON, the evaluation report).

- `followup_bundle`: actuals (postings through the mapping, and explicit ones), plan against
  actual, realised payback, the re-forecast by the file's rule, the case's uncertainty
  conditioned on the actuals (when the case has uncertainty and something was reported; draws
  and seed as the file declares them), the status of the success criteria, FIT and ADBB
  summaries when the file names their data, and the pool's repayments when it names a pool
  application.
- `import_bundle`: one posting export read through a mapping for a case (`followup import`).
- `fit_bundle` / `adbb_bundle`: the summaries of a session or screening file.
- `restated_case`: a whole case at another price level (`show --price-level`).

Privacy: FIT and ADBB aggregates come suppressed from their packages (fewer than 5 persons,
with secondary suppression, followup/privacy.py); a criterion's measurement that counts
persons (its unit names children, families, persons, …) is hidden when it is a small non-zero
count. Faces show only what the bundle holds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..case.load import locate
from ..case.schema import Case
from ..errors import InputError
from ..followup import adbb as adbb_mod
from ..followup import fit as fit_mod
from ..followup.activity import build_activity
from ..followup.actuals import build_actuals
from ..followup.condition import Conditioned, condition
from ..followup.csvread import Problem
from ..followup.kpi import CriterionStatus, statuses
from ..followup.mapping import load_mapping
from ..followup.model import Actuals
from ..followup.params import default as default_params
from ..followup.prices import PriceIndex, PriceIndexFile, load_price_index, restate_case
from ..followup.realised import RealisedPayback, realised_payback
from ..followup.reforecast import Reforecast, reforecast
from ..followup.repayments import RepaymentStatus, repayment_status
from ..followup.schema import Criterion, FollowUp, PriceKind, load_followup
from ..followup.variance import Variance, variance
from ..i18n import Msg
from .case import has_uncertainty, load_case
from .pool import load_pool

_PERSONS = re.compile(
    r"barn|børn|famili|person|borger|klient|deltager|anbring|forløb|elev|"
    r"child|famil|client|citizen|participant|placement|course",
    re.IGNORECASE,
)


def counts_persons(unit: str) -> bool:
    """Whether a criterion's unit counts persons (then a small value is a small cell)."""
    return bool(_PERSONS.search(unit)) and "dage" not in unit.lower() and "andel" not in unit


@dataclass(frozen=True)
class KpiItem:
    """A success criterion and its status; `latest_value` is None when it is hidden (a small
    count of persons), then `suppressed` is True."""

    criterion: Criterion
    status: CriterionStatus
    latest_value: float | None
    suppressed: bool


@dataclass(frozen=True)
class FitResult:
    summary: fit_mod.Summary
    problems: tuple[Problem, ...]
    source: str


@dataclass(frozen=True)
class AdbbResult:
    summary: adbb_mod.Summary
    problems: tuple[Problem, ...]
    source: str


@dataclass(frozen=True)
class FollowupBundle:
    """Everything a face shows of one follow-up (module docstring)."""

    case: Case
    followup: FollowUp
    source: str  # the follow-up file
    index: PriceIndex
    actuals: Actuals
    variance: Variance
    realised: RealisedPayback
    reforecast: Reforecast
    conditioned: Conditioned | None
    as_of: dt.date
    kpi: tuple[KpiItem, ...]
    fit: FitResult | None
    adbb: AdbbResult | None
    repayment: RepaymentStatus | None


@dataclass(frozen=True)
class ImportBundle:
    """One posting export read for a case: its actuals in current prices (`current`)."""

    case: Case
    actuals: Actuals
    source: str
    mapping: str


def _default_as_of(actuals: Actuals, fu: FollowUp) -> dt.date:
    """End of the last year with an actual; else the last measurement; else 31-12 of the
    case's first year (never today: the same files give the same status)."""
    seen = actuals.years_observed
    if len(seen):
        return dt.date(int(seen[-1]), 12, 31)
    if fu.measurements:
        return max(m.date for m in fu.measurements)
    return dt.date(int(actuals.years[0]), 12, 31)


def _kpi(fu: FollowUp, as_of: dt.date, min_persons: int) -> tuple[KpiItem, ...]:
    out = []
    for c, st in zip(fu.criteria, statuses(fu.criteria, fu.measurements, as_of), strict=True):
        v = st.latest_value
        hide = v is not None and counts_persons(c.unit) and 0 < abs(v) < min_persons
        out.append(KpiItem(c, st, None if hide else v, hide))
    return tuple(out)


def _check_case_ref(fu: FollowUp, marks: dict, source: str, case_path: Path) -> None:
    named = (Path(source).resolve().parent / fu.case).resolve()
    if named != Path(case_path).resolve():
        msg = Msg(
            "opfølgningsfilen følger {named}, men casen er {given}",
            named=fu.case,
            given=str(case_path),
        )
        raise InputError(locate(source, marks, ("case",), msg))


def followup_bundle(case_path: str | Path, followup_path: str | Path) -> FollowupBundle:
    """The bundle of a case file and its follow-up file (every file error located)."""
    fu, marks = load_followup(followup_path)
    source = str(followup_path)
    _check_case_ref(fu, marks, source, Path(case_path))
    case = load_case(case_path)
    base = Path(followup_path).parent  # relative, so messages name files as given
    index = load_price_index(base / fu.price_index)
    mapping = load_mapping(base / fu.mapping) if fu.mapping else None
    activity = build_activity(fu, case, source, marks)
    actuals = build_actuals(
        case, index, mapping, [base / p for p in fu.postings], fu.actuals or None
    )
    var = variance(case, actuals, fu.thresholds, activity)
    real = realised_payback(case, actuals)
    refc = reforecast(case, actuals, fu.forecast)
    cond = None
    if has_uncertainty(case) and actuals.observed.any():
        k = fu.conditioning
        cond = condition(case, actuals, k.draws, k.seed, k.obs_sd, k.target)
    as_of = fu.as_of or _default_as_of(actuals, fu)
    min_persons = default_params().integer("privacy.min_persons", as_of)
    fit = adbb = repay = None
    if fu.fit_sessions:
        path = base / fu.fit_sessions
        s, problems = fit_mod.summarise(path)
        fit = FitResult(s, problems, fu.fit_sessions)
    if fu.adbb_screenings:
        path = base / fu.adbb_screenings
        a, problems = adbb_mod.summarise(path, children_in_target=fu.adbb_children)
        adbb = AdbbResult(a, problems, fu.adbb_screenings)
    if fu.pool is not None:
        lp = load_pool(base / fu.pool.file)
        repay = repayment_status(lp, fu.pool.application, actuals, fu.repayments)
    return FollowupBundle(
        case,
        fu,
        source,
        index,
        actuals,
        var,
        real,
        refc,
        cond,
        as_of,
        _kpi(fu, as_of, min_persons),
        fit,
        adbb,
        repay,
    )


def _current_prices(case: Case) -> PriceIndex:
    """An index of 1 in every year of the case: the import reports current prices as booked,
    so no conversion is made (and no index value is claimed)."""
    years = {y: 1.0 for y in range(case.horizon.first, case.horizon.last + 1)}
    model = PriceIndexFile(
        source="løbende priser (ingen omregning)",
        date=dt.date(case.horizon.first, 1, 1),
        illustrative=True,
        kinds={k: years for k in PriceKind},
    )
    return PriceIndex(model, "<løbende priser>")


def import_bundle(
    postings: str | Path, mapping: str | Path, case_path: str | Path, strict: bool = False
) -> ImportBundle:
    """Read one posting export through a mapping for a case (current prices, case unit)."""
    case = load_case(case_path)
    lm = load_mapping(mapping)
    actuals = build_actuals(case, _current_prices(case), lm, [postings], strict=strict)
    return ImportBundle(case, actuals, str(postings), str(mapping))


def fit_bundle(path: str | Path, strict: bool = False) -> FitResult:
    s, problems = fit_mod.summarise(path, strict=strict)
    return FitResult(s, problems, str(path))


def adbb_bundle(
    path: str | Path,
    strict: bool = False,
    period: str = "half",
    children_in_target: int | None = None,
) -> AdbbResult:
    a, problems = adbb_mod.summarise(
        path,
        strict=strict,
        period="year" if period == "year" else "half",
        children_in_target=children_in_target,
    )
    return AdbbResult(a, problems, str(path))


def restated_case(case_path: str | Path, level: int, index_path: str | Path) -> Case:
    """The case at `level` prices by the price index (followup.prices.restate_case)."""
    return restate_case(load_case(case_path), load_price_index(index_path), level)


def observed_total(bundle: FollowupBundle) -> np.ndarray:
    """The total net flow per year of the actuals (NaN in years not observed)."""
    rf = bundle.reforecast
    seen = rf.observed.any(axis=0)
    return np.where(seen, rf.flows["total"], np.nan)
