"""A document's tables: every table in pasted text, in order — tables with year columns,
a staff table, and tables whose columns are not years (by age group), read as data."""

from __future__ import annotations

from ...numbers import parse_number
from . import text as tx
from .model import Row, Table, UnreadableCell
from .parse import (
    _block_top,
    _body_end,
    _next_tab,
    _prepare,
    _year_table,
    parse_table,
)
from .roles import positional_totals
from .staff import parse_staff


def parse_tables(text: str, source: str = "<tabel>") -> list[Table]:
    """Every table in `text`, in order: tables with year columns, a staff table (read to the
    end of the text) and tables whose columns are not years (`kind="data"`). Raises the
    InputError of `parse_table` when the text holds no table at all. Linear in the text."""
    lines, cells_of, layout, sign = _prepare(text)
    nxt = _next_tab(cells_of)
    years_at = [i for i, c in enumerate(cells_of) if c and tx.is_year_header(c)]
    tables: list[Table] = []
    start, k = 0, 0
    while start < len(lines) and nxt[start] < len(lines):
        while k < len(years_at) and years_at[k] < start:
            k += 1
        hy = years_at[k] if k < len(years_at) else None
        first_tab = nxt[start]
        if hy is not None and _block_top(cells_of, hy) <= first_tab:
            t = _year_table(lines, cells_of, hy, source, layout, sign, nxt)
        else:
            stop = hy if hy is not None else len(lines)
            sub = [c if start <= i < stop else None for i, c in enumerate(cells_of)]
            staff = parse_staff(lines[:stop], sub[:stop], source)
            if staff is not None:
                tables.append(staff)
                break
            t = _data_table(lines, cells_of, first_tab, source, layout, sign, nxt, stop)
        tables.append(t)
        start = max(t.end_line, start + 1)
    if not tables:
        return [parse_table(text, source)]  # raises the InputError that says what is missing
    return tables


def _data_table(lines, cells_of, top, source, layout, sign, nxt, stop) -> Table:
    """A table whose columns are not years (by age group, by district): its first tab line is
    the header, the rows below are read as data; totals are checked per column."""
    head = cells_of[top]
    end = _body_end(lines, cells_of, top + 1, stop)
    width = max(len(c) for c in cells_of[top:end] if c)
    body = [c for c in cells_of[top + 1 : end] if c]
    # amount columns: those with a number in the body; text columns (an area) are skipped
    keep = [
        k
        for k in range(1, width)
        if any(k < len(c) and parse_number(c[k]) is not None for c in body)
    ]
    columns = tuple(head[k] if k < len(head) else "" for k in keep)
    rows: list[Row] = []
    unreadable: list[UnreadableCell] = []
    section = None
    for j in range(top + 1, end):
        c = cells_of[j]
        if c is None:
            s = tx.clean(lines[j])
            if s and len(s) <= 80:
                rows.append(Row(line=j + 1, label=s, kind="section"))
                section = s
            continue
        c = c + [""] * (width - len(c))
        label = c[0] or f"linje {j + 1}"
        amounts = []
        for n, k in enumerate(keep):
            cell, bad = tx.cell(c[k])
            if bad:
                unreadable.append(UnreadableCell(j + 1, label, None, columns[n], c[k]))
            amounts.append(cell)
        if not any(a is not None for a in amounts) and not any(c[1:width]):
            rows.append(Row(line=j + 1, label=label, kind="section"))
            section = label
            continue
        kind = "total" if tx.is_total_label(label) else "line"
        rows.append(Row(j + 1, label, kind, tuple(amounts), section=section))
    caption = tx.caption(lines, _block_top(cells_of, top))
    text = " ".join([*(x for x in head), caption or ""])
    return Table(
        source=source,
        caption=caption,
        unit=tx.find_unit(text),
        price_level=tx.find_price_level(text),
        years=(),
        rows=tuple(positional_totals(rows)),
        header_line=top + 1,
        kind="data",
        unreadable=tuple(unreadable),
        end_line=end,
        more_tables=nxt[end] < len(lines) if end < len(lines) else False,
        columns=columns,
        layout=layout,
        sign_text=sign[0] if sign else None,
        sign_sentence=sign[1] if sign else None,
    )
