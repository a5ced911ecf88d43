"""The evaluation report (midtvejs-/slutevaluering): every format opens and holds its tables
and captions, in Danish and English; and the small-cell attack: no count of fewer than 5
persons can be read from any output – not directly, not by subtracting shown cells from shown
totals, not from a share – in the JSON of `followup status`, `fit summary`, `adbb summary` and
in the report's docx, xlsx, md, html and pdf."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from socinvest.cli import app

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"
FU = EX / "followup"
FIT_CASE = EX / "fit-familiebehandling.yaml"
runner = CliRunner()
HIDDEN = "–"


def run(*args) -> object:
    return runner.invoke(app, [str(a) for a in args])


# ---------------------------------------------------------------- a small, hand-made follow-up


def _sessions(path: Path) -> None:
    """2018 H1, two sessions a course. Alfa: 8 reliably improved (ORS +6), 4 unchanged;
    Beta: 3 improved. Interior (improved, unchanged, deteriorated): Alfa 8/4/0, Beta 3/0/0;
    totals 11/4/0 = 15. Small: Beta's 3 (and its total 3), Alfa's and the total's 4."""
    rows = ["client_id;course_id;team;date;age_group;ors;srs"]
    k = 0
    for team, improved, same in (("Alfa", 8, 4), ("Beta", 3, 0)):
        for j in range(improved + same):
            k += 1
            gain = 6 if j < improved else 1
            rows.append(f"K{k};F{k};{team};2018-02-01;adult;20;38")
            rows.append(f"K{k};F{k};{team};2018-03-01;adult;{20 + gain};38")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _screenings(path: Path) -> None:
    """2018 H1: 12 children not flagged, 3 flagged and resolved at a re-screen;
    2018 H2: 9 not flagged, 2 flagged without follow-up."""
    rows = ["child_id;date;age_months;" + ";".join(f"i{i}" for i in range(1, 9))]
    k = 0
    for day, calm, flagged, rescreen in (("2018-02-01", 12, 3, True), ("2018-08-01", 9, 2, False)):
        for j in range(calm + flagged):
            k += 1
            items = "4;2;0;0;0;0;0;0" if j >= calm else "1;0;0;0;0;0;0;0"  # 6 ≥ 5, or 1
            rows.append(f"B{k};{day};4;{items}")
            if j >= calm and rescreen:
                rows.append(f"B{k};2018-03-15;5;1;0;0;0;0;0;0;0")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("small")
    _sessions(d / "sessions.csv")
    _screenings(d / "screenings.csv")
    (d / "small.followup.yaml").write_text(
        f"case: {FIT_CASE}\n"
        f"price_index: {FU / 'price-index.yaml'}\n"
        "synthetic: true\n"
        "actuals: {fit_training: {2017: 1190}, fit_ipads: {2017: 509}}\n"
        "fit_sessions: sessions.csv\n"
        "adbb_screenings: screenings.csv\n"
        "as_of: 2018-06-30\n"
        "criteria:\n"
        "  - {id: kids, label: Børn i indsatsen, indicator: antal, unit: børn, baseline: 0,\n"
        "     target: 20, direction: up, due: [2018-06-30]}\n"
        "measurements:\n"
        "  - {criterion: kids, date: 2018-06-15, value: 3}\n",
        encoding="utf-8",
    )
    return d / "small.followup.yaml"


# ---------------------------------------------------------------- the attack


