"""Results per payer and per perspective (docs/perspectives.md): the municipality (today's
result, untouched), the public sector as a whole and society including the citizens.

The municipal `Results` are computed from the municipal lines only (`Case.lines`); the lines of
other payers (`Case.other_lines`, split off when the case loads) are evaluated here with the
very parameter values of those results — the same draws in a Monte Carlo run — and summed by
payer. A perspective is a sum of payers; payback (the total basis) and NPV follow the same rules
as the municipality's (engine.finance), so the municipal perspective equals `Results` exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..case.payers import BUILTIN_PAYERS, KOMMUNE, PERSPECTIVES, is_public, payer_of
from ..case.schema import Case, Kind
from . import finance
from .resolve import evaluate
from .results import Results


def other_case(case: Case) -> Case | None:
    """The other payers' lines as a case of their own (to evaluate), or None if there are none."""
    if not case.other_lines:
        return None
    return case.model_copy(update={"lines": list(case.other_lines), "other_lines": []})


def has_payers(case: Case) -> bool:
    """Whether the case has more than one payer: only then are perspectives shown."""
    return bool(case.other_lines)


def evaluate_other(
    case: Case, overrides: Mapping[str, np.ndarray] | None = None, draws: int = 1
) -> Results | None:
    """The other payers' lines evaluated like any case (NonFiniteAmount indexes other_lines)."""
    oc = other_case(case)
    return None if oc is None else evaluate(oc, overrides, draws)


def payer_order(case: Case) -> tuple[str, ...]:
    """kommune, then the built-in and declared payers that have lines, in a fixed order."""
    present = {payer_of(ln) for ln in case.other_lines}
    return (KOMMUNE,) + tuple(
        p for p in (*BUILTIN_PAYERS[1:], *case.payers) if p in present and p != KOMMUNE
    )


def members(case: Case, payers: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """perspective -> the payers it sums."""
    return {
        "municipality": (KOMMUNE,),
        "public": tuple(p for p in payers if is_public(case, p)),
        "society": payers,
    }


@dataclass(frozen=True)
class Perspectives:
    """Net flows per payer (draws, payers, years) in the spending convention, and the sums per
    perspective. `results` are the municipality's, `other` those of the other payers' lines."""

    results: Results
    other: Results | None
    payers: tuple[str, ...]
    by_payer: np.ndarray
    members: Mapping[str, tuple[str, ...]]

    @property
    def case(self) -> Case:
        return self.results.case

    @property
    def years(self) -> np.ndarray:
        return self.results.years

    @property
    def multi(self) -> bool:
        return len(self.payers) > 1

    def flows(self, perspective: str) -> np.ndarray:
        """Net flow per draw and year of a perspective (or of one payer)."""
        if perspective == "municipality":
            return self.results.impact  # today's result, the same array
        names = self.members[perspective] if perspective in PERSPECTIVES else (perspective,)
        idx = [self.payers.index(p) for p in names]
        out = self.by_payer[:, idx, :].sum(axis=1)
        out.setflags(write=False)
        return out

    def total(self, perspective: str) -> np.ndarray:
        """Sum over the horizon, per draw."""
        return self.flows(perspective).sum(axis=-1)

    def cumulative(self, perspective: str) -> np.ndarray:
        return np.cumsum(self.flows(perspective), axis=-1)

    def payback(self, perspective: str) -> np.ndarray:
        if perspective == "municipality":
            return self.results.payback("total")
        return finance.payback_year(self.flows(perspective))

    def payback_fractional(self, perspective: str) -> np.ndarray:
        return finance.payback_fractional(self.flows(perspective))

    def npv(self, perspective: str) -> np.ndarray:
        if perspective == "municipality":
            return self.results.npv()
        d = self.case.discount
        return np.asarray(finance.npv(self.flows(perspective), d.rate, d.first_year_discounted))

    def selected(
        self, perspective: str, kinds: tuple[Kind, ...] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The perspective's lines of `kinds` (all when None): their summed flow per draw and
        year, and how many of them are non-zero in each year of draw 0 (a rounding budget)."""
        names = self.members.get(perspective, (perspective,))
        flow = np.zeros((self.results.draws, len(self.years)))
        count = np.zeros(len(self.years), dtype=int)
        for res in (self.results, self.other):
            if res is None:
                continue
            m = res.mask(kinds=kinds) & np.array(
                [payer_of(ln) in names for ln in res.case.lines], dtype=bool
            )
            flow = flow + m.astype(float) @ res.amounts
            count += (np.abs(res.amounts[0, m, :]) > 1e-9).sum(axis=0)
        return flow, count

    def line_amounts(self, line_id: str) -> np.ndarray | None:
        """A line's amounts (draws, years), wherever it belongs."""
        for res in (self.results, self.other):
            if res is not None:
                for i, ln in enumerate(res.case.lines):
                    if ln.id == line_id:
                        return res.amounts[:, i, :]
        return None

    def transfer_residuals(self) -> dict[str, np.ndarray]:
        """Transfer group -> the sum of its lines per draw and year (zero when it nets)."""
        out: dict[str, np.ndarray] = {}
        for name, ids in self.case.transfers.items():
            parts = [a for a in (self.line_amounts(i) for i in ids) if a is not None]
            out[name] = np.sum(parts, axis=0) if parts else np.zeros((1, len(self.years)))
        return out


def perspectives(res: Results, other: Results | None = None) -> Perspectives:
    """The perspectives of municipal results `res`: the other payers' lines are evaluated with
    the parameter values of `res` (every draw), unless their results are given."""
    case = res.case
    if other is None and case.other_lines:
        other = evaluate_other(case, dict(res.parameters), res.draws)
    payers = payer_order(case)
    by = np.zeros((res.draws, len(payers), len(res.years)))
    by[:, 0, :] = res.impact
    if other is not None:
        for i, ln in enumerate(other.case.lines):
            by[:, payers.index(payer_of(ln)), :] += other.amounts[:, i, :]
    by.setflags(write=False)
    return Perspectives(res, other, payers, by, members(case, payers))
