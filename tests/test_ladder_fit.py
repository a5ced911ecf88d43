"""Fitting entries and transition rates from episodes: hand-computed rates, censoring, and
errors that name the file, line and column (and never echo a CPR number)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from socinvest.errors import InputError
from socinvest.i18n import render
from socinvest.ladder import fit, load_ladder, load_model, population_yaml
from socinvest.ladder.fit import garwood, looks_like_cpr

from .conftest import EXAMPLES, FIXTURES

LADDER = load_ladder(EXAMPLES / "ladder" / "ladder.yaml")
TINY = FIXTURES / "ladder" / "episodes_tiny.csv"


def words(e: InputError, lang: str) -> str:
    """The error as a face shows it in `lang` (the message and any further lines)."""
    return "\n".join(render(m, lang) for m in (e.message, *e.details))


def _rows(res):
    return {(r["from"], r["to"], r["months"]): r for r in res.rows()}


def test_tiny_file_by_hand():
    """A1 is in foster care 1 Jan – 1 Jul 2023 (6 months) and moves home; B2 is in foster care
    from 1 Jan 2023, still open at the export date 1 Jan 2024 (12 months, censored); C3 is in
    an institution 1 Mar – 1 May 2023 (2 months) and the case closes.
    foster -> home: 1 event / 18 months; institution -> closed: 1 / 2."""
    res = fit(TINY, LADDER, as_of=dt.date(2024, 1, 1))
    r = _rows(res)
    fh = r[("foster", "home", "0-")]
    assert fh["events"] == 1 and fh["exposure_months"] == pytest.approx(18.0)
    assert fh["rate"] == pytest.approx(1 / 18)
    assert fh["monthly"] == pytest.approx(1 - math.exp(-1 / 18))
    ic = r[("institution", "universal", "0-")]
    assert ic["exposure_months"] == pytest.approx(2.0)
    assert ic["monthly"] == pytest.approx(1 - math.exp(-0.5))
    assert len(r) == 2  # home (A1 from July, 6 months) has exposure but no event
    assert res.exposure[LADDER.index("home")].sum() == pytest.approx(6.0)
    assert res.censored == 2  # B2 and A1's home episode are open
    # Garwood interval for 1 event: chi2(0.025; 2)/2 = 0.025318, chi2(0.975; 4)/2 = 5.5716
    lo, hi = garwood(1, 18.0)
    assert lo == pytest.approx(0.0253178 / 18, rel=1e-5)
    assert hi == pytest.approx(5.571643 / 18, rel=1e-6)
    assert fh["ci95"] == pytest.approx([1 - math.exp(-lo), 1 - math.exp(-hi)])
    # stock on 1 Jan 2024: A1 at home aged 8 (born mid-2015), B2 in foster care aged 11
    assert res.stock[LADDER.index("home"), 8] == 1 and res.stock[LADDER.index("foster"), 11] == 1
    # entries: A1 and B2 into foster care, C3 into an institution, over one year
    rows = {(e["step"], e["ages"]): e["per_year"] for e in res.entry_rows()}
    assert rows == {("foster", "0-17"): 2.0, ("institution", "0-17"): 1.0}


def test_duration_bands_split_exposure_and_place_events_before_the_edge():
    """With bands 0-5 and 6+: A1's 6 months all fall in 0-5 and its move (at exactly six
    months, i.e. in its sixth month) too; B2 gives 6 months to each band."""
    res = fit(TINY, LADDER, duration_bands=[0, 6], as_of=dt.date(2024, 1, 1))
    f = LADDER.index("foster")
    assert res.exposure[f, 0].tolist() == pytest.approx([12.0, 6.0])
    r = _rows(res)
    assert r[("foster", "home", "0-5")]["rate"] == pytest.approx(1 / 12)
    assert ("foster", "home", "6-") not in r


def test_export_date_defaults_to_the_latest_date():
    res = fit(TINY, LADDER)  # latest date in the file: 2023-07-01
    f = LADDER.index("foster")
    assert res.exposure[f].sum() == pytest.approx(6 + 6)


def test_fitted_population_file_projects(tmp_path):
    res = fit(TINY, LADDER, as_of=dt.date(2024, 1, 1))
    (tmp_path / "ladder.yaml").write_text((EXAMPLES / "ladder" / "ladder.yaml").read_text())
    out = tmp_path / "rates.yaml"
    out.write_text(population_yaml(res, "ladder.yaml", str(TINY)))
    m = load_model(out)
    assert m.population.start == 2024
    assert m.population.transitions[0].monthly == pytest.approx(1 - math.exp(-1 / 18), rel=1e-5)


@pytest.mark.parametrize(
    "value, cpr",
    [
        ("010203-1234", True),
        ("0102031234", True),
        ("311299-0001", True),
        ("9999999999", False),  # not a date
        ("320101-1234", False),
        ("K-000123", False),
    ],
)
def test_cpr_detection(value, cpr):
    assert looks_like_cpr(value) is cpr


def test_cpr_number_is_refused_without_echoing_it(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("child_id;birth_year;step;start;end\nX1;2015;foster;2023-01-01;\n"
                 "010203-1234;2015;foster;2023-01-01;\n")  # fmt: skip
    with pytest.raises(InputError) as e:
        fit(p, LADDER)
    msg = str(e.value)
    assert msg.startswith(f"{p}:3:1: child_id: ligner et CPR-nummer")
    en = words(e.value, "en")
    assert en.startswith(f"{p}:3:1: child_id: looks like a CPR number")
    for text in (msg, en):
        assert "010203" not in text and "1234" not in text


@pytest.mark.parametrize(
    "body, where",
    [
        ("A;2015;foster;2023-13-01;", ":2:4: start: '2023-13-01' is not a date"),
        ("A;2015;foster;2023-05-01;2023-04-01", ":2:5: end: the end 2023-04-01 is before"),
        ("A;2015;castle;2023-05-01;", ":2:3: step: unknown step 'castle'"),
        ("A;20x5;foster;2023-05-01;", ":2:2: birth_year: write a year"),
        ("A;2015;universal;2023-05-01;", ":2:3: step: 'universal' is the universal level"),
    ],
)
def test_bad_rows_are_located(tmp_path, body, where):
    p = tmp_path / "e.csv"
    p.write_text("child_id;birth_year;step;start;end\n" + body + "\n")
    with pytest.raises(InputError) as e:
        fit(p, LADDER)
    assert words(e.value, "en").startswith(str(p) + where)


def test_missing_column_is_named(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("child_id,step,start,end\nA,foster,2023-01-01,\n")
    with pytest.raises(
        InputError, match=r"e.csv:1: mangler kolonnen birth_date \(eller birth_year eller age\)"
    ) as e:
        fit(p, LADDER)
    en = words(e.value, "en")
    assert "e.csv:1: missing column birth_date (or birth_year or age); the header has" in en


def test_age_column_and_danish_dates(tmp_path):
    """Age 7 at the start on 1 Jan 2023 -> born mid-2015; 01.07.2023 is a Danish date."""
    p = tmp_path / "e.csv"
    p.write_text("barn_id;alder;trin;start;slut\nA;7;foster;01.01.2023;01.07.2023\n")
    res = fit(p, LADDER, age_bands=[0, 6, 12])
    f = LADDER.index("foster")
    assert res.exposure[f].sum(axis=1).tolist() == pytest.approx([0, 6.0, 0])


def test_population_file_carries_observed_years_and_the_observed_stock(tmp_path):
    """`fit -o` writes what the Monte Carlo and the charts need: the years behind constant
    entries, and the stock on the 1st of each month before the projection starts."""
    import csv

    ladder = load_ladder(EXAMPLES / "ladder" / "ladder.yaml")
    res = fit(EXAMPLES / "ladder" / "episodes.csv", ladder)
    pop = tmp_path / "pop.yaml"
    pop.write_text(
        population_yaml(res, str(EXAMPLES / "ladder" / "ladder.yaml"), "episodes.csv"),
        encoding="utf-8",
    )
    model = load_model(pop)
    assert model.population.observed_years == pytest.approx(res.window_years, rel=1e-5)
    stock = model.population.observed_stock
    assert stock and all(int(k[:4]) < model.population.start for k in stock)
    # by hand from the CSV: children in a step on 1 January 2021 (start <= day < end)
    day = "2021-01-01"
    with (EXAMPLES / "ladder" / "episodes.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    counted: dict[str, int] = {}
    for r in rows:
        if r["start"] <= day and (not r["end"] or r["end"] > day):
            counted[r["step"]] = counted.get(r["step"], 0) + 1
    assert {k: int(v) for k, v in stock["2021-01"].items()} == counted