def _determined(counts: list[list[int | None]]) -> dict[tuple[int, int], float]:
    """Every hidden cell whose value follows from the shown cells of a table with row totals
    (last column) and column totals (last row): the attacker's linear algebra."""
    c = np.array([[np.nan if v is None else v for v in row] for row in counts], dtype=float)
    hidden = [tuple(x) for x in np.argwhere(np.isnan(c))]
    if not hidden:
        return {}
    col = {cell: k for k, cell in enumerate(hidden)}
    eqs, rhs = [], []
    r, k = c.shape
    lines = [([(i, j) for j in range(k - 1)], (i, k - 1)) for i in range(r)]
    lines += [([(i, j) for i in range(r - 1)], (r - 1, j)) for j in range(k)]
    for parts, total in lines:
        a = np.zeros(len(hidden))
        b = 0.0
        for cell in parts:
            if cell in col:
                a[col[cell]] += 1
            else:
                b -= c[cell]
        if total in col:
            a[col[total]] -= 1
        else:
            b += c[total]
        eqs.append(a)
        rhs.append(b)
    A, y = np.array(eqs), np.array(rhs)
    x, *_ = np.linalg.lstsq(A, y, rcond=None)
    _, s, vt = np.linalg.svd(A)
    null = vt[int((s > 1e-9).sum()) :]
    free = np.abs(null).max(axis=0) > 1e-9 if len(null) else np.zeros(len(hidden), bool)
    return {cell: float(x[i]) for i, cell in enumerate(hidden) if not free[i]}


def _no_small_cell(counts: list[list[int | None]]) -> None:
    for row in counts:
        for v in row:
            assert v is None or v == 0 or v >= 5, f"a small cell is shown: {v}"
    for cell, value in _determined(counts).items():
        assert not 0.5 < value < 4.5, f"hidden cell {cell} = {value} follows from the shown ones"


def _no_small_share(share: list[float | None], counts: list[list[int | None]], num: int) -> None:
    """A shown share k/n with n shown must not reveal a small k or n − k."""
    for s, row in zip(share, counts, strict=True):
        n = row[-1]
        if s is None or n is None:
            continue
        k = s * n
        assert row[num] is not None or not (0.5 < k < 4.5 or 0.5 < n - k < 4.5), (s, row)


def _attack_fit(d: dict) -> None:
    _no_small_cell(d["counts"])
    _no_small_share(d["improved_share"], d["counts"], 0)
    _no_small_share(d["deteriorated_share"], d["counts"], 2)
    for key in ("courses", "single_session", "dropouts", "clinically_significant"):
        assert d[key] is None or d[key] == 0 or d[key] >= 5, key


def _attack_adbb(d: dict) -> None:
    _no_small_cell(d["counts"])
    for s, row in zip(d["flagged_share"], d["counts"], strict=True):
        if s is not None and row[-1] is not None:
            flagged = s * row[-1]  # flagged children = share × screened
            assert not (0.5 < flagged < 4.5), row


def test_the_hand_made_table_really_has_small_cells(small):
    """The attack is not empty: Beta's 3 courses and the 4 unchanged exist and are hidden."""
    d = json.loads(run("fit", "summary", small.parent / "sessions.csv", "--json").stdout)
    assert d["rows"][:2] == [
        {"team": "Alfa", "year": 2018, "half": 1},
        {"team": "Beta", "year": 2018, "half": 1},
    ]
    assert d["counts"][1][0] is None and d["counts"][1][3] is None  # Beta: 3 improved of 3
    assert d["counts"][0][1] is None  # Alfa: 4 unchanged
    _attack_fit(d)


@pytest.mark.parametrize("csv", ["fit-sessions.csv", "small"])
def test_fit_summary_json_attack(small, csv):
    path = small.parent / "sessions.csv" if csv == "small" else FU / csv
    _attack_fit(json.loads(run("fit", "summary", path, "--json").stdout))


@pytest.mark.parametrize("csv", ["adbb-screenings.csv", "small"])
def test_adbb_summary_json_attack(small, csv):
    path = small.parent / "screenings.csv" if csv == "small" else FU / csv
    for period in ("half", "year"):
        _attack_adbb(json.loads(run("adbb", "summary", path, "--json", "--period", period).stdout))


