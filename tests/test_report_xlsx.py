"""The Excel workbook: its formulas, recalculated by LibreOffice, give the engine's figures.

The workbooks are written with the engine's values as cached formula results. LibreOffice
does not recalculate an .xlsx on load by default, so the test runs headless LibreOffice with a
fresh profile whose registrymodifications.xcu sets Calc's OOXMLRecalcMode to 0 ("always
recalculate"), converts every workbook to .xlsx in one call, and reads the recalculated values
with openpyxl. `test_recalculation_ignores_cached_values` proves the recalculation is real: its
workbooks carry a wrong cached value (12345) in every formula cell.

Without `soffice` the LibreOffice tests skip, except under CI (env CI set), where they fail.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from socinvest.case.schema import Kind
from socinvest.engine import finance
from socinvest.engine.resolve import evaluate
from socinvest.engine.results import PERMANENT, UNALLOCATED, Results
from socinvest.reports.table1 import LABELS as T1
from socinvest.reports.table1 import caption, sign_factor, table1_rows
from socinvest.reports.xlsx import LABELS, SHEETS, expr_to_excel, write_xlsx
from socinvest.services.case import load_case

from .conftest import EXAMPLES, FIXTURES

CASES = sorted(EXAMPLES.glob("*.yaml")) + [FIXTURES / "xlsx" / "every-feature.yaml"]
SEED000 = EXAMPLES / "tidlig-indsats-0-2.yaml"
WRONG = 12345.0
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


# --- helpers -------------------------------------------------------------------------------


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b)) + 1e-6


def _assert_row(got: list, expected: np.ndarray, what: str) -> None:
    assert len(got) == len(expected), what
    for j, (g, e) in enumerate(zip(got, expected, strict=True)):
        assert isinstance(g, int | float), f"{what}, year {j + 1}: {g!r} is not a number"
        assert _close(float(g), float(e)), f"{what}, year {j + 1}: workbook {g}, engine {e}"


def _assert_payback(got, expected: float, lang: str, what: str) -> None:
    if np.isnan(expected):
        assert got == T1[lang]["not_within"], f"{what}: {got!r}"
    else:
        assert isinstance(got, int | float), f"{what}: {got!r}"
        assert _close(float(got), float(expected)), f"{what}: workbook {got}, engine {expected}"


@dataclass
class Sheet:
    """A sheet read as values, with its year columns found from the header row."""

    rows: list[list]
    hdr: int
    ycols: list[int]

    @classmethod
    def read(cls, ws, years: np.ndarray, first_header: str) -> Sheet:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        hdr = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
        header = rows[hdr]
        ycols = [header.index(int(y)) for y in years]
        return cls(rows, hdr, ycols)

    def find(
        self, label: str, start: int = 0, area: str | None = None, prefix: bool = False
    ) -> int:
        for i in range(max(start, self.hdr + 1), len(self.rows)):
            r = self.rows[i]
            hit = str(r[0]).startswith(label) if prefix else r[0] == label
            if hit and (area is None or r[1] == area):
                return i
        raise AssertionError(f"row {label!r} not found after row {start + 1}")

    def years(self, i: int) -> list:
        return [self.rows[i][c] for c in self.ycols]

    def first(self, i: int):
        return self.rows[i][self.ycols[0]]


def check_workbook(path: Path, res: Results, lang: str) -> None:
    """Every line cell and every figure of Tabel 1 and its workings equal the engine's."""
    L, T, names = LABELS[lang], T1[lang], SHEETS[lang]
    wb = openpyxl.load_workbook(path, data_only=True)
    years, case = res.years, res.case

    lines = Sheet.read(wb[names["lines"]], years, L["id"])
    for i, ln in enumerate(case.lines):
        r = lines.find(ln.id)
        _assert_row(lines.years(r), res.amounts[0, i], f"{names['lines']} {ln.id}")
    _assert_row(lines.years(lines.find(L["total"])), res.impact[0], "lines total")

    t1 = Sheet.read(wb[names["table1"]], years, caption(res, lang))
    for row in table1_rows(res, lang):
        if row.style == "line":
            r = t1.find(row.label, area=row.area)
            # table 1 shows the case's own convention; the workbook computes in spending
            shown = np.array(row.values) * sign_factor(res)
            _assert_row(t1.years(r), shown, f"Tabel 1 {row.label}")
        elif row.style == "total":
            shown = np.array(row.values) * sign_factor(res)
            _assert_row(t1.years(t1.find(row.label)), shown, row.label)
    for basis in ("service", "total"):
        k = float(res.payback(basis)[0])
        _assert_payback(t1.first(t1.find(T[f"payback_{basis}"])), k, lang, f"payback {basis}")
        frac = float(res.payback_fractional(basis)[0])
        _assert_payback(t1.first(t1.find(L[f"frac_{basis}"])), frac, lang, f"fractional {basis}")
        _assert_row(t1.years(t1.find(L[f"flow_{basis}"])), res.basis_flows(basis)[0], basis)
        _assert_row(t1.years(t1.find(L[f"cum_{basis}"])), res.cumulative(basis)[0], basis)
        year = t1.first(t1.find(L[f"payback_year_{basis}"]))
        assert (year in (None, "")) if np.isnan(k) else year == years[int(k) - 1]
        npv = t1.first(t1.find(L[f"npv_{basis}"]))
        assert _close(npv, float(res.npv(basis=basis)[0])), f"NPV {basis}: {npv}"
    d = case.discount
    df = finance.discount_factors(len(years), d.rate, d.first_year_discounted)
    _assert_row(t1.years(t1.find(L["discount_factor"], prefix=True)), df, "discount")
    _assert_row(t1.years(t1.find(L["own_net"])), res.own_net[0], "own net")
    for key, select in (
        ("committee_permanent", {"kinds": PERMANENT}),
        ("committee_investment", {"kinds": (Kind.INVESTMENT,)}),
        ("committee_total", {}),
    ):
        start = t1.find(L[key])
        for com, values in res.by_committee(**select).items():
            name = L["unallocated"] if com == UNALLOCATED else case.committees[com]
            _assert_row(t1.years(t1.find(f"{name} ({com})", start)), values[0], f"{key} {com}")
        total = res.total(**select)[0] if select else res.impact[0]
        _assert_row(t1.years(t1.find(L["total"], start)), total, f"{key} total")


