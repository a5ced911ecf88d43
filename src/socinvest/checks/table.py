"""Check a table pasted from Word, PDF or Excel: read it, infer its structure, check its sums.

Input is text with tab-separated columns and Danish numbers (`-1.763`, `3,5`), sometimes with
`<b>` markup, as users get when they copy a table out of a business case. Nothing is declared:
the header row with years, the unit, the area column, which rows are totals and which rows each
total sums are all inferred, and every inference is reported in `notes`.

Structure: rows are section headers (a label without numbers), lines, totals (`Samlet…`,
`Samlede…`, `… totalt`, `Total`, `I alt`) and payback rows (`Tilbagebetalingstid …`). A total
sums the candidate that fits its cells best: (a) the lines of its section, (c) the totals above
not yet summed by another total, or (b) all lines above (ties in that order); in committee
tables a `Total` of type T sums the rows of type T.

Sign: savings printed negative (Copenhagen, = spending), positive with totals = costs - savings,
or positive with costs negative ("flipped"); the reading that makes the totals add up wins, and
the choice is always stated in a note. Amounts are turned into spending (costs +, savings -)
before payback.

Findings: a total cell that differs from the sum of its parts is SUM_MISMATCH, unless it is the
same amount with the opposite sign (SIGN_MISMATCH) or small enough to come from rounding the
printed parts (ROUNDING, info: |diff| <= h*(n+1) for n >= 2 summed cells, h half a unit of the
last printed digit). Payback is computed with the engine's `payback_year` on the line rows.

Pure Python + numpy: this module is imported by the CLI and must import fast.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..engine.finance import payback_fractional, payback_year
from ..errors import InputError
from ..numbers import Parsed, format_number, parse_number, parse_percent, parse_years
from .findings import Finding

MAX_BYTES = 5 * 1024 * 1024
"""Largest table file we read (5 MB); a pasted table is a few kB."""

# Sign conventions (how the table prints savings).
NEGATIVE = "negative"  # savings negative, costs positive (Copenhagen; = spending)
POSITIVE = "positive"  # savings and costs positive; totals = costs - savings
FLIPPED = "flipped"  # savings positive, costs negative (effect on the result)

AREA_DA = {"service": "Service", "anlaeg": "Anlæg", "overfoersler": "Overførsler"}
BASIS_DA = {"service": "serviceeffektivisering", "total": "totaløkonomi"}

_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_BUDGET_YEAR = re.compile(r"budget\s*((?:19|20)\d\d)", re.IGNORECASE)
_DASH = {"-", "\u2013", "\u2014", "\u2212"}
_TOTAL = re.compile(r"^(samlet|samlede|total|i alt)\b|\btotalt\b|(^|\s)i alt\s*(,|$)", re.I)
_PAYBACK = re.compile(r"^tilbagebetaling", re.IGNORECASE)
_SAVING = re.compile(r"besparels|effektivis|gevinst|mindreudgift|merindt", re.IGNORECASE)
_AREA_SUFFIX = re.compile(r",\s*(service|anl[æa]e?g|overf[øo]e?rsler)\s*$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_PRICE = (
    re.compile(r"((?:19|20)\d\d)\s*-?\s*(?:p\s*/\s*[l1]|pl\b|priser)", re.IGNORECASE),
    re.compile(r"p\s*/\s*[l1]\.?\s*((?:19|20)\d\d)", re.IGNORECASE),
)
_UNITS = (
    (re.compile(r"mio\.?\s*kr", re.IGNORECASE), "mio. kr."),
    (re.compile(r"1\.?000\s*kr|\bt\.\s*kr|\btkr", re.IGNORECASE), "1.000 kr."),
    (re.compile(r"\bkr\b", re.IGNORECASE), "kr."),
)


# --------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class UnreadableCell:
    line: int
    row: str
    year: int | None
    column: str
    text: str


@dataclass(frozen=True)
class Row:
    """One row of the table. `amounts` are the cells under the year columns (None = blank)."""

    line: int  # 1-based line in the input
    label: str  # label without markup (committee tables: "Udvalg (type)")
    kind: str  # "section" | "line" | "total" | "payback"
    amounts: tuple[Parsed | None, ...] = ()
    i_alt_cell: Parsed | None = None
    area: str | None = None  # "service" | "anlaeg" | "overfoersler"
    section: str | None = None  # label of the section header above
    committee: str | None = None
    type: str | None = None  # Besparelse / Omkostninger (committee tables)
    key: Parsed | None = None  # allocation key as a share (0.65)
    pool: bool = False  # marked with X in the pool column
    stated: str | None = None  # payback rows: the stated text ("3 år")

    @property
    def values(self) -> tuple[float | None, ...]:
        return tuple(None if c is None else c.value for c in self.amounts)

    @property
    def i_alt(self) -> float | None:
        return None if self.i_alt_cell is None else self.i_alt_cell.value


@dataclass(frozen=True)
class Table:
    source: str
    caption: str | None
    unit: str | None
    price_level: int | None
    years: tuple[int, ...]
    rows: tuple[Row, ...]
    header_line: int
    kind: str = "years"  # "years" | "staff"
    has_area_column: bool = False
    has_i_alt: bool = False
    has_pool: bool = False
    has_committee: bool = False
    has_type: bool = False
    has_key: bool = False
    unreadable: tuple[UnreadableCell, ...] = ()
    end_line: int = 0  # last line read as part of the table
    more_tables: bool = False  # further tab-separated lines after the table (not checked)


@dataclass
class TableReport:
    """What `socinvest check TABLE` reports; same shape as a case report."""

    title: str
    findings: list[Finding]
    payback: dict[str, float | None]
    notes: list[str]
    table: Table
    kind: str = "table"
    sign: str = NEGATIVE


# --------------------------------------------------------------------------------------------
# Reading files


def _read(path: str | Path) -> tuple[str, str]:
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(f"{name}: filen findes ikke – tjek stavningen og mappen")
    if p.is_dir():
        raise InputError(f"{name}: er en mappe, ikke en fil – angiv tekstfilen med tabellen")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{name}: filen er for stor ({size / 1e6:.1f} MB); en tabel må højst fylde 5 MB "
                "– indsæt kun selve tabellen"
            )
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"{name}: filen kan ikke læses ({e.strerror or e})") from None
    encoding = "utf-8"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode-tekst" is UTF-16 with BOM
        encoding = "utf-16"
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name}: filen kan ikke læses som UTF-16-tekst") from None
    elif b"\x00" in data:
        raise InputError(
            f"{name}: filen er binær (indeholder NUL-bytes), ikke tekst – gem tabellen som "
            "tekst (.txt) eller indsæt den i en tekstfil"
        )
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
                encoding = "cp1252"
            except UnicodeDecodeError:
                raise InputError(
                    f"{name}: filen kan hverken læses som UTF-8 eller Windows-1252 (cp1252) "
                    "– gem den som UTF-8-tekst"
                ) from None
    if not text.strip():
        what = "er tom" if not text else "indeholder kun mellemrum og tomme linjer"
        raise InputError(f"{name}: filen {what} – indsæt tabellen fra dokumentet")
    if _CONTROL.search(text):
        raise InputError(
            f"{name}: filen indeholder kontroltegn og ligner en binær fil, ikke tekst – gem "
            "tabellen som tekst (.txt)"
        )
    return text, encoding


def read_table_file(path: str | Path) -> str:
    """Read a table file as text: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252.

    Raises InputError naming the file when it is missing, a directory, empty, binary, larger
    than 5 MB or undecodable.
    """
    return _read(path)[0]


# --------------------------------------------------------------------------------------------
# Parsing


def _clean(cell: str) -> str:
    s = _TAG.sub("", cell).replace("\u00a0", " ").replace("\u202f", " ").strip()
    if s.startswith("**") and s.endswith("**") and len(s) > 4:
        s = s[2:-2].strip()
    return s


def _norm(s: str) -> str:
    return re.sub(r"[\s\-\u00ad]+", "", s).lower()


def _is_year(s: str) -> bool:
    return bool(_YEAR.match(s))


def _is_total_label(s: str) -> bool:
    return bool(_TOTAL.search(s))


def _area_of(text: str) -> str | None:
    n = _norm(text)
    if n.startswith("serv"):
        return "service"
    if n.startswith("anl"):
        return "anlaeg"
    if n.startswith("overf"):
        return "overfoersler"
    return None


def _split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _find_unit(text: str) -> str | None:
    for rx, unit in _UNITS:
        if rx.search(text):
            return unit
    return None


def _find_price_level(text: str) -> int | None:
    for rx in _PRICE:
        m = rx.search(text)
        if m:
            return int(m.group(1))
    return None


def _caption(lines: list[str], above: int) -> str | None:
    """The nearest non-blank line without tabs above line index `above` (exclusive)."""
    candidates = []
    for i in range(above - 1, -1, -1):
        s = lines[i].strip()
        if not s:
            continue
        if "\t" in lines[i]:
            break
        candidates.append(s)
        if len(candidates) == 3:
            break
    for s in candidates:  # prefer "Tabel 2. ..."
        c = _clean(s.strip("#* ").strip())
        if re.match(r"^tabel\s*\d", c, re.IGNORECASE):
            return c
    if candidates and len(candidates[0]) <= 150:
        return _clean(candidates[0].strip("#* ").strip())
    return None


def _is_year_header(cells: list[str]) -> bool:
    years = 0
    for c in cells[1:]:
        if _is_year(c):
            years += 1
        elif c and parse_number(c) is not None:
            return False
    return years > 0


def parse_table(text: str, source: str = "<tabel>") -> Table:
    """Read a pasted table (tab-separated, Danish numbers) and infer its structure."""
    lines = _split_lines(text)
    cells_of = [
        [_clean(c) for c in ln.split("\t")] if "\t" in ln and ln.strip() else None for ln in lines
    ]
    hy = next((i for i, c in enumerate(cells_of) if c and _is_year_header(c)), None)
    if hy is None:
        staff = _parse_staff(lines, cells_of, source)
        if staff is not None:
            return staff
        if not any(cells_of):
            raise InputError(
                f"{source}: ingen tabel fundet – teksten har ingen kolonner adskilt af "
                "tabulatorer; kopiér tabellen direkte fra Word, Excel eller PDF"
            )
        raise InputError(
            f"{source}: ingen årskolonner fundet – tabellen skal have en overskriftsrække med "
            "årstal (fx 2017, 2018, …) i hver sin kolonne, adskilt af tabulatorer"
        )

    # Header block: tab lines directly above the year line, and label-less text-only lines
    # directly below it (a header split over lines: "Innovations-pulje" / "(sæt X)").
    top = hy
    while top - 1 >= 0 and cells_of[top - 1]:
        top -= 1
    header_idx = list(range(top, hy + 1))
    body = hy + 1
    i = hy + 1
    while i < len(lines):
        c = cells_of[i]
        if c is None:
            if lines[i].strip():
                break
            i += 1
            continue
        if c[0] == "" and not any(parse_number(x) for x in c[1:] if x) and any(c[1:]):
            header_idx.append(i)
            i += 1
            body = i
            continue
        break
    width = max(len(cells_of[j]) for j in header_idx)
    head = [
        " ".join(cells_of[j][k] for j in header_idx if k < len(cells_of[j])) for k in range(width)
    ]
    head = [re.sub(r"\s+", " ", h).strip() for h in head]
    year_line = cells_of[hy]
    year_cols = [k for k in range(1, len(year_line)) if _is_year(year_line[k])]
    years = tuple(int(year_line[k]) for k in year_cols)
    header_text = " ".join([*head, *(lines[j] for j in header_idx)])
    caption = _caption(lines, top)
    unit = _find_unit(header_text) or (_find_unit(caption) if caption else None)
    price = _find_price_level(header_text) or (_find_price_level(caption) if caption else None)

    def role_col(pred) -> int | None:
        return next(
            (k for k in range(1, width) if k not in year_cols and pred(_norm(head[k]))), None
        )

    i_alt_col = next(
        (k for k in range(1, len(year_line)) if _norm(year_line[k]) in ("ialt", "total")),
        None,
    )
    if i_alt_col is None:
        i_alt_col = role_col(lambda h: h in ("ialt", "total"))
    taken = set(year_cols) | ({i_alt_col} if i_alt_col is not None else set())
    area_col = role_col(lambda h: h.startswith("styringsomr"))
    pool_col = role_col(lambda h: "pulje" in h)
    key_col = role_col(lambda h: "nøgle" in h or h.startswith("fordeling"))
    taken |= {c for c in (area_col, pool_col, key_col) if c is not None}
    committee = _norm(head[0]).startswith("udvalg")

    # Body rows: up to the last tab line before a caption, heading or paragraph of prose.
    end = body
    for j in range(body, len(lines)):
        if cells_of[j]:
            end = j + 1
        elif lines[j].strip() and _ends_table(lines[j]):
            break
    later_tables = any(cells_of[j] for j in range(end, len(lines)))
    body_cells = [(j, cells_of[j]) for j in range(body, end) if cells_of[j]]
    type_col = None
    type_cand = [k for k in range(1, width) if k not in taken and k < min(year_cols)]
    for k in type_cand:
        vals = [c[k] for _, c in body_cells if k < len(c) and c[k]]
        textual = vals and all(parse_number(v) is None and parse_percent(v) is None for v in vals)
        if textual and (
            committee
            or _norm(head[k]) in ("type", "art")
            or any(_SAVING.search(v) or "omkostning" in v.lower() for v in vals)
        ):
            type_col = k
            break

    rows: list[Row] = []
    unreadable: list[UnreadableCell] = []
    section: str | None = None
    current_committee: str | None = None
    for j in range(body, end):
        c = cells_of[j]
        if c is None:
            s = _clean(lines[j])
            if s and len(s) <= 80:  # a section header pasted without its empty cells
                rows.append(Row(line=j + 1, label=s, kind="section"))
                section = s
            continue
        c = c + [""] * (width - len(c))
        label = c[0]
        if committee:
            if label:
                current_committee = label
            typ = c[type_col] if type_col is not None else ""
            name = current_committee or ""
            if typ:
                name = f"{name} ({typ})" if name else typ
        else:
            typ = c[type_col] if type_col is not None else ""
            name = label or f"linje {j + 1}"
        if _PAYBACK.match(label):
            stated = next((x for x in c[1:] if x), None)
            rows.append(
                Row(line=j + 1, label=label, kind="payback", stated=stated, section=section)
            )
            continue
        amounts: list[Parsed | None] = []
        raw_nonblank = False
        for k, y in zip(year_cols, years, strict=True):
            cell, bad = _cell(c[k])
            raw_nonblank |= bool(c[k]) and c[k] not in _DASH
            if bad:
                unreadable.append(UnreadableCell(j + 1, name, y, str(y), c[k]))
            amounts.append(cell)
        i_alt = None
        if i_alt_col is not None:
            i_alt, bad = _cell(c[i_alt_col])
            raw_nonblank |= bool(c[i_alt_col]) and c[i_alt_col] not in _DASH
            if bad:
                unreadable.append(UnreadableCell(j + 1, name, None, "I alt", c[i_alt_col]))
        key = None
        if key_col is not None and c[key_col]:
            key = parse_percent(c[key_col])
            if key is None:
                unreadable.append(UnreadableCell(j + 1, name, None, "Fordelingsnøgle", c[key_col]))
        area = _area_of(c[area_col]) if area_col is not None and c[area_col] else None
        if area is None:
            m = _AREA_SUFFIX.search(label)
            if m:
                area = _area_of(m.group(1))
        pool = pool_col is not None and c[pool_col].strip().lower() == "x"
        total_name = current_committee if committee else label
        if total_name and _is_total_label(total_name):
            kind = "total"
        elif not raw_nonblank and key is None and not (committee and typ):
            kind = "section"
        else:
            kind = "line"
        rows.append(
            Row(
                line=j + 1,
                label=name,
                kind=kind,
                amounts=tuple(amounts),
                i_alt_cell=i_alt,
                area=area,
                section=section,
                committee=current_committee if committee else None,
                type=typ or None,
                key=key,
                pool=pool,
            )
        )
        if kind == "section":
            section = name
    return Table(
        source=source,
        caption=caption,
        unit=unit,
        price_level=price,
        years=years,
        rows=tuple(rows),
        header_line=hy + 1,
        has_area_column=area_col is not None,
        has_i_alt=i_alt_col is not None,
        has_pool=pool_col is not None,
        has_committee=committee,
        has_type=type_col is not None,
        has_key=key_col is not None,
        unreadable=tuple(unreadable),
        end_line=end,
        more_tables=later_tables,
    )


def _ends_table(line: str) -> bool:
    s = line.strip()
    c = _clean(s.strip("#* "))
    return s.startswith(("#", "**")) or bool(re.match(r"^tabel\s*\d", c, re.I)) or len(c) > 80


def _cell(text: str) -> tuple[Parsed | None, bool]:
    """(parsed value or None, unreadable?). Blank and a lone dash are blank."""
    if not text or text in _DASH:
        return None, False
    p = parse_number(text)
    return (p, False) if p is not None else (None, True)


def _parse_staff(lines: list[str], cells_of: list, source: str) -> Table | None:
    """Staff table ("Budget 2017 | Budget 2018 | Ændring (+/-)"): rows read as numbers in order.

    PDF extraction misaligns its cells, so columns are not trusted: each row's numbers are read
    in order as (from, to, change).
    """
    hy = None
    for i, c in enumerate(cells_of):
        if c and sum(bool(_BUDGET_YEAR.search(x)) for x in c) >= 2:
            hy = i
            break
        if (
            c
            and any(_BUDGET_YEAR.search(x) for x in c)
            and any(_norm(x).startswith("ændring") for x in c)
        ):
            hy = i
            break
    if hy is None:
        return None
    head = cells_of[hy]
    years = tuple(int(m.group(1)) for x in head if (m := _BUDGET_YEAR.search(x)))
    rows = []
    for j in range(hy + 1, len(lines)):
        c = cells_of[j]
        if c is None:
            continue
        label = next((x for x in c if x and parse_number(x) is None), "")
        nums = tuple(p for x in c if x and (p := parse_number(x)) is not None)
        if not nums:
            continue
        rows.append(Row(line=j + 1, label=label or f"linje {j + 1}", kind="line", amounts=nums))
    return Table(
        source=source,
        caption=_caption(lines, hy),
        unit=None,
        price_level=None,
        years=years,
        rows=tuple(rows),
        header_line=hy + 1,
        kind="staff",
    )


# --------------------------------------------------------------------------------------------
# Checking


def _fmt(v: float | None, decimals: int = 0) -> str:
    if v is None:
        return "–"
    return format_number(v, decimals)


@dataclass
class _Eval:
    """A total row evaluated against one candidate set of parts."""

    kind: str  # "a" | "b" | "c" | "type"
    parts: list[int]  # row indices
    factor: float  # the total's own sign factor
    cells: list[tuple[int, float, float, int, float, int]]  # (col, stated, computed, n, h, dec)
    statuses: list[str]

    @property
    def score(self) -> tuple[int, int]:
        err = sum(s in ("sign", "sum") for s in self.statuses)
        nonexact = sum(s != "ok" for s in self.statuses)
        return err, nonexact


def _status(stated: float, computed: float, n: int, h: float) -> str:
    diff = stated - computed
    eps = 1e-9 * max(1.0, abs(stated), abs(computed))
    if abs(diff) <= eps:
        return "ok"
    if abs(stated + computed) <= eps:
        return "sign"
    if n >= 2 and abs(diff) <= h * (n + 1) + eps:
        return "rounding"
    return "sum"


def _sign_factors(rows: tuple[Row, ...], reading: str) -> list[float]:
    """Per row: how a printed amount enters a sum under a reading (+1, or -1 for savings
    printed positive under POSITIVE)."""
    if reading != POSITIVE:
        return [1.0] * len(rows)
    return [-1.0 if r.kind == "line" and _is_saving(r) else 1.0 for r in rows]


def _is_saving(r: Row) -> bool:
    return any(t and _SAVING.search(t) for t in (r.label, r.section, r.type, r.committee))


def _evaluate(table: Table, rows_sign: list[float], reading: str) -> dict[int, _Eval]:
    rows = table.rows
    ncol = len(table.years)
    consumed: set[int] = set()
    result: dict[int, _Eval] = {}
    start = 0  # first row of the current section
    for t, r in enumerate(rows):
        if r.kind == "section":
            start = t + 1
            continue
        if r.kind != "total":
            continue
        lines_above = [i for i in range(t) if rows[i].kind == "line"]
        cands: list[tuple[str, list[int]]] = []
        if table.has_type and r.type:
            cands.append(("type", [i for i in lines_above if rows[i].type == r.type]))
        else:
            cands.append(("a", [i for i in lines_above if i >= start]))
            cands.append(
                ("c", [i for i in range(t) if rows[i].kind == "total" and i not in consumed])
            )
            cands.append(("b", lines_above))
        best: _Eval | None = None
        for kind, parts in cands:  # in order of preference: ties keep the earlier one
            if not parts:
                continue
            ev = _eval_candidate(table, t, kind, parts, rows_sign, reading, ncol, result)
            if best is None or ev.score < best.score:
                best = ev
        if best is not None:
            result[t] = best
            if best.kind == "c":
                consumed |= set(best.parts)
            elif best.kind == "b":
                consumed |= {i for i in range(t) if rows[i].kind == "total"}
        start = t + 1
    return result


def _eval_candidate(table, t, kind, parts, rows_sign, reading, ncol, done) -> _Eval:
    rows = table.rows
    r = rows[t]
    part_factor = []
    for i in parts:
        if rows[i].kind == "total":
            ev = done.get(i)
            part_factor.append(ev.factor if ev is not None else 1.0)
        else:
            part_factor.append(rows_sign[i])
    factor = 1.0
    if reading == POSITIVE and (
        (_SAVING.search(r.label) or (r.type and _SAVING.search(r.type)))
        or all(f < 0 for f in part_factor)
    ):
        factor = -1.0
    cells, statuses = [], []
    for col in range(ncol):
        st = r.amounts[col]
        if st is None:
            continue
        vals = [(rows[i].amounts[col], f) for i, f in zip(parts, part_factor, strict=True)]
        present = [(p, f) for p, f in vals if p is not None]
        computed = factor * math.fsum(f * p.value for p, f in present)
        n = len(present)
        h = max([st.half_unit, *(p.half_unit for p, _ in present)])
        dec = max([st.decimals, *(p.decimals for p, _ in present)])
        cells.append((col, st.value, computed, n, h, dec))
        statuses.append(_status(st.value, computed, n, h))
    return _Eval(kind, list(parts), factor, cells, statuses)


def _row_signs_say(table: Table) -> str | None:
    """Convention from the signs of saving rows vs other lines; None when they don't say."""
    sav = [v for r in table.rows if r.kind == "line" and _is_saving(r) for v in r.values if v]
    oth = [v for r in table.rows if r.kind == "line" and not _is_saving(r) for v in r.values if v]
    if not sav:
        return None
    if all(v < 0 for v in sav):
        return NEGATIVE
    if all(v > 0 for v in sav):
        if oth and all(v < 0 for v in oth):
            return FLIPPED
        return POSITIVE
    return None


