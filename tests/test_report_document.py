"""The report document model (reports/document/) for the seed cases: its figures are the
engine's, its keys are computed from the amounts, and its appendix explains every line."""

from __future__ import annotations

import ast

import numpy as np
import pytest

from socinvest.reports.document import build_document, expr_text
from socinvest.reports.table1 import table1_rows
from socinvest.services.case import case_bundle, load_case

from .conftest import EXAMPLES

SEED000 = "tidlig-indsats-0-2.yaml"
SEED001 = "taettere-paa-familier-handicap.yaml"
SEED003 = "fit-familiebehandling.yaml"


@pytest.fixture(scope="module")
def results():
    """Plain results (no simulation): documents built from them have no uncertainty section."""
    return {
        name: case_bundle(load_case(EXAMPLES / name), simulate=False).results
        for name in (SEED000, SEED001, SEED003)
    }


@pytest.fixture(scope="module")
def doc000():
    """The full report of seed 000 from its bundle (results and simulation, computed once)."""
    return build_document(case_bundle(load_case(EXAMPLES / SEED000), draws=2_000), "da")


@pytest.mark.parametrize("name", [SEED000, SEED001, SEED003])
def test_table1_values_are_the_engines(results, name):
    res = results[name]
    t = build_document(res).table("table1")
    expected = [r for r in table1_rows(res) if r.style in ("line", "total")]
    got = [r for r in t.rows if r.style in ("line", "total")]
    assert [r.cells[0].text for r in got] == [r.label for r in expected]
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose([c.value for c in g.cells[2:]], e.values, atol=1e-9)
    impact = t.row("Samlet økonomisk påvirkning")
    np.testing.assert_allclose([c.value for c in impact.cells[2:]], res.impact[0], atol=1e-9)
    assert t.header[2:] == tuple(str(int(y)) for y in res.years)


def test_table1_text_in_danish_format(doc000):
    t = doc000.table("table1")
    assert t.header[0] == "1.000 kr. 2016 p/l"
    assert "1.000 kr. 2016 p/l" in t.caption
    impact = t.row("Samlet økonomisk påvirkning").texts
    assert impact[2] == "3.500" and impact[-1] == "-4.100"
    payback = t.row("Tilbagebetalingstid baseret på serviceeffektivisering").texts
    assert payback[1] == "6 år"


def test_sections_in_template_order_and_empty_ones_skipped(results, doc000):
    keys = [s.key for s in doc000.sections]
    # the template's order (seeds 000 and 003): Økonomi with its tables (permanent changes,
    # investments, staff) and Fordeling på udvalg before Implementering; Opfølgning with
    # its success criteria; then uncertainty, deviations and the appendix
    assert keys == [
        "front",
        "table1",
        "figures",
        "background",
        "content",
        "economy",  # no text in the example: the heading and its tables
        "economy_tables",
        "allocation",
        "implementation",
        "involvement",
        "effect",
        "followup",
        "kpi",
        "risk",
        "uncertainty",  # seed 000's example carries distributions
        "deviations",  # it states figures, some of which differ
        "appendix",
    ]
    assert doc000.section("background").heading == "2. Baggrund og formål"
    assert doc000.section("economy").heading == "4. Økonomi"
    assert doc000.section("economy_tables").heading == ""  # continues Økonomi
    assert [t.key for t in doc000.section("economy_tables").blocks] == [
        "permanent",
        "investment",
        "staff",
    ]
    assert doc000.section("involvement").heading.endswith(
        "Inddragelse af medarbejdere, virksomheder og borgere"
    )
    assert doc000.section("kpi").heading == ""  # the criteria continue Opfølgning
    # seed 003 has no economy, involvement or followup text: Økonomi is there for its
    # tables, Opfølgning for its criteria
    doc003 = build_document(results[SEED003])
    keys003 = [s.key for s in doc003.sections]
    assert "involvement" not in keys003 and "followup" not in keys003
    assert doc003.section("kpi").heading.endswith("Opfølgning")
    assert "risk" in keys003


def test_every_money_caption_gives_unit_and_price_level(doc000):
    for key in ("table1", "permanent", "investment", "allocation_permanent"):
        assert "(1.000 kr. 2016 p/l)" in doc000.table(key).caption
    assert all("1.000 kr. 2016 p/l" in f.caption for f in doc000.figures)


def test_notes_say_rounding_sign_and_discounting(doc000):
    text = doc000.text()
    assert "afrundet ved visning" in text and "fuld præcision" in text
    assert "negativt (-) fortegn" in text
    assert "3,5 %" in text and "år 1 (2017) diskonteres et helt år" in text
    key = dict(doc000.section("figures").blocks[1].items)
    assert key["Tilbagebetalingstid, interpoleret (totaløkonomi)"] == "5,57 år"
    assert any(k.startswith("Nutidsværdi") for k in key)


def test_investment_table_has_total_and_pool_mark(doc000):
    t = doc000.table("investment")
    assert t.header[-2:] == ("I alt", "Investeringspuljen (sæt X)")
    row = t.row("Etablering af tværfagligt team").texts
    assert row[-2:] == ("3.600", "X")
    assert t.row("Fælles kompetenceudvikling").texts[-1] == ""
    assert t.row("Investeringer totalt").texts[-2] == "5.000"


def test_permanent_table_lists_lines_and_total(doc000):
    t = doc000.table("permanent")
    assert t.row("Tværfagligt team, socialrådgivere (SOF)").texts[2] == "900"
    assert t.row("Samlet varig ændring").texts[-1] == "-4.100"


