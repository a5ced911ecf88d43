"""The pool's tables as document blocks: the pool per year, the applications, the risk, and
the selection. Every number comes from a bundle and is formatted here, once, in `lang`."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from ...i18n import translator
from ...pool.ledger import Ledger
from ...pool.portfolio import Selection
from ...pool.risk import Projection
from ..document.model import Cell, RowStyle, Table, TableRow
from .labels import BASIS, KIND, LABELS, STATUS
from .text import num, word

Value = str | float | int | None
Caption = Callable[[int, str], str]
"""(number, title) -> 'Tabel 3. Title (1.000 kr. 2017 p/l)'."""


def _cell(v: Value, decimals: int, lang: str) -> Cell:
    if v is None or isinstance(v, str):
        return Cell(v or "")
    f = float(v)
    if math.isnan(f):
        return Cell("")
    return Cell(num(f, decimals, lang), f)


def table(
    key: str,
    number: int,
    caption: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Value]],
    lang: str,
    note: str | None = None,
    decimals: int = 0,
    styles: Sequence[RowStyle] | None = None,
) -> Table:
    """A numbered table; a column is numeric when any of its cells is a number."""
    ncol = len(header)
    numeric = tuple(
        any(isinstance(r[j], float | int) for r in rows if j < len(r)) for j in range(ncol)
    )
    body = tuple(
        TableRow(
            tuple(_cell(v, decimals, lang) for v in r),
            styles[i] if styles is not None else "line",
        )
        for i, r in enumerate(rows)
    )
    widths = (4.0,) + (1.0,) * (ncol - 1)
    return Table(key, number, caption, tuple(header), body, numeric, widths, note)


def _nan(v: float) -> float | None:
    return None if v is None or math.isnan(v) else float(v)


def pool_rows(ledger: Ledger, lang: str, draw: int = 0) -> tuple[list[list[Value]], list[str]]:
    """The pool per year: opening, capital, injections, grants (negative), repayments,
    closing; and the header."""
    tr = translator(lang)
    rows: list[list[Value]] = [
        [tr(LABELS["r_opening"]), *ledger.opening[draw]],
        [tr(LABELS["r_capital"]), *ledger.capital],
        [tr(LABELS["r_injections"]), *ledger.injections],
        [tr(LABELS["r_grants"]), *(-ledger.grants)],
        [tr(LABELS["r_repayments"]), *ledger.repayments[draw]],
        [tr(LABELS["r_closing"]), *ledger.closing[draw]],
    ]
    return rows, ["", *(str(y) for y in ledger.years)]


def case_tables(
    ledger: Ledger, numbers: Sequence[int], caption: Caption, lang: str, draw: int = 0
) -> list[Table]:
    """The applications: granted, repaid and outstanding; repayment and outstanding per year.
    `caption` words a table's number and title as its caption."""
    tr = translator(lang)
    years = [str(y) for y in ledger.years]
    rows: list[list[Value]] = []
    for c in ledger.cases:
        status = tr(STATUS[c.app.decision.status.value])
        if not c.included:
            status = tr("{status} (ikke med)", status=status)
        ry = _nan(float(c.repaid_year[draw]))
        rows.append(
            [
                c.id,
                status,
                tr(KIND[c.app.repayment.kind]),
                float(c.granted.sum()),
                float(c.repaid[draw].sum()),
                float(c.outstanding[draw, -1]),
                None if ry is None else str(int(ry)),
                tr(LABELS["yes"] if c.on_schedule[draw] else LABELS["no"]),
            ]
        )
    header = [
        tr(LABELS["c_application"]),
        tr(LABELS["c_status"]),
        tr(LABELS["c_repayment"]),
        tr(LABELS["c_granted"]),
        tr(LABELS["c_repaid"]),
        tr(LABELS["c_outstanding"], year=int(ledger.years[-1])),
        tr(LABELS["c_repaid_year"]),
        tr(LABELS["c_on_schedule"]),
    ]
    n1, n2, n3 = numbers
    app = tr(LABELS["c_application"])
    return [
        table(
            "cases",
            n1,
            caption(n1, tr(LABELS["t_cases"])),
            header,
            rows,
            lang,
            note=tr(LABELS["n_cases"]),
        ),
        table(
            "repaid",
            n2,
            caption(n2, tr(LABELS["t_repaid"])),
            [app, *years],
            [[c.id, *c.repaid[draw]] for c in ledger.cases],
            lang,
        ),
        table(
            "outstanding",
            n3,
            caption(n3, tr(LABELS["t_outstanding"])),
            [app, *years],
            [[c.id, *c.outstanding[draw]] for c in ledger.cases],
            lang,
        ),
    ]


