"""FIT: per-course figures from hand-computed sessions, reading as Excel writes it, and the team
× half-year summary. Figures are worked out by hand in the comments next to each assertion."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from socinvest.errors import InputError
from socinvest.followup import fit

HEAD = "client_id;course_id;team;date;age_group;ors;srs\n"


def _write(tmp_path: Path, body: str, name: str = "s.csv", raw: bytes | None = None) -> Path:
    p = tmp_path / name
    if raw is not None:
        p.write_bytes(raw)
    else:
        p.write_text(HEAD + body, encoding="utf-8")
    return p


def _courses(tmp_path: Path, body: str) -> tuple[fit.Sessions, fit.Courses]:
    s = fit.read_sessions(_write(tmp_path, body))
    assert not s.problems, [str(p.text()) for p in s.problems]
    return s, fit.courses(s)


def test_four_session_course_reliable_but_not_clinically_significant(tmp_path):
    # 18,0 → 23,1: change 5,1 ≥ 5 → reliable; adult cut-off 25 is not reached → not significant.
    s, c = _courses(
        tmp_path,
        "k1;c1;Nord;2018-01-10;adult;18,0;37\n"
        "k1;c1;Nord;2018-02-07;adult;19,5;35,9\n"
        "k1;c1;Nord;2018-03-07;adult;21,0;36,0\n"
        "k1;c1;Nord;2018-04-04;adult;23,1;39\n",
    )
    assert c.intake.tolist() == [180] and c.latest.tolist() == [231]
    assert c.change.tolist() == [51]
    assert c.reliable_improvement.tolist() == [True]
    assert c.clinically_significant.tolist() == [False]
    # 10 January → 4 April 2018: 21 + 28 + 31 + 4 = 84 days; 4 sessions, not a drop-out.
    assert c.days.tolist() == [84] and c.sessions.tolist() == [4]
    assert c.dropout.tolist() == [False]
    # SRS 35,9 is below 36 (one warning); 36,0 is not.
    assert c.alliance_warnings.tolist() == [1]


def test_crossing_the_cut_off_is_clinically_significant(tmp_path):
    # 24,9 → 30,0: change 5,1 and from below 25 to at or above it.
    _, c = _courses(
        tmp_path, "k1;c1;N;2018-01-10;adult;24,9;38\nk1;c1;N;2018-02-10;adult;30,0;38\n"
    )
    assert c.reliable_improvement.tolist() == [True]
    assert c.clinically_significant.tolist() == [True]
    assert c.dropout.tolist() == [True]  # two sessions


def test_exact_tenths_where_floats_would_fail(tmp_path):
    # 8.2 - 3.2 == 4.999999999999999 in binary floating point; in tenths 82 - 32 = 50 ≥ 50.
    assert 8.2 - 3.2 < 5.0
    _, c = _courses(
        tmp_path,
        "k1;c1;N;2018-01-10;adult;3,2;38\nk1;c1;N;2018-02-10;adult;8,2;38\n"
        "k2;c1;N;2018-01-10;adult;8,2;38\nk2;c1;N;2018-02-10;adult;3,3;38\n"
        "k3;c1;N;2018-01-10;adult;20,0;38\nk3;c1;N;2018-02-10;adult;24,9;38\n",
    )
    # k1: +5,0 reliable; k2: −4,9 not a reliable deterioration; k3: +4,9 not reliable.
    assert c.reliable_improvement.tolist() == [True, False, False]
    assert c.reliable_deterioration.tolist() == [False, False, False]
    assert c.change.tolist() == [50, -49, 49]


@pytest.mark.parametrize(
    ("group", "intake", "latest", "significant"),
    [
        ("adolescent", "27,9", "33,0", True),  # below 28 → at or above 28
        ("adolescent", "28,0", "33,0", False),  # already at the cut-off at intake
        ("child", "26,0", "31,9", False),  # reliable, but still below 32
        ("child", "27,0", "32,0", True),  # +5,0 and reaches 32 exactly
        ("adult", "20,0", "25,0", True),  # +5,0 and reaches 25 exactly
    ],
)
def test_cut_offs_by_age_group(tmp_path, group, intake, latest, significant):
    _, c = _courses(
        tmp_path, f"k;c;N;2018-01-10;{group};{intake};38\nk;c;N;2018-03-10;{group};{latest};38\n"
    )
    assert c.clinically_significant.tolist() == [significant]


def test_single_session_courses_and_order(tmp_path):
    s, c = _courses(
        tmp_path,
        # out of date order in the file; the same course id under two clients is two courses
        "k1;c1;N;2018-03-01;adult;20;38\n"
        "k1;c1;N;2018-01-01;adult;10;38\n"
        "k2;c1;N;2018-01-05;adult;15;\n",
    )
    assert [n for n in c.names] == [("k1", "c1"), ("k2", "c1")]
    assert c.intake.tolist() == [100, 150] and c.latest.tolist() == [200, 150]
    assert c.sessions.tolist() == [2, 1] and c.days.tolist() == [59, 0]
    # a single session: no change, not improved, a drop-out, category "single_session"
    assert c.reliable_improvement.tolist() == [True, False]
    assert c.category.tolist() == [0, 3]
    assert c.alliance_warnings.tolist() == [0, 0]  # empty SRS is no warning
    assert not c.change.flags.writeable


def test_excel_csv_bom_crlf_quotes_and_danish_dates(tmp_path):
    raw = (
        "\ufeffclient_id;course_id;team;date;age_group;ors;srs\r\n"
        'k1;c1;"Familiehus Nord; Amager";10-01-2018;Adult;18.0;37\r\n'
        'k1;c1;"Familiehus Nord; Amager";07.02.2018;adult;"23,1";39\r\n'
        ";;;;;;\r\n"
    ).encode()
    s = fit.read_sessions(_write(tmp_path, "", raw=raw))
    assert not s.problems
    assert s.team_names == ("Familiehus Nord; Amager",)
    c = fit.courses(s)
    assert c.change.tolist() == [51] and c.days.tolist() == [28]


def test_malformed_lines_are_left_out_with_their_line_numbers(tmp_path):
    p = _write(
        tmp_path,
        "k1;c1;N;2018-01-10;adult;18;37\n"
        "k1;c1;N;2018-02-30;adult;19;37\n"  # line 3: no 30 February
        "k1;c1;N;2018-03-10;adult;40,1;37\n"  # line 4: above 40
        "k1;c1;N;2018-03-11;adult;23,45;37\n"  # line 5: two decimals
        "k1;c1;N;2018-03-12;senior;23;37\n"  # line 6: unknown age group
        "k1;c1;N;2018-03-13;adult;23\n"  # line 7: six fields
        "\n"
        "k1;c1;N;2018-04-04;adult;23,1;39\n",
    )
    s = fit.read_sessions(p)
    where = [(q.line, q.column) for q in s.problems]
    assert where == [(3, 4), (4, 6), (5, 6), (6, 5), (7, None)]
    c = fit.courses(s)
    assert c.sessions.tolist() == [2] and c.change.tolist() == [51]
    with pytest.raises(InputError) as e:
        fit.read_sessions(p, strict=True)
    text = str(e.value)
    assert "5 fejlbehæftede linjer" in text and f"{p}:7:" in text and f"{p}:3:4:" in text
    assert "2018-02-30" not in text  # values are not echoed


def _course(client: str, team: str, start: dt.date, days: int, intake: float, latest: float):
    a, b = f"{intake:.1f}".replace(".", ","), f"{latest:.1f}".replace(".", ",")
    end = start + dt.timedelta(days=days)
    return f"{client};c;{team};{start};adult;{a};38\n{client};c;{team};{end};adult;{b};38\n"


def test_summary_by_team_and_half_year(tmp_path):
    body = ""
    d = dt.date(2018, 2, 1)
    # Nord, first half of 2018: 6 improved (+6), 5 unchanged (+1), 5 deteriorated (−6), all 30
    # days; one single-session course (left out of the table).
    for i in range(6):
        body += _course(f"a{i}", "Nord", d, 30, 10, 16)
    for i in range(5):
        body += _course(f"b{i}", "Nord", d, 30, 10, 11)
    for i in range(5):
        body += _course(f"c{i}", "Nord", d, 30, 20, 14)
    body += "z1;c;Nord;2018-02-01;adult;12;38\n"
    # Syd, second half of 2018: 10 improved, 60 days, 5 unchanged, 90 days.
    d2 = dt.date(2018, 8, 1)
    for i in range(10):
        body += _course(f"d{i}", "Syd", d2, 60, 10, 16)
    for i in range(5):
        body += _course(f"e{i}", "Syd", d2, 90, 10, 11)
    s = fit.read_sessions(_write(tmp_path, body))
    sm = fit.summary(fit.courses(s), s.team_names)
    assert sm.rows == (("Nord", (2018, 1)), ("Syd", (2018, 2)))
    assert sm.table.counts.tolist() == [[6, 5, 5, 16], [10, 5, 0, 15], [16, 10, 5, 31]]
    assert not sm.table.hidden.any()
    assert sm.improved_share.tolist() == pytest.approx([6 / 16, 10 / 15, 16 / 31])
    assert sm.deteriorated_share.tolist() == pytest.approx([5 / 16, 0, 5 / 31])
    # mean length: Nord 30; Syd (10·60 + 5·90)/15 = 70; all (16·30 + 1050)/31
    assert sm.mean_days.tolist() == pytest.approx([30, 70, (16 * 30 + 1050) / 31])
    assert sm.courses == 32 and sm.single_session is None  # one course: a small cell
    assert sm.dropouts == 32  # every course has one or two sessions here


def test_summary_hides_small_teams(tmp_path):
    body = "".join(_course(f"a{i}", "Nord", dt.date(2018, 2, 1), 30, 10, 16) for i in range(8))
    body += "".join(_course(f"b{i}", "Syd", dt.date(2018, 2, 1), 30, 10, 16) for i in range(3))
    body += "".join(_course(f"c{i}", "Vest", dt.date(2018, 2, 1), 50, 10, 16) for i in range(9))
    s = fit.read_sessions(_write(tmp_path, body))
    sm = fit.summary(fit.courses(s), s.team_names)
    # Syd's 3 courses are hidden, and so is another row (else 20 − 8 − 9 gives 3 back)
    hidden_rows = sm.table.hidden[:3, 3].tolist()
    assert hidden_rows[1] and sum(hidden_rows) == 2
    assert np.isnan(sm.mean_days[1]) and np.isnan(sm.improved_share[1])
    assert sm.table.counts[3, 3] == 20


def test_example_file_reads_without_problems():
    root = Path(__file__).resolve().parent.parent
    sm, problems = fit.summarise(root / "examples" / "followup" / "fit-sessions.csv")
    assert problems == ()
    assert sm.courses == 2000 and {t for t, _ in sm.rows} == {
        "Familiehus Nord",
        "Familiehus Syd",
        "Familiehus Vest",
        "Familiehus Øst",
    }


BAD = Path(__file__).resolve().parent / "fixtures" / "followup" / "bad-measures"


@pytest.mark.parametrize(
    ("name", "where", "message"),
    [
        ("fit-missing-column.csv", ":1:", "mangler kolonnen course_id"),
        ("fit-wrong-field-count.csv", ":3:", "linjen har 6 felter, overskriften 7"),
        ("fit-score-above-40.csv", ":3:6:", "ors: skal være et tal fra 0 til 40"),
        ("fit-two-decimals.csv", ":2:6:", "højst én decimal"),
        ("fit-bad-date.csv", ":2:4:", "date: ikke en dato"),
        ("fit-unknown-age-group.csv", ":2:5:", "age_group: skal være child, adolescent"),
        ("fit-missing-ors.csv", ":2:6:", "ors: skal være"),
        ("fit-empty-course-id.csv", ":2:2:", "course_id: tomt felt"),
        ("fit-cpr-plain.csv", ":3:1:", "ligner et CPR-nummer"),
        ("fit-cpr-in-team.csv", ":3:3:", "ligner et CPR-nummer"),
        ("fit-cpr-in-extra-column.csv", ":2:8:", "ligner et CPR-nummer"),
        ("fit-cpr-as-score.csv", ":2:6:", "ligner et CPR-nummer"),
        ("fit-empty.csv", "", "filen er tom"),
        ("fit-not-text.csv", "", "ikke gyldig UTF-8"),
        ("does-not-exist.csv", "", "filen findes ikke"),
    ],
)
def test_bad_session_files(name, where, message):
    """One fixture per kind of bad input: strict mode refuses it with a located message in
    both languages; a CPR-like value is refused even without strict, never echoed."""
    path = BAD / name
    with pytest.raises(InputError) as e:
        fit.read_sessions(path, strict=True)
    text = str(e.value)
    assert message in text and f"{path}{where}" in text, text
    assert e.value.render("en") != text  # worded in English too
    for secret in ("1234", "010190", "01.01.90"):
        assert secret not in text.replace(str(path), "")
    if "CPR" in message:
        with pytest.raises(InputError, match="CPR"):
            fit.read_sessions(path)


def test_size_is_bounded(tmp_path):
    p = _write(tmp_path, "k1;c1;N;2018-01-10;adult;20;38\n")
    with pytest.raises(InputError, match="filen er for stor"):
        fit.read_sessions(p, max_bytes=10)


def test_long_team_names_are_told_apart(tmp_path):
    long = "Familiehuset på Amager og Christianshavn, team for familier med børn 0-17 år"
    body = "".join(f"k{i};c;{long} {'AB'[i % 2]};2018-01-10;adult;20;38\n" for i in range(4))
    s = fit.read_sessions(_write(tmp_path, body))
    assert s.team_names == (f"{long} A", f"{long} B")
