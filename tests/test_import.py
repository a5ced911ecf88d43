"""`socinvest import`: tables (text or Excel) into a case file.

The acceptance criterion is the round trip: `check` on the imported case reports the same
findings as `check` on the table (same multiset of (code, year); each case finding's row ends
with the table finding's row label)."""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest

from socinvest.case.load import parse_case
from socinvest.checks.case import check_case
from socinvest.checks.table import check_table, check_table_file
from socinvest.errors import InputError
from socinvest.io import import_tables, import_to_file
from socinvest.numbers import parse_number, parse_percent

TABLES = Path(__file__).parent / "fixtures" / "tables"
IMPORT = Path(__file__).parent / "fixtures" / "import"
SEEDS = [p for p in sorted(TABLES.glob("seed*.txt")) if "personale" not in p.name]


def case_check(paths, **kw):
    text = import_tables(paths, **kw)
    case = parse_case(text, "<import>")
    return case, check_case(case).findings


def codes(findings):
    return collections.Counter((f.code, f.year) for f in findings)


def assert_round_trip(table_findings, case_findings):
    assert codes(case_findings) == codes(table_findings)
    for tf in table_findings:  # each table finding has a case finding on the same row
        assert any(
            cf.code == tf.code and cf.year == tf.year and cf.row.endswith(": " + tf.row)
            for cf in case_findings
        ), (tf, case_findings)


# ---------------------------------------------------------------------------------------------
# Round trip: every seed table


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_round_trip_seed_tables(path):
    _, found = case_check([path])
    assert_round_trip(check_table_file(path).findings, found)


def test_round_trip_is_not_trivial():
    """The seed tables' findings: the round trip above really compares errors."""
    expected = {
        "seed000_tabel1_varige": {("SUM_MISMATCH", 2019): 1, ("SUM_MISMATCH", 2020): 1},
        "seed000_tabel3_udvalg": {("SHARE_MISMATCH", None): 2, ("SIGN_MISMATCH", 2021): 1},
        "seed001_tabel1_samlede": {("PAYBACK_MISMATCH", None): 1},
        "seed003_tabel1_samlede": {("ROUNDING", 2017): 1},
        "seed003_tabel3_investeringer": {("ROUNDING", 2017): 1},
    }
    for path in SEEDS:
        _, found = case_check([path])
        assert codes(found) == collections.Counter(expected.get(path.stem, {})), path.stem


def test_staff_table_is_refused_with_a_clear_message():
    with pytest.raises(InputError) as e:
        import_tables([TABLES / "seed003_tabel4_personale.txt"])
    msg = str(e.value)
    assert "seed003_tabel4_personale.txt" in msg and "personaletabel" in msg
    assert "socinvest check" in msg


def test_seed000_table1_as_a_case():
    """Lines, kinds, sign, horizon, unit and price level of the template's table 1."""
    case, _ = case_check([TABLES / "seed000_tabel1_samlede.txt"])
    assert (case.unit.value, case.price_level) == ("1.000 kr.", 2016)
    assert (case.horizon.first, case.horizon.last) == (2017, 2029)
    assert case.sign.value == "spending"
    kinds = {ln.label: ln.kind.value for ln in case.lines}
    assert kinds == {
        "Tværfagligt team": "cost",
        "Besparelser på foranstaltninger": "saving",
        "Besparelser på sociale normeringer og støttepædagogpuljen (socio-emotionelle)": "saving",
        "Etablering af tværfagligt team": "investment",
        "Fælles kompetenceudvikling": "investment",
        "ADBB certificering mv.": "investment",
    }
    stated = {(s.row, s.of, s.payback) for s in case.stated}
    assert ("Samlet varig ændring", "permanent", None) in stated
    assert ("Samlede implementeringsomkostninger", "investment", None) in stated
    assert ("Samlet økonomisk påvirkning", "impact", None) in stated
    assert ("Tilbagebetalingstid baseret på serviceeffektivisering", None, "service") in stated


def test_area_and_pool_from_the_table():
    case, _ = case_check([TABLES / "seed001_tabel3_investeringer.txt"])
    by = {ln.label: ln for ln in case.lines}
    assert by["Etablering af Familieværelser"].area.value == "anlaeg"
    assert by["Kompetenceudvikling"].area.value == "service"
    assert all(ln.funding.value == "pool" for ln in case.lines)
    i_alt = [s for s in case.stated if s.total is not None]
    assert {(s.row, s.total, s.years) for s in i_alt} >= {
        ("Investeringer totalt", 5900, "2016-2020"),
        ("Kompetenceudvikling, service", 1800, "2016-2020"),
    }


