"""The numbers a case, pool or ladder file may state: finite, and within ±`MAX_MAGNITUDE`.

NaN and infinity are refused by each model's config (`allow_inf_nan=False`); `Real` adds the
magnitude bound as a plain range (so that the JSON Schema shows it to editors too). Together
they keep every sum, cumulative total and discounted value of stated numbers finite, and a
number out of range is reported where it is written (docs/case-format.md, "Limits of a file").
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_MAGNITUDE = 1e15
"""The largest amount or value (in absolute terms) a file may state. Far beyond any budget
(Denmark's public spending is about 1e12 kr.), near the largest whole number a float holds
exactly (2**53, about 9e15), and small enough that sums of such numbers cannot overflow."""

Real = Annotated[float, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
"""A number within ±1e15 (in a model whose config has allow_inf_nan=False: finite too)."""