def test_allocation_keys_computed_from_amounts(doc000):
    inv = doc000.table("allocation_investment")
    buu = inv.row("Børne- og Ungdomsudvalget")
    assert buu.cells[1].text == "28 %"
    assert buu.cells[1].value == pytest.approx(1400 / 5000)
    assert inv.row("Socialudvalget").cells[1].value == pytest.approx(3600 / 5000)
    assert inv.row("Total").cells[-1].text == "5.000"
    perm = doc000.table("allocation_permanent")
    buu_sav = perm.row("Børne- og Ungdomsudvalget")
    assert buu_sav.cells[1].text == "Besparelse"
    # BUU savings 2017-2029: 2 × 4.500 + 11 × 5.000 = 64.000 of 117.400
    assert buu_sav.cells[2].value == pytest.approx(64000 / 117400)
    assert buu_sav.cells[-1].text == "-64.000"


def test_staff_table_seed003(results):
    t = build_document(results[SEED003]).table("staff")
    assert t.header == ("årsværk", "2017", "2018", "2019", "2020", "2021")
    for label in ("Kortere familiebehandlingsforløb", "Kortere sikkerhedsplansforløb"):
        row = t.row(label)
        assert [c.value for c in row.cells[1:]] == [0, -3, -3, -3, -3]
        assert row.texts[1:] == ("", "-3", "-3", "-3", "-3")
    assert t.row("I alt").texts[2] == "-6"


def test_no_staff_section_without_fte_drivers(results):
    assert "staff" not in [s.key for s in build_document(results[SEED001]).sections]


def test_appendix_explains_drivers_with_engine_numbers(doc000):
    text = doc000.section("appendix").blocks
    items = [i for b in text if b.kind == "list" for i in b.items]
    assert any("9 årsværk × 500 = 4.500" in i for i in items)
    # the parameters by their labels (the ids are the workbook's)
    names = "Årsværk, socialrådgivere (SOF) × Løn pr. årsværk − Puljefinansieret del af SOF's team"
    assert f"{names} = 6 × 500 − 2.100 = 900 (2017)" in items
    assert f"{names} = 6 × 500 − 0 = 3.000 (2019–2029)" in items
    ramped = [i for i in items if i.endswith("(2017)") and "Andel af fuld effekt" in i]
    assert ramped and ramped[0].endswith("= 900 (2017)") and "× 0,6" in ramped[0]


def test_appendix_lists_parameters_with_source(doc000):
    t = doc000.table("parameters")
    assert t.header == ("Parameter", "Værdi(er)", "Enhed", "Kilde", "Dato")
    bridge = t.row("Puljefinansieret del af SOF's team").texts
    assert bridge[1] == "2017: 2.100; 2018: 1.500; 2019–2029: 0"
    assert bridge[2] == "1.000 kr."
    assert "investeringspuljen" in bridge[3]


def test_kpi_table_columns(doc000):
    t = doc000.table("kpi")
    assert t.header[1:] == (
        "Hvordan måles succeskriteriet",
        "Hvem er ansvarlig for opfølgning",
        "Hvornår gennemføres opfølgningen",
    )
    assert len(t.rows) == 3


def test_english_labels_and_numbers(results):
    doc = build_document(results[SEED000], "en")
    t = doc.table("table1")
    assert "Total economic consequences of the proposal" in t.caption
    assert t.row("Total economic impact").texts[-1] == "-4,100"
    assert doc.section("background").heading == "2. Background and purpose"
    assert doc.table("allocation_investment").row("Børne- og Ungdomsudvalget").texts[1] == "28%"
    items = [i for b in doc.section("appendix").blocks if b.kind == "list" for i in b.items]
    assert any("9 FTE × 500 = 4,500" in i for i in items)
    assert "Nøgletal" not in doc.text() and "Key figures" in doc.text()


def test_unknown_language_is_refused(results):
    with pytest.raises(ValueError, match="unknown language"):
        build_document(results[SEED000], "de")


@pytest.mark.parametrize(
    "source, names",
    [
        ("a - (b - c)", "a − (b − c)"),
        ("a - b - c", "a − b − c"),
        ("(a + b) * c", "(a + b) × c"),
        ("a / (b * c)", "a / (b × c)"),
        ("-a * b", "−a × b"),
        ("-(a + b)", "−(a + b)"),
        ("min(a, b) + 2.5", "min(a; b) + 2,5"),
    ],
)
def test_expression_printing(source, names):
    tree = ast.parse(source, mode="eval").body
    assert expr_text(tree, None, "da")[0] == names


def test_expression_printing_with_values():
    tree = ast.parse("a * b - c", mode="eval").body
    vals = {"a": 6.0, "b": 500.0, "c": -1.5}
    assert expr_text(tree, vals.__getitem__, "da")[0] == "6 × 500 − (-1,5)"


def test_document_is_frozen(doc000):
    with pytest.raises(AttributeError):
        doc000.title = "x"  # type: ignore[misc]


def test_the_first_page_alone_is_the_whole_reports_first_page():
    """A recompute after an edit builds the first page only (web: the part an edit replaces);
    its sections must be the whole report's, block for block."""
    bundle = case_bundle(load_case(EXAMPLES / SEED000), simulate=False)
    for lang in ("da", "en"):
        whole = build_document(bundle, lang)
        first = build_document(bundle, lang, first_page=True)
        assert [s.key for s in first.sections] == ["front", "table1", "figures"]
        assert first.sections == whole.sections[:3]
        assert (first.title, first.kicker, first.footer) == (
            whole.title,
            whole.kicker,
            whole.footer,
        )
