"""Unreadable table input: every case is an InputError naming the file and saying what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from socinvest.checks.table import MAX_BYTES, check_table_file, read_table_file
from socinvest.errors import InputError

BAD = Path(__file__).parent / "fixtures" / "bad" / "tables"

BAD_EXPECTED = {
    "empty.txt": "filen er tom",
    "whitespace.txt": "kun mellemrum og tomme linjer",
    "binary.bin": "binær (indeholder NUL-bytes)",
    "undecodable.txt": "hverken læses som UTF-8 eller Windows-1252",
    "prose.txt": "ingen tabel fundet",
}


def test_every_bad_fixture_is_covered():
    assert {p.name for p in BAD.iterdir()} == set(BAD_EXPECTED)


@pytest.mark.parametrize("name", sorted(BAD_EXPECTED))
def test_bad_fixture(name):
    with pytest.raises(InputError) as e:
        check_table_file(BAD / name)
    msg = str(e.value)
    assert "\n" not in msg
    assert name in msg
    assert BAD_EXPECTED[name] in msg


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"mangler\.txt: filen findes ikke"):
        read_table_file(tmp_path / "mangler.txt")


def test_directory(tmp_path):
    with pytest.raises(InputError, match="er en mappe"):
        read_table_file(tmp_path)


def test_huge_file(tmp_path):
    p = tmp_path / "stor.txt"
    line = "Række\t1.000\t2.000\n".encode()
    p.write_bytes(line * (MAX_BYTES // len(line) + 2))
    assert p.stat().st_size > MAX_BYTES
    with pytest.raises(InputError) as e:
        check_table_file(p)
    assert "stor.txt" in str(e.value) and "for stor" in str(e.value) and "5 MB" in str(e.value)


def test_cp1252_fallback_is_noted(tmp_path):
    p = tmp_path / "excel.txt"
    p.write_bytes("kr.\t2020\nFærre anbringelser\t-5\nØvrige\t-5\nI alt\t-10\n".encode("cp1252"))
    report = check_table_file(p)
    assert report.findings == []
    assert report.table.rows[0].label == "Færre anbringelser"
    assert any("Windows-1252" in n for n in map(str, report.notes))


def test_utf16_with_bom_from_excel(tmp_path):
    p = tmp_path / "unicode.txt"
    p.write_bytes("kr.\t2020\r\nÅben\t5\r\nI alt\t5\r\n".encode("utf-16"))
    report = check_table_file(p)
    assert report.findings == [] and any("UTF-16" in n for n in map(str, report.notes))


def test_utf8_bom_and_source_is_file_name(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + b"kr.\t2020\nA\t1\nB\t2\nI alt\t5\n")
    report = check_table_file(p)
    assert report.title == "bom.txt"
    assert [(f.code, f.row, f.year) for f in report.findings] == [("SUM_MISMATCH", "I alt", 2020)]
