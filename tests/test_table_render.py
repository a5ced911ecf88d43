"""Presentation of a check result: JSON shape and the Danish terminal report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from socinvest.checks.findings import Finding
from socinvest.reports.check import render, summary, to_json
from socinvest.checks.table import check_table_file

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
    assert "totaløkonomi: ikke inden for perioden" in text
    data = to_json(case)
    assert data["payback"] == {"service": 2, "total": None}
    assert data["findings"][0]["severity"] == "info" and data["findings"][0]["line"] is None
    assert summary([f]) == "0 fejl, 0 advarsler, 1 bemærkning"
