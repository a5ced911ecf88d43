"""The README's command lines run as tests.

Every `socinvest …` line of README.md's ```sh blocks is run in-process (CliRunner) in a
temporary folder holding a copy of the files it needs, with its outputs written there. Each line
must have an expectation below: the exit code the documentation gives and a property of the
output that comes from the seed documents (/work/shared/seeds/) or a hand count, not from
output captured earlier. A new README line without an expectation fails the suite.

Placeholders in the README stand for these files:
- `CASE` -> examples/tidlig-indsats-0-2.yaml (seed 000; it has uncertain parameters, so
  `simulate` and `sensitivity` have something to vary);
- `POOL` -> examples/pool/pool.yaml; `FILE` -> the ladder example for each subcommand;
- `tabel.txt` -> seed 003's tabel 2 (consistent: `check` exits 0);
  `tabel1.txt`, `tabel2.txt` -> seed 001's tabel 1 and 2;
- `a|b|c` in a command is three commands.
"""

from __future__ import annotations

import csv
import json
import re
import shlex
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from .conftest import EXAMPLES, FIXTURES, ROOT, TABLES, cli

README = ROOT / "README.md"
PLACEHOLDERS = {"CASE": "examples/tidlig-indsats-0-2.yaml", "POOL": "examples/pool/pool.yaml"}
LADDER_FILES = {
    "project": "examples/ladder/population.yaml",
    "compare": "examples/ladder/scenario.yaml",
    "fit": "examples/ladder/episodes.csv",
}
PASTED = {
    "tabel.txt": TABLES / "seed003_tabel2_varige.txt",
    "tabel1.txt": TABLES / "seed001_tabel1_samlede.txt",
    "tabel2.txt": TABLES / "seed001_tabel2_varige.txt",
}
# Lines that cannot run offline are skipped when they contain one of these (none today).
OFFLINE = ("tcp://", "http://", "https://")


def readme_commands() -> list[list[str]]:
    """The `socinvest` command lines of README.md's sh blocks, comments cut, `a|b` expanded,
    placeholders replaced; each as argv without the program name."""
    text = README.read_text(encoding="utf-8")
    out: list[list[str]] = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M):
        for line in block.splitlines():
            line = re.split(r"\s+#", line, maxsplit=1)[0].strip()
            if not line.startswith("socinvest "):
                continue
            argv = shlex.split(line)[1:]
            alternatives = [i for i, a in enumerate(argv) if "|" in a]
            variants = [argv]
            for i in alternatives:
                variants = [
                    v[:i] + [alt] + v[i + 1 :] for v in variants for alt in argv[i].split("|")
                ]
            for v in variants:
                if v[0] == "ladder":
                    v = [LADDER_FILES[v[1]] if a == "FILE" else a for a in v]
                out.append([PLACEHOLDERS.get(a, a) for a in v])
    return out


# -- expectations: exit code and a property from the documents ---------------------------------

SEED000_TOTAL_2029 = "-4.100"  # seed 000, tabel 1: "Samlet økonomisk påvirkning" 2029
SEED001_IMPACT = [4000, -3700, -5500, -5700, -6100]  # seed 001, tabel 1, 2016-2020


def _json(r) -> dict:
    return json.loads(r.stdout)


def _check_seed000(r, tmp: Path) -> None:
    # Seed 000, tabel 3 prints "Total Besparelse" 2021 as +8.900; its rows sum to -8.900.
    assert "SIGN_MISMATCH" in r.stdout


def _check_table(r, tmp: Path) -> None:
    # Seed 003, tabel 2: -1.763 - 1.763 = -3.526 each year, as printed: nothing to report.
    assert "Ingen fund" in r.stdout


def _check_table_json(r, tmp: Path) -> None:
    d = _json(r)
    assert d["findings"] == []
    assert d["payback"]["total"] == 1  # savings only, from the table's first year


def _show_fit(r, tmp: Path) -> None:
    # Seed 003, tabel 1: -3.526 (permanent), -3.408 (impact 2018-2019), payback "2 år".
    assert "-3.526" in r.stdout and "-3.408" in r.stdout and "2 år" in r.stdout


def _show_case_json(r, tmp: Path) -> None:
    # Seed 000, tabel 1: "Tilbagebetalingstid baseret på serviceeffektivisering 6", totaløkonomi 6.
    d = _json(r)
    assert d["payback"]["service"]["year"] == 6 and d["payback"]["total"]["year"] == 6


