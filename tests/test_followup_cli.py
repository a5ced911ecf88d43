"""`socinvest followup import|status|report`, `fit summary`, `adbb summary` and `show
--price-level`, in process through the real app (CliRunner): each in Danish and English, JSON
valid, bad input exit 2 with a located message, CPR-like values refused without echo. Figures
checked by hand in the comments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socinvest.cli import app

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"
FU = EX / "followup"
FIT_CASE = EX / "fit-familiebehandling.yaml"
FIT_FU = FU / "fit-familiebehandling.followup.yaml"
TI_CASE = EX / "tidlig-indsats-0-2.yaml"
TI_FU = FU / "tidlig-indsats-0-2.followup.yaml"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def _postings(tmp_path: Path) -> Path:
    """Three good lines on fit_training (5.28.21.4) in 2017, one bad date (line 4), one
    unmapped refund (5.28.21.9). Excel style: BOM, CRLF, a quoted text with ';'."""
    rows = [
        "Konto;Omkostningssted;Bogføringsdato;Tekst;Beløb",
        "5.28.21.4;;15-03-2017;Kursus;1000,00",
        '5.28.21.4;;20-05-2017;"Konference; dag 2";-250,50',
        "5.28.21.4;;31-02-2017;Forkert dato;99,00",
        "5.28.21.9;;01-07-2018;DUT-kompensation;-400,00",
        "5.28.21.4;;01-10-2017;Certificering;1.500,00",
    ]
    p = tmp_path / "postings.csv"
    p.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(rows) + "\r\n").encode("utf-8"))
    return p


@pytest.mark.parametrize("lang", ["da", "en"])
def test_import_json_totals_by_hand(tmp_path, lang):
    p = _postings(tmp_path)
    r = run("followup", "import", p, "--mapping", FU / "mapping-fit.yaml", "--case", FIT_CASE,
            "--json", "--lang", lang)  # fmt: skip
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    # (1000,00 − 250,50 + 1.500,00) kr. = 2.249,50 kr. = 2,2495 (1.000 kr.), current prices
    assert data["totals"]["fit_training"] == {"2017": pytest.approx(2.2495)}
    assert data["quarters"]["fit_training"] == {
        "2017Q1": pytest.approx(1.0),
        "2017Q2": pytest.approx(-0.2505),
        "2017Q4": pytest.approx(1.5),
    }
    assert data["postings_used"] == 3
    assert [f["line"] for f in data["rejected"]] == [4]  # the bad date, by its line number
    (u,) = data["unmapped_accounts"]
    assert (u["account"], u["postings"], u["amount_kr"], u["years"]) == (
        "5.28.21.9",
        1,
        -400.0,
        [2018],
    )


@pytest.mark.parametrize(
    ("lang", "word"), [("da", "Posteringer uden linje"), ("en", "Postings with no line")]
)
def test_import_terminal_and_yaml(tmp_path, lang, word):
    p = _postings(tmp_path)
    out = tmp_path / "actuals.yaml"
    args = ["followup", "import", p, "--mapping", FU / "mapping-fit.yaml", "--case", FIT_CASE,
            "-o", out, "--lang", lang]  # fmt: skip
    r = run(*args)
    assert r.exit_code == 0, r.output
    assert word in r.stdout and "5.28.21.9" in r.stdout
    import yaml

    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["actuals"]["fit_training"]["2017Q2"] == pytest.approx(-0.2505)
    assert run(*args).exit_code == 2  # the file exists: refused without --force
    assert run(*args, "--force").exit_code == 0


def test_import_strict_refuses_with_line(tmp_path):
    p = _postings(tmp_path)
    r = run("followup", "import", p, "--mapping", FU / "mapping-fit.yaml", "--case", FIT_CASE,
            "--strict", "--lang", "en")  # fmt: skip
    assert r.exit_code == 2
    assert f"{p}:4" in r.output and "error:" in r.output


@pytest.mark.parametrize("lang", ["da", "en"])
def test_status_json_by_hand(lang):
    r = run("followup", "status", FIT_CASE, FIT_FU, "--json", "--lang", lang)
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    cell = next(
        c for c in d["variance"] if c["line"] == "shorter_family_treatment" and c["year"] == 2018
    )
    # plan 3 × 587,667 = 1.763,001 saved; the synthetic actual is 85 % of it: −1.498,55;
    # difference +264,45 = 15 % of the plan > 10 % and > 50 → alert
    assert cell["plan"] == pytest.approx(-1763.001)
    assert cell["actual"] == pytest.approx(-1498.55085, abs=0.01)
    assert cell["pct"] == pytest.approx(15.0, abs=0.01)
    assert cell["status"] == "alert"
    # 2017: training 1.175 × 1,013 + iPads 509 × 1,06 = 1.729,8; 2018: −1.498,6 − 1.763,0 + 118
    # → cumulative −1.413,8 < 0 in the second year: payback 2 on every basis
    assert d["realised_payback"] == {"service": 2.0, "total": 2.0, "own": 2.0}
    assert d["through"] == 2019 and d["synthetic"] is True
    assert d["conditioned"] is None  # the FIT case states no uncertainty
    assert [c["status"] for c in d["criteria"]] == ["on_track", "at_risk"]
    # pool bu06-fit: share 0,5 of realised savings from 2018; 600 + 1.200 made → arrears
    assert [f["code"] for f in d["pool"]["findings"]] == ["POOL_ARREARS"]


@pytest.mark.parametrize(("lang", "words"), [
    ("da", ("Plan mod faktisk", "P(tilbagebetaling ≤ 13 år)", "Succeskriterier", "ADBB")),
    ("en", ("Plan against actual", "P(payback ≤ 13 years)", "Success criteria", "ADBB")),
])  # fmt: skip
def test_status_terminal(lang, words):
    r = run("followup", "status", TI_CASE, TI_FU, "--lang", lang)
    assert r.exit_code == 0, r.output
    for w in words:
        assert w in r.stdout, w


def test_status_probability_after_actuals():
    d = json.loads(run("followup", "status", TI_CASE, TI_FU, "--json").stdout)
    c = d["conditioned"]
    assert c["draws"] == 20000 and c["seed"] == 2024 and c["ess"] > 200
    assert 0 <= c["p_payback"]["total"] <= 1 and c["prior_p_payback"]["total"] > 0
    lo, mid, hi = c["npv_band"]
    assert lo <= mid <= hi


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".xlsx", ".html", ".md", ".json"])
def test_report_every_format(tmp_path, suffix):
    out = tmp_path / f"evaluering{suffix}"
    r = run("followup", "report", FIT_CASE, FIT_FU, "-o", out, "--lang", "en")
    assert r.exit_code == 0, r.output
    assert out.stat().st_size > 1000
    again = run("followup", "report", FIT_CASE, FIT_FU, "-o", out)
    assert again.exit_code == 2  # exists: only with --force


def test_report_never_overwrites_an_input(tmp_path):
    r = run("followup", "report", FIT_CASE, FIT_FU, "-o", FIT_FU, "--force")
    assert r.exit_code == 2


@pytest.mark.parametrize(
    ("lang", "word"), [("da", "Pålideligt bedret"), ("en", "Reliably improved")]
)
def test_fit_summary(lang, word):
    r = run("fit", "summary", FU / "fit-sessions.csv", "--lang", lang)
    assert r.exit_code == 0, r.output
    assert word in r.stdout
    d = json.loads(run("fit", "summary", FU / "fit-sessions.csv", "--json", "--lang", lang).stdout)
    assert d["kind"] == "fit_summary" and d["min_persons"] == 5
    assert d["rows"][-1] == {"total": True}


@pytest.mark.parametrize(("lang", "word"), [("da", "Ikke markeret"), ("en", "Not flagged")])
def test_adbb_summary(lang, word):
    args = ["adbb", "summary", FU / "adbb-screenings.csv", "--lang", lang, "--children", "1000"]
    r = run(*args)
    assert r.exit_code == 0, r.output
    assert word in r.stdout
    d = json.loads(run(*args, "--json").stdout)
    # 900 children screened of 1.000 in the target group
    assert d["counts"][-1][-1] == 900 and d["screened_share"] == pytest.approx(0.9)
    y = json.loads(
        run("adbb", "summary", FU / "adbb-screenings.csv", "--period", "year", "--json").stdout
    )
    assert [r.get("year") for r in y["rows"][:-1]] == [2017, 2018, 2019]


def test_cpr_refused_without_echo(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text(
        "client_id;course_id;team;date;age_group;ors;srs\n"
        "K1;F1;A;2018-01-05;adult;20;38\n"
        "010190-1234;F2;A;2018-01-05;adult;20;38\n",
        encoding="utf-8",
    )
    for lang in ("da", "en"):
        r = run("fit", "summary", p, "--lang", lang)
        assert r.exit_code == 2
        assert f"{p}:3:1" in r.output and "010190" not in r.output and "1234" not in r.output


def test_bad_followup_file_is_located(tmp_path):
    bad = tmp_path / "bad.followup.yaml"
    bad.write_text(
        f"case: {FIT_CASE}\nprice_index: {FU / 'price-index.yaml'}\nthresholds:\n"
        "  watch: {percent: -5}\n",
        encoding="utf-8",
    )
    r = run("followup", "status", FIT_CASE, bad, "--lang", "en")
    assert r.exit_code == 2 and f"{bad}:4" in r.output and "Traceback" not in r.output


def test_followup_of_another_case_is_refused():
    r = run("followup", "status", TI_CASE, FIT_FU)
    assert r.exit_code == 2 and "fit-familiebehandling.followup.yaml:" in r.output


def test_show_restated_by_hand():
    r = run("show", FIT_CASE, "--json", "--price-level", "2019",
            "--price-index", FU / "price-index.yaml")  # fmt: skip
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    lines = {ln["id"]: ln["amounts"] for ln in d["lines"]}
    # service prices (the default kind without a mapping): index 2019 102 / 2017 100
    assert d["price_level"] == 2019
    assert lines["fit_training"][0] == pytest.approx(1175 * 102 / 100)  # 1.198,5
    assert lines["fit_ipads"] == pytest.approx([509 * 1.02, 118 * 1.02, 118 * 1.02, 0, 0])
    assert lines["shorter_family_treatment"][1] == pytest.approx(-3 * 587.667 * 1.02)
    text = run("show", FIT_CASE, "--price-level", "2019", "--price-index", FU / "price-index.yaml")
    assert "2019 p/l" in text.stdout and "1.798" in text.stdout


def test_show_price_options_go_together():
    r = run("show", FIT_CASE, "--price-level", "2019", "--lang", "en")
    assert r.exit_code == 2 and "--price-index" in r.output


def test_show_missing_index_year_is_refused():
    r = run("show", FIT_CASE, "--price-level", "2040", "--price-index", FU / "price-index.yaml")
    assert r.exit_code == 2 and "2040" in r.output
