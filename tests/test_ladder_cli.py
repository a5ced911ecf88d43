"""`socinvest ladder …` through typer's CliRunner on the sub-app (registered in cli.py as
`app.add_typer(ladder_app, name="ladder")`)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from socinvest.cli.ladder import ladder_app
from socinvest.errors import InputError

from .conftest import EXAMPLES, FIXTURES, ROOT

EX = EXAMPLES / "ladder"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(ladder_app, list(args), catch_exceptions=True)


def test_project_json_and_conservation():
    r = run("project", str(EX / "population.yaml"), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["years"] == list(range(2025, 2033))
    total_end = sum(v[-1] for v in data["year_end"].values())
    f = data["flows"]
    balance = sum(data["start_stock"]) + sum(f["entered"]) - sum(f["closed"]) - sum(f["aged_out"])
    assert total_end == pytest.approx(balance)
    assert data["unit"] == "kr." and data["price_level"] == 2024


def test_project_micro_prints_whole_children():
    r = run("project", str(EX / "population.yaml"), "--engine", "micro", "--seed", "3")
    assert r.exit_code == 0, r.output
    assert "børn pr. trin 31. december (micro)" in r.output
    assert "Anbringelse i plejefamilie" in r.output


def test_compare_table_json_and_chart(tmp_path):
    chart = tmp_path / "c.png"
    r = run("compare", str(EX / "scenario.yaml"), "--draws", "50", "--chart", str(chart))
    assert r.exit_code == 0, r.output
    assert "Besparelse i alt" in r.output and "P95" in r.output
    assert chart.stat().st_size > 10_000
    r = run("compare", str(EX / "scenario.yaml"), "--json", "--draws", "0")
    data = json.loads(r.output)
    base = data["baseline"]["cost_total"]
    strat = data["strategy"]["cost_total"]
    assert data["savings"] == pytest.approx([b - s for b, s in zip(base, strat, strict=True)])
    assert "monte_carlo" not in data


def test_fit_writes_a_population_file(tmp_path):
    out = tmp_path / "rates.yaml"
    (tmp_path / "ladder.yaml").write_text((EX / "ladder.yaml").read_text())
    r = run(
        "fit", str(EX / "episodes.csv"), "--ladder", str(tmp_path / "ladder.yaml"), "-o", str(out),
        "--age-bands", "0,6,12", "--duration-bands", "0,6,12",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Overgange pr. måned" in r.output
    r = run("project", str(out), "--json")
    assert r.exit_code == 0, r.output
    r = run("fit", str(EX / "episodes.csv"), "--json")
    data = json.loads(r.output)
    assert data["episodes"] > 100 and data["transitions"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["project", "nope.yaml"], "filen findes ikke"),
        (["project", str(EX / "ladder.yaml")], "a ladder definition holds no children"),
        (["compare", str(EX / "population.yaml")], "not a scenario file"),
        (["project", str(EX / "population.yaml"), "--chart", "x.pdf"], "--chart skal slutte"),
        (["fit", str(FIXTURES / "ladder" / "episodes_tiny.csv"), "--age-bands", "0,x"], "hele tal"),
    ],
)
def test_bad_input_raises_input_error(args, message):
    r = run(*args)
    assert isinstance(r.exception, InputError), r.output
    assert message in str(r.exception)


@pytest.mark.parametrize("cmd", ["project", "compare", "fit"])
def test_help(cmd):
    r = run(cmd, "--help")
    assert r.exit_code == 0 and "--json" in r.output


def test_module_imports_only_typer():
    code = (
        "import sys; import socinvest.cli.ladder; "
        "print(sorted(m for m in ('numpy', 'rich', 'pydantic', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