def test_committee_table_alone():
    case, found = case_check([TABLES / "seed000_tabel3_udvalg.txt"])
    assert case.committees == {"BUU": "Børne- og Ungdomsudvalget", "SU": "Socialudvalget"}
    assert {ln.owner for ln in case.lines} == {"BUU", "SU"}
    shares = {(s.row, s.committee, s.share) for s in case.stated if s.share is not None}
    assert ("Børne- og Ungdomsudvalget (Besparelse)", "BUU", 0.65) in shares
    share = next(f for f in found if f.code == "SHARE_MISMATCH" and "Børne" in f.row)
    assert share.stated == pytest.approx(65.0) and share.computed == pytest.approx(63.0, abs=0.01)


def test_unplaced_things_become_comments_with_line_numbers():
    text = import_tables([TABLES / "seed000_tabel3_udvalg.txt"])
    assert "# - seed000_tabel3_udvalg.txt linje 9: nøglen 100 %" in text
    text = import_tables([TABLES / "seed001_tabel1_samlede.txt"])
    assert "linje 15: 'Tilbagebetalingstid baseret på totaløkonomi' har ingen værdi" in text


# ---------------------------------------------------------------------------------------------
# Merging several tables of one document


def test_merge_seed001_tables_1_2_3():
    """Table 1's "Effektiviseringer" and "Omkostninger" are the sections of table 2: the case
    has table 2's eight lines with `row:` set, table 1's rows become stated figures; the
    investments are matched by label with table 3 (area from table 1, pool from table 3).
    The only finding is table 1's payback (stated 3, computed 2)."""
    paths = [TABLES / f"seed001_tabel{n}" for n in ("1_samlede", "2_varige", "3_investeringer")]
    case, found = case_check([p.with_suffix(".txt") for p in paths])
    assert [(f.code, f.year) for f in found] == [("PAYBACK_MISMATCH", None)]
    assert found[0].row.endswith(": Tilbagebetalingstid baseret på serviceeffektivisering")
    rows = collections.Counter(ln.display_row for ln in case.lines if ln.kind.value != "investment")
    assert rows == {"Effektiviseringer": 4, "Omkostninger": 4}
    inv = {ln.label: ln for ln in case.lines if ln.kind.value == "investment"}
    assert set(inv) == {
        "Implementering af pilotprojekt Åbent Hus",
        "Kompetenceudvikling",
        "Etablering af Familieværelser",
    }
    assert inv["Etablering af Familieværelser"].area.value == "anlaeg"
    assert all(ln.funding.value == "pool" for ln in inv.values())
    eff = next(s for s in case.stated if s.row == "Effektiviseringer")
    assert len(eff.lines) == 4 and eff.values[2017] == -14500


SEED000 = [
    TABLES / "seed000_tabel1_varige.txt",
    TABLES / "seed000_tabel2_investeringer.txt",
    TABLES / "seed000_tabel3_udvalg.txt",
    TABLES / "seed000_tabel4_udvalg_inv.txt",
]

# Tabel 3 says the team's costs are 4.500 (BUU) + 3.000 (SU) = 7.500 from 2017; Tabel 1 says
# the team costs 5.400 in 2017 and 6.000 in 2018. Merged, the check reports that disagreement
# (a single line in one year: STATED_MISMATCH) on top of the tables' own findings.
CROSS_TABLE_000 = {
    ("STATED_MISMATCH", 2017): 3,  # BUU (Omkostninger), SU (Omkostninger), Total (Omkostninger)
    ("STATED_MISMATCH", 2018): 3,
}


def test_merge_seed000_tables_1_to_4():
    case, found = case_check(SEED000)
    union = sum((codes(check_table_file(p).findings) for p in SEED000), collections.Counter())
    assert codes(found) == union + collections.Counter(CROSS_TABLE_000)
    by = {ln.label: ln for ln in case.lines}
    assert by["Tværfagligt BUF-SOF team"].allocation == {"BUU": 0.6, "SU": 0.4}
    assert by["Besparelser på foranstaltninger"].owner == "SU"
    assert by["Kompetenceudvikling"].owner == "BUU"
    assert by["Etablering af tværfagligt team"].owner == "SU"
    team = [f for f in found if f.code == "STATED_MISMATCH" and "Omkostninger" in f.row]
    assert {(f.year, f.stated, f.computed) for f in team if "Total" in f.row} == {
        (2017, 7500, 5400),
        (2018, 7500, 6000),
    }


