"""The file formats of the intervention-ladder model (docs/ladder.md), as frozen pydantic models.

Three files, each readable on its own:

- a **ladder definition** (`Ladder`): the ordered steps, their legal basis and cost per child;
- a **population** (`Population`): the children on the ladder on 1 January of the first
  year, new children per year, and the monthly transition probabilities;
- a **scenario** (`Scenario`): a baseline population plus data overrides (never code).

The first step of a ladder is the universal level (step 0): children there are not followed;
new children come from it and a closed case returns the child to it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..case.bounds import Real
from ..case.schema import Unit
from ..case.uncertain import Distribution
from ..errors import InvalidValue
from ..i18n import Msg

_ID = r"^[A-Za-z][A-Za-z0-9_]*$"
_RANGE = re.compile(r"^\s*(\d+)\s*(?:(-|–|\.\.)\s*(\d+)?)?\s*$")


MAX_STEPS = 20
"""Steps of a ladder (the state grows with the square of the number of steps)."""
MAX_DURATION_EDGE = 120
"""The last duration edge in months: the last band is open ("this many months or more"), so
an edge past ten years adds nothing but states."""
MAX_CHILDREN = 1e9
"""The largest number of children one count may state: more than there are in the world's
richest countries together; the Markov engine handles it, the micro engine has its own cap."""
MAX_FACTOR = 1000.0
"""The largest effect size (a factor on a probability or on entries, an elasticity)."""


class Frozen(BaseModel):
    """Frozen, no unknown keys, and every float finite (`.nan`, `.inf` refused)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )


def _not_a_range(key: Any, what: str) -> InvalidValue:
    if what == "age":
        return InvalidValue(
            Msg(
                "{key} er ikke en alder eller et interval som 3-5 (eller 12- for 12 og op)",
                key=repr(key),
            )
        )
    return InvalidValue(
        Msg(
            "{key} er ikke et tal eller et interval som 3-5 (eller 12- for 12 og op)", key=repr(key)
        )
    )


def parse_range(key: int | str, what: str = "age") -> tuple[int, int | None]:
    """`3` -> (3, 3); `"3-5"` -> (3, 5); `"12-"` -> (12, None) (open); inclusive bounds.
    `what` ("age" or "range") names the value in the message of an InvalidValue."""
    if isinstance(key, bool):
        raise _not_a_range(key, what)
    if isinstance(key, int):
        if key < 0:
            raise InvalidValue(Msg("{key} er negativ", key=key))
        return key, key
    m = _RANGE.match(str(key))
    if not m:
        raise _not_a_range(key, what)
    a = int(m.group(1))
    if m.group(2) is None:
        return a, a
    b = int(m.group(3)) if m.group(3) is not None else None
    if b is not None and b < a:
        raise InvalidValue(
            Msg("intervallet {key} går baglæns; skriv {b}-{a}", key=repr(key), a=a, b=b)
        )
    return a, b


# -- the ladder definition ------------------------------------------------------------------


class SubType(Frozen):
    """A sub-type of a step with its share of the step's children and its own cost per child
    per year (e.g. plejefamilie: almindelig, forstærket, specialiseret, netværkspleje)."""

    id: str = Field(pattern=_ID, description="short identifier, e.g. forstaerket")
    label: str = Field(min_length=1, description="Danish label")
    label_en: str | None = Field(None, min_length=1)
    share: float = Field(ge=0, le=1, description="share of the step's children")
    value: Real = Field(ge=0, description="cost per child per year in the ladder's unit")
    source: str | None = None
    uncertainty: Distribution | None = None


def mix_value(mix: list[SubType], shares: dict[str, float] | None = None) -> float:
    """The step's cost per child per year: Σ share × value (with `shares` replacing the
    sub-types' own shares where given)."""
    return float(sum((shares or {}).get(s.id, s.share) * s.value for s in mix))


