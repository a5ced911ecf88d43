"""Follow-up actuals: the finance system's posting export, mapped to case lines, aggregated per
year and quarter, and converted to the case's unit and price level.

Every expected figure is computed by hand next to the assertion, from the lines of POSTINGS.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from socinvest.case.load import parse_case
from socinvest.errors import InputError
from socinvest.followup.activity import build_activity
from socinvest.followup.actuals import build_actuals
from socinvest.followup.mapping import LoadedMapping, parse_mapping
from socinvest.followup.prices import parse_price_index
from socinvest.followup.schema import json_schema, parse_followup

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "followup"

CASE = """\
id: t
title: Test
unit: 1.000 kr.
price_level: 2017
horizon: 2017-2020
committees: {SOU: Socialudvalget}
parameters:
  fte: {value: 2, unit: årsværk, source: test}
  rate: {value: 500, unit: 1.000 kr. pr. årsværk, source: test}
lines:
  - {id: team, label: Team, kind: cost, owner: SOU, driver: {fte: fte, rate: rate}}
  - {id: placements, label: Færre anbringelser, kind: saving, owner: SOU,
     amounts: {2018-2020: -1000}}
  - {id: refund, label: DUT-refusion, kind: saving, owner: SOU, amounts: {2018-2020: -100}}
  - {id: build, label: Ombygning, kind: investment, area: anlaeg, owner: SOU,
     amounts: {2017: 300}}
"""

INDEX = """\
source: test (hand-made round numbers)
date: 2026-11-30
kinds:
  service_wages: {2017: 100, 2018: 102, 2019: 104}
  service_prices: {2017: 100, 2018: 101, 2019: 102}
  anlaeg: {2017: 100, 2018: 103, 2019: 106}
"""

MAPPING = """\
lines:
  team: {accounts: ["5.28.21.1"], index: service_wages}
  placements: {accounts: ["5.28.2*"]}
  refund: {accounts: ["5.28.21.9"]}
  build: {accounts: ["5.28.21.1"], cost_centres: ["ANL"]}
