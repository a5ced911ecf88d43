"""Whole-case gaps (issue 10, A6) and overflowing totals (B8), each with a hand calculation.

- payback on the municipality's own money, a third basis when a case has external funding;
- a case shown in its own sign convention (`sign: savings_positive`);
- a pool grant that finances a running deficit, and a pool whose capital is unknown;
- a stated figure printed in another unit ("1,005 mio. kr." in a case in kr.);
- `check` says "horisonten"; JSON years are whole numbers and no number is -0.0;
- totals that overflow are a clear input error (exit 2), never `inf` and never a crash.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from socinvest.case.schema import Unit
from socinvest.checks.case import check_case, in_case_unit, unit_shift
from socinvest.engine.resolve import evaluate
from socinvest.engine.results import Results, TotalOverflow
from socinvest.errors import InputError
from socinvest.i18n import render
from socinvest.pool import build_ledger, check_pool
from socinvest.reports.document import build_document
from socinvest.reports.json_results import results_json
from socinvest.reports.registry import document_json
from socinvest.reports.table1 import table1_rows
from socinvest.reports.xlsx import SHEETS, write_xlsx
from socinvest.services.case import case_bundle, parse_case
from socinvest.services.pool import load_pool

from .conftest import EXAMPLES, cli

# Investments 1.000 in 2025, 500 of them paid by an external grant; savings 400 a year.
EXTERNAL = """\
id: ext
title: Ekstern medfinansiering (opfundet)
unit: 1.000 kr.
price_level: 2024
horizon: 2025-2028
lines:
  - {id: inv_own, label: Opstart (egen ramme), kind: investment, amounts: {2025: 500}}
  - {id: inv_ext, label: Opstart (ekstern pulje), kind: investment, funding: external,
     amounts: {2025: 500}}
  - {id: saving, label: Færre anbringelser, kind: saving, amounts: -400}
"""
# The same case as its municipality would print it: savings positive, costs negative.
POSITIVE = """\
id: ext
title: Ekstern medfinansiering (opfundet)
unit: 1.000 kr.
price_level: 2024
horizon: 2025-2028
sign: savings_positive
lines:
  - {id: inv_own, label: Opstart (egen ramme), kind: investment, amounts: {2025: -500}}
  - {id: inv_ext, label: Opstart (ekstern pulje), kind: investment, funding: external,
     amounts: {2025: -500}}
  - {id: saving, label: Færre anbringelser, kind: saving, amounts: 400}
