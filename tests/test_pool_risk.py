"""Risk of the pool over draws: degenerate cases give 0/1 probabilities that match the plain
ledger; percentiles are ordered; repayments tied to savings shrink with the savings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from socinvest.pool import project
from socinvest.services.pool import load_pool

FIX = Path(__file__).resolve().parent / "fixtures" / "pool"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "pool" / "pool.yaml"


def test_degenerate_cases_repay_with_probability_0_or_1(tmp_path):
    # Two variants: as written (both on schedule) and A repaying too little (not on schedule).
    for name, expect_a in (("as written", 1.0), ("too little", 0.0)):
        import shutil

        for f in ("case_a.yaml", "case_b.yaml"):
            shutil.copy(FIX / f, tmp_path / f)
        text = (FIX / "two_cases.yaml").read_text(encoding="utf-8")
        if name == "too little":
            text = text.replace("years: 3}", "years: 2}")
        (tmp_path / "pool.yaml").write_text(text, encoding="utf-8")
        proj = project(load_pool(tmp_path / "pool.yaml"), "approved", draws=300, seed=4)
        p = proj.p_on_schedule()
        for c in proj.base.cases:
            assert p[c.id] == float(c.on_schedule[0])
        assert p["a"] == expect_a
        # no uncertainty: every draw's balance is the plain balance
        np.testing.assert_allclose(proj.risk.closing, np.repeat(proj.base.closing, 300, 0))


@pytest.fixture(scope="module")
def example():
    return project(load_pool(EXAMPLE), "approved+pending", draws=1500, seed=2)


def test_balance_percentiles_are_ordered(example):
    q = example.balance_percentiles()
    p5, p50, p95 = (np.array(q[k]) for k in ("p5", "p50", "p95"))
    assert (p5 <= p50 + 1e-9).all() and (p50 <= p95 + 1e-9).all()
    assert (p95 - p5).max() > 0  # the example carries uncertainty


def test_share_repayments_shrink_with_savings(example):
    # Netværkspleje repays 60 % of its (uncertain) savings: some draws repay late or less.
    led = example.risk
    c = led.case("opfundet-netvaerkspleje")
    total = c.repaid.sum(axis=1)
    assert total.max() == pytest.approx(6000)
    assert total.min() < 6000
    # a draw with lower savings never repays more by any year
    lo, hi = np.argmin(c.savings.sum(1)), np.argmax(c.savings.sum(1))
    assert (np.cumsum(c.repaid[lo]) <= np.cumsum(c.repaid[hi]) + 1e-6).all()
    assert 0 < example.p_on_schedule()["opfundet-netvaerkspleje"] < 1
    # fixed terms stay fixed: tidlig-0-2's repayments are the same in every draw
    t = led.case("tidlig-0-2")
    assert np.ptp(t.repaid, axis=0).max() == 0
    assert 0 < example.p_on_schedule()["tidlig-0-2"] < 1


def test_same_seed_same_numbers(example):
    again = project(load_pool(EXAMPLE), "approved+pending", draws=1500, seed=2)
    assert again.balance_percentiles() == example.balance_percentiles()
    assert again.p_on_schedule() == example.p_on_schedule()