"""

# As Excel writes it: BOM, CRLF, quoted text with ';', dd-mm-yyyy, decimal comma.
POSTINGS = [
    "Konto;Dato;Beløb;Omkostningssted;Tekst",  # 1
    '5.28.21.1;15-01-2018;250.000,00;4711;"Løn; januar"',  # 2 team 2018Q1 +250.000
    "5.28.21.1;15-04-2018;-1234,50;4711;Korrektion",  # 3 team 2018Q2 -1.234,50
    "5.28.21.1;31-12-2018;100000,00;4711;Løn december",  # 4 team 2018Q4 +100.000
    '5.28.21.1;02-01-2019;-20000,00;4711;"Korrektion af 2018; tilbageført"',  # 5 team 2019Q1
    '5.28.21.9;30-06-2018;-50.000,00;;"DUT-refusion; 1. halvår"',  # 6 refund 2018Q2
    "5.28.23.4;01-03-2018;400000;;Døgninstitution",  # 7 placements 2018Q1
    "5.28.21.1;01-03-2018;30000;ANL;Ombygning",  # 8 build 2018Q1 (cost centre ANL)
    "5.28.21.1;32-01-2018;999;4711;dato findes ikke",  # 9 bad date
    "5.28.21.1;01-02-2018;12.34;4711;punktum som decimaltegn",  # 10 bad amount
    "5.28.21.1;01-02-2018;777;4711",  # 11 four fields
    "9.99.99.1;01-02-2018;555,55;;Ukendt konto",  # 12 unmapped
    "5.28.21.1;15-02-2016;1000;4711;Før horisonten",  # 13 outside the horizon
]


def write_postings(tmp: Path, lines: list[str] = POSTINGS, name: str = "postings.csv") -> Path:
    p = tmp / name
    p.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return p


def setup(tmp: Path, **kw):
    case = parse_case(CASE)
    index = parse_price_index(INDEX, "index.yaml")
    mapping, marks = parse_mapping(MAPPING, "mapping.yaml")
    lm = LoadedMapping(mapping, "mapping.yaml", marks)
    return build_actuals(case, index, lm, [write_postings(tmp)], **kw)


def test_totals_corrections_refunds_and_price_level(tmp_path):
    a = setup(tmp_path)
    assert list(a.years) == [2017, 2018, 2019, 2020]
    team, placements, refund, build = (a.line_ids.index(x) for x in a.line_ids)
    # team 2018: 250.000 - 1.234,50 + 100.000 = 348.765,50 kr. = 348,7655 (1.000 kr.)
    assert a.current[team, 1] == pytest.approx(348.7655)
    # the correction dated 2019 counts in 2019, not in the year it corrects
    assert a.current[team, 2] == pytest.approx(-20.0)
    # to 2017 p/l with service wages: 348,7655 × 100/102 = 341,92696; -20 × 100/104 = -19,23077
    assert a.amounts[team, 1] == pytest.approx(341.926961, abs=1e-6)
    assert a.amounts[team, 2] == pytest.approx(-19.230769, abs=1e-6)
    # the refund is its own line, negative: -50 × 100/101 (service prices) = -49,50495
    assert a.amounts[refund, 1] == pytest.approx(-49.504950, abs=1e-6)
    # prefix 5.28.2* catches 5.28.23.4: 400 × 100/101 = 396,0396
    assert a.amounts[placements, 1] == pytest.approx(396.039604, abs=1e-6)
    # the cost centre rule wins over the account rule; anlæg index: 30 × 100/103 = 29,12621
    assert a.amounts[build, 1] == pytest.approx(29.126214, abs=1e-6)
    assert a.observed[team].tolist() == [False, True, True, False]
    assert a.observed[build].tolist() == [False, True, False, False]
    assert list(a.years_observed) == [2018, 2019]
    assert a.postings == 7  # lines 2-8; none of 9-13
    assert not a.amounts.flags.writeable


def test_quarters(tmp_path):
    a = setup(tmp_path)
    team = a.line_ids.index("team")
    q = a.quarterly[team, 1] * 1.02  # back to current prices, 1.000 kr.
    assert q[0] == pytest.approx(250.0)
    assert q[1] == pytest.approx(-1.2345)
    assert np.isnan(q[2])  # nothing booked in 2018Q3: unknown, not zero
    assert q[3] == pytest.approx(100.0)
    assert np.nansum(a.quarterly[team, 1]) == pytest.approx(a.amounts[team, 1])


def test_malformed_lines_reported_and_left_out(tmp_path):
    a = setup(tmp_path)
    bad = {(f.line, f.code) for f in a.findings if f.code.startswith("bad_")}
    assert bad == {(9, "bad_date"), (10, "bad_amount"), (11, "bad_fields")}
    # none of 999, 12,34/1.234 or 777 is in any figure: team 2018 is exactly lines 2-4
    assert a.current[a.line_ids.index("team"), 1] == pytest.approx(348.7655)
    outside = [f for f in a.findings if f.code == "outside_horizon"]
    assert len(outside) == 1 and "2016" in str(outside[0].message)
    assert "postings.csv:10" in next(f.where for f in a.findings if f.code == "bad_amount")


def test_unmapped_listed_not_dropped(tmp_path):
    a = setup(tmp_path)
    assert [(u.posting.account, u.posting.amount) for u in a.unmapped] == [("9.99.99.1", 555.55)]
    (acc,) = a.unmapped_accounts
    assert (acc.account, acc.postings, acc.amount, acc.years) == ("9.99.99.1", 1, 555.55, (2018,))
    assert a.unmapped_total == pytest.approx(555.55)


def test_strict_refuses_the_file(tmp_path):
    with pytest.raises(InputError) as e:
        setup(tmp_path, strict=True)
    text = e.value.render("da")
    assert text.startswith(f"{tmp_path / 'postings.csv'}:9: datoen '32-01-2018'")
    assert "--strict" in text
    assert ":10: beløbet '12.34'" in text and ":11: 4 felter, forventede 5" in text
    assert "--strict" in e.value.render("en") and "date" in e.value.render("en")


def test_missing_index_year_refused(tmp_path):
    lines = [*POSTINGS[:2], "5.28.21.1;01-02-2020;10,00;4711;2020 har intet indeks"]
    case = parse_case(CASE)
    index = parse_price_index(INDEX, "index.yaml")
    mapping, marks = parse_mapping(MAPPING, "mapping.yaml")
    with pytest.raises(InputError) as e:
        build_actuals(
            case, index, LoadedMapping(mapping, "m", marks), [write_postings(tmp_path, lines)]
        )
    assert str(e.value).startswith("index.yaml: prisindekset service_wages mangler år 2020")


def test_text_with_line_break_keeps_physical_line_numbers(tmp_path):
    lines = [
        POSTINGS[0],
        '5.28.21.1;15-01-2018;10;4711;"to\r\nlinjer"',  # lines 2-3: one record
        "5.28.21.1;15-01-2018;20;4711;ok",  # 4
        "",  # 5: blank
        "5.28.21.1;xx-01-2018;30;4711;forkert dato",  # 6
    ]
    case, index = parse_case(CASE), parse_price_index(INDEX, "i")
    mapping, marks = parse_mapping(MAPPING, "m")
    a = build_actuals(
        case, index, LoadedMapping(mapping, "m", marks), [write_postings(tmp_path, lines)]
    )
    assert [(f.line, f.code) for f in a.findings] == [(6, "bad_date")]
    assert a.current[0, 1] == pytest.approx(0.030)  # 10 + 20 kr. in 1.000 kr.


def test_xlsx_rows_are_line_numbers(tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Konto", "Dato", "Beløb", "Omkostningssted", "Tekst"])
    ws.append(["5.28.21.1", dt.datetime(2018, 5, 1), 1500.5, "4711", "Løn; maj"])
    ws.append(["5.28.21.9", "01-06-2018", "-2.000,00", None, "Refusion"])
    ws.append(["5.28.21.1", "i går", 5, "4711", "dato som tekst"])
    wb.save(tmp_path / "p.xlsx")
    case, index = parse_case(CASE), parse_price_index(INDEX, "i")
    mapping, marks = parse_mapping(MAPPING, "m")
    a = build_actuals(case, index, LoadedMapping(mapping, "m", marks), [tmp_path / "p.xlsx"])
    assert a.current[0, 1] == pytest.approx(1.5005)
    assert a.current[2, 1] == pytest.approx(-2.0)
    assert [(f.line, f.code) for f in a.findings] == [(4, "bad_date")]


def test_explicit_actuals_and_conflict(tmp_path):
    case, index = parse_case(CASE), parse_price_index(INDEX, "i")
    a = build_actuals(case, index, explicit={"refund": {"2018Q1": -10, "2018Q3": -20, 2019: -40}})
    r = a.line_ids.index("refund")
    # (-10 - 20) × 100/101 = -29,70297; -40 × 100/102 = -39,21569
    assert a.amounts[r, 1] == pytest.approx(-29.702970, abs=1e-6)
    assert a.amounts[r, 2] == pytest.approx(-39.215686, abs=1e-6)
    assert np.isnan(a.quarterly[r, 2]).all()  # 2019 given as a year only
    mapping, marks = parse_mapping(MAPPING, "m")
    with pytest.raises(InputError, match="team 2018 er allerede givet"):
        build_actuals(
            case,
            index,
            LoadedMapping(mapping, "m", marks),
            [write_postings(tmp_path)],
            explicit={"team": {2018: 1}},
        )


def test_mapping_to_unknown_line_is_located():
    case = parse_case(CASE)
    mapping, marks = parse_mapping("lines:\n  tean: {accounts: ['5.28.21.1']}\n", "m.yaml")
    with pytest.raises(InputError) as e:
        LoadedMapping(mapping, "m.yaml", marks).check_case(case)
    assert str(e.value).startswith("m.yaml:2:3: lines.tean: linjen 'tean' findes ikke")


FOLLOWUP = """\
case: case.yaml
price_index: index.yaml
actuals: {refund: {2018: -50}}
activity:
  fte: {2018Q1: 1, 2018Q2: 2, 2018Q3: 2, 2018Q4: 3, 2019: 2.5}
