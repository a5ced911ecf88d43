"""Draw parameter values: one array per uncertain parameter, shape (draws, 1) or, for
relative uncertainty on a per-year value, (draws, years).

Rank correlation uses Iman & Conover (1982): draw each parameter independently, then reorder
the draws so their ranks follow correlated normal scores. Marginal distributions are kept
exactly; the rank correlation is imposed within each chunk of draws.
"""

from __future__ import annotations

import math

import numpy as np

from ..case.schema import Case
from ..case.uncertain import Beta, Discrete, LogNormal, Normal, Pert, Triangular, Uniform
from ..case.years import to_vector
from ..errors import InputError
from ..i18n import Msg


def draw_distribution(d, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` draws from one distribution, as float64."""
    if isinstance(d, Pert):
        span = d.max - d.min
        a = 1 + d.lamb * (d.mode - d.min) / span
        b = 1 + d.lamb * (d.max - d.mode) / span
        return d.min + span * rng.beta(a, b, n)
    if isinstance(d, Triangular):
        return rng.triangular(d.min, d.mode, d.max, n)
    if isinstance(d, Uniform):
        return rng.uniform(d.min, d.max, n)
    if isinstance(d, Normal):
        return rng.normal(d.mean, d.sd, n)
    if isinstance(d, LogNormal):
        sigma2 = math.log(1 + (d.sd / d.mean) ** 2)
        return rng.lognormal(math.log(d.mean) - sigma2 / 2, math.sqrt(sigma2), n)
    if isinstance(d, Beta):
        return d.min + (d.max - d.min) * rng.beta(d.alpha, d.beta, n)
    if isinstance(d, Discrete):
        return rng.choice(np.asarray(d.values, float), size=n, p=d.probs)
    raise TypeError(type(d))  # pragma: no cover


def quantile(d, q: float, n: int = 200_001, seed: int = 12345) -> float:
    """A quantile of a distribution (exact where closed-form is simple, else by sampling)."""
    if isinstance(d, Uniform):
        return d.min + q * (d.max - d.min)
    if isinstance(d, Triangular) and not isinstance(d, Pert):
        c = (d.mode - d.min) / (d.max - d.min)
        if q < c:
            return d.min + math.sqrt(q * (d.max - d.min) * (d.mode - d.min))
        return d.max - math.sqrt((1 - q) * (d.max - d.min) * (d.max - d.mode))
    if isinstance(d, Normal):
        from statistics import NormalDist

        return NormalDist(d.mean, d.sd).inv_cdf(q)
    x = draw_distribution(d, n, np.random.default_rng(seed))
    return float(np.quantile(x, q))


def _normal_scores(n: int, corr: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    try:
        chol = np.linalg.cholesky(corr)
    except np.linalg.LinAlgError:
        message = Msg(
            "correlations: korrelationsmatricen er ikke positivt definit; de angivne "
            "korrelationer modsiger hinanden (sænk nogle af dem)"
        )
        raise InputError(message) from None
    return rng.standard_normal((n, corr.shape[0])) @ chol.T


def uncertain_names(case: Case) -> list[str]:
    return [n for n, p in case.parameters.items() if p.uncertainty is not None]


def sample(case: Case, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Overrides for `evaluate`: parameter name -> draws, for every uncertain parameter."""
    names = uncertain_names(case)
    raw = {k: draw_distribution(case.parameters[k].uncertainty, n, rng) for k in names}
    if case.correlations and n > 1:
        idx = {k: i for i, k in enumerate(names)}
        corr = np.eye(len(names))
        for c in case.correlations:
            # Spearman rho -> Pearson r of the normal scores (2 sin(pi rho / 6)).
            r = 2 * math.sin(math.pi * c.rho / 6)
            corr[idx[c.a], idx[c.b]] = corr[idx[c.b], idx[c.a]] = r
        scores = _normal_scores(n, corr, rng)
        ranks = np.argsort(np.argsort(scores, axis=0), axis=0)
        for k, i in idx.items():
            raw[k] = np.sort(raw[k])[ranks[:, i]]
    years = np.arange(case.horizon.first, case.horizon.last + 1)
    out: dict[str, np.ndarray] = {}
    for k in names:
        p = case.parameters[k]
        if p.uncertainty is not None and p.uncertainty.relative:
            out[k] = raw[k][:, None] * to_vector(p.value, years)[None, :]
        else:
            out[k] = raw[k][:, None]
    return out
