"""Regressions for the exit-3 and hang classes the fuzz suite found (issue 9, x6): each as its
minimal input, run in-process. Every one used to end in a traceback (or take minutes); now it
is a result, or an InputError (exit 2) that names the file and line."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from socinvest.errors import InputError
from socinvest.followup import adbb, cells, fit, reject
from socinvest.followup.mapping import Matcher, load_mapping
from socinvest.followup.postings import read_postings
from socinvest.i18n import render
from socinvest.numbers import format_number

from .conftest import EXAMPLES, FIXTURES, cli

BAD = FIXTURES / "followup" / "bad-measures"
HEADER = "Konto;Dato;Beløb;Omkostningssted;Tekst\n"
GOOD = "5.28.21.1;15-01-2018;250,00;FH01;Kursus\n"


def _postings(path: Path, strict: bool = False):
    mapping = load_mapping(EXAMPLES / "followup" / "mapping-fit.yaml")
    return read_postings(path, Matcher(mapping.mapping), strict=strict)


# -- 1. every row rejected (lenient): no courses, not IndexError in fit.courses ----------------


def test_fit_with_every_row_rejected_gives_no_courses():
    summary, problems = fit.summarise(BAD / "fit-empty-course-id.csv", strict=False)
    assert summary.courses == 0 and summary.rows == ()
    assert [(p.line, p.column) for p in problems] == [(2, 2)]  # the empty course_id
    with pytest.raises(InputError):
        fit.summarise(BAD / "fit-empty-course-id.csv", strict=True)


def test_adbb_with_every_row_rejected_gives_no_children():
    summary, problems = adbb.summarise(BAD / "adbb-item-above-4.csv", strict=False)
    assert summary.table.counts.sum() == 0
    assert [p.line for p in problems] == [2]


# -- 2. a bare CR in the header: csv.Error -> located InputError ------------------------------


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("da", "overskriften indeholder et linjeskift (CR) midt i linjen"),
        ("en", "the header contains a line break (CR) in the middle of the line"),
    ],
)
def test_a_bare_cr_in_the_header_is_refused_at_its_column(tmp_path, lang, text):
    p = tmp_path / "cr.csv"
    p.write_bytes("Konto;Dato;Beløb\rX;Omkostningssted;Tekst\n".encode() + GOOD.encode())
    with pytest.raises(InputError) as e:
        _postings(p)
    # 'Konto;Dato;Beløb' is 16 characters: the CR is in column 17
    assert e.value.render(lang).startswith(f"{p}:1:17: {text}")


# -- 3. invalid UTF-8 after bad rows (lenient): UnicodeDecodeError in reject._bad_values -------


def test_invalid_utf8_after_bad_values_is_reported_by_line(tmp_path):
    p = tmp_path / "u8.csv"
    bad = "5.28.21.1;15-01-2018;1.234.5;FH01;x\n"
    p.write_bytes((HEADER + bad * 3).encode() + b"5.28.21.1;15-01-2018;12\xce;FH01;x\n")
    got = _postings(p)
    assert [(f.line, f.code) for f in got.findings] == [
        (2, "bad_amount"),
        (3, "bad_amount"),
        (4, "bad_amount"),
        (5, "bad_line"),  # DuckDB's own finding: not UTF-8
    ]
    assert got.groups == ()
    with pytest.raises(InputError, match=r"u8\.csv:2: "):
        _postings(p, strict=True)


# -- 4. a superscript digit passed str.isdigit: ValueError in cells.tenths --------------------


def test_a_superscript_digit_is_a_malformed_score(tmp_path):
    p = tmp_path / "sup.csv"
    p.write_text(
        "client_id;course_id;team;date;age_group;ors;srs\n"
        "k1;F1;N;2018-01-10;adult;²6;38\n"
        "k1;F1;N;2018-02-10;adult;20;38\n",
        encoding="utf-8",
    )
    summary, problems = fit.summarise(p, strict=False)
    assert [(q.line, q.column) for q in problems] == [(2, 6)]
    assert "ors" in render(problems[0].message, "da")
    with pytest.raises(InputError) as e:
        fit.summarise(p, strict=True)
    assert f"{p}:2:6: ors" in e.value.render("da")


@pytest.mark.parametrize("text", ["²0१8-01-10", "２０１８-01-10", "10-01-２０１８", "1٠-01-2018"])
def test_a_date_with_non_ascii_digits_is_not_a_date(text):
    assert cells.parse_date(text) is None
    assert cells.parse_date("10-01-2018") == cells.parse_date("2018-01-10") is not None


def test_posting_values_are_ascii_as_duckdb_reads_them():
    """The pass that locates bad values must agree with DuckDB, which sums only ASCII digits."""
    assert reject.valid_amount("1.234,50") and not reject.valid_amount("１.２３４,50")
    assert reject._is_date("15-01-2018") and not reject._is_date("１５-01-2018")


# -- 5. one very long line of fields: DuckDB took minutes; refused, located, at once ----------


def test_a_480_kb_line_of_fields_is_refused_in_under_two_seconds(tmp_path):
    p = tmp_path / "long.csv"
    p.write_text(HEADER + GOOD + "5.28.21.1;15" * 40_000 + "\n" + GOOD, encoding="utf-8")
    t = time.perf_counter()
    with pytest.raises(InputError) as e:
        _postings(p)
    assert time.perf_counter() - t < 2.0
    assert e.value.render("da").startswith(
        f"{p}:3: linjen er for lang til en eksport (højst 65536 bytes og 1001 felter) – filen "
        "afvises"
    )


def test_a_short_line_of_many_fields_is_refused_too(tmp_path):
    p = tmp_path / "semis.csv"
    p.write_text(HEADER + ";" * 1000 + "\n" + GOOD, encoding="utf-8")  # 1001 fields: the most
    assert _postings(p).groups  # read; the long line is a finding
    p.write_text(HEADER + ";" * 1001 + "\n" + GOOD, encoding="utf-8")
    with pytest.raises(InputError, match=r"semis\.csv:2: linjen er for lang"):
        _postings(p)


@pytest.mark.parametrize("chunk", [1, 2, 7, 64])
def test_line_limits_hold_across_read_chunks(tmp_path, monkeypatch, chunk):
    """A line in progress at a chunk's end carries over: lengths and line numbers are exact."""
    monkeypatch.setattr(reject, "MAX_LINE", 30)
    monkeypatch.setattr(reject, "MAX_SEPARATORS", 5)
    monkeypatch.setattr(reject, "_CHUNK", chunk)
    p = tmp_path / "x.csv"
    p.write_bytes(b"a;b;c\n\n" + b"x" * 29 + b"\n" + b";;;;;\n" + b"y" * 30 + b"\n")
    with pytest.raises(InputError, match=r"x\.csv:5: .*højst 30 bytes og 6 felter"):
        reject.check_lines(p, str(p))
    p.write_bytes(b"a;b;c\n" + b";;;;;;" + b"\n")
    with pytest.raises(InputError, match=r"x\.csv:2: linjen er for lang"):
        reject.check_lines(p, str(p))
    p.write_bytes(b"a;b;c\r\n" + b"x" * 28 + b"\r\n" + b";;;;;")  # no final newline
    reject.check_lines(p, str(p))