class StepCost(Frozen):
    """Cost per child per year of a step: a parameter like a case's (value, unit, source,
    date, note, uncertainty), except that `value` may be null: "to be filled in". With a
    `mix` of sub-types the value is Σ share × value of the sub-types (and may be left out)."""

    value: Real | None = Field(
        ge=0, description="cost per child per year in the ladder's unit; null = not yet set"
    )
    unit: str = Field(description="e.g. 'kr. pr. barn pr. år'")
    source: str = Field(description="where the figure comes from (say so if illustrative)")
    date: dt.date | str | None = Field(None, description="when the source was published")
    note: str | None = None
    uncertainty: Distribution | None = Field(
        None, description="how uncertain the cost is (docs/uncertainty.md); used by Monte Carlo"
    )
    mix: list[SubType] | None = Field(
        None, min_length=1, description="sub-types with shares and costs (value = Σ share × value)"
    )

    @model_validator(mode="before")
    @classmethod
    def _value_from_mix(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("mix") and "value" not in data:
            return {**data, "value": None}  # filled in from the mix after validation
        return data

    @model_validator(mode="after")
    def _mix(self) -> StepCost:
        if self.mix is None:
            return self
        ids = [s.id for s in self.mix]
        if len(set(ids)) < len(ids):
            raise InvalidValue(Msg("undertyperne i mix skal have forskellige id'er"))
        total = sum(s.share for s in self.mix)
        if abs(total - 1) > 1e-6:
            raise InvalidValue(
                Msg(
                    "andelene i mix summer til {sum}; de skal summe til 1", sum=format(total, ".4g")
                )
            )
        v = mix_value(self.mix)
        if self.value is None:
            object.__setattr__(self, "value", v)
        elif abs(self.value - v) > 0.5:
            raise InvalidValue(
                Msg(
                    "value {value} stemmer ikke med mix (Σ andel × pris = {mix}); udelad value",
                    value=format(self.value, ".10g"),
                    mix=format(v, ".10g"),
                )
            )
        return self


class Step(Frozen):
    """One step of the ladder (trin på indsatstrappen)."""

    id: str = Field(pattern=_ID, description="short identifier, e.g. foster")
    label: str = Field(min_length=1, description="Danish label, e.g. Plejefamilie")
    label_en: str | None = Field(
        None,
        min_length=1,
        description="English label for --lang en, e.g. Foster family; default: the Danish label",
    )
    legal: str = Field(description="legal basis, e.g. 'SEL § 52, stk. 3, nr. 7'")
    placement: bool = Field(False, description="an out-of-home placement (anbringelse)")
    cost: StepCost


class Ladder(Frozen):
    """A ladder definition: ordered steps from the least to the most intrusive."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str
    unit: Unit = Field(description="unit of every step cost")
    price_level: int = Field(ge=1900, le=2200, description="p/l year of the costs")
    note: str | None = None
    steps: list[Step] = Field(min_length=2, max_length=MAX_STEPS + 1)

    @model_validator(mode="after")
    def _unique(self) -> Ladder:
        ids = [s.id for s in self.steps]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise InvalidValue(
                Msg("trin-id {id} er brugt to gange; trin-id'er er entydige", id=repr(dup[0]))
            )
        if self.steps[0].placement:
            raise InvalidValue(
                Msg("det første trin er det almene niveau; det kan ikke være en anbringelse")
            )
        return self

    @property
    def ids(self) -> list[str]:
        return [s.id for s in self.steps]

    def index(self, step_id: str) -> int:
        return self.ids.index(step_id)


# -- the population -------------------------------------------------------------------------

Children = Annotated[float, Field(ge=0, le=MAX_CHILDREN)]
AgeCounts = dict[int | str, Children]


class Transition(Frozen):
    """A monthly probability of moving from one step to another, for the age bands and
    duration bands it covers (all, unless `ages` / `months` say otherwise). Later rows
    override earlier ones for the cells they cover."""

    from_: str = Field(alias="from", description="step the child is in")
    to: str = Field(description="step the child moves to; the first step = case closed")
    monthly: float = Field(ge=0, le=1, description="probability per month")
    ages: int | str | None = Field(None, description="age range in years, e.g. 12-17")
    months: int | str | None = Field(
        None, description="range of whole months already spent in the step, e.g. 6 or 12-"
    )
    events: int | None = Field(None, description="fit: moves observed (information only)")
    exposure_months: float | None = Field(
        None, description="fit: months at risk observed (information only)"
    )
    ci95: list[float] | None = Field(
        None, description="fit: 95 % interval of the monthly probability (information only)"
    )

    @field_validator("ages", "months")
    @classmethod
    def _range(cls, v: Any) -> Any:
        if v is not None:
            parse_range(v, "range")
        return v


class EntriesTrend(Frozen):
    """Entries grow by the factor `per_year` each year: in projection month m they are the
    `entries` × per_year ** ((m + 0.5) / 12 − 0.5), so `entries` is the first year's level."""

    per_year: float = Field(gt=0, le=10, description="growth factor per year, e.g. 1.03")
    ci95: list[float] | None = Field(None, description="fit: 95 % interval (information only)")
    method: str | None = Field(None, description="fit: how it was estimated (information only)")
    note: str | None = None


class Population(Frozen):
    """Children on the ladder, new children, and monthly transition probabilities."""

    ladder: str = Field(description="the ladder definition file, relative to this file")
    title: str | None = None
    source: str | None = Field(None, description="where the figures come from")
    start: int = Field(ge=1900, le=2200, description="first projection year (from 1 January)")
    years: int = Field(10, ge=1, le=60, description="number of projection years")
    max_age: int = Field(
        18, ge=1, le=30, description="children leave at this age (18; 23 with after-care)"
    )
    age_bands: list[int] = Field(
        default_factory=lambda: [0], description="lower edges (years) of the age bands"
    )
    duration_bands: list[int] = Field(
        default_factory=lambda: [0], description="lower edges (months in step) of duration bands"
    )
    initial_months: Literal["spread"] | int = Field(
        "spread",
        description="months already spent in the step by the children of `stock`: a number, "
        "or spread evenly over 0 to the last duration edge",
    )
    stock: dict[str, AgeCounts] = Field(
        default_factory=dict, description="step -> age range -> children on 1 January of start"
    )
    entries: dict[str, AgeCounts] = Field(
        default_factory=dict, description="step -> age range -> new children per year"
    )
    transitions: list[Transition] = Field(default_factory=list)
    observed_years: float | None = Field(
        None,
        gt=0,
        le=200,
        description="fit: years of data behind `entries` (a count = entries × observed_years); "
        "with it, Monte Carlo draws the entries from their posterior",
    )
    observed_stock: dict[str, dict[str, Children]] = Field(
        default_factory=dict,
        description="observed children per step on the first day of a month before `start`, "
        "'YYYY-MM' -> step -> children (drawn before the projection)",
    )

    @field_validator("observed_stock")
    @classmethod
    def _months(cls, v: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for key in v:
            if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(key)):
                raise InvalidValue(Msg("{key} er ikke en måned som 2024-01", key=repr(key)))
        return v

    stock_months: dict[str, dict[int | str, dict[int | str, Children]]] = Field(
        default_factory=dict,
        description="step -> age range -> months in the step (e.g. 0, 6-11, 12-) -> children: "
        "how the stock of that step and age splits by time in the step (written by `fit`; "
        "used as proportions, and instead of initial_months where given)",
    )
    entries_trend: EntriesTrend | None = Field(
        None, description="a trend in entries: `per_year` × each year (written by `fit`)"
    )

    @field_validator("age_bands", "duration_bands")
    @classmethod
    def _edges(cls, v: list[int], info: ValidationInfo) -> list[int]:
        if not v or v[0] != 0:
            raise InvalidValue(Msg("grænserne starter ved 0, fx [0, 3, 6, 12]"))
        if any(b <= a for a, b in zip(v, v[1:], strict=False)):
            raise InvalidValue(Msg("grænserne skal stige, fx [0, 6, 7, 12]"))
        if info.field_name == "duration_bands" and v[-1] > MAX_DURATION_EDGE:  # ages: max_age
            raise InvalidValue(
                Msg(
                    "grænsen {edge} er for stor; højst {most} (den sidste gruppe er åben: "
                    "'{most} måneder eller mere')",
                    edge=v[-1],
                    most=MAX_DURATION_EDGE,
                )
            )
        return v

    @model_validator(mode="after")
    def _ages(self) -> Population:
        if self.age_bands[-1] >= self.max_age:
            raise InvalidValue(
                Msg("aldersgrænsen {edge} er ikke under max_age", edge=self.age_bands[-1])
            )
        if isinstance(self.initial_months, int) and self.initial_months < 0:
            raise InvalidValue(Msg("initial_months må ikke være negativ"))
        for step_months in self.stock_months.values():
            for key, by_months in step_months.items():
                a, b = parse_range(key)
                if b is None or b >= self.max_age:
                    raise InvalidValue(
                        Msg(
                            "alder {key} er ikke under max_age {max_age}",
                            key=repr(key),
                            max_age=self.max_age,
                        )
                    )
                for months in by_months:
                    parse_range(months, "range")
        for block in (self.stock, self.entries):
            for counts in block.values():
                for key, n in counts.items():
                    a, b = parse_range(key)
                    if b is None or b >= self.max_age:
                        raise InvalidValue(
                            Msg(
                                "alder {key} er ikke under max_age {max_age}",
                                key=repr(key),
                                max_age=self.max_age,
                            )
                        )
                    if n < 0:
                        raise InvalidValue(Msg("et antal børn kan ikke være negativt ({n})", n=n))
        return self


# -- scenarios ------------------------------------------------------------------------------


class Effect(Frozen):
    """An effect size with its source and, optionally, its uncertainty."""

    value: float = Field(ge=0, le=MAX_FACTOR)
    source: str = Field(description="where the effect size comes from, or 'assumption'")
    note: str | None = None
    uncertainty: Distribution | None = None


Size = Annotated[
    Annotated[float, Field(ge=0, le=MAX_FACTOR)] | Effect,
    Field(description="a number or an effect with its source"),
]


def _one_or_list(v: Any) -> Any:
    return [v] if isinstance(v, str) else v


class _Override(Frozen):
    from_year: int | None = Field(None, description="first year the override applies")
    note: str | None = None


class EntriesOverride(_Override):
    """New children into `steps` (in `ages`) × `factor`; the removed children enter
    `redirect_to` instead when it is given (detected early, helped at a lower step)."""

    type: Literal["entries"]
    steps: list[str]
    ages: int | str | None = None
    factor: Size
    redirect_to: str | None = None

    _list = field_validator("steps", mode="before")(_one_or_list)


class TransitionsOverride(_Override):
    """Monthly probabilities from `from` to `to` (in `ages`, after `months`) × `factor`."""

    type: Literal["transitions"]
    from_: list[str] = Field(alias="from")
    to: list[str]
    ages: int | str | None = None
    months: int | str | None = None
    factor: Size

    _list = field_validator("from_", "to", mode="before")(_one_or_list)


class CaseloadOverride(_Override):
    """Cases per caseworker from `before` to `after`: every move down the ladder (to a lower
    step, or case closed) from `steps` × (before / after) ** elasticity."""

    type: Literal["caseload"]
    before: float = Field(ge=0.1, le=10_000, description="cases per caseworker before, e.g. 32")
    after: float = Field(ge=0.1, le=10_000, description="cases per caseworker after, e.g. 26")
    elasticity: Size = 1.0
    steps: list[str] | None = None

    _list = field_validator("steps", mode="before")(_one_or_list)


Shares = str | list[str] | dict[str, Annotated[float, Field(gt=0, le=1)]]
"""Where moved children go: one step, several (equal shares) or step -> share (summing to 1)."""


def shares_of(v: Shares) -> dict[str, float]:
    """`move_to` as step -> share (shares summing to 1)."""
    if isinstance(v, str):
        return {v: 1.0}
    if isinstance(v, list):
        return {s: 1.0 / len(v) for s in v}
    return dict(v)


def _check_shares(v: Any) -> Any:
    if isinstance(v, dict):
        if not v:
            raise InvalidValue(Msg("angiv mindst ét trin"))
        total = sum(v.values())
        if abs(total - 1) > 1e-6:
            raise InvalidValue(
                Msg("andelene summer til {sum}; de skal summe til 1", sum=format(total, ".4g"))
            )
    elif isinstance(v, list) and (not v or len(set(v)) < len(v)):
        raise InvalidValue(Msg("angiv forskellige trin"))
    return v


class PlacementCap(_Override):
    """At most `max_share` (a cap) or at least `min_share` (a target) of the placed children
    in `step`/`steps` — of the whole stock at each month's end (`of: stock`) or of the month's
    new placements (`of: new`: entries into placement steps and moves into care from a step
    that is not a placement). The excess moves to `move_to` by its shares (at the same age,
    duration 0); a target moves the shortfall into `move_to` (steps of `steps`) from the other
    placement steps in proportion to their children."""

    type: Literal["placement_cap"]
    step: str | None = None
    steps: list[str] | None = None
    max_share: float | None = Field(None, ge=0, lt=1)
    min_share: float | None = Field(None, gt=0, le=1)
    of: Literal["stock", "new"] = Field("stock", description="the whole stock or new placements")
    move_to: Shares

    _list = field_validator("steps", mode="before")(_one_or_list)
    _shares = field_validator("move_to")(_check_shares)

    @model_validator(mode="after")
    def _one_of(self) -> PlacementCap:
        if (self.step is None) == (self.steps is None):
            raise InvalidValue(Msg("angiv enten step eller steps"))
        if (self.max_share is None) == (self.min_share is None):
            raise InvalidValue(Msg("angiv enten max_share (et loft) eller min_share (et mål)"))
        if self.steps is not None and (not self.steps or len(set(self.steps)) < len(self.steps)):
            raise InvalidValue(Msg("angiv forskellige trin"))
        return self

    @property
    def capped(self) -> list[str]:
        """The steps the share is of."""
        return [self.step] if self.step is not None else list(self.steps or [])


class EntrantsOverride(_Override):
    """An absolute number of new children **per month** into `step` (in `ages`): positive adds
    children, negative removes them (never below zero)."""

    type: Literal["entrants"]
    step: str
    ages: int | str | None = None
    per_month: float = Field(ge=-1e6, le=1e6, description="children per month (not per year)")


class TransfersOverride(_Override):
    """An absolute number of children **per month** moved from `from` (in proportion to the
    children there) to `to` by its shares, at the month's end (never more than there are)."""

    type: Literal["transfers"]
    from_: list[str] = Field(alias="from")
    to: Shares
    per_month: float = Field(ge=0, le=1e6, description="children per month (not per year)")

    _list = field_validator("from_", mode="before")(_one_or_list)
    _shares = field_validator("to")(_check_shares)


class CostMixOverride(_Override):
    """New shares of the sub-types of `step`'s cost `mix` (sub-type id -> share, summing to 1);
    the step's cost per child becomes Σ share × sub-type cost from `from_year`."""

    type: Literal["cost_mix"]
    step: str
    mix: dict[str, Annotated[float, Field(ge=0, le=1)]]

    _shares = field_validator("mix")(_check_shares)


Override = Annotated[
    EntriesOverride
    | TransitionsOverride
    | CaseloadOverride
    | PlacementCap
    | EntrantsOverride
    | TransfersOverride
    | CostMixOverride,
    Field(discriminator="type"),
]


class Scenario(Frozen):
    """A strategy: the baseline population with data overrides."""

    baseline: str = Field(description="the population file, relative to this file")
    title: str
    note: str | None = None
    overrides: list[Override] = Field(default_factory=list)
