"""The bounded fuzz run in `make test` (issue 10 B, docs/fuzzing.md).

A fixed seed gives the same few hundred inputs every run: damaged and generated case files,
pasted tables, spreadsheets, pool, ladder, episode and follow-up files, and option values. Each
runs in a worker process (tests/fuzz/) and must keep the invariant: exit 0, 1 or 2 within 10 s
and 1,5 GB, no traceback, strict JSON from --json, no warning, and no file touched but the
declared output. A failure names the input kind, the command and the folder the input was
saved to; `python -m tests.fuzz --replay FOLDER` runs it again. `make fuzz` runs for minutes.

The harness's own tests come first: each part of the invariant is shown to catch a breach.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.fuzz.harness import GENERATORS, Result, inputs, judge, strict_json, touched
from tests.fuzz.model import Input, report_outputs
from tests.fuzz.runner import Report, run

SEED = 20261130
COUNT = 240  # 10-20 s on 2 workers, depending on the load


# -- the harness catches each breach ---------------------------------------------------------------


def test_strict_json_refuses_nan_and_infinity():
    assert strict_json('{"a": [1, 2.5, null]}') == ""
    assert "NaN" in strict_json('{"a": NaN}')
    assert "Infinity" in strict_json('{"a": -Infinity}')
    assert strict_json("{'a': 1}") != ""
    assert strict_json("") != ""


def test_touched_allows_only_the_declared_output():
    before = {"case.yaml": (0o100644, 3, "aa"), "d": (0o40755, 10, "")}
    after = {"case.yaml": (0o100644, 4, "bb"), "d": (0o40755, 20, ""), "out.md": (0o100644, 1, "c"),
             "d/.out.md.tmp": (0o100600, 1, "d")}  # fmt: skip
    assert touched(before, after, ("out.md",)) == ["changed: case.yaml", "created: d/.out.md.tmp"]
    figures = {**before, "out-figur-1.svg": (0o100644, 1, "e"), "outx": (0o100644, 1, "f")}
    assert touched(before, figures, report_outputs("out.md")) == ["created: outx"]
    assert touched(before, {k: v for k, v in before.items() if k != "d"}, ()) == ["deleted: d"]


def _judge(code: int, stdout: str = "", stderr: str = "", json_out: bool = False) -> Result:
    res = {"exit": code, "stdout": stdout, "stderr": stderr, "uncaught": False, "error": "",
           "etype": "", "elapsed": 0.1, "warnings": []}  # fmt: skip
    return judge(Input("case", ("show", "case.yaml"), json=json_out), res, "", [])


def test_judge_flags_exit_3_tracebacks_and_bad_json():
    assert _judge(0).failures == [] and _judge(1).failures == [] and _judge(2).failures == []
    assert _judge(3).failures == ["exit3"]
    assert _judge(2, stderr="Traceback (most recent call last):\n").failures == ["traceback"]
    assert _judge(0, stdout='{"npv": NaN}', json_out=True).failures == ["invalid-json"]
    assert _judge(2, stdout="", json_out=True).failures == []  # an error: no JSON promised


def test_the_runner_catches_hangs_memory_stray_files_and_bugs():
    probes = [
        Input("probe", ("5",), call="tests.fuzz.probes:sleep"),
        Input("probe", ("4",), call="tests.fuzz.probes:allocate"),
        Input("probe", ("stray.txt",), call="tests.fuzz.probes:stray"),
        Input("probe", ("stray.txt",), outputs=("stray.txt",), call="tests.fuzz.probes:stray"),
        Input("probe", ("x",), call="tests.fuzz.probes:bug"),
        Input("probe", ("0",), call="tests.fuzz.probes:sleep"),
    ]
    seen: list[Result] = []
    run(iter(enumerate(probes)), count=len(probes), workers=1, timeout=2.0,
        on_result=lambda r, _: seen.append(r))  # fmt: skip
    assert [r.failures for r in seen] == [["hang"], ["memory"], ["touched"], [], ["exit3"], []]
    assert "KeyError" in seen[4].signature


def test_an_input_is_reproduced_from_its_seed_and_its_saved_folder(tmp_path):
    first = next(inputs(7))[1]
    assert next(inputs(7))[1] == first
    again = Input.from_json(first.to_json())
    assert again == first
    folder = first.save(tmp_path / "saved")
    assert (folder / "command.txt").read_text().startswith("cd files && ")
    for rel, data in first.files.items():
        assert (folder / "files" / rel).read_bytes() == data


@pytest.mark.parametrize("kind", sorted(GENERATORS))
def test_every_generator_makes_inputs(kind):
    made = [GENERATORS[kind](random.Random(f"{SEED}:{i}")) for i in range(5)]
    assert all(inp.kind == kind and inp.argv for inp in made)
    assert len({inp.to_json() for inp in made}) > 1  # not one input five times


# -- the bounded run ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory) -> tuple[Report, Path]:
    out = tmp_path_factory.mktemp("fuzz")
    report = run(inputs(SEED), count=COUNT, workers=2)
    for _sig, hits in report.classes.items():
        for r, inp in hits:
            if inp.argv:
                inp.save(out / f"{r.kind}-{r.seed.replace(':', '-')}")
    return report, out


def test_the_run_covers_every_kind(fuzzed):
    report, _ = fuzzed
    assert report.total == COUNT
    assert set(report.kinds) == set(GENERATORS), report.text()
    assert all(report.kinds[k] >= 10 for k in GENERATORS), report.text()
    assert report.outcomes["exit0"] + report.outcomes["exit1"] >= COUNT // 20, report.text()


@pytest.mark.parametrize("kind", sorted(GENERATORS))
def test_every_input_keeps_the_invariant(fuzzed, kind):
    report, out = fuzzed
    bad = [(sig, hits) for sig, hits in report.classes.items() if hits[0][0].kind == kind]
    lines = []
    for sig, hits in bad:
        r, inp = hits[0]
        folder = out / f"{r.kind}-{r.seed.replace(':', '-')}"
        lines.append(f"{len(hits)} × {sig}\n    command: {inp.command()}\n    input:   {folder}"
                     f"\n    replay:  python -m tests.fuzz --replay {folder}\n    {r.detail[-600:]}")  # fmt: skip
    assert not bad, f"{kind}: the invariant broke\n" + "\n".join(lines)


# -- regressions: failure classes the fuzzer found, each as its minimal input ----------------------


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_control_character_in_a_yaml_file_is_refused_at_its_position(tmp_path, lang):
    """ReaderError from PyYAML's character check was an exit 3 (it came before parsing). The
    character is named by its code point, never echoed: ESC would reach the terminal."""
    from .conftest import cli

    p = tmp_path / "case.yaml"
    p.write_text('id: a\ntitle: "x\x1b[31m"\n', encoding="utf-8")
    r = cli("check", p, "--lang", lang, debug=False)
    assert r.exit_code == 2, r.output
    expected = {
        "da": "fejl: {p}:2:10: tegnet U+001B er ikke tilladt i en YAML-fil (et styretegn eller et "
        "ugyldigt tegn); fjern det",
        "en": "error: {p}:2:10: the character U+001B is not allowed in a YAML file (a control or "
        "invalid character); remove it",
    }[lang]
    assert r.stderr.strip() == expected.format(p=p)
    assert "\x1b" not in r.stderr


@pytest.mark.parametrize(
    ("committees", "expected"),
    [
        ("{SOU: Socialudvalget}", ":9:6: lines[0].owner: ukendt udvalg ''; angiv det under "
         "'committees' (kendte: SOU)"),
        ("{'': Tomt, SOU: Socialudvalget}", ":6:14: committees.: et udvalgs id må ikke være tomt"),
    ],
)  # fmt: skip
def test_an_empty_committee_id_is_refused(tmp_path, committees, expected):
    """`owner: ''` passed the reference check (an empty owner read as "no owner") and the
    engine failed on it with exit 3; '' as a committee's own id would do the same."""
    from .conftest import cli

    p = tmp_path / "case.yaml"
    p.write_text(
        "id: a\ntitle: T\nunit: kr.\nprice_level: 2025\nhorizon: 2025-2026\n"
        f"committees: {committees}\nlines:\n  - {{id: x, label: Udgift, kind: cost,\n"
        "     owner: '', amounts: 100}\n",
        encoding="utf-8",
    )
    r = cli("check", p, debug=False)
    assert r.exit_code == 2, r.output
    assert r.stderr.strip() == f"fejl: {p}{expected}"


