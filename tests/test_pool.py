"""The investment pool: ledger by hand, repayment as a share of savings, rules, bad input.

Fixtures in tests/fixtures/pool/: two invented cases A and B and a pool holding both
(two_cases.yaml), calculated by hand below; bad/ holds one broken pool file per kind of
mistake (their first line says what is wrong and where).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from socinvest.errors import InputError
from socinvest.i18n import render
from socinvest.pool import build_ledger, cap_repayments, check_pool
from socinvest.pool import parse_pool as _parse_pool
from socinvest.pool.ledger import net_savings, scheduled_repayments
from socinvest.pool.schema import ShareRepayment
from socinvest.services.case import load_case
from socinvest.services.pool import load_pool

FIX = Path(__file__).resolve().parent / "fixtures" / "pool"
BAD = FIX / "bad"
YEARS = [2020, 2021, 2022, 2023, 2024]


@pytest.fixture(scope="module")
def two():
    return load_pool(FIX / "two_cases.yaml")


def _pool_variant(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of two_cases.yaml with one text replaced (cases copied alongside)."""
    for name in ("case_a.yaml", "case_b.yaml"):
        shutil.copy(FIX / name, tmp_path / name)
    text = (FIX / "two_cases.yaml").read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "pool.yaml"
    p.write_text(text.replace(old, new), encoding="utf-8")
    return p


# -- the two-case ledger by hand ----------------------------------------------------------


def test_two_case_ledger_by_hand(two):
    led = build_ledger(two)
    assert list(led.years) == YEARS
    a, b = led.case("a"), led.case("b")
    # A: own flow = staff 100 - saving 600 = -500 a year from 2021 -> net savings 500.
    np.testing.assert_allclose(a.savings[0], [0, 500, 500, 500, 500])
    # A: fixed 400 a year 2021-2023, capped at the grant 1.000: 400, 400, then 1.000-800 = 200.
    np.testing.assert_allclose(a.repaid[0], [0, 400, 400, 200, 0])
    np.testing.assert_allclose(a.outstanding[0], [1000, 600, 200, 0, 0])
    assert a.repaid_year[0] == 2023
    # B: savings 0, 200, 800, 800, 800; half of them from 2021: 100, 400, 400, 400,
    # cumulative 100, 500, 900, 1.300 -> capped at the grant 1.000: 100, 400, 400, 100.
    np.testing.assert_allclose(b.savings[0], [0, 200, 800, 800, 800])
    np.testing.assert_allclose(b.repaid[0], [0, 100, 400, 400, 100])
    np.testing.assert_allclose(b.outstanding[0], [600, 900, 500, 100, 0])
    assert b.repaid_year[0] == 2024
    # The pool: grants 600+1.000 = 1.600 (2020) and 400 (2021); repayments are the sums.
    np.testing.assert_allclose(led.grants, [1600, 400, 0, 0, 0])
    np.testing.assert_allclose(led.repayments[0], [0, 500, 800, 600, 100])
    np.testing.assert_allclose(led.injections, [0, 0, 300, 0, 0])
    # closing = opening + capital + injections - grants + repayments:
    # 2020: 500 + 1.000 - 1.600 = -100; 2021: -100 - 400 + 500 = 0;
    # 2022: 0 + 300 + 800 = 1.100; 2023: 1.100 + 600 = 1.700; 2024: 1.700 + 100 = 1.800.
    np.testing.assert_allclose(led.closing[0], [-100, 0, 1100, 1700, 1800])
    np.testing.assert_allclose(led.opening[0], [500, -100, 0, 1100, 1700])
    # Both are on schedule: A's cumulative savings 500, 1.000, 1.500 cover 400, 800, 1.000.
    assert a.on_schedule[0] and b.on_schedule[0]


def test_two_case_findings(two):
    findings = check_pool(build_ledger(two))
    # Only the balance: -100 at the end of 2020. Paybacks: A cumulative 1.000, 500, 0 ->
    # year 3; B 600, 800, 0 -> year 3 (the rule is 3). Repayment starts in 2021 = year 2.
    assert [(f.code, f.year) for f in findings] == [("POOL_NEGATIVE_BALANCE", 2020)]
    f = findings[0]
    assert f.computed == pytest.approx(-100)
    assert "-0,1 mio. kr." in f.text("da") and "2020" in f.text("da")
    assert "-0.1 m kr." in f.text("en")
    assert str(f.severity) == "error"


