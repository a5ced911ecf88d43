"""`socinvest pool … --lang da|en`: Danish first (unchanged, byte for byte), English available
for every face: terminal, JSON messages and reasons, reports and charts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from socinvest.cli.pool import pool_app
from socinvest.reports.pool.labels import LABELS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "pool" / "pool.yaml")
TWO = str(ROOT / "tests" / "fixtures" / "pool" / "two_cases.yaml")
runner = CliRunner()


def run(*args: str):
    app = typer.Typer()
    app.add_typer(pool_app, name="pool")
    return runner.invoke(app, ["pool", *args])


def test_label_tables_have_the_same_keys():
    da, en = LABELS["da"], LABELS["en"]
    assert set(da) == set(en)
    for key, value in da.items():
        if isinstance(value, dict):
            assert set(value) == set(en[key]), key
        elif isinstance(value, list):
            assert len(value) == len(en[key]), key


@pytest.mark.parametrize("cmd", ["status", "project", "select"])
def test_help_mentions_lang(cmd):
    r = run(cmd, "--help")
    assert r.exit_code == 0 and "--lang" in r.output


def test_unknown_language_is_refused():
    assert run("status", TWO, "--lang", "de").exit_code == 2


# -- Danish: unchanged ----------------------------------------------------------------------

# Captured from `socinvest pool status|select examples/pool/pool.yaml` before --lang existed.
DA_STATUS = [
    "Investeringspuljen (eksempel; kapital, regler og beslutninger er opfundet)\n"
    "Status for puljen · bevilgede ansøgninger\n"
    "Beløb i 1.000 kr., 2017-p/l; afrundet ved visning. Periode 2016-2029.\n"
    "Bemærk: nogle cases er i andre p/l-niveauer (2016); beløbene er ikke omregnet.\n",
    "│ Saldo primo           │      0 │ 2.000 │ 6.400 │  9.850 │ 12.500 │ 13.000 │ 13.500 │"
    " 14.000 │ 14.500 │ 15.000 │ 15.500 │ 16.000 │ 16.500 │ 17.000 │",
    "┃ Ansøgning                  ┃ Status                ┃ Tilbagebetaling      ┃ Bevilget ┃"
    " Tilbagebetalt ┃ Restgæld 2029 ┃ Tilbagebetalt år ┃ Efter planen ┃",
    "│ tidlig-0-2                 │ verserende (ikke med) │ fast beløb           │    3.600 │"
    "         3.600 │             0 │             2022 │ ja           │",
    "│ fejl     │ POOL_PAYBACK_TOO_LONG     │ opfundet-familiehuset-vest │      │"
    " 'opfundet-familiehuset-vest': tilbagebetalingstid (totaløkonomi) 7 år > reglen 6 år",
    "\n1 fejl, 1 advarsel, 0 bemærkninger\n",
]
DA_SELECT = [
    "│ tidlig-0-2                 │ nej  │         6.232 │ ude: passer ikke i puljen i 2017"
    " (mangler 0,4 mio. kr.)    │ tvunget ind falder målet 4,4 mio. kr.       │",
    "│ Ledigt                   │ 2.000 │ 1.716 │  4.292 │  9.020 │ 11.500 │ 13.500 │ 14.000 │"
    " 14.500 │ 15.000 │ 15.500 │ 16.000 │ 16.500 │ 17.000 │ 17.500 │",
    "Ingen fund: reglerne er overholdt, og saldoen er ikke negativ.\n"
    "0 fejl, 0 advarsler, 0 bemærkninger\n",
]
DA_REASONS = [
    ("inde: allerede bevilget (2016-06-16)", ""),
    (
        "ude: passer ikke i puljen i 2017 (mangler 0,4 mio. kr.)",
        "tvunget ind falder målet 4,4 mio. kr.",
    ),
    ("inde: højeste NPV pr. krone", "uden den falder målet 4,4 mio. kr."),
    (
        "ude: tilbagebetalingstid (totaløkonomi) 7 år > reglen 6 år",
        "med dispensation: målet stiger 4,2 mio. kr.",
    ),
    ("inde: NPV pr. krone 1,98 (nr. 2 af 2 valgte)", "uden den falder målet 5,7 mio. kr."),
]
DA_MESSAGES = [
    "'opfundet-familiehuset-vest': tilbagebetalingstid (totaløkonomi) 7 år > reglen 6 år",
    "'opfundet-familiehuset-vest': i 2020 er der tilbagebetalt 1,0 mio. kr. i alt, men casens "
    "samlede nettobesparelse til og med 2020 er 0,5 mio. kr.",
]


def test_danish_status_unchanged_and_default():
    r = run("status", EXAMPLE)
    assert r.exit_code == 1
    assert r.output.startswith(DA_STATUS[0])
    for snippet in DA_STATUS:
        assert snippet in r.output
    assert run("status", EXAMPLE, "--lang", "da").output == r.output


def test_danish_select_unchanged():
    r = run("select", EXAMPLE)
    assert r.exit_code == 0
    for snippet in DA_SELECT:
        assert snippet in r.output
    data = json.loads(run("select", EXAMPLE, "--json").output)
    assert [(c["reason"], c["alternative_text"]) for c in data["choices"]] == DA_REASONS


def test_danish_json_messages_unchanged():
    data = json.loads(run("status", EXAMPLE, "--json").output)
    assert [f["message"] for f in data["findings"]] == DA_MESSAGES


def test_danish_project_same_with_and_without_lang_da():
    a = run("project", EXAMPLE, "-n", "50")
    b = run("project", EXAMPLE, "-n", "50", "--lang", "da")
    assert a.output == b.output
    assert "Fremskrivning af puljen · bevilgede og verserende ansøgninger" in a.output
    assert "Risiko: saldo ultimo (50 trækninger, frø 0)" in a.output


# -- English --------------------------------------------------------------------------------


def test_english_status():
    r = run("status", EXAMPLE, "--lang", "en")
    assert r.exit_code == 1
    out = r.output
    assert "Status of the pool · approved applications" in out
    assert "Amounts in 1,000 kr., 2017 prices" in out
    for label in ("Opening balance", "Closing balance", "Outstanding 2029", "On schedule"):
        assert label in out
    assert "pending (not included)" in out and "share of savings" in out
    assert "12,500" in out and "12.500" not in out
    assert "payback period (total economy) 7 years > the rule's 6 years" in out
    assert "1 error, 1 warning, 0 notes" in out
    for danish in ("Saldo primo", "verserende", "tilbagebetalingstid", "fejl"):
        assert danish not in out


def test_english_status_json_messages():
    data = json.loads(run("status", EXAMPLE, "--json", "--lang", "en").output)
    assert [f["code"] for f in data["findings"]] == [
        "POOL_PAYBACK_TOO_LONG",
        "POOL_REPAY_BEFORE_SAVINGS",
    ]
    assert data["findings"][1]["message"] == (
        "'opfundet-familiehuset-vest': by 2020, 1.0 m kr. has been repaid in total, but the "
        "case's cumulative net savings up to and including 2020 are 0.5 m kr."
    )
    neg = json.loads(run("status", TWO, "--json", "--lang", "en").output)["findings"][0]
    assert neg["code"] == "POOL_NEGATIVE_BALANCE"
    assert neg["message"].startswith("the pool's balance is negative at the end of 2020: -0.1 m")


def test_english_project_with_risk():
    r = run("project", EXAMPLE, "-n", "50", "--lang", "en")
    out = r.output
    assert "Projection of the pool · approved and pending applications" in out
    assert "Risk: closing balance (50 draws, seed 0)" in out
    assert "P(balance < 0), %" in out and "Risk per application" in out
    assert "Each case is simulated with its own uncertain parameters" in out
    assert "errors" in out and "fejl" not in out


def test_english_select_reasons_and_numbers():
    r = run("select", EXAMPLE, "--lang", "en")
    assert r.exit_code == 0
    out = r.output
    assert "Selection of applications · the chosen applications" in out
    assert "Objective: largest expected net present value" in out
    assert "│ Free " in out and "1,716" in out and "1.716" not in out
    assert "out: does not fit in the pool in 2017 (0.4 m kr. short)" in out
    assert "No findings: the rules are kept and the balance is not negative." in out
    data = json.loads(run("select", EXAMPLE, "--json", "--lang", "en").output)
    reasons = [c["reason"] for c in data["choices"]]
    assert reasons == [
        "in: already approved (2016-06-16)",
        "out: does not fit in the pool in 2017 (0.4 m kr. short)",
        "in: highest NPV per krone",
        "out: payback period (total economy) 7 years > the rule's 6 years",
        "in: NPV per krone 1.98 (no. 2 of 2 chosen)",
    ]
    assert data["choices"][1]["alternative_text"] == "forced in, the objective falls by 4.4 m kr."
    assert data["choices"][3]["alternative_text"].startswith("with an exemption: ")


def test_english_reports_and_chart(tmp_path):
    out = {s: tmp_path / f"pool{s}" for s in (".xlsx", ".html", ".docx")}
    for suffix, path in out.items():
        args = ["select", EXAMPLE, "-n", "0", "--lang", "en", "-o", str(path)]
        if suffix == ".html":
            args += ["--chart", str(tmp_path / "balance.svg")]
        r = run(*args)
        assert r.exit_code == 0, r.output
        assert f"Written: {path}" in r.output
    svg = (tmp_path / "balance.svg").read_text(encoding="utf-8")
    assert "The pool's closing balance" in svg and "Calculated" in svg and "1,000 kr." in svg
    page = out[".html"].read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "<h2>Findings</h2>" in page
    assert "<h2>Choice</h2>" in page and "14,653" in page and "No findings." in page
    from openpyxl import load_workbook

    wb = load_workbook(out[".xlsx"])
    assert wb.sheetnames == ["Pool", "Findings"]
    assert [c.value for c in wb["Findings"][1]] == [
        "Severity",
        "Code",
        "Application",
        "Year",
        "Message",
    ]
    import docx

    d = docx.Document(str(out[".docx"]))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Selection of applications" in text and "0 errors, 0 warnings, 0 notes" in text
    cells = {c.text for t in d.tables for row in t.rows for c in row.cells}
    assert "14,653" in cells and "out: does not fit in the pool in 2017 (0.4 m kr. short)" in cells


def test_english_report_findings_sheet(tmp_path):
    path = tmp_path / "status.xlsx"
    run("status", EXAMPLE, "--lang", "en", "-o", str(path))
    from openpyxl import load_workbook

    rows = list(load_workbook(path)["Findings"].iter_rows(values_only=True))
    assert rows[1][:2] == ("error", "POOL_PAYBACK_TOO_LONG")
    assert rows[2][0] == "warning"


def test_english_bad_report_suffix():
    r = run("status", TWO, "--lang", "en", "-o", "x.pdf")
    assert "unknown report format '.pdf'; use .xlsx" in r.exception.message
