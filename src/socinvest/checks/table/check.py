"""Checking a table: orchestration of the checks and the notes that say what was inferred."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ...i18n import N_, Join, Msg
from ..findings import Finding
from .funding import check_net, check_repayments
from .model import NEGATIVE, POSITIVE, Table, TableReport
from .payback import check_payback, compute_payback, payback_text, year_gaps
from .shares import check_shares
from .sign import SHORT, factors_for, infer_sign
from .staff import check_staff
from .sums import Eval, check_i_alt, evaluate, note_parts, sign_factors, total_findings


@dataclass(frozen=True)
class Analysis:
    """What the check infers beyond the parse: the sign convention, which rows each total sums
    (`evals`, by total row index) and how each row's printed amount enters a sum (`signs`:
    -1 for a saving printed positive under POSITIVE). `uncertain` when the evidence for the
    convention is weak or contradictory; `other` is then the other plausible reading. The
    importer uses the same analysis."""

    sign: str
    evals: dict[int, Eval]
    signs: list[float]
    sign_note: Any  # a catalogue text (Msg)
    uncertain: bool = False
    other: str | None = None


def analyse(table: Table, reading: str | None = None) -> Analysis:
    """The inferred analysis; with `reading` (import's --sign) that convention instead."""
    d = infer_sign(table)
    if reading is not None and reading != d.sign:
        evals = evaluate(table, sign_factors(table.rows, reading), reading)
        note = Msg(
            "Fortegn angivet ved importen: {reading} (tabellen selv peger på: {inferred}).",
            reading=Msg(SHORT[reading]),
            inferred=Msg(SHORT[d.sign]),
        )
        signs = sign_factors(table.rows, POSITIVE if reading == POSITIVE else NEGATIVE)
        return Analysis(reading, evals, signs, note)
    signs = sign_factors(table.rows, POSITIVE if d.sign == POSITIVE else NEGATIVE)
    if reading is not None:
        return Analysis(d.sign, d.evals, signs, d.note)
    return Analysis(d.sign, d.evals, signs, d.note, d.uncertain, d.other)


def check_parsed(table: Table) -> TableReport:
    """Check an already parsed table (from text or from a spreadsheet)."""
    if table.kind == "staff":
        return check_staff(table)
    if table.kind == "data":
        from .document import check_data  # a data table: its own, smaller check

        return check_data(table)
    notes = describe(table)
    findings = check_years(table) + unreadable_findings(table) + gap_findings(table)
    an = analyse(table)
    notes.append(an.sign_note)
    notes += role_notes(table)
    for t in an.evals:
        notes.append(Join(("Total: ", note_parts(table, t, an.evals[t]))))
    for t, r in enumerate(table.rows):
        if r.kind == "total" and t not in an.evals:
            notes.append(
                Msg("Total: '{row}' har ingen rækker over sig og kontrolleres ikke.", row=r.label)
            )
    findings += total_findings(table, an.evals)
    findings += check_i_alt(table, an.evals, an.signs)
    findings += check_shares(table)
    net_findings, net_notes = check_net(table)
    findings += net_findings
    notes += net_notes
    findings += check_repayments(table, factors_for(table, an.sign))
    payback, flows, pb_notes = compute_payback(table, an.sign, an.signs)
    notes += pb_notes
    first = min(table.years)
    if any(r.kind == "line" for r in table.rows):
        notes.append(
            Msg(
                "Tilbagebetalingstid beregnet på rækkerne (ikke totalerne): service {service}, "
                "totaløkonomi {total}.",
                service=payback_text(payback["service"], first),
                total=payback_text(payback["total"], first),
            )
        )
    other_payback = None
    if an.uncertain and an.other is not None:
        other_payback, other_flows, _ = compute_payback(
            table, an.other, factors_for(table, an.other)
        )
        if _differ(flows, other_flows):
            findings.append(uncertain_finding(table, an, payback, other_payback))
        else:
            other_payback = None
    findings += check_payback(table, payback, flows)
    findings.sort(key=lambda f: (f.line or 0, f.year or 0))
    return TableReport(
        title=table.caption or table.source,
        findings=findings,
        payback=payback,
        notes=notes,
        table=table,
        sign=an.sign,
        payback_other=other_payback,
    )


def _differ(a: dict, b: dict) -> bool:
    return any(
        k not in b or a[k].shape != b[k].shape or not np.allclose(a[k], b[k]) for k in a
    ) or (not a and bool(b))


def uncertain_finding(table: Table, an: Analysis, mine: dict, theirs: dict) -> Finding:
    """SIGN_UNCERTAIN: the convention assumed, the other one, and payback under both."""
    assert an.other is not None
    first = min(table.years)
    return Finding(
        "SIGN_UNCERTAIN",
        Msg(
            "Fortegnet kan ikke afgøres sikkert. Antaget: {reading} – tilbagebetalingstid "
            "service {s1}, totaløkonomi {t1}. Med {other}: service {s2}, totaløkonomi {t2}. "
            "Angiv fortegnet i teksten eller ved importen (--sign).",
            reading=Msg(SHORT[an.sign]),
            s1=payback_text(mine["service"], first),
            t1=payback_text(mine["total"], first),
            other=Msg(SHORT[an.other]),
            s2=payback_text(theirs["service"], first),
            t2=payback_text(theirs["total"], first),
        ),
        None,
        None,
        None,
        None,
        table.header_line,
    )


def gap_findings(table: Table) -> list[Finding]:
    """YEAR_GAP when calendar years are missing between the year columns: payback is counted
    in years, with no flow in a missing year."""
    gaps = year_gaps(table.years)
    if not gaps or len(set(table.years)) != len(table.years):
        return []
    return [
        Finding(
            "YEAR_GAP",
            Msg.plural_of(
                "Året {missing} mangler mellem årskolonnerne ({first}–{last}); "
                "tilbagebetalingstiden er talt i kalenderår med 0 kr. i det manglende år",
                "Årene {missing} mangler mellem årskolonnerne ({first}–{last}); "
                "tilbagebetalingstiden er talt i kalenderår med 0 kr. i de manglende år",
                len(gaps),
                missing=", ".join(map(str, gaps)),
                first=min(table.years),
                last=max(table.years),
            ),
            None,
            gaps[0],
            None,
            None,
            table.header_line,
        )
    ]


_ROLE_NOTE = {
    "repayment": N_(
        "'{row}' er tilbagebetaling til puljen (et beløb pr. år), ikke en tilbagebetalingstid; "
        "den er ikke en pengestrøm i casen og kontrolleres mod årets nettobesparelse."
    ),
    "external": N_(
        "'{row}' er ekstern medfinansiering; den er ikke kommunens egen pengestrøm og indgår "
        "ikke i totalerne eller tilbagebetalingstiden."
    ),
}


def role_notes(table: Table) -> list[Any]:
    """What rows that are not ordinary lines were read as."""
    notes: list[Any] = []
    for r in table.rows:
        if r.kind in _ROLE_NOTE:
            notes.append(Msg(_ROLE_NOTE[r.kind], row=r.label))
        elif r.kind == "total" and r.by_position:
            notes.append(
                Msg(
                    "'{row}' er læst som en total ud fra sin placering og sine summer, selv om "
                    "navnet ikke siger det.",
                    row=r.label,
                )
            )
    return notes


def check_years(table: Table) -> list[Finding]:
    """YEAR_DUPLICATE for a year heading two columns, YEAR_ORDER for years out of order."""
    out = []
    ys = table.years
    seen: dict[int, int] = {}
    for k, y in enumerate(ys):
        if y in seen:
            out.append(
                Finding(
                    "YEAR_DUPLICATE",
                    Msg(
                        "Året {year} står i flere kolonner (kolonne {a} og {b} blandt "
                        "årskolonnerne) – ret overskriften",
                        year=y,
                        a=seen[y] + 1,
                        b=k + 1,
                    ),
                    None,
                    y,
                    None,
                    None,
                    table.header_line,
                )
            )
        else:
            seen[y] = k
    if any(b < a for a, b in zip(ys, ys[1:], strict=False)):
        out.append(
            Finding(
                "YEAR_ORDER",
                Msg(
                    "Årskolonnerne står ikke i stigende rækkefølge: {years}",
                    years=", ".join(map(str, ys)),
                ),
                None,
                None,
                None,
                None,
                table.header_line,
            )
        )
    return out


_COLUMN = {"I alt": N_("I alt"), "Fordelingsnøgle": N_("Fordelingsnøgle")}
"""Columns an unreadable cell may stand in besides a year (named as in parse.py)."""


def unreadable_findings(table: Table) -> list[Finding]:
    out = []
    for u in table.unreadable:
        column = Msg(_COLUMN[u.column]) if u.column in _COLUMN else u.column
        where: Any = (
            f"'{u.row}' {u.year}"
            if u.year is not None
            else Msg("'{row}' ({column})", row=u.row, column=column)
        )
        out.append(
            Finding(
                "UNREADABLE_CELL",
                Msg(
                    "{where}: '{text}' kan ikke læses som et dansk tal (fx -1.763 eller 3,5); "
                    "cellen er sprunget over",
                    where=where,
                    text=u.text,
                ),
                u.row,
                u.year,
                None,
                None,
                u.line,
            )
        )
    return out


def describe(table: Table) -> list[Any]:
    """Notes on unit, price level, years and the columns found."""
    notes: list[Any] = [
        Msg("Enhed: {unit}", unit=table.unit)
        if table.unit
        else Msg("Enhed: ikke angivet i tabellen.")
    ]
    notes.append(
        Msg("Prisniveau: {year}-p/l.", year=table.price_level)
        if table.price_level
        else Msg("Prisniveau: ikke angivet.")
    )
    ys = table.years
    notes.append(
        Msg(
            "År: {first}–{last} ({n} kolonner); år 1 = {one}.",
            first=ys[0],
            last=ys[-1],
            n=len(ys),
            one=min(ys),
        )
        if len(ys) > 1
        else Msg("År: {year}; år 1 = {year}.", year=ys[0])
    )
    cols: list[Any] = []
    if table.has_area_column:
        cols.append(Msg("styringsområde"))
    elif any(r.area for r in table.rows if r.kind == "line"):
        cols.append(Msg("styringsområde aflæst af rækkenavne (', service' / ', anlæg')"))
    for flag, name in (
        (table.has_i_alt, Msg("I alt")),
        (table.has_pool, Msg("puljemarkering (X)")),
        (table.has_committee, Msg("udvalg")),
        (table.has_type, Msg("type")),
        (table.has_key, Msg("fordelingsnøgle")),
    ):
        if flag:
            cols.append(name)
    if cols:
        notes.append(Msg("Kolonner fundet: {columns}.", columns=Join(tuple(cols), ", ")))
    return notes
