"""The result of either engine: children per step at every month end, and the flows.

Conservation (tested, exact per month in both engines): children on the ladder at the end of
month m = children at the start + entries − closed cases − aged out, all counted to month m.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tables import Tables


@dataclass(frozen=True)
class Projection:
    tables: Tables
    engine: str  # "markov" or "micro"
    stock: np.ndarray  # (draws, months + 1, K): index 0 = 1 January of the first year
    entered: np.ndarray  # (draws, months)
    closed: np.ndarray  # (draws, months)
    aged_out: np.ndarray  # (draws, months)
    capped: np.ndarray  # (draws, months): moved by a placement cap, target or transfer
    ages: np.ndarray | None = None  # (draws, years, K, max_age) on 31 December (Markov only)

    @property
    def draws(self) -> int:
        return self.stock.shape[0]

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.tables.start, self.tables.start + self.tables.years)

    def balance(self) -> np.ndarray:
        """(draws, months + 1): start + entries − closed − aged out − on the ladder (0 exactly
        for the micro engine; 0 up to rounding for the Markov engine)."""
        tot = self.stock.sum(axis=2)
        flow = np.cumsum(self.entered - self.closed - self.aged_out, axis=1)
        flow = np.concatenate([np.zeros((self.draws, 1)), flow], axis=1)
        return tot[:, :1] + flow - tot

    def year_end(self) -> np.ndarray:
        """(draws, years, K): children per step on 31 December."""
        return self.stock[:, 12::12]

    def child_years(self) -> np.ndarray:
        """(draws, years, K): children per step × time, counted at each month's end."""
        d, _, k = self.stock.shape
        return self.stock[:, 1:].reshape(d, self.tables.years, 12, k).sum(axis=2) / 12.0

    def placement_mix(self) -> np.ndarray:
        """(draws, years, K): each placement step's share of placed child-years (0 elsewhere)."""
        cy = self.child_years() * self.tables.placement
        tot = cy.sum(axis=2, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(tot > 0, cy / tot, 0.0)

    def costs(self, cost: np.ndarray) -> np.ndarray:
        """(draws, years, K) cost per step per year: child-years × cost per child per year.
        `cost` is (K,) or (cost draws, K); cost draws broadcast against projection draws."""
        c = np.asarray(cost, float)
        c = c[None, None, :] if c.ndim == 1 else c[:, None, :]
        return self.child_years() * c

    def yearly_flows(self) -> dict[str, np.ndarray]:
        d = self.draws
        return {
            k: getattr(self, k).reshape(d, self.tables.years, 12).sum(axis=2)
            for k in ("entered", "closed", "aged_out", "capped")
        }