def _infer_sign(table: Table) -> tuple[str, dict[int, _Eval], str]:
    ev_n = _evaluate(table, _sign_factors(table.rows, NEGATIVE), NEGATIVE)
    ev_p = _evaluate(table, _sign_factors(table.rows, POSITIVE), POSITIVE)
    e_n = sum(e.score[0] for e in ev_n.values())
    e_p = sum(e.score[0] for e in ev_p.values())
    has_saving = any(r.kind == "line" and _is_saving(r) for r in table.rows)
    neg_text = "besparelser er angivet med negativt fortegn (udgifter +, besparelser −)"
    if not has_saving:
        return (
            NEGATIVE,
            ev_n,
            (
                "Fortegn: ingen rækker er markeret som besparelse/effektivisering; tallene bruges "
                "som de står (udgifter +, besparelser −)."
            ),
        )
    by_rows = _row_signs_say(table)
    undecided = ev_n.keys() == ev_p.keys() and all(
        [c[2] for c in ev_n[t].cells] == [c[2] for c in ev_p[t].cells] for t in ev_n
    )
    if undecided:  # no total mixes savings with other lines
        if by_rows == POSITIVE:
            return (
                POSITIVE,
                ev_p,
                (
                    "Fortegn: besparelser er angivet med positivt fortegn (aflæst af rækkerne med "
                    "besparelser; totalerne afgør det ikke); de regnes om til negative før "
                    "beregning af tilbagebetalingstid."
                ),
            )
        if by_rows == FLIPPED:
            return (
                FLIPPED,
                ev_n,
                (
                    "Fortegn: besparelser positive og udgifter negative (aflæst af rækkernes "
                    "fortegn); alle beløb vendes før beregning af tilbagebetalingstid."
                ),
            )
        if by_rows == NEGATIVE:
            extra = "" if e_n == 0 else f" Ikke alle totaler stemmer ({_cells(e_n)} afviger)."
            return (
                NEGATIVE,
                ev_n,
                (
                    f"Fortegn: {neg_text} – aflæst af rækkerne med besparelser; totalerne afgør "
                    f"det ikke.{extra}"
                ),
            )
        return (
            NEGATIVE,
            ev_n,
            (
                f"Fortegn kan ikke afgøres (besparelsesrækkerne har både positive og negative tal); "
                f"antaget: {neg_text}."
            ),
        )
    if e_n == 0:
        if by_rows == FLIPPED:
            return (
                FLIPPED,
                ev_n,
                (
                    "Fortegn: besparelser positive og udgifter negative (fortegn vendt); totalerne "
                    "er summen af rækkerne. Alle beløb vendes før beregning af tilbagebetalingstid."
                ),
            )
        return NEGATIVE, ev_n, f"Fortegn: {neg_text}; totalerne stemmer med denne læsning."
    if e_p == 0:
        return (
            POSITIVE,
            ev_p,
            (
                "Fortegn: besparelser er angivet med positivt fortegn, og totalerne er udgifter "
                "minus besparelser; besparelserne regnes om til negative før beregning af "
                "tilbagebetalingstid."
            ),
        )
    return (
        NEGATIVE,
        ev_n,
        (
            f"Fortegn: ingen læsning får alle totaler til at stemme ({_cells(e_n)} afviger med "
            f"negative besparelser, {_cells(e_p)} med positive besparelser); antaget: {neg_text}."
        ),
    )


