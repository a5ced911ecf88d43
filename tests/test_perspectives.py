"""Perspectives (docs/perspectives.md): payers, the consequence catalogue, transfers, results for
the municipality, the public sector and society, their checks, reports and Monte Carlo.

Every expected figure is a hand calculation written next to its assertion."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pytest

from socinvest.case.load import parse_case as parse_raw
from socinvest.engine.perspectives import perspectives
from socinvest.engine.resolve import evaluate
from socinvest.errors import InputError
from socinvest.reports.json_results import results_json
from socinvest.services.case import case_bundle, load_case

from .conftest import EXAMPLES, cli

SEED = EXAMPLES / "tidlig-indsats-0-2.yaml"
SAMFUND = EXAMPLES / "tidlig-indsats-0-2-samfund.yaml"

CATALOGUE = """\
title: Testkatalog (opfundet)
illustrative: true
unit: 1.000 kr.
price_level: 2024
source: opfundet til test
consequences:
  job:
    label: Et år i job i stedet for på kontanthjælp
    per: person pr. år
    values: {kommune: -50, stat: -80, borger: 30}
    source: opfundet
  skat:
    label: Skat
    per: person pr. år
    values: {borger: 100, kommune: -60, stat: -40}
    transfer: true
    source: opfundet
  skat_forkert:
    label: Skat med en slåfejl
    per: person pr. år
    values: {borger: 100, kommune: -60, stat: -30}
    transfer: true
    source: opfundet
"""

CASE = """\
id: t
title: Test
unit: 1.000 kr.
price_level: 2024
horizon: 2025-2027
catalogue: katalog.yaml
parameters:
  persons: {value: 10, unit: personer, source: test}
lines:
  - {id: start, label: Opstart, kind: investment, amounts: {2025: 1000}}
  - {id: job, label: Flere i job, kind: saving,
     driver: {consequence: job, count: persons}}
