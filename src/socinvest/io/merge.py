"""From analysed tables to one case: lines, owners/allocations and stated figures.

Rules (docs/import.md explains them for users):

Lines. Each line row of a table becomes one line with explicit amounts, converted to the
spending convention with the sign convention the table check inferred. Its *category* is
investment when its section (or, without a section, the caption) speaks of
implementering/investering, else permanent. A permanent row is a saving when its spending
amounts are ≤ 0 (a cost when ≥ 0; by its label when all are 0); a row with both signs is split
into a cost line and a saving line shown in the same `row`.

Merging. Several tables of one document are merged per category. The *most detailed* table
(most line rows of the category; then most year columns; then input order) gives the lines.
Every row of the other tables is matched to those lines, in this order:

1. by label (markup, case, whitespace and a `, service`/`, anlæg` suffix ignored), when
   exactly one line has that label;
2. by section: a row labelled like a section of the detailed table ("Effektiviseringer")
   stands for all lines of that section, which get `row: <label>`;
3. by amounts: exactly one unmatched line has the same amounts in the row's years;
4. by remainder: the table's one unmatched row stands for the unmatched lines when its amounts
   are their sum (or when one line is left on each side);
5. otherwise the row becomes a line of its own, with a comment (check for double counting).

A matched row is kept as a stated figure of its lines, so `check` reports any disagreement;
the detailed table's amounts win. Area and pool marks are taken from whichever table has them.

Committee tables give owners and allocations: within a type group (Besparelse →
savings, Omkostninger → costs, else the table's category; only service lines when the caption
says service), a committee row whose amounts equal exactly one line's makes the committee its
owner; one row left that sums the lines left owns them all; several rows left and one line
left give its allocation (by the rows' keys, else by their amounts). Each committee row, key
and total is kept as a stated figure by committee. A committee table imported without
amount tables gives the lines itself (one per committee and type, owned by the committee).

Stated figures. Every total row becomes `values` of exactly the lines the table check inferred
the total sums (`of:` when those are all permanent/investment/all lines, else `lines:`); an
I alt cell becomes a `total` over the table's years; a key a `share`; a payback row a
`payback` with its `value`.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import Any

from ..checks.table.model import FLIPPED, Row
from ..checks.table.roles import SAVING as SAVING_NATURE
from ..checks.table.roles import is_saving, word_nature
from ..checks.table.shares import key_groups
from ..checks.table.text import AREA_SUFFIX, SAVING, clean
from ..checks.verdict import Verdict
from ..numbers import parse_years
from .extra import ExtraRows
from .sources import Source
from .spec import LineSpec, StatedSpec, clean_text, committee_id, slug, unique

_INVEST = re.compile(r"implementering|investering|engangs", re.IGNORECASE)
_COST = re.compile(r"omkostning|udgift", re.IGNORECASE)


def label_key(label: str) -> str:
    s = AREA_SUFFIX.sub("", clean_text(clean(label)))
    return re.sub(r"\s+", " ", s).strip(" .:").lower()


def plain_label(label: str) -> str:
    return AREA_SUFFIX.sub("", clean_text(clean(label))).strip()


def category(src: Source, r: Row) -> str:
    """investment or permanent. The row's own label decides first: a saving is permanent
    ("Brutto besparelser (ved investeringen)" under a caption saying investering), a label
    saying investering/implementering/engangs is an investment; then its section; then the
    caption."""
    if word_nature(r.label) == SAVING_NATURE:
        return "permanent"
    if _INVEST.search(re.sub(r"\([^()]*\)", " ", r.label)):
        return "investment"
    if r.section:
        if word_nature(r.section) == SAVING_NATURE:
            return "permanent"
        return "investment" if _INVEST.search(r.section) else "permanent"
    return "investment" if src.table.caption and _INVEST.search(src.table.caption) else "permanent"


def _equal(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


class _Unit:
    """The line(s) one row became (two when a mixed-sign row is split)."""

    def __init__(self, ids, key, section, src, amounts):
        self.ids: list[str] = ids
        self.key: str = key
        self.section: str | None = section
        self.src: int = src
        self.amounts: dict[int, float] = amounts


class Builder(ExtraRows):
    def __init__(self, sources: list[Source]) -> None:
        self.sources = sources
        self.lines: list[LineSpec] = []
        self.by_id: dict[str, LineSpec] = {}
        self.units: dict[str, list[_Unit]] = {"permanent": [], "investment": []}
        self.placed: dict[tuple[int, int], list[str]] = {}
        self.selection_override: dict[tuple[int, int], list[str]] = {}
        self.stated: list[StatedSpec] = []
        self.comments: list[str] = []
        self.committees: dict[str, str] = {}  # name -> id
        self._ids: set[str] = set()
        self._cids: set[str] = set()
        self.repayments: list[str] = []  # comments: pool repayment schedules

    # -- amounts ------------------------------------------------------------------------

    def spending(self, s: Source, i: int) -> dict[int, float]:
        """A row's printed cells in the spending convention, by year (blank cells left out)."""
        r = s.table.rows[i]
        an = s.analysis
        if r.kind == "total":
            ev = an.evals.get(i)
            f = ev.factor if ev is not None else 1.0
        else:
            f = an.signs[i]
        if an.sign == FLIPPED:
            f = -1.0
        return {y: f * p.value + 0.0 for y, p in zip(s.table.years, r.amounts, strict=True) if p}

    def where(self, s: Source, r: Row) -> str:
        return f"{s.name} linje {r.line}"

    # -- lines --------------------------------------------------------------------------

    def build(self) -> None:
        plain = [s for s in self.sources if not s.table.has_committee]
        committee = [s for s in self.sources if s.table.has_committee]
        for cat in ("permanent", "investment"):
            rows = {
                s.index: [
                    (i, r)
                    for i, r in enumerate(s.table.rows)
                    if r.kind == "line" and category(s, r) == cat
                ]
                for s in plain
            }
            order = sorted(
                (s for s in plain if rows[s.index]),
                key=lambda s: (-len(rows[s.index]), -len(s.table.years), s.index),
            )
            for n, s in enumerate(order):
                if n == 0:
                    for i, r in rows[s.index]:
                        self.add_line(s, i, r, cat)
                else:
                    self.match_table(s, rows[s.index], cat, order[0])
        for s in committee:
            if plain:
                self.committee_table(s)
            else:
                self.committee_lines(s)
        for s in self.sources:
            self.table_figures(s)
            for u in s.table.unreadable:
                col = u.year if u.year is not None else u.column
                self.comments.append(
                    f"{s.name} linje {u.line}: cellen '{u.text}' ('{u.row}', {col}) kan ikke "
                    "læses som et tal og er ikke importeret"
                )

    def add_line(self, s: Source, i: int, r: Row, cat: str, **extra) -> _Unit:
        amounts = self.spending(s, i)
        label = plain_label(r.label)
        base = slug(label)
        common: dict[str, Any] = dict(
            label=label,
            category=cat,
            origin=f"{self.where(s, r)} ({s.label})",
            area=r.area,
            funding="pool" if r.pool else "own",
        )
        common.update(extra)
        if cat == "investment":
            parts = [("investment", amounts)]
        else:
            pos = {y: v for y, v in amounts.items() if v > 0}
            neg = {y: v for y, v in amounts.items() if v < 0}
            if pos and neg:
                parts = [("cost", pos), ("saving", neg)]
            elif neg:
                parts = [("saving", amounts)]
            elif pos:
                parts = [("cost", amounts)]
            else:
                parts = [("saving" if is_saving(r) else "cost", amounts)]
        ids = []
        for kind, am in parts:
            lid = unique(base if kind == parts[0][0] else f"{base}_{kind}", self._ids)
            ln = LineSpec(id=lid, kind=kind, amounts=am, **common)
            if len(parts) > 1:
                ln.row = label
                ln.comments.append(
                    "rækken har både positive og negative beløb og er delt i en "
                    "omkostnings- og en besparelseslinje"
                )
            self.lines.append(ln)
            self.by_id[lid] = ln
            ids.append(lid)
        unit = _Unit(ids, label_key(r.label), r.section and label_key(r.section), s.index, amounts)
        self.units[cat].append(unit)
        self.placed[(s.index, i)] = ids
        return unit

    def match_table(self, s: Source, rows: list[tuple[int, Row]], cat: str, main: Source) -> None:
        """Match the rows of a less detailed table to the lines (rules 1-5 above)."""
        units = self.units[cat]
        claimed: set[int] = set()  # id() of units claimed by this table's rows
        matched: dict[int, list[_Unit]] = {}
        how: dict[int, str] = {}
        free = lambda: [u for u in units if id(u) not in claimed]  # noqa: E731

        def claim(i: int, us: list[_Unit], why: str) -> None:
            matched[i] = us
            how[i] = why
            claimed.update(id(u) for u in us)

        for i, r in rows:  # 1. label
            c = [u for u in free() if u.key == label_key(r.label)]
            if len(c) == 1:
                claim(i, c, "samme rækketekst")
        for i, r in rows:  # 2. section
            if i in matched:
                continue
            key = label_key(r.label)
            by_src = defaultdict(list)
            for u in free():
                if u.section == key:
                    by_src[u.src].append(u)
            if by_src:
                claim(i, by_src[min(by_src)], f"afsnittet '{plain_label(r.label)}'")
        years = s.table.years
        for i, _r in rows:  # 3. amounts
            if i in matched:
                continue
            mine = self.spending(s, i)
            if not any(mine.values()):
                continue
            c = [u for u in free() if _same(mine, u.amounts, years)]
            if len(c) == 1:
                claim(i, c, "samme beløb")
        left = [(i, r) for i, r in rows if i not in matched]
        if len(left) == 1 and free():  # 4. remainder
            i, r = left[0]
            rest = free()
            total = _sum([u.amounts for u in rest])
            if len(rest) == 1 or _same(self.spending(s, i), total, years):
                claim(i, rest, "den eneste række tilbage")
        for i, r in rows:
            if i in matched:
                self.matched_row(s, i, r, matched[i], how[i])
            else:  # 5. a line of its own
                u = self.add_line(s, i, r, cat)
                for lid in u.ids:
                    self.by_id[lid].comments.append(
                        f"findes ikke i {main.label}; tjek, at beløbet ikke tælles med to gange"
                    )

    def matched_row(self, s: Source, i: int, r: Row, units: list[_Unit], why: str) -> None:
        ids = [lid for u in units for lid in u.ids]
        self.placed[(s.index, i)] = ids
        lines = [self.by_id[lid] for lid in ids]
        if len(units) > 1:
            for ln in lines:
                ln.row = ln.row or plain_label(r.label)
        for ln in lines:
            if r.pool:
                ln.funding = "pool"
            if r.area and ln.area is None:
                ln.area = r.area
            elif r.area and ln.area != r.area:
                ln.comments.append(f"{self.where(s, r)} angiver styringsområdet {r.area}")
        values = self.spending(s, i)
        if values:
            self.stated.append(
                StatedSpec(
                    table=s.label,
                    src=s.index,
                    line=r.line,
                    row=r.label,
                    origin=f"{self.where(s, r)}: samme linje(r) som i en mere detaljeret "
                    f"tabel ({why})",
                    lines=ids,
                    values=values,
                    decimals=_decimals(r),
                )
            )

    # -- committee tables ---------------------------------------------------------------

    def committee(self, name: str) -> str:
        if name not in self.committees:
            self.committees[name] = committee_id(name, self._cids)
        return self.committees[name]

    def committee_lines(self, s: Source) -> None:
        """A committee table on its own: each committee row is a line owned by the committee."""
        cat = "investment" if _INVEST.search(s.table.caption or "") else "permanent"
        for i, r in enumerate(s.table.rows):
            if r.kind == "line":
                self.add_line(s, i, r, cat, owner=self.committee(r.committee or r.label))
        for typ, members in key_groups(s.table).items():
            ids = [lid for r in members for lid in self._ids_of(s, r)]
            self._keys(s, members, ids, typ)

    def _ids_of(self, s: Source, r: Row) -> list[str]:
        i = self._row_index(s)[id(r)]
        return self.placed.get((s.index, i), [])

    def _row_index(self, s: Source) -> dict[int, int]:
        """Row object id -> index, once per table (not a search per row)."""
        cache = self.__dict__.setdefault("_row_pos", {})
        if s.index not in cache:
            cache[s.index] = {id(x): i for i, x in enumerate(s.table.rows)}
        return cache[s.index]

    def committee_table(self, s: Source) -> None:
        cat = "investment" if _INVEST.search(s.table.caption or "") else "permanent"
        service_only = "service" in (s.table.caption or "").lower()
        years = s.table.years
        for typ, members in key_groups(s.table).items():
            if typ and SAVING.search(typ):
                kinds = {"saving"}
            elif typ and _COST.search(typ):
                kinds = {"cost"}
            else:
                kinds = {"investment"} if cat == "investment" else {"cost", "saving"}
            group = [
                ln
                for ln in self.lines
                if ln.category == cat
                and ln.kind in kinds
                and (not service_only or (ln.area or "service") == "service")
            ]
            ids = [ln.id for ln in group]
            pos = self._row_index(s)
            rows = [(pos[id(r)], r) for r in members if r.kind == "line"]
            self._assign(s, rows, group, years)
            for r in members:
                if r.kind == "total":
                    self.selection_override[(s.index, pos[id(r)])] = ids
            if not ids:
                self.comments.append(
                    f"{s.label}: ingen linjer at fordele for typen '{typ or 'alle'}' – udvalgenes "
                    "tal er ikke importeret"
                )
                continue
            for i, r in rows:
                values = self.spending(s, i)
                if values:
                    self.stated.append(
                        StatedSpec(
                            table=s.label,
                            src=s.index,
                            line=r.line,
                            row=r.label,
                            origin=f"{self.where(s, r)}: udvalgets del af linjerne",
                            committee=self.committee(r.committee or r.label),
                            lines=ids,
                            values=values,
                            decimals=_decimals(r),
                        )
                    )
            self._keys(s, members, ids, typ)

    def _assign(self, s: Source, rows, group: list[LineSpec], years) -> None:
        """Owners and allocations from a committee table's rows (see the module docstring)."""
        free = [ln for ln in group if ln.owner is None and ln.allocation is None]
        left = []
        for i, r in rows:
            mine = self.spending(s, i)
            c = [ln for ln in free if any(mine.values()) and _same(mine, ln.amounts, years)]
            if len(c) == 1:
                c[0].owner = self.committee(r.committee or r.label)
                free.remove(c[0])
            else:
                left.append((i, r))
        if not left or not free:
            return
        if len(left) == 1:
            i, r = left[0]
            if len(free) == 1 or _same(
                self.spending(s, i), _sum([ln.amounts for ln in free]), years
            ):
                for ln in free:
                    ln.owner = self.committee(r.committee or r.label)
                return
        elif len(free) == 1:
            keys = [r.key.value for _, r in left if r.key is not None]
            weights: list[float]
            if len(keys) == len(left) and sum(keys) > 0:
                weights = keys
            else:
                weights = [sum(self.spending(s, i).values()) for i, _ in left]
            tot = math.fsum(weights)
            if tot and all(w / tot >= 0 for w in weights):
                alloc: dict[str, float] = {}
                for (_, r), w in zip(left, weights, strict=True):
                    cid = self.committee(r.committee or r.label)
                    alloc[cid] = alloc.get(cid, 0.0) + w / tot
                free[0].allocation = alloc
                free[0].comments.append(f"fordelingsnøgle fra {s.label}")
                return
        self.comments.append(
            f"{s.label}: udvalgsrækkerne "
            + ", ".join(f"'{r.label}' (linje {r.line})" for _, r in left)
            + " kunne ikke knyttes til bestemte linjer; linjerne har intet udvalg"
        )

    def _keys(self, s: Source, members: list[Row], ids: list[str], typ) -> None:
        years = f"{min(s.table.years)}-{max(s.table.years)}"
        for r in members:
            if r.key is None:
                continue
            if r.kind == "total":
                self.comments.append(
                    f"{self.where(s, r)}: nøglen {clean_pct(r.key.value)} for '{r.label}' er "
                    "summen af udvalgenes nøgler og kan ikke angives i en case-fil"
                )
                continue
            if not ids:
                continue
            if not 0 <= r.key.value <= 1:
                self.comments.append(
                    f"{self.where(s, r)}: nøglen {clean_pct(r.key.value)} for '{r.label}' ligger "
                    "uden for 0-100 % og er ikke med som angivet tal"
                )
                continue
            self.stated.append(
                StatedSpec(
                    table=s.label,
                    src=s.index,
                    line=r.line,
                    row=r.label,
                    origin=f"{self.where(s, r)}: fordelingsnøgle",
                    committee=self.committee(r.committee or r.label),
                    lines=ids,
                    share=r.key.value,
                    years=years,
                    decimals=max(r.key.decimals - 2, 0),
                )
            )

    # -- totals, I alt, payback ---------------------------------------------------------

    def selection(self, s: Source, t: int) -> list[str] | None:
        if (s.index, t) in self.selection_override:
            return self.selection_override[(s.index, t)]
        r = s.table.rows[t]
        if r.kind != "total":
            return self.placed.get((s.index, t))
        ev = s.analysis.evals.get(t)
        if ev is None:
            return None
        ids: list[str] = []
        for p in ev.parts:
            sub = self.selection(s, p)
            if sub is None:
                return None
            ids += [x for x in sub if x not in ids]
        return ids

    def table_figures(self, s: Source) -> None:
        span = f"{min(s.table.years)}-{max(s.table.years)}"
        for t, r in enumerate(s.table.rows):
            if r.kind == "payback":
                self.payback(s, r)
                continue
            if r.kind in ("repayment", "external", "net"):
                self.extra_row(s, t, r)
                continue
            if r.kind not in ("total", "line"):
                continue
            sel = self.selection(s, t)
            if r.kind == "total":
                values = self.spending(s, t)
                if sel is None or (not sel and values):
                    self.comments.append(
                        f"{self.where(s, r)}: totalen '{r.label}' har ingen rækker over sig, "
                        "der kunne importeres, og er ikke med som angivet tal"
                    )
                    continue
                values, dropped = self._total_years(s, t, values)
                if dropped:
                    self.comments.append(
                        f"{self.where(s, r)}: '{r.label}' er summen af totaler; i "
                        + ", ".join(map(str, dropped))
                        + " afviger en af dem fra sine rækker (det rapporteres dér), og året er "
                        "ikke med, så fejlen ikke tælles to gange"
                    )
                if values and sel:
                    self.stated.append(
                        StatedSpec(
                            table=s.label,
                            src=s.index,
                            line=r.line,
                            row=r.label,
                            origin=f"{self.where(s, r)}: total",
                            lines=sel,
                            values=values,
                            decimals=_decimals(r),
                        )
                    )
            if r.i_alt_cell is not None and sel:
                f = -1.0 if s.analysis.sign == FLIPPED else 1.0
                if r.kind == "total":
                    ev = s.analysis.evals.get(t)
                    f *= ev.factor if ev is not None else 1.0
                else:
                    f *= s.analysis.signs[t]
                self.stated.append(
                    StatedSpec(
                        table=s.label,
                        src=s.index,
                        line=r.line,
                        row=r.label,
                        origin=f"{self.where(s, r)}: I alt {span}",
                        lines=sel,
                        total=f * r.i_alt_cell.value + 0.0,
                        years=span,
                        decimals=r.i_alt_cell.decimals,
                    )
                )

    def _total_years(self, s: Source, t: int, values: dict[int, float]):
        """A total of totals (kind "c") is compared by the table check with its printed
        sub-totals, by the case check with the lines. Where they differ - a sub-total that is
        itself off - and the total matches its sub-totals, the year is left out: the table
        check reports nothing there, and the error is reported at the sub-total."""
        ev = s.analysis.evals.get(t)
        if ev is None or ev.kind != "c":
            return values, []
        status = {col: st for (col, *_), st in zip(ev.cells, ev.statuses, strict=True)}
        years = s.table.years
        dropped = [
            years[col]
            for col in status
            if status[col] is Verdict.MATCH and not all(self._exact(s, p, col) for p in ev.parts)
        ]
        return {y: v for y, v in values.items() if y not in dropped}, dropped

    def _exact(self, s: Source, t: int, col: int) -> bool:
        """The total row `t` equals the sum of its lines exactly in column `col`."""
        ev = s.analysis.evals.get(t)
        if ev is None:
            return False
        rows = s.table.rows
        if rows[t].amounts[col] is None:  # blank: exact when everything it sums is 0 or blank
            return all(
                ((cell := rows[p].amounts[col]) is None or cell.value == 0)
                and (rows[p].kind == "line" or self._exact(s, p, col))
                for p in ev.parts
            )
        status = {c: st for (c, *_), st in zip(ev.cells, ev.statuses, strict=True)}
        if status.get(col) is not Verdict.MATCH:
            return False
        return ev.kind != "c" or all(self._exact(s, p, col) for p in ev.parts)

    def payback(self, s: Source, r: Row) -> None:
        from ..checks.table.payback import basis_of

        where = self.where(s, r)
        if not r.stated:
            self.comments.append(f"{where}: '{r.label}' har ingen værdi og er ikke importeret")
            return
        v = parse_years(r.stated)
        if v is None:
            self.comments.append(
                f"{where}: '{r.stated}' ('{r.label}') kan ikke læses som et antal år"
            )
            return
        if v != int(v):
            self.comments.append(
                f"{where}: '{r.label}' er angivet som {r.stated}; en case-fil sammenligner kun "
                "hele tilbagebetalingsår, så tallet er ikke med som angivet tal"
            )
            return
        self.stated.append(
            StatedSpec(
                table=s.label,
                src=s.index,
                line=r.line,
                row=r.label,
                origin=f"{where}: tilbagebetalingstid, år 1 = {min(s.table.years)}",
                payback=basis_of(r.label),
                value=v,
            )
        )


def clean_pct(v: float) -> str:
    return f"{round(v * 100, 4):g} %"


def _decimals(r: Row) -> int:
    """The row's printed decimals, at most 6 (a case states no finer figure; finer printing
    only makes the tolerance smaller than a case can express)."""
    ds = [p.decimals for p in r.amounts if p is not None]
    return min(min(ds), 6) if ds else 0


def _sum(amounts: list[dict[int, float]]) -> dict[int, float]:
    out: dict[int, float] = defaultdict(float)
    for a in amounts:
        for y, v in a.items():
            out[y] += v
    return dict(out)


def _same(a: dict[int, float], b: dict[int, float], years) -> bool:
    """Equal in the given years (a missing year is 0)."""
    return all(_equal(a.get(y, 0.0), b.get(y, 0.0)) for y in years)
