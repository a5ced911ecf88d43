"""Load a pool file: YAML -> Pool, the case files it refers to, and every error located as
file:line:col with its key path (the case loader's machinery, `socinvest.case.load`).

The cases are read by the `load_case` callable the caller passes (the service layer passes
`socinvest.services.case.load_case`, which also resolves ladder lines into data): the domain
does not reach up into services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..case.load import locate, parse_yaml_model, raise_problems, read_text
from ..case.schema import Case
from ..case.years import to_vector, year_keys
from ..errors import InputError, Text
from ..i18n import Msg
from .params import years_text
from .schema import FixedRepayment, Pool, ScheduleRepayment, ShareRepayment, Status

Path_ = tuple[str | int, ...]
Problem = tuple[Path_, Text]
CaseLoader = Callable[[Path], Case]
"""Reads one case file into a Case ready for the engine; raises InputError."""


@dataclass(frozen=True)
class LoadedPool:
    """A validated pool file and the case of each application (same order)."""

    pool: Pool
    source: str
    cases: tuple[Case, ...]
    case_paths: tuple[Path, ...]

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.pool.horizon.first, self.pool.horizon.last + 1)


def load_pool(path: str | Path, load_case: CaseLoader) -> LoadedPool:
    """Read and validate a pool file and its cases; raises InputError (file:line:col, key)."""
    p = Path(path)
    return parse_pool(read_text(p), load_case, str(p), base=p.parent)


def parse_pool(
    text: str, load_case: CaseLoader, source: str = "<pool>", base: Path | None = None
) -> LoadedPool:
    pool, marks = parse_yaml_model(text, source, Pool, "a pool file")
    raise_problems(source, marks, check_references(pool))
    base = Path(".") if base is None else base
    cases: list[Case] = []
    paths: list[Path] = []
    for i, app in enumerate(pool.applications):
        where = ("applications", i, "case")
        cp = base / app.case
        if not cp.is_file():
            msg = Msg(
                "case-filen {case} findes ikke (ledte efter {path}); stien er relativ til "
                "puljefilens mappe",
                case=repr(app.case),
                path=str(cp),
            )
            raise InputError(locate(source, marks, where, msg))
        try:
            case = load_case(cp)
        except InputError as e:  # the case's own located lines follow as details
            msg = Msg("case-filen kan ikke bruges: {message}", message=e.message)
            raise InputError(locate(source, marks, where, msg), e.details) from None
        raise_problems(source, marks, check_application(pool, i, case))
        cases.append(case)
        paths.append(cp)
    return LoadedPool(pool, source, tuple(cases), tuple(paths))


def _inside(v: Any, path: Path_, first: int, last: int, what: Msg) -> list[Problem]:
    try:
        ys = year_keys(v)
    except ValueError as e:
        return [(path, getattr(e, "message", str(e)))]
    bad = sorted({y for y in ys if y < first or y > last})
    if bad:
        msg = Msg(
            "året {year} ligger uden for {what} {first}-{last}; fjern det, eller udvid perioden",
            year=bad[0],
            what=what,
            first=first,
            last=last,
        )
        return [(path, msg)]
    return []


def _non_negative(v: Any, path: Path_) -> list[Problem]:
    values = v.values() if isinstance(v, dict) else [v]
    if any(float(x) < 0 for x in values):
        return [(path, Msg("beløb i en puljefil er positive størrelser; fjern minusset"))]
    return []


def check_references(pool: Pool) -> list[Problem]:
    """What the schema cannot express: years inside the horizon, capital for every year,
    unique application ids, positive amounts."""
    first, last = pool.horizon.first, pool.horizon.last
    hz = Msg("puljens horisont")
    out = (
        []
        if pool.capital is None  # capital not known: no capital rules (pool.rules)
        else _inside(pool.capital, ("capital",), first, last, hz)
        + _non_negative(pool.capital, ("capital",))
    )
    if isinstance(pool.capital, dict) and not out:
        given = set(year_keys(pool.capital))
        missing = [y for y in range(first, last + 1) if y not in given]
        if missing:
            msg = Msg(
                "kapital mangler for {years}; angiv hvert år i horisonten {first}-{last} (skriv "
                "0 for et år uden ny kapital, eller ét tal for alle år)",
                years=years_text(missing),
                first=first,
                last=last,
            )
            out.append((("capital",), msg))
    for j, inj in enumerate(pool.injections):
        if not first <= inj.year <= last:
            msg = Msg(
                "året {year} ligger uden for {what} {first}-{last}",
                year=inj.year,
                what=hz,
                first=first,
                last=last,
            )
            out.append((("injections", j, "year"), msg))
    seen: set[str] = set()
    for i, app in enumerate(pool.applications):
        base: Path_ = ("applications", i)
        if app.id in seen:
            twice = Msg(
                "ansøgnings-id {id} bruges to gange; id'er skal være entydige", id=repr(app.id)
            )
            out.append((base + ("id",), twice))
        seen.add(app.id)
        if app.requested is not None:
            out += _inside(app.requested, base + ("requested",), first, last, hz)
            out += _non_negative(app.requested, base + ("requested",))
        if app.decision.granted is not None:
            out += _inside(app.decision.granted, base + ("decision", "granted"), first, last, hz)
            out += _non_negative(app.decision.granted, base + ("decision", "granted"))
        if app.cofunding is not None:
            out += _inside(app.cofunding.amounts, base + ("cofunding", "amounts"), first, last, hz)
            out += _non_negative(app.cofunding.amounts, base + ("cofunding", "amounts"))
        r = app.repayment
        rp = base + ("repayment",)
        if (
            isinstance(r, FixedRepayment | ShareRepayment)
            and r.start is not None
            and not first <= r.start <= last
        ):
            msg = Msg(
                "tilbagebetalingen begynder i {start}, uden for {what} {first}-{last}",
                start=r.start,
                what=hz,
                first=first,
                last=last,
            )
            out.append((rp + ("start",), msg))
        if isinstance(r, ShareRepayment) and r.realised is not None:
            out += _inside(r.realised, rp + ("realised",), first, last, hz)
        if isinstance(r, ScheduleRepayment):
            out += _inside(r.amounts, rp + ("amounts",), first, last, hz)
            out += _non_negative(r.amounts, rp + ("amounts",))
    return out


def check_application(pool: Pool, i: int, case: Case) -> list[Problem]:
    """Checks that need the case: its unit can be converted, the request lies in its horizon,
    and there is something to request."""
    app = pool.applications[i]
    base: Path_ = ("applications", i)
    cf, cl = case.horizon.first, case.horizon.last
    what = Msg("casens horisont ({id})", id=case.id)
    out: list[Problem] = []
    if app.requested is not None:
        out += _inside(app.requested, base + ("requested",), cf, cl, what)
    elif not requested_from_case(pool, case).any():
        msg = Msg(
            "casen {id} har ingen investeringslinjer med 'funding: pool' inden for puljens "
            "horisont; angiv 'requested' (de ansøgte beløb pr. år)",
            id=repr(case.id),
        )
        out.append((base, msg))
    if app.decision.granted is not None:
        out += _inside(app.decision.granted, base + ("decision", "granted"), cf, cl, what)
    if app.decision.status is Status.APPROVED and app.decision.date is None:
        msg = Msg("en bevilget ansøgning skal have 'date' (hvornår den blev bevilget)")
        out.append((base + ("decision",), msg))
    return out


# -- case amounts on the pool's year axis and in its unit -------------------------------


def unit_factor(pool: Pool, case: Case) -> float:
    """Multiply a case amount by this to get it in the pool's unit."""
    return case.unit.factor / pool.unit.factor


