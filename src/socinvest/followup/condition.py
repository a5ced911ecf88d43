"""Beyond the anchors: the case's uncertainty conditioned on what has been observed.

Method (docs/followup.md, *Conditioning on the actuals*):

- **Draws.** The uncertain parameters are sampled as in the simulation
  (`uncertainty.sampling.sample`) and evaluated on the one engine: amounts (draws, lines, years).
- **Importance weights.** Each draw is weighted by how well it reproduces the observed
  line × year amounts: a Gaussian likelihood with independent errors whose sd is `obs_sd`
  (default 10 %) of the planned amount of the cell (of the line's largest planned amount where
  the cell's plan is 0, of the case's largest where the whole line is 0). log w = −½ Σ r²,
  r = (actual − draw) / sd. The **effective sample size** ESS = (Σw)² / Σw²; below `MIN_ESS`
  (200) the result carries a warning: the draws do not cover what was observed well enough.
- **Rates observed as counts** (`rates`: parameter -> count and exposure) get a conjugate
  Gamma–Poisson update first: the parameter's distribution is matched to a Gamma by its mean
  and sd (shape = mean²/sd², rate = mean/sd²); the posterior is Gamma(shape + count,
  rate + exposure), and the parameter's draws come from it.
- **What it gives.** Per draw the mixed flows (actual where observed, the draw elsewhere) give
  payback and NPV; weighted, these give P(payback ≤ target) on each basis and the NPV band
  P5/P50/P95 (weighted quantiles), next to the same figures before conditioning.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats

from ..case.schema import Case
from ..case.uncertain import Beta, Discrete, LogNormal, Normal, Pert, Triangular, Uniform
from ..case.years import to_vector
from ..checks.findings import Num
from ..engine import finance
from ..engine.resolve import evaluate
from ..errors import InputError
from ..i18n import Msg
from ..uncertainty.sampling import sample, uncertain_names
from .model import Actuals, readonly
from .realised import BASES, FrozenMap, aligned, basis_flows, mixed

OBS_SD = 0.10
"""Default observation error: sd of an actual around the true amount, relative to the plan."""
MIN_ESS = 200.0
DRAWS = 20_000
BAND = (5.0, 50.0, 95.0)
FAN = (5.0, 25.0, 50.0, 75.0, 95.0)


def weighted_quantiles(x: np.ndarray, w: np.ndarray, q: tuple[float, ...]) -> np.ndarray:
    """Percentiles `q` (0-100) of `x` (draws, ...) under weights `w` (draws,): the weighted
    empirical distribution with each draw's mass centred on it, interpolated linearly between
    draws (draws of weight 0 left out). Returns (len(q), ...)."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    keep = w > 0  # a draw without weight is no point of the distribution
    flat = x[keep].reshape(int(keep.sum()), -1)
    order = np.argsort(flat, axis=0)
    xs = np.take_along_axis(flat, order, axis=0)
    ws = w[keep][order]
    cw = np.cumsum(ws, axis=0)
    p = (cw - 0.5 * ws) / cw[-1]
    qs = np.asarray(q, dtype=float) / 100.0
    out = np.empty((len(qs), flat.shape[1]))
    for c in range(flat.shape[1]):  # columns are lines × years, never draws
        out[:, c] = np.interp(qs, p[:, c], xs[:, c])
    return out.reshape((len(qs),) + x.shape[1:])


def ess(w: np.ndarray) -> float:
    """Effective sample size (Σw)² / Σw² (Kish)."""
    return float(w.sum() ** 2 / np.square(w).sum())


def moments(d) -> tuple[float, float]:
    """Mean and sd of a case distribution (closed form)."""
    if isinstance(d, Pert):
        span = d.max - d.min
        a = 1 + d.lamb * (d.mode - d.min) / span
        b = 1 + d.lamb * (d.max - d.mode) / span
        return d.min + span * a / (a + b), span * math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    if isinstance(d, Triangular):
        lo, m, hi = d.min, d.mode, d.max
        var = (lo * lo + m * m + hi * hi - lo * m - lo * hi - m * hi) / 18
        return (lo + m + hi) / 3, math.sqrt(var)
    if isinstance(d, Uniform):
        return (d.min + d.max) / 2, (d.max - d.min) / math.sqrt(12)
    if isinstance(d, Normal | LogNormal):
        return d.mean, d.sd
    if isinstance(d, Beta):
        s, a, b = d.max - d.min, d.alpha, d.beta
        return d.min + s * a / (a + b), s * math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    if isinstance(d, Discrete):
        v = np.asarray(d.values, float)
        p = np.full(len(v), 1 / len(v)) if d.probs is None else np.asarray(d.probs, float)
        mean = float(p @ v)
        return mean, math.sqrt(max(float(p @ (v - mean) ** 2), 0.0))
    raise TypeError(type(d))  # pragma: no cover


