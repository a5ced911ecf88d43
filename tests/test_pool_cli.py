"""`socinvest pool status|project|select`: exit codes like `check`, JSON, charts and reports
written atomically. The sub-app is mounted on a fresh typer app here (cli.py registers it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from socinvest.cli.pool import DEFAULT_DRAWS, pool_app
from socinvest.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "pool" / "pool.yaml"
TWO = ROOT / "tests" / "fixtures" / "pool" / "two_cases.yaml"
runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(pool_app, name="pool")
    return app


def run(*args: str):
    return runner.invoke(_app(), ["pool", *args])


def test_default_draws_match_the_simulation_default():
    from socinvest.uncertainty.defaults import DEFAULT_DRAWS as SIM

    assert DEFAULT_DRAWS == SIM


@pytest.mark.parametrize("cmd", ["status", "project", "select"])
def test_help(cmd):
    r = run(cmd, "--help")
    assert r.exit_code == 0 and "--json" in r.output


def test_status_example_has_errors_exit_1():
    r = run("status", str(EXAMPLE))
    assert r.exit_code == 1, r.output
    assert "Saldo ultimo" in r.output and "POOL_PAYBACK_TOO_LONG" in r.output


def test_status_json(tmp_path):
    r = run("status", str(TWO), "--json")
    assert r.exit_code == 1  # the two-case pool goes negative in 2020
    data = json.loads(r.output)
    assert data["closing"] == [-100, 0, 1100, 1700, 1800]
    assert [f["code"] for f in data["findings"]] == ["POOL_NEGATIVE_BALANCE"]


def test_project_with_risk_json():
    r = run("project", str(EXAMPLE), "-n", "300", "--seed", "1", "--json")
    data = json.loads(r.output)
    assert data["draws"] == 300
    assert set(data["balance_percentiles"]) == {"p5", "p50", "p95"}
    assert set(data["applications"]["tidlig-0-2"]) >= {"p_on_schedule", "p_repaid"}


def test_select_exit_0_and_reports(tmp_path):
    out = {s: tmp_path / f"pulje{s}" for s in (".xlsx", ".html", ".docx")}
    for suffix, path in out.items():
        args = ["select", str(EXAMPLE), "-n", "0", "-o", str(path)]
        if suffix == ".html":
            args += ["--chart", str(tmp_path / "saldo.svg")]
        r = run(*args)
        assert r.exit_code == 0, r.output  # the chosen set breaks no rule
        assert path.stat().st_size > 1000
    assert (tmp_path / "saldo.svg").read_text().startswith("<?xml")
    assert "<svg" in out[".html"].read_text(encoding="utf-8")
    from openpyxl import load_workbook

    ws = load_workbook(out[".xlsx"])["Pulje"]
    assert ws["A1"].value.startswith("Investeringspuljen")
    import docx

    text = "\n".join(p.text for p in docx.Document(str(out[".docx"])).paragraphs)
    assert "Investeringspuljen" in text and "Fund" in text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


def test_select_json_explains():
    r = run("select", str(EXAMPLE), "-n", "0", "--objective", "savings", "--json")
    data = json.loads(r.output)
    assert data["objective"] == "savings" and data["status"] == "optimal"
    assert all(c["reason"].startswith(("inde: ", "ude: ")) for c in data["choices"])


def test_bad_input_raises_input_error():
    r = run("status", str(ROOT / "tests" / "fixtures" / "pool" / "bad" / "duplicate_id.yaml"))
    assert isinstance(r.exception, InputError)


def test_bad_report_suffix():
    r = run("status", str(TWO), "-o", "x.pdf")
    assert isinstance(r.exception, InputError) and ".xlsx" in r.exception.message


def test_through_main_unusable_input_exits_2():
    code = (
        "from socinvest.cli import app, main\n"
        "from socinvest.cli.pool import pool_app\n"
        "if not any(g.name == 'pool' for g in app.registered_groups):\n"
        "    app.add_typer(pool_app, name='pool')\n"
        "main()\n"
    )
    bad = ROOT / "tests" / "fixtures" / "pool" / "bad" / "capital_missing_years.yaml"
    p = subprocess.run(
        [sys.executable, "-c", code, "pool", "status", str(bad)], capture_output=True, text=True
    )
    assert p.returncode == 2
    assert p.stderr.startswith("fejl: ") and "capital_missing_years.yaml:7:1: capital:" in p.stderr


def test_module_imports_only_typer_and_stdlib():
    code = (
        "import sys; import socinvest.cli.pool\n"
        "heavy = [m for m in ('numpy', 'pydantic', 'yaml', 'rich', 'scipy') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.stdout.strip() == ""
