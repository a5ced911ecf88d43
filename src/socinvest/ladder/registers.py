"""Read episode exports: the project's CSV and SSDA903 episode tables (docs/ladder.md).

A **code-mapping file** (`data/ladder_codes_*.yaml`) says which of a source's codes belong to
which ladder step, and which column holds what. SSDA903 (England's children-looked-after
return: CHILD, DOB, DECOM, DEC, PLACE, LS, RNE, REC …) is read with
`data/ladder_codes_ssda903.yaml` unless another file is given; a Danish case-system export
uses the same mechanism with its own codes (`data/ladder_codes_dk_eksempel.yaml`).

Every error names the file, line and column; an id that looks like a CPR number is refused
without being echoed.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path
from typing import Literal

from pydantic import Field

from .. import files
from ..case.load import locate, parse_yaml_model, read_text
from ..errors import InputError, Text
from ..i18n import Join, Msg
from .episodes import DateError, Episode, EpisodeSet, Finding, looks_like_cpr, month_index
from .episodes import parse_date as _date
from .model import Frozen, Ladder

MAX_EPISODE_BYTES = 64 * 2**20
"""Largest episode export read (64 MB: some 1 million episodes); a bigger file is refused."""

DATA = Path(__file__).resolve().parent.parent / "data"
SSDA903_CODES = DATA / "ladder_codes_ssda903.yaml"

COLUMNS = {
    "child_id": ("child_id", "barn_id", "id", "pseudonym"),
    "birth_date": ("birth_date", "fødselsdato", "foedselsdato", "dob"),
    "birth_year": ("birth_year", "fødselsår", "foedselsaar"),
    "age": ("age", "alder"),
    "step": ("step", "trin"),
    "start": ("start", "start_date", "startdato"),
    "end": ("end", "end_date", "slut", "slutdato"),
}
SSDA903 = {
    "child_id": "child",
    "birth_date": "dob",
    "step": "place",
    "start": "decom",
    "end": "dec",
}
Format = Literal["auto", "csv", "ssda903"]


class CodeMap(Frozen):
    """Which source codes belong to which ladder step, and the source's column names."""

    id: str
    title: str | None = None
    note: str | None = None
    format: Literal["csv", "ssda903"] = "csv"
    columns: dict[str, str] = Field(
        default_factory=dict, description="our key (child_id, birth_date, step, …) -> column"
    )
    codes: dict[str, list[str]] = Field(description="ladder step id -> the source's codes")
    skip: list[str] = Field(
        default_factory=list, description="codes with no step: their episodes are left out"
    )

    def lookup(self) -> dict[str, str]:
        return {c.strip().upper(): step for step, cs in self.codes.items() for c in cs}


def load_codes(path: str | Path, ladder: Ladder) -> CodeMap:
    """A code-mapping file, its steps checked against the ladder."""
    p = Path(path)
    source = str(p)
    cm, marks = parse_yaml_model(read_text(p), source, CodeMap, Msg("kodefilen"))
    tracked = ladder.ids[1:]
    for step in cm.codes:
        if step not in tracked:
            why = Msg(
                "ukendt trin {step} (kendte: {known})", step=repr(step), known=", ".join(tracked)
            )
            raise InputError(locate(source, marks, ("codes", step), why))
    seen: dict[str, str] = {}
    for step, cs in cm.codes.items():
        for c in cs:
            key = c.strip().upper()
            if key in seen and seen[key] != step:
                why = Msg(
                    "koden {code} står under både {a} og {b}", code=repr(c), a=seen[key], b=step
                )
                raise InputError(locate(source, marks, ("codes", step), why))
            seen[key] = step
    return cm


def _sniff(header: list[str]) -> str:
    return "ssda903" if "decom" in header and "child" in header else "csv"


def read_register(
    path: str | Path,
    ladder: Ladder,
    codes: str | Path | CodeMap | None = None,
    source_format: Format = "auto",
) -> EpisodeSet:
    """Episodes of an export (the project's CSV or SSDA903), with the age source used."""
    p = Path(path)
    text = files.read_text(p, MAX_EPISODE_BYTES, files.CSV)  # bounded; no FIFO or device
    if not text.strip():
        raise InputError(Msg("{path}: filen er tom", path=p))
    lines = text.splitlines()
    delim = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delim)
    header = [h.strip().lower().lstrip("\ufeff") for h in next(reader)]
    fmt = _sniff(header) if source_format == "auto" else source_format
    cmap = codes if isinstance(codes, CodeMap) or codes is None else load_codes(codes, ladder)
    if cmap is None and fmt == "ssda903":
        cmap = load_codes(SSDA903_CODES, ladder)
    names = {k: (v,) for k, v in SSDA903.items()} if fmt == "ssda903" else dict(COLUMNS)
    if cmap is not None:
        names.update({k: (v.strip().lower(),) for k, v in cmap.columns.items()})
    col: dict[str, int] = {}
    for key, options in names.items():
        for n in options:
            if n in header:
                col[key] = header.index(n)
                break
    missing: list[str | Msg] = [
        "/".join(names[k]) for k in ("child_id", "step", "start", "end") if k not in col
    ]
    if not {"birth_date", "birth_year", "age"} & col.keys():
        missing.append(Msg("birth_date (eller birth_year eller age)"))
    if missing:
        raise InputError(
            Msg(
                "{path}:1: mangler kolonnen {missing}; overskriften har: {header} "
                "(forventede child_id, birth_date, birth_year eller age, step, start, end)",
                path=p,
                missing=Join(tuple(missing), ", "),
                header=", ".join(header),
            )
        )
    return _rows(p, reader, col, ladder, cmap, fmt)