def test_status_json_attack(small):
    r = run("followup", "status", FIT_CASE, small, "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    _attack_fit(d["fit"])
    _attack_adbb(d["adbb"])
    (kids,) = d["criteria"]  # 3 children measured: a small count of persons, hidden
    assert kids["latest_value"] is None and kids["suppressed"] is True
    assert d["fit"]["problems"] == [] and d["adbb"]["problems"] == []


def _report(small: Path, tmp: Path, suffix: str, lang: str = "da") -> Path:
    out = tmp / f"r-{lang}{suffix}"
    r = run("followup", "report", FIT_CASE, small, "-o", out, "--lang", lang)
    assert r.exit_code == 0, r.output
    return out


def _check_rows(rows: list[list[str]], counts: int, first: int) -> None:
    """Count columns `first … first+counts-1` of a rendered table: '–', 0 or at least 5."""
    for row in rows:
        for text in row[first : first + counts]:
            t = text.strip().replace(".", "").replace(",", "")
            assert t in (HIDDEN, "", "0") or int(t) >= 5, row


def test_docx_attack_and_tables(small, tmp_path):
    import docx

    doc = docx.Document(str(_report(small, tmp_path, ".docx")))
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables]
    fit = next(t for t in tables if t[0][:2] == ["Team", "Halvår"])
    _check_rows(fit[1:], 4, 2)
    assert fit[2][0] == "Beta" and fit[2][2] == HIDDEN
    adbb = next(t for t in tables if t[0][0] == "Periode")
    _check_rows(adbb[1:], 5, 1)
    kpi = next(t for t in tables if t[0][0] == "Kriterium")
    assert kpi[1][5] == HIDDEN
    variance = next(t for t in tables if t[0][:3] == ["Linje", "År", "Plan"])
    assert variance[1][1:5] == ["2017", "1.175", "1.190", "15"]  # 1.190 − 1.175 = 15


def test_xlsx_attack(small, tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(_report(small, tmp_path, ".xlsx"))
    seen = 0
    for ws in wb.worksheets:
        rows = [[("" if v is None else str(v)) for v in r] for r in ws.iter_rows(values_only=True)]
        header = next((i for i, r in enumerate(rows) if r[:2] == ["Team", "Halvår"]), None)
        if header is not None:
            seen += 1
            body = [r for r in rows[header + 1 :] if any(r)]
            _check_rows([[x.replace(".0", "") for x in r] for r in body], 4, 2)
    assert seen == 1


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_text_formats_attack(small, tmp_path, suffix):
    text = _report(small, tmp_path, suffix).read_text(encoding="utf-8")
    assert "Beta" in text and "Tabel" in text
    if suffix == ".md":
        rows = [ln.split("|")[1:-1] for ln in text.splitlines() if ln.startswith("| Beta")]
        assert rows
        _check_rows(rows, 4, 2)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize(("lang", "captions"), [
    ("da", ("Tabel 1. Plan mod faktisk pr. linje og år", "Figur 2. Genberegning",
            "Succeskriterier: status pr. 2018-06-30", "FIT-forløb pr. team og halvår")),
    ("en", ("Table 1. Plan against actual by line and year", "Figure 2. Re-forecast",
            "Success criteria: status as of 2018-06-30", "FIT courses by team and half year")),
])  # fmt: skip
def test_pdf_captions(small, tmp_path, lang, captions):
    out = _report(small, tmp_path, ".pdf", lang)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    for c in captions:
        assert c in flat, c
    beta = [r for r in (ln.split() for ln in text.splitlines()) if r[:2] == ["Beta", "2018"]]
    assert beta and all(HIDDEN in row for row in beta)


def test_example_reports_open(tmp_path):
    """The two shipped follow-ups: docx tables and the synthetic marking, in both languages."""
    import docx

    for case, fu, synthetic in (
        (FIT_CASE, FU / "fit-familiebehandling.followup.yaml", "SYNTETISKE DATA"),
        (EX / "tidlig-indsats-0-2.yaml", FU / "tidlig-indsats-0-2.followup.yaml", "SYNTHETIC DATA"),
    ):
        lang = "da" if synthetic.startswith("SYNTETISKE") else "en"
        out = tmp_path / f"{case.stem}.docx"
        assert run("followup", "report", case, fu, "-o", out, "--lang", lang).exit_code == 0
        doc = docx.Document(str(out))
        assert len(doc.tables) >= 5
        assert synthetic in "\n".join(p.text for p in doc.paragraphs)
