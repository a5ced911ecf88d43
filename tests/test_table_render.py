"""Presentation of a check result: JSON shape and the Danish terminal report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from socinvest.checks.findings import Finding
from socinvest.checks.table import check_table_file
from socinvest.reports.check import render, summary, to_json

TABLES = Path(__file__).parent / "fixtures" / "tables"
FINDING_KEYS = {"severity", "code", "message", "row", "year", "stated", "computed", "line"}


def test_to_json_shape():
    report = check_table_file(TABLES / "seed001_tabel1_samlede.txt")
    data = to_json(report)
    assert set(data) == {"kind", "findings", "payback"}
    assert data["kind"] == "table"
    assert data["payback"] == {"service": 2, "total": 3}
    assert all(type(v) is int for v in data["payback"].values())
    (f,) = data["findings"]
    assert set(f) == FINDING_KEYS
    assert f["severity"] == "error" and f["code"] == "PAYBACK_MISMATCH" and f["line"] == 14
    json.dumps(data)  # serialisable


def test_to_json_payback_null():
    data = to_json(check_table_file(TABLES / "seed000_tabel2_investeringer.txt"))
    assert data["payback"] == {"service": None, "total": None} and data["findings"] == []


def render_text(report) -> str:
    console = Console(record=True, width=120)
    render(console, report)
    return console.export_text()


def test_render_danish_report():
    text = render_text(check_table_file(TABLES / "seed000_tabel1_varige.txt"))
    assert "Kontrol af tabel: Tabel 1. Varige ændringer, service" in text
    assert "SUM_MISMATCH" in text and "-1.400" in text and "-900" in text
    assert "Enhed: 1.000 kr." in text and "Prisniveau: 2016" in text
    assert "negativt fortegn" in text
    assert "serviceeffektivisering: år 3" in text
    assert "2 fejl, 0 advarsler, 0 bemærkninger" in text


def test_render_without_findings_and_severity_words():
    text = render_text(check_table_file(TABLES / "seed000_tabel1_samlede.txt"))
    assert "Ingen fund" in text and "0 fejl" in text
    text = render_text(check_table_file(TABLES / "seed000_tabel3_udvalg.txt"))
    assert "advarsel" in text and "65 %" in text and "1 fejl, 2 advarsler" in text


@dataclass
class FakeCase:
    kind: str = "case"
    title: str = "BU06 [FIT]"
    findings: list = field(default_factory=list)
    payback: dict = field(default_factory=lambda: {"service": 2.0, "total": None})
    notes: list = field(default_factory=list)


def test_render_and_json_accept_any_report_shape():
    f = Finding("ROUNDING", "afrunding", "Samlet", 2017, 1685.0, 1684.0)
    case = FakeCase(findings=[f], notes=["Enhed: kr."])
    text = render_text(case)
    assert "Kontrol af business case: BU06 [FIT]" in text  # brackets are not rich markup
    assert "1.685" in text and "bemærkning" in text
    assert "totaløkonomi: ikke inden for horisonten" in text
    data = to_json(case)
    assert data["payback"] == {"service": 2, "total": None}
    assert data["findings"][0]["severity"] == "info" and data["findings"][0]["line"] is None
    assert summary([f]) == "0 fejl, 0 advarsler, 1 bemærkning"


# -- the command: exit codes and language (in-process) ----------------------------------------

from tests.conftest import cli  # noqa: E402


def test_check_exits_0_on_a_clean_table():
    # seed 000, Tabel 1 (samlede): every total adds up (see test_table_check), so exit 0.
    r = cli("check", TABLES / "seed000_tabel1_samlede.txt")
    assert r.exit_code == 0, r.output
    assert "Ingen fund: alle kontrollerede tal stemmer." in r.stdout
    assert "0 fejl, 0 advarsler, 0 bemærkninger" in r.stdout


def test_check_exits_0_when_only_rounding_is_found():
    # seed 003, Tabel 3: 1.175 + 509 = 1.684 printed 1.685 is ROUNDING (info), not an error.
    r = cli("check", "--json", TABLES / "seed003_tabel3_investeringer.txt")
    assert r.exit_code == 0, r.output
    assert [f["code"] for f in json.loads(r.stdout)["findings"]] == ["ROUNDING"]


def test_check_exits_1_on_an_error(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("kr.\t2024\nA\t100\nB\t200\nI alt\t400\n", encoding="utf-8")  # 300, not 400
    r = cli("check", p)
    assert r.exit_code == 1 and "SUM_MISMATCH" in r.stdout


def test_check_exits_2_on_unreadable_input(tmp_path):
    r = cli("check", tmp_path / "findes-ikke.txt")
    assert r.exit_code == 2
    assert "findes-ikke.txt: filen findes ikke" in r.stderr
    p = tmp_path / "binær.txt"
    p.write_bytes(b"\x00\x01abc")
    r = cli("check", "--lang", "en", p)
    assert r.exit_code == 2 and "the file is binary" in r.stderr


def test_check_in_english():
    r = cli("check", "--lang", "en", TABLES / "seed000_tabel1_varige.txt")
    assert r.exit_code == 1
    out = r.stdout
    assert "Check of table: Tabel 1. Varige ændringer, service" in out  # the caption as written
    assert "Read and assumed" in out and "Unit: 1.000 kr." in out
    assert "stated -900, the sum of the rows is -1,400" in out
    assert "2 errors, 0 warnings, 0 notes" in out
    for danish in ("angivet", "Aflæst", "fejl", "Tilbagebetalingstid", "rækkerne", "Fortegn"):
        assert danish not in out, danish


def test_check_json_messages_in_english():
    r = cli("check", "--json", "--lang", "en", TABLES / "seed001_tabel1_samlede.txt")
    (f,) = json.loads(r.stdout)["findings"]
    assert f["code"] == "PAYBACK_MISMATCH"
    assert f["message"] == (
        "Payback period on the basis of service efficiency: stated 3 years, computed 2 years "
        "(2017) with year 1 = 2016. The stated figure is the payback period on total economy "
        "(3 years)."
    )
    da = json.loads(cli("check", "--json", TABLES / "seed001_tabel1_samlede.txt").stdout)
    assert da["findings"][0]["message"] == (
        "Tilbagebetalingstid baseret på serviceeffektivisering: angivet 3 år, beregnet 2 år "
        "(2017) med år 1 = 2016. Det angivne tal svarer til tilbagebetalingstiden på "
        "totaløkonomi (3 år)."
    )


def test_case_check_in_english(examples_dir):
    r = cli("check", "--lang", "en", examples_dir / "fit-familiebehandling.yaml")
    assert r.exit_code == 1
    assert "Check of business case" in r.stdout
    assert "the difference 1 may come from rounding 2 parts" in r.stdout
    assert "1 error, 0 warnings, 3 notes" in r.stdout


def test_findings_block_of_the_document_model():
    from socinvest.reports.check import findings_block

    report = check_table_file(TABLES / "seed000_tabel1_varige.txt")
    block = findings_block(report, "en")
    assert block.kind == "findings" and block.summary == "2 errors, 0 warnings, 0 notes"
    first = block.items[0]
    assert (first.severity, first.code) == ("error", "SUM_MISMATCH")
    assert first.where == "Varige ændringer totalt, service, 2019"
    assert "the sum of the rows is -1,400 (difference 500)" in first.text
    da = findings_block(report)
    assert "summen af rækkerne er -1.400 (forskel 500)" in da.items[0].text