def _cells(n: int) -> str:
    return f"{n} celle" if n == 1 else f"{n} celler"


def _describe_parts(table: Table, ev: _Eval) -> str:
    rows = table.rows
    if ev.kind == "c":
        names = [f"'{rows[i].label}'" for i in ev.parts]
        return "summen af totalerne " + " og ".join(
            [", ".join(names[:-1]), names[-1]] if len(names) > 1 else names
        )
    if ev.kind == "type":
        return f"summen af rækkerne med typen '{rows[ev.parts[0]].type}'"
    return "summen af rækkerne"


def _note_parts(table: Table, t: int, ev: _Eval) -> str:
    rows = table.rows
    name = rows[t].label
    if ev.kind == "c":
        return f"'{name}' = " + " + ".join(f"'{rows[i].label}'" for i in ev.parts) + "."
    if ev.kind == "type":
        return f"'{name}' = summen af rækkerne med typen '{rows[t].type}'."
    sec = rows[ev.parts[0]].section if ev.kind == "a" else None
    where = f" i afsnittet '{sec}'" if sec else " ovenfor"
    return f"'{name}' = summen af {len(ev.parts)} rækker{where}."


def _sum_finding(status, row: Row, year, stated, computed, n, dec, what) -> Finding | None:
    if status == "ok":
        return None
    where = f"'{row.label}'" + (f" {year}" if year is not None else " I alt")
    s, c, d = _fmt(stated, dec), _fmt(computed, dec), _fmt(stated - computed, dec)
    if status == "sign":
        code = "SIGN_MISMATCH"
        msg = f"{where}: angivet {s}, {what} er {c} – samme beløb med modsat fortegn"
    elif status == "rounding":
        code = "ROUNDING"
        msg = (
            f"{where}: angivet {s}, {what} er {c} (forskel {d}); kan skyldes afrunding "
            f"af {n} delbeløb"
        )
    else:
        code = "SUM_MISMATCH"
        msg = f"{where}: angivet {s}, {what} er {c} (forskel {d})"
    return Finding(code, msg, row.label, year, stated, computed, row.line)