def with_wrong_cache(src: Path, dst: Path) -> None:
    """Copy an .xlsx, replacing the cached result of every formula with 12345."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                text, count = re.subn(r"(<f>[^<]*</f>)<v>[^<]*</v>", rf"\1<v>{WRONG:g}</v>", text)
                assert count > 0 or "<f>" not in text
                data = text.encode("utf-8")
            zout.writestr(item, data)


def recalculate(files: list[Path], outdir: Path, profile: Path) -> float:
    """Recalculate and save every file with headless LibreOffice, in one call; seconds taken."""
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_XCU, encoding="utf-8")
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [
        SOFFICE,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--convert-to",
        "xlsx:Calc Office Open XML",
        "--outdir",
        str(outdir),
        *map(str, files),
    ]
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    seconds = time.monotonic() - t0
    missing = [f.name for f in files if not (outdir / f.name).exists()]
    assert proc.returncode == 0 and not missing, (
        f"LibreOffice failed (rc {proc.returncode}); missing {missing}\n"
        f"{proc.stdout}\n{proc.stderr}"
    )
    return seconds


def _set_parameter(src: Path, dst: Path, name: str, value: float) -> None:
    """What an auditor does: type a new value in the parameter's input cell (first year)."""
    wb = openpyxl.load_workbook(src)
    ws = wb[SHEETS["da"]["params"]]
    row = next(r for r in ws.iter_rows() if r[0].value == name)
    first = next(i for i, c in enumerate(row) if isinstance(c.value, int | float))
    assert row[first].value == 500
    # the other years of the value's run refer to the input cell: one change moves them all
    assert all(str(c.value).startswith("=") for c in row[first + 1 :] if c.value is not None)
    row[first].value = value
    wb.save(dst)