def _rows(p: Path, reader, col: dict[str, int], ladder: Ladder, cmap, fmt: str) -> EpisodeSet:
    steps = {s: i for i, s in enumerate(ladder.ids)}
    lookup = cmap.lookup() if cmap is not None else None
    skip = {c.strip().upper() for c in cmap.skip} if cmap is not None else set()
    out: list[Episode] = []
    skipped: list[int] = []
    used: set[str] = set()
    latest = -math.inf
    rd = _Reader(p, col)
    for row in reader:
        ln = reader.line_num
        if not any(c.strip() for c in row):
            continue

        def cell(key: str, row=row, ln=ln) -> str:
            return rd.cell(row, ln, key)

        def bad(key: str, msg: Text, ln=ln) -> InputError:
            return rd.bad(ln, key, msg)

        def date(key: str, row=row, ln=ln) -> dt.date:
            return rd.date(row, ln, key)[0]

        cid = cell("child_id")
        if not cid:
            raise bad("child_id", Msg("tomt id"))
        if looks_like_cpr(cid):
            raise bad(
                "child_id",
                Msg(
                    "ligner et CPR-nummer (DDMMÅÅ-XXXX); personnumre må ikke bruges – erstat "
                    "id'erne med pseudonymer (værdien vises ikke her)"
                ),
            )
        step_text = cell("step")
        if lookup is not None:
            code = step_text.upper()
            if code in skip:
                skipped.append(ln)
                continue
            if code not in lookup:
                raise bad(
                    "step",
                    Msg(
                        "koden {code} står ikke i kodefilen (hverken under codes eller skip)",
                        code=repr(step_text),
                    ),
                )
            step_text = lookup[code]
        step = steps.get(step_text)
        if step is None and step_text.isdigit() and int(step_text) < len(ladder.ids):
            step = int(step_text)
        if step is None:
            raise bad(
                "step",
                Msg(
                    "ukendt trin {step} (kendte: {known})",
                    step=repr(step_text),
                    known=", ".join(ladder.ids[1:]),
                ),
            )
        if step == 0:
            raise bad(
                "step",
                Msg(
                    "{step} er det almene niveau, ikke en foranstaltning", step=repr(ladder.ids[0])
                ),
            )
        start_d, start = rd.date(row, ln, "start")
        end_d, end = rd.date(row, ln, "end") if cell("end") else (None, None)
        if end_d is not None and end_d < start_d:
            raise bad("end", Msg("slut {end} ligger før start {start}", end=end_d, start=start_d))
        birth, source = _birth(cell, col, bad, start, start_d, date)
        used.add(source)
        latest = max(latest, start, end or start)
        born = date("birth_date") if source == "birth_date" else None
        out.append(Episode(cid, birth, step, start, end, ln, born))
    if not out:
        raise InputError(Msg("{path}: ingen forløb (kun en overskrift)", path=p))
    found = [Finding("UNMAPPED_CODE", len(skipped), tuple(skipped[:5]))] if skipped else []
    order = ("age", "birth_year", "birth_date")  # the coarsest source used is named
    age_source = next(s for s in order if s in used)
    return EpisodeSet(tuple(out), latest, age_source, str(p), fmt, tuple(found))


class _Reader:
    """Cells of a row by key, located errors, and dates parsed once per distinct text."""

    def __init__(self, p: Path, col: dict[str, int]) -> None:
        self.p, self.col = p, col
        self.dates: dict[str, tuple[dt.date, float]] = {}

    def cell(self, row: list[str], ln: int, key: str) -> str:
        i = self.col[key]
        if i >= len(row):
            why = Msg("rækken har kun {n} kolonner", n=len(row))
            raise InputError(Join((f"{self.p}:{ln}:{i + 1}: {key}: ", why)))
        return row[i].strip()

    def bad(self, ln: int, key: str, msg: Text) -> InputError:
        return InputError(Join((f"{self.p}:{ln}:{self.col[key] + 1}: {key}: ", msg)))

    def date(self, row: list[str], ln: int, key: str) -> tuple[dt.date, float]:
        text = self.cell(row, ln, key)
        hit = self.dates.get(text)
        if hit is None:
            try:
                d = _date(text)
            except DateError as e:
                raise self.bad(ln, key, e.message) from None
            hit = self.dates[text] = (d, month_index(d))
        return hit


def _birth(cell, col, bad, start: float, start_d, date) -> tuple[float, str]:
    """The birth (month index) and where it came from: an exact date, a year (1 July), or
    the age at the start (half a year after that birthday)."""
    if "birth_date" in col and cell("birth_date"):
        b = date("birth_date")
        if b > start_d:
            raise bad("birth_date", Msg("fødselsdatoen {date} ligger efter start", date=b))
        return month_index(b), "birth_date"
    if "birth_year" in col and cell("birth_year"):
        try:
            by = int(cell("birth_year"))
        except ValueError:
            raise bad("birth_year", Msg("skriv et årstal, fx 2015")) from None
        if not 1900 <= by <= start_d.year:
            raise bad("birth_year", Msg("{year} er ikke et fødselsår før start", year=by))
        # 1 July; a baby who starts before that is put halfway between 1 January and the start
        return min(12 * by + 6.0, (12 * by + start) / 2), "birth_year"
    if "age" in col and cell("age"):
        try:
            age = int(cell("age"))
        except ValueError:
            raise bad("age", Msg("skriv et helt antal år, fx 7")) from None
        if not 0 <= age <= 30:
            raise bad("age", Msg("{age} er ikke en alder for et barn", age=age))
        return start - 12 * age - 6.0, "age"
    key = next(k for k in ("birth_date", "birth_year", "age") if k in col)
    raise bad(key, Msg("tom; angiv fødselsdatoen, fødselsåret eller alderen"))