def _check_i_alt(table: Table, evals: dict[int, _Eval], signs: list[float]) -> list[Finding]:
    out = []
    for t, r in enumerate(table.rows):
        st = r.i_alt_cell
        if st is None or r.kind not in ("line", "total"):
            continue
        own = [p for p in r.amounts if p is not None]
        options = [
            (
                math.fsum(p.value for p in own),
                len(own),
                max([st.half_unit, *(p.half_unit for p in own)]),
                max([st.decimals, *(p.decimals for p in own)]),
                "summen af årene",
            )
        ]
        ev = evals.get(t)
        if r.kind == "total" and ev is not None:
            parts = []
            for i in ev.parts:
                pr = table.rows[i]
                f = evals[i].factor if pr.kind == "total" and i in evals else signs[i]
                if pr.i_alt_cell is not None:
                    parts.append((f, pr.i_alt_cell))
            if parts:
                options.append(
                    (
                        ev.factor * math.fsum(f * p.value for f, p in parts),
                        len(parts),
                        max([st.half_unit, *(p.half_unit for _, p in parts)]),
                        max([st.decimals, *(p.decimals for _, p in parts)]),
                        "summen af delrækkernes I alt",
                    )
                )
        if any(_status(st.value, o[0], o[1], o[2]) == "ok" for o in options):
            continue
        comp, n, h, dec, what = min(options, key=lambda o: abs(st.value - o[0]))
        f = _sum_finding(_status(st.value, comp, n, h), r, None, st.value, comp, n, dec, what)
        if f:
            out.append(f)
    return out