# --- the LibreOffice session ---------------------------------------------------------------


@dataclass
class Recalculated:
    out: Path
    src: Path
    seconds: float


def _variants() -> list[tuple[Path, str, str]]:
    """(case, lang, variant) for every workbook that is recalculated."""
    out = []
    for case in CASES:
        out += [(case, "da", "cached"), (case, "en", "cached"), (case, "da", "wrong")]
    return out


def _name(case: Path, lang: str, variant: str) -> str:
    return f"{case.stem}-{lang}-{variant}.xlsx"


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> Recalculated:
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required under CI for the xlsx recalculation")
        pytest.skip("LibreOffice (soffice) is not installed")
    root = tmp_path_factory.mktemp("xlsx")
    src = root / "src"
    src.mkdir()
    files = []
    for case, lang, variant in _variants():
        res = evaluate(load_case(case))
        path = src / _name(case, lang, variant)
        if variant == "wrong":
            plain = root / f"plain-{path.name}"
            write_xlsx(res, plain, lang)
            with_wrong_cache(plain, path)
        else:
            write_xlsx(res, path, lang)
        files.append(path)
    _set_parameter(src / _name(SEED000, "da", "cached"), src / "auditor.xlsx", "fte_rate", 600.0)
    files.append(src / "auditor.xlsx")
    seconds = recalculate(files, root / "out", root / "profile")
    return Recalculated(root / "out", src, seconds)


# --- tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "lang"),
    [(c, lang) for c, lang, v in _variants() if v == "cached"],
    ids=lambda v: v.stem if isinstance(v, Path) else v,
)
def test_recalculated_workbook_equals_engine(recalculated: Recalculated, case: Path, lang: str):
    res = evaluate(load_case(case))
    check_workbook(recalculated.out / _name(case, lang, "cached"), res, lang)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_recalculation_ignores_cached_values(recalculated: Recalculated, case: Path):
    name = _name(case, "da", "wrong")
    before = openpyxl.load_workbook(recalculated.src / name, data_only=True)
    t1 = before[SHEETS["da"]["table1"]]
    cached = [c.value for row in t1.iter_rows() for c in row if c.value in (WRONG, f"{WRONG:g}")]
    assert len(cached) > 20, "the wrong cached values were not written"
    check_workbook(recalculated.out / name, evaluate(load_case(case)), "da")


def test_auditor_changes_an_input_cell(recalculated: Recalculated):
    """fte_rate 500 -> 600 in Excel moves the case exactly as the engine predicts."""
    case = load_case(SEED000)
    base = evaluate(case)
    moved = evaluate(case, overrides={"fte_rate": np.array([[600.0]])})
    # the change matters: 6 years -> not within the horizon, NPV turns negative
    assert base.payback("service")[0] == 6 and np.isnan(moved.payback("service")[0])
    assert base.npv()[0] > 0 > moved.npv()[0]
    check_workbook(recalculated.out / "auditor.xlsx", moved, "da")


def test_recalculation_is_fast(recalculated: Recalculated):
    assert recalculated.seconds < 60, f"LibreOffice took {recalculated.seconds:.1f} s"


# --- without LibreOffice -------------------------------------------------------------------


def test_cached_values_are_the_engine_values(tmp_path: Path):
    """Viewers that do not recalculate show the engine's figures."""
    for case in CASES:
        res = evaluate(load_case(case))
        for lang in ("da", "en"):
            path = tmp_path / f"{case.stem}-{lang}.xlsx"
            write_xlsx(res, path, lang)
            check_workbook(path, res, lang)