repayments: {2019: 100}
criteria:
  - {id: length, label: Kortere forløb, indicator: gennemsnitlig forløbslængde i uger,
     unit: uger, baseline: 40, target: 30, direction: down, due: [2018-06-30, 2019-06-30]}
measurements:
  - {criterion: length, date: 2018-06-30, value: 37}
"""


def test_followup_file_and_activity():
    fu, marks = parse_followup(FOLLOWUP, "f.yaml")
    act = build_activity(fu, parse_case(CASE), "f.yaml", marks)
    assert act.year_value("fte", 2018, "sum") == pytest.approx(8.0)  # 1 + 2 + 2 + 3
    assert act.year_value("fte", 2018, "mean") == pytest.approx(2.0)
    assert act.year_value("fte", 2019) == pytest.approx(2.5)
    assert np.isnan(act.year_value("fte", 2020))


def test_activity_unknown_parameter_is_located():
    text = FOLLOWUP.replace("  fte: {", "  ftes: {")
    fu, marks = parse_followup(text, "f.yaml")
    with pytest.raises(InputError) as e:
        build_activity(fu, parse_case(CASE), "f.yaml", marks)
    assert str(e.value).startswith("f.yaml:5:3: activity.ftes: parameteren 'ftes' findes ikke")
    assert "fte, rate" in str(e.value)


def test_schema_is_current():
    committed = json.loads((ROOT / "docs" / "followup.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), (
        "regenerate: python -c 'import json; from socinvest.followup.schema import "
        "json_schema; print(json.dumps(json_schema(), indent=2, ensure_ascii=False))' "
        "> docs/followup.schema.json"
    )


BAD = [
    ("bad_fields.csv", "postings", ":3: 4 felter, forventede 5"),
    ("bad_date.csv", "postings", ":2: datoen '2018-01-15' er ikke en dato som 31-12-2018"),
    ("bad_amount.csv", "postings", ":2: beløbet '1.234.5' er ikke et beløb"),
    ("bad_quote.csv", "postings", ":3: et anførselstegn lukkes ikke"),
    ("no_amount_column.csv", "postings", ":1: overskriften mangler kolonnen for amount"),
    ("comma_separated.csv", "postings", ":1: forventede semikolon som skilletegn"),
    ("latin1.csv", "postings", ":1: ikke gyldig UTF-8"),
    ("mapping_clash.yaml", "mapping", ":5:16: lines.b.accounts[0]: kontoen 5.28.21* er tildelt"),
    ("mapping_bad_account.yaml", "mapping", ":2:18: lines.a.accounts[0]: kontoen '5.28 21'"),
    (
        "index_not_positive.yaml",
        "index",
        ":4:3: kinds.service_wages: indekset for 2018 skal være større end 0",
    ),
    (
        "followup_quarter.yaml",
        "followup",
        ":3:11: actuals.refund: '2018Q5' er hverken et år eller et kvartal",
    ),
    (
        "followup_criterion.yaml",
        "followup",
        ":6:6: measurements[0].criterion: målingen henviser til et ukendt succeskriterium 'lenght'; kendte: length",
    ),
]


@pytest.mark.parametrize(("name", "kind", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_fixtures(name, kind, expected):
    from socinvest.followup.mapping import Matcher, load_mapping
    from socinvest.followup.postings import read_postings
    from socinvest.followup.prices import load_price_index
    from socinvest.followup.schema import load_followup

    path = FIX / name
    with pytest.raises(InputError) as e:
        if kind == "postings":
            mapping, _ = parse_mapping(MAPPING)
            read_postings(path, Matcher(mapping), strict=True)
        elif kind == "mapping":
            load_mapping(path)
        elif kind == "index":
            load_price_index(path)
        else:
            load_followup(path)
    text = str(e.value)
    assert text.startswith(str(path)), text
    assert expected in text, text
    assert e.value.render("en") != text  # worded in English too


def test_every_line_accounted_for(tmp_path):
    """Blank lines in a row and a quoted line break: the exact count is used, nothing lost."""
    from socinvest.followup.reject import _quick_count, _records

    lines = [POSTINGS[0], POSTINGS[1], "", "", "", '5.28.21.1;15-01-2018;1;4711;"a\r\nb"', "x;y"]
    p = write_postings(tmp_path, lines)
    # data records: line 2, the record on lines 6-7, line 8 (three blank lines are none)
    assert _records(p, set())[0] == 3
    assert _quick_count(p) != 3  # the quick count sees 4 and sends the reader to _records
    a = build_actuals(
        parse_case(CASE),
        parse_price_index(INDEX, "i"),
        LoadedMapping(parse_mapping(MAPPING, "m")[0], "m", {}),
        [p],
    )
    assert [(f.line, f.code) for f in a.findings] == [(8, "bad_fields")]
    assert a.current[0, 1] == pytest.approx(250.001)  # 250.000,00 + 1 kr.
