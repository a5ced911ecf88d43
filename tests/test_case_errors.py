"""Bad case files: every one gives an InputError that names the file, the line (and column),
the key path, and says how to fix it, in Danish (`str(e)`) and in English (`e.render("en")`);
the CLI turns it into one line on stderr and exit 2.

The fixtures are in tests/fixtures/bad/cases/, one per kind of mistake, each otherwise valid.
Their first line is a comment saying what is wrong, so the line numbers below count it.
The Danish messages below are written by hand from the catalogue's wording (the msgids in
socinvest/case); the English checks name the words an English reader needs.

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

from socinvest.engine.resolve import evaluate
from socinvest.errors import InputError
from socinvest.services.case import load_case

REPO = Path(__file__).resolve().parents[1]
BAD = REPO / "tests" / "fixtures" / "bad" / "cases"


@dataclass(frozen=True)
class Bad:
    """What the error for one fixture must say."""

    line: int | None  # 1-based line of the mistake (None: the whole file)
    col: int | None  # 1-based column
    key: str | None  # key path as printed, e.g. "lines[1].kind" (None: no key path)
    da: str  # the Danish message after `file:line:col: key: `, exactly
    en: tuple[str, ...]  # words the English message must contain
    evaluate: bool = False  # the mistake is only found when computing
    anywhere: bool = False  # the located line may be any of the messages, not the first


ALLOWED = "tal, parameternavne, year, t, + - * / **, parenteser, min(), max(), abs()"
EXPECTED: dict[str, Bad] = {
    "yaml_syntax": Bad(
        10,
        11,
        None,
        "YAML-fejl: et 'nøgle: værdi'-par er ikke tilladt her – tjek indrykningen, og sæt "
        "tekst, der indeholder ': ', i anførselstegn",
        ("YAML error", "mapping values are not allowed here", "check the indentation"),
    ),
    "not_a_mapping": Bad(
        2,
        1,
        None,
        "en case-fil skal være en YAML-mapping (linjer med nøgle: værdi), ikke en liste eller "
        "en enkelt værdi",
        ("a case file must be a YAML mapping", "key: value", "not a list"),
    ),
    "empty": Bad(None, None, None, "filen er tom", ("the file is empty",)),
    "duplicate_key": Bad(
        11,
        5,
        "lines[0].label",
        "nøglen 'label' er angivet to gange; fjern den ene",
        ("the key 'label' is given twice", "remove one"),
    ),
    "missing_required": Bad(
        2, 1, "unit", "nøglen mangler – tilføj denne nøgle", ("Field required", "add this key")
    ),
    "wrong_enum": Bad(
        14,
        5,
        "lines[1].kind",
        "skal være 'cost', 'saving' eller 'investment' – skriv 'saving' (case-filen bruger "
        "engelske værdier)",
        ("should be 'cost', 'saving' or 'investment'", "write 'saving'", "English values"),
    ),
    "wrong_type": Bad(
        13,
        7,
        "lines[0].amounts[2026]",
        "skal være et tal; teksten kan ikke læses som et tal – skriv et tal med '.' som "
        "decimaltegn, fx 7500 eller 0.5",
        ("valid number", "write a plain number", "decimal point"),
    ),
    "unknown_key": Bad(
        13,
        5,
        "lines[1].lable",
        "nøglen er ikke tilladt her – ukendt nøgle; mente du 'label'? (tjek stavningen)",
        ("unknown key", "did you mean 'label'", "spelling"),
        anywhere=True,
    ),
    "bad_year_range": Bad(
        11,
        5,
        "lines[0].amounts",
        "intervallet '2029-2019' går baglæns; skriv 2019-2029",
        ("runs backwards", "write 2019-2029"),
    ),
    "year_outside_horizon": Bad(
        15,
        5,
        "lines[1].amounts",
        "år 2030 ligger uden for horisonten 2025-2028; fjern det eller udvid 'horizon'",
        ("year 2030", "outside the horizon 2025-2028", "widen"),
    ),
    "overlapping_years": Bad(
        11,
        5,
        "lines[0].amounts",
        "år 2026 er angivet to gange (2025-2026 og 2026-2028)",
        ("year 2026 is given twice", "2025-2026 and 2026-2028"),
    ),
    "both_amounts_and_driver": Bad(
        8,
        5,
        "lines[0]",
        "angiv præcis én af 'amounts' eller 'driver'",
        ("exactly one of 'amounts' or 'driver'",),
    ),
    "no_amounts_nor_driver": Bad(
        12,
        5,
        "lines[1]",
        "angiv præcis én af 'amounts' eller 'driver'",
        ("exactly one of 'amounts' or 'driver'",),
    ),
    "unknown_parameter": Bad(
        18,
        7,
        "lines[0].driver.rate",
        "ukendt parameter 'fte_rate'; angiv den under 'parameters' (kendte: rate)",
        ("unknown parameter 'fte_rate'", "declare it under 'parameters'", "known: rate"),
    ),
    "unknown_name_in_expr": Bad(
        16,
        14,
        "lines[0].driver.expr",
        "ukendt navn 'children' i udtrykket; angiv det under 'parameters' (kendte: price)",
        ("unknown name 'children'", "declare it under 'parameters'", "known: price"),
    ),
    "forbidden_expr": Bad(
        12,
        7,
        "lines[0].driver.expr",
        """kaldet "__import__('os').system" er ikke tilladt; kun min(), max() og abs()""",
        ("not allowed", "only min(), max() and abs()"),
    ),
    "forbidden_attribute": Bad(
        17,
        7,
        "lines[0].driver.expr",
        f"'rate.real' er ikke tilladt; tilladt: {ALLOWED}",
        ("'rate.real' is not allowed", "parameter names", "parentheses"),
    ),
    "division_by_zero": Bad(
        24,
        14,
        "lines[1].driver.expr",
        "driveren giver intet endeligt beløb i 2027 (division med nul?); kontrollér dens "
        "parametre for det år",
        ("2027", "division by zero", "check its parameters"),
    ),
    "allocation_not_summing": Bad(
        14,
        5,
        "lines[0].allocation",
        "andelene i 'allocation' summerer til 0.9; de skal summere til 1 (fx 0.6 og 0.4)",
        ("sum to 0.9", "must sum to 1"),
    ),
    "unknown_committee": Bad(
        19,
        5,
        "lines[1].owner",
        "ukendt udvalg 'SU'; angiv det under 'committees' (kendte: BU, SO)",
        ("unknown committee 'SU'", "declare it under 'committees'", "known: BU, SO"),
    ),
    "owner_and_allocation": Bad(
        11,
        5,
        "lines[0]",
        "angiv enten 'owner' eller 'allocation', ikke begge",
        ("either 'owner' or 'allocation', not both",),
    ),
    "stated_unknown_line": Bad(
        15,
        19,
        "stated[0].lines[1]",
        "ukendt linje 'teams' (kendte: team)",
        ("unknown line 'teams'", "known: team"),
    ),
    "stated_two_forms": Bad(
        17,
        5,
        "stated[1]",
        "angiv præcis én af 'values', 'total', 'share' eller 'payback'",
        ("exactly one of 'values', 'total', 'share' or 'payback'",),
    ),
    "stated_payback_without_value": Bad(
        13,
        5,
        "stated[0]",
        "en angivet tilbagebetalingstid skal have 'value' (årets nummer, fx 6)",
        ("needs 'value'", "year number"),
    ),
    "horizon_backwards": Bad(
        6,
        1,
        "horizon",
        "intervallet '2028-2025' går baglæns; skriv 2025-2028",
        ("runs backwards", "write 2025-2028"),
    ),
    "horizon_single_year": Bad(
        6,
        1,
        "horizon",
        "skriv horisonten som et interval af år, fx 2025-2028",
        ("range of years", "2025-2028"),
    ),
    "bad_line_id": Bad(
        12,
        5,
        "lines[1].id",
        "ikke et gyldigt navn – brug kun bogstaver, cifre og _, og begynd med et bogstav",
        ("not a valid identifier", "letters, digits and _"),
    ),
    "duplicate_line_id": Bad(
        12,
        5,
        "lines[1].id",
        "linje-id 'team' bruges to gange; id'er skal være entydige",
        ("line id 'team' is used twice", "unique"),
    ),
    "driver_missing_rate": Bad(
        11,
        5,
        "lines[0].driver.rate",
        "nøglen mangler – tilføj denne nøgle",
        ("Field required", "add this key"),
    ),
    "complex_key": Bad(
        12,
        7,
        "lines[0].amounts",
        "en nøgle skal være en enkelt værdi som 2025 eller 2025-2027, ikke en liste eller en "
        "mapping",
        ("plain value", "not a list or mapping"),
    ),
    "tab_indent": Bad(
        8,
        1,
        None,
        "YAML-fejl: tegnet '\\t' kan ikke stå her – brug mellemrum til indrykning, ikke "
        "tabulatorer",
        ("YAML error", "cannot start any token", "use spaces for indentation, not tabs"),
    ),
    "unclosed_quote": Bad(
        3,
        8,
        None,
        "YAML-fejl: en tekst i anførselstegn lukkes aldrig (filen slutter uventet) – luk det "
        "anførselstegn eller den parentes, der blev åbnet",
        ("quoted scalar that is never closed", "close the quote"),
    ),
    "reserved_parameter_name": Bad(
        12,
        3,
        "parameters.t",
        "navnet 't' er reserveret (year, t, min, max, abs); vælg et andet navn",
        ("'t' is reserved", "choose another name"),
    ),
    "distribution_order": Bad(
        12,
        5,
        "parameters.rate.uncertainty",
        "kræver min <= mode <= max og min < max",
        ("need min <= mode <= max with min < max",),
    ),
    "distribution_not_relative": Bad(
        12,
        5,
        "parameters.prevented.uncertainty",
        "værdien varierer fra år til år: angiv usikkerheden som en faktor (relative: true, "
        "fx triangular 0.8, 1, 1.2)",
        ("differs by year", "multiplier", "relative: true"),
    ),
    "correlation_unknown": Bad(
        18,
        15,
        "correlations[0].b",
        "'fte' er ikke en parameter med 'uncertainty' (kendte: rate)",
        ("'fte' is not a parameter with an 'uncertainty'", "known: rate"),
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


def _prefix(name: str) -> str:
    exp = EXPECTED[name]
    where = str(BAD / f"{name}.yaml")
    if exp.line is not None:
        where += f":{exp.line}:{exp.col}"
    return where + ": " + (f"{exp.key}: " if exp.key else "")


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
    err = _error(name)
    prefix = _prefix(name)
    lines = str(err).splitlines() if EXPECTED[name].anywhere else [str(err.message)]
    assert any(ln.startswith(prefix) for ln in lines), f"wanted {prefix!r}, got:\n{err}"


@pytest.mark.parametrize("name", _params(HINT_BUGS))
def test_error_says_how_to_fix_it_in_danish(name):
    err = _error(name)
    wanted = _prefix(name) + EXPECTED[name].da
    lines = str(err).splitlines() if EXPECTED[name].anywhere else [str(err.message)]
    assert wanted in lines, f"wanted:\n{wanted}\ngot:\n{err}"


@pytest.mark.parametrize("name", EXPECTED)
def test_error_says_how_to_fix_it_in_english(name):
    err = _error(name)
    # without the file name, so that a fixture's name cannot supply the words
    text = err.render("en").replace(str(BAD / f"{name}.yaml"), "<file>")
    assert text.startswith(_prefix(name).replace(str(BAD / f"{name}.yaml"), "<file>")) or (
        EXPECTED[name].anywhere
    ), text
    for words in EXPECTED[name].en:
        assert words in text, f"{words!r} not in:\n{text}"
    assert len(text.splitlines()) == len(str(err).splitlines())  # same lines, other words


_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
ENGLISH_WORDS = (
    " the ",
    "write ",
    "remove ",
    " is ",
    " must ",
    "should",
    "Field ",
    "unknown",
    "declare",
    "given twice",
    "allowed:",
    " or ",
    "check ",
    "add ",
    "e.g.",
    "error",
)
DANISH_WORDS = (" og ", " eller ", "ikke ", "skal ", "fx ", "kendte", "angiv", "ukendt", "fejl")


def _outside_quotes(text: str, name: str) -> str:
    """The message's own words: without the file name and without quoted user content."""
    return _QUOTED.sub("''", text.replace(str(BAD / f"{name}.yaml"), "<file>"))