def test_rules_break(tmp_path):
    p = _pool_variant(
        tmp_path,
        "  max_payback: {years: 3, basis: total}\n  repay_start_by: 2",
        "  max_payback: {years: 2, basis: total}\n  repay_start_by: 1\n"
        "  max_grant: 900\n  max_share: 0.5",
    )
    findings = check_pool(build_ledger(load_pool(p)))
    codes = {(f.code, f.row) for f in findings}
    # Total capital = opening 500 + capital 1.000 + injection 300 = 1.800; 1.000 is 56 %.
    for app in ("a", "b"):
        assert ("POOL_PAYBACK_TOO_LONG", app) in codes  # year 3 > 2
        assert ("POOL_GRANT_TOO_LARGE", app) in codes  # 1.000 > 900
        assert ("POOL_SHARE_TOO_LARGE", app) in codes  # 56 % > 50 %
        assert ("POOL_REPAY_LATE", app) in codes  # first repayment 2021 = year 2 > 1
    late = next(f for f in findings if f.code == "POOL_REPAY_LATE" and f.row == "a")
    assert late.year == 2021 and late.computed == 2 and late.stated == 1
    share = next(f for f in findings if f.code == "POOL_SHARE_TOO_LARGE")
    assert share.computed == pytest.approx(1000 / 1800)
    assert "56 %" in share.text("da") and "56%" in share.text("en")


def test_repay_before_savings_and_not_repaid(tmp_path):
    # A repays 700 a year from 2021 for one year only: 700 in 2021 > savings 500 so far,
    # and 300 is never repaid.
    p = _pool_variant(
        tmp_path,
        "{kind: fixed, amount: 400, start: 2021, years: 3}",
        "{kind: fixed, amount: 700, start: 2021, years: 1}",
    )
    led = build_ledger(load_pool(p))
    findings = {f.code: f for f in check_pool(led) if f.row == "a"}
    before = findings["POOL_REPAY_BEFORE_SAVINGS"]
    assert (before.year, before.stated, before.computed) == (2021, 700, 500)
    assert str(before.severity) == "warning"
    left = findings["POOL_NOT_REPAID"]
    assert left.computed == pytest.approx(700) and left.stated == pytest.approx(1000)
    assert "0,3 mio. kr. af 1,0 mio. kr." in left.text("da")
    assert not led.case("a").on_schedule[0]


# -- repayment as a share of savings ------------------------------------------------------


def test_share_of_savings_worked_example():
    """Grant 1.000 in year 1; 40 % of net savings 0, 300, 1.000, 1.500, 2.000 from year 2:
    scheduled 0, 120, 400, 600, 800 -> cumulative 120, 520, 1.120 > 1.000, so the third
    repayment is capped at 1.000 - 520 = 480 and nothing after."""
    years = np.arange(2020, 2025)
    terms = ShareRepayment(kind="share", share=0.4, start=2021)
    sav = np.array([[0, 300, 1000, 1500, 2000.0]])
    sched = scheduled_repayments(terms, sav, years, 2020)
    np.testing.assert_allclose(sched[0], [0, 120, 400, 600, 800])
    rep = cap_repayments(np.array([1000, 0, 0, 0, 0.0]), sched)
    np.testing.assert_allclose(rep[0], [0, 120, 400, 480, 0])


def test_share_ignores_years_with_net_cost_and_realised_replaces():
    years = np.arange(2020, 2025)
    # Realised savings 100 in 2022 replace the computed 800; other years stay computed.
    terms = ShareRepayment(kind="share", share=0.5, start=2020, realised={2022: 100})
    own = np.array([[300, -200, -800, -800, -800.0]])  # net cost 300 in 2020
    sav = net_savings(own, np.zeros(5), terms, years)
    np.testing.assert_allclose(sav[0], [-300, 200, 100, 800, 800])
    sched = scheduled_repayments(terms, sav, years, 2020)
    np.testing.assert_allclose(sched[0], [0, 100, 50, 400, 400])  # no repayment from a cost


def test_repayment_never_exceeds_what_has_been_granted():
    """Grants 500 in 2020 and 500 in 2022; 400 a year scheduled from 2020: the cumulative
    repaid is min(R[y-1] + 400, granted so far): 400, 500, 900, 1.000, 1.000."""
    rep = cap_repayments(np.array([500, 0, 500, 0, 0.0]), np.full((1, 5), 400.0))
    np.testing.assert_allclose(np.cumsum(rep[0]), [400, 500, 900, 1000, 1000])


def test_cap_is_vectorised_like_a_loop():
    rng = np.random.default_rng(3)
    g = rng.uniform(0, 100, 8) * (rng.uniform(size=8) < 0.4)
    s = rng.uniform(0, 60, (50, 8))
    rep = cap_repayments(g, s)
    for d in range(50):
        repaid, out = [], 0.0
        for y in range(8):
            out += g[y]
            r = min(s[d, y], out)
            out -= r
            repaid.append(r)
        np.testing.assert_allclose(rep[d], repaid, atol=1e-9)


def test_ledger_over_draws_equals_one_draw_at_a_time(two):
    own = {k: v for k, v in _own(two).items()}
    rng = np.random.default_rng(0)
    draws = {k: v * rng.uniform(0.2, 1.5, (20, 1)) for k, v in own.items()}
    many = build_ledger(two, draws)
    for d in (0, 7, 19):
        one = build_ledger(two, {k: v[d : d + 1] for k, v in draws.items()})
        np.testing.assert_allclose(many.closing[d], one.closing[0])
        for c in many.cases:
            np.testing.assert_allclose(c.repaid[d], one.case(c.id).repaid[0])


def _own(lp):
    from socinvest.pool.ledger import base_own_flows

    return base_own_flows(lp)


