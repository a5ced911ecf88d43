"""`socinvest ladder … --lang da|en`: Danish by default (the figures of the example, which the
hand-checked tests in test_ladder.py pin), English labels and English numbers with
`--lang en`, and every report format opens and shows its numbered captions."""

from __future__ import annotations

import json
import subprocess

import pytest
from typer.testing import CliRunner

from socinvest.cli import app
from socinvest.i18n import translator
from socinvest.reports.ladder import labels

from .conftest import EXAMPLES

EX = EXAMPLES / "ladder"
runner = CliRunner()


def run(*args: str):
    r = runner.invoke(app, ["ladder", *args])
    assert r.exit_code == 0, r.output
    return r.stdout


DA_PROJECT = [
    "Indsatstrappen",
    "Tidlig opsporing, tæt opfølgning og højst en fjerdedel på institution",
    "1. Børn på trappen",
    "Tabel 1. Børn pr. trin 31. december (markov)",
    "Tabel 2. Anbringelser: fordeling på anbringelsestrin (andel af børneår)",
    # the starting mix first: 48 of the 14 + 48 + 30 placed children on 1 January = 52 %
    "│ Anbringelse i plejefamilie                       │     52 % │ 55 % │ 57 % │ 60 % │ 60 % "
    "│ 60 % │ 60 % │ 60 % │ 60 % │",
    "Tabel 3. Udgift pr. trin (1.000 kr., 2024 p/l)",
    "│ I alt                                                  │ 80.644 │ 76.861 │ 72.964 │ 71.464 "
    "│ 70.395 │ 69.619 │ 69.253 │ 69.109 │",
    "Børneår × pris pr. barn pr. år. Afrundet ved visning.",
]
DA_COMPARE = [
    "Tabel 1. Børn pr. trin 31. december: basis → strategi",
    # the start (4 + 6 + 18 + 20 = 48 in the population file) before the years
    "│ Anbringelse i plejefamilie                             │     48,0 │ 52,6 → 52,2 │ 55,2 → 53,3 "
    "│ 56,8 → 54,1 │ 57,7 → 53,4 │ 58,2 → 52,7 │ 58,5 → 52,1 │ 58,9 → 51,9 │ 59,2 → 51,7 │",
    "│ Anbringelse i plejefamilie                       │     52 % │ 53 % → 55 % │ 54 % → 57 % "
    "│ 55 % → 60 % │ 55 % → 60 % │ 55 % → 60 % │ 55 % → 60 % │ 55 % → 60 % │ 55 % → 60 % │",
    "Tabel 3. Udgift og besparelse (1.000 kr., 2024 p/l)",
    "│ Besparelse i alt                                       │  2.928 │  8.039 │ 12.967 │ 15.140 "
    "│ 16.579 │ 17.501 │ 18.271 │ 18.952 │",
    "Tabel 4. Usikkerhed på besparelsen (1.000 kr.; 20 trækninger, frø 0)",
    "│ Middel │ 2.594 │ 7.274 │ 12.383 │ 14.414 │ 15.769 │ 16.644 │ 17.402 │ 18.082 │",
    "Sandsynlighed for samlet besparelse > 0 over perioden: 100 %",
]
DA_FIT = [
    "214 forløb for 160 børn; observeret 3,92 år; 44 forløb censureret (åbne ved eksportdatoen, "
    "aldrede ud eller forlænget).",
    "┃ fra         ┃ til         ┃ alder ┃ måneder i trin ┃ hændelser ┃ eksp. mdr. ┃ pr. måned "
    "┃    95 %-interval ┃",
    "│ advice      │ universal   │  0-17 │             0- │        64 │      471,0 │   12,50 % "
    "│ 9,94 % – 15,93 % │",
    "┃ trin        ┃ alder ┃ antal ┃ pr. år ┃ 95 %-interval ┃",
    "│ advice      │  0-17 │    82 │   20,9 │   16,7 – 26,0 │",
]
CASES = {
    "project": (["project", str(EX / "scenario.yaml")], DA_PROJECT),
    "compare": (["compare", str(EX / "scenario.yaml"), "--draws", "20"], DA_COMPARE),
    "fit": (["fit", str(EX / "episodes.csv")], DA_FIT),
}
# Danish words that must not appear in English output (user content aside: the example's
# scenario title is Danish and stays as written).
DANISH = ("I alt", "børn", "Børn", "Udgift", " %", "p/l", "Tabel", "Figur ", "Besparelse",
          "basis", "strategi ", "Middel", "trækninger", "forløb", "Overgange", "hændelser",
          "skrevet", "Indsatstrappen", "Beregnet")  # fmt: skip
