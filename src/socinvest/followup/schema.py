"""The follow-up files (docs/followup.md): what really happened after a case was decided.
Frozen pydantic models, loaded with located errors like the case and pool files
(`socinvest.case.load.parse_yaml_model`).

Three files, each readable on its own:

- the **follow-up file** (`FollowUp`): which case, price index and mapping it follows; the
  posting exports; explicit actuals per line and period; actual activity behind the drivers;
  repayments made to the pool; status thresholds; the forecast rule; success criteria and their
  measurements.
- the **mapping file** (`Mapping`, mapping.py): which accounts and cost centres belong to which
  case line, and each line's price index kind.
- the **price-index file** (`PriceIndexFile`, prices.py): index per year and kind, with source.

Periods are budget years (`2018`) or quarters (`"2018Q3"`). Amounts of actuals are in the
case's unit, current prices (løbende priser), signed as spending (a cost positive, a saving or a
refund negative) – as the finance system books them. Paths are relative to the follow-up
file's folder.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from ..case.load import parse_yaml_model, raise_problems, read_text
from ..case.schema import Frozen
from ..errors import InvalidValue
from ..i18n import Msg

_ID = r"^[A-Za-z][A-Za-z0-9_]*$"
_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[Qq]\s*([1-4]))?\s*$")


def parse_period(key: int | str) -> tuple[int, int | None]:
    """`2018` -> (2018, None); `"2018Q3"` -> (2018, 3). Raises InvalidValue with a hint."""
    if isinstance(key, bool):
        raise InvalidValue(Msg("{key} er hverken et år eller et kvartal", key=repr(key)))
    m = _PERIOD.match(str(key))
    if not m or not 1900 <= int(m.group(1)) <= 2200:
        raise InvalidValue(
            Msg(
                "{key} er hverken et år eller et kvartal; skriv fx 2018 eller 2018Q3",
                key=repr(key),
            )
        )
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None


def _periods(v: dict[int | str, float]) -> dict[int | str, float]:
    """A year and a quarter of the same year may not both be given (which would count?)."""
    years: set[int] = set()
    quarters: set[int] = set()
    for key in v:
        y, q = parse_period(key)
        (quarters if q else years).add(y)
    both = sorted(years & quarters)
    if both:
        raise InvalidValue(
            Msg(
                "år {year} er angivet både for hele året og for kvartaler; angiv det ene",
                year=both[0],
            )
        )
    return v


PeriodValues = Annotated[dict[int | str, float], AfterValidator(_periods)]
"""Values by year or quarter: `{2017: 120, 2018Q1: 30, 2018Q2: 31}`."""


def _years(v: dict[int, float]) -> dict[int, float]:
    for y in v:
        if not 1900 <= int(y) <= 2200:
            raise InvalidValue(Msg("{key} er ikke et budgetår", key=repr(y)))
    return v


YearAmounts = Annotated[dict[int, float], AfterValidator(_years)]


class PriceKind(StrEnum):
    """The index a line's amounts follow (KL's pris- og lønskøn has these three)."""

    SERVICE_WAGES = "service_wages"  # serviceudgifter, løn
    SERVICE_PRICES = "service_prices"  # serviceudgifter, priser (øvrige)
    ANLAEG = "anlaeg"  # anlægsudgifter


class Threshold(Frozen):
    """A plan-vs-actual difference reaches this level when it exceeds both the percentage of
    the plan and the absolute amount (so small lines do not flag on small sums)."""

    percent: float = Field(ge=0, description="|actual - plan| in % of |plan|")
    absolute: float = Field(0.0, ge=0, description="|actual - plan| in the case's unit")


class Thresholds(Frozen):
    """Status flags of plan against actual: `watch` (gul) and `alert` (rød)."""

    watch: Threshold = Threshold(percent=5.0)
    alert: Threshold = Threshold(percent=10.0)

    @model_validator(mode="after")
    def _order(self) -> Thresholds:
        if self.alert.percent < self.watch.percent or self.alert.absolute < self.watch.absolute:
            raise InvalidValue(Msg("tærsklen 'alert' skal være mindst lige så stor som 'watch'"))
        return self


class ForecastRule(StrEnum):
    KEEP_PLAN = "keep_plan"  # the rest of the horizon as planned
    SCALE = "scale"  # the plan scaled by the realised share (actual / plan so far)
    OVERRIDE = "override"  # the plan with some parameters replaced (`overrides`)


class Forecast(Frozen):
    """How the years after the actuals are forecast (re-forecast, docs/followup.md)."""

    rule: ForecastRule = ForecastRule.KEEP_PLAN
    overrides: dict[str, float | dict[int | str, float]] = Field(
        default_factory=dict,
        description="parameter name -> new value (a number or per year), with rule override",
    )
    lines: list[str] | None = Field(
        None, description="line ids the rule applies to (default: every line)"
    )

    @model_validator(mode="after")
    def _overrides(self) -> Forecast:
        if self.rule is ForecastRule.OVERRIDE and not self.overrides:
            raise InvalidValue(Msg("reglen override kræver 'overrides': parameternavn og ny værdi"))
        if self.rule is not ForecastRule.OVERRIDE and self.overrides:
            raise InvalidValue(Msg("'overrides' bruges kun med reglen override"))
        return self


class Direction(StrEnum):
    UP = "up"  # success is a higher value
    DOWN = "down"  # success is a lower value (e.g. course length, placements)


class Criterion(Frozen):
    """Succeskriterium as data: an indicator moving from a baseline towards a target."""

    id: str = Field(pattern=_ID, description="short identifier, unique in the file")
    label: str = Field(min_length=1, description="the criterion as worded in the case")
    indicator: str = Field(min_length=1, description="what is measured, and how")
    unit: str = Field(min_length=1, description="e.g. 'uger', 'antal børn', 'andel'")
    baseline: float
    baseline_date: dt.date | None = None
    target: float
    direction: Direction
    responsible: str | None = Field(None, description="who follows up")
    due: list[dt.date] = Field(default_factory=list, description="dates a measurement is due")
    source: str | None = None

    @model_validator(mode="after")
    def _direction(self) -> Criterion:
        wrong = (self.direction is Direction.UP and self.target < self.baseline) or (
            self.direction is Direction.DOWN and self.target > self.baseline
        )
        if wrong:
            raise InvalidValue(
                Msg(
                    "målet {target} ligger på den forkerte side af udgangspunktet {baseline} "
                    "for retningen {direction}",
                    target=format(self.target, "g"),
                    baseline=format(self.baseline, "g"),
                    direction=self.direction.value,
                )
            )
        return self


class Measurement(Frozen):
    """A dated value of a criterion's indicator."""

    criterion: str
    date: dt.date
    value: float
    note: str | None = None