def _report_docx(r, tmp: Path) -> None:
    with zipfile.ZipFile(tmp / "case.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert SEED000_TOTAL_2029 in xml


def _imported(r, tmp: Path) -> None:
    from socinvest.engine.resolve import evaluate
    from socinvest.services.case import load_case

    res = evaluate(load_case(tmp / "case.yaml"))
    assert [int(y) for y in res.years] == list(range(2016, 2021))
    np.testing.assert_allclose(res.impact[0], SEED001_IMPACT)


def _simulated(r, tmp: Path) -> None:
    assert "10.000" in r.stdout  # the draws asked for
    assert "inden for 6 år" in r.stdout  # the target asked for


def _sensitivity(r, tmp: Path) -> None:
    from socinvest.services.case import load_case

    case = load_case(tmp / PLACEHOLDERS["CASE"])
    uncertain = [n for n, p in case.parameters.items() if p.uncertainty is not None]
    assert uncertain and all(n in r.stdout for n in uncertain)
    assert "Skifteværdier" in r.stdout


def _pool_status(r, tmp: Path) -> None:
    # HA01 (seed 001) is the approved grant: tabel 3, 4.000 + 900 + 600 + 400 = 5.900 from the
    # pool; the invented Familiehuset Vest breaks the pool's payback rule (an error: exit 1).
    assert any("Bevilget i alt" in ln and "5.900" in ln for ln in r.stdout.splitlines())
    assert "POOL_PAYBACK_TOO_LONG" in r.stdout


def _pool_project(r, tmp: Path) -> None:
    assert "Bevilget i alt" in r.stdout and "POOL_" in r.stdout


def _pool_select(r, tmp: Path) -> None:
    assert "Valgte ansøgninger" in r.stdout


def _ladder_title(name: str) -> Callable:
    def check(r, tmp: Path) -> None:
        text = (tmp / LADDER_FILES[name]).read_text(encoding="utf-8")
        title = re.search(r"^title:\s*(.+)$", text, re.M)
        assert title and title.group(1).strip().strip("\"'") in r.stdout

    return check


def _ladder_fit(r, tmp: Path) -> None:
    with (tmp / LADDER_FILES["fit"]).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    children = {row["child_id"] for row in rows}
    assert f"{len(rows)} forløb for {len(children)} børn" in r.stdout


def _schema(r, tmp: Path) -> None:
    written = json.loads((tmp / "case.schema.json").read_text(encoding="utf-8"))
    assert written == json.loads((ROOT / "docs" / "case.schema.json").read_text(encoding="utf-8"))


def _run_reports(r, tmp: Path) -> None:
    stems = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    out = tmp / "out" / "reports"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{s}{suffix}" for s in stems for suffix in (".docx", ".xlsx", ".pdf", ".html", ".md")
    )
    assert str(out.resolve()) in r.stdout.replace("\n", "")
    assert f"{len(stems)} cases beregnet og kontrolleret" in r.stdout


EXPECTED: dict[str, tuple[int, Callable]] = {
    "check examples/tidlig-indsats-0-2.yaml": (1, _check_seed000),
    "check tabel.txt": (0, _check_table),
    "check tabel.txt --json": (0, _check_table_json),
    "show examples/fit-familiebehandling.yaml": (0, _show_fit),
    "show examples/tidlig-indsats-0-2.yaml --json": (0, _show_case_json),
    "report examples/tidlig-indsats-0-2.yaml -o case.docx": (0, _report_docx),
    "import tabel1.txt tabel2.txt -o case.yaml": (0, _imported),
    "simulate examples/tidlig-indsats-0-2.yaml --draws 10000 --target 6": (0, _simulated),
    "sensitivity examples/tidlig-indsats-0-2.yaml": (0, _sensitivity),
    # docs/pool.md: "Exit codes like `check`"; the example pool has an error finding
    "pool status examples/pool/pool.yaml": (1, _pool_status),
    "pool project examples/pool/pool.yaml": (1, _pool_project),
    "pool select examples/pool/pool.yaml": (0, _pool_select),
    "ladder project examples/ladder/population.yaml": (0, _ladder_title("project")),
    "ladder compare examples/ladder/scenario.yaml": (0, _ladder_title("compare")),
    "ladder fit examples/ladder/episodes.csv": (0, _ladder_fit),
    "schema -o case.schema.json": (0, _schema),
    "run examples --reports out/reports": (0, _run_reports),
}

COMMANDS = readme_commands()


def test_the_readme_has_the_commands_we_expect():
    lines = [" ".join(c) for c in COMMANDS]
    assert sorted(lines) == sorted(EXPECTED), "a README line without expectation, or gone"


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    for name, src in PASTED.items():
        shutil.copy(src, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda c: " ".join(c))
def test_readme_command(argv, workdir):
    line = " ".join(argv)
    if any(s in line for s in OFFLINE):
        pytest.skip(f"needs a network service: {line}")
    code, check = EXPECTED[line]
    r = cli(*argv)
    assert r.exit_code == code, r.output
    assert "Traceback" not in r.stderr
    check(r, workdir)


def test_the_documented_exit_codes_of_check(workdir):
    """README: "`check` exits 0 when it finds no error, 1 when it finds errors, 2 when the
    input cannot be read (one line naming the file, line and key, never a traceback)"."""
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert (
        "`check` exits 0 when it finds no error, 1 when it finds errors, 2 when the input" in text
    )
    assert cli("check", "tabel.txt").exit_code == 0
    assert cli("check", PLACEHOLDERS["CASE"]).exit_code == 1
    for bad in ("nope.yaml", FIXTURES / "bad" / "tables" / "binary.bin"):
        r = cli("check", bad)
        assert r.exit_code == 2 and r.stdout == ""
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    bad_case = FIXTURES / "bad" / "cases" / "wrong_enum.yaml"
    r = cli("check", bad_case)
    assert r.exit_code == 2 and re.search(r"wrong_enum\.yaml:\d+:\d+: ", r.stderr), r.stderr
