"""The renderer registry and the safe writer (reports/registry.py, reports/write.py).

A small non-case document (a pool-like report with a table, a chart of every generic kind and
findings) goes through every format and is read back with the format's own reader; a case
document's .xlsx is the workbook with live formulas; the Monte Carlo of a case runs once per
`run`/`report`, however many formats are written.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from socinvest.errors import InputError
from socinvest.i18n import render
from socinvest.output import safe_write
from socinvest.reports.document.model import (
    Cell,
    ChartSpec,
    Fields,
    Figure,
    FindingItem,
    Findings,
    KeyFigures,
    Note,
    ReportDocument,
    Section,
    Series,
    Table,
    TableRow,
)
from socinvest.reports.registry import FORMATS, document_json, render_file, render_terminal

from .conftest import EXAMPLES, cli

YEARS = ("2025", "2026", "2027")
INJECTION = '=HYPERLINK("http://x","klik")'  # a label that must stay text in Excel


def _doc(lang: str = "da") -> ReportDocument:
    table = Table(
        "ledger",
        1,
        "Tabel 1. Puljens saldo (1.000 kr.)",
        ("År", "Bevilling", "Saldo"),
        (
            TableRow((Cell("2025"), Cell("1.500", 1500.0), Cell("3.500", 3500.0))),
            TableRow((Cell(INJECTION), Cell("-2,5", -2.5), Cell("0", 0.0))),
            TableRow((Cell("I alt"), Cell("1.497,5", 1497.5), Cell("")), "total"),
        ),
        (False, True, True),
        (2.0, 1.0, 1.0),
        note="Saldo ultimo året.",
    )
    band = ChartSpec(
        "lines",
        "Saldo",
        "År",
        "1.000 kr.",
        YEARS,
        (
            Series("P5–P95", (1.0, 2.0, 3.0), "p5"),
            Series("", (3.0, 4.0, 5.0), "p95"),
            Series("Median", (2.0, 3.0, 4.0), "p50"),
        ),
        lang,
    )
    stacked = ChartSpec(
        "stacked",
        "Børn pr. trin",
        "År",
        "børn",
        YEARS,
        (Series("Trin 1", (1.0, 2.0, 3.0), "value"), Series("Trin 2", (3.0, 4.0, 5.0), "value")),
        lang,
    )
    bars = ChartSpec(
        "bars",
        "Bevillinger",
        "År",
        "1.000 kr.",
        YEARS,
        (Series("Case A", (1.0, 2.0, 3.0), "value"), Series("Case B", (3.0, -4.0, 5.0), "value")),
        lang,
    )
    findings = Findings(
        (
            FindingItem("error", "POOL_NEGATIVE_BALANCE", "Puljens saldo bliver negativ", "2026"),
            FindingItem("info", "POOL_REQUEST_DIFFERS", "Ansøgt beløb afviger"),
        ),
        title="Kontrol af puljen",
        summary="1 fejl, 0 advarsler, 1 bemærkning",
    )
    sections = (
        Section("front", "", (Fields((("Pulje", "Børnepuljen"),)),)),
        Section(
            "ledger",
            "1. Saldo",
            (
                KeyFigures("Nøgletal", (("Laveste saldo", "0 (1.000 kr.)"),)),
                table,
                Note("Beløb vist afrundet."),
                Figure(1, "Figur 1. Saldo med bånd", band),
                Figure(2, "Figur 2. Børn pr. trin", stacked),
                Figure(3, "Figur 3. Bevillinger", bars),
            ),
        ),
        Section("rules", "2. Regler", (findings,)),
    )
    return ReportDocument(
        lang, "Børnepuljen 2025", "Investeringspulje", sections, "Beregnet.", "1.000 kr.", "pool"
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("registry")
    doc = _doc()
    return {s: render_file(doc, out / f"pulje{s}") for s in FORMATS}


def test_every_format_is_offered():
    assert FORMATS == (".docx", ".xlsx", ".pdf", ".html", ".md", ".json")


def test_docx_opens_with_its_table_and_findings(written):
    import docx

    d = docx.Document(written[".docx"])
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Tabel 1. Puljens saldo (1.000 kr.)" in text
    assert "Figur 3. Bevillinger" in text
    assert "FEJL POOL_NEGATIVE_BALANCE (2026): Puljens saldo bliver negativ" in text
    grid = [[c.text for c in r.cells] for r in d.tables[1].rows]  # tables[0]: key figures
    assert grid[0] == ["År", "Bevilling", "Saldo"]
    assert grid[2][0] == INJECTION
    assert len(d.inline_shapes) == 3  # one picture per figure


def test_xlsx_numbers_are_numbers_and_text_stays_text(written):
    import openpyxl

    wb = openpyxl.load_workbook(written[".xlsx"])
    assert wb.sheetnames == ["Rapport", "Tabel 1"]
    ws = wb["Tabel 1"]
    assert ws["A1"].value == "Tabel 1. Puljens saldo (1.000 kr.)"
    assert [c.value for c in ws[3]] == ["År", "Bevilling", "Saldo"]
    assert ws["B4"].value == 1500 and ws["B4"].data_type == "n"
    assert ws["B5"].value == -2.5 and ws["B5"].number_format == "#,##0.0"
    assert ws["A5"].value == INJECTION and ws["A5"].data_type == "s"  # not a formula
    assert ws["C6"].value is None or ws["C6"].value == ""
    summary = [c.value for row in wb["Rapport"].iter_rows() for c in row if c.value]
    assert "Børnepuljen 2025" in summary and "Figur 2. Børn pr. trin" in summary
    assert "POOL_NEGATIVE_BALANCE (2026): Puljens saldo bliver negativ" in summary
    assert "fejl" in summary


def test_pdf_is_a_pdf_with_the_caption(written):
    data = written[".pdf"].read_bytes()
    assert data.startswith(b"%PDF")
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext not installed")
    text = subprocess.run(
        [tool, str(written[".pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Tabel 1. Puljens saldo (1.000 kr.)" in text
    assert "POOL_NEGATIVE_BALANCE" in text


def test_html_has_the_table_charts_and_findings(written):
    html = written[".html"].read_text(encoding="utf-8")
    assert '<figure class="table narrow" id="ledger" style="font-size: 8.5pt">' in html
    assert '<td class="num">1.497,5</td>' in html
    assert html.count('<svg class="chart"') == 3
    assert "=HYPERLINK(&#34;http://x&#34;,&#34;klik&#34;)" in html  # escaped
    assert '<li class="error"><span class="severity">fejl</span>' in html
    for label in ("Median", "Trin 2", "Case B"):  # legends of the three generic charts
        assert f">{label}<" in html or f"> {label} <" in html or label in html


def test_markdown_pipe_table_and_findings(written):
    md = written[".md"].read_text(encoding="utf-8")
    assert "| År | Bevilling | Saldo |" in md
    assert "|:--|--:|--:|" in md
    assert "- **fejl** `POOL_NEGATIVE_BALANCE` (2026): Puljens saldo bliver negativ" in md


def test_json_holds_every_block(written):
    data = json.loads(written[".json"].read_text(encoding="utf-8"))
    assert data == document_json(_doc())
    assert data["kind"] == "pool"
    kinds = [b["kind"] for s in data["sections"] for b in s["blocks"]]
    assert kinds == ["fields", "keyfigures", "table", "note", "figure", "figure", "figure",
                     "findings"]  # fmt: skip
    table = data["sections"][1]["blocks"][1]
    assert table["rows"][1]["cells"][1] == {"text": "-2,5", "value": -2.5}
    assert data["sections"][2]["blocks"][0]["items"][0]["code"] == "POOL_NEGATIVE_BALANCE"


def test_terminal_shows_tables_findings_and_figure_captions():
    from rich.console import Console

    console = Console(record=True, width=100, color_system=None)
    render_terminal(_doc(), console)
    text = console.export_text()
    assert "Tabel 1. Puljens saldo (1.000 kr.)" in text
    assert "FEJL POOL_NEGATIVE_BALANCE (2026): Puljens saldo bliver negativ" in text
    assert "Figur 2. Børn pr. trin" in text
    # numbers right-aligned: the widest number sets the column, the others end where it ends
    rows = [ln for ln in text.splitlines() if "1.497,5" in ln or "│ 2025" in ln]
    assert len(rows) == 2 and rows[0].index("1.500") + 5 == rows[1].index("1.497,5") + 7


def test_terminal_words_severities_in_english():
    from rich.console import Console

    console = Console(record=True, width=100, color_system=None)
    render_terminal(_doc("en"), console)
    assert "ERROR POOL_NEGATIVE_BALANCE" in console.export_text()


def test_unknown_suffix_lists_the_formats(tmp_path):
    with pytest.raises(InputError) as e:
        render_file(_doc(), tmp_path / "x.odt")
    assert str(e.value) == (
        f"{tmp_path / 'x.odt'}: ukendt rapportformat '.odt'; "
        "brug et af .docx, .xlsx, .pdf, .html, .md, .json"
    )
    assert render(e.value.message, "en").endswith(
        "unknown report format '.odt'; use one of .docx, .xlsx, .pdf, .html, .md, .json"
    )
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="mappen .* findes ikke"):
        render_file(_doc(), tmp_path / "nope" / "x.html")


# -- the safe writer ------------------------------------------------------------------------


def test_safe_write_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "r.txt"
    target.write_text("old", encoding="utf-8")

    def fail(tmp: Path) -> None:
        tmp.write_text("half a file", encoding="utf-8")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        safe_write(target, fail, overwrite=True)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.txt"]


def test_safe_write_replaces_and_refuses_without_overwrite(tmp_path):
    target = tmp_path / "r.txt"
    assert safe_write(target, lambda p: p.write_text("1", encoding="utf-8")) == target
    safe_write(target, lambda p: p.write_text("2", encoding="utf-8"), overwrite=True)
    assert target.read_text(encoding="utf-8") == "2"
    with pytest.raises(InputError, match="filen findes allerede"):
        safe_write(target, lambda p: p.write_text("3", encoding="utf-8"), overwrite=False)
    assert target.read_text(encoding="utf-8") == "2"
    new = tmp_path / "n.txt"
    safe_write(new, lambda p: p.write_text("4", encoding="utf-8"), overwrite=False)
    assert new.read_text(encoding="utf-8") == "4"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.txt", "r.txt"]


def test_safe_write_missing_folder(tmp_path):
    with pytest.raises(InputError) as e:
        safe_write(tmp_path / "a" / "b.txt", lambda p: None)
    assert render(e.value.message, "en") == (
        f"{tmp_path / 'a' / 'b.txt'}: the folder {tmp_path / 'a'} does not exist"
    )


def test_schema_output_goes_through_the_safe_writer(tmp_path):
    out = tmp_path / "schema.json"
    assert cli("schema", "-o", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"]
    assert [p.name for p in tmp_path.iterdir()] == ["schema.json"]


# -- case documents -------------------------------------------------------------------------


def test_case_document_xlsx_is_the_workbook_with_formulas(tmp_path):
    import openpyxl

    from socinvest.reports.document import build_document
    from socinvest.services.case import case_bundle, load_case

    bundle = case_bundle(load_case(EXAMPLES / "taettere-paa-familier-handicap.yaml"))
    path = render_file(build_document(bundle, "en"), tmp_path / "case.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Table 1", "Lines", "Parameters", "Figures"]
    formulas = [c.value for row in wb["Table 1"].iter_rows() for c in row]
    assert any(isinstance(v, str) and v.startswith("=SUM") for v in formulas)


def _count_simulations(monkeypatch) -> list[int]:
    import socinvest.services.simulation as services_simulation

    calls: list[int] = []
    real = services_simulation.simulate

    def counting(case, draws, *args, **kwargs):
        calls.append(draws)
        return real(case, draws, *args, **kwargs)

    monkeypatch.setattr(services_simulation, "simulate", counting)
    return calls


def test_run_simulates_each_case_once_for_all_formats(tmp_path, monkeypatch):
    calls = _count_simulations(monkeypatch)
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(EXAMPLES / "tidlig-indsats-0-2.yaml", cases)  # the example with uncertainty
    shutil.copy(EXAMPLES / "taettere-paa-familier-handicap.yaml", cases)  # none
    out = tmp_path / "out"
    result = cli("run", cases, "--reports", out, "--draws", "300", "--seed", "7")
    assert result.exit_code in (0, 1), result.output
    assert calls == [300]  # one case with uncertainty, one simulation, five formats
    files = list(out.iterdir())  # five formats each, and the Markdown reports' chart files
    assert len([f for f in files if f.suffix != ".svg"]) == 10
    md = (out / "tidlig-indsats-0-2.md").read_text(encoding="utf-8")
    assert "Monte Carlo med 300 trækninger (frø 7)" in md


def test_report_simulates_once_with_declared_draws(tmp_path, monkeypatch):
    calls = _count_simulations(monkeypatch)
    out = tmp_path / "r.html"
    result = cli(
        "report", EXAMPLES / "tidlig-indsats-0-2.yaml", "-o", out, "--draws", "250", "--lang", "en"
    )
    assert result.exit_code == 0, result.output
    assert calls == [250]
    assert "Report written:" in result.output
    assert "Monte Carlo with 250 draws (seed 0)" in out.read_text(encoding="utf-8")


def test_safe_write_gives_the_mode_of_a_plain_write(tmp_path):
    import os
    import stat

    plain = tmp_path / "plain.txt"
    plain.write_text("x", encoding="utf-8")
    safe = safe_write(tmp_path / "safe.txt", lambda p: p.write_text("x", encoding="utf-8"))
    assert stat.S_IMODE(os.stat(safe).st_mode) == stat.S_IMODE(os.stat(plain).st_mode)
