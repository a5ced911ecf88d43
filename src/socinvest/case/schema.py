"""The case file schema (docs/case-format.md). Frozen pydantic models: a Case never changes
after loading; scenarios are data overrides applied to a copy, not subclasses."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from ..errors import InvalidValue
from ..i18n import N_, Msg
from .bounds import Real
from .payers import CatalogueInfo, ConsequenceDriver, PayerDecl, Transfer
from .uncertain import Correlation, Distribution
from .years import check_year_values, parse_year_key

_ID = r"^[A-Za-z][A-Za-z0-9_]*$"


class Unit(StrEnum):
    """The unit every amount of a case is written in (part of every rendered table)."""

    KR = "kr."
    TKR = "1.000 kr."
    MKR = "mio. kr."

    @property
    def factor(self) -> float:
        return {"kr.": 1.0, "1.000 kr.": 1e3, "mio. kr.": 1e6}[self.value]


class Kind(StrEnum):
    COST = "cost"
    SAVING = "saving"
    INVESTMENT = "investment"


class Area(StrEnum):
    """Styringsområde: Service, Anlæg (capital), Overførsler (transfers)."""

    SERVICE = "service"
    ANLAEG = "anlaeg"
    OVERFOERSLER = "overfoersler"


class Funding(StrEnum):
    OWN = "own"
    POOL = "pool"
    EXTERNAL = "external"


class SignConvention(StrEnum):
    """How amounts and stated figures in the file are signed.

    `spending` (the Copenhagen template): effect on spending, savings negative.
    `savings_positive`: savings positive, costs and investments negative.
    """

    SPENDING = "spending"
    SAVINGS_POSITIVE = "savings_positive"


def _year_values(v: Any) -> Any:
    return check_year_values(v)


YearValues = Annotated[Real | dict[int | str, Real], AfterValidator(_year_values)]
Number = float | int
Ref = Annotated[Real | str, Field(description="a number or the name of a parameter")]


class Frozen(BaseModel):
    """Frozen, no unknown keys, and every float finite: `.nan` and `.inf` are refused where
    they are written ("skal være et endeligt tal"), never carried into a sum."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )


def parse_horizon(v: Any) -> Any:
    """A horizon may be written "2017-2029" (or as {first, last}); one year is not a horizon."""
    if isinstance(v, int | str) and not isinstance(v, bool):
        a, b = parse_year_key(v)
        if a == b:
            raise InvalidValue(
                Msg("skriv horisonten som et interval af år, fx {a}-{b}", a=a, b=a + 3)
            )
        return {"first": a, "last": b}
    return v


class Horizon(Frozen):
    """First and last budget year (inclusive). Also written as "2017-2029"."""

    first: int = Field(ge=1900, le=2200)
    last: int = Field(ge=1900, le=2200)

    @model_validator(mode="after")
    def _order(self) -> Horizon:
        if self.last < self.first:
            raise InvalidValue(
                Msg("last ({last}) ligger før first ({first})", last=self.last, first=self.first)
            )
        if self.last - self.first + 1 >= 100:  # docs/case-format.md: 100 years or more
            raise InvalidValue(Msg("en horisont på 100 år eller mere er ikke en business case"))
        return self

    @property
    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))


class Parameter(Frozen):
    """A named input with its unit and source (OpenFisca style): value may vary by year."""

    value: YearValues
    label: str | None = Field(
        None, min_length=1, description="readable Danish name shown in reports (default: the id)"
    )
    label_en: str | None = Field(
        None, min_length=1, description="English name for --lang en (default: the Danish label)"
    )
    unit: str = Field(description="e.g. '1.000 kr. pr. årsværk', 'antal', 'andel'")
    source: str = Field(description="where the value comes from: document, section, table")
    date: dt.date | str | None = Field(None, description="when the source was published")
    note: str | None = None
    uncertainty: Distribution | None = Field(
        None, description="how uncertain the value is (docs/uncertainty.md)"
    )

    @field_validator("uncertainty")
    @classmethod
    def _relative_for_yearly(cls, v: Any, info: ValidationInfo) -> Any:
        if v is not None and isinstance(info.data.get("value"), dict) and not v.relative:
            raise InvalidValue(
                Msg(
                    "værdien varierer fra år til år: angiv usikkerheden som en faktor "
                    "(relative: true, fx triangular 0.8, 1, 1.2)"
                )
            )
        return v


class FteDriver(Frozen):
    """årsværk × rate (e.g. 6 årsværk × 500 (1.000 kr.) = 3.000)."""

    fte: Ref
    rate: Ref


class CountDriver(Frozen):
    """count × unit price (× an optional multiplier such as the number of pilot areas)."""

    count: Ref
    price: Ref
    multiplier: Ref = 1.0


class ExprDriver(Frozen):
    """A restricted arithmetic expression over parameters, `year` and `t` (see expr.py)."""

    expr: str