class Conditioning(Frozen):
    """Declared settings of the conditioned uncertainty (condition.py), so that a status or a
    report can be made again with the same figures."""

    draws: int = Field(20_000, ge=100, le=200_000, description="Monte Carlo draws")
    seed: int = Field(2024, ge=0, le=2**32 - 1, description="seed of the draws")
    obs_sd: float = Field(0.10, gt=0, le=10, description="observation error, share of the plan")
    target: int | None = Field(
        None, ge=1, description="payback target in years (default: within the horizon)"
    )


class PoolLink(Frozen):
    """The pool application the case was funded by (repayments made are set against it)."""

    file: str = Field(description="the pool file, relative to this file")
    application: str = Field(description="the application's id in the pool file")


class FollowUp(Frozen):
    """The follow-up file of one case."""

    schema_: str | None = Field(None, alias="$schema", description="editor hint; ignored")
    case: str = Field(description="the case file, relative to this file")
    price_index: str = Field(description="the price-index file (prices.py)")
    mapping: str | None = Field(None, description="the mapping file; needed with postings")
    postings: list[str] = Field(
        default_factory=list, description="posting exports from the finance system (CSV/xlsx)"
    )
    actuals: dict[str, PeriodValues] = Field(
        default_factory=dict,
        description="line id -> period -> amount (case unit, current prices, spending sign)",
    )
    activity: dict[str, PeriodValues] = Field(
        default_factory=dict,
        description="parameter name -> period -> actual count behind a driver",
    )
    repayments: YearAmounts = Field(
        default_factory=dict, description="year -> repayment made to the pool (case unit)"
    )
    thresholds: Thresholds = Thresholds()
    forecast: Forecast = Forecast()
    criteria: list[Criterion] = Field(default_factory=list)
    measurements: list[Measurement] = Field(default_factory=list)
    as_of: dt.date | None = Field(
        None, description="the follow-up's date (criteria status); default: end of last actual"
    )
    conditioning: Conditioning = Conditioning()
    pool: PoolLink | None = Field(None, description="the pool application, for repayments")
    fit_sessions: str | None = Field(
        None, description="FIT sessions (CSV, docs/followup-measures.md)"
    )
    adbb_screenings: str | None = Field(None, description="ADBB screenings (CSV)")
    adbb_children: int | None = Field(
        None, ge=1, description="children who should have been screened (share screened)"
    )
    synthetic: bool = Field(False, description="true: invented data (examples only)")
    note: str | None = None

    @model_validator(mode="after")
    def _mapping(self) -> FollowUp:
        if self.postings and self.mapping is None:
            raise InvalidValue(Msg("posteringer kræver en 'mapping' (kontoplan → case-linjer)"))
        return self


Problem = tuple[tuple[str | int, ...], Msg]


def check_references(fu: FollowUp) -> list[Problem]:
    """Criteria named once; measurements name a known criterion (located by key path)."""
    out: list[Problem] = []
    ids: list[str] = []
    for i, c in enumerate(fu.criteria):
        if c.id in ids:
            out.append(
                (("criteria", i, "id"), Msg("succeskriteriet {id} er angivet to gange", id=c.id))
            )
        ids.append(c.id)
    for i, m in enumerate(fu.measurements):
        if m.criterion not in ids:
            msg = Msg(
                "målingen henviser til et ukendt succeskriterium {id}; kendte: {known}",
                id=repr(m.criterion),
                known=", ".join(ids) or "–",
            )
            out.append((("measurements", i, "criterion"), msg))
    return out


def parse_followup(text: str, source: str = "<followup>") -> tuple[FollowUp, dict]:
    """YAML text -> FollowUp and its key positions; every error located (file:line:col)."""
    fu, marks = parse_yaml_model(text, source, FollowUp, Msg("en opfølgningsfil"))
    raise_problems(source, marks, check_references(fu))
    return fu, marks


def load_followup(path: str | Path) -> tuple[FollowUp, dict]:
    """Read and validate a follow-up file (not yet the files it names)."""
    p = Path(path)
    return parse_followup(read_text(p), str(p))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a follow-up file (docs/followup.schema.json), for editors."""
    schema = FollowUp.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "socinvest follow-up file"
    return schema