def _pct(share: float, decimals: int = 1) -> str:
    return f"{format_number(share * 100.0, decimals)} %"


def _check_shares(table: Table) -> list[Finding]:
    if not table.has_key:
        return []
    out = []
    rows = table.rows
    groups: dict[str | None, list[Row]] = {}
    for r in rows:
        if r.kind in ("line", "total"):
            groups.setdefault(r.type if table.has_type else None, []).append(r)
    span = f"{table.years[0]}–{table.years[-1]}" if table.years else ""
    for typ, members in groups.items():
        parts = [r for r in members if r.kind == "line"]
        cells = [[p for p in r.amounts if p is not None] for r in parts]
        total = math.fsum(p.value for cs in cells for p in cs)
        n_all = sum(len(cs) for cs in cells)
        h = max([p.half_unit for cs in cells for p in cs], default=0.5)
        what = f" med typen '{typ}'" if typ else ""
        if total != 0:
            for r, cs in zip(parts, cells, strict=True):
                if r.key is None:
                    continue
                amount = math.fsum(p.value for p in cs)
                share = amount / total
                tol = r.key.half_unit + (len(cs) * h + abs(share) * n_all * h) / abs(total)
                if abs(share - r.key.value) > tol + 1e-12:
                    kd = max(r.key.decimals - 2, 0)
                    out.append(
                        Finding(
                            "SHARE_MISMATCH",
                            f"'{r.label}': fordelingsnøgle {_pct(r.key.value, kd)}, men rækken udgør "
                            f"{_pct(share)} af beløbene{what} {span} "
                            f"({_fmt(amount)} af {_fmt(total)})",
                            r.label,
                            None,
                            r.key.value * 100.0,
                            share * 100.0,
                            r.line,
                        )
                    )
        keys = [r.key for r in parts if r.key is not None]
        for r in members:
            if r.kind != "total" or r.key is None or not keys:
                continue
            ksum = math.fsum(k.value for k in keys)
            tol = r.key.half_unit + sum(k.half_unit for k in keys)
            if abs(ksum - r.key.value) > tol + 1e-12:
                out.append(
                    Finding(
                        "SHARE_MISMATCH",
                        f"'{r.label}': totalens nøgle er {_pct(r.key.value, 0)}, men rækkernes "
                        f"nøgler{what} summer til {_pct(ksum)}",
                        r.label,
                        None,
                        r.key.value * 100.0,
                        ksum * 100.0,
                        r.line,
                    )
                )
    return out


