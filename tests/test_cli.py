"""The command-line face, run as a real process: exit codes, JSON shape, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import EXAMPLES, FIXTURES, ROOT

ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "socinvest.cli", *args],
        capture_output=True,
        text=True,
        env=ENV,
        cwd=ROOT,
        timeout=60,
    )


def test_check_case_with_errors_exits_1_and_reports_in_danish():
    p = cli("check", str(EXAMPLES / "taettere-paa-familier-handicap.yaml"))
    assert p.returncode == 1, p.stderr
    assert "PAYBACK_MISMATCH" in p.stdout and "totaløkonomi" in p.stdout
    assert "Traceback" not in p.stderr


def test_check_case_json_shape():
    p = cli("check", str(EXAMPLES / "taettere-paa-familier-handicap.yaml"), "--json")
    data = json.loads(p.stdout)
    assert data["kind"] == "case"
    assert data["payback"] == {"service": 2, "total": 3}
    f = data["findings"][0]
    assert {"severity", "code", "message", "row", "year", "stated", "computed"} <= set(f)
    assert (f["severity"], f["code"], f["stated"], f["computed"]) == (
        "error",
        "PAYBACK_MISMATCH",
        3,
        2,
    )


def test_check_case_with_only_info_findings_exits_0():
    # Seed 003 has ROUNDING (info) findings and one prose mismatch (error) -> 1; a copy without
    # the prose figure has info findings only -> 0.
    p = cli("check", str(EXAMPLES / "fit-familiebehandling.yaml"), "--json")
    assert p.returncode == 1
    codes = {f["code"] for f in json.loads(p.stdout)["findings"]}
    assert codes == {"ROUNDING", "SUM_MISMATCH"}


def test_show_prints_table1_with_danish_numbers():
    p = cli("show", str(EXAMPLES / "tidlig-indsats-0-2.yaml"))
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "1.000 kr. 2016 p/l" in out
    assert "Samlet økonomisk påvirkning" in out and "-4.100" in out and "3.500" in out
    assert "6 år" in out


def test_show_english():
    p = cli("show", str(EXAMPLES / "tidlig-indsats-0-2.yaml"), "--lang", "en")
    assert p.returncode == 0 and "Total economic impact" in p.stdout and "-4,100" in p.stdout


def test_show_json_has_results():
    p = cli("show", str(EXAMPLES / "fit-familiebehandling.yaml"), "--json")
    d = json.loads(p.stdout)
    assert d["years"] == [2017, 2018, 2019, 2020, 2021]
    assert d["payback"]["total"]["year"] == 2
    assert d["npv"]["rate"] == 0.035 and d["npv"]["first_year_discounted"] is True
    assert round(d["totals"]["impact"][1]) == -3408


def test_schema_is_json_schema_and_matches_the_model(tmp_path):
    out = tmp_path / "s.json"
    p = cli("schema", "-o", str(out))
    assert p.returncode == 0
    s = json.loads(out.read_text())
    assert s["$schema"].startswith("https://json-schema.org/")
    assert {"id", "title", "unit", "price_level", "horizon", "lines"} <= set(s["required"])


def test_run_computes_and_checks_every_example():
    p = cli("run", str(EXAMPLES))
    assert p.returncode == 0, p.stderr
    assert p.stdout.count("Forslagets samlede økonomiske konsekvenser") == 4
    assert "4 cases beregnet og kontrolleret" in p.stdout


@pytest.mark.parametrize("cmd", [[], ["check"], ["show"], ["schema"], ["run"]])
def test_help_on_every_command(cmd):
    p = cli(*cmd, "--help")
    assert p.returncode == 0 and "Usage" in p.stdout


@pytest.mark.parametrize(
    "args, words",
    [
        (["check", "nope.yaml"], "findes ikke"),
        (["show", "nope.yaml"], "findes ikke"),
        (["run", "nope-dir"], "mappen findes ikke"),
        (["check", str(FIXTURES)], "mappe"),
    ],
)
def test_unusable_input_exits_2_with_one_line(args, words):
    p = cli(*args)
    assert p.returncode == 2
    assert words in p.stderr and p.stderr.startswith("fejl:")
    assert "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1


def test_usage_error_exits_2_without_traceback():
    p = cli("show")
    assert p.returncode == 2 and "Traceback" not in p.stderr


def test_committed_schema_is_up_to_date():
    """docs/case.schema.json (referenced by the examples for editors) matches the model."""
    from socinvest.case.schema import json_schema

    committed = json.loads((ROOT / "docs" / "case.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run: socinvest schema -o docs/case.schema.json"


def test_run_writes_reports_and_says_where(tmp_path):
    out = tmp_path / "rapporter"
    p = cli("run", str(EXAMPLES), "--reports", str(out))
    assert p.returncode == 0, p.stderr
    names = sorted(x.name for x in out.iterdir())
    stems = sorted(x.stem for x in EXAMPLES.glob("*.yaml"))
    assert names == sorted(
        f"{s}{suf}" for s in stems for suf in (".docx", ".xlsx", ".pdf", ".html", ".md")
    )
    assert str(out.resolve()) in p.stdout.replace("\n", "")


def test_report_command_and_bad_format(tmp_path):
    p = cli("report", str(EXAMPLES / "fit-familiebehandling.yaml"), "-o", str(tmp_path / "a.md"))
    assert p.returncode == 0 and "-3.526" in (tmp_path / "a.md").read_text(encoding="utf-8")
    p = cli("report", str(EXAMPLES / "fit-familiebehandling.yaml"), "-o", str(tmp_path / "a.odt"))
    assert p.returncode == 2 and ".docx" in p.stderr and "Traceback" not in p.stderr
    assert not (tmp_path / "a.odt").exists()
    p = cli(
        "report",
        str(EXAMPLES / "fit-familiebehandling.yaml"),
        "-o",
        str(tmp_path / "nope" / "a.html"),
    )
    assert p.returncode == 2 and "does not exist" in p.stderr


def test_import_then_check_gives_the_tables_findings(tmp_path):
    tables = FIXTURES / "tables"
    out = tmp_path / "case.yaml"
    args = [
        str(tables / f"seed001_tabel{n}.txt") for n in ("1_samlede", "2_varige", "3_investeringer")
    ]
    p = cli("import", *args, "-o", str(out))
    assert p.returncode == 0, p.stderr
    p = cli("check", str(out), "--json")
    assert p.returncode == 1
    codes = [f["code"] for f in json.loads(p.stdout)["findings"]]
    assert codes == ["PAYBACK_MISMATCH"]
    # an existing file is not overwritten without --force, and stays as it was
    before = out.read_bytes()
    p = cli("import", *args, "-o", str(out))
    assert p.returncode == 2 and "--force" in p.stderr and out.read_bytes() == before