@dataclass(frozen=True)
class RateObservation:
    """Events counted over an exposure (e.g. 14 placements over 230 child-years)."""

    count: float
    exposure: float


@dataclass(frozen=True)
class GammaPosterior:
    """Gamma–Poisson update of a rate: prior Gamma(shape0, rate0) matched to the parameter's
    mean and sd; posterior Gamma(shape0 + count, rate0 + exposure)."""

    name: str
    shape0: float
    rate0: float
    count: float
    exposure: float

    @property
    def shape(self) -> float:
        return self.shape0 + self.count

    @property
    def rate(self) -> float:
        return self.rate0 + self.exposure

    @property
    def mean(self) -> float:
        return self.shape / self.rate

    @property
    def sd(self) -> float:
        return math.sqrt(self.shape) / self.rate

    def percentiles(self, q: tuple[float, ...] = BAND) -> tuple[float, ...]:
        ppf = stats.gamma.ppf(np.asarray(q) / 100.0, self.shape, scale=1.0 / self.rate)
        return tuple(float(v) for v in ppf)


def gamma_poisson(name: str, mean: float, sd: float, obs: RateObservation) -> GammaPosterior:
    """The conjugate update of a rate with prior mean and sd (moment-matched Gamma)."""
    if not (mean > 0 and sd > 0 and obs.count >= 0 and obs.exposure > 0):
        raise InputError(
            Msg(
                "parameteren {name} kan ikke opdateres som en rate: den kræver middelværdi og "
                "spredning over 0, et antal på mindst 0 og en eksponering over 0",
                name=name,
            )
        )
    return GammaPosterior(
        name, mean**2 / sd**2, mean / sd**2, float(obs.count), float(obs.exposure)
    )


def rate_prior(case: Case, name: str, obs: RateObservation) -> GammaPosterior:
    """The Gamma–Poisson posterior of the case's parameter `name` (InputError if it has no
    uncertainty or a relative one: the update needs the value's own distribution)."""
    p = case.parameters.get(name)
    if p is None or p.uncertainty is None or p.uncertainty.relative:
        raise InputError(
            Msg(
                "parameteren {name} skal have en usikkerhed på selve værdien (relative: false) "
                "for at kunne opdateres med observerede antal",
                name=repr(name),
            )
        )
    return gamma_poisson(name, *moments(p.uncertainty), obs)


@dataclass(frozen=True)
class ParameterBand:
    """An uncertain parameter before and after conditioning: mean and P5/P50/P95. For
    `relative` parameters the figures are the multiplier on the case's value."""

    name: str
    relative: bool
    prior_mean: float
    prior: tuple[float, float, float]
    mean: float
    band: tuple[float, float, float]


@dataclass(frozen=True)
class Conditioned:
    """The case's uncertainty after the actuals. Draw arrays are read-only, (draws,)."""

    case_id: str
    years: np.ndarray
    draws: int
    seed: int
    obs_sd: float
    target: int | None  # payback year the probabilities are for (None: within the horizon)
    weights: np.ndarray  # normalised to sum 1
    ess: float
    warnings: tuple[Msg, ...]
    parameters: tuple[ParameterBand, ...]
    rates: tuple[GammaPosterior, ...]
    payback: Mapping[str, np.ndarray]  # basis -> payback year per draw (mixed flows)
    npv: np.ndarray  # per draw (mixed flows, total basis)
    prior_payback: Mapping[str, np.ndarray]  # basis -> per prior draw (simulated flows)
    prior_npv: np.ndarray
    fan: np.ndarray  # (len(FAN), years) weighted percentiles of the mixed total net flow
    amounts_band: np.ndarray  # (3, lines, years) P5/P50/P95 of the drawn amounts (no noise)

    def p_payback(self, basis: str = "total", within: int | None = None) -> float:
        """P(payback ≤ `within`, default the target) after conditioning."""
        return _p(self.payback[basis], self.weights, self.target if within is None else within)

    def prior_p_payback(self, basis: str = "total", within: int | None = None) -> float:
        pb = self.prior_payback[basis]
        return _p(pb, np.full(len(pb), 1 / len(pb)), self.target if within is None else within)

    @property
    def npv_band(self) -> tuple[float, float, float]:
        return _band(self.npv, self.weights)

    @property
    def prior_npv_band(self) -> tuple[float, float, float]:
        return _band(self.prior_npv, np.ones(len(self.prior_npv)))


def _p(pb: np.ndarray, w: np.ndarray, within: int | None) -> float:
    ok = ~np.isnan(pb)
    if within is not None:
        ok &= pb <= within
    return float(w[ok].sum() / w.sum())


def _band(x: np.ndarray, w: np.ndarray) -> tuple[float, float, float]:
    lo, mid, hi = weighted_quantiles(x, w, BAND)
    return float(lo), float(mid), float(hi)