def _payback(table: Table, sign: str, signs: list[float]) -> tuple[dict, dict, list[str]]:
    """Computed payback (years from the first year column = 1) on both bases."""
    notes: list[str] = []
    lines = [(i, r) for i, r in enumerate(table.rows) if r.kind == "line"]
    empty = {"service": None, "total": None}
    if not lines or not table.years:
        return empty, {}, notes
    if len(set(table.years)) != len(table.years):
        notes.append("Tilbagebetalingstid beregnes ikke, fordi et år står i flere kolonner.")
        return empty, {}, notes
    order = sorted(range(len(table.years)), key=lambda k: table.years[k])

    def flows(rows) -> np.ndarray:
        out = np.zeros(len(order))
        for i, r in rows:
            f = -1.0 if sign == FLIPPED else signs[i]
            for pos, k in enumerate(order):
                v = r.amounts[k]
                if v is not None:
                    out[pos] += f * v.value
        return out

    any_area = any(r.area for _, r in lines)
    if not any_area:
        notes.append(
            "Ingen styringsområde-kolonne eller -angivelse: alle rækker regnes som service."
        )
        service_rows = lines
    else:
        unknown = [r for _, r in lines if r.area is None]
        if unknown:
            notes.append(f"{len(unknown)} rækker uden styringsområde regnes som service.")
        service_rows = [(i, r) for i, r in lines if r.area in (None, "service")]
    fl = {"service": flows(service_rows), "total": flows(lines)}
    result = {}
    for basis, f in fl.items():
        y = float(payback_year(f))
        result[basis] = None if math.isnan(y) else y
    return result, fl, notes


