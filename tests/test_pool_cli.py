"""`socinvest pool status|project|select`, in process through the real app (typer's CliRunner):
exit codes like `check`, JSON, charts and every report format through the renderer registry,
written safely (no temporary file left, text never a formula)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socinvest.cli import app
from socinvest.cli.pool import DEFAULT_DRAWS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "pool" / "pool.yaml"
FIX = ROOT / "tests" / "fixtures" / "pool"
TWO = FIX / "two_cases.yaml"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["pool", *args])


def test_default_draws_match_the_simulation_default():
    from socinvest.uncertainty.defaults import DEFAULT_DRAWS as SIM

    assert DEFAULT_DRAWS == SIM


@pytest.mark.parametrize("cmd", ["status", "project", "select"])
def test_help(cmd):
    r = run(cmd, "--help")
    assert r.exit_code == 0 and "--json" in r.output and "--lang" in r.output


def test_status_example_has_errors_exit_1():
    r = run("status", str(EXAMPLE))
    assert r.exit_code == 1, r.output
    assert "Saldo ultimo" in r.output and "POOL_PAYBACK_TOO_LONG" in r.output


def test_status_json_two_cases_by_hand():
    r = run("status", str(TWO), "--json")
    assert r.exit_code == 1  # the two-case pool goes negative in 2020
    data = json.loads(r.output)
    # hand calculation in test_pool.py::test_two_case_ledger_by_hand
    assert data["closing"] == [-100, 0, 1100, 1700, 1800]
    assert data["opening"] == [500, -100, 0, 1100, 1700]
    assert data["grants"] == [1600, 400, 0, 0, 0]
    assert [f["code"] for f in data["findings"]] == ["POOL_NEGATIVE_BALANCE"]
    assert data["findings"][0]["message"].startswith(
        "puljens saldo er negativ ved udgangen af 2020: -0,1 mio. kr."
    )
    a = next(x for x in data["applications"] if x["id"] == "a")
    assert a["repaid"] == [0, 400, 400, 200, 0] and a["repaid_year"] == 2023


def test_project_with_risk_json():
    r = run("project", str(EXAMPLE), "-n", "300", "--seed", "1", "--json")
    data = json.loads(r.output)
    assert data["draws"] == 300
    assert set(data["balance_percentiles"]) == {"p5", "p50", "p95"}
    assert set(data["applications"]["tidlig-0-2"]) >= {"p_on_schedule", "p_repaid"}
    assert {"plain", "seed", "p_negative_balance", "findings"} <= set(data)


def test_select_json_explains():
    r = run("select", str(EXAMPLE), "-n", "0", "--objective", "savings", "--json")
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert data["objective"] == "savings" and data["status"] == "optimal"
    assert all(c["reason"].startswith(("inde: ", "ude: ")) for c in data["choices"])
    assert all(isinstance(c["alternative_text"], str) for c in data["choices"])


FORMATS = (".docx", ".xlsx", ".pdf", ".html", ".md", ".json")


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_report_format_opens(tmp_path, suffix):
    """Each format of the registry is written and opens in its own reader, with the numbered
    caption that names the unit and p/l (Table 1 of the two-case pool: the pool per year)."""
    path = tmp_path / f"pulje{suffix}"
    r = run("status", str(TWO), "-o", str(path))
    assert r.exit_code == 1, r.output  # the balance goes negative: an error finding
    assert f"Skrevet: {path}" in r.output
    caption = "Tabel 1. Puljen pr. år (1.000 kr. 2020 p/l)"
    if suffix == ".docx":
        import docx

        d = docx.Document(str(path))
        text = "\n".join(p.text for p in d.paragraphs)
        cells = {c.text for t in d.tables for row in t.rows for c in row.cells}
        assert caption in text and "Testpulje (opfundet)" in text
        assert "-100" in cells and "1.800" in cells  # closing 2020 and 2024 (by hand)
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path)
        values = [c.value for ws in wb for row in ws.iter_rows() for c in row if c.value]
        assert any(isinstance(v, str) and caption in v for v in values)
        assert 1800 in values and -100 in values  # numbers stay numbers
    elif suffix == ".pdf":
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert caption in " ".join(text.split())
        assert "Figur 1. Puljens saldo ultimo (1.000 kr. 2020 p/l)" in " ".join(text.split())
    elif suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["kind"] == "pool" and data["lang"] == "da"
    else:
        text = path.read_text(encoding="utf-8")
        assert caption in text and "POOL_NEGATIVE_BALANCE" in text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


def test_title_like_a_formula_is_text_in_xlsx(tmp_path):
    for name in ("case_a.yaml", "case_b.yaml"):
        shutil.copy(FIX / name, tmp_path / name)
    text = (FIX / "two_cases.yaml").read_text(encoding="utf-8")
    title = '=HYPERLINK("x")'
    text = text.replace("title: Testpulje (opfundet)", f"title: '{title}'")
    assert title in text
    (tmp_path / "pool.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "pool.xlsx"
    run("status", str(tmp_path / "pool.yaml"), "-o", str(out))
    from openpyxl import load_workbook

    wb = load_workbook(out)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == title]
    assert cells, "the title is written"
    assert all(c.data_type == "s" for c in cells)  # a string, not a formula
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=") and c.data_type == "f"
        for ws in wb
        for row in ws.iter_rows()
        for c in row
    )


def test_chart_files(tmp_path):
    svg, png = tmp_path / "saldo.svg", tmp_path / "saldo.png"
    r = run("project", str(EXAMPLE), "-n", "50", "--chart", str(svg))
    assert r.exit_code == 1 and svg.read_text(encoding="utf-8").startswith("<?xml")
    assert "Puljens saldo ultimo" in svg.read_text(encoding="utf-8")
    run("status", str(TWO), "--chart", str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = run("status", str(TWO), "--chart", str(tmp_path / "x.gif"))
    assert r.exit_code == 2 and "ukendt figurformat '.gif'" in r.output


def test_bad_input_exits_2_with_one_located_line():
    bad = FIX / "bad" / "capital_missing_years.yaml"
    r = run("status", str(bad))
    assert r.exit_code == 2
    assert r.output.startswith("fejl: ") and "capital_missing_years.yaml:7:1: capital:" in r.output
    en = run("status", str(bad), "--lang", "en")
    assert en.exit_code == 2 and "capital is missing for 2023-2024" in en.output


def test_bad_report_suffix():
    r = run("status", str(TWO), "-o", "x.odt")
    assert r.exit_code == 2 and ".xlsx" in r.output


def test_module_imports_only_typer_and_stdlib():
    code = (
        "import sys; import socinvest.cli.pool\n"
        "heavy = [m for m in ('numpy', 'pydantic', 'yaml', 'rich', 'scipy') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.stdout.strip() == ""