def obs_scale(plan: np.ndarray) -> np.ndarray:
    """|plan| per cell, with the module's fallbacks for planned zeros (lines, years)."""
    ref = np.abs(plan)
    line_max = ref.max(axis=1, keepdims=True)
    case_max = max(float(ref.max(initial=0.0)), 1.0)
    return np.where(ref > 0, ref, np.where(line_max > 0, line_max, case_max))


def log_likelihood(
    sim: np.ndarray, actual: np.ndarray, observed: np.ndarray, sd: np.ndarray
) -> np.ndarray:
    """−½ Σ over observed cells of ((actual − draw) / sd)², per draw; sim (draws, lines, years)."""
    r = np.where(observed, (np.nan_to_num(actual) - sim) / sd, 0.0)
    return -0.5 * np.einsum("dly,dly->d", r, r)


def _draw_values(case: Case, ov: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Parameter -> (draws,) drawn value (relative: the multiplier)."""
    years = np.arange(case.horizon.first, case.horizon.last + 1)
    out = {}
    for k, v in ov.items():
        unc = case.parameters[k].uncertainty
        if unc is not None and unc.relative:
            base = to_vector(case.parameters[k].value, years)
            j = int(np.argmax(base != 0))
            out[k] = v[:, j] / base[j] if base[j] != 0 else np.ones(v.shape[0])
        else:
            out[k] = v[:, 0]
    return out


def _per_draw(case: Case, amounts: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
    d = case.discount
    flows = basis_flows(case, amounts)
    pb = {b: finance.payback_year(flows[b]) for b in BASES}
    return pb, finance.npv(flows["total"], d.rate, d.first_year_discounted)


def condition(
    case: Case,
    actuals: Actuals,
    draws: int = DRAWS,
    seed: int = 2024,
    obs_sd: float = OBS_SD,
    target: int | None = None,
    rates: Mapping[str, RateObservation] | None = None,
) -> Conditioned:
    """Condition the case's uncertainty on the actuals (module docstring). Vectorised over
    draws; one engine evaluation for the prior and, with `rates`, one for the update."""
    if not obs_sd > 0:
        raise InputError(Msg("observationsfejlen skal være over 0 (fx 0.1 for 10 %)"))
    rng = np.random.default_rng(seed)
    prior_ov = sample(case, draws, rng)
    prior = evaluate(case, prior_ov, draws=draws).amounts
    posts = tuple(rate_prior(case, k, o) for k, o in (rates or {}).items())
    ov = dict(prior_ov)
    for g in posts:
        ov[g.name] = rng.gamma(g.shape, 1.0 / g.rate, size=(draws, 1))
    sim = evaluate(case, ov, draws=draws).amounts if posts else prior
    plan = evaluate(case).amounts[0]
    actual, observed = aligned(case, actuals)
    logw = log_likelihood(sim, actual, observed, obs_sd * obs_scale(plan))
    w = np.exp(logw - logw.max())
    w /= w.sum()
    e = ess(w)
    warnings: list[Msg] = []
    if e < MIN_ESS:
        warnings.append(
            Msg(
                "den effektive stikprøvestørrelse er kun {ess} af {draws} træk (under {min}): "
                "trækkene gengiver de faktiske tal dårligt; resultatet er usikkert. Brug flere "
                "træk, eller undersøg om casens usikkerhed er for snæver",
                ess=Num(e),
                draws=Num(draws),
                min=Num(MIN_ESS),
            )
        )
    mix = mixed(actual, observed, sim)
    pb, npv = _per_draw(case, mix)
    prior_pb, prior_npv = _per_draw(case, prior)
    prior_vals, vals = _draw_values(case, prior_ov), _draw_values(case, ov)
    uniform = np.full(draws, 1.0 / draws)
    bands = []
    for k in uncertain_names(case):
        pq = weighted_quantiles(prior_vals[k], uniform, BAND)
        q = weighted_quantiles(vals[k], w, BAND)
        bands.append(
            ParameterBand(
                k,
                bool(case.parameters[k].uncertainty.relative),  # type: ignore[union-attr]
                float(prior_vals[k].mean()),
                (float(pq[0]), float(pq[1]), float(pq[2])),
                float(w @ vals[k]),
                (float(q[0]), float(q[1]), float(q[2])),
            )
        )
    total = basis_flows(case, mix)["total"]
    return Conditioned(
        case_id=case.id,
        years=readonly(np.arange(case.horizon.first, case.horizon.last + 1)),
        draws=draws,
        seed=seed,
        obs_sd=obs_sd,
        target=target,
        weights=readonly(w),
        ess=e,
        warnings=tuple(warnings),
        parameters=tuple(bands),
        rates=posts,
        payback=FrozenMap(pb),
        npv=readonly(npv),
        prior_payback=FrozenMap(prior_pb),
        prior_npv=readonly(prior_npv),
        fan=readonly(weighted_quantiles(total, w, FAN)),
        amounts_band=readonly(weighted_quantiles(sim, w, BAND)),
    )