def risk_tables(
    proj: Projection, numbers: Sequence[int], caption: Caption, lang: str
) -> list[Table]:
    """P5/P50/P95 of the closing balance and P(negative) per year; risk per application."""
    tr = translator(lang)
    q, pneg = proj.balance_percentiles(), proj.p_negative()
    n1, n2 = numbers
    title = tr(
        "Risiko: saldo ultimo ({draws} trækninger, frø {seed})",
        draws=num(proj.draws, 0, lang),
        seed=proj.seed,
    )
    balance = table(
        "risk_balance",
        n1,
        caption(n1, title),
        ["", *(str(y) for y in proj.base.years)],
        [
            ["P5", *q["p5"]],
            [tr(LABELS["r_p50"]), *q["p50"]],
            ["P95", *q["p95"]],
            [tr(LABELS["r_p_negative"]), *[100 * p for p in pneg]],
        ],
        lang,
    )
    p_on, p_rep, e_rep = proj.p_on_schedule(), proj.p_repaid(), proj.expected_repaid()
    per_case = table(
        "risk_cases",
        n2,
        caption(n2, tr(LABELS["t_risk_cases"])),
        [
            tr(LABELS["c_application"]),
            tr(LABELS["c_repayment"]),
            tr(LABELS["c_p_on_schedule"]),
            tr(LABELS["c_p_repaid"]),
            tr(LABELS["c_expected_repaid"]),
            tr(LABELS["c_granted"]),
        ],
        [
            [
                c.id,
                tr(KIND[c.app.repayment.kind]),
                100 * p_on[c.id],
                100 * p_rep[c.id],
                e_rep[c.id],
                float(c.granted.sum()),
            ]
            for c in proj.base.cases
        ],
        lang,
        note=tr(LABELS["n_risk_cases"]),
    )
    return [balance, per_case]


def selection_tables(
    sel: Selection, numbers: Sequence[int], caption: Caption, lang: str
) -> list[Table]:
    """The applications compared, the choice and why, and the capital the chosen use."""
    tr = translator(lang)
    rows = sel.rows
    basis = rows[0].basis if rows else "total"
    n1, n2, n3 = numbers
    compare = table(
        "compare",
        n1,
        caption(n1, tr(LABELS["t_compare"])),
        [
            tr(LABELS["c_application"]),
            tr(LABELS["c_status"]),
            tr(LABELS["c_investment"]),
            tr(LABELS["c_grant"]),
            tr(LABELS["c_external"]),
            tr(LABELS["c_own_net"]),
            tr(LABELS["c_pb_service"]),
            tr(LABELS["c_pb_total"]),
            tr(LABELS["c_npv"]),
            tr(LABELS["c_expected_npv"]),
            tr(LABELS["c_roi"]),
            tr(LABELS["c_p_target"], basis=tr(BASIS[basis])),
        ],
        [
            [
                r.id,
                tr(STATUS[r.status]),
                r.investment,
                r.grant,
                r.external,
                r.own_net,
                _nan(r.payback_service),
                _nan(r.payback_total),
                r.npv,
                r.expected_npv,
                _nan(r.roi),
                None if r.p_payback_target is None else 100 * r.p_payback_target,
            ]
            for r in rows
        ],
        lang,
        note=tr(LABELS["n_compare"]),
        decimals=2,
    )
    choice = table(
        "choice",
        n2,
        caption(n2, tr(LABELS["t_choice"])),
        [
            tr(LABELS["c_application"]),
            tr(LABELS["c_in"]),
            tr(LABELS["c_value"]),
            tr(LABELS["c_why"]),
            tr(LABELS["c_alternative"]),
        ],
        [
            [
                c.id,
                tr(LABELS["yes"] if c.selected else LABELS["no"]),
                c.value,
                word(c.reason, lang),
                word(c.alternative_text, lang),
            ]
            for c in sel.choices
        ],
        lang,
    )
    capital = table(
        "capital",
        n3,
        caption(n3, tr(LABELS["t_capital"])),
        ["", *(str(y) for y in sel.years)],
        [
            [tr(LABELS["r_available"]), *sel.available],
            [tr(LABELS["r_used"]), *sel.used],
            [tr(LABELS["r_free"]), *(sel.available - sel.used)],
        ],
        lang,
        styles=("line", "line", "total"),
    )
    return [compare, choice, capital]