def _payback_text(v: float | None, first_year: int) -> str:
    if v is None:
        return "ikke inden for tabellens år"
    return f"{_fmt(v)} år ({first_year + int(v) - 1})"


def _check_payback(table, computed, flows) -> list[Finding]:
    out = []
    first = min(table.years) if table.years else 0
    for r in table.rows:
        if r.kind != "payback" or not r.stated:
            continue
        stated = parse_years(r.stated)
        if stated is None:
            out.append(
                Finding(
                    "UNREADABLE_CELL",
                    f"'{r.label}': '{r.stated}' kan ikke læses som et antal år (fx 6 eller 3 år)",
                    r.label,
                    None,
                    None,
                    None,
                    r.line,
                )
            )
            continue
        low = r.label.lower()
        basis = "service" if "service" in low else "total"
        other = "total" if basis == "service" else "service"
        m = re.search(r",(\d+)", r.stated)
        dec = len(m.group(1)) if m else 0

        def value(b: str, dec: int = dec) -> float | None:
            if dec == 0 or b not in flows:
                return computed.get(b)
            y = float(payback_fractional(flows[b]))
            return None if math.isnan(y) else round(y, dec)

        mine, theirs = value(basis), value(other)
        if mine is not None and abs(mine - stated) < 1e-9:
            continue
        if theirs is not None and abs(theirs - stated) < 1e-9:
            tail = (
                f" Det angivne tal svarer til tilbagebetalingstiden på {BASIS_DA[other]} "
                f"({_fmt(theirs, dec)} år)."
            )
        else:
            tail = (
                f" Det svarer heller ikke til {BASIS_DA[other]} ({_payback_text(theirs, first)})."
            )
        out.append(
            Finding(
                "PAYBACK_MISMATCH",
                f"Tilbagebetalingstid baseret på {BASIS_DA[basis]}: angivet {_fmt(stated, dec)} år, "
                f"beregnet {_payback_text(mine, first)} med år 1 = {first}.{tail}",
                r.label,
                None,
                stated,
                mine,
                r.line,
            )
        )
    return out


