"""Bad case files: every one gives an InputError that names the file, the line (and column),
the key path, and says how to fix it; the CLI turns it into one line on stderr and exit 2.

The fixtures are in tests/fixtures/bad/cases/, one per kind of mistake, each otherwise valid.
Their first line is a comment saying what is wrong, so the line numbers below count it.

Tests marked xfail(strict=True) pin the *wanted* behaviour where load.py/resolve.py fall short
today; each reason says what is wrong. Remove the mark when the code is fixed.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from socinvest.case.load import load_case
from socinvest.engine.resolve import evaluate
from socinvest.errors import InputError

REPO = Path(__file__).resolve().parents[1]
BAD = REPO / "tests" / "fixtures" / "bad" / "cases"


@dataclass(frozen=True)
class Bad:
    """What the error for one fixture must say."""

    line: int | None  # 1-based line of the mistake (None: the whole file)
    col: int | None  # 1-based column
    key: str | None  # key path as printed, e.g. "lines[1].kind" (None: no key path)
    hints: tuple[str, ...]  # words that say how to fix it; "a|b": either a or b
    evaluate: bool = False  # the mistake is only found when computing
    anywhere: bool = False  # the located line may be any of the messages, not the first


EXPECTED: dict[str, Bad] = {
    "yaml_syntax": Bad(10, 11, None, ("indent|indryk",)),
    "not_a_mapping": Bad(2, 1, None, ("mapping", "key: value")),
    "empty": Bad(None, None, None, ("tom", "empty")),
    "duplicate_key": Bad(11, 5, "lines[0].label", ("given twice", "remove one")),
    "missing_required": Bad(2, 1, "unit", ("Field required", "add this key")),
    "wrong_enum": Bad(14, 5, "lines[1].kind", ("'cost', 'saving' or 'investment'",)),
    "wrong_type": Bad(13, 7, "lines[0].amounts[2026]", ("write a plain number",)),
    "unknown_key": Bad(13, 5, "lines[1].lable", ("unknown key", "spelling"), anywhere=True),
    "bad_year_range": Bad(11, 5, "lines[0].amounts", ("runs backwards", "write 2019-2029")),
    "year_outside_horizon": Bad(
        15, 5, "lines[1].amounts", ("year 2030", "outside the horizon 2025-2028", "widen")
    ),
    "overlapping_years": Bad(
        11, 5, "lines[0].amounts", ("year 2026 is given twice", "2025-2026 and 2026-2028")
    ),
    "both_amounts_and_driver": Bad(8, 5, "lines[0]", ("exactly one of 'amounts' or 'driver'",)),
    "no_amounts_nor_driver": Bad(12, 5, "lines[1]", ("exactly one of 'amounts' or 'driver'",)),
    "unknown_parameter": Bad(
        18,
        7,
        "lines[0].driver.rate",
        ("unknown parameter 'fte_rate'", "declare it under 'parameters'", "known: rate"),
    ),
    "unknown_name_in_expr": Bad(
        16,
        14,
        "lines[0].driver.expr",
        ("unknown name 'children'", "declare it under 'parameters'", "known: price"),
    ),
    "forbidden_expr": Bad(12, 7, "lines[0].driver.expr", ("not allowed", "min(), max() and abs()")),
    "forbidden_attribute": Bad(
        17, 7, "lines[0].driver.expr", ("'rate.real' is not allowed", "parameter names")
    ),
    "division_by_zero": Bad(
        24,
        14,
        "lines[1].driver.expr",
        ("2027", "division by zero", "check its parameters"),
    ),
    "allocation_not_summing": Bad(14, 5, "lines[0].allocation", ("sum to 0.9", "must sum to 1")),
    "unknown_committee": Bad(
        19,
        5,
        "lines[1].owner",
        ("unknown committee 'SU'", "declare it under 'committees'", "known: BU, SO"),
    ),
    "owner_and_allocation": Bad(11, 5, "lines[0]", ("either 'owner' or 'allocation', not both",)),
    "stated_unknown_line": Bad(
        15, 19, "stated[0].lines[1]", ("unknown line 'teams'", "known: team")
    ),
    "stated_two_forms": Bad(
        17, 5, "stated[1]", ("exactly one of 'values', 'total', 'share' or 'payback'",)
    ),
    "stated_payback_without_value": Bad(13, 5, "stated[0]", ("needs 'value'", "year number")),
    "horizon_backwards": Bad(6, 1, "horizon", ("runs backwards", "write 2025-2028")),
    "horizon_single_year": Bad(6, 1, "horizon", ("2019-2029|2025-2028",)),
    "bad_line_id": Bad(12, 5, "lines[1].id", ("letters|bogstav", "digits|cifre")),
    "duplicate_line_id": Bad(12, 5, "lines[1].id", ("line id 'team' is used twice",)),
    "driver_missing_rate": Bad(11, 5, "lines[0].driver.rate", ("Field required", "add this key")),
    "complex_key": Bad(12, 7, "lines[0].amounts", ("plain value",)),
    "tab_indent": Bad(8, 1, None, ("spaces|mellemrum",)),
    "unclosed_quote": Bad(3, 8, None, ("quote|anførselstegn",)),
    "reserved_parameter_name": Bad(12, 3, "parameters.t", ("'t' is reserved",)),
    "distribution_order": Bad(12, 5, "parameters.rate.uncertainty", ("min <= mode <= max",)),
    "distribution_not_relative": Bad(
        12, 5, "parameters.prevented.uncertainty", ("differs by year", "relative: true")
    ),
    "correlation_unknown": Bad(
        18, 15, "correlations[0].b", ("'fte' is not a parameter with an 'uncertainty'", "rate")
    ),
}

# Known shortfalls of load.py / resolve.py, pinned as strict xfails (none at present).
LOCATION_BUGS: dict[str, str] = {}
HINT_BUGS: dict[str, str] = {}


def _params(bugs: dict[str, str]) -> list:
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=bugs[n])) if n in bugs else n
        for n in EXPECTED
    ]


def _error(name: str) -> InputError:
    path = BAD / f"{name}.yaml"
    with pytest.raises(InputError) as info:
        case = load_case(path)
        if EXPECTED[name].evaluate:
            evaluate(case)
    return info.value


def test_every_fixture_is_tested():
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
def test_fixture_is_input_error_at_the_right_stage(name):
    path = BAD / f"{name}.yaml"
    if EXPECTED[name].evaluate:
        case = load_case(path)  # loads fine: the mistake shows only in the numbers
        with pytest.raises(InputError):
            evaluate(case)
    else:
        with pytest.raises(InputError):
            load_case(path)


@pytest.mark.parametrize("name", _params(LOCATION_BUGS))
def test_error_names_file_line_column_and_key_path(name):
    exp = EXPECTED[name]
    err = _error(name)
    where = str(BAD / f"{name}.yaml")
    if exp.line is not None:
        where += f":{exp.line}:{exp.col}"
    prefix = where + ": " + (f"{exp.key}: " if exp.key else "")
    lines = str(err).splitlines() if exp.anywhere else [err.message]
    assert any(ln.startswith(prefix) for ln in lines), f"wanted {prefix!r}, got:\n{err}"


@pytest.mark.parametrize("name", _params(HINT_BUGS))
def test_error_says_how_to_fix_it(name):
    # without the file name, so that a fixture's name cannot supply the hint
    text = str(_error(name)).replace(str(BAD / f"{name}.yaml"), "<file>")
    for hint in EXPECTED[name].hints:
        assert any(w in text for w in hint.split("|")), f"{hint!r} not in:\n{text}"


def test_no_union_tag_in_key_paths():
    text = str(_error("wrong_type"))
    assert not re.search(r"\.(float|str|int|dict)\b", text), text
    assert "lines[0].amounts[2026]" in text


def test_several_problems_are_all_reported():
    err = _error("unknown_key")
    assert len(err.details) == 1
    assert str(err).count(str(BAD / "unknown_key.yaml")) == 2


# -- files that are not text -----------------------------------------------------------


def test_binary_file(tmp_path):
    p = tmp_path / "case.yaml"
    p.write_bytes(b"id: x\n\x00\x01\x02\xff")
    with pytest.raises(InputError) as info:
        load_case(p)
    assert str(info.value).startswith(f"{p}: ")
    assert "binær fil" in str(info.value)


def test_invalid_utf8(tmp_path):
    p = tmp_path / "case.yaml"
    p.write_bytes("id: x\ntitle: Tidlig indsats for børn\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        load_case(p)
    text = str(info.value)
    assert "UTF-8" in text and "gem filen som UTF-8" in text


def test_invalid_utf8_names_the_line(tmp_path):
    p = tmp_path / "case.yaml"
    p.write_bytes("id: x\ntitle: Tidlig indsats for børn\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        load_case(p)
    assert str(info.value).startswith(f"{p}:2:28: ")


def test_utf8_with_bom_is_fine(tmp_path):
    good = (BAD / "wrong_enum.yaml").read_text(encoding="utf-8").replace("besparelse", "saving")
    p = tmp_path / "case.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + good.encode("utf-8"))
    assert load_case(p).lines[1].kind == "saving"


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n"])
def test_empty_files(tmp_path, text):
    p = tmp_path / "case.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="tom"):
        load_case(p)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="findes ikke"):
        load_case(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="mappe"):
        load_case(tmp_path)


# -- the CLI: exit 2, one line on stderr, no traceback -------------------------------------

HAS_RENDER = importlib.util.find_spec("socinvest.reports.check") is not None


def _start(command: str, name: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    rel = f"tests/fixtures/bad/cases/{name}.yaml"
    return subprocess.Popen(
        [sys.executable, "-m", "socinvest.cli", command, rel],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )


CLI_CASES = [
    pytest.param("show", "wrong_enum", id="show-wrong_enum"),
    pytest.param("show", "unknown_committee", id="show-unknown_committee"),
    pytest.param(
        "check",
        "year_outside_horizon",
        id="check-year_outside_horizon",
        marks=pytest.mark.skipif(not HAS_RENDER, reason="socinvest.reports.check not there yet"),
    ),
    pytest.param(
        "check",
        "stated_unknown_line",
        id="check-stated_unknown_line",
        marks=pytest.mark.skipif(not HAS_RENDER, reason="socinvest.reports.check not there yet"),
    ),
    pytest.param(
        "show",
        "division_by_zero",
        id="show-division_by_zero",
    ),
]


@pytest.fixture(scope="module")
def cli_runs() -> dict[tuple[str, str], tuple[int, str, str]]:
    """Run every CLI case at once (in parallel: each is a whole Python start-up)."""
    procs = {tuple(p.values): _start(*p.values) for p in CLI_CASES}
    out = {}
    for key, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=60)
        out[key] = (proc.returncode, stdout, stderr)
    return out


@pytest.mark.parametrize(("command", "name"), CLI_CASES)
def test_cli_exit_2_one_line(cli_runs, command, name):
    exp = EXPECTED[name]
    rel = f"tests/fixtures/bad/cases/{name}.yaml"
    returncode, stdout, stderr = cli_runs[(command, name)]
    assert "Traceback" not in stderr
    assert returncode == 2, stderr
    assert stdout == ""
    lines = stderr.rstrip("\n").splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"fejl: {rel}:{exp.line}:{exp.col}: {exp.key}: "), lines[0]
