"""The pool's outputs as data: a document of tables (for the terminal, xlsx, html and docx) and
JSON dicts. Everything is computed before; this module only chooses and labels."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..checks.findings import Finding
from .ledger import Ledger
from .portfolio import OBJECTIVES, Selection
from .risk import Projection
from .rules import SCOPE_DA
from .text import BASIS_DA, KIND_DA, STATUS_DA, num

Cell = str | float | int | None


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str | None = None
    decimals: int = 0  # for float cells


@dataclass(frozen=True)
class PoolDocument:
    title: str
    lines: list[str]  # what, unit, p/l, horizon
    tables: list[Table]
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)
    balance: dict | None = None  # for the chart: years, plain, p5/p50/p95


def _nan(v: float) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def pool_unit(ledger: Ledger) -> str:
    return ledger.loaded.pool.unit.value


def _heading(ledger: Ledger, what: str) -> tuple[str, list[str]]:
    pool = ledger.loaded.pool
    lines = [
        f"{what} · {SCOPE_DA[ledger.scope]}",
        f"Beløb i {pool.unit.value}, {pool.price_level}-p/l; afrundet ved visning. "
        f"Periode {pool.horizon.first}-{pool.horizon.last}.",
    ]
    levels = sorted({c.case.price_level for c in ledger.cases} - {pool.price_level})
    if levels:
        lines.append(
            "Bemærk: nogle cases er i andre p/l-niveauer ("
            + ", ".join(str(x) for x in levels)
            + "); beløbene er ikke omregnet."
        )
    return pool.title, lines


def _balance(ledger: Ledger) -> dict:
    return {
        "years": [int(y) for y in ledger.years],
        "plain": [float(x) for x in ledger.closing[0]],
        "unit": ledger.loaded.pool.unit.value,
    }


def ledger_tables(ledger: Ledger, draw: int = 0) -> list[Table]:
    years = [str(y) for y in ledger.years]
    pool_rows = [
        ["Saldo primo", *ledger.opening[draw]],
        ["Kapital", *ledger.capital],
        ["Indskud", *ledger.injections],
        ["Bevillinger ud", *(-ledger.grants)],
        ["Tilbagebetalinger ind", *ledger.repayments[draw]],
        ["Saldo ultimo", *ledger.closing[draw]],
    ]
    t1 = Table("Puljen pr. år", ["", *years], pool_rows)
    case_rows = []
    for c in ledger.cases:
        case_rows.append(
            [
                c.id,
                STATUS_DA[c.app.decision.status.value] + ("" if c.included else " (ikke med)"),
                KIND_DA[c.app.repayment.kind],
                float(c.granted.sum()),
                float(c.repaid[draw].sum()),
                float(c.outstanding[draw, -1]),
                _nan(c.repaid_year[draw]) and int(c.repaid_year[draw]),
                "ja" if c.on_schedule[draw] else "nej",
            ]
        )
    t2 = Table(
        "Ansøgninger: bevilget, tilbagebetalt og restgæld",
        [
            "Ansøgning",
            "Status",
            "Tilbagebetaling",
            "Bevilget",
            "Tilbagebetalt",
            f"Restgæld {ledger.years[-1]}",
            "Tilbagebetalt år",
            "Efter planen",
        ],
        case_rows,
        note="Verserende ansøgninger regnes som bevilget med det ansøgte beløb, når de er med. "
        "'Efter planen': tilbagebetalt inden for perioden og dækket af casens nettobesparelser.",
    )
    t3 = Table(
        "Tilbagebetaling pr. år",
        ["Ansøgning", *years],
        [[c.id, *c.repaid[draw]] for c in ledger.cases],
    )
    t4 = Table(
        "Restgæld ultimo pr. år",
        ["Ansøgning", *years],
        [[c.id, *c.outstanding[draw]] for c in ledger.cases],
    )
    return [t1, t2, t3, t4]


def status_document(ledger: Ledger, findings: list[Finding]) -> PoolDocument:
    title, lines = _heading(ledger, "Status for puljen")
    return PoolDocument(
        title,
        lines,
        ledger_tables(ledger),
        findings,
        balance=_balance(ledger),
    )


def projection_document(proj: Projection, findings: list[Finding]) -> PoolDocument:
    title, lines = _heading(proj.base, "Fremskrivning af puljen")
    tables = ledger_tables(proj.base)
    bal = _balance(proj.base)
    notes = []
    if proj.risk is not None:
        q = proj.balance_percentiles()
        bal.update(q)
        years = [str(y) for y in proj.base.years]
        pneg = proj.p_negative()
        tables.append(
            Table(
                f"Risiko: saldo ultimo ({num(proj.draws)} trækninger, frø {proj.seed})",
                ["", *years],
                [
                    ["P5", *q["p5"]],
                    ["P50 (median)", *q["p50"]],
                    ["P95", *q["p95"]],
                    ["P(saldo < 0), %", *[100 * p for p in pneg]],
                ],
            )
        )
        p_on, p_rep, e_rep = proj.p_on_schedule(), proj.p_repaid(), proj.expected_repaid()
        tables.append(
            Table(
                "Risiko pr. ansøgning",
                [
                    "Ansøgning",
                    "Tilbagebetaling",
                    "P(efter planen), %",
                    "P(tilbagebetalt i perioden), %",
                    "Forventet tilbagebetalt",
                    "Bevilget",
                ],
                [
                    [
                        c.id,
                        KIND_DA[c.app.repayment.kind],
                        100 * p_on[c.id],
                        100 * p_rep[c.id],
                        e_rep[c.id],
                        float(c.granted.sum()),
                    ]
                    for c in proj.base.cases
                ],
                note="Tilbagebetaling som andel af besparelser falder med besparelserne; faste "
                "beløb og egne planer står fast, og risikoen er, at besparelserne ikke dækker dem.",
            )
        )
        notes.append(
            "Hver case simuleres med sine egne usikre parametre (docs/uncertainty.md); "
            "casernes usikkerheder er indbyrdes uafhængige."
        )
    return PoolDocument(title, lines, tables, findings, notes, bal)


def selection_document(sel: Selection, ledger: Ledger, findings: list[Finding]) -> PoolDocument:
    title, lines = _heading(ledger, "Udvælgelse af ansøgninger")
    obj = OBJECTIVES[sel.objective]
    lines.append(
        f"Mål: størst {'forventet ' if sel.expected else ''}{obj}; heltalsprogram (HiGHS): "
        f"{sel.solved.status}, gap {num(sel.solved.gap, 2)}. Mål i alt: {num(sel.value)} "
        f"({pool_unit(ledger)})"
    )
    rows = sel.rows
    basis = rows[0].basis if rows else "total"
    comp = Table(
        "Sammenligning",
        [
            "Ansøgning",
            "Status",
            "Investering",
            "Bevilling",
            "Ekstern medfinansiering",
            "Egen nettoudgift",
            "TBT service (år)",
            "TBT total (år)",
            "NPV",
            "Forventet NPV",
            "ROI",
            f"P(TBT ≤ mål, {BASIS_DA[basis]}), %",
        ],
        [
            [
                r.id,
                STATUS_DA[r.status],
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
        note="ROI = nettobesparelse over casens horisont (besparelser minus udgifter og "
        "investeringer, alle linjer, ikke tilbagediskonteret) / investeringer. NPV: casens "
        "diskonteringsrente. Egen nettoudgift: uden eksternt finansierede linjer og "
        "medfinansiering (negativ = nettobesparelse). TBT: tilbagebetalingstid (år 1 = casens "
        "første år); tomt felt = ikke inden for horisonten.",
        decimals=2,
    )
    choice = Table(
        "Valg",
        ["Ansøgning", "Inde", "Værdi i målet", "Hvorfor", "Næstbedste alternativ"],
        [
            [c.id, "ja" if c.selected else "nej", c.value, c.reason, c.alternative_text]
            for c in sel.choices
        ],
    )
    cap = Table(
        "Puljens kapital og de valgtes udestående (kumulativt)",
        ["", *[str(y) for y in sel.years]],
        [
            ["Kapital til rådighed", *sel.available],
            ["Udestående for de valgte", *sel.used],
            ["Ledigt", *(sel.available - sel.used)],
        ],
    )
    bal = _balance(ledger)
    return PoolDocument(title, lines, [comp, choice, cap], findings, [], bal)


# -- JSON ---------------------------------------------------------------------------------


def _f(v) -> float | None:
    if isinstance(v, np.ndarray):
        return [_f(x) for x in v.tolist()]
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) or math.isinf(v) else v


def findings_json(findings: list[Finding]) -> list[dict]:
    return [
        {
            "severity": str(f.severity),
            "code": f.code,
            "message": f.message,
            "row": f.row,
            "year": f.year,
            "stated": _f(f.stated),
            "computed": _f(f.computed),
            "line": f.line,
        }
        for f in findings
    ]


def ledger_json(ledger: Ledger, draw: int = 0) -> dict:
    pool = ledger.loaded.pool
    return {
        "pool": pool.id,
        "unit": pool.unit.value,
        "price_level": pool.price_level,
        "scope": ledger.scope,
        "years": [int(y) for y in ledger.years],
        "opening": _f(ledger.opening[draw]),
        "capital": _f(ledger.capital),
        "injections": _f(ledger.injections),
        "grants": _f(ledger.grants),
        "repayments": _f(ledger.repayments[draw]),
        "closing": _f(ledger.closing[draw]),
        "applications": [
            {
                "id": c.id,
                "title": c.title,
                "case": c.case.id,
                "status": c.app.decision.status.value,
                "included": c.included,
                "repayment": c.app.repayment.kind,
                "granted": _f(c.granted),
                "repaid": _f(c.repaid[draw]),
                "outstanding": _f(c.outstanding[draw]),
                "net_savings": _f(c.savings[draw]),
                "repaid_year": _f(c.repaid_year[draw]),
                "on_schedule": bool(c.on_schedule[draw]),
            }
            for c in ledger.cases
        ],
    }


def projection_json(proj: Projection) -> dict:
    out = {"plain": ledger_json(proj.base), "draws": proj.draws, "seed": proj.seed}
    if proj.risk is not None:
        out["balance_percentiles"] = proj.balance_percentiles()
        out["p_negative_balance"] = proj.p_negative()
        out["applications"] = {
            c.id: {
                "p_on_schedule": proj.p_on_schedule()[c.id],
                "p_repaid": proj.p_repaid()[c.id],
                "expected_repaid": proj.expected_repaid()[c.id],
            }
            for c in proj.base.cases
        }
    return out


def selection_json(sel: Selection) -> dict:
    return {
        "objective": sel.objective,
        "expected": sel.expected,
        "value": _f(sel.value),
        "status": sel.solved.status,
        "gap": _f(sel.solved.gap),
        "seconds": sel.solved.seconds,
        "chosen": sel.chosen,
        "years": [int(y) for y in sel.years],
        "available": _f(sel.available),
        "used": _f(sel.used),
        "roi_definition": "net savings over the case's horizon (all lines, undiscounted) "
        "/ investments",
        "comparison": [
            {k: _f(v) if isinstance(v, float) else v for k, v in r.__dict__.items()}
            for r in sel.rows
        ],
        "choices": [
            {
                "id": c.id,
                "selected": c.selected,
                "value": _f(c.value),
                "reason": c.reason,
                "alternative": _f(c.alternative),
                "alternative_text": c.alternative_text,
            }
            for c in sel.choices
        ],
    }
