"""Which sign convention a table prints in.

Savings printed negative (Copenhagen, = spending), positive with totals = costs - savings, or
positive with costs negative ("flipped"); the reading that makes the totals add up wins, the
rows' own signs decide when the totals cannot, and the choice is always stated in a note.
"""

from __future__ import annotations

from typing import Any

from ...i18n import N_, Msg
from .model import FLIPPED, NEGATIVE, POSITIVE, Table
from .sums import Eval, evaluate, is_saving, sign_factors

_NEG_TEXT = N_("besparelser er angivet med negativt fortegn (udgifter +, besparelser −)")


def _neg() -> Msg:
    return Msg(_NEG_TEXT)


def row_signs_say(table: Table) -> str | None:
    """Convention from the signs of saving rows vs other lines; None when they don't say."""
    sav = [v for r in table.rows if r.kind == "line" and is_saving(r) for v in r.values if v]
    oth = [v for r in table.rows if r.kind == "line" and not is_saving(r) for v in r.values if v]
    if not sav:
        return None
    if all(v < 0 for v in sav):
        return NEGATIVE
    if all(v > 0 for v in sav):
        if oth and all(v < 0 for v in oth):
            return FLIPPED
        return POSITIVE
    return None


def infer_sign(table: Table) -> tuple[str, dict[int, Eval], Any]:
    """(convention, the totals evaluated under it, a note saying why)."""
    ev_n = evaluate(table, sign_factors(table.rows, NEGATIVE), NEGATIVE)
    ev_p = evaluate(table, sign_factors(table.rows, POSITIVE), POSITIVE)
    e_n = sum(e.score[0] for e in ev_n.values())
    e_p = sum(e.score[0] for e in ev_p.values())
    has_saving = any(r.kind == "line" and is_saving(r) for r in table.rows)
    if not has_saving:
        return (
            NEGATIVE,
            ev_n,
            Msg(
                "Fortegn: ingen rækker er markeret som besparelse/effektivisering; tallene bruges "
                "som de står (udgifter +, besparelser −)."
            ),
        )
    by_rows = row_signs_say(table)
    undecided = ev_n.keys() == ev_p.keys() and all(
        [c[2] for c in ev_n[t].cells] == [c[2] for c in ev_p[t].cells] for t in ev_n
    )
    if undecided:  # no total mixes savings with other lines
        return _by_rows(by_rows, ev_n, ev_p, e_n)
    if e_n == 0:
        if by_rows == FLIPPED:
            return (
                FLIPPED,
                ev_n,
                Msg(
                    "Fortegn: besparelser positive og udgifter negative (fortegn vendt); totalerne "
                    "er summen af rækkerne. Alle beløb vendes før beregning af tilbagebetalingstid."
                ),
            )
        return (
            NEGATIVE,
            ev_n,
            Msg("Fortegn: {neg}; totalerne stemmer med denne læsning.", neg=_neg()),
        )
    if e_p == 0:
        return (
            POSITIVE,
            ev_p,
            Msg(
                "Fortegn: besparelser er angivet med positivt fortegn, og totalerne er udgifter "
                "minus besparelser; besparelserne regnes om til negative før beregning af "
                "tilbagebetalingstid."
            ),
        )
    return (
        NEGATIVE,
        ev_n,
        Msg(
            "Fortegn: ingen læsning får alle totaler til at stemme ({neg_cells} afviger med "
            "negative besparelser, {pos_cells} med positive besparelser); antaget: {neg}.",
            neg_cells=_cells(e_n),
            pos_cells=_cells(e_p),
            neg=_neg(),
        ),
    )


def _by_rows(by_rows, ev_n, ev_p, e_n) -> tuple[str, dict[int, Eval], Any]:
    """The totals do not decide (none mixes savings with other lines): the rows' signs do."""
    if by_rows == POSITIVE:
        return (
            POSITIVE,
            ev_p,
            Msg(
                "Fortegn: besparelser er angivet med positivt fortegn (aflæst af rækkerne med "
                "besparelser; totalerne afgør det ikke); de regnes om til negative før "
                "beregning af tilbagebetalingstid."
            ),
        )
    if by_rows == FLIPPED:
        return (
            FLIPPED,
            ev_n,
            Msg(
                "Fortegn: besparelser positive og udgifter negative (aflæst af rækkernes "
                "fortegn); alle beløb vendes før beregning af tilbagebetalingstid."
            ),
        )
    if by_rows == NEGATIVE:
        extra: Any = (
            ""
            if e_n == 0
            else Msg(" Ikke alle totaler stemmer ({cells} afviger).", cells=_cells(e_n))
        )
        return (
            NEGATIVE,
            ev_n,
            Msg(
                "Fortegn: {neg} – aflæst af rækkerne med besparelser; totalerne afgør det "
                "ikke.{extra}",
                neg=_neg(),
                extra=extra,
            ),
        )
    return (
        NEGATIVE,
        ev_n,
        Msg(
            "Fortegn kan ikke afgøres (besparelsesrækkerne har både positive og negative tal); "
            "antaget: {neg}.",
            neg=_neg(),
        ),
    )


def _cells(n: int) -> Msg:
    return Msg.plural_of("{n} celle", "{n} celler", n)
