"""Issue 10, part B, the output side: one safe writer (B4), no formula injection (B5), the
`**` operator in every format (B7), options in range (B12), control characters (B13) and
escaping in Markdown and HTML (B14). Fixtures: tests/fixtures/hostile-output/."""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from socinvest.errors import InputError
from socinvest.output import TEMP_PREFIX, safe_write
from tests.conftest import EXAMPLES, FIXTURES, ROOT, cli

HOSTILE = FIXTURES / "hostile-output"
OPERATORS = HOSTILE / "operators.yaml"
LABELS = HOSTILE / "hostile-labels.yaml"
UNCERTAIN = EXAMPLES / "tidlig-indsats-0-2.yaml"
FORMULA = '=HYPERLINK("http://x","y")'


def _case(tmp_path: Path, source: Path = OPERATORS) -> Path:
    case = tmp_path / source.name
    shutil.copy(source, case)
    return case


def _no_temporaries(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)] == []


# -- B4: the one safe writer -----------------------------------------------------------------


def test_report_refuses_an_existing_file_without_force(tmp_path):
    case, out = _case(tmp_path), tmp_path / "r.md"
    out.write_text("old", encoding="utf-8")
    r = cli("report", case, "-o", out, debug=False)
    assert r.exit_code == 2
    assert "filen findes allerede; brug --force for at overskrive" in r.stderr
    assert out.read_text(encoding="utf-8") == "old"
    assert cli("report", case, "-o", out, "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("*Business case*")
    _no_temporaries(tmp_path)


def test_simulate_html_never_overwrites_the_case(tmp_path):
    case = _case(tmp_path, UNCERTAIN)
    before = case.read_bytes()
    for args in (["--html", case], ["--html", case, "--force"]):
        r = cli("simulate", case, "-n", "10", *args, debug=False)
        assert r.exit_code == 2, r.output
        assert "filendelsen '.yaml' kan ikke skrives her; brug .html" in r.stderr
    link = tmp_path / "link.html"  # the case under a report's name: refused as an input
    link.symlink_to(case)
    r = cli("simulate", case, "-n", "10", "--html", link, "--force", debug=False)
    assert r.exit_code == 2 and "inddata og overskrives aldrig" in r.stderr
    hard = tmp_path / "hard.md"
    os.link(case, hard)
    r = cli("report", case, "-o", hard, "--force", debug=False)
    assert r.exit_code == 2 and "inddata og overskrives aldrig" in r.stderr
    assert case.read_bytes() == before
    assert link.is_symlink()


def test_simulate_html_refuses_an_existing_file_and_writes_with_force(tmp_path):
    case, out = _case(tmp_path, UNCERTAIN), tmp_path / "s.html"
    out.write_text("old", encoding="utf-8")
    assert cli("simulate", case, "-n", "50", "--html", out, debug=False).exit_code == 2
    assert out.read_text(encoding="utf-8") == "old"
    assert cli("simulate", case, "-n", "50", "--html", out, "--force").exit_code == 0
    assert "<html" in out.read_text(encoding="utf-8")


def test_schema_output_needs_force_and_json(tmp_path):
    out = tmp_path / "schema.json"
    assert cli("schema", "-o", out).exit_code == 0
    r = cli("schema", "-o", out, debug=False)
    assert r.exit_code == 2 and "brug --force" in r.stderr
    assert cli("schema", "-o", out, "--force").exit_code == 0
    assert cli("schema", "-o", tmp_path / "case.yaml", debug=False).exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schema.json"]


@pytest.mark.parametrize(
    "target, words",
    [
        (lambda d: (d / "dir.md").mkdir() or d / "dir.md", "er en mappe"),
        (lambda d: d / "missing" / "r.md", "findes ikke"),
        (lambda d: d / ("x" * 300 + ".md"), "filnavnet er for langt"),
        (lambda d: Path("/proc/self/r.md"), "kan ikke skrive"),
    ],
)
def test_output_failures_are_exit_2_with_a_message(tmp_path, target, words):
    r = cli("report", _case(tmp_path), "-o", target(tmp_path), debug=False)
    assert r.exit_code == 2, r.output
    assert words in r.stderr and "intern fejl" not in r.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_read_only_folder_is_exit_2(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        r = cli("report", _case(tmp_path), "-o", folder / "r.md", debug=False)
    finally:
        folder.chmod(0o700)
    assert r.exit_code == 2 and "ingen skriveadgang" in r.stderr


def test_a_symlink_as_target_is_replaced_not_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me", encoding="utf-8")
    target = tmp_path / "r.md"
    target.symlink_to(elsewhere)
    r = cli("report", _case(tmp_path), "-o", target, debug=False)
    assert r.exit_code == 2  # a symlink is an existing file
    assert cli("report", _case(tmp_path), "-o", target, "--force").exit_code == 0
    assert not target.is_symlink() and target.read_text(encoding="utf-8").startswith("*")
    assert elsewhere.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_new_files_honour_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        path = safe_write(tmp_path / "f.txt", lambda p: p.write_text("x", encoding="utf-8"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_a_failed_write_leaves_nothing(tmp_path):
    def fail(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        safe_write(tmp_path / "r.txt", fail)
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_appears_while_writing_is_not_clobbered(tmp_path):
    target = tmp_path / "r.txt"

    def racing(tmp: Path) -> None:
        tmp.write_text("ours", encoding="utf-8")
        target.write_text("theirs", encoding="utf-8")

    with pytest.raises(InputError, match="filen findes allerede"):
        safe_write(target, racing)
    assert target.read_text(encoding="utf-8") == "theirs"
    _no_temporaries(tmp_path)


def test_sigterm_while_writing_leaves_no_temporary(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from socinvest.output import safe_write

        def slow(tmp):
            tmp.write_text("half", encoding="utf-8")
            print("writing", flush=True)
            time.sleep(30)

        safe_write(Path({str(tmp_path / "r.txt")!r}), slow)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 128 + signal.SIGTERM
    time.sleep(0.05)
    assert list(tmp_path.iterdir()) == []


def test_pool_and_ladder_outputs_need_force(tmp_path):
    out = tmp_path / "p.md"
    out.write_text("old", encoding="utf-8")
    pool = EXAMPLES / "pool" / "pool.yaml"
    r = cli("pool", "status", pool, "-o", out, debug=False)
    assert r.exit_code == 2 and "brug --force" in r.stderr
    chart = tmp_path / "c.svg"
    chart.write_text("old", encoding="utf-8")
    r = cli("pool", "status", pool, "--chart", chart, debug=False)
    assert r.exit_code == 2 and "brug --force" in r.stderr
    assert cli("pool", "status", pool, "--chart", chart, "--force").exit_code in (0, 1)
    r = cli("ladder", "project", EXAMPLES / "ladder" / "scenario.yaml", "-o", out, debug=False)
    assert r.exit_code == 2 and "brug --force" in r.stderr
    assert out.read_text(encoding="utf-8") == "old"
    r = cli(
        "ladder", "project", EXAMPLES / "ladder" / "scenario.yaml", "--chart", chart, debug=False
    )
    assert r.exit_code == 2
    _no_temporaries(tmp_path)


# -- B5: formula injection -------------------------------------------------------------------


def _cells(path: Path) -> dict[object, tuple[str, str]]:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return {
        c.value: (ws.title, c.data_type)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    }


def test_case_workbook_writes_formula_like_labels_as_text(tmp_path):
    out = tmp_path / "h.xlsx"
    assert cli("report", LABELS, "-o", out).exit_code == 0
    cells = _cells(out)
    for text in (FORMULA, "+1+2", "-3-4", "@SUM(1)[2J]0;pwned"):
        assert text in cells, text
        assert cells[text][1] == "s", text
    assert not any(v.startswith("=HYPERLINK") for v, (_, t) in cells.items() if t == "f")


def test_generic_workbook_writes_formula_like_text_as_text(tmp_path):
    from socinvest.reports.document.model import (
        Cell,
        Paragraph,
        ReportDocument,
        Section,
        Table,
        TableRow,
    )
    from socinvest.reports.registry import render_file

    table = Table(
        "t", 1, "Tabel 1. @SUM(1)", ("Navn", "Beløb"),
        (TableRow((Cell(FORMULA), Cell("100", 100.0))), TableRow((Cell("-2+3"), Cell("")))),
        (False, True), (2.0, 1.0),
    )  # fmt: skip
    doc = ReportDocument(
        "da", "@SUM(1)", "Pulje", (Section("s", "=1+1", (Paragraph("+cmd"), table)),), "", "",
        kind="pool",
    )  # fmt: skip
    cells = _cells(render_file(doc, tmp_path / "p.xlsx"))
    for text in ("@SUM(1)", "=1+1", "+cmd", FORMULA, "-2+3", "Tabel 1. @SUM(1)"):
        assert cells[text][1] == "s", text


# -- B7: every operator of the expression language in every format ---------------------------


@pytest.mark.parametrize("suffix", [".md", ".html", ".docx", ".pdf", ".xlsx"])
def test_operators_render_in_every_format(tmp_path, suffix):
    out = tmp_path / f"op{suffix}"
    r = cli("report", OPERATORS, "-o", out, "--lang", "en" if suffix == ".html" else "da")
    assert r.exit_code == 0, r.output
    assert out.stat().st_size > 0


def test_operators_readable_calculation():
    from socinvest.reports.document.appendix import line_calculation
    from socinvest.services.case import case_bundle, load_case

    res = case_bundle(load_case(OPERATORS), simulate=False).results
    # hand-computed in the fixture: 1000 × 0,9^(t−1); min(1000, 400) + max(−50, 0); 250 + 4
    calc = line_calculation(res, 0)
    assert calc[0].endswith("= 1.000 (2024)") and calc[1].endswith("= 900 (2025)")
    assert calc[2].endswith("= 810 (2026)")
    assert line_calculation(res, 1) == [
        "min(base; cap) + max(−floor; 0) = min(1.000; 400) + max(−50; 0) = 400 (2024–2026)"
    ]
    assert line_calculation(res, 2) == [
        "abs(−base / 4) − −2^2 = abs(−1.000 / 4) − −2^2 = 254 (2024–2026)"
    ]


def test_power_binds_tighter_than_a_sign():
    from socinvest.case.expr import parse_expression
    from socinvest.reports.document.appendix import expr_text

    def text(e: str) -> str:
        return expr_text(parse_expression(e).tree)[0]

    assert text("-x ** 2") == "−x^2"
    assert text("(-x) ** 2") == "(−x)^2"
    assert text("a ** b ** c") == "a^b^c"
    assert text("(a ** b) ** c") == "(a^b)^c"
    assert text("a ** -b") == "a^(−b)"
    assert text("2 * (x + 1) ** 2") == "2 × (x + 1)^2"


# -- B12: options out of range ---------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--seed", "-1"],
        ["--seed", str(2**32)],
        ["--draws", "1e20"],
        ["--draws", "100000000000000000000"],
        ["--draws", "0"],
        ["--chunk-size", "0"],
        ["--scheduler", "tcp://a:b"],
        ["--scheduler", "tcp://a:0"],
        ["--scheduler", "tcp://:8786"],
        ["--scheduler", "udp://a:1"],
    ],
)
def test_simulate_options_out_of_range_are_exit_2(args):
    start = time.monotonic()
    r = cli("simulate", UNCERTAIN, "-n", "10", *args, debug=False)
    assert r.exit_code == 2, r.output
    assert "intern fejl" not in r.output and "Traceback" not in r.output
    assert time.monotonic() - start < 5


@pytest.mark.parametrize(
    "cmd",
    [
        ["report", UNCERTAIN, "-o", "x.md", "--seed", "-1"],
        ["report", UNCERTAIN, "-o", "x.md", "--draws", "100000000000000000000"],
        ["pool", "project", EXAMPLES / "pool" / "pool.yaml", "--seed", "-1"],
        ["pool", "select", EXAMPLES / "pool" / "pool.yaml", "--draws", "100000000000"],
        ["ladder", "compare", EXAMPLES / "ladder" / "scenario.yaml", "--seed", "-1"],
        ["ladder", "compare", EXAMPLES / "ladder" / "scenario.yaml", "--draws", "100000000000"],
    ],
)
def test_other_commands_refuse_out_of_range_options(cmd, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli(*cmd, debug=False)
    assert r.exit_code == 2, r.output
    assert list(tmp_path.iterdir()) == []


def test_unreachable_scheduler_gives_up_within_the_timeout():
    from socinvest.uncertainty.defaults import SCHEDULER_TIMEOUT

    assert SCHEDULER_TIMEOUT <= 5
    start = time.monotonic()
    r = cli("simulate", UNCERTAIN, "-n", "10", "--scheduler", "tcp://nonexistent.invalid:8786",
            debug=False)  # fmt: skip
    assert r.exit_code == 2 and "ingen Dask-scheduler svarer" in r.stderr
    assert time.monotonic() - start < SCHEDULER_TIMEOUT + 10


# -- B13: control characters and rich markup -------------------------------------------------


def test_docx_with_control_characters(tmp_path):
    import docx

    out = tmp_path / "h.docx"
    assert cli("report", LABELS, "-o", out).exit_code == 0
    text = "\n".join(
        c.text for t in docx.Document(str(out)).tables for row in t.rows for c in row.cells
    )
    assert "Styretegn[31mrød" in text
    assert not any(ch in text for ch in "\x00\x07\x1b\x7f\x85\x9b")


@pytest.mark.parametrize("command", ["show", "check", "report"])
def test_no_escape_sequence_or_markup_reaches_the_terminal(tmp_path, command):
    args = ["-o", tmp_path / "r.md"] if command == "report" else []
    r = cli(command, LABELS, *args)
    assert r.exit_code in (0, 1), r.output
    assert not any(ch in r.output for ch in "\x00\x07\x1b\x7f\x85\x9b")
    if command == "show":
        assert "[bold red]x[/]" in r.output
        assert "Styretegn[31mrød" in r.output
    if command == "check":
        assert "@SUM(1)[2J]0;pwned" in r.output


def test_clean_text():
    from socinvest.reports.safetext import clean_text

    assert clean_text("a\tb\nc") == "a\tb\nc"
    assert clean_text("".join(map(chr, range(0x20))) + "x\x7f\x80\x9f\xa0") == "\t\nx\xa0"
    assert clean_text("\x1b]0;title\x07ok") == "]0;titleok"


# -- B14: Markdown and HTML ------------------------------------------------------------------


def test_markdown_passes_no_html_and_no_links(tmp_path):
    out = tmp_path / "h.md"
    assert cli("report", LABELS, "-o", out).exit_code == 0
    md = out.read_text(encoding="utf-8")
    assert "<script>" not in md and "<b>" not in md
    assert not re.search(r"(?<!\\)\]\((javascript|data:text)", md)  # no link, no image
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "\\[x\\](javascript:alert(1))" in md
    # the report's own charts are the only links: SVG files beside it, by relative name
    links = [line for line in md.splitlines() if "](" in line and "\\](" not in line]
    assert links and all(re.search(r"\]\(h-figur-\d\.svg\)$", line) for line in links)


def test_html_is_autoescaped(tmp_path):
    out = tmp_path / "h.html"
    assert cli("report", LABELS, "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "<b>fed</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;fed&lt;/b&gt;" in html


def test_import_honours_the_umask_too(tmp_path):
    """`import` writes through the same safe writer (socinvest.output); same mode rule."""
    old = os.umask(0o027)
    try:
        out = tmp_path / "case.yaml"
        r = cli("import", FIXTURES / "tables" / "seed000_tabel1_samlede.txt", "-o", out)
    finally:
        os.umask(old)
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