class LadderDriver(Frozen):
    """Amounts derived from an intervention-ladder scenario (docs/ladder.md): e.g. the
    baseline cost minus the scenario cost per year, converted to the case's unit."""

    ladder: str = Field(description="the ladder scenario file, relative to the case file")
    measure: Literal["savings", "baseline_cost", "scenario_cost"] = Field(
        "savings", description="savings = baseline cost - scenario cost"
    )
    # Set when the case loads (services.case.load_case), never written in the file: the engine
    # reads no file, so the projection travels with the case as data (JSON, pickle, Dask).
    path: SkipJsonSchema[str | None] = Field(
        None, description="absolute path of the scenario file the line was resolved from"
    )
    resolved: SkipJsonSchema[dict[int, float] | None] = Field(
        None, description="the projected magnitude per budget year, in the case's unit"
    )


_DRIVER_TAGS = ("consequence", "fte", "count", "expr", "ladder")  # consequence has a count


def _driver_tag(v: Any) -> str | None:
    if isinstance(v, dict):
        keys = set(v)
    else:
        keys = {k for k in _DRIVER_TAGS if getattr(v, k, None) is not None}
    for tag in _DRIVER_TAGS:
        if tag in keys:
            return tag
    return None


Driver = Annotated[
    Annotated[FteDriver, Tag("fte")]
    | Annotated[CountDriver, Tag("count")]
    | Annotated[ConsequenceDriver, Tag("consequence")]
    | Annotated[ExprDriver, Tag("expr")]
    | Annotated[LadderDriver, Tag("ladder")],
    Discriminator(
        _driver_tag,
        custom_error_type="driver_type",
        custom_error_message=N_(
            "en driver skal have en af nøglerne 'fte' (med 'rate'), 'count' (med 'price'), "
            "'expr' eller 'ladder'"
        ),  # a catalogue msgid: the loader words it by the error type `driver_type`
    ),
]