# -- 6. formatting a finite float above 1e27: decimal.InvalidOperation inside babel ------------


def test_format_number_formats_any_finite_float():
    assert format_number(1e27, 1) == "1.000.000.000.000.000.000.000.000.000,0"
    assert format_number(1e28) == "10.000.000.000.000.000.000.000.000.000"
    assert format_number(-1e28, 2, "en") == "-10,000,000,000,000,000,000,000,000,000.00"
    big = format_number(1.7976931348623157e308)
    assert big.startswith("179.769.313.486.231.570") and len(big.replace(".", "")) == 309


def test_check_reports_a_sum_of_huge_cells(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("Post\t2019\t2020\nA\t999.999.999.999.999.999.999\t1\nB\t1\t1\nI alt\t5\t2\n")
    r = cli("check", p, debug=False)
    assert r.exit_code == 1, r.output
    # 999.999.999.999.999.999.999 + 1 as a float is 1e27
    assert "angivet 5, summen af rækkerne er 1.000.000.000.000.000.000.000" in r.stdout


# -- 7. run --reports: an existing file or a 300-character name was an OSError, exit 3 ---------


@pytest.fixture
def one_case(tmp_path) -> Path:
    shutil.copy(EXAMPLES / "fit-familiebehandling.yaml", tmp_path)
    return tmp_path


def test_run_refuses_a_file_as_the_reports_folder(one_case):
    case = one_case / "fit-familiebehandling.yaml"
    before = case.read_bytes()
    r = cli("run", one_case, "--reports", case, debug=False)
    assert r.exit_code == 2, r.output
    assert f"{case} findes og er ikke en mappe; angiv en mappe til rapporterne" in r.stderr
    assert case.read_bytes() == before
    r = cli("run", one_case, "--reports", case, "--lang", "en", debug=False)
    assert f"{case} exists and is not a folder; give a folder for the reports" in r.stderr


def test_run_refuses_a_reports_name_too_long(one_case):
    name = one_case / ("r" * 300)
    r = cli("run", one_case, "--reports", name, debug=False)
    assert r.exit_code == 2, r.output
    assert f"{name}: filnavnet er for langt" in r.stderr
    assert sorted(p.name for p in one_case.iterdir()) == ["fit-familiebehandling.yaml"]