def test_merge_matches_rows_by_amounts_and_by_remainder():
    """With the template's table 1 the team is "Tværfagligt team" (Tabel 1: "… BUF-SOF team",
    same amounts) and Tabel 2's "Kompetenceudvikling" is the sum of "Fælles
    kompetenceudvikling" and "ADBB certificering mv." - no double counting."""
    case, found = case_check([TABLES / "seed000_tabel1_samlede.txt", *SEED000])
    union = sum((codes(check_table_file(p).findings) for p in SEED000), collections.Counter())
    assert codes(found) == union + collections.Counter(CROSS_TABLE_000)
    assert len(case.lines) == 6
    rows = {ln.label: ln.display_row for ln in case.lines}
    assert rows["Fælles kompetenceudvikling"] == rows["ADBB certificering mv."]
    assert rows["ADBB certificering mv."] == "Kompetenceudvikling"


@pytest.mark.parametrize(
    "seed, expected",
    [
        ("001_07144006e0a4c850.txt", {("PAYBACK_MISMATCH", None): 1}),
        ("003_7f2dc314c006b409.txt", {("ROUNDING", 2017): 2}),
    ],
)
def test_whole_document(seed, expected):
    """A whole document pasted as text: every table in it is imported and merged; the staff
    table and tables without a unit are skipped with a comment."""
    # copies of shared/seeds/, so the test runs wherever the repository is cloned
    path = Path(__file__).resolve().parent / "fixtures" / "seeds" / seed
    text = import_tables([path])
    _, found = case_check([path])
    assert codes(found) == collections.Counter(expected)
    if seed.startswith("003"):
        assert "personaletabel" in text


# ---------------------------------------------------------------------------------------------
# Sign conventions


POSITIVE_TABLE = """Tabel 9. Opfundet eksempel
1.000 kr. 2020 p/l\t2021\t2022\t2023
Omkostninger\t100\t100\t100
Besparelser\t50\t150\t200
Samlet\t50\t-50\t-100
Tilbagebetalingstid\t3 år
"""

FLIPPED_TABLE = """Tabel 9. Opfundet eksempel
1.000 kr. 2020 p/l\t2021\t2022\t2023
Omkostninger\t-100\t-100\t-100
Besparelser\t50\t150\t200
Samlet\t-50\t50\t100
"""


@pytest.mark.parametrize("text", [POSITIVE_TABLE, FLIPPED_TABLE], ids=["positive", "flipped"])
def test_sign_conventions_are_converted_to_spending(tmp_path, text):
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    case, found = case_check([path])
    amounts = {ln.kind.value: ln.amounts for ln in case.lines}
    assert amounts["cost"] == {2021: 100, 2022: 100, 2023: 100} or amounts["cost"] == {
        "2021-2023": 100
    }
    assert amounts["saving"] == {2021: -50, 2022: -150, 2023: -200}
    assert_round_trip(check_table(text, "t.txt").findings, found)


