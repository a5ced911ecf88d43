"""Register formats, code mapping, cleaning with findings, windows and the entry trend —
each on a hand-made file whose answer is worked out in the test."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from socinvest.errors import InputError
from socinvest.i18n import render
from socinvest.ladder.entries import fit_trend
from socinvest.ladder.fit import fit, observed_stock
from socinvest.ladder.load import DEFAULT_LADDER, load_ladder
from socinvest.ladder.registers import DATA, load_codes, read_register

LADDER = load_ladder(DEFAULT_LADDER)
F, INST, N = (LADDER.index(s) for s in ("foster", "institution", "network"))
HEAD = "child_id;birth_date;step;start;end\n"


def _write(tmp_path, text: str, name: str = "e.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_duplicates_and_overlaps_are_cleaned_with_findings(tmp_path):
    """A: a row twice (one dropped). B: two foster rows overlapping (merged into 1 Jan - 1 Jul).
    C: foster from 1 Jan, institution from 1 Mar while foster still runs to 1 May (foster
    cut at 1 Mar: a move foster -> institution at two months)."""
    p = _write(
        tmp_path,
        HEAD + "A;2015-01-01;foster;2023-01-01;2023-07-01\n"
        "A;2015-01-01;foster;2023-01-01;2023-07-01\n"
        "B;2015-01-01;foster;2023-01-01;2023-05-01\n"
        "B;2015-01-01;foster;2023-03-01;2023-07-01\n"
        "C;2015-01-01;foster;2023-01-01;2023-05-01\n"
        "C;2015-01-01;institution;2023-03-01;2023-07-01\n",
    )
    res = fit(p, LADDER, as_of=dt.date(2024, 1, 1))
    found = {f.code: (f.count, f.lines) for f in res.findings}
    assert found == {"DUPLICATE": (1, (3,)), "OVERLAP_SAME_STEP": (1, (5,)), "OVERLAP": (1, (7,))}
    assert res.events[F, INST].sum() == 1 and res.events[F, 0].sum() == 2  # A and B close
    assert res.exposure[F].sum() == pytest.approx(6 + 6 + 2)
    words = [render(f.message(), "en") for f in res.findings]
    assert "Duplicate episodes removed: 1 episode (line 3)" in words


SSDA = (
    "CHILD,SEX,DOB,ETHNIC,UPN,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n"
    "101,1,15/03/2010,WBRI,,01/01/2023,S,C2,N1,U4,PR1,01/03/2023,X1,\n"
    "101,1,15/03/2010,WBRI,,01/03/2023,P,C2,N1,T4,PR1,05/03/2023,X1,\n"
    "101,1,15/03/2010,WBRI,,05/03/2023,P,C2,N1,U5,PR1,01/07/2023,X1,\n"
    "101,1,15/03/2010,WBRI,,01/07/2023,P,C2,N1,K2,PR1,,,\n"
    "202,2,20/08/2012,WBRI,,01/02/2023,S,V2,N1,U1,PR1,01/08/2023,E4A,\n"
)


def test_ssda903_is_read_with_its_code_file(tmp_path):
    """Child 101: U4 then (a 4-day temporary T4, left out) U5: one foster stay of six months,
    then K2 (institution) open. Child 202: U1 (network) for six months, then out of care."""
    p = _write(tmp_path, SSDA)
    eps = read_register(p, LADDER)
    assert eps.source_format == "ssda903" and eps.age_source == "birth_date"
    assert [f.code for f in eps.findings] == ["UNMAPPED_CODE"]
    res = fit(eps, LADDER, as_of=dt.date(2024, 1, 1))
    assert res.events[F, INST].sum() == 1 and res.events[N, 0].sum() == 1
    assert res.events.sum() == 2  # U4 -> U5 across the T4 is no move
    assert res.exposure[F].sum() == pytest.approx(6.0)  # the stay runs on through the T4
    assert res.stock[INST, 13] == 1  # 101 is 13 on 1 January 2024


def test_unknown_code_is_located_and_a_cpr_child_refused_without_echo(tmp_path):
    p = _write(tmp_path, SSDA.replace("K2", "Q9"))
    with pytest.raises(InputError) as e:
        read_register(p, LADDER)
    assert render(e.value.message, "en") == (
        f"{p}:5:10: step: the code 'Q9' is not in the code file (neither under codes nor under skip)"
    )
    p = _write(tmp_path, SSDA.replace("202,", "010203-1234,"))
    with pytest.raises(InputError) as e:
        read_register(p, LADDER)
    text = render(e.value.message, "en")
    assert text.startswith(f"{p}:6:1: child_id: looks like a CPR number")
    assert "010203" not in text


def test_danish_export_through_the_example_code_file(tmp_path):
    codes = DATA / "ladder_codes_dk_eksempel.yaml"
    p = _write(
        tmp_path,
        "pseudonym;foedselsdato;foranstaltning;startdato;slutdato\n"
        "X;2014-05-01;52.3.3;2023-01-01;2023-04-01\n"
        "X;2014-05-01;ANB-PLEJE;2023-04-01;\n",
    )
    res = fit(p, LADDER, codes=codes, as_of=dt.date(2024, 1, 1))
    assert res.events[LADDER.index("home"), F].sum() == 1
    assert res.stock[F, 9] == 1


def test_a_code_file_naming_an_unknown_step_is_refused(tmp_path):
    p = _write(tmp_path, "id: x\ncodes:\n  castle: [Z]\n", "codes.yaml")
    with pytest.raises(InputError) as e:
        load_codes(p, LADDER)
    assert "castle" in render(e.value.message, "en")


def test_left_truncation_keeps_the_true_time_in_step(tmp_path):
    """A's foster stay began 1 Jan 2018 and ends with a move home on 1 Jan 2021; the window is
    2020-2023. Only 2020's 12 months count, the move is at 36 months in the step (band 12+),
    and A is no entrant. B enters on 1 Jul 2021."""
    p = _write(
        tmp_path,
        HEAD + "A;2010-06-01;foster;2018-01-01;2021-01-01\n"
        "A;2010-06-01;home;2021-01-01;\n"
        "B;2012-06-01;foster;2021-07-01;\n",
    )
    res = fit(
        p, LADDER, [0], [0, 6, 12], as_of=dt.date(2023, 1, 1), observed_from=dt.date(2020, 1, 1)
    )
    assert res.window_years == 3.0 and res.truncated == 1
    assert res.exposure[F, 0].tolist() == pytest.approx([6.0, 6.0, 12.0 + 6.0])
    assert res.events[F, LADDER.index("home"), 0].tolist() == [0, 0, 1]
    assert res.entries.sum() == 1
    obs = res.observed  # the 1st of each month, 2020-01 .. 2023-01
    assert obs.shape == (37, len(LADDER.ids))
    assert obs[0, F] == 1 and obs[12, F] == 0 and obs[18, F] == 1 and obs[36].sum() == 2
    eps = read_register(p, LADDER)
    same = observed_stock(eps, LADDER, 12 * 2020.0, 12 * 2023.0)
    assert np.array_equal(same, obs)


def test_as_of_hides_what_happened_later(tmp_path):
    """Fitting at 1 Jul 2021 must not see A's move in January 2022 (a back-test's view)."""
    p = _write(tmp_path, HEAD + "A;2010-06-01;foster;2021-01-01;2022-01-01\n")
    res = fit(p, LADDER, as_of=dt.date(2021, 7, 1))
    assert res.events.sum() == 0 and res.stock[F].sum() == 1


def test_an_extract_is_flagged_when_its_start_is_not_given(tmp_path):
    rows = "".join(
        f"K{i};2010-01-01;foster;2015-0{1 + i % 9}-01;2021-0{1 + i % 9}-15\n" for i in range(12)
    )
    p = _write(tmp_path, HEAD + rows)
    res = fit(p, LADDER)
    assert [f.code for f in res.findings] == ["LOOKS_LIKE_EXTRACT"]
    warning = [render(n, "en") for n in res.notes if "extract" in render(n, "en")]
    assert warning and "--observed-from 2021-01-15" in warning[-1]
    res = fit(p, LADDER, observed_from=dt.date(2021, 1, 1))
    assert not res.findings


def test_birth_year_only_keeps_babies():
    """Born 2023 (year only), placed 1 Mar 2023: taken as born halfway between 1 Jan and the
    start (1 Feb), not on 1 July after the placement."""
    from socinvest.ladder.registers import _birth

    def cell(key):
        return {"birth_year": "2023"}[key]

    birth, source = _birth(
        cell, {"birth_year": 1}, None, 12 * 2023 + 2.0, dt.date(2023, 3, 1), None
    )
    assert (birth, source) == (12 * 2023 + 1.0, "birth_year")


def test_entry_trend_by_hand():
    """Two months: 10 entries in the first, 20 in the second. The Poisson MLE on two equal
    bins is exact: e^β per month = 20/10, so per year 2^12; the level at the window's end is
    the second month's midpoint rate × e^(β/2 month)."""
    times = np.r_[np.linspace(0.01, 0.99, 10), np.linspace(1.01, 1.99, 20)]
    tr = fit_trend(times, 2.0)
    assert tr.per_year == pytest.approx(2.0**12, rel=1e-8)
    assert tr.per_year_at(0.0) == pytest.approx(12 * 20 * math.sqrt(2), rel=1e-8)
    # se of β (per year) = 12·sqrt(1/10 + 1/20) for two bins one month apart
    assert tr.se_beta == pytest.approx(12 * math.sqrt(0.15), rel=1e-8)
    flat = fit_trend(np.linspace(0.05, 23.95, 240), 24.0)
    assert flat.per_year == pytest.approx(1.0, abs=1e-6)