@pytest.mark.parametrize("name", EXPECTED)
def test_danish_message_has_no_english_words(name):
    text = _outside_quotes(str(_error(name)), name)
    found = [w for w in ENGLISH_WORDS if w in text]
    assert not found, f"English {found} in:\n{text}"


@pytest.mark.parametrize("name", EXPECTED)
def test_english_message_has_no_danish(name):
    text = _outside_quotes(_error(name).render("en"), name)
    assert not re.search("[æøåÆØÅ]", text), text
    found = [w for w in DANISH_WORDS if w in text]
    assert not found, f"Danish {found} in:\n{text}"


# -- pydantic's error types and PyYAML's problems, worded by the catalogue -----------------

GOOD = """id: x
title: Invented
unit: 1.000 kr.
price_level: 2024
horizon: 2025-2028
lines:
  - id: team
    label: Team
    kind: cost
    amounts: {2025-2028: 1000}
"""

# (text, Danish message, English message), each after the location; written by hand.
SHAPES = {
    "too_short": (
        GOOD.split("lines:")[0] + "lines: []\n",
        "6:1: lines: listen skal have mindst 1 element, ikke 0 – tilføj mindst ét element",
        "6:1: lines: List should have at least 1 item after validation, not 0 – add at least "
        "one item",
    ),
    "less_than_equal": (
        GOOD + "discount: {rate: 5}\n",
        "11:12: discount.rate: skal være højst 1",
        "11:12: discount.rate: Input should be less than or equal to 1",
    ),
    "greater_than": (
        GOOD + "parameters:\n  p: {value: 1, unit: a, source: b, "
        "uncertainty: {dist: normal, mean: 1, sd: 0}}\n",
        "12:74: parameters.p.uncertainty.sd: skal være større end 0",
        "12:74: parameters.p.uncertainty.sd: Input should be greater than 0",
    ),
    "union_tag_invalid": (
        GOOD + "parameters:\n  p: {value: 1, unit: a, source: b, uncertainty: {dist: foo}}\n",
        "12:37: parameters.p.uncertainty: 'foo' er ikke en af de mulige værdier for 'dist': "
        "'triangular', 'pert', 'uniform', 'normal', 'lognormal', 'beta', 'discrete'",
        "12:37: parameters.p.uncertainty: Input tag 'foo' found using 'dist' does not match any "
        "of the expected tags: 'triangular', 'pert', 'uniform', 'normal', 'lognormal', 'beta', "
        "'discrete'",
    ),
    "literal_error": (
        GOOD.replace("amounts: {2025-2028: 1000}", "driver: {ladder: l.yaml, measure: x}"),
        "10:30: lines[0].driver.measure: skal være 'savings', 'baseline_cost' eller 'scenario_cost'",
        "10:30: lines[0].driver.measure: Input should be 'savings', 'baseline_cost' or "
        "'scenario_cost'",
    ),
    "driver_type": (
        GOOD.replace("amounts: {2025-2028: 1000}", "driver: {rte: 1}"),
        "10:5: lines[0].driver: en driver skal have en af nøglerne 'fte' (med 'rate'), "
        "'count' (med 'price'), 'expr' eller 'ladder'",
        "10:5: lines[0].driver: a driver needs one of the keys 'fte' (with 'rate'), 'count' "
        "(with 'price'), 'expr' or 'ladder'",
    ),
    "int_from_float": (
        GOOD.replace("price_level: 2024", "price_level: 2024.5"),
        "4:1: price_level: skal være et heltal, men tallet har decimaler – skriv et helt tal, "
        "fx 2017",
        "4:1: price_level: Input should be a valid integer, got a number with a fractional part "
        "– write a whole number, e.g. 2017",
    ),
    "string_too_short": (
        GOOD.replace("label: Team", "label: ''"),
        "8:5: lines[0].label: teksten skal have mindst 1 tegn",
        "8:5: lines[0].label: String should have at least 1 character",
    ),
    "yaml_context": (
        "a: 1\nb\nc: 2\n",
        "3:1: YAML-fejl: kolonet ':' efter en nøgle mangler (i en nøgle før ':', der begynder i "
        "linje 2, kolonne 1) – tjek indrykningen, og at hver nøgle slutter med ':'",
        "3:1: YAML error: could not find expected ':' (while scanning a simple key at line 2, "
        "column 1) – check the indentation, and that each key ends with ':'",
    ),
    "yaml_flow": (
        "a: [1, 2\nb: 3\n",
        "2:2: YAML-fejl: forventede ',' eller ']', men fandt ':' (i en liste i [ ], der begynder "
        "i linje 1, kolonne 4)",
        "2:2: YAML error: expected ',' or ']', but found ':' (while parsing a flow sequence at "
        "line 1, column 4)",
    ),
}


