"""The documentation is tested against the code: the example case in docs/case-format.md
loads, computes and agrees with its hand calculation; docs/findings.md documents exactly the
finding codes; docs/case-format.md mentions every field of the case format."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from socinvest.case.load import parse_case
from socinvest.case.schema import Case, Line, StatedFigure
from socinvest.checks.case import check_case
from socinvest.checks.findings import CODES
from socinvest.engine.resolve import evaluate

DOCS = Path(__file__).resolve().parents[1] / "docs"
CASE_FORMAT = DOCS / "case-format.md"
FINDINGS = DOCS / "findings.md"


def _yaml_blocks(text: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", text, flags=re.S | re.M)


@pytest.fixture(scope="module")
def example():
    """The one complete example: the yaml block that declares `lines:` and `stated:`."""
    blocks = [
        b
        for b in _yaml_blocks(CASE_FORMAT.read_text(encoding="utf-8"))
        if re.search(r"^lines:", b, re.M) and re.search(r"^stated:", b, re.M)
    ]
    assert len(blocks) == 1, "docs/case-format.md should hold exactly one complete example"
    case = parse_case(blocks[0], "docs/case-format.md (example)")
    return case, evaluate(case)


# -- (a) the example case -------------------------------------------------------------------


def test_example_is_marked_invented():
    text = CASE_FORMAT.read_text(encoding="utf-8")
    block = next(b for b in _yaml_blocks(text) if re.search(r"^stated:", b, re.M))
    assert "INVENTED" in block
    assert "**This case is invented**" in text


def test_example_uses_every_driver_type_ramp_and_stated_form(example):
    case, _ = example
    drivers = {type(ln.driver).__name__ for ln in case.lines if ln.driver is not None}
    assert drivers == {"FteDriver", "CountDriver", "ExprDriver"}
    assert any(ln.amounts is not None for ln in case.lines)
    assert any(ln.ramp is not None for ln in case.lines)
    assert len(case.committees) == 2
    assert {ln.funding.value for ln in case.lines} == {"own", "pool", "external"}
    forms = {
        next(f for f in ("values", "total", "share", "payback") if getattr(s, f) is not None)
        for s in case.stated
    }
    assert forms == {"values", "total", "share", "payback"}


def test_example_lines_by_hand(example):
    _, res = example
    years = list(res.years)
    assert years == list(range(2025, 2033))
    ids = [ln.id for ln in res.case.lines]
    a = {i: res.amounts[0, k] for k, i in enumerate(ids)}
    rest = 6  # 2027-2032
    # team: 3 årsværk × 600
    np.testing.assert_allclose(a["team"], [3 * 600] * 8)
    # courses: families (10, then 20) × 50
    np.testing.assert_allclose(a["courses"], [10 * 50] + [20 * 50] * 7)
    # saving_preventive: -(families × 60 × 0.5), ramp 0.5 in 2025 only
    np.testing.assert_allclose(
        a["saving_preventive"], [-(10 * 60 * 0.5) * 0.5] + [-(20 * 60 * 0.5)] * 7
    )
    # saving_placements: -min(avoided, 5) × 700; avoided unlisted in 2025 -> 0
    np.testing.assert_allclose(a["saving_placements"], [0, -2 * 700] + [-5 * 700] * rest)
    np.testing.assert_allclose(a["rooms"], [1000] + [0] * 7)


def test_example_totals_by_hand(example):
    _, res = example
    permanent = [1800 + 500 - 150 - 0, 1800 + 1000 - 600 - 1400] + [1800 + 1000 - 600 - 3500] * 6
    assert permanent[:3] == [2150, 800, -1300]
    np.testing.assert_allclose(res.permanent[0], permanent)
    investment = [800 + 1000, 400 + 150, 0, 150, 0, 0, 0, 0]
    np.testing.assert_allclose(res.investment[0], investment)
    impact = [p + i for p, i in zip(permanent, investment, strict=True)]
    np.testing.assert_allclose(res.impact[0], impact)
    assert impact[:2] == [3950, 1350]
    # own net cost leaves out the externally funded evaluation (150 in 2026 and 2028)
    own = [v - e for v, e in zip(impact, [0, 150, 0, 150, 0, 0, 0, 0], strict=True)]
    np.testing.assert_allclose(res.own_net[0], own)
    # Socialudvalget: 40 % of courses + placements saving + evaluation
    sou = [
        0.4 * c + s + e
        for c, s, e in zip(
            [500] + [1000] * 7, [0, -1400] + [-3500] * 6, [0, 150, 0, 150, 0, 0, 0, 0], strict=True
        )
    ]
    np.testing.assert_allclose(res.by_committee()["SOU"][0], sou)


def test_example_payback_and_npv_by_hand(example):
    _, res = example
    # service: cumulative 2.950, 4.300, 3.000, 1.850, 550, -750 -> year 6
    assert res.payback("service")[0] == 6
    assert res.payback_fractional("service")[0] == pytest.approx(5 + 550 / (550 + 750))
    # total adds 1.000 anlæg in 2025: ..., 1.550, 250, -1.050 -> year 7
    assert res.payback("total")[0] == 7
    flows = [3950, 1350, -1300, -1150, -1300, -1300, -1300, -1300]
    npv = -sum(f / 1.035**t for t, f in enumerate(flows, start=1))
    assert res.npv()[0] == pytest.approx(npv)
    assert res.npv()[0] == pytest.approx(1259.16, abs=0.01)


def test_example_stated_figures_all_agree(example):
    case, res = example
    report = check_case(case, res)
    assert report.findings == []
    # own money (external evaluation left out): cumulative 3.950, 5.150, 3.850, 2.550,
    # 1.250, -50 -> year 6 (docs/case-format.md, hand calculation)
    assert report.payback == {"service": 6.0, "total": 7.0, "own": 6.0}


def test_hand_calculation_table_matches_example(example):
    """The prose below the example quotes these results; keep them in step."""
    text = CASE_FORMAT.read_text(encoding="utf-8")
    for fragment in ("**year 6**", "**5,42 years**", "**year 7**", "**2.150**", "**3.950**"):
        assert fragment in text


# -- (b) finding codes ------------------------------------------------------------------------


def _documented_codes() -> dict[str, str]:
    """code -> its section's text, from the `## CODE` headings of docs/findings.md."""
    text = FINDINGS.read_text(encoding="utf-8")
    parts = re.split(r"^## ([A-Z][A-Z_]+)\s*$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_code_is_documented_and_vice_versa():
    documented = _documented_codes()
    assert sorted(documented) == sorted(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_code_section_is_complete(code):
    section = _documented_codes().get(code)
    assert section is not None, f"{code} is not documented in docs/findings.md"
    severity = CODES[code][0]
    assert re.search(rf"\*\*Severity:\*\* {severity.value}\b", section), code
    for part in ("**Meaning:**", "**When:**", "**Example", "**Fix:**"):
        assert part in section, f"{code}: no {part}"


# -- (c) every field of the format is documented -------------------------------------------


def _field_names(model) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


@pytest.mark.parametrize("model", [Case, Line, StatedFigure], ids=lambda m: m.__name__)
def test_every_field_is_documented(model):
    text = CASE_FORMAT.read_text(encoding="utf-8")
    missing = [n for n in _field_names(model) if f"`{n}`" not in text]
    assert missing == [], f"{model.__name__} fields not in docs/case-format.md: {missing}"


def test_nested_fields_are_documented():
    from socinvest.case.schema import (
        CountDriver,
        Departments,
        Discounting,
        ExprDriver,
        FteDriver,
        Parameter,
        Sections,
        SuccessCriterion,
    )

    text = CASE_FORMAT.read_text(encoding="utf-8")
    models = (
        Parameter,
        FteDriver,
        CountDriver,
        ExprDriver,
        SuccessCriterion,
        Sections,
        Departments,
        Discounting,
    )
    missing = [f"{m.__name__}.{n}" for m in models for n in _field_names(m) if f"`{n}`" not in text]
    assert missing == []


def test_enum_values_are_documented():
    from socinvest.case.schema import Area, Funding, Kind, SignConvention, Unit

    text = CASE_FORMAT.read_text(encoding="utf-8")
    values = [v.value for e in (Area, Funding, Kind, SignConvention, Unit) for v in e]
    values += list(StatedFigure.model_fields["of"].annotation.__args__[0].__args__)
    assert [v for v in values if f"`{v}`" not in text] == []