def _check_years(table: Table) -> list[Finding]:
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


def _check_staff(table: Table) -> TableReport:
    findings = []
    for r in table.rows:
        v = r.amounts
        if len(v) >= 3:
            change = v[1].value - v[0].value
            if abs(v[2].value - change) > 1e-9:
                findings.append(
                    Finding(
                        "CHANGE_MISMATCH",
                        f"'{r.label}': ændring angivet {_fmt(v[2].value, v[2].decimals)}, men "
                        f"{_fmt(v[1].value, v[1].decimals)} − {_fmt(v[0].value, v[0].decimals)} = "
                        f"{_fmt(change, max(v[0].decimals, v[1].decimals))}",
                        r.label,
                        None,
                        v[2].value,
                        change,
                        r.line,
                    )
                )
    yrs = ", ".join(f"budget {y}" for y in table.years)
    notes = [
        f"Personaletabel ({yrs} og ændring): hver rækkes tal læses i rækkefølge som "
        "fra, til og ændring, fordi kolonnerne ikke står præcist under overskrifterne.",
        "Ingen tilbagebetalingstid for en personaletabel.",
    ]
    return TableReport(
        title=table.caption or table.source,
        findings=findings,
        payback={"service": None, "total": None},
        notes=notes,
        table=table,
    )


def _describe(table: Table) -> list[str]:
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
    if table.has_i_alt:
        cols.append("I alt")
    if table.has_pool:
        cols.append("puljemarkering (X)")
    if table.has_committee:
        cols.append("udvalg")
    if table.has_type:
        cols.append("type")
    if table.has_key:
        cols.append("fordelingsnøgle")
    if cols:
        notes.append("Kolonner fundet: " + ", ".join(cols) + ".")
    return notes


def check_table(text: str, source: str = "<tabel>") -> TableReport:
    """Parse a pasted table, infer its structure and sign convention, and check its figures."""
    table = parse_table(text, source)
    if table.kind == "staff":
        return _check_staff(table)
    notes = _describe(table)
    if table.more_tables:
        notes.append(
            f"Teksten fortsætter med flere tabelrækker efter linje {table.end_line}; kun den "
            f"første tabel (linje {table.header_line}–{table.end_line}) er kontrolleret."
        )
    findings = _check_years(table)
    for u in table.unreadable:
        where = f"'{u.row}' {u.year}" if u.year is not None else f"'{u.row}' ({u.column})"
        findings.append(
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
    sign, evals, sign_note = _infer_sign(table)
    notes.append(sign_note)
    signs = _sign_factors(table.rows, POSITIVE if sign == POSITIVE else NEGATIVE)
    for t, ev in evals.items():
        r = table.rows[t]
        notes.append("Total: " + _note_parts(table, t, ev))
        what = _describe_parts(table, ev)
        for (col, stated, computed, n, _h, dec), status in zip(ev.cells, ev.statuses, strict=True):
            f = _sum_finding(status, r, table.years[col], stated, computed, n, dec, what)
            if f:
                findings.append(f)
    for t, r in enumerate(table.rows):
        if r.kind == "total" and t not in evals:
            notes.append(f"Total: '{r.label}' har ingen rækker over sig og kontrolleres ikke.")
    findings += _check_i_alt(table, evals, signs)
    findings += _check_shares(table)
    payback, flows, pb_notes = _payback(table, sign, signs)
    notes += pb_notes
    if table.years and any(r.kind == "line" for r in table.rows):
        first = min(table.years)
        notes.append(
            "Tilbagebetalingstid beregnet på rækkerne (ikke totalerne): service "
            f"{_payback_text(payback['service'], first)}, totaløkonomi "
            f"{_payback_text(payback['total'], first)}."
        )
    findings += _check_payback(table, payback, flows)
    findings.sort(key=lambda f: (f.line or 0, f.year or 0))
    return TableReport(
        title=table.caption or source,
        findings=findings,
        payback=payback,
        notes=notes,
        table=table,
        sign=sign,
    )


def check_table_file(path: str | Path) -> TableReport:
    """Read a table file and check it; findings name the file by its name."""
    text, encoding = _read(path)
    report = check_table(text, Path(path).name)
    if encoding == "cp1252":
        report.notes.insert(0, "Filen var ikke UTF-8 og er læst som Windows-1252 (cp1252).")
    elif encoding == "utf-16":
        report.notes.insert(0, "Filen er læst som UTF-16 (Unicode-tekst fra Excel).")
    return report
