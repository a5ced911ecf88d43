"""The pool file (investeringspulje), docs/pool.md. Frozen pydantic models like the case file.

Every amount in a pool file is a positive magnitude in the pool's `unit`: capital, injections,
requested and granted amounts, repayments and realised savings. Years are calendar (budget)
years; the pool's horizon bounds every year given in the file.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag, model_validator

from ..case.bounds import Real
from ..case.schema import Frozen, Horizon, Unit, YearValues, parse_horizon
from ..errors import InvalidValue
from ..i18n import N_, Msg

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class Status(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    PENDING = "pending"


class MaxPayback(Frozen):
    """The case must pay back by year `years` of the case, on `basis`."""

    years: int = Field(ge=1, le=99, description="largest allowed payback year (year 1 = first)")
    basis: Literal["service", "total"] = Field(
        "total", description="serviceeffektivisering or totaløkonomi"
    )


class Rules(Frozen):
    """The pool's rules, checked for every application that is not rejected."""

    max_payback: MaxPayback | None = None
    max_grant: Real | None = Field(None, gt=0, description="largest total grant to one case")
    repay_start_by: int | None = Field(
        None, ge=1, le=99, description="repayment must start by this year of the case"
    )
    max_share: float | None = Field(
        None, gt=0, le=1, description="largest share of the pool's total capital to one case"
    )


class Injection(Frozen):
    """An extra, one-off injection of money into the pool (e.g. from a budget agreement)."""

    year: int = Field(ge=1900, le=2200)
    amount: Real = Field(gt=0)
    note: str | None = None


class FixedRepayment(Frozen):
    """A fixed amount a year from `start` for `years` years (capped at what is outstanding)."""

    kind: Literal["fixed"]
    amount: Real = Field(gt=0, description="amount repaid each year")
    start: int = Field(ge=1900, le=2200, description="first calendar year of repayment")
    years: int = Field(ge=1, le=99, description="number of yearly repayments")


class ShareRepayment(Frozen):
    """A share of the case's net savings each year from `start`, until the grant is repaid.

    Net savings come from the case file (computed) unless `realised` gives them for a year."""

    kind: Literal["share"]
    share: float = Field(gt=0, le=1, description="share of the year's net savings, e.g. 0.5")
    start: int | None = Field(
        None, ge=1900, le=2200, description="first year (default: the case's first year)"
    )
    realised: YearValues | None = Field(
        None, description="realised net savings per year (positive = saved); replace computed"
    )


class ScheduleRepayment(Frozen):
    """A custom schedule: the amount repaid in each year."""

    kind: Literal["schedule"]
    amounts: YearValues


def _repayment_tag(v: Any) -> str | None:
    k = v.get("kind") if isinstance(v, dict) else getattr(v, "kind", None)
    return k if k in ("fixed", "share", "schedule") else None


Repayment = Annotated[
    Annotated[FixedRepayment, Tag("fixed")]
    | Annotated[ShareRepayment, Tag("share")]
    | Annotated[ScheduleRepayment, Tag("schedule")],
    Discriminator(
        _repayment_tag,
        custom_error_type="repayment_kind",
        custom_error_message=N_(
            "repayment skal have 'kind: fixed' (med amount, start, years), 'kind: share' "
            "(med share) eller 'kind: schedule' (med amounts)"
        ),  # a catalogue msgid: the loader words it by the error type `repayment_kind`
    ),
]


class Decision(Frozen):
    """The committee's decision on an application."""

    status: Status = Status.PENDING
    date: dt.date | str | None = Field(None, description="date of the decision")
    granted: YearValues | None = Field(
        None, description="amounts granted per year (approved; default: the amounts requested)"
    )
    note: str | None = None

    @model_validator(mode="after")
    def _granted_only_if_approved(self) -> Decision:
        if self.granted is not None and self.status is not Status.APPROVED:
            raise InvalidValue(
                Msg(
                    "'granted' er angivet, men status er {status}; skriv 'status: approved', "
                    "eller fjern 'granted'",
                    status=repr(self.status.value),
                )
            )
        return self


class CoFunding(Frozen):
    """External co-funding (e.g. a national grant programme) of the case's costs."""

    source: str = Field(description="who pays, e.g. 'Socialstyrelsen, satspuljen'")
    amounts: YearValues


class Application(Frozen):
    """One application to the pool: a case file and what it asks for."""

    id: str = Field(pattern=_ID, description="short identifier, unique in the pool file")
    case: str = Field(description="path of the case file, relative to the pool file")
    title: str | None = Field(None, description="display title (default: the case's title)")
    requested: YearValues | None = Field(
        None,
        description="amounts requested per year (default: the case's investment lines with "
        "funding: pool)",
    )
    cofunding: CoFunding | None = None
    decision: Decision = Decision()
    repayment: Repayment
    note: str | None = None


class Pool(Frozen):
    """An investment pool (investeringspulje)."""

    schema_: str | None = Field(None, alias="$schema", description="editor hint; ignored")
    id: str = Field(pattern=_ID)
    title: str
    organisation: str | None = None
    unit: Unit
    price_level: int = Field(ge=1900, le=2200, description="p/l year of the pool's amounts")
    horizon: Annotated[Horizon, BeforeValidator(parse_horizon)]
    opening: Real = Field(0.0, ge=0, description="balance at the start of the first year")
    capital: YearValues | None = Field(
        None,
        description="capital added to the pool each year (every year); omit when not known: "
        "then no rule on the pool's capital or balance is checked, and the output says so",
    )
    injections: list[Injection] = Field(default_factory=list)
    rules: Rules = Rules()
    applications: list[Application] = Field(min_length=1)
    note: str | None = None
