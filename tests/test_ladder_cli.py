"""`socinvest ladder …` in-process through typer's CliRunner on the whole app (as `socinvest`
runs it): JSON, terminal, chart and every report format, and errors (exit 2, one line in the
command's language)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from socinvest.cli import app

from .conftest import EXAMPLES, FIXTURES, ROOT

EX = EXAMPLES / "ladder"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["ladder", *args])


def test_project_json_and_conservation():
    r = run("project", str(EX / "population.yaml"), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["years"] == list(range(2025, 2033))
    total_end = sum(v[-1] for v in data["year_end"].values())
    f = data["flows"]
    balance = sum(data["start_stock"]) + sum(f["entered"]) - sum(f["closed"]) - sum(f["aged_out"])
    assert total_end == pytest.approx(balance)
    assert data["unit"] == "kr." and data["price_level"] == 2024
    # cost = child-years × price per child per year, step by step
    assert data["cost"]["foster"] == pytest.approx(
        [cy * 450_000 for cy in data["child_years"]["foster"]]
    )


def test_project_micro_prints_whole_children():
    r = run("project", str(EX / "population.yaml"), "--engine", "micro", "--seed", "3")
    assert r.exit_code == 0, r.output
    assert "Tabel 1. Børn pr. trin 31. december (micro)" in r.stdout
    row = next(ln for ln in r.stdout.splitlines() if ln.startswith("│ Anbringelse i plejefamilie"))
    cells = [c.strip() for c in row.strip("│ ").split("│")][1:]
    assert len(cells) == 9 and all(c.isdigit() for c in cells), cells  # 1/1 and 8 years


def test_compare_table_json_and_chart(tmp_path):
    chart = tmp_path / "c.png"
    r = run("compare", str(EX / "scenario.yaml"), "--draws", "50", "--chart", str(chart))
    assert r.exit_code == 0, r.output
    assert "Besparelse i alt" in r.stdout and "P95" in r.stdout
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000
    r = run("compare", str(EX / "scenario.yaml"), "--json", "--draws", "0")
    data = json.loads(r.stdout)
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
    assert "Overgange pr. måned" in r.stdout
    assert "ladder: ladder.yaml" in out.read_text(encoding="utf-8")  # relative to the file
    r = run("project", str(out), "--json")
    assert r.exit_code == 0, r.output
    r = run("fit", str(EX / "episodes.csv"), "--json")
    data = json.loads(r.stdout)
    assert data["episodes"] == 214 and data["children"] == 160 and data["transitions"]


@pytest.mark.parametrize(
    "args, da, en",
    [
        (["project", "nope.yaml"], "filen findes ikke", "not found"),
        (
            ["project", str(EX / "ladder.yaml")],
            "en trappedefinition indeholder ingen børn",
            "a ladder definition holds no children",
        ),
        (["compare", str(EX / "population.yaml")], "ikke en scenariefil", "not a scenario file"),
        (
            ["project", str(EX / "population.yaml"), "--chart", "x.pdf"],
            "--chart skal slutte på .png eller .svg",
            "--chart must end in .png or .svg",
        ),
        (
            ["fit", str(FIXTURES / "ladder" / "episodes_tiny.csv"), "--age-bands", "0,x"],
            "--age-bands: skriv hele tal adskilt af komma",
            "--age-bands: write whole numbers separated by commas",
        ),
        (
            ["fit", str(FIXTURES / "ladder" / "episodes_tiny.csv"), "--age-bands", "3,6"],
            "--age-bands skal starte ved 0 og stige",
            "--age-bands must start at 0 and increase",
        ),
        (
            ["fit", str(FIXTURES / "ladder" / "episodes_tiny.csv"), "--as-of", "31.02.2024"],
            "--as-of: '31.02.2024' er ikke en dato",
            "--as-of: '31.02.2024' is not a date",
        ),
        (
            ["compare", str(EX / "scenario.yaml"), "-o", "x.odt"],
            "ukendt rapportformat '.odt'",
            "unknown report format '.odt'",
        ),
    ],
)
def test_bad_input_is_one_line_in_the_commands_language(args, da, en):
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("fejl: ") and da in r.stderr and r.stdout == ""
    r = run(*args, "--lang", "en")
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("error: ") and en in r.stderr and r.stdout == ""


def test_as_of_that_is_not_a_date_is_worded_in_both_languages():
    args = ["fit", str(FIXTURES / "ladder" / "episodes_tiny.csv"), "--as-of", "2024-13-01"]
    assert "'2024-13-01' er ikke en dato; skriv 2024-05-31" in run(*args).stderr
    assert "'2024-13-01' is not a date; write 2024-05-31" in run(*args, "--lang", "en").stderr


def test_existing_population_file_needs_force(tmp_path):
    out = tmp_path / "p.yaml"
    out.write_text("keep me\n")
    r = run("fit", str(EX / "episodes.csv"), "-o", str(out))
    assert r.exit_code == 2 and "brug --force for at overskrive" in r.stderr
    assert out.read_text() == "keep me\n"
    r = run("fit", str(EX / "episodes.csv"), "-o", str(out), "--force")
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").startswith("# Fitted by `socinvest ladder fit`")


@pytest.mark.parametrize("cmd", ["project", "compare", "fit"])
def test_help(cmd):
    r = run(cmd, "--help")
    assert r.exit_code == 0 and "--json" in r.output and "--lang" in r.output


def test_module_imports_only_typer():
    code = (
        "import sys; import socinvest.cli.ladder; "
        "print(sorted(m for m in ('numpy', 'rich', 'pydantic', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_schema_errors_of_a_population_file_are_worded_in_both_languages(tmp_path):
    (tmp_path / "l.yaml").write_text((EX / "ladder.yaml").read_text(encoding="utf-8"))
    p = tmp_path / "p.yaml"
    p.write_text("ladder: l.yaml\nstart: 2025\nstock:\n  foster: {5-3: 2}\n", encoding="utf-8")
    r = run("project", str(p))
    assert r.exit_code == 2 and "intervallet '5-3' går baglæns; skriv 3-5" in r.stderr
    r = run("project", str(p), "--lang", "en")
    assert r.exit_code == 2 and "range '5-3' runs backwards; write 3-5" in r.stderr
    assert f"{p}:" in r.stderr  # located in the file


def test_uncertainty_includes_the_fitted_rates(tmp_path):
    """A population fitted from episodes carries events and exposure: `project --draws` and
    `compare --draws` draw the rates from their posterior, so the children themselves get a
    P5–P95 (not only the prices), and baseline and strategy both vary."""
    rates = tmp_path / "rates.yaml"
    r = run("fit", str(EX / "episodes.csv"), "--ladder", str(EX / "ladder.yaml"), "-o", str(rates))
    assert r.exit_code == 0, r.output
    r = run("project", str(rates), "--draws", "60", "--json")
    assert r.exit_code == 0, r.output
    mc = json.loads(r.stdout)["monte_carlo"]
    assert mc["rates"] is True and mc["draws"] == 60
    tot = mc["children"]["scenario_total"]
    assert all(a <= b <= c for a, b, c in zip(tot["p5"], tot["p50"], tot["p95"], strict=True))
    assert tot["p5"][-1] < tot["p95"][-1]  # the data's uncertainty shows in the children
    (tmp_path / "s.yaml").write_text(
        "baseline: rates.yaml\ntitle: t\noverrides:\n"
        "  - {type: entries, steps: [institution], factor: 0.5, redirect_to: foster}\n"
    )
    r = run("compare", str(tmp_path / "s.yaml"), "--draws", "40", "--json")
    assert r.exit_code == 0, r.output
    mc = json.loads(r.stdout)["monte_carlo"]
    base = mc["children"]["baseline_total"]
    assert base["p5"][-1] < base["p95"][-1]
    assert all(a <= b <= c for a, b, c in zip(mc["p5"], mc["p50"], mc["p95"], strict=True))
    r = run("compare", str(tmp_path / "s.yaml"), "--draws", "40", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "Children per step on 31 December, strategy: P50 (P5–P95) over 40 draws" in r.stdout
    assert "the fitted rates (from their posterior) drawn" in r.stdout


def test_idle_lever_is_shown_in_both_languages(tmp_path):
    (tmp_path / "s.yaml").write_text(
        f"baseline: {EX / 'population.yaml'}\ntitle: t\noverrides:\n"
        "  - {type: transitions, from: network, to: institution, factor: 2}\n"
    )
    r = run("compare", str(tmp_path / "s.yaml"), "--draws", "0")
    assert r.exit_code == 0, r.output
    assert "Advarsler om scenariet" in r.stdout
    assert "ændring 1 (transitions) ændrer intet i fremskrivningen" in r.stdout
    r = run("project", str(tmp_path / "s.yaml"), "--json")
    assert json.loads(r.stdout)["warnings"] == [
        {"code": "LADDER_LEVER_IDLE", "override": 0, "type": "transitions"}
    ]
    r = run("compare", str(tmp_path / "s.yaml"), "--draws", "0", "--lang", "en")
    assert "no moves from network to institution to change" in r.stdout
