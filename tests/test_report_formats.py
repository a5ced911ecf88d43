"""Report files: Word (read back with python-docx, converted with LibreOffice), HTML, Markdown
and PDF for seed 000 (13 year columns). Each format is generated once per module."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from socinvest.reports.document import build_document
from socinvest.reports.markdown import write_md
from socinvest.reports.registry import render_file
from socinvest.services.case import case_bundle, load_case

from .conftest import EXAMPLES

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _tool(name: str) -> str:
    """The path of a system tool; skip without it, except under CI, where it must exist."""
    path = shutil.which(name)
    if path is None:
        if CI:
            pytest.fail(f"{name} is required under CI but was not found")
        pytest.skip(f"{name} not installed")
    return path


@pytest.fixture(scope="module")
def bundle():
    return case_bundle(load_case(EXAMPLES / "tidlig-indsats-0-2.yaml"))


@pytest.fixture(scope="module")
def doc(bundle):
    return build_document(bundle, "da")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="module")
def docx_path(doc, out):
    return render_file(doc, out / "case.docx")


@pytest.fixture(scope="module")
def html_text(doc, out):
    return render_file(doc, out / "case.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pdf_path(doc, out):
    return render_file(doc, out / "case.pdf")


@pytest.fixture(scope="module")
def md_path(doc, out):
    return render_file(doc, out / "case.md")


# -- docx ------------------------------------------------------------------------------------


def _docx_tables(path):
    import docx

    d = docx.Document(str(path))
    return d, [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]


def test_docx_table1_is_a_real_table(docx_path):
    d, tables = _docx_tables(docx_path)
    t1 = next(t for t in tables if any(r[0] == "Samlet økonomisk påvirkning" for r in t))
    header = t1[0]
    assert header[0] == "1.000 kr. 2016 p/l" and header[-1] == "2029"
    impact = next(r for r in t1 if r[0] == "Samlet økonomisk påvirkning")
    assert impact[header.index("2029")] == "-4.100"
    assert impact[header.index("2017")] == "3.500"
    table = d.tables[tables.index(t1)]
    assert table.style.name == "Table Grid"
    # header row bold and repeated on every page; numbers right-aligned
    assert all(r.bold for c in table.rows[0].cells for p in c.paragraphs for r in p.runs)
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")
    cell = table.rows[2].cells[header.index("2029")]
    assert cell.paragraphs[0].alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT


def test_docx_headings_captions_and_pictures(docx_path):
    d, _ = _docx_tables(docx_path)
    styles = [(p.style.name, p.text) for p in d.paragraphs]
    h1 = [t for s, t in styles if s == "Heading 1"]
    assert "1. Forslagets samlede økonomiske konsekvenser" in h1
    assert "2. Baggrund og formål" in h1
    assert any(t.endswith("Fordeling på udvalg") for t in h1)
    captions = [t for s, t in styles if s == "Caption"]
    assert any(c.startswith("Tabel 1.") and "1.000 kr. 2016 p/l" in c for c in captions)
    assert sum("1.000 kr. 2016 p/l" in c for c in captions) >= 5
    # the three charts, plus the fan and the tornado of the uncertainty section
    assert len(d.inline_shapes) == 5
    # table 1 on a landscape page (13 year columns)
    assert d.sections[0].page_width > d.sections[0].page_height


def test_docx_converts_with_libreoffice(docx_path, out):
    soffice = _tool("soffice")
    target = out / "lo"
    target.mkdir(exist_ok=True)
    proc = subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(target), str(docx_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    pdf = target / "case.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


# -- html ------------------------------------------------------------------------------------


def test_html_sections_in_order(html_text):
    headings = re.findall(r"<h2>(.*?)</h2>", html_text)
    assert headings[0] == "1. Forslagets samlede økonomiske konsekvenser"
    expected = [
        "Forslagets samlede økonomiske konsekvenser",
        "Baggrund og formål",
        "Forslagets indhold",
        "Økonomi",  # the template's order: its tables before Implementering
        "Fordeling på udvalg",
        "Implementering af forslaget",
        "Inddragelse af medarbejdere, virksomheder og borgere",
        "Forslagets effekt",
        "Opfølgning",  # with its success criteria
        "Risikovurdering",
        "Usikkerhed og følsomhed",
        "Afvigelser fra kildedokumentet",
        "Bilag: parametre og beregninger",
    ]
    assert [h.split(". ", 1)[1] for h in headings] == expected


def test_html_is_standalone_with_inline_svg_charts(html_text):
    assert html_text.count("<svg") == 5  # 3 charts + fan + tornado
    assert "<style>" in html_text and "@page" in html_text
    assert "<link" not in html_text and "<script" not in html_text
    assert 'src="http' not in html_text


def test_html_danish_numbers_and_captions(html_text):
    assert '<td class="num">-4.100</td>' in html_text
    assert "Samlet økonomisk påvirkning" in html_text
    assert "Tabel 1. Forslagets samlede økonomiske konsekvenser (1.000 kr. 2016 p/l)" in html_text
    assert "Investeringspuljen (sæt X)" in html_text


def test_html_english(bundle, out):
    text = render_file(build_document(bundle, "en"), out / "case-en.html").read_text("utf-8")
    assert 'lang="en"' in text and "Total economic impact" in text and "-4,100" in text


# -- markdown --------------------------------------------------------------------------------


def test_markdown_pipe_tables(md_path):
    text = md_path.read_text(encoding="utf-8")
    impact = next(ln for ln in text.splitlines() if "Samlet økonomisk påvirkning" in ln)
    assert impact.startswith("| ") and impact.endswith(" |")
    assert "**-4.100**" in impact
    assert "|:--|:--|--:|" in text
    assert "## 2. Baggrund og formål" in text
    # charts as SVG files beside it, linked by relative names (GitHub shows them; it refuses
    # large data URIs)
    assert "](data:" not in text
    assert len(list(md_path.parent.glob("case-figur-*.svg"))) == 5
    assert "](case-figur-1.svg)" in text


def test_markdown_chart_files(doc, out):
    p = out / "files.md"
    write_md(doc, p, charts="files")
    text = p.read_text(encoding="utf-8")
    for n in (1, 2, 3):
        assert (out / f"files-figur-{n}.svg").read_text(encoding="utf-8").count("<svg") == 1
        assert f"](files-figur-{n}.svg)" in text


# -- pdf ---------------------------------------------------------------------------------------


def test_pdf_file(pdf_path):
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF")


def test_pdf_pages_and_text(pdf_path):
    pdfinfo = _tool("pdfinfo")
    info = subprocess.run([pdfinfo, str(pdf_path)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    assert pages >= 2
    pdftotext = _tool("pdftotext")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Samlet økonomisk påvirkning" in text
    assert "-4.100" in text
    assert "1.000 kr. 2016 p/l" in text
    # table 1 fits the page: its last year column is on the same line as its label
    assert re.search(r"Samlet økonomisk påvirkning.*-4\.100", text)
    first = subprocess.run(
        [pdftotext, "-f", "1", "-l", "1", "-layout", str(pdf_path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "2029" in first and "Samlet økonomisk påvirkning" in first
