"""Result objects of the follow-up import: what was booked, per case line and period.

An `Actuals` is whole or absent: the import either returns one with every finding of the
import (malformed lines left out of every figure, postings that map to no line listed) or
raises InputError – nothing partial.

Conventions (docs/followup.md):
- `amounts[line, year]` is in the case's unit and the case's price level (fixed p/l), signed as
  spending: a cost positive, a saving or a refund negative – the case's internal convention.
  `current[line, year]` holds the same figures before price conversion (løbende priser).
- `quarterly[line, year, q]` is given where the period is known per quarter (postings always,
  explicit actuals when keyed `2018Q3`); NaN where only a yearly figure exists.
- `observed[line, year]` is True where any actual exists for that line and year: a zero that
  was booked differs from a year not yet reported.
- Years are the case's horizon, so actuals and the plan share one axis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..i18n import Msg


def readonly(a: np.ndarray) -> np.ndarray:
    """A read-only copy-free view (results are never changed after they are made)."""
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class ImportFinding:
    """Something the import saw: a malformed line left out, a posting outside the horizon.
    `line` is the physical line in the file (1 = the header), None for the file as a whole."""

    source: str
    line: int | None
    code: str
    message: Msg

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


@dataclass(frozen=True)
class Posting:
    """One posting line of the finance system's export (current prices, kr.). `line` is None
    where the reader does not know it (a CSV line read in bulk)."""

    line: int | None
    account: str
    date: dt.date
    amount: float
    cost_centre: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class UnmappedPosting:
    """A posting whose account/cost centre the mapping assigns to no line (listed, not
    dropped; it is in no line's figures)."""

    source: str
    posting: Posting


@dataclass(frozen=True)
class UnmappedAccount:
    """All unmapped postings of one account and cost centre: how many, how much (kr.,
    current prices), in which years – the summary to fix the mapping from."""

    account: str
    cost_centre: str | None
    postings: int
    amount: float
    years: tuple[int, ...]
    source: str


@dataclass(frozen=True)
class Actuals:
    """What really happened, per case line and year (see the module docstring)."""

    case_id: str
    unit: str
    price_level: int
    years: np.ndarray  # (years,) int, the case's horizon
    line_ids: tuple[str, ...]
    amounts: np.ndarray  # (lines, years) case unit, case p/l, spending sign
    current: np.ndarray  # (lines, years) case unit, current prices
    quarterly: np.ndarray  # (lines, years, 4) case unit, case p/l; NaN where not per quarter
    observed: np.ndarray  # (lines, years) bool
    postings: int = 0  # posting lines used in the figures
    unmapped: tuple[UnmappedPosting, ...] = ()  # the first MAX_LISTED unmapped postings
    unmapped_accounts: tuple[UnmappedAccount, ...] = ()  # every unmapped account, summed
    findings: tuple[ImportFinding, ...] = ()
    sources: tuple[str, ...] = ()

    def line(self, line_id: str) -> np.ndarray:
        """The amounts of one line per year (case unit, case p/l)."""
        return self.amounts[self.line_ids.index(line_id)]

    @property
    def years_observed(self) -> np.ndarray:
        """The years with any actual on any line."""
        return self.years[self.observed.any(axis=0)]

    @property
    def unmapped_total(self) -> float:
        """kr., current prices, of every unmapped posting."""
        return float(sum(u.amount for u in self.unmapped_accounts))


MAX_LISTED = 1000
"""Unmapped postings listed one by one; beyond this they are still summed per account."""
