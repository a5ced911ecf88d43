"""Every command speaks the language it is asked for.

Each command runs in-process in Danish and in English on copies of the examples whose free
text (titles, labels, sources, notes — the user's own words, which stay as written) is replaced
by neutral ASCII. What is left in the output is then the tool's own wording, and a word of the
other language in it is a string that bypassed the catalogue.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from socinvest.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

# Keys whose string values are structure (ids, references, enums, paths, expressions), not text.
STRUCTURAL = {
    "id", "kind", "area", "funding", "sign", "unit", "horizon", "dist", "fte", "rate", "count",
    "price", "multiplier", "expr", "ramp", "type", "measure", "ladder", "case", "baseline",
    "redirect_to", "from", "to", "steps", "months", "payback", "basis", "status", "date",
    "years", "a", "b", "lines", "start", "engine", "initial_months", "price_level", "values",
    "value", "amounts", "step", "age", "ages", "stock", "bands", "owner", "committee",
    "repayment", "decision", "requested", "capital", "relative", "label_en", "discount",
    "parameter", "mode", "min", "max", "duration_bands", "age_bands", "of", "scope", "per", "row_kind", "method", "band", "direction", "move_to", "into", "target", "cap",
}  # fmt: skip


def _neutral(data, names: dict[str, str], key: str | None = None):
    """Replace free text by 'Text N' consistently (the same text, the same replacement), so
    that references by name (committees, owners) still match."""
    if isinstance(data, dict):
        return {
            k: _neutral(v, names, k if not isinstance(k, int) else key) for k, v in data.items()
        }
    if isinstance(data, list):
        return [_neutral(v, names, key) for v in data]
    if isinstance(data, str) and key not in STRUCTURAL and not re.fullmatch(r"[\d\s.,:%/-]+", data):
        return names.setdefault(data, f"Text {len(names) + 1}")
    return data


def _copy_neutral(src: Path, dst: Path, names: dict[str, str]) -> None:
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    dst.write_text(yaml.safe_dump(_neutral(data, names), allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lang")
    names: dict[str, str] = {}
    for p in EXAMPLES.glob("*.yaml"):
        # these refer to files beside the examples (a ladder scenario, ../data's catalogue)
        if p.name not in ("ladder-strategi.yaml", "tidlig-indsats-0-2-samfund.yaml"):
            _copy_neutral(p, root / p.name, names)
    (root / "pool").mkdir()
    for p in (EXAMPLES / "pool").glob("*.yaml"):
        _copy_neutral(p, root / "pool" / p.name, names)
    (root / "ladder").mkdir()
    for p in (EXAMPLES / "ladder").glob("*.yaml"):
        _copy_neutral(p, root / "ladder" / p.name, names)
    shutil.copy(EXAMPLES / "ladder" / "episodes.csv", root / "ladder" / "episodes.csv")
    table = ROOT / "tests" / "fixtures" / "tables" / "seed000_tabel1_varige.txt"
    text = table.read_text(encoding="utf-8")
    (root / "table.txt").write_text(text, encoding="utf-8")
    return root


def _commands(w: Path) -> dict[str, list[str]]:
    case = str(w / "tidlig-indsats-0-2.yaml")
    return {
        "check-case": ["check", case],
        "check-table": ["check", str(w / "table.txt")],
        "check-json": ["check", str(w / "table.txt"), "--json"],
        "show": ["show", case],
        "show-json": ["show", case, "--json"],
        "simulate": ["simulate", case, "--draws", "300"],
        "sensitivity": ["sensitivity", case],
        "sensitivity-minmax": ["sensitivity", case, "--minmax"],
        "pool-status": ["pool", "status", str(w / "pool" / "pool.yaml")],
        "pool-select": ["pool", "select", str(w / "pool" / "pool.yaml"), "--draws", "200"],
        "ladder-project": ["ladder", "project", str(w / "ladder" / "population.yaml")],
        "ladder-compare": ["ladder", "compare", str(w / "ladder" / "scenario.yaml")],
        "error-missing": ["show", str(w / "no-such-case.yaml")],
        "error-bad": [
            "check",
            str(ROOT / "tests" / "fixtures" / "bad" / "cases" / "unknown_key.yaml"),
        ],
    }


# Words of the tool's own wording: Danish ones must not appear in English output, and English
# ones not in Danish output. (Whole words; user text has been replaced by 'Text N'.)
DANISH = re.compile(
    r"[æøåÆØÅ]|\b(og|ikke|inden|samlet|tabel|figur|fejl|advarsel|bemærkning|beregnet|"
    r"angivet|besparelse|besparelser|udvalg|trin|børn|pulje|puljen|kilde|skrevet|mappe|"
    r"nutidsværdi|tilbagebetaling|horisonten|linje|linjer|i alt)\b",
    re.IGNORECASE,
)
ENGLISH = re.compile(
    r"\b(the|within|written|computed|savings|payback|warning|error|children|step|"
    r"not found|net present value|table \d|figure \d)\b",
    re.IGNORECASE,
)


def _words_of_user_text(out: str) -> str:
    """Remove what is not the tool's wording: 'Text N' placeholders, file paths, and the
    seed table's own labels (a pasted table keeps its labels in either language)."""
    out = re.sub(r"Text \d+", "", out)
    out = re.sub(r"/\S+", "", out)
    return out


@pytest.mark.parametrize("name", list(_commands(Path("/x"))))
def test_english_output_has_no_danish(work, name):
    args = _commands(work)[name]
    r = CliRunner().invoke(app, [*args, "--lang", "en"])
    assert r.exit_code in (0, 1, 2), r.output
    out = _words_of_user_text(r.output)
    if name.startswith("check-table") or name == "check-json":
        # the seed table's row labels are the document's own Danish words
        out = re.sub(r"'[^']*'", "", out)
        out = re.sub(r'"row": "[^"]*"', "", out)
        out = "\n".join(ln for ln in out.splitlines() if "Varige" not in ln and "│" not in ln)
    found = sorted({m.group(0) for m in DANISH.finditer(out)})
    assert not found, f"Danish left in English output of {name}: {found}\n{r.output[:3000]}"


@pytest.mark.parametrize("name", list(_commands(Path("/x"))))
def test_danish_output_has_no_english(work, name):
    args = _commands(work)[name]
    r = CliRunner().invoke(app, [*args, "--lang", "da"])
    assert r.exit_code in (0, 1, 2), r.output
    out = _words_of_user_text(r.output)
    if name.endswith("json"):
        out = "\n".join(
            json.dumps(v, ensure_ascii=False) for v in _json_texts(json.loads(r.output))
        )
    found = sorted({m.group(0) for m in ENGLISH.finditer(out)})
    assert not found, f"English left in Danish output of {name}: {found}\n{r.output[:3000]}"


WORDED = {
    "message",
    "text",
    "title",
    "caption",
    "note",
    "reason",
    "statement",
    "heading",
    "meaning",
}


def _json_texts(data, key: str | None = None):
    """The worded values of a JSON document (keys and codes are English identifiers by design;
    severities and codes are values for machines)."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _json_texts(v, k)
    elif isinstance(data, list):
        for v in data:
            yield from _json_texts(v, key)
    elif isinstance(data, str) and key in WORDED:
        yield data


def test_commands_differ_between_languages(work):
    """The English output is not the Danish one (a command that ignores --lang fails here)."""
    for name, args in _commands(work).items():
        if name.endswith("json"):
            continue
        da = CliRunner().invoke(app, [*args, "--lang", "da"]).output
        en = CliRunner().invoke(app, [*args, "--lang", "en"]).output
        assert da != en, name