def test_mixed_sign_row_is_split(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(
        "Tabel 9\n1.000 kr. 2020 p/l\t2021\t2022\nDrift\t100\t-50\nSamlet\t100\t-50\n",
        encoding="utf-8",
    )
    case, found = case_check([path])
    assert [(ln.kind.value, ln.display_row) for ln in case.lines] == [
        ("cost", "Drift"),
        ("saving", "Drift"),
    ]
    assert found == []  # no LINE_SIGN: each part has its kind's sign


def test_fractional_payback_is_a_comment(tmp_path):
    path = tmp_path / "t.txt"
    text = POSITIVE_TABLE.replace("3 år", "2,5 år")
    path.write_text(text, encoding="utf-8")
    out = import_tables([path])
    assert "angivet som 2,5 år" in out
    assert all(s.payback is None for s in parse_case(out).stated)


# ---------------------------------------------------------------------------------------------
# Excel

# tests/fixtures/import/seed001.xlsx is built by write_workbook from the seed tables (verbatim
# text): one sheet per table, numbers as numbers, percentages as numbers with a `%` format,
# markup dropped. Regenerate with: .venv/bin/python -m tests.test_import
SHEETS = {
    "Tabel 1": "seed001_tabel1_samlede.txt",
    "Tabel 2": "seed001_tabel2_varige.txt",
    "Tabel 3": "seed001_tabel3_investeringer.txt",
}


def write_workbook(out: Path, sheets: dict[str, str] = SHEETS) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, file in sheets.items():
        ws = wb.create_sheet(name)
        text = (TABLES / file).read_text(encoding="utf-8")
        for i, line in enumerate(text.splitlines(), start=1):
            for j, raw in enumerate(line.split("\t"), start=1):
                cell = re.sub(r"</?[A-Za-z][^>]*>", "", raw).strip().strip("*").strip()
                if not cell:
                    continue
                target = ws.cell(row=i, column=j)
                if (p := parse_number(cell)) is not None:
                    target.value = int(p.value) if p.decimals == 0 else p.value
                elif (k := parse_percent(cell)) is not None:
                    target.value = k.value
                    target.number_format = "0%"
                else:
                    target.value = cell
    wb.save(out)
    return out


def test_xlsx_fixture_is_the_seed_tables(tmp_path):
    """tests/fixtures/import/seed001.xlsx is written by `write_workbook` from the seed text."""
    from openpyxl import load_workbook

    fresh = write_workbook(tmp_path / "seed001.xlsx")
    a, b = load_workbook(IMPORT / "seed001.xlsx"), load_workbook(fresh)
    assert a.sheetnames == b.sheetnames == ["Tabel 1", "Tabel 2", "Tabel 3"]
    for name in a.sheetnames:
        assert list(a[name].values) == list(b[name].values)
    assert a["Tabel 1"]["D5"].value == -14500  # a number, not the text "-14.500"


@pytest.mark.parametrize(
    "sheet, table",
    [("Tabel 1", "1_samlede"), ("Tabel 2", "2_varige"), ("Tabel 3", "3_investeringer")],
)
def test_xlsx_sheet_round_trip(sheet, table):
    case, found = case_check([Path(f"{IMPORT / 'seed001.xlsx'}#{sheet}")])
    table_findings = check_table_file(TABLES / f"seed001_tabel{table}.txt").findings
    assert_round_trip(table_findings, found)
    text = import_tables([Path(f"{IMPORT / 'seed001.xlsx'}#{sheet}")])
    assert f"seed001.xlsx#{sheet} linje" in text  # comments name the sheet and its row


def test_xlsx_all_sheets_merge_like_the_text_tables():
    case_x, found_x = case_check([IMPORT / "seed001.xlsx"])
    paths = [TABLES / f"seed001_tabel{n}.txt" for n in ("1_samlede", "2_varige", "3_investeringer")]
    case_t, found_t = case_check(paths)
    assert codes(found_x) == codes(found_t) == {("PAYBACK_MISMATCH", None): 1}
    assert [ln.amounts for ln in case_x.lines] == [ln.amounts for ln in case_t.lines]


def test_xlsx_decimals_and_percentages(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Ark"
    ws.append(["Tabel 5. Udvalg"])
    ws.append([])
    ws.append(["Udvalg", "Fordelingsnøgle", "1.000 kr. 2020 p/l", None])
    ws.append([None, None, 2021, 2022])
    ws.append(["Socialudvalget", 0.6, 120.25, 60])
    ws.append(["Økonomiudvalget", 0.4, 80.25, 40])
    ws.append(["Total", 1, 200.5, 100])
    for r in (5, 6, 7):
        ws.cell(row=r, column=2).number_format = "0%"
    wb.save(tmp_path / "b.xlsx")
    case, found = case_check([tmp_path / "b.xlsx"])
    assert found == []
    assert case.committees == {"SU": "Socialudvalget", "ØU": "Økonomiudvalget"}
    assert {ln.owner: ln.amounts for ln in case.lines}["SU"] == {2021: 120.25, 2022: 60}


# ---------------------------------------------------------------------------------------------
# Bad input


def test_empty_file(tmp_path):
    p = tmp_path / "tom.txt"
    p.write_text("")
    with pytest.raises(InputError, match=r"tom\.txt: filen er tom – indsæt tabellen"):
        import_tables([p])


def test_not_a_table(tmp_path):
    p = tmp_path / "prosa.txt"
    p.write_text("Dette er bare tekst om en business case.\nIngen tabel her.\n")
    with pytest.raises(InputError, match=r"prosa\.txt: ingen tabel fundet.*kopiér tabellen"):
        import_tables([p])


def test_xlsx_that_is_not_a_workbook(tmp_path):
    p = tmp_path / "falsk.xlsx"
    p.write_text("1.000 kr.\t2017\t2018\n")
    with pytest.raises(InputError) as e:
        import_tables([p])
    assert "falsk.xlsx" in str(e.value) and "gem den som Excel-projektmappe" in str(e.value)


def test_xlsx_sheet_that_does_not_exist():
    with pytest.raises(InputError) as e:
        import_tables([Path(f"{IMPORT / 'seed001.xlsx'}#Tabel 9")])
    msg = str(e.value)
    assert "seed001.xlsx#Tabel 9" in msg and "arket 'Tabel 9' findes ikke" in msg
    assert "'Tabel 1', 'Tabel 2', 'Tabel 3'" in msg


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="findes ikke"):
        import_tables([tmp_path / "nope.txt"])


def test_tables_with_different_price_levels(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("Tabel 1\n1.000 kr. 2020 p/l\t2021\t2022\nDrift\t1\t2\n")
    b = tmp_path / "b.txt"
    b.write_text("Tabel 2\n1.000 kr. 2019 p/l\t2021\t2022\nAndet\t1\t2\n")
    with pytest.raises(InputError, match="forskellig prisniveau"):
        import_tables([a, b])


def test_table_without_unit_needs_one(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Tabel 1\nBeløb\t2021\t2022\nDrift\t1\t2\n")
    with pytest.raises(InputError, match="ingen tabel angiver enhed"):
        import_tables([p])
    case = parse_case(import_tables([p], unit="kr.", price_level=2021))
    assert case.unit.value == "kr."


# ---------------------------------------------------------------------------------------------
# Writing the file


def test_import_to_file_writes_atomically_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "case.yaml"
    import_to_file([TABLES / "seed001_tabel2_varige.txt"], out, case_id="ha01", title="HA01")
    case = parse_case(out.read_text(encoding="utf-8"))
    assert (case.id, case.title) == ("ha01", "HA01")
    before = out.read_bytes()
    with pytest.raises(InputError, match="findes allerede"):
        import_to_file([TABLES / "seed001_tabel1_samlede.txt"], out)
    assert out.read_bytes() == before
    import_to_file([TABLES / "seed001_tabel1_samlede.txt"], out, force=True)
    assert out.read_bytes() != before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]  # no temp files


def test_import_to_file_leaves_nothing_on_bad_input(tmp_path):
    out = tmp_path / "case.yaml"
    bad = tmp_path / "tom.txt"
    bad.write_text("")
    with pytest.raises(InputError):
        import_to_file([bad], out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tom.txt"]


if __name__ == "__main__":
    write_workbook(IMPORT / "seed001.xlsx")


# ---------------------------------------------------------------------------------------------
# The command: messages through the catalogue (in-process)


def test_import_command_says_where_it_wrote_in_both_languages(tmp_path):
    from tests.conftest import cli

    out = tmp_path / "case.yaml"
    r = cli("import", TABLES / "seed001_tabel2_varige.txt", "-o", out)
    assert r.exit_code == 0, r.output
    assert r.stdout == f"Case-fil skrevet: {out} – kontrollér den med: socinvest check {out}\n"
    r = cli("import", TABLES / "seed001_tabel2_varige.txt", "-o", out, "--force", "--lang", "en")
    assert r.stdout == f"Case file written: {out} – check it with: socinvest check {out}\n"


def test_import_errors_in_english(tmp_path):
    from tests.conftest import cli

    a = tmp_path / "a.txt"
    a.write_text("Tabel 1\n1.000 kr. 2020 p/l\t2021\t2022\nDrift\t1\t2\n")
    b = tmp_path / "b.txt"
    b.write_text("Tabel 2\n1.000 kr. 2019 p/l\t2021\t2022\nAndet\t1\t2\n")
    r = cli("import", a, b, "-o", tmp_path / "c.yaml", "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr.startswith("error: the tables have different price level (Tabel 1: 2020;")
    r = cli("import", a, b, "-o", tmp_path / "c.yaml")
    assert r.stderr.startswith("fejl: tabellerne har forskellig prisniveau (Tabel 1: 2020;")
    r = cli("import", tmp_path / "nope.txt", "-o", tmp_path / "c.yaml", "--lang", "en")
    assert r.exit_code == 2 and "nope.txt: the file does not exist" in r.stderr
    assert not (tmp_path / "c.yaml").exists()
