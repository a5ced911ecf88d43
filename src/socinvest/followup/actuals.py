"""Actuals of a case: posting exports and explicit actuals, mapped to the case's lines,
aggregated per year and quarter and converted to the case's unit and price level.

One transaction: `build_actuals` returns a whole `Actuals` (with every finding of the import)
or raises InputError; nothing is stored half.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from ..case.schema import Case
from ..errors import InputError
from ..i18n import Msg
from .mapping import LoadedMapping, Matcher, line_kinds
from .model import MAX_LISTED, Actuals, ImportFinding, UnmappedAccount, UnmappedPosting, readonly
from .postings import read_postings
from .prices import PriceIndex
from .schema import PriceKind, parse_period


def build_actuals(
    case: Case,
    index: PriceIndex,
    mapping: LoadedMapping | None = None,
    postings: Sequence[str | Path] = (),
    explicit: Mapping[str, Mapping[int | str, float]] | None = None,
    strict: bool = False,
    kinds: Mapping[str, PriceKind] | None = None,
) -> Actuals:
    """Read `postings` (kr., current prices) through `mapping`, add `explicit` actuals (line
    id -> period -> amount in the case's unit, current prices), and convert both to the
    case's price level by each line's index kind (`kinds`, else the mapping's)."""
    years = np.arange(case.horizon.first, case.horizon.last + 1)
    ids = tuple(ln.id for ln in case.lines)
    row = {line_id: i for i, line_id in enumerate(ids)}
    quarterly = np.full((len(ids), len(years), 4), np.nan)
    yearly_only = np.full((len(ids), len(years)), np.nan)
    findings: list[ImportFinding] = []
    unmapped: list[UnmappedPosting] = []
    accounts: dict[tuple[str, str | None, str], list] = {}
    used = 0
    if postings and mapping is None:
        raise InputError(Msg("posteringer kræver en 'mapping' (kontoplan → case-linjer)"))
    if mapping is not None:
        mapping.check_case(case)
    matcher = Matcher(mapping.mapping) if mapping else None
    for path in postings:
        assert matcher is not None and mapping is not None
        pf = read_postings(path, matcher, mapping.mapping.columns, strict=strict)
        findings.extend(pf.findings)
        outside: dict[int, list[float]] = {}
        for g in pf.groups:
            line = pf.lines[(g.account, g.cost_centre)]
            if line is None:
                acc = accounts.setdefault((g.account, g.cost_centre, pf.source), [0, 0.0, set()])
                acc[0] += g.postings
                acc[1] += g.amount
                acc[2].add(g.year)
            elif not case.horizon.first <= g.year <= case.horizon.last:
                o = outside.setdefault(g.year, [0, 0.0])
                o[0] += g.postings
                o[1] += g.amount
            else:
                cell = (row[line], g.year - case.horizon.first, g.quarter - 1)
                quarterly[cell] = np.nan_to_num(quarterly[cell]) + g.amount / case.unit.factor
                used += g.postings
        for year, (n, amount) in sorted(outside.items()):
            findings.append(_outside(pf.source, year, int(n), amount, case))
        room = MAX_LISTED - len(unmapped)
        unmapped.extend(UnmappedPosting(pf.source, p) for p in pf.unmapped[: max(room, 0)])
    booked = ~np.isnan(quarterly).all(axis=2)  # line-years the postings gave
    given: set[tuple[int, int, int | None]] = set()
    quarters: set[tuple[int, int]] = set()
    for line_id, values in (explicit or {}).items():
        if line_id not in row:
            raise InputError(
                Msg(
                    "actuals: linjen {line} findes ikke i casen; kendte linjer: {known}",
                    line=repr(line_id),
                    known=", ".join(ids),
                )
            )
        for key, value in values.items():
            year, q = parse_period(key)
            if not case.horizon.first <= year <= case.horizon.last:
                raise InputError(
                    Msg(
                        "actuals: {line} {period} ligger uden for casens horisont {first}-{last}",
                        line=line_id,
                        period=str(key),
                        first=case.horizon.first,
                        last=case.horizon.last,
                    )
                )
            i, y = row[line_id], year - case.horizon.first
            if booked[i, y] or (i, y, None) in given or (q is None and (i, y) in quarters):
                raise InputError(
                    Msg(
                        "actuals: {line} {year} er allerede givet (af posteringerne eller "
                        "en anden periode); angiv hvert år én gang",
                        line=line_id,
                        year=year,
                    )
                )
            given.add((i, y, q))
            if q is None:
                yearly_only[i, y] = value
            else:
                quarters.add((i, y))
                quarterly[i, y, q - 1] = value
    has_q = ~np.isnan(quarterly).all(axis=2)
    observed = has_q | ~np.isnan(yearly_only)
    current = np.where(has_q, np.nansum(quarterly, axis=2), np.nan_to_num(yearly_only))
    factors = _factors(case, index, years, observed, mapping, kinds)
    return Actuals(
        case_id=case.id,
        unit=case.unit.value,
        price_level=case.price_level,
        years=readonly(years),
        line_ids=ids,
        amounts=readonly(current * factors),
        current=readonly(current),
        quarterly=readonly(quarterly * factors[:, :, None]),
        observed=readonly(observed),
        postings=used,
        unmapped=tuple(unmapped),
        unmapped_accounts=tuple(
            UnmappedAccount(a, c, n, amount, tuple(sorted(ys)), src)
            for (a, c, src), (n, amount, ys) in sorted(accounts.items(), key=lambda kv: kv[0][:2])
        ),
        findings=tuple(findings),
        sources=tuple(str(p) for p in postings),
    )


def _factors(
    case: Case,
    index: PriceIndex,
    years: np.ndarray,
    observed: np.ndarray,
    mapping: LoadedMapping | None,
    kinds: Mapping[str, PriceKind] | None,
) -> np.ndarray:
    """(lines, years): current prices of that year -> the case's price level; only years
    with actuals need an index (never invented for the rest: they stay 1 and hold 0)."""
    kind = {**line_kinds(case, mapping.mapping if mapping else None), **(kinds or {})}
    out = np.ones(observed.shape)
    for i, ln in enumerate(case.lines):
        for y in np.flatnonzero(observed[i]):
            out[i, y] = index.factor(kind[ln.id], int(years[y]), case.price_level)
    return out


def _outside(source: str, year: int, n: int, amount: float, case: Case) -> ImportFinding:
    from ..numbers import format_number

    msg = Msg.plural_of(
        "{n} postering dateret {year} ligger uden for casens horisont {first}-{last} og er "
        "ikke medregnet ({amount} kr.)",
        "{n} posteringer dateret {year} ligger uden for casens horisont {first}-{last} og er "
        "ikke medregnet ({amount} kr.)",
        n,
        year=year,
        first=case.horizon.first,
        last=case.horizon.last,
        amount=format_number(amount, 2),
    )
    return ImportFinding(source, None, "outside_horizon", msg)
