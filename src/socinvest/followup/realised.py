"""Realised payback so far: the case's own payback rule on what really happened.

The flows of a year are the actual amounts of its lines (`Actuals`, case unit and p/l,
spending sign). Rules shared by the whole follow-up (docs/followup.md, *Plan against actual*):

- The **observed period** runs from the case's first year through the last year with any
  actual on any line. A line with no actual in a year of that period counts as planned (a line
  with nothing planned that year books nothing, so it has no postings); such cells with a
  planned amount are listed in `planned_cells`, never hidden.
- Years after the observed period have no flows unless the plan is asked for
  (`with_plan=True`): "paid back so far" must not lean on years that have not happened.
- Payback follows docs/conventions.md exactly (`engine.finance.payback_year`) on three bases:
  `service` (lines with area service), `total` (every line) and `own` (lines funded by the
  municipality's own money or the pool; external grants left out, as `own_net`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from ..case.schema import Area, Case, Funding
from ..engine import finance
from ..engine.resolve import evaluate
from ..errors import InputError
from ..i18n import Msg
from .model import Actuals, readonly

V = TypeVar("V")


class FrozenMap(Mapping[str, V], Generic[V]):
    """A mapping that cannot be changed and can be pickled (results travel between
    processes); its numpy values are made read-only."""

    __slots__ = ("_items",)
    _items: dict[str, V]

    def __init__(self, items: Mapping[str, V] | None = None) -> None:
        d = dict(items or {})
        for v in d.values():
            if isinstance(v, np.ndarray):
                v.setflags(write=False)
        object.__setattr__(self, "_items", d)

    def __getitem__(self, key: str) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("read-only")

    def __getstate__(self) -> dict[str, V]:
        return self._items

    def __setstate__(self, state: dict[str, V]) -> None:
        object.__setattr__(self, "_items", state)

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"


BASES = ("service", "total", "own")
"""The payback bases of the follow-up: the case's two and the municipality's own money."""


def basis_masks(case: Case) -> dict[str, np.ndarray]:
    """Which lines each basis sums (bool per case line, in case order)."""
    area = np.array([ln.area is Area.SERVICE for ln in case.lines])
    own = np.array([ln.funding in (Funding.OWN, Funding.POOL) for ln in case.lines])
    return {"service": area, "total": np.ones(len(case.lines), dtype=bool), "own": own}


def basis_flows(case: Case, amounts: np.ndarray) -> dict[str, np.ndarray]:
    """(..., lines, years) -> basis -> (..., years)."""
    return {
        b: np.einsum("l,...ly->...y", m.astype(float), amounts)
        for b, m in basis_masks(case).items()
    }


def aligned(case: Case, actuals: Actuals) -> tuple[np.ndarray, np.ndarray]:
    """The actuals in the case's line order: amounts (lines, years) NaN where not observed,
    and the observed mask. InputError if they are in another unit, price level or horizon, or
    name a line the case does not have."""
    years = np.arange(case.horizon.first, case.horizon.last + 1)
    if not np.array_equal(np.asarray(actuals.years), years):
        got = "-".join(str(int(y)) for y in actuals.years[[0, -1]]) if len(actuals.years) else "–"
        want = "-".join(str(y) for y in (case.horizon.first, case.horizon.last))
        raise InputError(
            Msg(
                "de faktiske tal dækker årene {got}, men casen har horisonten {want}",
                got=got,
                want=want,
            )
        )
    if actuals.unit != case.unit.value or actuals.price_level != case.price_level:
        raise InputError(
            Msg(
                "de faktiske tal er i {unit} i {level}-priser, men casen er i {case_unit} i "
                "{case_level}-priser; omregn dem til casens enhed og prisniveau",
                unit=actuals.unit,
                level=actuals.price_level,
                case_unit=case.unit.value,
                case_level=case.price_level,
            )
        )
    ids = [ln.id for ln in case.lines]
    unknown = [i for i in actuals.line_ids if i not in ids]
    if unknown:
        raise InputError(
            Msg("de faktiske tal har linjen {line}, som casen ikke har", line=repr(unknown[0]))
        )
    amounts = np.full((len(ids), len(years)), np.nan)
    observed = np.zeros((len(ids), len(years)), dtype=bool)
    for j, lid in enumerate(actuals.line_ids):
        i = ids.index(lid)
        observed[i] = actuals.observed[j]
        amounts[i] = np.where(actuals.observed[j], actuals.amounts[j], np.nan)
    return amounts, observed


def observed_through(observed: np.ndarray) -> int:
    """Number of years in the observed period (0: nothing observed)."""
    any_year = observed.any(axis=0)
    return int(np.nonzero(any_year)[0].max()) + 1 if any_year.any() else 0


def mixed(actual: np.ndarray, observed: np.ndarray, forecast: np.ndarray) -> np.ndarray:
    """Actual where observed, `forecast` elsewhere; broadcasts over a leading draw axis."""
    return np.where(observed, np.nan_to_num(actual), forecast)


@dataclass(frozen=True)
class RealisedPayback:
    """Payback on what really happened (see the module docstring). Arrays read-only."""

    years: np.ndarray  # (years,)
    through: int | None  # last calendar year of the observed period; None if nothing observed
    with_plan: bool  # the years after `through` are the plan (else they have no flows)
    flows: Mapping[str, np.ndarray]  # basis -> (years,), NaN after `through` unless with_plan
    cumulative: Mapping[str, np.ndarray]  # basis -> (years,), likewise
    payback: Mapping[str, float]  # basis -> payback year (1 = first); NaN: not (yet) paid back
    payback_fractional: Mapping[str, float]
    plan_payback: Mapping[str, float]  # basis -> the plan's payback year, for comparison
    planned_cells: tuple[tuple[str, int], ...]  # (line id, year) not reported, plan not 0

    def paid_back(self, basis: str) -> bool:
        return not np.isnan(self.payback[basis])


def realised_payback(case: Case, actuals: Actuals, with_plan: bool = False) -> RealisedPayback:
    """Payback so far on the service and total bases and on own money (module docstring)."""
    plan = evaluate(case).amounts[0]
    actual, observed = aligned(case, actuals)
    years = np.arange(case.horizon.first, case.horizon.last + 1)
    k = observed_through(observed)
    period = np.arange(len(years)) < k
    amounts = mixed(actual, observed, plan)
    planned = ~observed & period[None, :] & (plan != 0)
    cells = tuple(
        (case.lines[i].id, int(years[y])) for i, y in zip(*np.nonzero(planned), strict=True)
    )
    span = len(years) if with_plan else k
    flows: dict[str, np.ndarray] = {}
    cum: dict[str, np.ndarray] = {}
    pb: dict[str, float] = {}
    pbf: dict[str, float] = {}
    plan_flows = basis_flows(case, plan)
    for b, f in basis_flows(case, amounts).items():
        shown = np.where(np.arange(len(years)) < span, f, np.nan)
        flows[b] = shown
        cum[b] = np.where(np.isnan(shown), np.nan, np.cumsum(np.nan_to_num(shown)))
        pb[b] = float(finance.payback_year(f[:span])) if span else np.nan
        pbf[b] = float(finance.payback_fractional(f[:span])) if span else np.nan
    plan_pb = {b: float(finance.payback_year(f)) for b, f in plan_flows.items()}
    return RealisedPayback(
        readonly(years),
        int(years[k - 1]) if k else None,
        with_plan,
        FrozenMap(flows),
        FrozenMap(cum),
        FrozenMap(pb),
        FrozenMap(pbf),
        FrozenMap(plan_pb),
        cells,
    )


def actuals_for(case: Case, values: Mapping[str, Mapping[int, float]]) -> Actuals:
    """Actuals from figures already in the case's unit and p/l (spending sign): line id ->
    year -> amount. For synthetic follow-ups, tests and what-if re-forecasts; imported
    actuals come from the follow-up import."""
    years = np.arange(case.horizon.first, case.horizon.last + 1)
    ids = tuple(ln.id for ln in case.lines)
    amounts = np.zeros((len(ids), len(years)))
    observed = np.zeros((len(ids), len(years)), dtype=bool)
    for lid, by_year in values.items():
        if lid not in ids:
            raise InputError(
                Msg("de faktiske tal har linjen {line}, som casen ikke har", line=repr(lid))
            )
        for y, v in by_year.items():
            if not case.horizon.first <= int(y) <= case.horizon.last:
                raise InputError(Msg("år {year} ligger uden for casens horisont", year=int(y)))
            amounts[ids.index(lid), int(y) - case.horizon.first] = float(v)
            observed[ids.index(lid), int(y) - case.horizon.first] = True
    quarterly = np.full(amounts.shape + (4,), np.nan)
    return Actuals(
        case_id=case.id,
        unit=case.unit.value,
        price_level=case.price_level,
        years=readonly(years),
        line_ids=ids,
        amounts=readonly(amounts),
        current=readonly(amounts.copy()),
        quarterly=readonly(quarterly),
        observed=readonly(observed),
    )
