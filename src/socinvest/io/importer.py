"""`socinvest import`: tables from a business case (pasted text or Excel) into a case file.

The tables are read and analysed exactly as `socinvest check` reads them (structure, sign
convention, which rows each total sums), then turned into one case (see `merge` for the rules):
explicit amounts per line in the spending convention, and every total, I alt cell, key and
payback row kept as a stated figure. So `socinvest check` on the imported case reports what
`socinvest check` on the tables reports, and, for several tables, also where they disagree.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from ..checks.table import FLIPPED, NEGATIVE, POSITIVE, analyse
from ..errors import InputError
from ..i18n import N_, Msg
from ..output import check_output, safe_write
from .emit import comment, line_yaml, q, stated_yaml
from .merge import Builder
from .sources import Source, read_sources
from .spec import clean_text, slug

__all__ = ["import_tables", "import_to_file"]


SIGNS = {
    "spending": NEGATIVE,
    "negative": NEGATIVE,
    "savings_positive": POSITIVE,
    "positive": POSITIVE,
    "flipped": FLIPPED,
}
"""`--sign`: the table's convention, overriding the inference (spending = savings negative;
savings_positive = savings and costs positive, totals = costs − savings; flipped = savings
positive and costs negative)."""


def import_tables(
    paths: list[Path],
    case_id: str | None = None,
    title: str | None = None,
    *,
    unit: str | None = None,
    price_level: int | None = None,
    sign: str | None = None,
) -> str:
    """The YAML text of a case file built from the tables in `paths`.

    Each path is a text file with one or more pasted tables (tabs, PDF spacing or semicolon
    CSV), a Word or PDF document (every table in it), or an Excel workbook (`.xlsx`; every
    sheet, or one sheet as `book.xlsx#Ark1`). `unit` and `price_level` override what the
    tables say (needed only when no table states them); `sign` overrides the inferred sign
    convention (see `SIGNS`). Raises InputError naming the file (and sheet) when an input
    cannot be read or used, and saying how to fix it; never a RuntimeError.
    """
    case_id = _checked_id(case_id)
    reading = _checked_sign(sign)
    sources, skipped = read_sources([Path(p) for p in paths])
    sources = [s for s in sources if s.table.years]  # data tables: no years, no lines
    if not sources:
        raise InputError(
            Msg(
                "ingen tabel med årskolonner at importere – en tabel skal have en "
                "overskriftsrække med årstal (fx 2017, 2018, …)"
            )
        )
    if reading is not None:
        sources = [replace(s, analysis=analyse(s.table, reading)) for s in sources]
    unit = unit or _agree(sources, "unit")
    price_level = price_level or _agree(sources, "price_level")
    _refuse_duplicate_years(sources)
    years = sorted({y for s in sources for y in s.table.years})
    first, last = years[0], years[-1]
    _refuse_long_span(first, last)
    b = Builder(sources)
    b.build()
    _payback_offsets(b, sources, first)
    _of_where_possible(b)
    header = [
        "Importeret af socinvest fra "
        + ", ".join(dict.fromkeys(s.name for s in sources))
        + ". Gennemgå filen: rækker, arter, områder og udvalg er aflæst af tabellerne.",
        "Beløbene er omregnet til udgiftsfortegn (omkostninger +, besparelser −):",
    ]
    header += [f"  {s.label}: {s.analysis.sign_note}" for s in sources]
    if reading is not None:
        header.append(f"Fortegnet er angivet ved importen (--sign {sign}).")
    for s in sources:
        if s.analysis.uncertain and reading is None:
            header.append(
                f"ADVARSEL: fortegnet i {s.label} er usikkert (se ovenfor); kontrollér arten "
                "(kind) af hver linje, eller importér igen med --sign"
            )
    if last == first:
        header.append(f"Tabellen har kun året {first}; horisonten er udvidet til {last + 1}.")
        last = first + 1
    out = comment("\n".join(header))
    stem = Path(str(paths[0]).split("#")[0]).stem
    out.append(f"id: {q(case_id or slug(stem, 60).replace('_', '-'))}")
    out.append(f"title: {q(clean_text(title) if title else sources[0].label)}")
    out.append(f"source: {q(', '.join(dict.fromkeys(s.name for s in sources)))}")
    out.append(f"unit: {q(unit)}")
    out.append(f"price_level: {price_level}")
    out.append(f"horizon: {first}-{last}")
    out.append("sign: spending")
    if b.committees:
        out.append("committees:")
        out += [f"  {q(cid)}: {q(name)}" for name, cid in b.committees.items()]
    out.append("lines:")
    for ln in b.lines:
        out += line_yaml(ln)
    if b.stated:
        out.append("stated:")
        for st in sorted(b.stated, key=lambda st: (st.src, st.line)):
            out += stated_yaml(st)
    if b.repayments:
        out += comment(
            "Tilbagebetaling til puljen (ikke en linje i casen; skriv den i puljefilen under "
            "ansøgningens repayment, se docs/pool.md):"
        )
        out += comment("\n".join(b.repayments))
    notes = b.comments + [f"{k.name} linje {k.line}: {k.reason}" for k in skipped]
    if notes:
        out += comment("Ikke importeret / kunne ikke placeres:")
        out += comment("\n".join(f"- {n}" for n in notes))
    text = "\n".join(out) + "\n"
    _self_check(text)
    return text


def import_to_file(
    paths: list[Path],
    out: Path,
    case_id: str | None = None,
    title: str | None = None,
    *,
    force: bool = False,
    unit: str | None = None,
    price_level: int | None = None,
    sign: str | None = None,
) -> Path:
    """Import the tables and write the case file `out` through the one safe writer
    (`socinvest.output`): checked before anything is read, written to a temporary file and
    renamed into place. An existing `out` is only replaced with `force=True`, and none of the
    tables read can be the output."""
    out = Path(out)
    inputs = [Path(str(p).split("#")[0]) for p in paths]  # `book.xlsx#Ark1` reads book.xlsx
    check_output(out, (".yaml", ".yml"), overwrite=force, inputs=inputs)
    text = import_tables(paths, case_id, title, unit=unit, price_level=price_level, sign=sign)
    return safe_write(
        out,
        lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"),
        overwrite=force,
        inputs=inputs,
    )


_WHAT = {
    "unit": (N_("enhed"), N_("fx '1.000 kr.'")),
    "price_level": (N_("prisniveau"), N_("fx '2017 p/l'")),
}
"""What the tables must agree on, as the messages name it, with an example."""


def _agree(sources: list[Source], attr: str) -> Any:
    what, example = (Msg(t) for t in _WHAT[attr])
    found = {getattr(s.table, attr) for s in sources} - {None}
    if len(found) > 1:
        which = "; ".join(f"{s.label}: {getattr(s.table, attr)}" for s in sources)
        raise InputError(
            Msg(
                "tabellerne har forskellig {what} ({which}) – importér tabeller fra samme "
                "dokument, eller regn dem om til samme {what}",
                what=what,
                which=which,
            )
        )
    if not found:
        names = ", ".join(dict.fromkeys(s.name for s in sources))
        raise InputError(
            Msg(
                "{names}: ingen tabel angiver {what} – skriv den i tabellens overskrift "
                "({example}), eller angiv den ved importen",
                names=names,
                what=what,
                example=example,
            )
        )
    return found.pop()


def _refuse_duplicate_years(sources: list[Source]) -> None:
    for s in sources:
        ys = s.table.years
        dup = sorted({y for y in ys if ys.count(y) > 1})
        if dup:
            raise InputError(
                Msg(
                    "{name}:{line}: året {year} står i flere kolonner i '{table}' – ret "
                    "overskriften, så hvert år står én gang, og importér igen",
                    name=s.name,
                    line=s.table.header_line,
                    year=dup[0],
                    table=s.label,
                )
            )


def _payback_offsets(b: Builder, sources: list[Source], first: int) -> None:
    """A stated payback counts years from its table's first year; the case counts from the
    horizon's first year. Shift when they differ, and say so."""
    by_label = {s.label: s for s in sources}
    for st in b.stated:
        if st.payback is None or st.value is None:
            continue
        t_first = min(by_label[st.table].table.years)
        if t_first != first:
            st.value = st.value + (t_first - first)
            st.origin += (
                f"; år 1 i casen er {first}, så tabellens {t_first - first} år tidligere "
                "start er lagt til"
            )


