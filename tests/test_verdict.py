"""The one verdict: its boundaries (properties), hand-calculated cases from the seeds, both
checks deciding with it, and the generated tolerance table in docs/findings.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socinvest.case.load import parse_case
from socinvest.checks.case import check_case
from socinvest.checks.table import check_table
from socinvest.checks.verdict import (
    Verdict,
    main,
    markdown_table,
    match_tolerance,
    replace_table,
    rounding_budget,
    table_in,
    verdict,
)

FINDINGS = Path(__file__).resolve().parents[1] / "docs" / "findings.md"
RANK = {Verdict.MATCH: 0, Verdict.ROUNDING: 1, Verdict.SIGN: 2, Verdict.MISMATCH: 2}

decimals = st.integers(-3, 3)
n_parts = st.integers(2, 40)
side = st.sampled_from([-1.0, 1.0])


# -- hand calculations ---------------------------------------------------------------------


def test_seed003_rounding_of_two_parts():
    # 1.175 + 509 = 1.684, printed 1.685: h = 0,5 + 2 parts · 0,5 = 1,5 >= 1 -> ROUNDING.
    assert verdict(1685, 1684, 0, 2) is Verdict.ROUNDING
    # the same difference on one cell is not a sum: only h = 0,5 -> a mismatch
    assert verdict(1685, 1684, 0, 1) is Verdict.MISMATCH


def test_seed000_sum_mismatch():
    # 'Varige ændringer totalt, service' 2019: -900 vs -1.400 from 3 rows; budget 2, diff 500.
    assert verdict(-900, -1400, 0, 3) is Verdict.MISMATCH


def test_seed003_prose_figure_rounded_to_hundreds():
    # "samlet 0,8 mio. kr." (decimals -2) over 509 + 118 + 118 = 745 printed in 1.000 kr.:
    # h = 50, parts 3 · 0,5 -> 51,5 < 55 -> mismatch (745 is 0,7 mio. kr.).
    assert rounding_budget(-2, 3) == pytest.approx(51.5)
    assert verdict(800, 745, -2, 3) is Verdict.MISMATCH
    assert verdict(700, 745, -2, 3) is Verdict.MATCH  # 45 <= h = 50


def test_issue_example_hundreds():
    # 100 + 200 stated as 400 to the nearest 100: parts printed in whole units sum to 300 ± 1,
    # which rounds to 300, never 400 -> mismatch (budget 50 + 2 · 0,5 = 51 < 100).
    assert verdict(400, 300, -2, 2) is Verdict.MISMATCH
    # parts themselves printed to the nearest 100 (a table in hundreds): 50 + 2 · 50 = 150.
    assert verdict(400, 300, -2, 2, part_decimals=-2) is Verdict.ROUNDING
    assert verdict(300, 300.4, -2, 2) is Verdict.MATCH


def test_opposite_sign_and_mixed_precision():
    assert verdict(8900, -8900, 0, 5) is Verdict.SIGN
    # the engine's 3 × 587,667 = 1.763,001 printed 1.763: within h
    assert verdict(1763, 1763.001, 0, 1) is Verdict.MATCH
    # a whole-number total of parts with one decimal: 1,2 + 1,3 = 2,5 rounds to 3 (h = 0,5)
    assert verdict(3, 2.5, 0, 2, part_decimals=1) is Verdict.MATCH
    # a one-decimal total of whole parts: 3,4 vs 1 + 2; budget 0,05 + 2 · 0,5 = 1,05
    assert verdict(3.4, 3, 1, 2, part_decimals=0) is Verdict.ROUNDING


# -- properties ----------------------------------------------------------------------------


@given(c=st.floats(-1e9, 1e9), d=decimals, n=st.integers(0, 40))
def test_exact_match(c, d, n):
    assert verdict(c, c, d, n) is Verdict.MATCH


@settings(max_examples=200)
@given(d=decimals, n=n_parts, k=st.floats(2, 1e4), sgn=side, direction=side)
def test_rounding_budget_boundary(d, n, k, sgn, direction):
    b = rounding_budget(d, n)
    c = sgn * k * b  # far enough from 0 that the opposite sign cannot fit
    assert verdict(c + direction * b * 0.9999, c, d, n) is Verdict.ROUNDING
    assert verdict(c + direction * b * 1.0001, c, d, n) is Verdict.MISMATCH


@settings(max_examples=200)
@given(d=decimals, n=st.integers(0, 40), k=st.floats(2, 1e4), sgn=side, direction=side)
def test_match_boundary(d, n, k, sgn, direction):
    h = match_tolerance(d)
    c = sgn * k * rounding_budget(d, n)
    assert verdict(c + direction * h * 0.9999, c, d, n) is Verdict.MATCH
    outside = verdict(c + direction * h * 1.0001, c, d, n)
    assert outside is (Verdict.ROUNDING if n >= 2 else Verdict.MISMATCH)


@given(
    s=st.floats(-1e7, 1e7),
    c=st.floats(-1e7, 1e7),
    d=decimals,
    n=st.integers(0, 40),
    pd=st.one_of(st.none(), decimals),
)
def test_symmetry(s, c, d, n, pd):
    v = verdict(s, c, d, n, pd)
    assert verdict(c, s, d, n, pd) is v
    assert verdict(-s, -c, d, n, pd) is v


@given(s=st.floats(-1e6, 1e6), c=st.floats(-1e6, 1e6), d=decimals, n=st.integers(0, 40))
def test_monotone_in_the_number_of_parts(s, c, d, n):
    assert RANK[verdict(s, c, d, n + 1)] <= RANK[verdict(s, c, d, n)]
    assert rounding_budget(d, n + 1) >= rounding_budget(d, n)


@given(
    k=st.floats(0.01, 1e4),
    d=decimals,
    n=st.integers(0, 40),
    extra=st.floats(1.001, 1e3),
    direction=side,
)
def test_a_perturbed_total_beyond_the_budget_is_always_a_finding(k, d, n, extra, direction):
    c = k * rounding_budget(d, n)
    s = c + direction * extra * rounding_budget(d, n)
    assert verdict(s, c, d, n) in (Verdict.MISMATCH, Verdict.SIGN)


# -- both checks decide with it --------------------------------------------------------------

CASE = """\
id: t
title: T
unit: 1.000 kr.
price_level: 2024
horizon: 2024-2025
lines:
  - {{id: a, label: A, kind: cost, amounts: {{2024: 100}}}}
  - {{id: b, label: B, kind: cost, amounts: {{2024: 200}}}}