"""


def _with(text: str, stated: str) -> str:
    return text + "stated:\n" + stated


# -- 1. payback on own money ------------------------------------------------------------------


def test_own_money_payback_by_hand():
    res = evaluate(parse_case(EXTERNAL))
    # total flows 600, -400, -400, -400: cumulative 600, 200, -200 -> year 3
    assert res.payback("total")[0] == 3 and res.payback("service")[0] == 3
    # own flows (external 500 left out) 100, -400, ...: cumulative 100, -300 -> year 2
    np.testing.assert_allclose(res.basis_flows("own")[0], [100, -400, -400, -400])
    assert res.payback("own")[0] == 2
    # interpolated: 1 + 100 / (100 + 300) = 1,25 years
    assert res.payback_fractional("own")[0] == pytest.approx(1.25)
    # NPV of the benefit at 3,5 %, year 1 discounted a full year
    d = 1.035
    hand = -(100 / d - 400 / d**2 - 400 / d**3 - 400 / d**4)
    assert res.npv(basis="own")[0] == pytest.approx(hand)
    assert hand == pytest.approx(986.1399, abs=1e-3)


def test_own_basis_in_table1_key_figures_and_json_only_with_external_funding():
    res = evaluate(parse_case(EXTERNAL))
    rows = {r.label: r.text for r in table1_rows(res) if r.style == "payback"}
    assert rows == {
        "Tilbagebetalingstid baseret på serviceeffektivisering": "3 år",
        "Tilbagebetalingstid baseret på totaløkonomi": "3 år",
        "Tilbagebetalingstid baseret på kommunens egne midler": "2 år",
    }
    en = [r.label for r in table1_rows(res, "en") if r.style == "payback"]
    assert en[-1] == "Payback period based on the municipality's own money"
    doc = build_document(case_bundle(res.case))
    keys = next(b for s in doc.sections for b in s.blocks if type(b).__name__ == "KeyFigures")
    assert ("Tilbagebetalingstid baseret på kommunens egne midler", "2 år") in keys.items
    data = results_json(res)
    assert data["payback"]["own"] == {"year": 2.0, "fractional": 1.25, "discounted": 2.0}
    assert data["npv"]["own"] == pytest.approx(986.139896, abs=1e-6)
    # without external funding: no third row, no "own" in JSON (other reports unchanged)
    plain = evaluate(parse_case(EXTERNAL.replace("funding: external,", "")))
    assert [r.label for r in table1_rows(plain) if r.style == "payback"][-1].endswith(
        "totaløkonomi"
    )
    assert "own" not in results_json(plain)["payback"] and "own" not in results_json(plain)["npv"]


def test_stated_own_payback_is_checked():
    ok = _with(EXTERNAL, "  - {table: Tabel 1, row: Egne midler, payback: own, value: 2}\n")
    assert check_case(parse_case(ok)).findings == []
    wrong = _with(EXTERNAL, "  - {table: Tabel 1, row: Egne midler, payback: own, value: 3}\n")
    (f,) = check_case(parse_case(wrong)).findings
    assert (f.code, f.stated, f.computed) == ("PAYBACK_MISMATCH", 3, 2)
    assert "det svarer til tilbagebetalingstiden baseret på totaløkonomi" in f.text()
    # a 'total' payback printed as 2 is the own-money year: the message says so
    mixed = _with(EXTERNAL, "  - {table: Tabel 1, row: Total, payback: total, value: 2}\n")
    (f,) = check_case(parse_case(mixed)).findings
    assert "baseret på kommunens egne midler" in f.text()
    assert "the municipality's own money" in f.text("en")
    assert check_case(parse_case(ok)).payback == {"service": 3.0, "total": 3.0, "own": 2.0}


def test_xlsx_has_live_own_payback_rows(tmp_path: Path):
    res = evaluate(parse_case(EXTERNAL))
    path = tmp_path / "ext.xlsx"
    write_xlsx(res, path, "da")
    ws = openpyxl.load_workbook(path)[SHEETS["da"]["table1"]]
    cached = openpyxl.load_workbook(path, data_only=True)[SHEETS["da"]["table1"]]
    rows = {r[0].value: (r[0].row, r) for r in ws.iter_rows() if r[0].value}
    row, cells = rows["Tilbagebetalingstid baseret på kommunens egne midler"]
    assert str(cells[2].value).startswith("=IFERROR(MATCH(1,")  # a live formula
    assert cached.cell(row, 3).value == 2  # cached: the engine's year
    flow_row, flow = rows["Nettostrøm, kommunens egne midler (uden ekstern finansiering)"]
    assert "SUMIFS" in str(flow[2].value)
    assert [cached.cell(flow_row, 3 + j).value for j in range(4)] == [100, -400, -400, -400]


# -- 2. the case's own sign convention --------------------------------------------------------


def test_both_conventions_give_identical_results():
    a, b = evaluate(parse_case(EXTERNAL)), evaluate(parse_case(POSITIVE))
    np.testing.assert_array_equal(a.amounts, b.amounts)
    for basis in ("service", "total", "own"):
        assert a.payback(basis)[0] == b.payback(basis)[0]
        assert a.npv(basis=basis)[0] == b.npv(basis=basis)[0]


def test_savings_positive_is_shown_as_printed():
    res = evaluate(parse_case(POSITIVE))
    rows = {r.label: r.values for r in table1_rows(res) if r.values}
    assert rows["Færre anbringelser"] == (400.0, 400.0, 400.0, 400.0)
    assert rows["Opstart (egen ramme)"] == (-500.0, 0.0, 0.0, 0.0)
    assert rows["Samlet økonomisk påvirkning"] == (-600.0, 400.0, 400.0, 400.0)
    # the spending-signed case is unchanged
    spend = {r.label: r.values for r in table1_rows(evaluate(parse_case(EXTERNAL))) if r.values}
    assert spend["Færre anbringelser"] == (-400.0, -400.0, -400.0, -400.0)
    doc = build_document(case_bundle(res.case))
    table1 = doc.sections[1].blocks[0]
    assert table1.caption.endswith("(1.000 kr. 2024 p/l; besparelser positive)")
    # the note under table 1 opens the portrait part that follows it (docs/reports.md)
    notes = [b.text for s in doc.sections for b in s.blocks if type(b).__name__ == "Note"]
    assert any(n.startswith("Alle besparelser er angivet med positivt (+) fortegn") for n in notes)
    permanent = next(
        b for s in doc.sections for b in s.blocks if getattr(b, "key", "") == "permanent"
    )
    assert [c.value for c in permanent.rows[1].cells[2:]] == [400.0] * 4
    data = results_json(res)
    assert data["sign_convention"] == "savings_positive"
    assert data["lines"][2]["amounts"] == [400.0] * 4
    assert data["totals"]["cumulative"] == [-600.0, -200.0, 200.0, 600.0]
    assert data["npv"]["value"] == results_json(evaluate(parse_case(EXTERNAL)))["npv"]["value"]
    assert "-0.0" not in json.dumps(data)  # flipped zeros stay 0.0


def test_savings_positive_report_files_say_so(tmp_path: Path):
    path = tmp_path / "pos.yaml"
    path.write_text(POSITIVE, encoding="utf-8")
    r = cli("report", path, "-o", tmp_path / "pos.md")
    assert r.exit_code == 0, r.output
    md = (tmp_path / "pos.md").read_text(encoding="utf-8")
    assert "| Færre anbringelser | Service | 400 | 400 | 400 | 400 |" in md
    assert "(1.000 kr. 2024 p/l; besparelser positive)" in md
    r = cli("show", path, "--json")
    assert json.loads(r.stdout)["totals"]["permanent"] == [400.0] * 4


# -- 3. the pool: a grant for a running deficit, capital unknown -----------------------------

DEFICIT_CASE = """\
id: deficit
title: Underskud de første år (opfundet)
unit: 1.000 kr.
price_level: 2020
horizon: 2020-2024
lines:
  - {id: start, label: Opstart, kind: investment, funding: pool, amounts: {2020: 500}}
  - {id: staff, label: Personale, kind: cost, amounts: 600}
  - {id: saving, label: Besparelse, kind: saving, amounts: {2020-2021: -300, 2022-2024: -1200}}
