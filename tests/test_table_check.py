"""Table checks on the seed tables (verbatim copies in tests/fixtures/tables) and on synthetic
tables. Each expectation below is worked out by hand next to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from socinvest.checks.findings import Severity
from socinvest.checks.table import (
    FLIPPED,
    NEGATIVE,
    POSITIVE,
    check_table,
    check_table_file,
    parse_table,
)
from socinvest.errors import InputError

TABLES = Path(__file__).parent / "fixtures" / "tables"


def found(report, severities=(Severity.ERROR, Severity.WARNING, Severity.INFO)):
    return {(f.code, f.row, f.year) for f in report.findings if f.severity in severities}


# ---------------------------------------------------------------------------------------------
# Seed tables: exact findings (all severities) and computed payback

SEED_EXPECTED = {
    # 2017: 5.400-900-4.500 = 0; 2019: 7.500-3.900-5.000 = -1.400; 2029: 7.500-6.600-5.000 =
    # -4.100; implementation 2.100+600+800 = 3.500, 1.500; all totals match.
    # Net flow 3.500, 1.500, -1.400 x4 -> cumulative 3.500, 5.000, 3.600, 2.200, 800, -600:
    # payback year 6 on both bases (all rows are Service); stated 6 and 6.
    "seed000_tabel1_samlede": (set(), {"service": 6, "total": 6}),
    # 2019 and 2020: stated -900, rows 7.500-3.900-5.000 = -1.400 (difference 500, far beyond
    # rounding 0,5*(3+1) = 2). 2017: 5.400-900-4.500 = 0, 2018: 6.000-1.500-4.500 = 0 and
    # 2021/2022 -1.400 are right. Payback: flows 0, 0, -1.400 ... -> year 3.
    "seed000_tabel1_varige": (
        {
            ("SUM_MISMATCH", "Varige ændringer totalt, service", 2019),
            ("SUM_MISMATCH", "Varige ændringer totalt, service", 2020),
        },
        {"service": 3, "total": 3},
    ),
    # 2.100+1.400 = 3.500, 1.500, 0, 0; I alt 2.100+1.500 = 3.600, 1.400 and
    # 3.500+1.500 = 5.000 (= 3.600+1.400). Empty pool column. Only costs: no payback.
    "seed000_tabel2_investeringer": (set(), {"service": None, "total": None}),
    # Total Besparelse 2021: stated 8.900, rows -5.000-3.900 = -8.900 -> sign error.
    # Keys over 2017-2021: BUU -24.000 of -38.100 = 63,0 % (key 65 %), SU -14.100 of -38.100 =
    # 37,0 % (key 35 %): both 2 points off, beyond 0,5 point. Omkostninger 22.500/37.500 =
    # 60 % and 15.000/37.500 = 40 % are right; keys add to 100 % in both groups.
    # Payback: net -900+... per year: 2017 -4.500+4.500-900+3.000 = 2.100, 2018 1.500,
    # 2019 -1.400, 2020 -1.400, 2021 -1.400 -> cumulative 2.100, 3.600, 2.200, 800, -600: year 5.
    "seed000_tabel3_udvalg": (
        {
            ("SIGN_MISMATCH", "Total (Besparelse)", 2021),
            ("SHARE_MISMATCH", "Børne- og Ungdomsudvalget (Besparelse)", None),
            ("SHARE_MISMATCH", "Socialudvalget (Besparelse)", None),
        },
        {"service": 5, "total": 5},
    ),
    # 1.400+2.100 = 3.500, 1.500; keys 1.400/5.000 = 28 %, 3.600/5.000 = 72 %, 28+72 = 100.
    "seed000_tabel4_udvalg_inv": (set(), {"service": None, "total": None}),
    # Totals: -14.500+9.900 = -4.600, ...; implementation 2016 0+4.000 = 4.000, 2017
    # 100+800+0 = 900, ...; -4.600+900 = -3.700 etc. all right.
    # Service rows: 2016 0, 2017 -14.500+9.900+100+800 = -3.700 <= 0 -> payback year 2 (the
    # stated "3 år" is the total basis: 4.000, -3.700 -> cumulative 4.000, 300, -5.200 -> year
    # 3). Stated total basis is blank: no finding.
    "seed001_tabel1_samlede": (
        {("PAYBACK_MISMATCH", "Tilbagebetalingstid baseret på serviceeffektivisering", None)},
        {"service": 2, "total": 3},
    ),
    # 2017: -5.600-5.400-1.300-2.200 = -14.500; 1.800+4.600+800+2.700 = 9.900 -> -4.600;
    # 2018-2020: -16.200+10.100 = -6.100. The total sums both sections (candidate b).
    "seed001_tabel2_varige": (set(), {"service": 1, "total": 1}),
    # 0+0+4.000 = 4.000, 100+800+0 = 900, 600, 400, 0; I alt 100, 1.800, 4.000, 5.900.
    "seed001_tabel3_investeringer": (set(), {"service": None, "total": None}),
    # 'Samlede implementeringsomkostninger' 2017: 1.175+509 = 1.684, stated 1.685 -> difference
    # 1 <= 0,5*(2+1) = 1,5: rounding. 'Samlet økonomisk påvirkning' 2017 = 0 + 1.685 (the two
    # totals above, candidate c) exactly. Payback: 1.684, -3.526+118 = -3.408 -> cumulative
    # 1.684, -1.724 -> year 2 on both bases; stated 2 år and 2 år.
    "seed003_tabel1_samlede": (
        {("ROUNDING", "Samlede implementeringsomkostninger", 2017)},
        {"service": 2, "total": 2},
    ),
    # -1.763-1.763 = -3.526 every year; payback year 1 (first year already a saving).
    "seed003_tabel2_varige": (set(), {"service": 1, "total": 1}),
    # 2017: 1.175+509 = 1.684 vs 1.685: rounding. I alt 1.920 = 1.175+745 (parts' I alt; its
    # own years would give 1.685+118+118+0 = 1.921), 745 = 509+118+118+0.
    "seed003_tabel3_investeringer": (
        {("ROUNDING", "Investeringer totalt, service", 2017)},
        {"service": None, "total": None},
    ),
    # 80 -> 77 (no change stated), 35 -> 32 with change -3 = 32-35.
    "seed003_tabel4_personale": (set(), {"service": None, "total": None}),
}


@pytest.mark.parametrize("name", sorted(SEED_EXPECTED))
def test_seed_tables(name):
    expected, payback = SEED_EXPECTED[name]
    report = check_table_file(TABLES / f"{name}.txt")
    assert found(report) == expected
    assert report.payback == payback
    assert report.kind == "table"


def test_all_seed_fixtures_covered():
    assert {p.stem for p in TABLES.glob("*.txt")} == set(SEED_EXPECTED)


def test_seed000_varige_message_and_fields():
    report = check_table_file(TABLES / "seed000_tabel1_varige.txt")
    f = next(f for f in report.findings if f.year == 2019)
    assert f.stated == -900 and f.computed == -1400 and f.line == 8
    assert str(f.message) == (
        "'Varige ændringer totalt, service' 2019: angivet -900, summen af rækkerne er -1.400 "
        "(forskel 500)"
    )
    assert report.title == "Tabel 1. Varige ændringer, service"


def test_seed001_payback_message_names_other_basis():
    report = check_table_file(TABLES / "seed001_tabel1_samlede.txt")
    (f,) = report.findings
    assert f.stated == 3 and f.computed == 2 and f.line == 14
    assert "svarer til tilbagebetalingstiden på totaløkonomi" in str(f.message)


def test_seed003_total_of_totals_note():
    report = check_table_file(TABLES / "seed003_tabel1_samlede.txt")
    assert any(
        "'Samlet økonomisk påvirkning' = 'Samlet varig ændring' + "
        "'Samlede implementeringsomkostninger'" in n
        for n in map(str, report.notes)
    )


def test_seed000_shares_stated_and_computed_in_percent():
    report = check_table_file(TABLES / "seed000_tabel3_udvalg.txt")
    f = next(f for f in report.findings if f.row == "Socialudvalget (Besparelse)")
    assert f.stated == pytest.approx(35.0)
    assert f.computed == pytest.approx(100 * 14100 / 38100)
    assert "37,0 %" in str(f.message)


# ---------------------------------------------------------------------------------------------
# Structure read from the seeds


def test_parse_seed000_samlede_structure():
    t = parse_table((TABLES / "seed000_tabel1_samlede.txt").read_text("utf-8"), "x")
    assert t.unit == "1.000 kr." and t.price_level == 2016  # "1000 kr. 2016 p/1" (OCR)
    assert t.years == tuple(range(2017, 2030))
    assert t.has_area_column and not t.has_i_alt
    kinds = [(r.line, r.kind) for r in t.rows]
    assert kinds[0] == (4, "section")  # <b>Varige ændringer</b>
    assert [r.label for r in t.rows if r.kind == "total"] == [
        "Samlet varig ændring",
        "Samlede implementeringsomkostninger",
        "Samlet økonomisk påvirkning",
    ]
    assert [r.stated for r in t.rows if r.kind == "payback"] == ["6", "6"]
    first = t.rows[1]
    assert first.label == "Tværfagligt team" and first.area == "service"
    assert first.values[:3] == (5400.0, 6000.0, 7500.0)
    impl = next(r for r in t.rows if r.label == "Fælles kompetenceudvikling")
    assert impl.values[0] == 600.0 and impl.values[1] is None


def test_parse_split_header_pool_and_i_alt():
    t = parse_table((TABLES / "seed001_tabel3_investeringer.txt").read_text("utf-8"), "x")
    assert t.years == (2016, 2017, 2018, 2019, 2020)
    assert t.has_i_alt and t.has_pool and t.price_level == 2017
    lines = [r for r in t.rows if r.kind == "line"]
    assert [r.area for r in lines] == ["service", "service", "anlaeg"]  # label suffixes
    assert all(r.pool for r in lines)
    assert [r.line for r in lines] == [5, 7, 8]  # blank line 6 skipped
    assert [r.i_alt for r in lines] == [100.0, 1800.0, 4000.0]

    t2 = parse_table((TABLES / "seed000_tabel2_investeringer.txt").read_text("utf-8"), "x")
    assert t2.has_pool and t2.has_i_alt and t2.years == (2017, 2018, 2019, 2020)
    assert not any(r.pool for r in t2.rows)  # "(sæt X)" is header, not a mark
    assert [r.kind for r in t2.rows] == ["line", "line", "total"]


def test_parse_committee_table():
    t = parse_table((TABLES / "seed000_tabel3_udvalg.txt").read_text("utf-8"), "x")
    assert t.has_committee and t.has_type and t.has_key
    assert t.years == (2017, 2018, 2019, 2020, 2021)
    r = t.rows[1]
    assert (r.committee, r.type, r.key.value) == ("Børne- og Ungdomsudvalget", "Omkostninger", 0.6)
    assert [r.kind for r in t.rows] == ["line"] * 4 + ["total"] * 2


def test_staff_table_change_mismatch():
    text = "\tBudget 2017\t\tBudget 2018\t\tÆndring (+/-)\n\tAntal\t\tAntal\t\t\nTeam\t\t35\t\t32\t-4\n"
    report = check_table(text)
    # 32 - 35 = -3, stated -4
    assert found(report) == {("CHANGE_MISMATCH", "Team", None)}
    assert report.findings[0].computed == -3 and report.payback == {
        "service": None,
        "total": None,
    }


# ---------------------------------------------------------------------------------------------
# Synthetic tables


def test_savings_printed_positive_inferred():
    text = (
        "1.000 kr. 2020 p/l\t2020\t2021\t2022\n"
        "Omkostninger\t\t\t\n"
        "Personale\t1.000\t1.000\t1.000\n"
        "Effektiviseringer\t\t\t\n"
        "Færre anbringelser\t500\t1.500\t2.000\n"
        "Netto i alt\t500\t-500\t-1.000\n"
    )
    # Net = costs - savings: 1.000-500 = 500, 1.000-1.500 = -500, 1.000-2.000 = -1.000.
    # Read as printed (plain sum) it would be 1.500, 2.500, 3.000: every cell wrong.
    report = check_table(text)
    assert report.findings == []
    assert report.sign == POSITIVE
    assert any("positivt fortegn" in n for n in map(str, report.notes))
    # spending: 500, -500 -> cumulative 500, 0 -> year 2
    assert report.payback == {"service": 2, "total": 2}


def test_savings_positive_costs_negative_flipped():
    text = (
        "kr.\t2020\t2021\n"
        "Udgifter til personale\t-1.000\t-1.000\n"
        "Besparelse på anbringelser\t500\t1.500\n"
        "I alt\t-500\t500\n"
    )
    report = check_table(text)
    assert report.findings == []
    assert report.sign == FLIPPED
    # spending = -printed: 500, -500 -> year 2
    assert report.payback["total"] == 2


def test_neither_reading_fits_keeps_negative_and_says_so():
    text = (
        "kr.\t2020\t2021\n"
        "Personale\t1.000\t1.000\n"
        "Besparelse på anbringelser\t-500\t-1.500\n"
        "I alt\t700\t-400\n"
    )
    # plain: 500, -500 (both wrong); costs - savings: 1.500, 2.500 (both wrong)
    report = check_table(text)
    assert report.sign == NEGATIVE
    assert any("ingen læsning" in n for n in map(str, report.notes))
    assert found(report) == {("SUM_MISMATCH", "I alt", 2020), ("SUM_MISMATCH", "I alt", 2021)}


def test_year_order():
    text = "kr.\t2019\t2018\t2020\nA\t1\t2\t3\nB\t1\t2\t3\nI alt\t2\t4\t6\n"
    report = check_table(text)
    assert found(report) == {("YEAR_ORDER", None, None)}
    assert report.findings[0].line == 1


def test_year_duplicate():
    text = "kr.\t2018\t2018\t2019\nA\t1\t2\t3\nI alt\t1\t2\t3\n"
    report = check_table(text)
    assert found(report) == {("YEAR_DUPLICATE", None, 2018)}
    assert report.findings[0].severity is Severity.ERROR
    assert report.payback == {"service": None, "total": None}


def test_unreadable_cells():
    text = "kr.\t2018\t2019\nA\t1.5\t2\nB\tabc\t3\nI alt\t\t5\n"
    report = check_table(text)
    # "1.5" is not Danish (thousands groups have three digits); "abc" is not a number.
    assert found(report) == {("UNREADABLE_CELL", "A", 2018), ("UNREADABLE_CELL", "B", 2018)}
    f = report.findings[0]
    assert "'1.5'" in str(f.message) and f.line == 2


def test_sum_mismatch_beyond_rounding():
    text = "kr.\t2018\t2019\t2020\nA\t100\t100\t100\nB\t200\t200\t200\nI alt\t301\t302\t300\n"
    report = check_table(text)
    # 2018: 301 vs 300, diff 1 <= 0,5*(2+1) = 1,5 -> rounding; 2019: diff 2 > 1,5 -> error
    assert found(report) == {("ROUNDING", "I alt", 2018), ("SUM_MISMATCH", "I alt", 2019)}


def test_sign_mismatch():
    text = "kr.\t2018\nA\t-100\nB\t-200\nI alt\t300\n"
    assert found(check_table(text)) == {("SIGN_MISMATCH", "I alt", 2018)}


def test_payback_stated_in_years_text():
    text = (
        "1.000 kr.\tStyringsområde\t2020\t2021\t2022\t2023\n"
        "Investering\tService\t1.000\t\t\t\n"
        "Besparelse\tService\t\t-400\t-400\t-400\n"
        "Tilbagebetalingstid baseret på serviceeffektivisering\t3 år\t\t\t\t\n"
        "Tilbagebetalingstid baseret på totaløkonomi\t4\t\t\t\t\n"
    )
    # cumulative 1.000, 600, 200, -200 -> year 4; stated 3 år (service) is wrong, 4 is right.
    report = check_table(text)
    assert found(report) == {
        ("PAYBACK_MISMATCH", "Tilbagebetalingstid baseret på serviceeffektivisering", None)
    }
    f = report.findings[0]
    assert (f.stated, f.computed) == (3, 4)
    assert "svarer heller ikke til totaløkonomi" in str(f.message)
    assert report.payback == {"service": 4, "total": 4}


def test_payback_service_vs_total_from_area_column():
    text = (
        "1.000 kr.\tStyringsområde\t2020\t2021\t2022\n"
        "Byggeri\tAnlæg\t1.000\t\t\n"
        "Drift\tService\t100\t-300\t-300\n"
    )
    # service 100, -300 -> year 2; total 1.100, -300, -300 -> cumulative 1.100, 800, 500: never
    report = check_table(text)
    assert report.payback == {"service": 2, "total": None}


def test_decimals_set_the_rounding_tolerance():
    mio = "mio. kr.\t2020\t2021\nA\t3,5\t3,5\nB\t2,3\t2,3\nC\t0,4\t0,4\nI alt\t6,3\t6,5\n"
    # parts 6,2; h = 0,05, three parts: tolerance 0,05*4 = 0,2. 6,3 (0,1 off) rounding,
    # 6,5 (0,3 off) error.
    report = check_table(mio)
    assert found(report) == {("ROUNDING", "I alt", 2020), ("SUM_MISMATCH", "I alt", 2021)}
    assert "Enhed: mio. kr." in map(str, report.notes)
    whole = "kr.\t2020\t2021\nA\t35\t35\nB\t23\t23\nC\t4\t4\nI alt\t63\t65\n"
    # the same figures in whole units: h = 0,5, tolerance 2: 63 (1 off) rounding, 65 (3) error
    assert found(check_table(whole)) == {
        ("ROUNDING", "I alt", 2020),
        ("SUM_MISMATCH", "I alt", 2021),
    }
    # 0,3 mio. is far below the whole-unit tolerance, yet an error at one decimal
    f = next(f for f in report.findings if f.year == 2021)
    assert "6,5" in str(f.message) and "6,2" in str(f.message)


def test_i_alt_column_mismatch():
    text = (
        "kr.\t2018\t2019\tI alt\n"
        "A\t100\t200\t310\n"
        "B\t50\t50\t101\n"
        "C\t10\t\t10\n"
        "Total\t160\t250\t421\n"
    )
    # A: 100+200 = 300, stated 310 -> error. B: 100 vs 101 -> rounding (2 cells, 1 <= 1,5).
    # Total: own years 160+250 = 410; parts' I alt 310+101+10 = 421 -> fine.
    report = check_table(text)
    assert found(report) == {("SUM_MISMATCH", "A", None), ("ROUNDING", "B", None)}
    f = next(f for f in report.findings if f.row == "A")
    assert (f.stated, f.computed) == (310, 300) and "I alt" in str(f.message)


def test_i_alt_of_total_reports_closer_reading():
    text = "kr.\t2018\t2019\tI alt\nA\t100\t200\t300\nB\t50\t50\t100\nTotal\t150\t250\t500\n"
    # own years 400, parts' I alt 400: both 100 off -> one SUM_MISMATCH
    report = check_table(text)
    assert found(report) == {("SUM_MISMATCH", "Total", None)}


def test_share_of_total_keys_must_add_up():
    text = (
        "Udvalg\tFordelingsnøgle\tkr.\t\n"
        "\t\t2020\t2021\n"
        "A-udvalget\t30 %\t300\t300\n"
        "B-udvalget\t60 %\t700\t700\n"
        "Total\t100 %\t1.000\t1.000\n"
    )
    # shares 30 % / 70 %: B's key 60 % is wrong, and 30+60 = 90 % != 100 %.
    report = check_table(text)
    assert found(report) == {
        ("SHARE_MISMATCH", "B-udvalget", None),
        ("SHARE_MISMATCH", "Total", None),
    }


def test_section_rows_without_tabs_and_crlf():
    text = "Tabel 9. Test\r\n\r\nkr.\t2020\t2021\r\nA\t1\t2\r\nB\t3\t4\r\nI alt\t4\t6\r\n"
    report = check_table(text, "x.txt")
    assert report.findings == [] and report.title == "Tabel 9. Test"
    assert [r.line for r in report.table.rows] == [4, 5, 6]


def test_no_year_columns_is_input_error():
    with pytest.raises(InputError, match="ingen årskolonner fundet"):
        parse_table("Post\tBeløb\nA\t100\n", "min.txt")
    with pytest.raises(InputError, match=r"^min\.txt: ingen tabel fundet"):
        parse_table("bare tekst\nmere tekst\n", "min.txt")
