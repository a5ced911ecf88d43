"""Finance on year vectors, vectorised over draws (leading axis).

Conventions (docs/conventions.md): an amount is its effect on spending (cost and investment
positive, saving negative). Year 1 is the case's first year.

Payback: the number of the first year, at or after the first year whose net flow is non-zero,
in which the cumulative net flow since year 1 is zero or below. Using the *net* flow (not any
single line) makes the result independent of how a flow is split into lines. A case that does
not get back to zero within the horizon has no payback: NaN here, "not within the horizon" in
every face.
"""

from __future__ import annotations

import numpy as np

DEFAULT_RATE = 0.035
"""Finansministeriet's real discount rate for years 0-35 (from 2021)."""


def payback_year(flows: np.ndarray) -> np.ndarray:
    """Payback year (1-based) per draw; NaN when not within the horizon.

    `flows` has shape (..., years): net spending per year. Returns shape (...,).
    'Zero or below' allows 1e-9 of the largest absolute amount (at least 1e-9): sums of
    decimal amounts are not exact in binary floating point, and this is far below any
    printed precision. Written for speed: it runs on every draw of a simulation.
    """
    flows = np.asarray(flows, dtype=float)
    if flows.shape[-1] == 0:
        return np.full(flows.shape[:-1], np.nan)
    size = np.abs(flows)
    tol = 1e-9 * np.maximum(size.max(axis=-1, keepdims=True), 1.0)
    started = np.logical_or.accumulate(size > tol, axis=-1)
    ok = started & (np.cumsum(flows, axis=-1) <= tol)
    first = ok.argmax(axis=-1)
    found = np.take_along_axis(ok, first[..., None], axis=-1)[..., 0]
    return np.where(found, first + 1.0, np.nan)


def payback_fractional(flows: np.ndarray) -> np.ndarray:
    """Payback in years elapsed, interpolating linearly within the payback year.

    Flows are assumed spread evenly over each year. Result lies in (k-1, k] for payback year k:
    e.g. cumulative 4.000, 300, -5.200 gives 2 + 300/5.500 = 2,05 years.
    """
    flows = np.asarray(flows, dtype=float)
    k = payback_year(flows)
    cum = np.cumsum(flows, axis=-1)
    kk = np.nan_to_num(k, nan=1.0).astype(int)
    idx = np.expand_dims(kk - 1, -1)
    cum_k = np.take_along_axis(cum, idx, axis=-1)[..., 0]
    prev_idx = np.expand_dims(np.maximum(kk - 2, 0), -1)
    cum_prev = np.where(kk >= 2, np.take_along_axis(cum, prev_idx, axis=-1)[..., 0], 0.0)
    cum_prev = np.maximum(cum_prev, 0.0)
    denom = cum_prev - cum_k
    frac = np.divide(cum_prev, denom, out=np.zeros_like(denom), where=denom > 0)
    return np.where(np.isnan(k), np.nan, kk - 1 + frac)


def discount_factors(
    n_years: int, rate: float | np.ndarray = DEFAULT_RATE, first_year_discounted: bool = True
) -> np.ndarray:
    """Discount factor per year: 1/(1+r)^t with t = 1 for year 1 (or 0 if not discounted).

    `rate` may be an array over draws (shape (draws,)); the result broadcasts as (..., years).
    """
    t = np.arange(n_years, dtype=float) + (1.0 if first_year_discounted else 0.0)
    r = np.asarray(rate, dtype=float)
    return (1.0 + r[..., None]) ** -t if r.ndim else (1.0 + float(r)) ** -t


def npv(
    flows: np.ndarray, rate: float | np.ndarray = DEFAULT_RATE, first_year_discounted: bool = True
) -> np.ndarray:
    """Net present value of the case's *benefit* (savings minus costs): -sum(flow * factor).

    Positive means the case is worth doing at that rate. `flows` are net spending per year.
    """
    flows = np.asarray(flows, dtype=float)
    return -np.sum(flows * discount_factors(flows.shape[-1], rate, first_year_discounted), axis=-1)


def payback_discounted(
    flows: np.ndarray, rate: float | np.ndarray = DEFAULT_RATE, first_year_discounted: bool = True
) -> np.ndarray:
    """Payback year of the discounted flows (same rule as `payback_year`)."""
    flows = np.asarray(flows, dtype=float)
    return payback_year(flows * discount_factors(flows.shape[-1], rate, first_year_discounted))
