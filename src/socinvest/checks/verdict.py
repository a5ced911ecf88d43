"""One verdict for a stated figure: match, ROUNDING, the opposite sign, or a mismatch.

Both the case check (a figure stated in the source document against the engine's computation)
and the table check (a printed total against the sum of its printed parts) decide with
`verdict`; nothing else decides. The rule is the rounding budget of printed figures:

- the stated figure was rounded to its printed precision, so it may differ from the exact
  figure by half a unit of its last printed digit, h = ½·10^-decimals: |s − c| ≤ h is a MATCH;
- a figure that is the sum of n ≥ 2 printed parts also carries the rounding of each part, half
  a unit of the parts' precision, h_p: |s − c| ≤ h + n·h_p is ROUNDING (the parts were rounded
  before they were summed). One part (or none) is not a sum: the budget is h alone;
- the same amount with the opposite sign (|s + c| ≤ h) is SIGN; anything else is MISMATCH.

The parts' precision is their own where it is printed (a table's cells); where it is not known
(a case's lines), parts are taken as printed in whole units of the case, or at the stated
figure's precision when that is finer (`part_decimals` = max(decimals, 0)). So a figure stated
to the nearest 100 (`decimals: -2`) over parts printed in whole units may be off by 50 + n·½,
not by 50·(n + 1): 100 + 200 printed as whole numbers sum to 300 ± 1, which rounds to 300 and
never to 400.

`python -m socinvest.checks.verdict --markdown` prints the tolerance table of docs/findings.md;
`--write docs/findings.md` replaces it between its marker comments (a test compares them).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path


class Verdict(StrEnum):
    MATCH = "match"
    ROUNDING = "rounding"
    SIGN = "sign"
    MISMATCH = "mismatch"


def half_unit(decimals: int) -> float:
    """Half a unit of the last printed digit: 0,5 for whole numbers, 50 for hundreds."""
    return 0.5 * 10.0 ** (-decimals)


def parts_decimals(decimals: int, part_decimals: int | None = None) -> int:
    """The parts' printed precision: given, else whole units or the figure's if finer."""
    return max(decimals, 0) if part_decimals is None else part_decimals


def match_tolerance(decimals: int) -> float:
    """How far a stated figure may be from the exact one and still match: its own rounding."""
    return half_unit(decimals)


def rounding_budget(decimals: int, parts: int, part_decimals: int | None = None) -> float:
    """How far a stated sum of `parts` printed parts may be off because of rounding."""
    h = half_unit(decimals)
    if parts < 2:
        return h
    return h + parts * half_unit(parts_decimals(decimals, part_decimals))


def _eps(stated: float, computed: float) -> float:
    return 1e-12 * max(1.0, abs(stated), abs(computed))  # float noise of a sum, not rounding


def verdict(
    stated: float,
    computed: float,
    decimals: int = 0,
    parts: int = 0,
    part_decimals: int | None = None,
) -> Verdict:
    """The verdict on `stated` (printed with `decimals`) against `computed`, the sum of
    `parts` printed parts (printed with `part_decimals`; see the module docstring)."""
    eps = _eps(stated, computed)
    h = match_tolerance(decimals)
    if abs(stated - computed) <= h + eps:
        return Verdict.MATCH
    if abs(stated + computed) <= h + eps:
        return Verdict.SIGN
    if abs(stated - computed) <= rounding_budget(decimals, parts, part_decimals) + eps:
        return Verdict.ROUNDING
    return Verdict.MISMATCH


# -- the documentation's table ---------------------------------------------------------------

TABLE_ROWS = ((2, 2), (1, 1), (0, 0), (-1, 0), (-2, 0), (-3, 0), (-2, -2))
"""(figure's decimals, parts' decimals): the default parts, and a table printed in hundreds."""
TABLE_PARTS = (2, 3, 5, 10)
START = "<!-- verdict-table:start (generated: python -m socinvest.checks.verdict --write docs/findings.md) -->"
END = "<!-- verdict-table:end -->"


def _g(v: float) -> str:
    return f"{v:,.4f}".rstrip("0").rstrip(".")


def _precision(d: int) -> str:
    return f"`{d}`" + (f" (nearest {_g(10.0**-d)})" if d < 0 else "")


def markdown_table() -> str:
    """The tolerance table: for a figure and its parts' printed precision, the match tolerance
    and the ROUNDING budget for n parts."""
    head = ["figure printed with decimals", "parts printed with decimals", "match if \\|s − c\\| ≤"]
    head += [f"ROUNDING if ≤, n = {n}" for n in TABLE_PARTS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for d, pd in TABLE_ROWS:
        cells = [_precision(d), _precision(pd), _g(match_tolerance(d))]
        cells += [_g(rounding_budget(d, n, pd)) for n in TABLE_PARTS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def replace_table(text: str) -> str:
    """`text` with the table between the markers replaced by the generated one."""
    a, b = text.index(START), text.index(END)
    return text[: a + len(START)] + "\n" + markdown_table() + text[b:]


def table_in(text: str) -> str:
    """The table as it stands between the markers of `text`."""
    a, b = text.index(START), text.index(END)
    return text[a + len(START) : b].lstrip("\n")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--markdown"]:
        sys.stdout.write(markdown_table())
        return 0
    if argv[:1] == ["--write"] and len(argv) == 2:
        p = Path(argv[1])
        p.write_text(replace_table(p.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    sys.stderr.write("usage: python -m socinvest.checks.verdict --markdown | --write FILE\n")
    return 2


if __name__ == "__main__":  # pragma: no cover - exercised by the docs test through main()
    raise SystemExit(main(sys.argv[1:]))
