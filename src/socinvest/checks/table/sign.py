"""Which sign convention a table prints in, decided from all the evidence.

Three readings: savings printed negative (NEGATIVE, Copenhagen, = spending), savings and
costs both positive with totals = costs − savings (POSITIVE), and savings positive with costs
negative (FLIPPED: the effect on the result). Each piece of evidence supports some readings
with a weight:

- a sentence in the text ("besparelser er angivet med positivt fortegn"): 4;
- the totals, when one mixes savings and costs: the reading(s) under which they add up, 3
  (when none adds up fully: the one with fewer wrong cells, 1,5);
- the rows whose own words make them savings or costs (label first, then type, section,
  committee, caption; see `roles.nature`): the share of them with each sign, up to 2 per
  nature (a saving printed negative supports NEGATIVE; positive, POSITIVE and FLIPPED; a cost
  printed positive, NEGATIVE and POSITIVE; negative, FLIPPED);
- the direction of the last total and of a cumulative row (weak, 0,5): ending below zero
  supports NEGATIVE and POSITIVE, above zero FLIPPED.

The reading with the highest score wins (ties: NEGATIVE, POSITIVE, FLIPPED). The decision is
*uncertain* when the runner-up is within 1,5 or evidence of weight ≥ 1 speaks against it; the
check then reports SIGN_UNCERTAIN with payback under both readings (when they differ). A table
with no evidence at all (unnamed rows, no sentence, no mixed total) is read as printed, in the
template's spending convention, and the note says so. The note always lists the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...i18n import N_, Join, Msg
from .model import FLIPPED, NEGATIVE, POSITIVE, Table
from .roles import COST, SAVING, WEIGHT, nature
from .sums import Eval, evaluate, sign_factors
from .text import CUMULATIVE

READINGS = (NEGATIVE, POSITIVE, FLIPPED)
_NEG_TEXT = N_("besparelser er angivet med negativt fortegn (udgifter +, besparelser −)")
READING_TEXT = {
    NEGATIVE: _NEG_TEXT,
    POSITIVE: N_(
        "besparelser er angivet med positivt fortegn, og totalerne er udgifter minus "
        "besparelser; besparelserne regnes om til negative før beregning af "
        "tilbagebetalingstid"
    ),
    FLIPPED: N_(
        "besparelser positive og udgifter negative (fortegn vendt); alle beløb vendes før "
        "beregning af tilbagebetalingstid"
    ),
}
SHORT = {
    NEGATIVE: N_("besparelser negative"),
    POSITIVE: N_("besparelser positive, totaler = udgifter − besparelser"),
    FLIPPED: N_("besparelser positive, udgifter negative"),
}
MARGIN = 1.5


@dataclass(frozen=True)
class Evidence:
    weight: float
    supports: frozenset[str]
    text: Any  # Msg


@dataclass(frozen=True)
class SignDecision:
    sign: str
    evals: dict[int, Eval]
    note: Any
    uncertain: bool = False
    other: str | None = None  # the runner-up reading, when the decision is uncertain
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    scores: dict[str, float] = field(default_factory=dict)


def _cells(n: int) -> Msg:
    return Msg.plural_of("{n} celle", "{n} celler", n)


def _row_evidence(table: Table) -> list[Evidence]:
    groups: dict[tuple[str, int], float] = {}
    counts: dict[tuple[str, int], int] = {}
    for r in table.rows:
        if r.kind != "line":
            continue
        vals = [v for v in r.values if v]
        if not vals or (any(v > 0 for v in vals) and any(v < 0 for v in vals)):
            continue
        nat, src = nature(r, table.caption)
        if nat is None or src is None:
            continue
        key = (nat, 1 if vals[0] > 0 else -1)
        groups[key] = groups.get(key, 0.0) + WEIGHT[src]
        counts[key] = counts.get(key, 0) + 1
    out = []
    for nat in (SAVING, COST):
        total = sum(w for (n, _), w in groups.items() if n == nat)
        for sgn in (-1, 1):
            w = groups.get((nat, sgn), 0.0)
            if not w:
                continue
            weight = 2.0 * w / total * min(1.0, total)
            n = counts[(nat, sgn)]
            if nat == SAVING:
                supports = {NEGATIVE} if sgn < 0 else {POSITIVE, FLIPPED}
                text = (
                    Msg.plural_of(
                        "{n} række med besparelser er negativ",
                        "{n} rækker med besparelser er negative",
                        n,
                    )
                    if sgn < 0
                    else Msg.plural_of(
                        "{n} række med besparelser er positiv",
                        "{n} rækker med besparelser er positive",
                        n,
                    )
                )
            else:
                supports = {NEGATIVE, POSITIVE} if sgn > 0 else {FLIPPED}
                text = (
                    Msg.plural_of(
                        "{n} række med udgifter er positiv",
                        "{n} rækker med udgifter er positive",
                        n,
                    )
                    if sgn > 0
                    else Msg.plural_of(
                        "{n} række med udgifter er negativ",
                        "{n} rækker med udgifter er negative",
                        n,
                    )
                )
            out.append(Evidence(weight, frozenset(supports), text))
    return out


def _direction_evidence(table: Table) -> list[Evidence]:
    out = []
    totals = [r for r in table.rows if r.kind == "total" and not r.type and r.amounts]
    last = next((r for r in reversed(totals) if r.amounts[-1] is not None), None)
    if last is not None and last.amounts[-1] is not None and last.amounts[-1].value:
        v = last.amounts[-1].value
        out.append(
            Evidence(
                0.5,
                frozenset({NEGATIVE, POSITIVE} if v < 0 else {FLIPPED}),
                Msg("'{row}' ender under nul", row=last.label)
                if v < 0
                else Msg("'{row}' ender over nul", row=last.label),
            )
        )
    for r in table.rows:
        vals = [v for v in r.values if v is not None]
        if CUMULATIVE.search(r.label) and len(vals) >= 2 and vals[-1] != vals[-2]:
            down = vals[-1] < vals[-2]
            out.append(
                Evidence(
                    0.5,
                    frozenset({NEGATIVE, POSITIVE} if down else {FLIPPED}),
                    Msg("den akkumulerede række '{row}' falder til sidst", row=r.label)
                    if down
                    else Msg("den akkumulerede række '{row}' stiger til sidst", row=r.label),
                )
            )
            break
    return out


def infer_sign(table: Table) -> SignDecision:
    """The convention, the totals evaluated under it, and a note listing the evidence."""
    ev_n = evaluate(table, sign_factors(table.rows, NEGATIVE), NEGATIVE)
    ev_p = evaluate(table, sign_factors(table.rows, POSITIVE), POSITIVE)
    e_n = sum(e.score[0] for e in ev_n.values())
    e_p = sum(e.score[0] for e in ev_p.values())
    evidence: list[Evidence] = []
    if table.sign_text:
        evidence.append(
            Evidence(
                4.0,
                frozenset({NEGATIVE} if table.sign_text == "negative" else {POSITIVE, FLIPPED}),
                Msg("teksten siger »{sentence}«", sentence=table.sign_sentence or ""),
            )
        )
    mixed = not (
        ev_n.keys() == ev_p.keys()
        and all([c[2] for c in ev_n[t].cells] == [c[2] for c in ev_p[t].cells] for t in ev_n)
    )
    if mixed:
        if e_n == 0 and e_p > 0:
            evidence.append(
                Evidence(
                    3.0,
                    frozenset({NEGATIVE, FLIPPED}),
                    Msg("totalerne stemmer med summen af rækkerne som de står"),
                )
            )
        elif e_p == 0 and e_n > 0:
            evidence.append(
                Evidence(
                    3.0,
                    frozenset({POSITIVE}),
                    Msg("totalerne stemmer kun som udgifter minus besparelser"),
                )
            )
        elif e_n and e_p:
            fewer = frozenset({NEGATIVE, FLIPPED} if e_n < e_p else {POSITIVE})
            evidence.append(
                Evidence(
                    1.5 if e_n != e_p else 0.0,
                    fewer if e_n != e_p else frozenset(),
                    Msg(
                        "ingen læsning får alle totaler til at stemme ({neg_cells} afviger med "
                        "negative besparelser, {pos_cells} med positive besparelser)",
                        neg_cells=_cells(e_n),
                        pos_cells=_cells(e_p),
                    ),
                )
            )
    evidence += _row_evidence(table)
    evidence += _direction_evidence(table)
    scores = {rd: sum(e.weight for e in evidence if rd in e.supports) for rd in READINGS}
    # Without evidence of weight ≥ 1 (the direction of a total alone is not enough): the
    # spending convention of the template, said in the note (a table of unnamed rows is not
    # doubtful, only undocumented).
    has_evidence = any(e.weight >= 1 for e in evidence)
    sign = (
        max(READINGS, key=lambda rd: (scores[rd], -READINGS.index(rd)))
        if has_evidence
        else NEGATIVE
    )
    others = sorted(
        (rd for rd in READINGS if rd != sign), key=lambda rd: (-scores[rd], READINGS.index(rd))
    )
    against = [e for e in evidence if e.weight >= 1 and sign not in e.supports]
    close = scores[sign] - scores[others[0]] < MARGIN
    uncertain = has_evidence and (close or bool(against))
    other = others[0]
    if against and not close:  # the reading the contrary evidence points to
        other = max(others, key=lambda rd: sum(e.weight for e in against if rd in e.supports))
    if uncertain and not _material(table, sign, other):
        uncertain = False  # both readings give the same flows: nothing depends on it
    evals = ev_p if sign == POSITIVE else ev_n
    if not has_evidence:
        basis: Any = Msg(
            "ingen rækker er markeret som besparelse eller udgift, og intet andet afgør det; "
            "tallene bruges som de står"
        )
        if evidence:
            basis = Join((basis, "; ", Join(tuple(e.text for e in evidence), "; ")))
    else:
        basis = Join(tuple(e.text for e in evidence), "; ")
    note = Msg(
        "Fortegn: {reading}. Grundlag: {basis}.{doubt}",
        reading=Msg(READING_TEXT[sign]),
        basis=basis,
        doubt=Msg(" Usikkert: {other} er også muligt.", other=Msg(SHORT[other]))
        if uncertain
        else "",
    )
    return SignDecision(
        sign, evals, note, uncertain, other if uncertain else None, tuple(evidence), scores
    )


def factors_for(table: Table, reading: str) -> list[float]:
    """How each row's printed amount becomes spending under `reading` (FLIPPED: all −1)."""
    if reading == FLIPPED:
        return [-1.0] * len(table.rows)
    return sign_factors(table.rows, reading)


def _material(table: Table, a: str, b: str) -> bool:
    """Whether two readings give different flows: some printed line amount enters them with
    a different sign."""
    fa, fb = factors_for(table, a), factors_for(table, b)
    return any(
        fa[i] != fb[i] and any(r.values) for i, r in enumerate(table.rows) if r.kind == "line"
    )