def _of_where_possible(b: Builder) -> None:
    """`of: permanent | investment | impact` instead of a list that names exactly those lines."""
    kinds = {ln.id: ln.kind for ln in b.lines}
    perm = {i for i, k in kinds.items() if k in ("cost", "saving")}
    inv = {i for i, k in kinds.items() if k == "investment"}
    everything = set(kinds)
    position = {lid: k for k, lid in enumerate(kinds)}
    for st in b.stated:
        if st.lines is None or st.committee is not None:
            continue
        sel = set(st.lines)
        for of, ids in (("impact", everything), ("permanent", perm), ("investment", inv)):
            if ids and len(sel) == len(ids) and sel == ids:
                st.of, st.lines = of, None
                break
        else:
            st.lines = sorted(sel, key=position.__getitem__)


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MAX_SPAN = 99
"""Longest horizon a case may have (docs/case-format.md: 100 years or more is refused)."""


def _checked_id(case_id: str | None) -> str | None:
    if case_id is None:
        return None
    if not _ID.match(case_id) or len(case_id) > 100:
        raise InputError(
            Msg(
                "--id {id}: et id må kun indeholde bogstaver a-z, tal, '_', '-' og '.', og "
                "skal begynde med et bogstav eller tal (fx bu-06)",
                id=q(clean_text(case_id)),
            )
        )
    return case_id


def _checked_sign(sign: str | None) -> str | None:
    if sign is None:
        return None
    if sign not in SIGNS:
        raise InputError(
            Msg(
                "--sign {sign}: ukendt fortegn – brug spending (besparelser negative), "
                "savings_positive (besparelser og udgifter positive) eller flipped "
                "(besparelser positive, udgifter negative)",
                sign=q(clean_text(sign)),
            )
        )
    return SIGNS[sign]


def _refuse_long_span(first: int, last: int) -> None:
    if last - first + 1 > MAX_SPAN:
        raise InputError(
            Msg(
                "tabellernes år spænder over {n} år ({first}–{last}); en case kan højst have "
                "{max} år – importér færre årskolonner, eller ret et årstal der er skrevet "
                "forkert",
                n=last - first + 1,
                first=first,
                last=last,
                max=MAX_SPAN,
            )
        )


def _self_check(text: str) -> None:
    """The imported case must load. It is built to (ids, labels, decimals and shares are
    sanitised above); if it still does not, the user gets a clear message, not the YAML."""
    from ..case.load import parse_case

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
        from ..case.load import check_references
        from ..case.schema import Case

        problems = check_references(Case.model_validate(data))
        if not problems:
            return
    except Exception:  # noqa: BLE001 - located again below, with the case loader's wording
        pass
    try:
        parse_case(text, "<import>")
    except InputError as e:
        raise InputError(
            Msg(
                "tabellerne kunne ikke laves om til en gyldig case-fil ({reason}) – ret "
                "tabellen, eller angiv --id, --unit, --price-level eller --sign",
                reason=clean_text(str(e).splitlines()[0])[:300],
            )
        ) from None
