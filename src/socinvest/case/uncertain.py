"""How uncertain a parameter is: the distributions a case file may give (docs/uncertainty.md).

What an economist can state: triangular or PERT (min, most likely, max); uniform; normal;
lognormal (by its mean and sd); beta (for shares); discrete. `relative: true` means the draw
is a multiplier on the parameter's value (needed when the value differs by year, e.g. a
ramp-up), otherwise the draw is the value itself.

Sane ranges (docs/uncertainty.md): every value is finite; locations (min, mode, max, mean,
values) lie within ±1e15 like any number of a case; a lognormal's sd is at most 100 times its
mean; beta's alpha and beta and PERT's lamb lie between 0.01 and 10.000. Outside them the
draws overflow or degenerate (NaN), so they are refused where they are written.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import InvalidValue
from ..i18n import Msg
from .bounds import Real

Shape = Annotated[float, Field(ge=0.01, le=10_000)]
"""A shape parameter (beta's alpha and beta, PERT's weight): beyond it draws degenerate."""


class _Dist(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    relative: bool = Field(
        False, description="the draw multiplies the parameter's value (per-year values)"
    )
    source: str | None = Field(
        None, description="where the range comes from; without one it is an illustrative assumption"
    )


class Triangular(_Dist):
    dist: Literal["triangular"]
    min: Real
    mode: Real = Field(description="most likely value")
    max: Real

    @model_validator(mode="after")
    def _order(self) -> Triangular:
        if not self.min <= self.mode <= self.max or self.min == self.max:
            raise InvalidValue(Msg("kræver min <= mode <= max og min < max"))
        return self


class Pert(Triangular):
    """PERT: a beta distribution through min, mode, max; weights the mode by `lamb` (4)."""

    dist: Literal["pert"]  # type: ignore[assignment]
    lamb: Shape = Field(4.0, description="weight of the mode (4 in classic PERT)")


class Uniform(_Dist):
    dist: Literal["uniform"]
    min: Real
    max: Real

    @model_validator(mode="after")
    def _order(self) -> Uniform:
        if not self.min < self.max:
            raise InvalidValue(Msg("kræver min < max"))
        return self


class Normal(_Dist):
    dist: Literal["normal"]
    mean: Real
    sd: Annotated[Real, Field(gt=0)]


class LogNormal(_Dist):
    """Positive and right-skewed (unit costs, durations): given by the mean and sd of the
    value itself, not of its logarithm."""

    dist: Literal["lognormal"]
    mean: Annotated[Real, Field(gt=0)]
    sd: Annotated[Real, Field(gt=0)]

    @model_validator(mode="after")
    def _spread(self) -> LogNormal:
        if self.sd > 100 * self.mean:
            raise InvalidValue(Msg("kræver sd <= 100 * mean (her er sd større)"))
        return self


class Beta(_Dist):
    """For shares between 0 and 1 (or between `min` and `max`)."""

    dist: Literal["beta"]
    alpha: Shape
    beta: Shape
    min: Real = 0.0
    max: Real = 1.0

    @model_validator(mode="after")
    def _order(self) -> Beta:
        if not self.min < self.max:
            raise InvalidValue(Msg("kræver min < max"))
        return self


class Discrete(_Dist):
    dist: Literal["discrete"]
    values: list[Real] = Field(min_length=1)
    probs: list[float] | None = Field(None, description="probabilities; equal if omitted")

    @model_validator(mode="after")
    def _probs(self) -> Discrete:
        if self.probs is not None:
            if len(self.probs) != len(self.values):
                raise InvalidValue(Msg("angiv én sandsynlighed pr. værdi i 'values'"))
            if any(p < 0 for p in self.probs) or abs(sum(self.probs) - 1) > 1e-9:
                raise InvalidValue(
                    Msg(
                        "sandsynlighederne skal være >= 0 og summere til 1 (summen er {total})",
                        total=format(sum(self.probs), "g"),
                    )
                )

        return self


Distribution = Annotated[
    Triangular | Pert | Uniform | Normal | LogNormal | Beta | Discrete,
    Field(discriminator="dist"),
]


class Correlation(BaseModel):
    """A rank (Spearman) correlation between two uncertain parameters."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    a: str
    b: str
    rho: float = Field(ge=-1, le=1)
