"""The fit against a known truth (issue 13): a synthetic register with known hazards, and the
four faults of the issue, each with a hand-made episode set whose answer is worked out here.

The noise floor is the occurrence/exposure of the *exact* stays (true times, true ages, true
time in stay) in the same window: no fit of the register can beat it on average; a right
fit of the dated, episode-split register must come within 1,2× of it."""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pytest

from socinvest.ladder import load_model
from socinvest.ladder.episodes import month_date, month_index
from socinvest.ladder.fit import fit, population_yaml
from socinvest.ladder.load import DEFAULT_LADDER, load_ladder
from socinvest.ladder.markov import initial_state, project_markov
from socinvest.ladder.synthetic import (
    default_world,
    episodes_csv,
    exact_counts,
    futures,
    rate_error,
    simulate,
    ssda903_csv,
)
from socinvest.ladder.tables import build_tables

LADDER = load_ladder(DEFAULT_LADDER)
END = 12 * 2025.0  # 1 January 2025
FROM = dt.date(2020, 1, 1)


@functools.lru_cache(maxsize=1)
def world_and_history():
    w = default_world(720)
    return w, simulate(w, seed=13, start=12 * 2000.0, end=END)


def _fit(tmp_path, text: str, **kw):
    w, _ = world_and_history()
    p = tmp_path / "episodes.csv"
    p.write_text(text)
    return fit(p, w.ladder, list(w.age_bands), list(w.duration_bands), **kw)


def _floor(h, w0: float) -> np.ndarray:
    c = exact_counts(h, w0, END)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(c.exposure[:, None] > 0, c.events / c.exposure[:, None], 0.0)


def test_rates_at_the_noise_floor_from_the_full_history(tmp_path):
    w, h = world_and_history()
    res = _fit(tmp_path, episodes_csv(h))
    floor = rate_error(_floor(h, res.window[0]), w)
    assert rate_error(res.rates(), w) <= 1.2 * floor
    assert res.age_source == "birth_date" and not res.observed_from_given


def test_rates_at_the_noise_floor_from_a_five_year_extract(tmp_path):
    w, h = world_and_history()
    res = _fit(tmp_path, episodes_csv(h, years=5), observed_from=FROM)
    assert res.window_years == pytest.approx(5.0)
    assert res.truncated > 1000  # the children in care on 1 January 2020
    floor = rate_error(_floor(h, month_index(FROM)), w)
    assert rate_error(res.rates(), w) <= 1.2 * floor
    # the same extract as an SSDA903 table gives the same counts
    res903 = _fit(tmp_path, ssda903_csv(h, years=5), observed_from=FROM)
    assert res903.source_format == "ssda903"
    assert np.array_equal(res903.events, res.events)
    assert np.allclose(res903.exposure, res.exposure)


def test_an_extract_without_its_start_is_flagged_and_with_it_entries_are_right(tmp_path):
    w, h = world_and_history()
    text = episodes_csv(h, years=5)
    blind = _fit(tmp_path, text)
    assert blind.window_years > 10  # the old fault: "15,4 years observed"
    assert [f.code for f in blind.findings] == ["LOOKS_LIKE_EXTRACT"]
    right = _fit(tmp_path, text, observed_from=FROM)
    assert "LOOKS_LIKE_EXTRACT" not in [f.code for f in right.findings]
    # every entrant in the window, no one else (dated to the day, as the register dates them)
    day = np.array([month_index(month_date(t)) for t in h.start])
    true_entries = ((h.stay == 0) & (h.start == h.stay_start) & (day >= 12 * 2020.0)).sum()
    assert right.entries.sum() == true_entries
    assert right.entries.sum() / right.window_years > 2 * blind.entries.sum() / blind.window_years


def test_projection_within_five_percent_of_replicate_futures(tmp_path):
    w, h = world_and_history()
    res = _fit(tmp_path, episodes_csv(h, years=5), observed_from=FROM, entries="trend")
    lo, hi = res.entry_trend.ci95
    assert lo < w.growth < hi
    (tmp_path / "pop.yaml").write_text(population_yaml(res, str(DEFAULT_LADDER), "synthetic"))
    m = load_model(tmp_path / "pop.yaml")
    proj = project_markov(build_tables(m, years=5)).stock[0].sum(axis=1)[::12]
    truth = futures(h, range(20)).mean(axis=0)
    # the stock on 1 January 2025 (a child whose 18th birthday falls within hours of midnight
    # may round either way: the register has days, the generator continuous time)
    assert abs(proj[0] - truth[0]) <= 2
    assert np.all(np.abs(proj[1:] / truth[1:] - 1) < 0.05), (proj, truth)


# -- the four faults of the issue, each on a hand-made episode set ----------------------------

HEAD = "child_id;birth_date;step;start;end\n"


