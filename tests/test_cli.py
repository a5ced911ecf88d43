"""The command-line face, run in-process (typer's CliRunner): exit codes, JSON shape, languages,
no tracebacks. One smoke test at the end runs the real process; `run --reports` is run by
test_readme.py (the README line it documents).

Expected figures come from the seed documents (/work/shared/seeds/, quoted next to each test)
or from a hand calculation written beside them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from .conftest import EXAMPLES, FIXTURES, ROOT, TABLES, cli

FIT = EXAMPLES / "fit-familiebehandling.yaml"
HA01 = EXAMPLES / "taettere-paa-familier-handicap.yaml"
TIDLIG = EXAMPLES / "tidlig-indsats-0-2.yaml"


def test_check_case_with_errors_exits_1_and_reports_in_danish():
    r = cli("check", HA01)
    assert r.exit_code == 1, r.output
    # Seed 001 states "3 år" for the service basis; the service rows pay back in year 2.
    assert "PAYBACK_MISMATCH" in r.stdout and "totaløkonomi" in r.stdout
    assert r.stderr == ""


def test_check_case_json_shape():
    r = cli("check", HA01, "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["kind"] == "case"
    # Seed 001, tabel 1: service rows 0 in 2016, -4.600 + 900 = -3.700 in 2017 -> year 2;
    # total basis: cumulative 4.000, 300, -5.200 -> year 3 (the DESIGN example).
    assert data["payback"] == {"service": 2, "total": 3}
    f = data["findings"][0]
    assert {"severity", "code", "message", "row", "year", "stated", "computed"} <= set(f)
    assert (f["severity"], f["code"], f["stated"], f["computed"]) == (
        "error",
        "PAYBACK_MISMATCH",
        3,
        2,
    )


def test_check_case_with_an_error_in_the_prose_exits_1():
    # Seed 003, afsnit 1.4: "samlet 0,8 mio. kr. i iPads"; tabel 3: 509 + 118 + 118 = 745, which
    # is 0,7 mio. kr. -> SUM_MISMATCH (error). 1.175 + 509 = 1.684 printed 1.685 -> ROUNDING.
    r = cli("check", FIT, "--json")
    assert r.exit_code == 1
    codes = {f["code"] for f in json.loads(r.stdout)["findings"]}
    assert codes == {"ROUNDING", "SUM_MISMATCH"}


def test_check_case_with_only_info_findings_exits_0(tmp_path):
    """Without the wrong prose figure, seed 003 has ROUNDING (info) findings only: exit 0."""
    text = FIT.read_text(encoding="utf-8")
    prose = re.compile(
        r"^  - \{table: Afsnit 1\.4 \(tekst\), row: \"samlet 0,8.*?\}\n", re.M | re.S
    )
    assert len(prose.findall(text)) == 1
    case = tmp_path / "fit.yaml"
    case.write_text(prose.sub("", text), encoding="utf-8")
    r = cli("check", case, "--json")
    assert r.exit_code == 0, r.output
    findings = json.loads(r.stdout)["findings"]
    assert {f["code"] for f in findings} == {"ROUNDING"}
    assert {f["severity"] for f in findings} == {"info"}
    r = cli("check", case)
    assert r.exit_code == 0 and "ROUNDING" in r.stdout


def test_check_a_consistent_table_exits_0():
    # Seed 003, tabel 2: -1.763 - 1.763 = -3.526 in each of 2018-2021; savings from the start.
    r = cli("check", TABLES / "seed003_tabel2_varige.txt")
    assert r.exit_code == 0, r.output
    r = cli("check", TABLES / "seed003_tabel2_varige.txt", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["findings"] == []


def test_check_a_table_with_an_error_exits_1():
    # Seed 001, tabel 1: stated payback "3 år" on the service basis; its rows give year 2.
    r = cli("check", TABLES / "seed001_tabel1_samlede.txt", "--json")
    assert r.exit_code == 1
    assert "PAYBACK_MISMATCH" in {f["code"] for f in json.loads(r.stdout)["findings"]}


def test_show_prints_table1_with_danish_numbers():
    r = cli("show", TIDLIG)
    assert r.exit_code == 0, r.output
    out = r.stdout
    # Seed 000, tabel 1: unit line, 2029's total -4.100, 2017's investments 3.500, payback 6.
    assert "1.000 kr. 2016 p/l" in out
    assert "Samlet økonomisk påvirkning" in out and "-4.100" in out and "3.500" in out
    assert "6 år" in out


def test_show_english():
    r = cli("show", TIDLIG, "--lang", "en")
    assert r.exit_code == 0 and "Total economic impact" in r.stdout and "-4,100" in r.stdout
    assert "Samlet økonomisk påvirkning" not in r.stdout


def test_show_json_has_results():
    r = cli("show", FIT, "--json")
    d = json.loads(r.stdout)
    assert d["years"] == [2017, 2018, 2019, 2020, 2021]
    # Seed 003, tabel 1: "Tilbagebetalingstid baseret på totaløkonomi 2 år"; 2018's impact -3.408.
    assert d["payback"]["total"]["year"] == 2
    assert d["npv"]["rate"] == 0.035 and d["npv"]["first_year_discounted"] is True
    assert round(d["totals"]["impact"][1]) == -3408


def test_schema_is_json_schema_and_matches_the_model(tmp_path):
    out = tmp_path / "s.json"
    r = cli("schema", "-o", out)
    assert r.exit_code == 0
    s = json.loads(out.read_text())
    assert s["$schema"].startswith("https://json-schema.org/")
    assert {"id", "title", "unit", "price_level", "horizon", "lines"} <= set(s["required"])


def test_run_computes_and_checks_every_example():
    r = cli("run", EXAMPLES)
    assert r.exit_code == 0, r.output
    n = len(list(EXAMPLES.glob("*.yaml")))
    assert r.stdout.count("Forslagets samlede økonomiske konsekvenser") == n
    assert f"{n} cases beregnet og kontrolleret" in r.stdout


@pytest.mark.parametrize(
    "cmd",
    [[], ["check"], ["show"], ["report"], ["import"], ["schema"], ["run"], ["simulate"]]
    + [["sensitivity"], ["pool"], ["ladder"]],
)
def test_help_on_every_command(cmd):
    r = cli(*cmd, "--help")
    assert r.exit_code == 0 and "Usage" in r.stdout


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
    r = cli(*args)
    assert r.exit_code == 2
    assert words in r.stderr and r.stderr.startswith("fejl:")
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert r.stdout == ""


def test_unusable_input_in_english_says_error():
    r = cli("show", "nope.yaml", "--lang", "en")
    assert r.exit_code == 2 and r.stderr.startswith("error: ")
    # the language is not remembered into the next command
    r = cli("show", "nope.yaml")
    assert r.exit_code == 2 and r.stderr.startswith("fejl: ")


def test_usage_error_exits_2_without_traceback():
    r = cli("show")
    assert r.exit_code == 2 and "Traceback" not in r.output and "Missing argument" in r.stderr
    r = cli("show", FIT, "--lang", "fr")
    assert r.exit_code == 2
    r = cli("no-such-command")
    assert r.exit_code == 2


def test_an_internal_bug_exits_3_in_one_line(monkeypatch):
    """Only a real bug gives 3; SOCINVEST_DEBUG=1 shows its traceback instead."""
    import socinvest.case.schema

    def broken():
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(socinvest.case.schema, "json_schema", broken)
    r = cli("schema", debug=False)
    assert r.exit_code == 3
    assert r.stderr.startswith("intern fejl: ZeroDivisionError: a bug")
    assert "SOCINVEST_DEBUG=1" in r.stderr and "Traceback" not in r.stderr
    with pytest.raises(ZeroDivisionError):
        cli("schema")  # the runner sets SOCINVEST_DEBUG: the exception comes through


@pytest.mark.parametrize(
    "argv, code, stderr_start",
    [
        (["show", str(FIT), "--json"], 0, ""),
        (["check", str(HA01), "--json"], 1, ""),
        (["show", "nope.yaml", "--lang", "en"], 2, "error: "),
        (["show"], 2, "Usage"),
    ],
)
def test_main_gives_the_exit_codes(monkeypatch, capsys, argv, code, stderr_start):
    """The console entry point `main()` (in-process): the same codes as the app itself."""
    from socinvest.cli import main

    monkeypatch.setattr(sys, "argv", ["socinvest", *argv])
    monkeypatch.delenv("SOCINVEST_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == code
    err = capsys.readouterr().err
    assert err.startswith(stderr_start) and "Traceback" not in err


def test_committed_schema_is_up_to_date():
    """docs/case.schema.json (referenced by the examples for editors) matches the model."""
    from socinvest.case.schema import json_schema

    committed = json.loads((ROOT / "docs" / "case.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run: socinvest schema -o docs/case.schema.json"


def test_report_command_and_bad_format(tmp_path):
    r = cli("report", FIT, "-o", tmp_path / "a.md")
    # Seed 003, tabel 1: "Samlet varig ændring" -3.526 in 2018-2021.
    assert r.exit_code == 0 and "-3.526" in (tmp_path / "a.md").read_text(encoding="utf-8")
    r = cli("report", FIT, "-o", tmp_path / "a.odt")
    assert r.exit_code == 2 and ".docx" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "a.odt").exists()
    r = cli("report", FIT, "-o", tmp_path / "nope" / "a.html")
    assert r.exit_code == 2 and r.stderr.startswith("fejl: ")
    assert not (tmp_path / "nope").exists()


def test_import_then_check_gives_the_tables_findings(tmp_path):
    out = tmp_path / "case.yaml"
    args = [TABLES / f"seed001_tabel{n}.txt" for n in ("1_samlede", "2_varige", "3_investeringer")]
    r = cli("import", *args, "-o", out)
    assert r.exit_code == 0, r.output
    r = cli("check", out, "--json")
    assert r.exit_code == 1
    # Seed 001's only error: tabel 1 states "3 år" (service basis); the rows give year 2.
    codes = [f["code"] for f in json.loads(r.stdout)["findings"]]
    assert codes == ["PAYBACK_MISMATCH"]
    # an existing file is not overwritten without --force, and stays as it was
    before = out.read_bytes()
    r = cli("import", *args, "-o", out)
    assert r.exit_code == 2 and "--force" in r.stderr and out.read_bytes() == before


def test_smoke_the_real_process(tmp_path):
    """The one subprocess test: the entry point, real exit codes, nothing on stderr."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("SOCINVEST_DEBUG", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "socinvest.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=60,
        )

    p = run("--help")
    assert p.returncode == 0 and "Usage" in p.stdout and p.stderr == ""
    p = run("check", str(HA01))
    assert p.returncode == 1 and "PAYBACK_MISMATCH" in p.stdout and p.stderr == ""
    p = run("check", str(tmp_path / "nope.yaml"))
    assert p.returncode == 2 and p.stderr.startswith("fejl:") and "Traceback" not in p.stderr
