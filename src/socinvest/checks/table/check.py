"""Checking a table: orchestration of the checks and the notes that say what was inferred."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...i18n import N_, Join, Msg
from ..findings import Finding
from .model import NEGATIVE, POSITIVE, Table, TableReport
from .parse import parse_table
from .payback import check_payback, compute_payback, payback_text
from .read import read_text
from .shares import check_shares
from .sign import infer_sign
from .staff import check_staff
from .sums import Eval, check_i_alt, note_parts, sign_factors, total_findings


@dataclass(frozen=True)
class Analysis:
    """What the check infers beyond the parse: the sign convention, which rows each total sums
    (`evals`, by total row index) and how each row's printed amount enters a sum (`signs`:
    -1 for a saving printed positive under POSITIVE). The importer uses the same analysis."""

    sign: str
    evals: dict[int, Eval]
    signs: list[float]
    sign_note: Any  # a catalogue text (Msg)


def analyse(table: Table) -> Analysis:
    sign, evals, note = infer_sign(table)
    signs = sign_factors(table.rows, POSITIVE if sign == POSITIVE else NEGATIVE)
    return Analysis(sign, evals, signs, note)


def check_table(text: str, source: str = "<tabel>") -> TableReport:
    """Parse a pasted table, infer its structure and sign convention, and check its figures."""
    return check_parsed(parse_table(text, source))


def check_parsed(table: Table) -> TableReport:
    """Check an already parsed table (from text or from a spreadsheet)."""
    if table.kind == "staff":
        return check_staff(table)
    notes = describe(table)
    if table.more_tables:
        notes.append(
            Msg(
                "Teksten fortsætter med flere tabelrækker efter linje {end}; kun den første "
                "tabel (linje {start}–{end}) er kontrolleret.",
                end=table.end_line,
                start=table.header_line,
            )
        )
    findings = check_years(table) + unreadable_findings(table)
    an = analyse(table)
    notes.append(an.sign_note)
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
    payback, flows, pb_notes = compute_payback(table, an.sign, an.signs)
    notes += pb_notes
    if table.years and any(r.kind == "line" for r in table.rows):
        first = min(table.years)
        notes.append(
            Msg(
                "Tilbagebetalingstid beregnet på rækkerne (ikke totalerne): service {service}, "
                "totaløkonomi {total}.",
                service=payback_text(payback["service"], first),
                total=payback_text(payback["total"], first),
            )
        )
    findings += check_payback(table, payback, flows)
    findings.sort(key=lambda f: (f.line or 0, f.year or 0))
    return TableReport(
        title=table.caption or table.source,
        findings=findings,
        payback=payback,
        notes=notes,
        table=table,
        sign=an.sign,
    )


def check_table_file(path: str | Path) -> TableReport:
    """Read a table file and check it; findings name the file by its name."""
    text, encoding = read_text(path)
    report = check_table(text, Path(path).name)
    if encoding == "cp1252":
        report.notes.insert(0, Msg("Filen var ikke UTF-8 og er læst som Windows-1252 (cp1252)."))
    elif encoding == "utf-16":
        report.notes.insert(0, Msg("Filen er læst som UTF-16 (Unicode-tekst fra Excel)."))
    return report


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
