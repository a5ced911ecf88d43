"""Results of a case: amounts per draw, line and year, and the template's totals.

All totals are selections of lines summed with a mask, so "totals equal the sum of their rows"
holds by construction, and every quantity keeps the leading draw axis.

Every total, cumulative sum and present value is checked to be finite: lines whose amounts are
each finite may still add up beyond the largest float. Such a sum raises `TotalOverflow` (an
InputError, exit 2) naming the total, the year and the largest line, so that no face ever
shows `inf` or crashes on it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from ..case.schema import Area, Case, Funding, Kind
from ..errors import InputError
from ..i18n import N_, Msg
from . import finance

PERMANENT = (Kind.COST, Kind.SAVING)
UNALLOCATED = "_"
BASES = ("service", "total", "own")
"""Payback bases: Service lines only, all lines, and the municipality's own money (all lines
not funded by an external grant)."""

WHAT = {
    "line": N_("linjens beløb"),
    "lines": N_("summen af de udvalgte linjer"),
    "impact": N_("samlet økonomisk påvirkning"),
    "cumulative": N_("den akkumulerede nettoeffekt"),
    "npv": N_("nutidsværdien"),
    "committees": N_("fordelingen på udvalg"),
}


class TotalOverflow(InputError):
    """A total of finite line amounts that is not finite (beyond about 1,8e308): the amounts
    are far too large for any budget (usually the wrong unit or a misplaced exponent)."""

    def __init__(self, what: str, year: int | None, line: str) -> None:
        super().__init__(
            Msg(
                "{what} kan ikke beregnes{when}: tallet bliver uendeligt (over 1,8e308); den "
                "største linje er '{line}' – kontrollér linjernes beløb og casens enhed",
                what=Msg(WHAT[what]),
                when=Msg(" for {year}", year=year) if year is not None else "",
                line=line,
            )
        )
        self.what = what
        self.year = year
        self.line = line


class ReadOnlyMapping(Mapping[str, np.ndarray]):
    """A mapping that cannot be changed (and, unlike MappingProxyType, can be pickled: results
    travel back from Dask workers)."""

    __slots__ = ("_items",)
    _items: dict[str, np.ndarray]

    def __init__(self, items: Mapping[str, np.ndarray] | None = None) -> None:
        object.__setattr__(self, "_items", dict(items or {}))

    def __getitem__(self, key: str) -> np.ndarray:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("read-only")

    def __getstate__(self) -> dict[str, np.ndarray]:
        return self._items

    def __setstate__(self, state: dict[str, np.ndarray]) -> None:
        object.__setattr__(self, "_items", state)

    def __repr__(self) -> str:
        return f"ReadOnlyMapping({self._items!r})"


def _frozen(a: np.ndarray) -> np.ndarray:
    """`a` made read-only (a view of it if it is still writable elsewhere)."""
    if a.flags.writeable:
        a = a.view()
        a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Results:
    """What `evaluate` computed, and what it computed it from. Every array is read-only."""

    case: Case
    years: np.ndarray  # (years,)
    amounts: np.ndarray  # (draws, lines, years), spending convention, case unit
    allocation: np.ndarray  # (lines, committees), rows sum to 1
    committees: tuple[str, ...]
    parameters: Mapping[str, np.ndarray] = field(default_factory=ReadOnlyMapping)
    """name -> (draws, years): the value of every case parameter in each draw (overrides
    included), so that a report on a draw shows that draw's values."""

    @classmethod
    def build(
        cls,
        case: Case,
        years: np.ndarray,
        amounts: np.ndarray,
        parameters: Mapping[str, np.ndarray] | None = None,
    ) -> Results:
        committees = tuple(case.committees)
        if any(ln.owner is None and ln.allocation is None for ln in case.lines):
            committees = committees + (UNALLOCATED,)
        alloc = np.zeros((len(case.lines), len(committees)))
        for i, ln in enumerate(case.lines):
            if ln.allocation is not None:
                for c, share in ln.allocation.items():
                    alloc[i, committees.index(c)] = share
            else:
                alloc[i, committees.index(ln.owner or UNALLOCATED)] = 1.0
        if not np.isfinite(amounts).all():
            _d, i, y = np.argwhere(~np.isfinite(amounts))[0]
            raise TotalOverflow("line", int(np.asarray(years)[y]), case.lines[i].label)
        amounts.setflags(write=False)
        alloc.setflags(write=False)
        params = ReadOnlyMapping({k: _frozen(v) for k, v in (parameters or {}).items()})
        return cls(case, _frozen(np.asarray(years)), amounts, alloc, committees, params)

    @property
    def draws(self) -> int:
        return self.amounts.shape[0]

    # -- selection ------------------------------------------------------------------------

    def mask(
        self,
        kinds: tuple[Kind, ...] | None = None,
        areas: tuple[Area, ...] | None = None,
        funding: tuple[Funding, ...] | None = None,
        lines: tuple[str, ...] | None = None,
    ) -> np.ndarray:
        m = np.ones(len(self.case.lines), dtype=bool)
        for i, ln in enumerate(self.case.lines):
            if kinds is not None and ln.kind not in kinds:
                m[i] = False
            if areas is not None and ln.area not in areas:
                m[i] = False
            if funding is not None and ln.funding not in funding:
                m[i] = False
            if lines is not None and ln.id not in lines:
                m[i] = False
        return m

    def _finite(self, a: np.ndarray, what: str, per_year: bool = True) -> np.ndarray:
        """`a`, checked to be finite; else TotalOverflow naming `what`, the first year that
        overflows (when `a` is per year) and the line with the largest amount there."""
        if np.isfinite(a).all():
            return a
        year = None
        size = np.abs(self.amounts).max(axis=(0, 2))  # (lines,)
        if per_year:
            j = int(np.argmax((~np.isfinite(a)).reshape(-1, a.shape[-1]).any(axis=0)))
            year = int(self.years[j])
            size = np.abs(self.amounts[:, :, j]).max(axis=0)
        raise TotalOverflow(what, year, self.case.lines[int(np.argmax(size))].label)

    def total(self, committee: str | None = None, **select) -> np.ndarray:
        """Sum of the selected lines per draw and year, optionally a committee's share."""
        weights = self.mask(**select).astype(float)
        if committee is not None:
            weights = weights * self.allocation[:, self.committees.index(committee)]
        with np.errstate(over="ignore", invalid="ignore"):
            out = weights @ self.amounts  # (lines,) @ (draws, lines, years) -> (draws, years)
        return self._finite(out, "lines")

    def by_committee_array(self, **select) -> np.ndarray:
        """All committees at once: (draws, committees, years), in `self.committees` order."""
        weights = self.allocation * self.mask(**select)[:, None]
        with np.errstate(over="ignore", invalid="ignore"):
            out = np.matmul(weights.T, self.amounts)
        return self._finite(out, "committees")

    # -- the template's totals (Copenhagen) -----------------------------------------------

    @property
    def permanent(self) -> np.ndarray:
        """Samlet varig ændring."""
        return self.total(kinds=PERMANENT)

    @property
    def investment(self) -> np.ndarray:
        """Samlede implementeringsomkostninger."""
        return self.total(kinds=(Kind.INVESTMENT,))

    @property
    def impact(self) -> np.ndarray:
        """Samlet økonomisk påvirkning = varige ændringer + investeringer."""
        with np.errstate(over="ignore", invalid="ignore"):
            out = self.amounts.sum(axis=1)
        return self._finite(out, "impact")

    @property
    def own_net(self) -> np.ndarray:
        """The municipality's own net cost: everything not paid by external grants."""
        return self.total(funding=(Funding.OWN, Funding.POOL))

    def by_area(self) -> dict[Area, np.ndarray]:
        return {a: self.total(areas=(a,)) for a in Area if self.mask(areas=(a,)).any()}

    def by_committee(self, **select) -> dict[str, np.ndarray]:
        return {c: self.total(committee=c, **select) for c in self.committees}

    def by_funding(self) -> dict[Funding, np.ndarray]:
        return {f: self.total(funding=(f,)) for f in Funding if self.mask(funding=(f,)).any()}

    @property
    def has_external(self) -> bool:
        """Whether any line is funded by an external grant: only then is the own-money basis
        different from the total one, and shown."""
        return bool(self.mask(funding=(Funding.EXTERNAL,)).any())

    def basis_flows(self, basis: str) -> np.ndarray:
        """Net flows for payback: 'service' = Service lines only, 'total' = all lines, 'own' =
        the municipality's own money (lines funded own or by the pool; not external)."""
        if basis == "service":
            return self.total(areas=(Area.SERVICE,))
        if basis == "total":
            return self.impact
        if basis == "own":
            return self.own_net
        raise ValueError(f"unknown payback basis {basis!r}")

    # -- finance -------------------------------------------------------------------------

    def payback(self, basis: str = "service") -> np.ndarray:
        return finance.payback_year(self.basis_flows(basis))

    def payback_fractional(self, basis: str = "service") -> np.ndarray:
        return finance.payback_fractional(self.basis_flows(basis))

    def payback_discounted(self, basis: str = "service") -> np.ndarray:
        d = self.case.discount
        return finance.payback_discounted(self.basis_flows(basis), d.rate, d.first_year_discounted)

    def npv(self, rate: float | None = None, basis: str = "total") -> np.ndarray:
        d = self.case.discount
        r = d.rate if rate is None else rate
        with np.errstate(over="ignore", invalid="ignore"):
            out = finance.npv(self.basis_flows(basis), r, d.first_year_discounted)
        return self._finite(np.asarray(out), "npv", per_year=False)

    def cumulative(self, basis: str = "total") -> np.ndarray:
        with np.errstate(over="ignore", invalid="ignore"):
            out = np.cumsum(self.basis_flows(basis), axis=-1)
        return self._finite(out, "cumulative")
