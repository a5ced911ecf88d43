"""A trend in entries: a Poisson log-linear model of the monthly number of new children.

The number entering in month i of the window (length ℓᵢ months, the last one possibly partial)
is Poisson with mean ℓᵢ · exp(α + β tᵢ), tᵢ the month's midpoint in years since the window's
end. α and β are the maximum-likelihood estimates (Newton's method on the two-parameter
log-likelihood); the 95 % interval of the growth per year e^β is e^(β ± 1,96 se) with se from
the observed information. The level written to a population file is the fitted rate at the
middle of the first projection year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class EntryTrend:
    per_year: float  # growth factor per year e^β
    ci95: tuple[float, float]
    alpha: float  # log of entries per month at the window's end
    beta: float  # log growth per year
    se_beta: float
    months: int  # bins used

    def per_year_at(self, years_after_end: float) -> float:
        """Fitted entries per year `years_after_end` years after the window's end."""
        return 12.0 * math.exp(self.alpha + self.beta * years_after_end)


def fit_trend(entry_times: np.ndarray, window_months: float) -> EntryTrend | None:
    """The trend from entry times (months since the window's start); None without entries or
    with less than two months of window."""
    if entry_times.size == 0 or window_months < 2:
        return None
    n_bins = int(math.ceil(window_months - 1e-9))
    edges = np.minimum(np.arange(n_bins + 1, dtype=float), window_months)
    y = np.histogram(entry_times, bins=edges)[0].astype(float)
    length = np.diff(edges)
    t = ((edges[:-1] + edges[1:]) / 2 - window_months) / 12.0
    alpha, beta = math.log(y.sum() / length.sum()), 0.0
    for _ in range(50):
        mu = length * np.exp(alpha + beta * t)
        g = np.array([np.sum(y - mu), np.sum((y - mu) * t)])
        h = np.array([[mu.sum(), (mu * t).sum()], [(mu * t).sum(), (mu * t * t).sum()]])
        step = np.linalg.solve(h, g)
        alpha, beta = alpha + step[0], beta + step[1]
        if np.abs(step).max() < 1e-10:
            break
    mu = length * np.exp(alpha + beta * t)
    h = np.array([[mu.sum(), (mu * t).sum()], [(mu * t).sum(), (mu * t * t).sum()]])
    se = float(math.sqrt(np.linalg.inv(h)[1, 1]))
    return EntryTrend(
        math.exp(beta),
        (math.exp(beta - 1.96 * se), math.exp(beta + 1.96 * se)),
        float(alpha),
        float(beta),
        se,
        n_bins,
    )
