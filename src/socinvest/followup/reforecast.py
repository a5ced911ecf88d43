"""Re-forecast: actuals for the observed cells, a forecast for the rest, on the one engine.

Rules (the follow-up file's `forecast`, docs/followup.md, *Re-forecast*):

- `keep_plan`: every cell without an actual as planned (`evaluate(case)`).
- `scale`: each line's plan times its **realised share** = Σ actual / Σ plan over the years
  the line is observed. A line never observed, or whose plan over those years sums to 0,
  keeps its plan (share 1: nothing to scale by); the shares are in the result.
- `override`: the plan evaluated with some parameters replaced (`overrides`: a number for
  every year, or per year/range of years; years not listed keep the case's value).

`lines` limits the rule to those lines; the others keep their plan. Cells with an actual are
always the actual (the same mixing as the realised payback). Payback on the service, total
and own-money bases (docs/conventions.md) and the NPV (total basis, the case's discounting)
of the mixed flows come with it, next to the plan's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..case.schema import Case
from ..case.years import to_vector
from ..engine import finance
from ..engine.resolve import evaluate
from ..errors import InputError
from ..i18n import Msg
from .model import Actuals, readonly
from .realised import FrozenMap, aligned, basis_flows, mixed, observed_through
from .schema import Forecast, ForecastRule


@dataclass(frozen=True)
class Reforecast:
    """Mixed flows (actual + forecast) and what they give. Arrays read-only; (lines, years)
    in the case's line order."""

    case_id: str
    years: np.ndarray
    line_ids: tuple[str, ...]
    rule: ForecastRule
    applies_to: tuple[str, ...]  # the lines the rule changed (others: plan)
    through: int | None  # last year of the observed period (None: nothing observed)
    plan: np.ndarray
    forecast: np.ndarray  # the rule's forecast for every cell
    mixed: np.ndarray  # actual where observed, else forecast
    observed: np.ndarray  # bool
    shares: Mapping[str, float]  # line -> realised share (scale rule; 1.0 where undefined)
    overrides: Mapping[str, np.ndarray]  # parameter -> (years,) values used (override rule)
    flows: Mapping[str, np.ndarray]  # basis -> (years,) mixed net flow
    payback: Mapping[str, float]  # basis -> payback year (NaN: not within the horizon)
    payback_fractional: Mapping[str, float]
    npv: float  # total basis, the case's rate
    plan_payback: Mapping[str, float]
    plan_npv: float
    rate: float
    first_year_discounted: bool


def realised_shares(plan: np.ndarray, actual: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Per line: Σ actual / Σ plan over its observed years; 1 where undefined."""
    a = np.where(observed, np.nan_to_num(actual), 0.0).sum(axis=1)
    p = np.where(observed, plan, 0.0).sum(axis=1)
    scale = max(1.0, float(np.abs(plan).max(initial=0.0)))
    ok = observed.any(axis=1) & (np.abs(p) > 1e-12 * scale)
    return np.where(ok, a / np.where(ok, p, 1.0), 1.0)


def override_arrays(
    case: Case, overrides: Mapping[str, float | Mapping[int | str, float]]
) -> dict[str, np.ndarray]:
    """Parameter name -> (1, years) values for `evaluate`; InputError for an unknown name or a
    year key that is not a year or a range of years."""
    years = np.arange(case.horizon.first, case.horizon.last + 1)
    out: dict[str, np.ndarray] = {}
    for name, value in overrides.items():
        if name not in case.parameters:
            raise InputError(
                Msg(
                    "genberegningen ændrer parameteren {name}, som casen ikke har; kendte: {known}",
                    name=repr(name),
                    known=", ".join(case.parameters) or "–",
                )
            )
        base = to_vector(case.parameters[name].value, years)
        if isinstance(value, Mapping):
            try:
                v = to_vector(dict(value), years, np.nan)
            except ValueError as e:
                problem = getattr(e, "message", str(e))
                raise InputError(
                    Msg("genberegningen af {name}: {problem}", name=name, problem=problem)
                ) from None
            v = np.where(np.isnan(v), base, v)
        else:
            v = np.full(len(years), float(value))
        out[name] = v[None, :]
    return out


def reforecast(case: Case, actuals: Actuals, rule: Forecast | None = None) -> Reforecast:
    """Actuals for the observed cells and the rule's forecast for the rest (module docstring)."""
    rule = rule or Forecast()
    ids = tuple(ln.id for ln in case.lines)
    if rule.lines is not None:
        unknown = [lid for lid in rule.lines if lid not in ids]
        if unknown:
            raise InputError(
                Msg(
                    "genberegningen nævner linjen {line}, som casen ikke har", line=repr(unknown[0])
                )
            )
    applies = np.array([rule.lines is None or lid in rule.lines for lid in ids])
    plan = np.array(evaluate(case).amounts[0])
    actual, observed = aligned(case, actuals)
    shares = np.ones(len(ids))
    used: dict[str, np.ndarray] = {}
    if rule.rule is ForecastRule.SCALE:
        shares = np.where(applies, realised_shares(plan, actual, observed), 1.0)
        forecast = plan * shares[:, None]
    elif rule.rule is ForecastRule.OVERRIDE:
        ov = override_arrays(case, rule.overrides)
        used = {k: v[0] for k, v in ov.items()}
        forecast = np.where(applies[:, None], evaluate(case, ov).amounts[0], plan)
    else:
        forecast = plan.copy()
    mix = mixed(actual, observed, forecast)
    years = np.arange(case.horizon.first, case.horizon.last + 1)
    k = observed_through(observed)
    d = case.discount
    flows = basis_flows(case, mix)
    plan_flows = basis_flows(case, plan)
    return Reforecast(
        case_id=case.id,
        years=readonly(years),
        line_ids=ids,
        rule=rule.rule,
        applies_to=tuple(lid for lid, a in zip(ids, applies, strict=True) if a),
        through=int(years[k - 1]) if k else None,
        plan=readonly(plan),
        forecast=readonly(forecast),
        mixed=readonly(mix),
        observed=readonly(observed.copy()),
        shares=FrozenMap({lid: float(s) for lid, s in zip(ids, shares, strict=True)}),
        overrides=FrozenMap(used),
        flows=FrozenMap(flows),
        payback=FrozenMap({b: float(finance.payback_year(f)) for b, f in flows.items()}),
        payback_fractional=FrozenMap(
            {b: float(finance.payback_fractional(f)) for b, f in flows.items()}
        ),
        npv=float(finance.npv(flows["total"], d.rate, d.first_year_discounted)),
        plan_payback=FrozenMap({b: float(finance.payback_year(f)) for b, f in plan_flows.items()}),
        plan_npv=float(finance.npv(plan_flows["total"], d.rate, d.first_year_discounted)),
        rate=d.rate,
        first_year_discounted=d.first_year_discounted,
    )