def test_formulas_are_live(tmp_path: Path):
    """Driver lines, table 1 and payback are formulas; explicit amounts are numbers."""
    res = evaluate(load_case(SEED000))
    path = tmp_path / "seed000.xlsx"
    write_xlsx(res, path)
    wb = openpyxl.load_workbook(path)
    lines = Sheet.read(wb["Linjer"], res.years, "Id")
    team = lines.years(lines.find("team_buf"))
    assert team[0] == "=(Parametre!E9*Parametre!E7)"  # fte_buf × fte_rate, year 1
    saving = lines.years(lines.find("savings_measures"))
    assert saving[0].startswith("=-((Parametre!E15*Parametre!E12")
    assert saving[0].endswith(")*Parametre!E18")  # × first_year_share
    assert lines.years(lines.find("savings_norms"))[0] == -4500
    t1 = Sheet.read(wb["Tabel 1"], res.years, caption(res))
    assert t1.years(t1.find("Tværfagligt team"))[0].startswith("=Linjer!")
    payback = t1.first(t1.find(T1["da"]["payback_service"]))
    assert payback.startswith("=IFERROR(MATCH(1,") and "ikke inden for horisonten" in payback
    npv = t1.first(t1.find(LABELS["da"]["npv_total"]))
    assert npv.startswith("=-SUMPRODUCT(")
    assert wb.active.title == "Tabel 1"
    assert wb["Tabel 1"].freeze_panes == "C6"


def test_constants_are_input_cells(tmp_path: Path):
    """A number written in a driver (`rate: 500`) is an input cell the formula refers to."""
    case = FIXTURES / "xlsx" / "every-feature.yaml"
    res = evaluate(load_case(case))
    path = tmp_path / "every.xlsx"
    write_xlsx(res, path)
    ws = openpyxl.load_workbook(path)["Linjer"]
    lines = Sheet.read(ws, res.years, "Id")
    r = lines.find("staff2")
    assert lines.rows[r][8] == 500  # Sats / pris
    assert "$I$" in lines.years(r)[1]
    r = lines.find("course")
    assert lines.rows[r][9] == 1.5  # Faktor


@pytest.mark.parametrize(
    ("source", "excel"),
    [
        ("a - (b - c)", "A-(B-C)"),
        ("a - b - c", "A-B-C"),
        ("a / (b * c)", "A/(B*C)"),
        ("(a + b) * c", "(A+B)*C"),
        ("-a * b", "(-A)*B"),
        ("-(a + b)", "-(A+B)"),
        ("a - -b", "A-(-B)"),
        ("min(a, 2.5) + max(b, 0, c) - abs(t - 1)", "MIN(A,2.5)+MAX(B,0,C)-ABS(T-1)"),
        ("-a ** 2", "-(A^2)"),  # Python: -(a ** 2); Excel would read -A^2 as (-A)^2
        ("a ** b ** c", "A^(B^C)"),
        ("0.00001 * year", "1E-05*YEAR"),
    ],
)
def test_expression_translation(source: str, excel: str):
    tree = ast.parse(source, mode="eval").body
    assert expr_to_excel(tree, str.upper) == excel


def test_results_with_overrides_are_refused(tmp_path: Path):
    case = load_case(SEED000)
    res = evaluate(case, overrides={"fte_rate": np.array([[600.0]])})
    with pytest.raises(ValueError, match="overrides"):
        write_xlsx(res, tmp_path / "x.xlsx")
    with pytest.raises(ValueError, match="language"):
        write_xlsx(evaluate(case), tmp_path / "x.xlsx", lang="de")


def test_workbook_has_the_reports_charts_as_pictures(tmp_path):
    """One chart library for every format: the xlsx carries the same three charts."""
    from socinvest.case.load import load_case
    from socinvest.engine.resolve import evaluate

    out = tmp_path / "c.xlsx"
    write_xlsx(evaluate(load_case(EXAMPLES / "fit-familiebehandling.yaml")), out)
    with zipfile.ZipFile(out) as z:
        pngs = [n for n in z.namelist() if n.startswith("xl/media/") and n.endswith(".png")]
    assert len(pngs) == 3
    import openpyxl

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == "Figurer"
    assert str(wb["Figurer"]["A3"].value).startswith("Figur 1.")
