"""`socinvest ladder … --lang da|en`: Danish by default and unchanged (captured snippets),
English labels and English numbers with `--lang en`."""

from __future__ import annotations

import json
import string

import pytest
from typer.testing import CliRunner

from socinvest.cli.ladder import ladder_app
from socinvest.reports.ladder.labels import LANGS, UNIT, T

from .conftest import EXAMPLES

EX = EXAMPLES / "ladder"
runner = CliRunner()


def run(*args: str):
    r = runner.invoke(ladder_app, list(args), catch_exceptions=False)
    return r


# Lines of the Danish output captured before `--lang` existed (CliRunner: not a terminal, so
# the console is 200 columns wide as when piped). They must not change.
DA_PROJECT = [
    "Tidlig opsporing, tæt opfølgning og højst en fjerdedel på institution: "
    "børn pr. trin 31. december (markov)",
    "Anbringelser: fordeling på anbringelsestrin (andel af børneår)",
    "│ Anbringelse i plejefamilie                       │ 55 % │ 57 % │ 60 % │ 60 % │ 60 % │ 60 % "
    "│ 60 % │ 60 % │",
    "Udgift pr. trin (1.000 kr., 2024 p/l)",
    "│ I alt                                                  │ 80.644 │ 76.861 │ 72.964 │ 71.464 "
    "│ 70.395 │ 69.619 │ 69.253 │ 69.109 │",
    "Børneår × pris pr. barn pr. år. Afrundet ved visning.",
]
DA_COMPARE = [
    "Børn pr. trin 31. december: basis → strategi",
    "│ Anbringelse i plejefamilie                             │ 52,6 → 52,2 │ 55,2 → 53,3 "
    "│ 56,8 → 54,1 │ 57,7 → 53,4 │ 58,2 → 52,7 │ 58,5 → 52,1 │ 58,9 → 51,9 │ 59,2 → 51,7 │",
    "│ Anbringelse i plejefamilie                       │ 53 % → 55 % │ 54 % → 57 % │ 55 % → 60 % "
    "│ 55 % → 60 % │ 55 % → 60 % │ 55 % → 60 % │ 55 % → 60 % │ 55 % → 60 % │",
    "Udgift og besparelse (1.000 kr., 2024 p/l)",
    "│ Besparelse i alt                                       │  2.928 │  8.039 │ 12.967 │ 15.140 "
    "│ 16.579 │ 17.501 │ 18.271 │ 18.952 │",
    "Usikkerhed på besparelsen (1.000 kr.; 20 trækninger, frø 0)",
    "│ Middel │ 2.594 │ 7.274 │ 12.383 │ 14.414 │ 15.769 │ 16.644 │ 17.402 │ 18.082 │",
    "Sandsynlighed for samlet besparelse > 0 over perioden: 100 %",
]
DA_FIT = [
    "214 forløb for 160 børn; observeret 3,92 år; 45 forløb censureret (åbne ved eksportdatoen, "
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


def _lines(text: str) -> list[str]:
    return [ln.rstrip() for ln in text.splitlines()]


def _cells(text: str, first: str, nth: int = 0) -> list[str]:
    """The cells of the `nth` table row whose first cell is `first`."""
    rows = [
        [c.strip() for c in ln.strip("│ ").split("│")] for ln in _lines(text) if ln.startswith("│")
    ]
    return [r for r in rows if r[0] == first][nth]


@pytest.mark.parametrize("name", CASES)
def test_danish_output_is_unchanged_and_the_default(name):
    args, snippet = CASES[name]
    default = run(*args)
    assert default.exit_code == 0, default.output
    lines = _lines(default.output)
    for want in snippet:
        assert want in lines, want
    assert run(*args, "--lang", "da").output == default.output


def test_english_project():
    out = run("project", str(EX / "scenario.yaml"), "--lang", "en").output
    assert ": children per step on 31 December (markov)" in out
    assert "Anbringelse i plejefamilie" not in out
    foster = "Placement in a foster family"
    assert _cells(out, foster)[1:4] == ["52.2", "53.3", "54.1"]
    assert "Placements: distribution over placement steps (share of child-years)" in out
    assert _cells(out, foster, 1)[1:4] == ["55%", "57%", "60%"]
    assert "Cost per step (1,000 kr., 2024 prices)" in out
    assert _cells(out, foster, 2)[1:3] == ["22,743", "23,812"]
    assert _cells(out, "Total", 1)[1:] == [
        "80,644", "76,861", "72,964", "71,464", "70,395", "69,619", "69,253", "69,109"
    ]  # fmt: skip
    assert "Child-years × price per child per year. Rounded for display." in out
    for danish in ("I alt", "børn", "Udgift", " %", "p/l"):
        assert danish not in out, danish


def test_english_compare():
    out = run("compare", str(EX / "scenario.yaml"), "--draws", "20", "--lang", "en").output
    foster = "Placement in a foster family"
    assert "Children per step on 31 December: baseline → strategy" in out
    assert _cells(out, foster)[1:3] == ["52.6 → 52.2", "55.2 → 53.3"]
    assert "Placements: share in each step (baseline → strategy)" in out
    assert _cells(out, foster, 1)[1:3] == ["53% → 55%", "54% → 57%"]
    assert "Cost and savings (1,000 kr., 2024 prices)" in out
    assert _cells(out, "Cost, baseline")[1:3] == ["83,572", "84,900"]
    assert _cells(out, "Total savings")[1:4] == ["2,928", "8,039", "12,967"]
    assert "Uncertainty of the savings (1,000 kr.; 20 draws, seed 0)" in out
    assert _cells(out, "Mean")[1:4] == ["2,594", "7,274", "12,383"]
    assert "Probability of total savings > 0 over the period: 100%" in out
    for danish in ("basis", "strategi ", "Besparelse", "Middel", "trækninger", " %"):
        assert danish not in out, danish


def test_english_fit(tmp_path):
    out_file = tmp_path / "pop.yaml"
    out = run("fit", str(EX / "episodes.csv"), "--lang", "en", "-o", str(out_file)).output
    assert "214 episodes of 160 children; 3.92 years observed; 45 episodes censored" in out
    assert "Transitions per month (events / exposure)" in out
    head = [c.strip() for c in next(ln for ln in _lines(out) if "months in step" in ln).split("┃")]
    assert head[1:-1] == [
        "from", "to", "age", "months in step", "events", "exp. months", "per month",
        "95% interval",
    ]  # fmt: skip
    assert _cells(out, "advice")[4:] == ["64", "471.0", "12.50%", "9.94% – 15.93%"]
    assert "New children per year" in out
    assert _cells(out, "advice", -1)[1:] == ["0-17", "82", "20.9", "16.7 – 26.0"]
    assert "Population file written:" in out and out_file.is_file()
    for danish in ("forløb", "Overgange", "hændelser", "Nye børn", "skrevet", " %"):
        assert danish not in out, danish


@pytest.mark.parametrize("name", CASES)
def test_json_is_the_same_in_both_languages(name):
    args, _ = CASES[name]
    da = run(*args, "--json").output
    assert json.loads(da)
    assert run(*args, "--json", "--lang", "en").output == da


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
    out = run("project", str(tmp_path / "population.yaml"), "--lang", "en").output
    assert "Anbringelse i plejefamilie" in out  # no label_en: the Danish label
    assert "Placement in kinship care" in out  # the others keep their English label


@pytest.mark.parametrize("lang, words", [("da", ["Børn", "(basis)"]), ("en", ["Children", "Year"])])
def test_chart_text_follows_lang(tmp_path, lang, words):
    svg = tmp_path / "c.svg"
    r = run(
        "compare", str(EX / "scenario.yaml"), "--draws", "0", "--chart", str(svg), "--lang", lang
    )
    assert r.exit_code == 0, r.output
    text = svg.read_text(encoding="utf-8")  # matplotlib keeps each text as an svg comment
    for w in words:
        assert f"<!-- {w}" in text or w in text, w
    if lang == "en":
        assert "Chart written:" in r.output
        assert "<!-- Børn" not in text and "(strategi)" not in text


def test_errors_follow_lang(tmp_path):
    r = runner.invoke(
        ladder_app, ["project", str(EX / "scenario.yaml"), "--chart", "x.txt", "--lang", "en"]
    )
    assert "--chart must end in .png or .svg" in str(r.exception)
    r = runner.invoke(ladder_app, ["project", str(EX / "scenario.yaml"), "--chart", "x.txt"])
    assert "--chart skal slutte på .png eller .svg" in str(r.exception)


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_label_tables_are_complete():
    assert set(LANGS) == set(T) == set(UNIT)
    assert T["da"].keys() == T["en"].keys()
    for lang in LANGS:
        for key, text in T[lang].items():
            other = T["en" if lang == "da" else "da"][key]
            assert _fields(text) == _fields(other), key


def test_the_example_and_default_ladders_have_english_labels():
    from socinvest.ladder.load import DEFAULT_LADDER, load_ladder

    for path in (DEFAULT_LADDER, EX / "ladder.yaml"):
        lad = load_ladder(path)
        assert all(s.label_en and s.label_en != s.label for s in lad.steps)