TITLE = "Tidlig opsporing, tæt opfølgning og højst en fjerdedel på institution"


def _lines(text: str) -> list[str]:
    return [ln.rstrip() for ln in text.splitlines()]


def _cells(text: str, first: str, nth: int = 0) -> list[str]:
    """The cells of the `nth` table row whose first cell is `first`."""
    rows = [
        [c.strip() for c in ln.strip("│ ").split("│")] for ln in _lines(text) if ln.startswith("│")
    ]
    return [r for r in rows if r[0] == first][nth]


def _no_danish(out: str) -> None:
    for danish in DANISH:
        assert danish not in out.replace(TITLE, ""), danish


@pytest.mark.parametrize("name", CASES)
def test_danish_output_is_the_default(name):
    args, snippet = CASES[name]
    default = run(*args)
    lines = _lines(default)
    for want in snippet:
        assert want in lines, want
    assert run(*args, "--lang", "da") == default


def test_english_project():
    out = run("project", str(EX / "scenario.yaml"), "--lang", "en")
    assert "Table 1. Children per step on 31 December (markov)" in out
    foster = "Placement in a foster family"
    assert _cells(out, foster)[1:5] == ["48.0", "52.2", "53.3", "54.1"]  # 1 Jan, then years
    assert "1 Jan 2025" in out
    assert "Table 2. Placements: distribution over placement steps (share of child-years)" in out
    assert _cells(out, foster, 1)[1:5] == ["52%", "55%", "57%", "60%"]
    assert "Table 3. Cost per step (1,000 kr., 2024 prices)" in out
    assert _cells(out, foster, 2)[1:3] == ["22,743", "23,812"]
    assert _cells(out, "Total", 1)[1:] == [
        "80,644", "76,861", "72,964", "71,464", "70,395", "69,619", "69,253", "69,109"
    ]  # fmt: skip
    assert "Child-years × price per child per year. Rounded for display." in out
    assert "Intervention ladder" in out and "1. Children on the ladder" in out
    _no_danish(out)


def test_english_compare():
    out = run("compare", str(EX / "scenario.yaml"), "--draws", "20", "--lang", "en")
    foster = "Placement in a foster family"
    assert "Table 1. Children per step on 31 December: baseline → strategy" in out
    assert _cells(out, foster)[1:4] == ["48.0", "52.6 → 52.2", "55.2 → 53.3"]
    assert "Table 2. Placements: share in each step (baseline → strategy)" in out
    assert _cells(out, foster, 1)[1:4] == ["52%", "53% → 55%", "54% → 57%"]
    assert "Table 3. Cost and savings (1,000 kr., 2024 prices)" in out
    assert _cells(out, "Cost, baseline")[1:3] == ["83,572", "84,900"]
    assert _cells(out, "Total savings")[1:4] == ["2,928", "8,039", "12,967"]
    assert "Table 4. Uncertainty of the savings (1,000 kr.; 20 draws, seed 0)" in out
    assert _cells(out, "Mean")[1:4] == ["2,594", "7,274", "12,383"]
    assert "Probability of total savings > 0 over the period: 100%" in out
    _no_danish(out)


def test_english_fit(tmp_path):
    out_file = tmp_path / "pop.yaml"
    out = run("fit", str(EX / "episodes.csv"), "--lang", "en", "-o", str(out_file))
    assert "214 episodes of 160 children; 3.92 years observed; 44 episodes censored" in out
    assert "Table 1. Transitions per month (events / exposure)" in out
    head = [c.strip() for c in next(ln for ln in _lines(out) if "months in step" in ln).split("┃")]
    assert head[1:-1] == [
        "from", "to", "age", "months in step", "events", "exp. months", "per month",
        "95% interval",
    ]  # fmt: skip
    assert _cells(out, "advice")[4:] == ["64", "471.0", "12.50%", "9.94% – 15.93%"]
    assert "Table 2. New children per year" in out
    assert _cells(out, "advice", -1)[1:] == ["0-17", "82", "20.9", "16.7 – 26.0"]
    assert "Population file written:" in out and out_file.is_file()
    _no_danish(out)


@pytest.mark.parametrize("name", CASES)
def test_json_is_the_same_in_both_languages(name):
    args, _ = CASES[name]
    da = run(*args, "--json")
    assert json.loads(da)
    assert run(*args, "--json", "--lang", "en") == da


