"""Structure inference: from pasted text to a `Table`.

`parse_table` runs five named steps:

1. find the year header (the first tab line whose cells after the label are years);
2. collect the header block around it (lines above; text-only lines below, for headers split
   over two lines) and read unit, price level and caption from it;
3. find the role columns: I alt, styringsområde, pulje (X), fordelingsnøgle, and whether the
   first column holds committees (udvalg);
4. find where the body ends and whether a type column (Besparelse/Omkostninger) exists;
5. read each body row as a section header, line, total or payback row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...errors import InputError
from ...i18n import Msg
from ...numbers import Parsed, parse_number, parse_percent
from . import text as tx
from .layout import to_tabs
from .model import Row, Table, UnreadableCell
from .roles import net_rows_without_external, positional_totals
from .staff import parse_staff


@dataclass(frozen=True)
class _Header:
    top: int  # index of the first header line
    year_line: int  # index of the line with the years
    body: int  # index of the first body line
    head: list[str]  # per column: the header text of all header lines joined
    year_cols: list[int]
    years: tuple[int, ...]
    caption: str | None
    unit: str | None
    price_level: int | None

    @property
    def width(self) -> int:
        return len(self.head)


@dataclass(frozen=True)
class _Columns:
    i_alt: int | None
    area: int | None
    pool: int | None
    key: int | None
    type: int | None
    committee: bool  # the first column names committees (udvalg)


def parse_table(text: str, source: str = "<tabel>") -> Table:
    """Read a pasted table (tab-separated, Danish numbers) and infer its structure: the first
    table with year columns (or a staff table) in `text`."""
    lines, cells_of, layout, sign = _prepare(text)
    hy = next((i for i, c in enumerate(cells_of) if c and tx.is_year_header(c)), None)
    if hy is None:
        return _without_year_header(lines, cells_of, source)
    return _year_table(lines, cells_of, hy, source, layout, sign, _next_tab(cells_of))


def _prepare(text: str):
    text, layout = to_tabs(text)
    lines = tx.split_lines(text)
    cells_of = [
        [tx.clean(c) for c in ln.split("\t")] if "\t" in ln and ln.strip() else None for ln in lines
    ]
    return lines, cells_of, layout, tx.sign_sentence(text)


def _next_tab(cells_of: list) -> list[int]:
    """Per line index: the index of the next tab line at or after it (len when none)."""
    out = [len(cells_of)] * (len(cells_of) + 1)
    for i in range(len(cells_of) - 1, -1, -1):
        out[i] = i if cells_of[i] else out[i + 1]
    return out


def _block_top(cells_of: list, hy: int) -> int:
    top = hy
    while top - 1 >= 0 and cells_of[top - 1]:
        top -= 1
    return top


def _year_table(lines, cells_of, hy, source, layout, sign, nxt) -> Table:
    header = _header(lines, cells_of, hy)
    year_line = cells_of[hy]
    assert year_line is not None  # found as a tab line with years
    cols = _role_columns(header, year_line)
    end = _body_end(lines, cells_of, header.body)
    cols = _with_type_column(cols, header, [cells_of[j] for j in range(header.body, end)])
    rows, unreadable = _read_rows(lines, cells_of, header, cols, end)
    rows = positional_totals(net_rows_without_external(rows))
    return Table(
        source=source,
        caption=header.caption,
        unit=header.unit,
        price_level=header.price_level,
        years=header.years,
        rows=tuple(rows),
        header_line=hy + 1,
        has_area_column=cols.area is not None,
        has_i_alt=cols.i_alt is not None,
        has_pool=cols.pool is not None,
        has_committee=cols.committee,
        has_type=cols.type is not None,
        has_key=cols.key is not None,
        unreadable=tuple(unreadable),
        end_line=end,
        more_tables=nxt[end] < len(lines) if end < len(lines) else False,
        layout=layout,
        sign_text=sign[0] if sign else None,
        sign_sentence=sign[1] if sign else None,
    )


def _without_year_header(lines: list[str], cells_of: list, source: str) -> Table:
    """A staff table, or an InputError saying what is missing."""
    staff = parse_staff(lines, cells_of, source)
    if staff is not None:
        return staff
    if not any(cells_of):
        raise InputError(
            Msg(
                "{source}: ingen tabel fundet – teksten har ingen kolonner adskilt af "
                "tabulatorer; kopiér tabellen direkte fra Word, Excel eller PDF",
                source=source,
            )
        )
    raise InputError(
        Msg(
            "{source}: ingen årskolonner fundet – tabellen skal have en overskriftsrække med "
            "årstal (fx 2017, 2018, …) i hver sin kolonne, adskilt af tabulatorer",
            source=source,
        )
    )


def _header(lines: list[str], cells_of: list, hy: int) -> _Header:
    """Step 2: tab lines directly above the year line, and label-less text-only lines directly
    below it (a header split over lines: "Innovations-pulje" / "(sæt X)")."""
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
    year_cols = [k for k in range(1, len(year_line)) if tx.is_year(year_line[k])]
    header_text = " ".join([*head, *(lines[j] for j in header_idx)])
    caption = tx.caption(lines, top)
    unit = tx.find_unit(header_text) or (tx.find_unit(caption) if caption else None)
    price = tx.find_price_level(header_text) or (tx.find_price_level(caption) if caption else None)
    return _Header(
        top=top,
        year_line=hy,
        body=body,
        head=head,
        year_cols=year_cols,
        years=tuple(int(year_line[k]) for k in year_cols),
        caption=caption,
        unit=unit,
        price_level=price,
    )


def _role_columns(h: _Header, year_line: list[str]) -> _Columns:
    """Step 3: columns by their header text (the I alt column may also sit on the year line)."""

    def role_col(pred) -> int | None:
        return next(
            (k for k in range(1, h.width) if k not in h.year_cols and pred(tx.norm(h.head[k]))),
            None,
        )

    i_alt_col = next(
        (k for k in range(1, len(year_line)) if tx.norm(year_line[k]) in ("ialt", "total")),
        None,
    )
    if i_alt_col is None:
        i_alt_col = role_col(lambda s: s in ("ialt", "total"))
    return _Columns(
        i_alt=i_alt_col,
        area=role_col(lambda s: s.startswith("styringsomr")),
        pool=role_col(lambda s: "pulje" in s),
        key=role_col(lambda s: "nøgle" in s or s.startswith("fordeling")),
        type=None,
        committee=tx.norm(h.head[0]).startswith("udvalg"),
    )


def _body_end(lines: list[str], cells_of: list, body: int, stop: int | None = None) -> int:
    """Step 4a: the body runs up to the last tab line before a caption, heading, paragraph or
    the year header of the next table."""
    end = body
    for j in range(body, len(lines) if stop is None else stop):
        c = cells_of[j]
        if c:
            if tx.is_year_header(c) and j > body:
                break
            end = j + 1
        elif lines[j].strip() and tx.ends_table(lines[j]):
            break
    return end


def _with_type_column(cols: _Columns, h: _Header, body: list) -> _Columns:
    """Step 4b: a text column before the years holding types (Besparelse / Omkostninger)."""
    taken = set(h.year_cols) | {
        c for c in (cols.i_alt, cols.area, cols.pool, cols.key) if c is not None
    }
    body_cells = [c for c in body if c]
    for k in range(1, h.width):
        if k in taken or k >= min(h.year_cols):
            continue
        vals = [c[k] for c in body_cells if k < len(c) and c[k]]
        textual = vals and all(parse_number(v) is None and parse_percent(v) is None for v in vals)
        if textual and (
            cols.committee
            or tx.norm(h.head[k]) in ("type", "art")
            or any(tx.SAVING.search(v) or "omkostning" in v.lower() for v in vals)
        ):
            return _Columns(cols.i_alt, cols.area, cols.pool, cols.key, k, cols.committee)
    return cols


def _read_rows(
    lines: list[str], cells_of: list, h: _Header, cols: _Columns, end: int
) -> tuple[list[Row], list[UnreadableCell]]:
    """Step 5: each body line becomes a section header, line, total or payback row."""
    rows: list[Row] = []
    unreadable: list[UnreadableCell] = []
    section: str | None = None
    committee: str | None = None  # the committee of the rows below its name
    for j in range(h.body, end):
        c = cells_of[j]
        if c is None:
            s = tx.clean(lines[j])
            if s and len(s) <= 80:  # a section header pasted without its empty cells
                rows.append(Row(line=j + 1, label=s, kind="section"))
                section = s
            continue
        c = c + [""] * (h.width - len(c))
        if cols.committee and c[0]:
            committee = c[0]
        row = _read_row(j + 1, c, h, cols, section, committee, unreadable)
        rows.append(row)
        if row.kind == "section":
            section = row.label
    return rows, unreadable


def _read_row(
    line: int,
    c: list[str],
    h: _Header,
    cols: _Columns,
    section: str | None,
    committee: str | None,
    unreadable: list[UnreadableCell],
) -> Row:
    label = c[0]
    typ = c[cols.type] if cols.type is not None else ""
    if cols.committee:
        name = committee or ""
        if typ:
            name = f"{name} ({typ})" if name else typ
    else:
        name = label or f"linje {line}"
    if _is_payback(label, [c[k] for k in h.year_cols]):
        stated = next((x for x in c[1:] if x), None)
        return Row(line=line, label=label, kind="payback", stated=stated, section=section)
    amounts: list[Parsed | None] = []
    raw_nonblank = False
    for k, y in zip(h.year_cols, h.years, strict=True):
        cell, bad = tx.cell(c[k])
        raw_nonblank |= bool(c[k]) and c[k] not in tx.DASH
        if bad:
            unreadable.append(UnreadableCell(line, name, y, str(y), c[k]))
        amounts.append(cell)
    i_alt = None
    if cols.i_alt is not None:
        i_alt, bad = tx.cell(c[cols.i_alt])
        raw_nonblank |= bool(c[cols.i_alt]) and c[cols.i_alt] not in tx.DASH
        if bad:
            unreadable.append(UnreadableCell(line, name, None, "I alt", c[cols.i_alt]))
    key = None
    if cols.key is not None and c[cols.key]:
        key = parse_percent(c[cols.key])
        if key is None:
            unreadable.append(UnreadableCell(line, name, None, "Fordelingsnøgle", c[cols.key]))
    area = tx.area_of(c[cols.area]) if cols.area is not None and c[cols.area] else None
    if area is None:
        m = tx.AREA_SUFFIX.search(label)
        if m:
            area = tx.area_of(m.group(1))
    pool = cols.pool is not None and c[cols.pool].strip().lower() == "x"
    total_name = committee if cols.committee else label
    if not cols.committee and label and tx.REPAYMENT.search(label):
        kind = "repayment"
    elif not cols.committee and label and _is_external(label):
        kind = "external"
    elif not cols.committee and label and tx.NET.search(label):
        kind = "net"
    elif total_name and tx.is_total_label(total_name):
        kind = "total"
    elif not raw_nonblank and key is None and not (cols.committee and typ):
        kind = "section"
    else:
        kind = "line"
    return Row(
        line=line,
        label=name,
        kind=kind,
        amounts=tuple(amounts),
        i_alt_cell=i_alt,
        area=area,
        section=section,
        committee=committee if cols.committee else None,
        type=typ or None,
        key=key,
        pool=pool,
    )


def _is_payback(label: str, year_cells: list[str]) -> bool:
    """A payback-period row ("Tilbagebetalingstid …", or "Tilbagebetaling" with one figure),
    not a repayment to the pool (an amount in each of several years)."""
    if tx.PAYBACK.match(label):
        return True
    if not label.lower().startswith("tilbagebetaling"):
        return False
    if re.search(r"\btil\b|pulje|afdrag", label, re.IGNORECASE):
        return False
    return sum(1 for x in year_cells if x and parse_number(x) is not None) <= 1


def _is_external(label: str) -> bool:
    return bool(tx.EXTERNAL.search(label)) and "investeringspulje" not in label.lower()