"""
POOL = """\
id: deficit-pool
title: Testpulje (opfundet)
unit: 1.000 kr.
price_level: 2020
horizon: 2020-2024
{capital}
applications:
  - id: d
    case: case.yaml
    decision: {{status: approved, date: 2019-11-01}}
    requested: {{2020: 800, 2021: 300}}
    repayment: {{kind: fixed, amount: 400, start: 2022, years: 3}}
"""


def _pool(tmp_path: Path, capital: str = "capital: 2000", rules: str = "") -> Path:
    (tmp_path / "case.yaml").write_text(DEFICIT_CASE, encoding="utf-8")
    p = tmp_path / "pool.yaml"
    p.write_text(POOL.format(capital=capital) + rules, encoding="utf-8")
    return p


def test_grant_financing_a_running_deficit_is_judged_net_of_the_grant(tmp_path: Path):
    led = build_ledger(load_pool(_pool(tmp_path)))
    d = led.case("d")
    # own net flow 300, 300, -600, -600, -600 -> net savings -300, -300, 600, 600, 600
    np.testing.assert_allclose(d.savings[0], [-300, -300, 600, 600, 600])
    # grant 800 + 300 beyond the pool-funded 500: cover 300, 600, 600, 600, 600
    np.testing.assert_allclose(d.deficit_cover, [300, 600, 600, 600, 600])
    # fixed 400 from 2022, capped at the grant 1.100: 400, 400, 300
    np.testing.assert_allclose(d.repaid[0], [0, 0, 400, 400, 300])
    # cumulative repaid 400, 800, 1.100 <= net savings + cover 600, 1.200, 1.800: on schedule
    assert d.on_schedule[0]
    codes = [f.code for f in check_pool(led)]
    assert "POOL_REPAY_BEFORE_SAVINGS" not in codes
    assert codes == ["POOL_REQUEST_DIFFERS"]  # asked 1.100, pool-funded lines 500: said


def test_repayment_before_savings_still_found_beyond_the_cover(tmp_path: Path):
    text = POOL.replace("amount: 400, start: 2022", "amount: 700, start: 2021")
    (tmp_path / "case.yaml").write_text(DEFICIT_CASE, encoding="utf-8")
    p = tmp_path / "pool.yaml"
    p.write_text(text.format(capital="capital: 2000"), encoding="utf-8")
    led = build_ledger(load_pool(p))
    # 2021: repaid 700 > cumulative net savings -600 + cover 600 = 0
    (f,) = [f for f in check_pool(led) if f.code == "POOL_REPAY_BEFORE_SAVINGS"]
    assert (f.year, f.stated, f.computed) == (2021, 700.0, 0.0)
    assert "dækning af driftsunderskuddet (0,6 mio. kr.)" in f.text()
    assert not led.case("d").on_schedule[0]


def test_capital_unknown_checks_no_capital_rule_and_says_so(tmp_path: Path):
    p = _pool(tmp_path, capital="", rules="rules: {max_share: 0.1}\n")
    led = build_ledger(load_pool(p))
    assert not led.capital_known
    np.testing.assert_allclose(led.capital, 0)
    assert led.closing[0][0] < 0  # with no capital counted the balance goes negative ...
    codes = [f.code for f in check_pool(led)]
    # ... but neither the balance nor the share of capital is judged; the output says why
    assert "POOL_NEGATIVE_BALANCE" not in codes and "POOL_SHARE_TOO_LARGE" not in codes
    assert "POOL_CAPITAL_UNKNOWN" in codes
    r = cli("pool", "status", p)
    assert r.exit_code == 0, r.output
    assert "puljens kapital er ikke angivet" in r.output
    # select has no cash limit then (with 0 capital counted, the case would never fit)
    r = cli("pool", "select", p, "--draws", "0", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert "Infinity" not in r.stdout and "NaN" not in r.stdout
    assert "puljens kapital er ikke angivet" in r.stdout
    assert "inde:" in json.dumps(data, ensure_ascii=False)
    with_capital = build_ledger(
        load_pool(_pool(tmp_path / "..", rules="rules: {max_share: 0.1}\n"))
    )
    assert "POOL_SHARE_TOO_LARGE" in [f.code for f in check_pool(with_capital)]


# -- 4. a stated figure in another unit -------------------------------------------------------

KR_CASE = """\
id: kr
title: Kroner (opfundet)
unit: kr.
price_level: 2024
horizon: 2025-2026
lines:
  - {id: a, label: A, kind: saving, amounts: {2025: -1000000}}
  - {id: b, label: B, kind: saving, amounts: {2025: -4700}}
