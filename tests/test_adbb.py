"""ADBB: totals, flags at the threshold, re-screen outcomes within the follow-up window, bad
input located, and the period × outcome summary (hand-computed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from socinvest.errors import InputError
from socinvest.followup import adbb

HEAD = "child_id;date;age_months;i1;i2;i3;i4;i5;i6;i7;i8\n"


def _items(total: int) -> str:
    """Eight items summing to `total` (fours first)."""
    out = []
    for _ in range(8):
        v = min(4, total)
        out.append(v)
        total -= v
    return ";".join(map(str, out))


def _file(tmp_path: Path, rows: list[tuple[str, str, int, int]]) -> Path:
    p = tmp_path / "s.csv"
    p.write_text(HEAD + "".join(f"{c};{d};{a};{_items(t)}\n" for c, d, a, t in rows), "utf-8")
    return p


def test_threshold_and_rescreen_outcomes(tmp_path):
    p = _file(
        tmp_path,
        [
            ("a", "2018-01-10", 3, 4),  # 4 < 5: not flagged
            ("b", "2018-01-10", 3, 5),  # 5: flagged; re-screen after 60 days (the window) at 2
            ("b", "2018-03-11", 5, 2),  # → resolved
            ("c", "2018-01-10", 3, 9),  # flagged; re-screen after 30 days still 6 → still flagged
            ("c", "2018-02-09", 4, 6),
            ("d", "2018-01-10", 3, 12),  # flagged; next screening after 61 days: too late
            ("d", "2018-03-12", 5, 0),
            ("e", "2018-01-10", 3, 7),  # flagged; a second screening on the same day is no
            ("e", "2018-01-10", 3, 3),  # re-screen → no follow-up
            ("f", "2018-02-01", 6, 0),  # first fine, later flagged, never re-screened
            ("f", "2018-05-01", 9, 32),
        ],
    )
    s = adbb.read_screenings(p)
    assert not s.problems
    assert sorted(s.total.tolist()) == sorted([4, 5, 2, 9, 6, 12, 0, 7, 3, 0, 32])
    ch = adbb.children(s)
    got = {
        s.child_names[int(k)]: adbb.CATEGORIES[int(c)]
        for k, c in zip(ch.child, ch.category, strict=True)
    }
    assert got == {
        "a": "not_flagged",
        "b": "resolved",
        "c": "still_flagged",
        "d": "no_followup",
        "e": "no_followup",
        "f": "no_followup",
    }
    assert ch.screenings.tolist() == [1, 2, 2, 2, 2, 2]


def test_bad_rows_located_and_left_out(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text(
        HEAD + "a;2018-01-10;3;0;0;0;0;0;0;0;0\n"
        "b;2018-01-10;1;0;0;0;0;0;0;0;0\n"  # line 3: 1 month is below 2
        "c;2018-01-10;25;0;0;0;0;0;0;0;0\n"  # line 4: above 24
        "d;2018-01-10;3;0;0;5;0;0;0;0;0\n"  # line 5: item i3 is 5
        "e;2018-01-10;3;0;0;0;0;0;0;0\n"  # line 6: one field short
        ";2018-01-10;3;0;0;0;0;0;0;0;0\n",  # line 7: no id
        "utf-8",
    )
    s = adbb.read_screenings(p)
    assert [(q.line, q.column) for q in s.problems] == [(3, 3), (4, 3), (5, 6), (6, None), (7, 1)]
    assert "i3" in str(s.problems[2].message) and "2 til 24" in str(s.problems[0].message)
    assert len(s.total) == 1
    with pytest.raises(InputError, match="5 fejlbehæftede linjer"):
        adbb.read_screenings(p, strict=True)


def test_summary_by_half_year(tmp_path):
    rows = []
    # first half 2018: 20 children not flagged, 5 resolved, 5 still flagged, 5 without follow-up
    for i in range(20):
        rows.append((f"n{i}", "2018-02-01", 4, 1))
    for i in range(5):
        rows += [(f"r{i}", "2018-02-01", 4, 6), (f"r{i}", "2018-03-01", 5, 1)]
        rows += [(f"s{i}", "2018-02-01", 4, 6), (f"s{i}", "2018-03-01", 5, 8)]
        rows.append((f"x{i}", "2018-02-01", 4, 6))
    # second half 2018: 30 children, none flagged
    for i in range(30):
        rows.append((f"m{i}", "2018-09-01", 4, 0))
    sm = adbb.summary(adbb.children(adbb.read_screenings(_file(tmp_path, rows))))
    assert sm.periods == ((2018, 1), (2018, 2))
    assert sm.table.counts.tolist() == [[20, 5, 5, 5, 35], [30, 0, 0, 0, 30], [50, 5, 5, 5, 65]]
    # flagged 15 of 35; followed up 10 of 15; resolved 5 of 10
    assert sm.flagged_share.tolist() == pytest.approx([15 / 35, 0, 15 / 65])
    assert sm.followup_share[0] == pytest.approx(10 / 15) and np.isnan(sm.followup_share[1])
    assert sm.resolved_share[0] == pytest.approx(0.5)
    by_year = adbb.summary(
        adbb.children(adbb.read_screenings(_file(tmp_path, rows))),
        period="year",
        children_in_target=100,
    )
    assert by_year.periods == ((2018, 0),)
    assert by_year.screened_share == pytest.approx(0.65)  # 65 of 100 children screened
    # 63 of 65 children: the 2 not screened are a small cell, so the share is hidden
    s2 = adbb.summary(adbb.children(adbb.read_screenings(_file(tmp_path, rows))),
                      children_in_target=67)  # fmt: skip
    assert s2.screened_share is None


def test_example_file_reads_without_problems():
    root = Path(__file__).resolve().parent.parent
    sm, problems = adbb.summarise(root / "examples" / "followup" / "adbb-screenings.csv")
    assert problems == ()
    assert sm.table.counts[-1, 4] == 900  # the script draws 900 children
    assert sm.periods[0] == (2017, 1) and sm.periods[-1] == (2019, 2)
    first = dt.date(2017, 4, 1)  # screenings start after the introduction period (seed 000)
    s = adbb.read_screenings(root / "examples" / "followup" / "adbb-screenings.csv")
    assert s.day.min() >= first.toordinal()


BAD = Path(__file__).resolve().parent / "fixtures" / "followup" / "bad-measures"


@pytest.mark.parametrize(
    ("name", "where", "message"),
    [
        ("adbb-item-above-4.csv", ":2:6:", "i3: skal være et helt tal fra 0 til 4"),
        ("adbb-age-above-24.csv", ":2:3:", "ADBB bruges fra 2 til 24"),
        ("adbb-age-not-whole.csv", ":2:3:", "age_months: skal være et helt antal måneder"),
        ("adbb-missing-item.csv", ":1:", "mangler kolonnen i8"),
    ],
)
def test_bad_screening_files(name, where, message):
    path = BAD / name
    with pytest.raises(InputError) as e:
        adbb.read_screenings(path, strict=True)
    assert message in str(e.value) and f"{path}{where}" in str(e.value)
    assert e.value.render("en") != str(e.value)