@pytest.mark.parametrize("name", SHAPES)
def test_parser_errors_are_worded_by_the_catalogue(name):
    from socinvest.case.load import parse_case

    text, da, en = SHAPES[name]
    with pytest.raises(InputError) as info:
        parse_case(text, "c.yaml")
    assert str(info.value.message) == f"c.yaml:{da}"
    assert info.value.render("en").splitlines()[0] == f"c.yaml:{en}"


def test_input_error_takes_plain_text_and_catalogue_messages():
    from socinvest.i18n import Join, Msg

    plain = InputError("x.csv: noget er galt", ["x.csv:2: mere"])
    assert str(plain) == plain.render("en") == "x.csv: noget er galt\nx.csv:2: mere"
    worded = InputError(Join(("x.yaml: ", Msg("filen er tom"))), [Msg("filen findes ikke")])
    assert str(worded) == "x.yaml: filen er tom\nfilen findes ikke"
    assert worded.render("en") == "x.yaml: the file is empty\nfile not found"


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
    assert str(info.value) == f"{p}: binær fil – forventede tekst (YAML eller en indsat tabel)"
    assert info.value.render("en") == f"{p}: binary file – expected text (YAML or a pasted table)"


def test_invalid_utf8(tmp_path):
    p = tmp_path / "case.yaml"
    p.write_bytes("id: x\ntitle: Tidlig indsats for børn\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        load_case(p)
    assert str(info.value).endswith(": ikke gyldig UTF-8; gem filen som UTF-8 og prøv igen")
    assert info.value.render("en").endswith(
        ": not valid UTF-8; save the file as UTF-8 and try again"
    )


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
    with pytest.raises(InputError) as info:
        load_case(p)
    assert str(info.value) == f"{p}: filen er tom"
    assert info.value.render("en") == f"{p}: the file is empty"


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError) as info:
        load_case(tmp_path / "nope.yaml")
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}: filen findes ikke"
    assert info.value.render("en") == f"{tmp_path / 'nope.yaml'}: file not found"
    with pytest.raises(InputError) as info:
        load_case(tmp_path)
    assert str(info.value) == f"{tmp_path}: er en mappe, ikke en fil"
    assert info.value.render("en") == f"{tmp_path}: is a directory, not a file"