def test_cli_fit_with_window_format_and_trend(tmp_path):
    """`ladder fit SSDA903 --observed-from … --entries trend --json` and the English notes."""
    from typer.testing import CliRunner

    from socinvest.cli import app

    p = _write(tmp_path, SSDA)
    args = ["ladder", "fit", str(p), "--observed-from", "2023-01-01", "--as-of", "2024-01-01"]
    r = CliRunner().invoke(app, [*args, "--format", "ssda903", "--entries", "trend", "--json"])
    assert r.exit_code == 0, r.output
    data = __import__("json").loads(r.output)
    assert data["years_observed"] == 1.0 and data["observed_from_given"] is True
    assert data["window"] == ["2023-01-01", "2024-01-01"]
    assert data["age_source"] == "birth_date" and data["format"] == "ssda903"
    assert data["entries_mode"] == "trend" and data["entries_trend"]["per_year"] > 0
    assert data["findings"] == [{"code": "UNMAPPED_CODE", "count": 1, "lines": [3]}]
    out = tmp_path / "pop.yaml"
    r = CliRunner().invoke(app, [*args, "-o", str(out), "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "observed 2023-01-01 to 2024-01-01 (1.00 years); 0 stays begun before" in r.output
    assert "age: exact, from the birth date" in r.output
    text = out.read_text()
    assert "stock_months:" in text and "institution:\n    13: {'0-': 1}" in text
    r = CliRunner().invoke(app, ["ladder", "fit", str(p), "--observed-from", "2023-02-30"])
    assert r.exit_code == 2 and "--observed-from: '2023-02-30'" in r.output