@pytest.mark.parametrize(
    ("value", "da", "en"),
    [
        ("2025-02-30", "datoen '2025-02-30' findes ikke", "the date '2025-02-30' does not exist"),
        ("9" * 5000, "værdien '99999999999999999999…' kan ikke læses (et tal med for mange cifre)",
         "the value '99999999999999999999…' cannot be read (a number with too many digits)"),
    ],
)  # fmt: skip
def test_a_scalar_yaml_cannot_build_is_refused_at_its_position(tmp_path, value, da, en):
    """PyYAML matches `2025-02-30` as a date and 5.000 digits as an integer, then fails to build
    them with a ValueError (Python's 4.300-digit limit): that was an exit 3, in a case, a pool
    or a ladder file alike."""
    from .conftest import cli

    p = tmp_path / "case.yaml"
    p.write_text(
        "id: a\ntitle: T\nunit: kr.\nprice_level: 2025\nhorizon: 2025-2026\n"
        f"summary: {value}\nlines:\n  - {{id: x, label: U, kind: cost, amounts: 1}}\n",
        encoding="utf-8",
    )
    for lang, text in (("da", f"fejl: {p}:6:10: {da}"), ("en", f"error: {p}:6:10: {en}")):
        r = cli("check", p, "--lang", lang, debug=False)
        assert (r.exit_code, r.stderr.strip()) == (2, text)
