"""Uncertainty that includes the data, checked against a known truth, and the back-test.

- The posterior of a fitted rate (Gamma(k + ½, E)) gives 90 % intervals that cover the true
  rate about 90 % of the time over 200 replicate data sets — for the drawn monthly
  probabilities, through the fit of generated episodes, and for the projected children.
- `backtest` fits before a date and compares with what followed: exactly, on data where the
  truth is deterministic; within its interval on generated data; and on the command line.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from socinvest.cli import app
from socinvest.errors import InputError
from socinvest.ladder import build_tables, load_ladder, project_markov
from socinvest.ladder.backtest import backtest
from socinvest.ladder.fit import fit
from socinvest.ladder.load import Model
from socinvest.ladder.model import Population
from socinvest.ladder.montecarlo import monte_carlo
from socinvest.ladder.posterior import draw_monthly, rate_interval

from .conftest import FIXTURES

LADDER = FIXTURES / "ladder" / "two_step_ladder.yaml"  # out, a, b (b a placement)
REPS = 200
# 200 replicates of a 90 % interval: the share covering is 0,90 ± 0,021 (one SD); ±3 SD
LOW, HIGH = 0.83, 0.97


def _date(m: float) -> dt.date:
    """A month index (months since year 0, fractions of the month's days) as a date."""
    y, mo = divmod(int(m), 12)
    days = calendar.monthrange(y, mo + 1)[1]
    return dt.date(y, mo + 1, 1 + min(int((m - int(m)) * days), days - 1))


def _episodes(path: Path, rng, lam: float, per_year: float, years: int, y0: int = 2021) -> None:
    """Children enter step b at a Poisson rate, stay an exponential time with rate `lam` per
    month and close; stays still running at the end of the data are open."""
    T = 12.0 * years
    rows = ["child_id;birth_year;step;start;end"]
    n = rng.poisson(per_year * years)
    starts = np.sort(rng.uniform(0, T, n))
    ends = starts + rng.exponential(1 / lam, n)
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        end = _date(12 * y0 + e).isoformat() if e < T else ""
        rows.append(f"C{i:05d};{y0 - 8};b;{_date(12 * y0 + s).isoformat()};{end}")
    path.write_text("\n".join(rows) + "\n")


def _population(events: int, exposure: float, stock: float = 100.0, years: int = 2) -> Model:
    """100 children aged 0 in step b closing at a rate with `events` in `exposure` months
    (max_age 3: nobody ages out in 2 years; a small model keeps 200 × 200 draws fast)."""
    ladder = load_ladder(LADDER)
    pop = Population.model_validate(
        {
            "ladder": "x",
            "start": 2025,
            "years": years,
            "max_age": 3,
            "stock": {"b": {0: stock}},
            "transitions": [
                {
                    "from": "b",
                    "to": "out",
                    "monthly": 1 - np.exp(-events / exposure),
                    "events": events,
                    "exposure_months": exposure,
                }
            ],
        }
    )
    return Model(ladder, pop, None, LADDER, ())


def test_drawn_monthly_probabilities_cover_the_truth():
    """Poisson events for a known rate over a known exposure: the P5–P95 of the drawn monthly
    probability covers the true one in about 90 % of 200 data sets (and so does the analytic
    interval)."""
    rng = np.random.default_rng(11)
    lam, exposure = 0.04, 600.0  # 24 events expected
    true_p = 1 - np.exp(-lam)
    drawn = analytic = 0
    for _ in range(REPS):
        k = int(rng.poisson(lam * exposure))
        pop = _population(k, exposure).population
        d = draw_monthly(pop, 2000, rng)
        assert d is not None
        lo, hi = np.percentile(d[:, 0], [5, 95])
        drawn += lo <= true_p <= hi
        a, b = rate_interval(k, exposure)
        analytic += a <= lam <= b
    assert LOW <= drawn / REPS <= HIGH, drawn / REPS
    assert LOW <= analytic / REPS <= HIGH, analytic / REPS


def test_fitted_rate_intervals_cover_the_truth(tmp_path):
    """Through the fit: 200 generated registers (3 years, ~40 entries a year, true exit rate
    0,05 a month); the 90 % posterior interval of the fitted rate covers 0,05 about 90 % of
    the time."""
    rng = np.random.default_rng(5)
    ladder = load_ladder(LADDER)
    lam, covered = 0.05, 0
    path = tmp_path / "e.csv"
    for _ in range(REPS):
        _episodes(path, rng, lam, 40.0, 3)
        r = fit(path, ladder, as_of=dt.date(2024, 1, 1))
        k, e = float(r.events[2, 0].sum()), float(r.exposure[2].sum())
        lo, hi = rate_interval(k, e)
        covered += lo <= lam <= hi
    assert LOW <= covered / REPS <= HIGH, covered / REPS


def test_projected_children_intervals_cover_the_truth():
    """The Monte Carlo draws the rate from its posterior: the P5–P95 of the children left
    after 2 years covers the count the true rate gives (100·e^(−24λ)) about 90 % of the time."""
    rng = np.random.default_rng(2)
    lam, exposure = 0.03, 800.0
    truth = project_markov(build_tables(_population(3, 100.0))).year_end()  # λ = 3/100 = 0,03
    covered = 0
    for r in range(REPS):
        k = int(rng.poisson(lam * exposure))
        mc = monte_carlo(_population(k, exposure), 200, seed=r, chunk=200, compare=False)
        lo, hi = (
            mc["children"]["scenario_total"]["p5"][-1],
            mc["children"]["scenario_total"]["p95"][-1],
        )
        covered += lo <= truth[0, -1, 1] <= hi
    assert truth[0, -1, 1] == pytest.approx(100 * np.exp(-24 * lam))  # 1 − p = e^(−λ) a month
    assert LOW <= covered / REPS <= HIGH, covered / REPS


# -- the back-test -------------------------------------------------------------------------------


def _steady(path: Path) -> None:
    """Two children a month enter step b from 2021 and nobody leaves (born 2016: no one ages
    out): on 1 January 2023 there are 48, and 24 a year join them."""
    rows = ["child_id;birth_year;step;start;end"]
    for m in range(48):
        for j in range(2):
            rows.append(f"C{m:02d}{j};2016;b;{2021 + m // 12}-{m % 12 + 1:02d}-01;")
    path.write_text("\n".join(rows) + "\n")


def test_backtest_by_hand(tmp_path):
    """Fitted on 2021–2022 (48 entries in 2 years = 24 a year, no moves), projected through
    2023 and 2024: 72 and 96 children in b, as observed; 24 new children a year both ways."""
    path = tmp_path / "e.csv"
    _steady(path)
    end = dt.date(2025, 1, 1)  # the export date: the data run to the end of 2024
    # age bands 0-11, 12-17: the entries (aged 4-8) are spread over 0-11, so none ages out
    lad = load_ladder(LADDER)
    b = backtest(path, lad, LADDER, dt.date(2023, 1, 1), [0, 12], draws=0, as_of=end)
    assert b.years == (2023, 2024)
    assert b.observed[:, 1].tolist() == [72.0, 96.0]
    assert b.projected[:, 1] == pytest.approx([72.0, 96.0])
    assert b.total_error() == pytest.approx([0.0, 0.0])
    assert b.observed_entries.tolist() == [24.0, 24.0]
    assert b.projected_entries == pytest.approx([24.0, 24.0])
    assert b.observed_ages.sum(axis=1).tolist() == [72.0, 96.0]
    assert b.coverage() is None


def test_backtest_on_generated_data_is_close_and_covered(tmp_path):
    path = tmp_path / "e.csv"
    _episodes(path, np.random.default_rng(8), 0.04, 120.0, 6)
    b = backtest(path, load_ladder(LADDER), LADDER, dt.date(2024, 1, 1), draws=200, seed=1)
    assert b.years == (2024, 2025)
    assert np.all(np.abs(b.total_error()) < 0.15)
    assert b.band_total is not None
    obs = b.observed.sum(axis=1)
    assert np.all((b.band_total[0] <= obs) & (obs <= b.band_total[1]))
    assert b.coverage() is not None and b.coverage() >= 0.5


def test_backtest_refuses_dates_it_cannot_use(tmp_path):
    path = tmp_path / "e.csv"
    _steady(path)
    with pytest.raises(InputError, match="1. januar"):
        backtest(path, load_ladder(LADDER), LADDER, dt.date(2023, 3, 1))
    with pytest.raises(InputError, match="mindst et helt år"):
        backtest(path, load_ladder(LADDER), LADDER, dt.date(2024, 1, 1))


def test_backtest_command(tmp_path):
    path = tmp_path / "e.csv"
    _steady(path)
    runner = CliRunner()
    args = ["ladder", "backtest", str(path), "--at", "2023-01-01", "--ladder", str(LADDER)]
    args += ["--as-of", "2025-01-01", "--age-bands", "0,12"]
    r = runner.invoke(app, [*args, "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["years"] == [2023, 2024] and data["observed"][1][1] == 96.0
    r = runner.invoke(app, [*args, "-o", str(tmp_path / "bt.md"), "--lang", "en"])
    assert r.exit_code == 0, r.output
    text = (tmp_path / "bt.md").read_text()
    assert "Back-test of e.csv from 2023-01-01" in text and "By step" in text
    r = runner.invoke(app, [*args[:3], "--at", "2023-02-01", "--ladder", str(LADDER)])
    assert r.exit_code == 2 and "1. januar" in r.output
