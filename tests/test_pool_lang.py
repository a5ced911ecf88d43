"""`socinvest pool … --lang da|en`: the domain returns codes and parameters (no worded text),
presentation words them through the catalogue; Danish as before, English everywhere."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from socinvest.cli import app
from socinvest.i18n import Join, Msg, translations
from socinvest.pool.params import Money
from socinvest.reports.pool.labels import KIND, LABELS, SCOPE, STATUS, UNIT
from socinvest.services.pool import load_pool, pool_selection, pool_status

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "pool" / "pool.yaml")
TWO = str(ROOT / "tests" / "fixtures" / "pool" / "two_cases.yaml")
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["pool", *args])


# -- the domain returns codes and parameters --------------------------------------------------


def _leaves(text: Any) -> list[Any]:
    """The parameters of a lazy message, recursively (msgids are not parameters)."""
    if isinstance(text, Join):
        return [x for p in text.parts for x in _leaves(p)]
    if isinstance(text, Money):
        return [text]
    if isinstance(text, Msg):
        return [x for v in text.params.values() for x in _leaves(v)]
    return [text]


DANISH = re.compile(r"[æøå]|\b(og|af|er|ikke|inde|ude|mio|år|puljen?s?)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def example():
    return load_pool(EXAMPLE)


def test_findings_and_reasons_are_lazy_messages_with_numbers(example):
    status = pool_status(example)
    sel = pool_selection(example, "npv", draws=0)
    texts = [f.message for f in status.findings] + [f.message for f in sel.findings]
    texts += [c.reason for c in sel.selection.choices]
    texts += [c.alternative_text for c in sel.selection.choices if c.alternative_text]
    assert texts
    ids = {f"'{a.id}'" for a in example.pool.applications}
    for t in texts:
        assert isinstance(t, Msg | Join), t  # never a worded string
        for leaf in _leaves(t):
            if isinstance(leaf, str):
                assert leaf in ids or re.fullmatch(r"[\d\-, ]+", leaf), leaf
                assert not DANISH.search(leaf), leaf
            else:
                assert isinstance(leaf, int | float | Money | Msg), leaf
    # amounts are numbers in the pool's unit, not text
    before = next(f for f in status.findings if f.code == "POOL_REPAY_BEFORE_SAVINGS")
    money = [x for x in _leaves(before.message) if isinstance(x, Money)]
    assert [m.value for m in money] == [before.stated, before.computed] == [1000.0, 500.0]
    # each choice says why with a code as well
    assert {c.why for c in sel.selection.choices} <= {
        "approved",
        "rejected",
        "rule",
        "infeasible",
        "best",
        "ranked",
        "not_positive",
        "no_room",
        "no_gain",
    }


def test_every_label_has_an_english_translation():
    en = translations("en")
    msgids = [*LABELS.values(), *STATUS.values(), *KIND.values(), *SCOPE.values()]
    missing = [
        m
        for m in msgids
        if en.gettext(m) == m and m not in ("Status", "NPV", "ROI", "P50 (median)")
    ]
    assert not missing, missing
    assert en.gettext(UNIT["1.000 kr."]) == "1,000 kr."


def test_unknown_language_is_refused():
    assert run("status", TWO, "--lang", "de").exit_code == 2


# -- Danish -----------------------------------------------------------------------------------


def test_danish_status():
    r = run("status", EXAMPLE)
    assert r.exit_code == 1
    out = r.output
    assert out.startswith("Investeringspulje\nInvesteringspuljen (eksempel;")
    for text in (
        "Status for puljen · bevilgede ansøgninger",
        "Beløb i 1.000 kr., 2017-p/l; afrundet ved visning. Periode 2016-2029.",
        "Bemærk: nogle cases er i andre p/l-niveauer (2016); beløbene er ikke omregnet.",
        "Tabel 1. Puljen pr. år (1.000 kr. 2017 p/l)",
        "Figur 1. Puljens saldo ultimo (1.000 kr. 2017 p/l)",
        "Tabel 2. Ansøgninger: bevilget, tilbagebetalt og restgæld (1.000 kr. 2017 p/l)",
        "verserende (ikke med)",
        "'opfundet-familiehuset-vest': tilbagebetalingstid (totaløkonomi) 7 år > reglen 6 år",
        "1 fejl, 1 advarsel, 0 bemærkninger",
    ):
        assert text in out, text
    # 2016: opening 0 + capital 6.000 - the approved grant 4.000 = closing 2.000
    row = next(line for line in out.splitlines() if "Saldo ultimo  " in line)
    assert re.search(r"│\s+2\.000\s+│\s+6\.400\s+│", row), row
    assert run("status", EXAMPLE, "--lang", "da").output == out


def test_danish_json_messages():
    data = json.loads(run("status", EXAMPLE, "--json").output)
    assert [f["message"] for f in data["findings"]] == [
        "'opfundet-familiehuset-vest': tilbagebetalingstid (totaløkonomi) 7 år > reglen 6 år",
        "'opfundet-familiehuset-vest': i 2020 er der tilbagebetalt 1,0 mio. kr. i alt, men "
        "casens samlede nettobesparelse til og med 2020 er 0,5 mio. kr.",
    ]


def test_danish_select_reasons():
    data = json.loads(run("select", EXAMPLE, "-n", "0", "--json").output)
    reasons = [c["reason"] for c in data["choices"]]
    assert reasons[0] == "inde: allerede bevilget (2016-06-16)"
    assert "ude: tilbagebetalingstid (totaløkonomi) 7 år > reglen 6 år" in reasons
    assert any(
        re.fullmatch(r"ude: passer ikke i puljen i 2017 \(mangler 0,\d mio\. kr\.\)", x)
        for x in reasons
    )


# -- English ----------------------------------------------------------------------------------

LEFT_DANISH = re.compile(
    r"\b(Saldo|verserende|bevilget|tilbagebetal\w*|fejl|advarsel\w*|Tabel|Figur|Ansøgning\w*|"
    r"Nøgletal|Beløb|Puljen|ude|inde|mio\.|ja|nej|Fund)\b"
)


def _english(text: str) -> None:
    # user content from files (titles, ids) stays as written
    for keep in ("Investeringspuljen (eksempel; kapital, regler og beslutninger er opfundet)",):
        text = text.replace(keep, "")
    text = re.sub(r"'[a-z0-9-]+'|\b[a-z0-9]+(?:-[a-z0-9]+)+\b", "", text)
    found = LEFT_DANISH.findall(text)
    assert not found, found[:10]


@pytest.mark.parametrize(
    "args",
    [("status",), ("project", "-n", "50"), ("select", "-n", "0")],
)
def test_english_terminal_and_json_have_no_danish(args):
    r = run(*args, EXAMPLE, "--lang", "en")
    assert r.exit_code in (0, 1), r.output
    _english(r.output)
    data = json.loads(run(*args, EXAMPLE, "--lang", "en", "--json").output)
    _english(" ".join(f["message"] for f in data["findings"]))
    for c in data.get("choices", []):
        _english(c["reason"] + " " + c["alternative_text"])


def test_english_status():
    out = run("status", EXAMPLE, "--lang", "en").output
    assert "Status of the pool · approved applications" in out
    assert "Amounts in 1,000 kr., 2017 prices" in out
    assert "Table 1. The pool per year (1,000 kr. 2017 prices)" in out
    for label in ("Opening balance", "Closing balance", "Outstanding 2029", "On schedule"):
        assert label in out
    assert "pending (not included)" in out and "share of savings" in out
    assert "12,500" in out and "12.500" not in out
    assert "payback period (total economy) 7 years > the rule's 6 years" in out
    assert "1 error, 1 warning, 0 notes" in out


def test_english_json_messages():
    data = json.loads(run("status", EXAMPLE, "--json", "--lang", "en").output)
    assert data["findings"][1]["message"] == (
        "'opfundet-familiehuset-vest': by 2020, 1.0 m kr. has been repaid in total, but the "
        "case's cumulative net savings up to and including 2020 are 0.5 m kr."
    )
    neg = json.loads(run("status", TWO, "--json", "--lang", "en").output)["findings"][0]
    assert neg["message"].startswith("the pool's balance is negative at the end of 2020: -0.1 m")


def test_english_project_with_risk():
    out = run("project", EXAMPLE, "-n", "50", "--lang", "en").output
    assert "Projection of the pool · approved and pending applications" in out
    assert "Risk: closing balance (50 draws, seed 0)" in out
    assert "P(balance < 0), %" in out and "Risk per application" in out
    assert "Each case is simulated with its own uncertain parameters" in out


def test_english_select():
    r = run("select", EXAMPLE, "-n", "0", "--lang", "en")
    assert r.exit_code == 0
    assert "Selection of applications · the chosen applications" in r.output
    assert "Objective: largest net present value" in r.output
    assert "No findings: the rules are kept and the balance is not negative." in r.output
    data = json.loads(run("select", EXAMPLE, "-n", "0", "--json", "--lang", "en").output)
    reasons = [c["reason"] for c in data["choices"]]
    assert reasons[0] == "in: already approved (2016-06-16)"
    assert "out: payback period (total economy) 7 years > the rule's 6 years" in reasons
    assert "in: highest NPV per krone" in reasons


def test_english_reports(tmp_path):
    html, docx_path = tmp_path / "pool.html", tmp_path / "pool.docx"
    for path in (html, docx_path):
        r = run("select", EXAMPLE, "-n", "0", "--lang", "en", "-o", str(path))
        assert r.exit_code == 0 and f"Written: {path}" in r.output
    page = html.read_text(encoding="utf-8")
    assert 'lang="en"' in page and "Table 1. Comparison (1,000 kr. 2017 prices)" in page
    import docx

    d = docx.Document(str(docx_path))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Selection of applications" in text and "Findings" in text
    cells = {c.text for t in d.tables for row in t.rows for c in row.cells}
    assert any(c.startswith("out: does not fit in the pool in 2017") for c in cells)
