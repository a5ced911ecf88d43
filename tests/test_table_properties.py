"""Property: a table whose totals are right has no findings, in either sign convention, and its
computed payback is the engine's payback of the net spending per year."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from socinvest.checks.table import NEGATIVE, POSITIVE, check_table
from socinvest.engine.finance import payback_year
from socinvest.numbers import format_number

TABLES = Path(__file__).parent / "fixtures" / "tables"
YEARS = (2020, 2021, 2022)
amounts = st.lists(st.integers(0, 20_000), min_size=3, max_size=3)


def _row(label: str, values) -> str:
    return "\t".join([label, *(format_number(v) for v in values)])


@settings(max_examples=40, deadline=None)
@given(
    costs=st.lists(amounts, min_size=1, max_size=3),
    savings=st.lists(
        st.lists(st.integers(1, 20_000), min_size=3, max_size=3), min_size=1, max_size=3
    ),
    positive=st.booleans(),
)
def test_consistent_tables_have_no_findings(costs, savings, positive):
    sign = 1 if positive else -1
    net = [sum(c[k] for c in costs) - sum(s[k] for s in savings) for k in range(3)]
    lines = ["1.000 kr.\t" + "\t".join(map(str, YEARS)), "Omkostninger\t\t\t"]
    lines += [_row(f"Udgift {i}", c) for i, c in enumerate(costs)]
    lines += ["Effektiviseringer\t\t\t"]
    lines += [_row(f"Mindre forbrug {i}", [sign * v for v in s]) for i, s in enumerate(savings)]
    lines += [_row("Netto i alt", net)]
    report = check_table("\n".join(lines) + "\n")
    assert report.findings == []
    assert report.sign == (POSITIVE if positive else NEGATIVE)
    expected = float(payback_year(np.array(net, dtype=float)))
    got = report.payback["total"]
    assert (got is None and np.isnan(expected)) or got == expected


def test_every_table_of_several_is_checked():
    # issue 10 A5: a pasted document with several tables is checked table by table; the
    # rounding finding of the second table (1.175 + 509 = 1.684, stated 1.685) is reported
    # with the table's caption in front of its row.
    a = (TABLES / "seed003_tabel2_varige.txt").read_text("utf-8")
    b = (TABLES / "seed003_tabel3_investeringer.txt").read_text("utf-8")
    report = check_table(a + "\n" + b)
    assert [(f.code, f.row.split(": ")[-1], f.year) for f in report.findings] == [
        ("ROUNDING", "Investeringer totalt, service", 2017)
    ]
    assert len(report.tables) == 2
    assert any("2 tabeller" in n for n in map(str, report.notes))