"""


def test_unit_conversion_is_exact():
    assert unit_shift(Unit.MKR, Unit.KR) == 6 and unit_shift(Unit.KR, Unit.MKR) == -6
    assert unit_shift(Unit.TKR, Unit.TKR) == 0
    assert 1.005 * 1e6 != 1005000.0  # the binary product is not what was printed
    assert in_case_unit(1.005, 6) == 1005000.0
    assert in_case_unit(1960, 3) == 1960000.0


@pytest.mark.parametrize(
    ("figure", "codes"),
    [
        # 1,005 mio. kr. printed with 3 decimals: nearest 1.000 kr., h = 500; |1.004.700 -
        # 1.005.000| = 300 <= 500: a match
        ("{of: saving, total: -1.005, unit: mio. kr., decimals: 3}", []),
        # 1.005 t.kr. (whole thousands): h = 500 again, a match
        ("{of: saving, total: -1005, unit: 1.000 kr.}", []),
        # 1,0 mio. kr. (1 decimal): nearest 100.000, h = 50.000; 4.700 off: a match
        ("{of: saving, total: -1.0, unit: mio. kr., decimals: 1}", []),
        # 1,01 mio. kr.: h = 5.000, n = 2 parts (½ kr. each): 5.300 > 5.001 -> SUM_MISMATCH
        ("{of: saving, total: -1.01, unit: mio. kr., decimals: 2}", ["SUM_MISMATCH"]),
        # per year: 2025 printed as -1,00 mio. kr. (h = 5.000, 4.700 off): a match
        ("{of: saving, values: {2025: -1.00}, unit: mio. kr., decimals: 2}", []),
    ],
)
def test_stated_figure_in_another_unit(figure: str, codes: list[str]):
    text = _with(KR_CASE, f"  - {{table: Tekst, row: Besparelse, {figure[1:]}\n")
    found = check_case(parse_case(text)).findings
    assert [f.code for f in found] == codes
    if codes:
        assert (found[0].stated, found[0].computed) == (-1010000.0, -1004700.0)


def test_unit_only_for_amounts():
    bad = _with(KR_CASE, "  - {table: T, row: P, payback: total, value: 1, unit: mio. kr.}\n")
    with pytest.raises(InputError, match="'unit' gælder kun beløb"):
        parse_case(bad)


# -- 5. 'horisonten' --------------------------------------------------------------------------


def test_check_says_horisonten(tmp_path: Path):
    never = tmp_path / "never.yaml"
    never.write_text(EXTERNAL.replace("amounts: -400", "amounts: -1"), encoding="utf-8")
    r = cli("check", never)
    assert "totaløkonomi: ikke inden for horisonten" in r.output
    assert "perioden" not in r.output
    r = cli("check", never, "--lang", "en")
    assert "not within the horizon" in r.output


# -- 6. JSON: whole years, no -0.0 ------------------------------------------------------------


def _walk(obj, key=""):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(v, k)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk(v, key)
    else:
        yield key, obj


def test_results_json_years_are_integers_and_no_negative_zero():
    # FIT's saving lines are 0 in 2017: -0.0 in the spending convention before the fix
    res = evaluate(parse_case((EXAMPLES / "fit-familiebehandling.yaml").read_text("utf-8")))
    data = results_json(res)
    assert data["years"] == list(range(2017, 2022))
    assert all(type(y) is int for y in data["years"]) and type(data["price_level"]) is int
    for _, v in _walk(data):
        assert not (isinstance(v, float) and math.copysign(1.0, v) < 0 and v == 0), "-0.0"
    assert "-0.0" not in json.dumps(data)


def test_document_json_has_no_negative_zero_and_plain_numbers():
    res = evaluate(parse_case((EXAMPLES / "fit-familiebehandling.yaml").read_text("utf-8")))
    data = document_json(build_document(res))
    text = json.dumps(data)  # numpy scalars would not serialise
    assert "-0.0" not in text and "NaN" not in text and "Infinity" not in text
    for _, v in _walk(data):
        assert not (isinstance(v, float) and v == 0 and math.copysign(1.0, v) < 0)


# -- 7. overflowing totals --------------------------------------------------------------------


def _huge(tmp_path: Path) -> Path:
    p = tmp_path / "huge.yaml"
    p.write_text(
        "id: huge\ntitle: Huge\nunit: kr.\nprice_level: 2024\nhorizon: 2025-2026\nlines:\n"
        "  - {id: a, label: A, kind: cost, amounts: {2025: 1e308}}\n"
        "  - {id: b, label: B, kind: cost, amounts: {2025: 1e308}}\n",
        encoding="utf-8",
    )
    return p


def test_overflowing_totals_raise_a_clear_input_error():
    res = evaluate(parse_case(EXTERNAL))
    amounts = np.array(res.amounts)
    amounts[0, 0, 1] = amounts[0, 1, 1] = 1e308  # each finite; their sum is not
    big = Results.build(res.case, res.years, amounts)
    with pytest.raises(TotalOverflow) as e:
        big.impact  # noqa: B018 - the property computes the total
    assert (e.value.what, e.value.year, e.value.line) == ("impact", 2026, "Opstart (egen ramme)")
    assert str(e.value).startswith("samlet økonomisk påvirkning kan ikke beregnes for 2026")
    assert render(e.value.message, "en").startswith("the total economic impact cannot be")
    for compute in (
        lambda: big.total(),
        lambda: big.cumulative(),
        lambda: big.npv(),
        lambda: big.payback("total"),
        lambda: big.by_committee_array(),
    ):
        with pytest.raises(InputError):
            compute()
    # an amount that is itself not finite is refused when the results are built
    amounts = np.array(amounts)  # build made the array read-only
    amounts[0, 2, 0] = np.inf
    with pytest.raises(TotalOverflow, match="linjens beløb kan ikke beregnes for 2025"):
        Results.build(res.case, res.years, amounts)


@pytest.mark.parametrize("command", ["show", "check", "report"])
def test_amounts_of_1e308_exit_2_without_inf(tmp_path: Path, command: str):
    args = [command, _huge(tmp_path)]
    if command == "report":
        args += ["-o", tmp_path / "huge.md"]
    r = cli(*args, debug=False)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and "inf" not in r.output.replace("Ingen", "")
    assert "Ingen fund" not in r.output
