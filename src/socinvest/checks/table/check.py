"""Checking a table: orchestration of the checks and the notes that say what was inferred."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
    sign_note: str


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
            f"Teksten fortsætter med flere tabelrækker efter linje {table.end_line}; kun den "
            f"første tabel (linje {table.header_line}–{table.end_line}) er kontrolleret."
        )
    findings = check_years(table) + unreadable_findings(table)
    an = analyse(table)
    notes.append(an.sign_note)
    for t in an.evals:
        notes.append("Total: " + note_parts(table, t, an.evals[t]))
    for t, r in enumerate(table.rows):
        if r.kind == "total" and t not in an.evals:
            notes.append(f"Total: '{r.label}' har ingen rækker over sig og kontrolleres ikke.")
    findings += total_findings(table, an.evals)
    findings += check_i_alt(table, an.evals, an.signs)
    findings += check_shares(table)
    payback, flows, pb_notes = compute_payback(table, an.sign, an.signs)
    notes += pb_notes
    if table.years and any(r.kind == "line" for r in table.rows):
        first = min(table.years)
        notes.append(
            "Tilbagebetalingstid beregnet på rækkerne (ikke totalerne): service "
            f"{payback_text(payback['service'], first)}, totaløkonomi "
            f"{payback_text(payback['total'], first)}."
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
        report.notes.insert(0, "Filen var ikke UTF-8 og er læst som Windows-1252 (cp1252).")
    elif encoding == "utf-16":
        report.notes.insert(0, "Filen er læst som UTF-16 (Unicode-tekst fra Excel).")
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
                    f"Året {y} står i flere kolonner (kolonne {seen[y] + 1} og {k + 1} blandt "
                    "årskolonnerne) – ret overskriften",
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
                "Årskolonnerne står ikke i stigende rækkefølge: " + ", ".join(map(str, ys)),
                None,
                None,
                None,
                None,
                table.header_line,
            )
        )
    return out


def unreadable_findings(table: Table) -> list[Finding]:
    out = []
    for u in table.unreadable:
        where = f"'{u.row}' {u.year}" if u.year is not None else f"'{u.row}' ({u.column})"
        out.append(
            Finding(
                "UNREADABLE_CELL",
                f"{where}: '{u.text}' kan ikke læses som et dansk tal (fx -1.763 eller 3,5); "
                "cellen er sprunget over",
                u.row,
                u.year,
                None,
                None,
                u.line,
            )
        )
    return out


def describe(table: Table) -> list[str]:
    """Notes on unit, price level, years and the columns found."""
    notes = [f"Enhed: {table.unit}" if table.unit else "Enhed: ikke angivet i tabellen."]
    notes.append(
        f"Prisniveau: {table.price_level}-p/l."
        if table.price_level
        else "Prisniveau: ikke angivet."
    )
    ys = table.years
    notes.append(
        f"År: {ys[0]}–{ys[-1]} ({len(ys)} kolonner); år 1 = {min(ys)}."
        if len(ys) > 1
        else f"År: {ys[0]}; år 1 = {ys[0]}."
    )
    cols = []
    if table.has_area_column:
        cols.append("styringsområde")
    elif any(r.area for r in table.rows if r.kind == "line"):
        cols.append("styringsområde aflæst af rækkenavne (', service' / ', anlæg')")
    for flag, name in (
        (table.has_i_alt, "I alt"),
        (table.has_pool, "puljemarkering (X)"),
        (table.has_committee, "udvalg"),
        (table.has_type, "type"),
        (table.has_key, "fordelingsnøgle"),
    ):
        if flag:
            cols.append(name)
    if cols:
        notes.append("Kolonner fundet: " + ", ".join(cols) + ".")
    return notes
