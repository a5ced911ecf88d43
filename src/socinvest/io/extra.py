"""Importing the rows of a table that are not flows of the case (docs/import.md, "Rows that
are not flows"):

- **Repayment to the pool** ("Tilbagebetaling til Investeringspuljen", an amount per year): a
  case file has no place for it — repayment terms live in the pool file — so it becomes a
  comment with the pool file's `repayment: {kind: schedule, amounts: …}` ready to paste.
  Never a line, never a payback figure.
- **External co-funding** ("Puljemidler fra Socialstyrelsen"): the part of the costs paid from
  outside. It becomes a pair of permanent lines: a cost with `funding: external` (+E, the
  externally paid costs) and an own saving "… (modpost)" (−E) that takes them out of the
  municipality's own lines. So all lines together still give the gross figures the table
  prints (E − E = 0), and the municipality's own net cost (lines without external funding)
  is gross − E, as the table's net row says.
- **Net budget** ("Samlet nettobudget"): a stated figure of all lines with `funding: own`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .emit import year_map
from .spec import LineSpec, StatedSpec, slug, unique

if TYPE_CHECKING:
    from ..checks.table.model import Row
    from .sources import Source


class ExtraRows:
    """Mixin of `merge.Builder`: repayment, co-funding and net rows."""

    lines: list[LineSpec]
    by_id: dict[str, LineSpec]
    stated: list[StatedSpec]
    comments: list[str]
    repayments: list[str]
    _ids: set[str]

    def spending(self, s: Source, i: int) -> dict[int, float]:  # pragma: no cover - Builder
        raise NotImplementedError

    def where(self, s: Source, r: Any) -> str:  # pragma: no cover - Builder
        raise NotImplementedError

    def extra_row(self, s: Source, t: int, r: Row) -> None:
        if r.kind == "repayment":
            self._repayment(s, r)
        elif r.kind == "external":
            self._external(s, t, r)
        elif r.kind == "net":
            self._net(s, t, r)

    def _repayment(self, s: Source, r: Row) -> None:
        amounts = {
            y: abs(p.value) for y, p in zip(s.table.years, r.amounts, strict=True) if p and p.value
        }
        if not amounts:
            self.comments.append(f"{self.where(s, r)}: '{r.label}' har ingen beløb")
            return
        self.repayments.append(
            f"- {self.where(s, r)} '{r.label}': "
            f"repayment: {{kind: schedule, amounts: {year_map(amounts, ranges=False)}}}"
        )

    def _external(self, s: Source, t: int, r: Row) -> None:
        amounts = {
            y: abs(p.value) for y, p in zip(s.table.years, r.amounts, strict=True) if p and p.value
        }
        if not amounts:
            return
        label = r.label
        base = slug(label)
        ext = LineSpec(
            id=unique(base, self._ids),
            label=label,
            kind="cost",
            category="permanent",
            amounts=amounts,
            origin=f"{self.where(s, r)} ({s.label})",
            funding="external",
            comments=[
                "ekstern medfinansiering: den del af udgifterne, som andre betaler; "
                "modposten nedenfor trækker den ud af kommunens egne linjer"
            ],
        )
        own = LineSpec(
            id=unique(f"{base}_modpost", self._ids),
            label=f"{label} (modpost)",
            kind="saving",
            category="permanent",
            amounts={y: -v for y, v in amounts.items()},
            origin=f"{self.where(s, r)} ({s.label})",
            row=label,
            comments=["modpost til den eksterne medfinansiering: kommunens egne udgifter − E"],
        )
        for ln in (ext, own):
            self.lines.append(ln)
            self.by_id[ln.id] = ln

    def _net(self, s: Source, t: int, r: Row) -> None:
        values = self.spending(s, t)
        if not values:
            return
        self.stated.append(
            StatedSpec(
                table=s.label,
                src=s.index,
                line=r.line,
                row=r.label,
                origin=f"{self.where(s, r)}: nettobudget = alle linjer uden ekstern finansiering",
                of="impact",
                funding="own",
                values=values,
                decimals=min([min(p.decimals, 6) for p in r.amounts if p is not None] or [0]),
            )
        )
