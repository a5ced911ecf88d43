"""The engine: drivers, sign conventions, draws, and the safe expression language."""

from __future__ import annotations

import numpy as np
import pytest

from socinvest.case.expr import ExpressionError, parse_expression
from socinvest.engine.resolve import evaluate
from socinvest.services.case import load_case, parse_case

from .conftest import EXAMPLES

BASE = """
id: t
title: test
unit: 1.000 kr.
price_level: 2024
horizon: 2024-2027
committees: {A: Udvalg A}
parameters:
  fte: {value: {2024: 2, 2025-2027: 4}, unit: årsværk, source: test}
  rate: {value: 550, unit: 1.000 kr. pr. årsværk, source: test}
  n: {value: 5, unit: antal, source: test}
  price: {value: 120, unit: 1.000 kr., source: test}
"""


def _eval(lines: str, extra: str = ""):
    return evaluate(parse_case(BASE + extra + "lines:\n" + lines))


def test_drivers_and_kind_signs():
    res = _eval("""
  - {id: staff, label: Staff, kind: cost, owner: A, driver: {fte: fte, rate: rate}}
  - {id: avoided, label: Avoided, kind: saving, owner: A,
     driver: {count: n, price: price, multiplier: 3}, ramp: {2024: 0.5}}
  - {id: e, label: Expr, kind: investment, owner: A,
     driver: {expr: "max(0, 2026 - year) * 10 + t"}}
""")
    a = res.amounts[0]
    np.testing.assert_allclose(a[0], [1100, 2200, 2200, 2200])  # 2 and 4 årsværk × 550
    np.testing.assert_allclose(a[1], [-900, -1800, -1800, -1800])  # 5 × 120 × 3, half in 2024
    np.testing.assert_allclose(a[2], [21, 12, 3, 4])  # (2026-year)·10 floored at 0, plus t


def test_savings_positive_convention_is_explicit():
    spending = _eval("  - {id: s, label: S, kind: saving, owner: A, amounts: {2024-2027: -100}}")
    positive = _eval(
        "  - {id: s, label: S, kind: saving, owner: A, amounts: {2024-2027: 100}}",
        "sign: savings_positive\n",
    )
    np.testing.assert_array_equal(spending.amounts, positive.amounts)
    assert positive.amounts[0, 0, 0] == -100  # internally: savings negative


def test_a_saving_written_with_the_wrong_sign_is_reported():
    from socinvest.checks.case import check_case

    res = _eval("  - {id: s, label: S, kind: saving, owner: A, amounts: {2024-2027: 100}}")
    codes = [f.code for f in check_case(res.case, res).findings]
    assert codes == ["LINE_SIGN"]


def test_one_draw_at_base_values_equals_the_deterministic_result():
    case = load_case(EXAMPLES / "tidlig-indsats-0-2.yaml")
    base = evaluate(case)
    years = len(base.years)
    # 1.000 draws with the same base value: every draw equals the deterministic result.
    over = {"fte_rate": np.full((1000, 1), 500.0)}
    many = evaluate(case, overrides=over)
    assert many.amounts.shape == (1000, len(case.lines), years)
    np.testing.assert_array_equal(many.amounts, np.broadcast_to(base.amounts, many.amounts.shape))
    # Varying a parameter per draw moves only the lines that use it.
    over = {"fte_rate": np.array([[400.0], [500.0], [600.0]])}
    r = evaluate(case, overrides=over)
    buf = [ln.id for ln in case.lines].index("team_buf")
    # seed 000: BUF's team is 9 årsværk; 9 × 400, 9 × 500 (the document's rate), 9 × 600
    np.testing.assert_allclose(r.amounts[:, buf, 0], [3600, 4500, 5400])
    np.testing.assert_array_equal(r.payback("total")[1], base.payback("total")[0])
    # A dearer årsværk means higher costs and a lower NPV.
    assert r.npv()[0] > r.npv()[1] > r.npv()[2]


def test_results_are_immutable():
    res = evaluate(load_case(EXAMPLES / "tidlig-indsats-0-2.yaml"))
    with pytest.raises(ValueError):
        res.amounts[0, 0, 0] = 1.0
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        res.case.title = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "text, words",
    [
        ("__import__('os').system('x')", "ikke tilladt"),
        ("a.b", "ikke tilladt"),
        ("a[0]", "ikke tilladt"),
        ("a % 2", "operatoren"),
        ("a // 2", "operatoren"),
        ("a if b else c", "ikke tilladt"),
        ("lambda: 1", "ikke tilladt"),
        ("'text'", "ikke et tal"),
        ("sum(a)", "kun min(), max() og abs()"),
        ("min()", "uden navne"),
        ("a +", "kan ikke læse"),
        ("", "tomt"),
        ("a < b", "ikke tilladt"),
    ],
)
def test_expressions_outside_the_allowlist_are_rejected(text, words):
    with pytest.raises(ExpressionError, match=words.replace("(", r"\(").replace(")", r"\)")):
        parse_expression(text)


def test_expression_evaluates_vectorised():
    e = parse_expression("min(a, b) * 2 - -c / 4")
    assert e.names == {"a", "b", "c"}
    out = e.evaluate(
        {"a": np.array([1.0, 5.0]), "b": np.array([3.0, 3.0]), "c": np.array([4.0, 8.0])}
    )
    np.testing.assert_allclose(out, [3.0, 8.0])


def test_payback_text_in_both_languages():
    from socinvest.reports.table1 import payback_text

    assert payback_text(1.0) == "1 år" and payback_text(6.0) == "6 år"
    assert payback_text(1.0, "en") == "1 year" and payback_text(2.0, "en") == "2 years"
    assert payback_text(float("nan")) == "ikke inden for horisonten"
    assert payback_text(float("nan"), "en") == "not within the horizon"
