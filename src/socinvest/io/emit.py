"""Writing the case file: YAML by hand, so that comments can stand where they belong."""

from __future__ import annotations

import json
import re

from .spec import LineSpec, StatedSpec

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def q(s: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML), without control
    characters (they would reach a terminal or a report raw)."""
    return json.dumps(_CONTROL.sub(" ", s), ensure_ascii=False)


def num(v: float) -> str:
    v = float(v) + 0.0
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def year_map(values: dict[int, float], ranges: bool = True) -> str:
    """`{2017: 5400, 2019-2029: 7500}`: runs of consecutive years with one value as a range."""
    ys = sorted(values)
    parts = []
    k = 0
    while k < len(ys):
        j = k
        while (
            ranges
            and j + 1 < len(ys)
            and ys[j + 1] == ys[j] + 1
            and values[ys[j + 1]] == values[ys[k]]
        ):
            j += 1
        key = str(ys[k]) if j == k else f"{ys[k]}-{ys[j]}"
        parts.append(f"{key}: {num(values[ys[k]])}")
        k = j + 1
    return "{" + ", ".join(parts) + "}"


def comment(text: str, indent: str = "") -> list[str]:
    """YAML comment lines; control characters (from a pasted label) become spaces."""
    return [f"{indent}# {_CONTROL.sub(' ', ln)}".rstrip() for ln in text.splitlines() or [""]]


def line_yaml(ln: LineSpec) -> list[str]:
    out = comment(ln.origin, "  ")
    for c in ln.comments:
        out += comment(c, "  ")
    out.append(f"  - id: {ln.id}")
    out.append(f"    label: {q(ln.label)}")
    if ln.row and ln.row != ln.label:
        out.append(f"    row: {q(ln.row)}")
    out.append(f"    kind: {ln.kind}")
    if ln.area and ln.area != "service":
        out.append(f"    area: {ln.area}")
    if ln.owner:
        out.append(f"    owner: {q(ln.owner)}")
    if ln.allocation:
        body = ", ".join(f"{q(c)}: {num(v)}" for c, v in ln.allocation.items())
        out.append(f"    allocation: {{{body}}}")
    if ln.funding != "own":
        out.append(f"    funding: {ln.funding}")
    nonzero = {y: v for y, v in ln.amounts.items() if v != 0}
    out.append(f"    amounts: {year_map(nonzero) if nonzero else '0'}")
    return out


def stated_yaml(s: StatedSpec) -> list[str]:
    out = comment(s.origin, "  ")
    items = [f"table: {q(s.table)}", f"row: {q(s.row)}"]
    if s.payback:
        assert s.value is not None  # a payback figure always has its value
        items += [f"payback: {s.payback}", f"value: {num(s.value)}"]
    else:
        if s.of:
            items.append(f"of: {s.of}")
        if s.lines is not None:
            items.append(f"lines: [{', '.join(s.lines)}]")
        if s.committee:
            items.append(f"committee: {q(s.committee)}")
        if s.funding:
            items.append(f"funding: {s.funding}")
        if s.values is not None:
            items.append(f"values: {year_map(s.values)}")
        if s.total is not None:
            items.append(f"total: {num(s.total)}")
        if s.share is not None:
            items.append(f"share: {num(s.share)}")
        if s.years is not None:
            items.append(f"years: {s.years}")
        if s.decimals:
            items.append(f"decimals: {max(min(s.decimals, 6), -9)}")
    out.append("  - {" + ", ".join(items) + "}")
    return out