def case_columns(pool: Pool, case: Case) -> tuple[np.ndarray, np.ndarray]:
    """(case year indices, pool year indices) of the years both horizons share."""
    cy = np.arange(case.horizon.first, case.horizon.last + 1)
    py = np.arange(pool.horizon.first, pool.horizon.last + 1)
    common = np.intersect1d(cy, py)
    return common - cy[0], common - py[0]


def to_pool_axis(pool: Pool, case: Case, arr: np.ndarray) -> np.ndarray:
    """(..., case years) in the case unit -> (..., pool years) in the pool unit (0 outside)."""
    ci, pi = case_columns(pool, case)
    n = pool.horizon.last - pool.horizon.first + 1
    out = np.zeros(arr.shape[:-1] + (n,))
    out[..., pi] = arr[..., ci] * unit_factor(pool, case)
    return out


def requested_from_case(pool: Pool, case: Case) -> np.ndarray:
    """The case's investment lines with `funding: pool`, per pool year, in the pool's unit."""
    from ..case.schema import Funding, Kind
    from ..engine.resolve import evaluate

    res = evaluate(case)
    flows = res.total(kinds=(Kind.INVESTMENT,), funding=(Funding.POOL,))[0]
    return to_pool_axis(pool, case, flows)


def year_vector(pool: Pool, v: Any, fill: float = 0.0) -> np.ndarray:
    years = np.arange(pool.horizon.first, pool.horizon.last + 1)
    return to_vector(v, years, fill)