def test_cofunding_is_shown_separately_and_counts_as_saving(tmp_path):
    p = _pool_variant(
        tmp_path,
        "    repayment: {kind: share, share: 0.5, start: 2021}",
        "    cofunding: {source: Satspuljen, amounts: {2021: 200}}\n"
        "    repayment: {kind: share, share: 0.5, start: 2021}",
    )
    lp = load_pool(p)
    b = build_ledger(lp).case("b")
    # B's savings in 2021: 200 from the case + 200 co-funding = 400, half of it repaid.
    np.testing.assert_allclose(b.savings[0], [0, 400, 800, 800, 800])
    np.testing.assert_allclose(b.repaid[0][:2], [0, 200])
    from socinvest.pool import compare

    row = next(r for r in compare(lp, build_ledger(lp)) if r.id == "b")
    assert row.external == pytest.approx(200)
    # own net cost over the horizon: 1.000 invested - 2.600 saved - 200 co-funded = -1.800
    assert row.own_net == pytest.approx(1000 - 2600 - 200)
    # ROI = net savings over the horizon / investment = (2.600 - 1.000) / 1.000 = 1,6
    assert row.roi == pytest.approx(1.6)


def test_pending_counts_only_in_projection(tmp_path):
    p = _pool_variant(
        tmp_path,
        "    decision: {status: approved, date: 2019-11-01}\n",
        "",
    )
    lp = load_pool(p)
    assert build_ledger(lp).grants[0] == pytest.approx(600)  # only B
    assert build_ledger(lp, scope="approved+pending").grants[0] == pytest.approx(1600)


# -- bad input ------------------------------------------------------------------------------

EXPECTED = {
    # fixture: (line, col, key path, words that say how to fix it)
    "unknown_case_path": (10, 5, "applications[0].case", ("does not exist", "relative")),
    "bad_repayment_kind": (11, 5, "applications[0].repayment", ("kind: fixed", "kind: share")),
    "bad_repayment_share": (11, 30, "applications[0].repayment.share", ("less than or equal",)),
    "bad_repayment_missing": (11, 5, "applications[0].repayment.years", ("add this key",)),
    "capital_missing_years": (7, 1, "capital", ("2023-2024", "every year", "write 0")),
    "year_outside_horizon": (11, 5, "applications[0].requested", ("2019", "outside")),
    "duplicate_id": (12, 5, "applications[1].id", ("used twice",)),
    "no_pool_lines": (9, 5, "applications[0]", ("funding: pool", "requested")),
    "granted_not_approved": (11, 5, "applications[0].decision", ("status: approved",)),
    "unknown_key": (11, 5, "applications[0].repaymnet", ("did you mean 'repayment'",)),
    "negative_amount": (7, 1, "capital", ("positive", "minus")),
    "bad_case_file": (10, 5, "applications[0].case", ("wrong_enum.yaml:14:5", "lines[1].kind")),
}


def test_every_bad_fixture_is_tested():
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_message(name):
    line, col, key, hints = EXPECTED[name]
    path = BAD / f"{name}.yaml"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert f"line {line}" in first  # the fixture says where its mistake is
    with pytest.raises(InputError) as e:
        load_pool(path)
    # located in every language; the hints are checked in English (msgid: Danish)
    for lang in ("da", "en"):
        msg = render(e.value.message, lang)
        assert msg.startswith(f"{path}:{line}:{col}: {key}: "), msg
    en, da = render(e.value.message, "en"), render(e.value.message, "da")
    for h in hints:
        assert h in en, (h, en)
    assert da != en  # and the Danish is worded in Danish


def test_not_a_mapping_and_empty():
    with pytest.raises(InputError, match="skal være en YAML-mapping"):
        _parse_pool("- a\n- b\n", load_case, "x.yaml")
    with pytest.raises(InputError, match="tom"):
        _parse_pool("\n", load_case, "x.yaml")


def test_custom_schedule(tmp_path):
    # A repays 300, 300, 500 (2021-2023): capped at the grant 1.000 -> 300, 300, 400.
    p = _pool_variant(
        tmp_path,
        "{kind: fixed, amount: 400, start: 2021, years: 3}",
        "{kind: schedule, amounts: {2021-2022: 300, 2023: 500}}",
    )
    a = build_ledger(load_pool(p)).case("a")
    np.testing.assert_allclose(a.repaid[0], [0, 300, 300, 400, 0])
    assert a.repaid_year[0] == 2023 and a.on_schedule[0]


def test_example_pool_marks_invented_applications():
    root = Path(__file__).resolve().parents[1] / "examples" / "pool"
    lp = load_pool(root / "pool.yaml")
    assert len(lp.pool.applications) == 5
    invented = [c for c in lp.cases if "OPFUNDET" in c.title]
    assert len(invented) == 2
    for p in lp.case_paths:
        if p.parent == root:
            text = p.read_text(encoding="utf-8")
            assert "INVENTED" in text and "OPFUNDET" in text
    assert "INVENTED" in (root / "pool.yaml").read_text(encoding="utf-8")