class Line(Frozen):
    """One row of the case: a cost, saving or investment with its amounts or driver."""

    id: str = Field(pattern=_ID, description="short identifier, unique in the case")
    label: str = Field(min_length=1, description="Danish row label as in the template")
    row: str | None = Field(
        None, description="template row this line is shown in (lines sharing a row are summed)"
    )
    kind: Kind
    area: Area = Area.SERVICE
    owner: str | None = Field(None, description="committee id that owns the whole line")
    allocation: dict[str, float] | None = Field(
        None, description="committee id -> share (fordelingsnøgle); shares sum to 1"
    )
    funding: Funding = Funding.OWN
    amounts: YearValues | None = Field(
        None, description="explicit amounts per year, signed by the case's `sign` convention"
    )
    driver: Driver | None = Field(
        None, description="a driver whose value is a magnitude; the kind gives the sign"
    )
    ramp: YearValues | str | None = Field(
        None, description="share of the full effect per year (unlisted years: 1), or a parameter"
    )
    payer: str | None = Field(
        None,
        description="who pays or gains (docs/perspectives.md): kommune (default), region, stat, "
        "borger or a payer declared under `payers`",
    )
    transfer: Transfer | None = Field(
        None, description="one side of a transfer between payers; the sides must net to zero"
    )
    note: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Line:
        if (self.amounts is None) == (self.driver is None):
            raise InvalidValue(Msg("angiv præcis én af 'amounts' eller 'driver'"))
        if self.owner is not None and self.allocation is not None:
            raise InvalidValue(Msg("angiv enten 'owner' eller 'allocation', ikke begge"))
        return self

    @field_validator("allocation")
    @classmethod
    def _shares(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        if v is not None:
            if any(s < 0 for s in v.values()):
                raise InvalidValue(Msg("andelene i 'allocation' må ikke være negative"))
            total = sum(v.values())
            if abs(total - 1.0) > 1e-9:
                raise InvalidValue(
                    Msg(
                        "andelene i 'allocation' summerer til {total}; de skal summere til 1 "
                        "(fx 0.6 og 0.4)",
                        total=format(total, "g"),
                    )
                )
        return v

    @property
    def display_row(self) -> str:
        return self.row or self.label


class StatedFigure(Frozen):
    """A figure stated in the source document, to be compared with the computed one.

    What is compared is chosen by `of` (or `lines`) and the filters; the figure is either
    `values` per year, a `total` over `years`, a committee's `share` over `years`, or a
    `payback` with its `value`.
    """

    table: str = Field(description="where it stands, e.g. 'Tabel 1' or 'Afsnit 5 (tekst)'")
    row: str = Field(description="the row label as printed")
    of: Literal["permanent", "investment", "impact", "cost", "saving", "all"] | None = None
    lines: list[str] | None = None
    area: list[Area] | Area | None = None
    committee: str | None = None
    funding: Funding | None = None
    values: YearValues | None = None
    total: Real | None = None
    share: float | None = Field(None, ge=0, le=1)
    years: str | int | None = Field(None, description="years a total or share covers")
    payback: Literal["service", "total", "own"] | None = None
    value: Real | None = Field(None, description="the stated payback year (with `payback`)")
    perspective: Literal["municipality", "public", "society"] | None = Field(
        None,
        description="whose figure it is: the municipality (default), the public sector or "
        "society including the citizens (docs/perspectives.md)",
    )
    decimals: int = Field(
        0,
        ge=-9,
        le=6,
        description="decimals the figure was printed with, in its unit; -2 = to the nearest 100",
    )
    unit: Unit | None = Field(
        None,
        description="the unit the figure was printed in, when not the case's (e.g. 'mio. kr.' "
        "in a case in kr.); `values`/`total` and `decimals` are converted exactly",
    )
    note: str | None = Field(
        None, description="why the figure differs from the computation (shown in the report)"
    )

    @field_validator("years")
    @classmethod
    def _years(cls, v: Any) -> Any:
        if v is not None:
            parse_year_key(v)
        return v

    @model_validator(mode="after")
    def _shape(self) -> StatedFigure:
        forms = [
            self.values is not None,
            self.total is not None,
            self.share is not None,
            self.payback is not None,
        ]
        if sum(forms) != 1:
            raise InvalidValue(Msg("angiv præcis én af 'values', 'total', 'share' eller 'payback'"))
        if self.payback is not None:
            if self.value is None:
                raise InvalidValue(
                    Msg("en angivet tilbagebetalingstid skal have 'value' (årets nummer, fx 6)")
                )
        elif self.of is None and self.lines is None:
            raise InvalidValue(Msg("angiv, hvad tallet gælder: 'of' (fx permanent) eller 'lines'"))
        if self.share is not None and self.committee is None:
            raise InvalidValue(Msg("en angivet andel skal have 'committee'"))
        if self.unit is not None and self.values is None and self.total is None:
            raise InvalidValue(
                Msg("'unit' gælder kun beløb ('values' eller 'total'), ikke andele og år")
            )
        return self


class SuccessCriterion(Frozen):
    """Succeskriterium: what is measured, how, by whom and when."""

    criterion: str
    measure: str | None = Field(None, description="hvordan måles succeskriteriet")
    responsible: str | None = Field(None, description="hvem er ansvarlig for opfølgning")
    when: str | None = Field(None, description="hvornår gennemføres opfølgningen")


class Sections(Frozen):
    """The free-text sections of the template."""

    background: str | None = None
    content: str | None = None
    economy: str | None = None
    implementation: str | None = None
    involvement: str | None = None
    effect: str | None = None
    followup: str | None = None
    risk: str | None = None


class Departments(Frozen):
    lead: list[str] = Field(default_factory=list, description="fremstillende forvaltning(er)")
    affected: list[str] = Field(default_factory=list, description="øvrige berørte forvaltninger")


class Discounting(Frozen):
    rate: float = Field(0.035, ge=-0.5, le=1.0, description="real rate per year")
    first_year_discounted: bool = Field(
        True, description="year 1 is discounted by one full year (Finansministeriet's practice)"
    )


class Case(Frozen):
    """A business case (investeringsforslag)."""

    schema_: str | None = Field(None, alias="$schema", description="editor hint; ignored")
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str
    programme: str | None = Field(
        None, description="the programme the case belongs to (e.g. 'Smarte investeringer …')"
    )
    summary: str | None = None
    organisation: str | None = None
    departments: Departments = Departments()
    committees: dict[str, str] = Field(
        default_factory=dict, description="committee id -> name (udvalg)"
    )
    unit: Unit
    price_level: int = Field(ge=1900, le=2200, description="p/l year of all amounts")
    horizon: Annotated[Horizon, BeforeValidator(parse_horizon)]
    sign: SignConvention = SignConvention.SPENDING
    discount: Discounting = Discounting()
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    correlations: list[Correlation] = Field(
        default_factory=list, description="rank correlations between uncertain parameters"
    )
    lines: list[Line] = Field(min_length=1)
    stated: list[StatedFigure] = Field(default_factory=list)
    success_criteria: list[SuccessCriterion] = Field(default_factory=list)
    sections: Sections = Sections()
    source: str | None = Field(None, description="the source document, if encoded from one")
    payers: dict[str, PayerDecl] = Field(
        default_factory=dict,
        description="payers beyond kommune, region, stat and borger (docs/perspectives.md)",
    )
    catalogue: str | None = Field(
        None, description="the consequence catalogue file, relative to the case file"
    )
    # Set when the case loads (case.catalogue.split_by_payer), never written in the file: the
    # lines of other payers than the municipality, kept out of `lines` so that the municipal
    # results stay exactly as without payers; the transfer groups (name -> line ids).
    other_lines: SkipJsonSchema[list[Line]] = Field(default_factory=list)
    transfers: SkipJsonSchema[dict[str, list[str]]] = Field(default_factory=dict)
    catalogue_info: SkipJsonSchema[CatalogueInfo | None] = None

    @field_validator("parameters")
    @classmethod
    def _param_names(cls, v: dict[str, Parameter]) -> dict[str, Parameter]:
        import re

        for name in v:
            if not re.match(_ID, name):
                raise InvalidValue(
                    Msg(
                        "parameternavnet {name} må kun bestå af bogstaver, cifre og _",
                        name=repr(name),
                    )
                )

        return v


def json_schema() -> dict:
    """The JSON Schema of a case file, for editors (`socinvest schema`)."""
    schema = Case.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "socinvest case file"
    return schema