def test_fault_1_exact_ages_babies_and_january_birthdays(tmp_path):
    """A baby born 10 March 2023 placed on 1 April 2023 is an entrant aged 0 (with only the
    birth year she would be 'born' 1 July, after her placement, and be dropped). A child born
    15 February 2006 whose placement ends on 15 February 2024 ages out: no exit at 17."""
    text = HEAD + "A;2023-03-10;foster;2023-04-01;\nB;2006-02-15;foster;2023-01-01;2024-02-15\n"
    res = _fit(tmp_path, text, as_of=dt.date(2025, 1, 1))
    f = LADDER.index("foster")
    assert res.entries[f].tolist() == [1, 0, 0, 0, 1]  # A aged 0, B aged 16
    assert res.events.sum() == 0
    # B is at risk from 1 Jan 2023 to 15 Feb 2024: 13 months + 14 of February's 29 days
    b_months = 13 + 14 / 29
    a_months = 21.0  # 1 Apr 2023 – 1 Jan 2025
    assert res.exposure[f].sum() == pytest.approx(a_months + b_months)
    assert res.exposure[f, 4].sum() == pytest.approx(b_months)  # all of B's at 16-17
    assert res.age_source == "birth_date"


def test_fault_2_ending_on_the_18th_birthday_is_an_age_out_not_a_move(tmp_path):
    """Ending on the birthday: ages out (no event). Ending the day before: closed at 17."""
    on = HEAD + "A;2006-05-20;institution;2023-01-01;2024-05-20\n"
    before = HEAD + "A;2006-05-20;institution;2023-01-01;2024-05-19\n"
    assert _fit(tmp_path, on, as_of=dt.date(2025, 1, 1)).events.sum() == 0
    res = _fit(tmp_path, before, as_of=dt.date(2025, 1, 1))
    assert res.events[LADDER.index("institution"), 0, 4].sum() == 1


def test_fault_3_a_new_episode_in_the_same_step_continues_the_stay(tmp_path):
    """Foster care 1 Jan – 1 Apr and 1 Apr – 1 Oct 2023 (a new carer), then home: one stay of
    nine months; the move home is in the duration band 6+ (the clock did not restart, which
    would have put it at six months, band 0-5), and the exposure is 6 + 3 months."""
    text = HEAD + (
        "A;2015-06-01;foster;2023-01-01;2023-04-01\n"
        "A;2015-06-01;foster;2023-04-01;2023-10-01\n"
        "A;2015-06-01;home;2023-10-01;\n"
    )
    w, _ = world_and_history()
    p = tmp_path / "e.csv"
    p.write_text(text)
    res = fit(p, LADDER, [0], [0, 6], as_of=dt.date(2024, 1, 1))
    f, home = LADDER.index("foster"), LADDER.index("home")
    assert res.exposure[f, 0].tolist() == pytest.approx([6.0, 3.0])
    assert res.events[f, home, 0].tolist() == [0, 1]
    assert res.entries.sum() == 1


def test_fault_4_the_stock_keeps_its_time_in_step(tmp_path):
    """A child in foster care since 1 January 2022, with a new episode (same step) from 1 June
    2024, is on 1 January 2025 in the 36th month of the stay: in the last duration state (12+),
    not spread over months 0-12 (where `spread` put 12/13 of the stock below 12 months)."""
    text = HEAD + (
        "A;2012-03-01;foster;2022-01-01;2024-06-01\n"
        "A;2012-03-01;foster;2024-06-01;\n"
        "B;2012-03-01;foster;2024-11-01;\n"
    )
    p = tmp_path / "e.csv"
    p.write_text(text)
    res = fit(p, LADDER, [0], [0, 6, 12], as_of=dt.date(2025, 1, 1))
    f = LADDER.index("foster")
    assert res.stock_months[f, 12, 12] == 1  # A: 36 months, capped at the open state 12+
    assert res.stock_months[f, 12, 2] == 1  # B: two whole months
    (tmp_path / "pop.yaml").write_text(population_yaml(res, str(DEFAULT_LADDER), str(p)))
    t = build_tables(load_model(tmp_path / "pop.yaml"))
    x = initial_state(t)[f - 1]  # (age in months, duration state)
    assert x[:, 12].sum() == pytest.approx(1.0) and x[:, 2].sum() == pytest.approx(1.0)
    assert x.sum() == pytest.approx(2.0)


def test_both_engines_start_the_stock_at_its_time_in_step_and_grow_entries(tmp_path):
    """The micro engine draws each child's duration from `stock_months` as the Markov engine
    spreads it; with `entries_trend: {per_year: 1.1}` year y's entries are 100 × 1,1^y (the
    monthly factor 1,1^((m + 0,5)/12 − 0,5) averages to that over a year within 0,1 %)."""
    import numpy as np

    from socinvest.ladder.micro import _initial_records

    (tmp_path / "pop.yaml").write_text(
        f"ladder: {DEFAULT_LADDER}\nstart: 2025\nyears: 3\nduration_bands: [0, 6, 12]\n"
        "stock: {foster: {10: 400}}\n"
        "stock_months: {foster: {10: {0-5: 100, '12-': 300}}}\n"
        "entries: {foster: {5: 100}}\nentries_trend: {per_year: 1.1}\n"
    )
    t = build_tables(load_model(tmp_path / "pop.yaml"))
    cells = _initial_records(t, np.random.default_rng(1))
    dur = cells % (t.Dm + 1)
    assert cells.size == 400 and np.all((dur < 6) | (dur == 12))
    assert abs((dur == 12).sum() - 300) < 35  # binomial(400, 3/4): sd 8,7
    x = initial_state(t)
    assert x[..., 12].sum() == pytest.approx(300) and x[..., :6].sum() == pytest.approx(100)
    per_year = project_markov(t).yearly_flows()["entered"][0]
    assert per_year == pytest.approx([100, 110, 121], rel=1e-3)