stated:
  - {{table: Tekst, row: x, of: permanent, values: {{2024: {value}}}, decimals: {decimals}}}
"""


@pytest.mark.parametrize(
    ("value", "dec", "code"),
    [
        (400, -2, "SUM_MISMATCH"),  # 100, budget 51
        (350, -2, None),  # 50 = h: a match
        (301, 0, "ROUNDING"),  # 1 <= 0,5 + 2 · 0,5
        (302, 0, "SUM_MISMATCH"),  # 2 > 1,5
        (-300, 0, "SIGN_MISMATCH"),
    ],
)
def test_case_check_uses_the_verdict(value, dec, code):
    case = parse_case(CASE.format(value=value, decimals=dec), "<test>")
    got = [f.code for f in check_case(case).findings]
    assert got == ([code] if code else [])


@pytest.mark.parametrize(
    ("total", "code"), [("301", "ROUNDING"), ("302", "SUM_MISMATCH"), ("-300", "SIGN_MISMATCH")]
)
def test_table_check_agrees_with_the_case_check(total, code):
    report = check_table(f"kr.\t2024\nA\t100\nB\t200\nI alt\t{total}\n")
    assert [f.code for f in report.findings] == [code]


def test_table_total_printed_coarser_than_its_parts_matches():
    # 1,2 + 1,3 = 2,5 printed as 3 in a whole-number total: the total's own rounding.
    assert check_table("kr.\t2024\nA\t1,2\nB\t1,3\nI alt\t3\n").findings == []


# -- the documentation's table ---------------------------------------------------------------


def test_docs_table_is_generated_from_the_function():
    text = FINDINGS.read_text(encoding="utf-8")
    assert table_in(text) == markdown_table(), (
        "docs/findings.md: run `python -m socinvest.checks.verdict --write docs/findings.md`"
    )
    assert replace_table(text) == text


def test_generator_cli(tmp_path, capsys):
    assert main(["--markdown"]) == 0
    assert capsys.readouterr().out == markdown_table()
    doc = tmp_path / "f.md"
    from socinvest.checks.verdict import END, START

    doc.write_text(f"before\n{START}\nold\n{END}\nafter\n", encoding="utf-8")
    assert main(["--write", str(doc)]) == 0
    assert doc.read_text(encoding="utf-8") == f"before\n{START}\n{markdown_table()}{END}\nafter\n"
    assert main([]) == 2


def test_table_rows_are_the_budget():
    # hand check of two rows: whole units, n = 3 -> 0,5 + 1,5 = 2; hundreds over whole parts,
    # n = 10 -> 50 + 5 = 55.
    table = markdown_table()
    assert "| `0` | `0` | 0.5 | 1.5 | 2 | 3 | 5.5 |" in table
    assert "| `-2` (nearest 100) | `0` | 50 | 51 | 51.5 | 52.5 | 55 |" in table
