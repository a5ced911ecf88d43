"""Round-trip properties (Hypothesis) on generated cases (tests/strategies.py):

(a) a number formatted the Danish way parses back to the value it printed;
(b) a case printed as a pasted table (tab-separated, Danish numbers, whole 1.000 kr.),
    imported with `socinvest import` and loaded again has the same totals per year, within
    the printed precision;
(c) `sign: savings_positive` with every explicit amount negated gives exactly the results of
    `sign: spending`;
(d) a stated figure moved beyond its rounding budget always gives an error finding from
    `socinvest check` (and the exact figure none).
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from socinvest.engine.resolve import evaluate
from socinvest.numbers import format_number, format_percent, parse_number, parse_percent
from socinvest.services.case import load_case

from .conftest import cli
from .strategies import cases, examples, flip_sign, load, to_yaml

SETTINGS = examples(30)

# -- (a) Danish numbers -----------------------------------------------------------------------


@given(st.integers(-(10**12), 10**12))
@settings(max_examples=50, deadline=None)
def test_whole_numbers_round_trip_exactly(n):
    text = format_number(n)
    assert "," not in text and (text.startswith("-") == (n < 0))
    p = parse_number(text)
    assert p is not None and p.value == n and p.decimals == 0


@given(
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False, allow_subnormal=False),
    st.integers(0, 4),
)
@settings(max_examples=50, deadline=None)
def test_decimals_round_trip_within_half_a_printed_unit(x, decimals):
    text = format_number(x, decimals)
    p = parse_number(text)
    assert p is not None, text
    assert p.decimals == decimals
    # the printed value is x rounded: within half a unit of the last printed digit
    assert abs(p.value - x) <= p.half_unit * (1 + 1e-9) + 1e-9 * abs(x)
    # and printing the parsed value again gives the same text
    assert format_number(p.value, decimals) == text


@given(st.integers(0, 1000), st.integers(0, 2))
@settings(max_examples=30, deadline=None)
def test_percentages_round_trip(permille, decimals):
    share = permille / 1000
    p = parse_percent(format_percent(share, decimals))
    assert p is not None
    assert abs(p.value - share) <= 0.5 * 10.0 ** (-decimals) / 100 + 1e-12


# -- (b) import -> YAML -> load -------------------------------------------------------------------

SECTIONS = (
    ("Varige ændringer", ("cost", "saving"), "Samlet varig ændring"),
    ("Implementeringsomkostninger", ("investment",), "Samlede implementeringsomkostninger"),
)
AREA_TEXT = {"service": "Service", "anlaeg": "Anlæg"}


def _printed(v: float) -> int:
    """What a table shows for an amount in whole 1.000 kr. (half away from zero)."""
    return int(math.copysign(math.floor(abs(v) + 0.5), v))


def pasted_table(res) -> tuple[str, np.ndarray]:
    """Tabel 1 of `res` as a user pastes it from Word: caption, header with unit and p/l,
    sections, `<b>` totals. Returns the text and the printed line amounts (lines, years)."""
    case = res.case
    years = [int(y) for y in res.years]
    printed = np.array([[_printed(v) for v in row] for row in res.amounts[0]], dtype=float)

    def row(label: str, area: str, values) -> str:
        return "\t".join([label, area, *(format_number(v) for v in values)])

    def bold(label: str, values) -> str:
        cells = [f"<b>{format_number(v)}</b>" for v in values]
        return "\t".join([f"<b>{label}</b>", "", *cells])

    out = [
        "Tabel 1. Forslagets samlede økonomiske konsekvenser",
        "",
        "\t".join([f"1.000 kr. {case.price_level} p/l", "Styringsområde", *map(str, years)]),
    ]
    totals = []
    for head, kinds, total in SECTIONS:
        idx = [i for i, ln in enumerate(case.lines) if ln.kind.value in kinds]
        if not idx:
            continue
        out.append(f"<b>{head}</b>" + "\t" * (len(years) + 1))
        for i in idx:
            ln = case.lines[i]
            out.append(row(ln.label, AREA_TEXT[ln.area.value], printed[i]))
        sums = printed[idx].sum(axis=0)
        totals.append(sums)
        out.append(bold(total, sums))
    out.append(bold("Samlet økonomisk påvirkning", sum(totals)))
    return "\n".join(out) + "\n", printed


@given(cases(max_lines=5))
@SETTINGS
def test_import_of_a_pasted_table_gives_the_same_totals(d):
    res = evaluate(load(d))
    # a printed table holds whole numbers of modest size; skip astronomically large drivers
    assume(np.abs(res.amounts).max() < 1e9)
    text, printed = pasted_table(res)
    with tempfile.TemporaryDirectory() as tmp:
        table, out = Path(tmp) / "tabel1.txt", Path(tmp) / "case.yaml"
        table.write_text(text, encoding="utf-8")
        r = cli("import", table, "-o", out)
        assert r.exit_code == 0, r.output + "\n" + text
        back = evaluate(load_case(out))
    assert [int(y) for y in back.years] == [int(y) for y in res.years]
    assert back.case.unit == res.case.unit and back.case.price_level == res.case.price_level
    # the imported case holds exactly the printed amounts ...
    np.testing.assert_array_equal(back.impact[0], printed.sum(axis=0))
    inv = [i for i, ln in enumerate(res.case.lines) if ln.kind.value == "investment"]
    np.testing.assert_array_equal(back.investment[0], printed[inv].sum(axis=0))
    np.testing.assert_array_equal(back.permanent[0], back.impact[0] - back.investment[0])
    service = [i for i, ln in enumerate(res.case.lines) if ln.area.value == "service"]
    back_service = sum((v[0] for a, v in back.by_area().items() if a == "service"), start=0.0)
    np.testing.assert_array_equal(back_service + 0 * printed[0], printed[service].sum(axis=0))
    # ... so its totals are the original's within half a unit per printed line
    budget = 0.5 * len(res.case.lines) + 1e-6
    assert np.all(np.abs(back.impact[0] - res.impact[0]) <= budget)
    assert np.all(np.abs(back.permanent[0] - res.permanent[0]) <= budget)
    assert np.all(np.abs(back.investment[0] - res.investment[0]) <= budget)


# -- (c) the two sign conventions ---------------------------------------------------------------


@given(cases(sign="spending"), st.integers(0, 2**32 - 1))
@SETTINGS
def test_savings_positive_with_negated_amounts_gives_the_same_results(d, seed):
    from socinvest.uncertainty.sampling import sample

    spending, positive = load(d), load(flip_sign(d))
    assert positive.sign.value == "savings_positive"
    a, b = evaluate(spending), evaluate(positive)
    np.testing.assert_array_equal(a.amounts, b.amounts)
    for name in ("impact", "permanent", "investment", "own_net"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    for basis in ("service", "total"):
        np.testing.assert_array_equal(a.payback(basis), b.payback(basis))
        np.testing.assert_array_equal(a.payback_fractional(basis), b.payback_fractional(basis))
    np.testing.assert_array_equal(a.npv(), b.npv())
    for x, y in zip(a.by_committee().values(), b.by_committee().values(), strict=True):
        np.testing.assert_array_equal(x, y)
    # the same draws give the same simulated results
    draws_a = sample(spending, 8, np.random.default_rng(seed))
    draws_b = sample(positive, 8, np.random.default_rng(seed))
    if draws_a:
        sa, sb = evaluate(spending, overrides=draws_a), evaluate(positive, overrides=draws_b)
        np.testing.assert_array_equal(sa.amounts, sb.amounts)
        np.testing.assert_array_equal(sa.payback("total"), sb.payback("total"))


# -- (d) a perturbed stated figure ---------------------------------------------------------------

ROW = "Perturberet total"


@st.composite
def stated_figures(draw):
    """A case, the years and selection of one stated figure, and how far to move it."""
    d = draw(cases(max_lines=5, uncertain=False))
    of = draw(st.sampled_from(["impact", "permanent", "investment", "all"]))
    form = draw(st.sampled_from(["values", "total"]))
    beyond = draw(st.integers(1, 5000))
    direction = draw(st.sampled_from([-1, 1]))
    return d, of, form, beyond, direction


def _check(d: dict) -> tuple[int, list[dict]]:
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "case.yaml"
        p.write_text(to_yaml(d), encoding="utf-8")
        r = cli("check", p, "--json")
    return r.exit_code, json.loads(r.stdout)["findings"]


@given(stated_figures())
@SETTINGS
def test_a_stated_figure_beyond_its_rounding_budget_is_an_error(args):
    d, of, form, beyond, direction = args
    res = evaluate(load(d))
    kinds = {
        "impact": ("cost", "saving", "investment"),
        "all": ("cost", "saving", "investment"),
        "permanent": ("cost", "saving"),
        "investment": ("investment",),
    }[of]
    idx = [i for i, ln in enumerate(d["lines"]) if ln["kind"] in kinds]
    assume(idx)
    flows = res.amounts[0, idx]
    k = len(res.years) // 2
    computed = float(flows[:, k].sum()) if form == "values" else float(flows.sum())
    parts = len(idx) if form == "values" else flows.size
    # docs/case-format.md: h = 1/2 for decimals 0; rounding of n parts explains up to h(n + 1)
    budget = 0.5 * (parts + 1)
    stated = round(computed) + direction * (math.ceil(budget) + beyond)
    flip = -1 if d["sign"] == "savings_positive" else 1  # stated figures follow `sign`
    figure = {"table": "Tabel 9", "row": ROW, "of": of}
    if form == "values":
        figure["values"] = {int(res.years[k]): flip * stated}
    else:
        figure["total"] = flip * stated
    code, findings = _check({**d, "stated": [figure]})
    mine = [f for f in findings if ROW in (f.get("row") or "")]
    assert code == 1, findings
    assert mine and all(f["severity"] == "error" for f in mine), mine
    # the exact figure, printed with 6 decimals, is a match: no finding on that row
    exact = {**figure, "decimals": 6}
    exact.pop("values", None), exact.pop("total", None)
    exact[form] = {int(res.years[k]): flip * computed} if form == "values" else flip * computed
    _, findings = _check({**d, "stated": [exact]})
    assert [f for f in findings if ROW in (f.get("row") or "")] == []