"""


def write(tmp: Path, case: str = CASE, catalogue: str = CATALOGUE) -> Path:
    (tmp / "katalog.yaml").write_text(catalogue, encoding="utf-8")
    p = tmp / "case.yaml"
    p.write_text(case, encoding="utf-8")
    return p


def add(case: str, text: str) -> str:
    return case + textwrap.dedent(text)


def add_lines(case: str, text: str) -> str:
    """`case` with more lines (written at any indentation)."""
    return case + textwrap.indent(textwrap.dedent(text), "  ")


def test_hand_checked_perspectives(tmp_path):
    # 10 persons × (kommune -50, stat -80, borger +30) a year: municipality -500, public
    # -500 - 800 = -1.300, society -1.300 + 300 = -1.000; plus 1.000 invested by the
    # municipality in 2025.
    pr = case_bundle(load_case(write(tmp_path))).perspectives
    assert pr is not None and pr.payers == ("kommune", "stat", "borger")
    assert pr.flows("kommune")[0].tolist() == [500, -500, -500]
    assert pr.flows("stat")[0].tolist() == [-800, -800, -800]
    assert pr.flows("borger")[0].tolist() == [300, 300, 300]
    assert pr.flows("municipality")[0].tolist() == [500, -500, -500]
    assert pr.flows("public")[0].tolist() == [-300, -1300, -1300]
    assert pr.flows("society")[0].tolist() == [0, -1000, -1000]
    assert pr.total("municipality")[0] == -500
    assert pr.total("public")[0] == -2900
    assert pr.total("society")[0] == -2000
    # payback: municipality cumulative 500, 0 -> year 2; public -300 -> year 1; society starts
    # in year 2 (year 1 nets to 0) and is below zero at once -> year 2
    assert [pr.payback(k)[0] for k in ("municipality", "public", "society")] == [2, 1, 2]
    # NPV at 3,5 %, year 1 discounted a full year: -sum(flow_t / 1,035^t)
    d = [1.035, 1.035**2, 1.035**3]
    assert pr.npv("municipality")[0] == pytest.approx(-(500 / d[0] - 500 / d[1] - 500 / d[2]))
    assert pr.npv("public")[0] == pytest.approx(300 / d[0] + 1300 / d[1] + 1300 / d[2])
    assert pr.npv("society")[0] == pytest.approx(1000 / d[1] + 1000 / d[2])


def test_municipal_results_are_the_kommune_lines_only(tmp_path):
    res = case_bundle(load_case(write(tmp_path))).results
    assert [ln.id for ln in res.case.lines] == ["start", "job"]
    assert res.impact[0].tolist() == [500, -500, -500]  # 1.000 - 10 × 50, then -500
    assert res.payback("total")[0] == 2
    assert [ln.id for ln in res.case.other_lines] == ["job__stat", "job__borger"]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_a_case_without_payers_gives_todays_results(path):
    loaded = load_case(path)
    if path == SAMFUND:
        pytest.skip("the example with payers: see the next test")
    assert loaded.other_lines == [] and loaded.transfers == {}
    bundle = case_bundle(loaded, simulate=False)
    assert bundle.perspectives is None
    assert "perspectives" not in results_json(bundle.results)
    if path.name != "ladder-strategi.yaml":  # ladder lines need the service to resolve them
        raw = parse_raw(path.read_text(encoding="utf-8"), str(path))
        assert loaded.lines == raw.lines
        np.testing.assert_array_equal(evaluate(raw).amounts, bundle.results.amounts)
    # the municipal perspective is today's result, the very same numbers
    pr = perspectives(bundle.results)
    np.testing.assert_array_equal(pr.flows("society"), bundle.results.impact)
    assert pr.npv("municipality")[0] == bundle.results.npv()[0]


def test_the_seed_extension_keeps_the_municipality_and_adds_region_state_citizens():
    seed = case_bundle(load_case(SEED), simulate=False)
    ext = case_bundle(load_case(SAMFUND), simulate=False)
    np.testing.assert_array_equal(seed.results.amounts, ext.results.amounts)
    assert [f.code for f in ext.check.findings] == [f.code for f in seed.check.findings]
    pr = ext.perspectives
    assert pr is not None and pr.payers == ("kommune", "region", "stat", "borger")
    y = [int(v) for v in pr.years]
    # region: 2 avoided courses × -100 from 2023; citizens: 2 × -10; state: 1 × -50 from 2020
    region = dict(zip(y, pr.flows("region")[0].tolist(), strict=True))
    assert region[2022] == 0 and region[2023] == -200 and region[2029] == -200
    assert pr.total("region")[0] == -1400  # 7 years × -200
    assert pr.total("stat")[0] == -500  # 10 years × -50
    assert pr.total("borger")[0] == -140
    public = dict(zip(y, pr.flows("public")[0].tolist(), strict=True))
    # table 1's net effect plus region and state: 2020: -1.400 - 50; 2023: -2.300 - 250;
    # 2029: -4.100 - 250
    assert (public[2019], public[2020], public[2023], public[2029]) == (-1400, -1450, -2550, -4350)
    assert pr.flows("society")[0][-1] == -4370  # -4.350 - 20
    assert pr.total("public")[0] == -18500 - 1400 - 500
    # cumulative public: 3.500, 5.000, 3.600, 2.150, 700, -750 -> year 6, as the municipality
    assert pr.payback("public")[0] == 6


def test_transfers_net_to_zero_or_are_found(tmp_path):
    ok = add_lines(
        CASE,
        """\
          - {id: tax, label: Skat, kind: saving, driver: {consequence: skat, count: persons}}
          - {id: benefit_stat, label: Ydelse (staten betaler), kind: cost, payer: stat,
             transfer: {from: stat, to: borger}, amounts: 40}
          - {id: benefit_borger, label: Ydelse (borgeren får), kind: saving, payer: borger,
             transfer: {from: stat, to: borger}, amounts: -40}
        """,
    )
    b = case_bundle(load_case(write(tmp_path, ok)))
    assert not [f for f in b.check.findings if f.code == "TRANSFER_NOT_NETTING"]
    pr = b.perspectives
    # the tax (kommune -600, stat -400 a year for 10 persons) is a gain for the public
    # sector and nothing for society; the benefit is a cost for the public sector only
    assert pr.flows("public")[0].tolist() == [-300 - 1000 + 40, -1300 - 1000 + 40, -2260]
    assert pr.flows("society")[0].tolist() == [0, -1000, -1000]

    bad = add_lines(
        CASE,
        """\
          - {id: tax, label: Skat, kind: saving, driver: {consequence: skat_forkert, count: persons}}
          - {id: benefit_stat, label: Ydelse, kind: cost, payer: stat,
             transfer: {from: stat, to: borger}, amounts: 40}
          - {id: benefit_borger, label: Ydelse, kind: saving, payer: borger,
             transfer: {from: stat, to: borger}, amounts: {2026: -40}}
        """,
    )
    findings = case_bundle(load_case(write(tmp_path, bad))).check.findings
    found = {(f.row, f.year, f.computed) for f in findings if f.code == "TRANSFER_NOT_NETTING"}
    # skat_forkert: 10 × (100 - 60 - 30) = 100 a year; the benefit misses its other side in
    # 2025 (+40) and 2027
    assert found == {("tax", 2025, 100.0), ("stat>borger", 2025, 40.0)}
    msg = next(f.message for f in findings if f.row == "stat>borger")
    assert "overførslen fra stat til borger går ikke i nul i 2025" in str(msg)
    assert "transfer from stat to borger does not net to zero in 2025" in msg.render("en")


def test_stated_figures_per_perspective(tmp_path):
    stated = add(
        CASE,
        """\
        stated:
          - {table: Tabel S, row: Offentlig, of: impact, perspective: public,
             values: {2025: -300, 2026: -1300}}
          - {table: Tabel S, row: Samfund i alt, of: impact, perspective: society, total: -2000}
          - {table: Tabel S, row: Offentlig tilbagebetaling, perspective: public,
             payback: total, value: 1}
          - {table: Tabel S, row: Samfund forkert, of: saving, perspective: society,
             values: {2027: -900}}
          - {table: Tabel S, row: Samfund tilbagebetaling forkert, perspective: society,
             payback: total, value: 1}
          - {table: Tabel 1, row: Kommunen, of: impact, values: {2025: 500}}
        """,
    )
    findings = case_bundle(load_case(write(tmp_path, stated))).check.findings
    got = {(f.code, f.row, f.year) for f in findings}
    # society's savings 2027: -500 - 800 + 300 = -1.000, stated -900; payback year 2, stated 1
    assert got == {
        ("PERSPECTIVE_MISMATCH", "Tabel S: Samfund forkert", 2027),
        ("PERSPECTIVE_MISMATCH", "Tabel S: Samfund tilbagebetaling forkert", None),
    }
    f = next(f for f in findings if f.year == 2027)
    assert (f.stated, f.computed) == (-900, -1000)
    assert "(samfundet): angivet -900, beregnet -1.000; forskel 100" in str(f.message)
    assert "(society): stated -900, computed -1,000; difference 100" in f.message.render("en")


@pytest.mark.parametrize(
    ("case", "catalogue", "where", "words"),
    [
        (
            CASE,
            CATALOGUE.replace("price_level: 2024", "price_level: 2020"),
            "catalogue",
            "konsekvenskataloget er i 2020 p/l, casen i 2024 p/l",
        ),
        (
            CASE.replace("consequence: job", "consequence: jobb"),
            CATALOGUE,
            "lines[1].driver.consequence",
            "ukendt konsekvens 'jobb'",
        ),
        (
            CASE.replace("catalogue: katalog.yaml\n", ""),
            CATALOGUE,
            "lines[1].driver.consequence",
            "casen angiver intet katalog",
        ),
        (
            add_lines(CASE, "- {id: r, label: R, kind: cost, payer: regionen, amounts: 1}\n"),
            CATALOGUE,
            "lines[2].payer",
            "ukendt betaler 'regionen'",
        ),
        (
            add(
                add_lines(CASE, "- {id: r, label: R, kind: cost, payer: region, amounts: 1}\n"),
                "stated:\n  - {table: T, row: R, lines: [r], values: {2025: 1}}\n",
            ),
            CATALOGUE,
            "stated[0].lines[0]",
            "betales ikke af kommunen",
        ),
        (
            add_lines(
                CASE,
                "- {id: r, label: R, kind: cost, payer: kommune, amounts: 1,\n"
                "   transfer: {from: stat, to: borger}}\n",
            ),
            CATALOGUE,
            "lines[2].payer",
            "skal være stat eller borger",
        ),
    ],
)
def test_located_errors(tmp_path, case, catalogue, where, words):
    with pytest.raises(InputError) as e:
        load_case(write(tmp_path, case, catalogue))
    text = str(e.value)
    assert "case.yaml:" in text and where in text and words in text, text


def test_a_catalogue_at_another_unit_is_converted_exactly(tmp_path):
    cat = CATALOGUE.replace("unit: 1.000 kr.", "unit: kr.").replace("-80", "-80000")
    cat = cat.replace("{kommune: -50,", "{kommune: -50000,").replace(
        "borger: 30}", "borger: 30000}"
    )
    pr = case_bundle(load_case(write(tmp_path, catalogue=cat))).perspectives
    assert pr.flows("society")[0].tolist() == [0, -1000, -1000]


def test_monte_carlo_per_perspective():
    from socinvest.services.simulation import simulation_bundle

    case = load_case(SAMFUND)
    sim = simulation_bundle(case, draws=400, seed=3).simulation
    pr = perspectives(evaluate(case))
    # the other payers' counts are certain: every draw's public NPV is its municipal NPV
    # plus the same present value of the region's and the state's flows
    extra = pr.npv("public")[0] - pr.npv("municipality")[0]
    np.testing.assert_allclose(sim.data["npv_public"] - sim.data["npv"], extra, rtol=1e-9)
    out = sim.to_json()["perspectives"]
    assert out["municipality"]["p_payback"] == sim.p_payback("total")
    pb_pub, pb_mun = sim.data["payback_public"], sim.data["payback_total"]
    assert out["public"]["p_payback"] == float((~np.isnan(pb_pub)).mean())
    # more savings for the public sector never delay its payback
    both = ~np.isnan(pb_mun)
    assert (pb_pub[both] <= pb_mun[both]).all()
    assert "perspectives" not in simulation_bundle(load_case(SEED), 50, 1).simulation.to_json()


def test_show_terminal_and_json_in_both_languages():
    r = cli("show", SAMFUND)
    assert r.exit_code == 0, r.output
    assert "Nettoeffekt pr. betaler og perspektiv" in r.stdout
    assert "Resultat pr. perspektiv" in r.stdout and "-20.400" in r.stdout
    r = cli("show", SAMFUND, "--lang", "en")
    assert "Net effect by payer and perspective" in r.stdout and "-20,400" in r.stdout
    r = cli("show", SAMFUND, "--json")
    d = json.loads(r.stdout)["perspectives"]
    assert d["public"]["total"] == -20400 and d["society"]["total"] == -20540
    assert d["public"]["payback"]["year"] == 6
    assert "Resultat pr. perspektiv" not in cli("show", SEED).stdout


@pytest.mark.parametrize(
    ("lang", "captions"),
    [
        (
            "da",
            (
                "Nettoeffekt pr. betaler og perspektiv",
                "Resultat pr. perspektiv",
                "Nettoeffekt pr. betaler og år",
                "Kataloget er illustrativt",
            ),
        ),
        (
            "en",
            (
                "Net effect by payer and perspective",
                "Result by perspective",
                "Net effect by payer and year",
                "The catalogue is illustrative",
            ),
        ),
    ],
)
def test_report_shows_the_perspectives(tmp_path, lang, captions):
    from docx import Document

    from socinvest.reports.document import build_document
    from socinvest.reports.registry import render_file

    doc = build_document(case_bundle(load_case(SAMFUND), draws=200, seed=1), lang)
    section = doc.section("perspectives")
    assert [type(b).__name__ for b in section.blocks] == ["Table", "Table", "Figure"]
    row = doc.table("perspective_result").rows[1]
    # by hand: table 1's net effect plus the state's -50 (2020-2029, t = 4..13) and the
    # region's -200 (2023-2029, t = 7..13), discounted at 3,5 % with t = 1 for 2017
    net = [3500, 1500] + [-1400] * 4 + [-2300] * 6 + [-4100]
    npv = -sum(v / 1.035 ** (t + 1) for t, v in enumerate(net))
    npv += sum(50 / 1.035**t for t in range(4, 14)) + sum(200 / 1.035**t for t in range(7, 14))
    assert row.cells[1].value == -18500 - 1400 - 500
    assert row.cells[3].value == pytest.approx(npv)
    assert len(doc.table("perspective_result").header) == 5  # with P(payback): a simulation
    html = render_file(doc, tmp_path / "r.html").read_text(encoding="utf-8")
    docx = render_file(doc, tmp_path / "r.docx")
    paras = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    for c in captions:
        assert c in html
    for c in captions[:3]:
        assert c in paras
    plain = build_document(case_bundle(load_case(SEED), simulate=False), lang)
    assert "perspectives" not in [s.key for s in plain.sections]


def test_the_example_catalogue_is_marked_illustrative():
    from socinvest.case.catalogue import read_catalogue

    cat = read_catalogue(EXAMPLES / "data" / "consequences_example.yaml")
    assert cat.illustrative and "opfundne" in cat.title
    for c in cat.consequences.values():
        assert "Opfundet" in c.source or "opfundet" in c.source
        assert all(v % 10 == 0 for v in c.values.values())  # obviously round
        if c.transfer:
            assert sum(c.values.values()) == 0