def test_too_large_file(tmp_path, monkeypatch):
    import socinvest.case.load as load

    p = tmp_path / "case.yaml"
    p.write_bytes(b"x" * 2_500_000)  # 2.4 MB, rounded up to 3
    monkeypatch.setattr(load, "MAX_BYTES", 2 * 2**20)
    with pytest.raises(InputError) as info:
        load.load_case(p)
    assert str(info.value) == f"{p}: filen er for stor (3 MB; højst 2 MB)"
    assert info.value.render("en") == f"{p}: the file is too large (3 MB; at most 2 MB)"


# -- the CLI: exit 2, one line on stderr, no traceback -------------------------------------

HAS_RENDER = importlib.util.find_spec("socinvest.reports.check") is not None


def _start(command: str, name: str, *options: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    rel = f"tests/fixtures/bad/cases/{name}.yaml"
    return subprocess.Popen(
        [sys.executable, "-m", "socinvest.cli", command, rel, *options],
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
    procs[("show", "wrong_enum", "--lang", "en")] = _start("show", "wrong_enum", "--lang", "en")

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


def test_cli_words_the_error_in_the_command_language(cli_runs):
    """`--lang en`: the same located line, in English (written by hand, not captured)."""
    rel = "tests/fixtures/bad/cases/wrong_enum.yaml"
    returncode, stdout, stderr = cli_runs[("show", "wrong_enum", "--lang", "en")]
    assert returncode == 2 and stdout == "" and "Traceback" not in stderr
    assert stderr == (
        f"error: {rel}:14:5: lines[1].kind: Input should be 'cost', 'saving' or 'investment' – "
        "write 'saving' (the case file uses English values)\n"
    )
    _, _, danish = cli_runs[("show", "wrong_enum")]
    assert danish == (
        f"fejl: {rel}:14:5: lines[1].kind: skal være 'cost', 'saving' eller 'investment' – "
        "skriv 'saving' (case-filen bruger engelske værdier)\n"
    )