def test_english_falls_back_to_the_danish_label(tmp_path):
    text = (EX / "ladder.yaml").read_text(encoding="utf-8")
    kept = [
        ln
        for ln in text.splitlines()
        if not (ln.strip().startswith("label_en:") and "foster family" in ln)
    ]
    (tmp_path / "ladder.yaml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    pop = (EX / "population.yaml").read_text(encoding="utf-8")
    (tmp_path / "population.yaml").write_text(pop, encoding="utf-8")
    out = run("project", str(tmp_path / "population.yaml"), "--lang", "en")
    assert "Anbringelse i plejefamilie" in out  # no label_en: the Danish label
    assert "Placement in kinship care" in out  # the others keep their English label


@pytest.mark.parametrize("lang, words", [("da", ["Børn", "(basis)"]), ("en", ["Children", "Year"])])
def test_chart_text_follows_lang(tmp_path, lang, words):
    svg = tmp_path / "c.svg"
    out = run(
        "compare", str(EX / "scenario.yaml"), "--draws", "0", "--chart", str(svg), "--lang", lang
    )
    text = svg.read_text(encoding="utf-8")  # the chart module keeps text as text
    assert text.startswith("<?xml") and "<svg" in text
    for w in words:
        assert w in text, w
    if lang == "en":
        assert f"Chart written: {svg}" in out
        assert "Børn" not in text and "(strategi)" not in text


# -- report files ------------------------------------------------------------------------------


def _report(tmp_path, suffix: str, lang: str, cmd: str = "compare"):
    path = tmp_path / f"r{suffix}"
    args = {
        "compare": ["compare", str(EX / "scenario.yaml"), "--draws", "20"],
        "project": ["project", str(EX / "scenario.yaml")],
        "fit": ["fit", str(EX / "episodes.csv")],
    }[cmd]
    opt = "--report" if cmd == "fit" else "-o"
    out = run(*args, opt, str(path), "--lang", lang)
    assert path.is_file() and str(path) in out
    return path


CAPTION = {
    "da": "Tabel 3. Udgift og besparelse (1.000 kr., 2024 p/l)",
    "en": "Table 3. Cost and savings (1,000 kr., 2024 prices)",
}
SAVED_2032 = {"da": "18.952", "en": "18,952"}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_docx_report_opens_with_captions_and_figures(tmp_path, lang):
    import docx

    d = docx.Document(str(_report(tmp_path, ".docx", lang)))
    paras = [p.text for p in d.paragraphs]
    assert CAPTION[lang] in paras
    fig = "Figur 2. Besparelse pr. år" if lang == "da" else "Figure 2. Savings per year"
    assert any(p.startswith(fig) for p in paras)
    # every chart is in the document: children, savings and (with draws) the children's band
    assert len(d.inline_shapes) == 3
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert SAVED_2032[lang] in cells


@pytest.mark.parametrize("lang", ["da", "en"])
def test_pdf_report_shows_its_captions(tmp_path, lang):
    pdf = _report(tmp_path, ".pdf", lang)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert CAPTION[lang] in " ".join(text.split())
    assert SAVED_2032[lang] in text


@pytest.mark.parametrize("lang", ["da", "en"])
def test_xlsx_report_holds_the_numbers(tmp_path, lang):
    import openpyxl

    wb = openpyxl.load_workbook(_report(tmp_path, ".xlsx", lang))
    values = [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row]
    assert CAPTION[lang] in values
    numbers = [v for v in values if isinstance(v, float)]
    # savings in 2032: baseline 88.061 − strategy 69.109 (thousands), stored unrounded
    assert any(abs(v - 18_952) < 0.5 for v in numbers)


@pytest.mark.parametrize("suffix", [".html", ".md"])
@pytest.mark.parametrize("cmd", ["project", "fit"])
def test_html_and_md_reports_of_project_and_fit(tmp_path, suffix, cmd):
    text = _report(tmp_path, suffix, "en", cmd).read_text(encoding="utf-8")
    assert "Table 1." in text and "Intervention ladder" in text
    assert "Tabel" not in text


def test_every_label_has_an_english_translation():
    tr = translator("en")
    same = {"P5", "P50", "P95", "P5–P95", "kr.", "markov", "micro"}
    for name, value in vars(labels).items():
        texts = value if isinstance(value, tuple) else (
            tuple(value.values()) if isinstance(value, dict) else (value,)
        )  # fmt: skip
        for text in texts:
            if not name.isupper() or not isinstance(text, str):
                continue
            if text not in same:
                assert tr(text) != text, (name, text)


def test_the_example_and_default_ladders_have_english_labels():
    from socinvest.ladder.load import DEFAULT_LADDER, load_ladder

    for path in (DEFAULT_LADDER, EX / "ladder.yaml"):
        lad = load_ladder(path)
        assert all(s.label_en and s.label_en != s.label for s in lad.steps)
