"""`simulate` and `sensitivity` as the user sees them (in-process, typer's CliRunner): the
tornado's method (P10/P90 vs min/max) reaches every face, the Monte Carlo keeps the service
basis apart from the total basis, JSON has one key for the parameter and no NaN, and both
languages are whole. Every expected figure is worked out by hand next to its test."""

from __future__ import annotations

import json
import re

import pytest

from socinvest.services.case import parse_case
from socinvest.services.simulation import sensitivity_bundle, simulation_bundle

from .conftest import cli

# -- a linear case for the tornado ------------------------------------------------------------
# One FTE at `rate` (uniform 4000–6000, base 5000) against a saving of 7000 a year, two years,
# 3,5 % with the first year discounted. Net flow per year = rate − 7000, so
#   NPV(rate) = (7000 − rate) · F,   F = 1/1,035 + 1/1,035² = 1,8996942752…
# P10/P90 of uniform(4000, 6000) = 4200 / 5800 → NPV 2800·F / 1200·F, swing 1600·F;
# min/max                        = 4000 / 6000 → NPV 3000·F / 1000·F, swing 2000·F.
# The swings' ratio is exactly 2000/1600 = (6000 − 4000)/(5800 − 4200) = 1,25.
LINEAR = """
id: lin
title: Lineær
unit: 1.000 kr.
price_level: 2024
horizon: 2024-2025
committees: {A: Udvalg A}
parameters:
  rate:
    value: 5000
    unit: kr. pr. årsværk
    source: test
    uncertainty: {dist: uniform, min: 4000, max: 6000}
  fte: {value: 1, unit: årsværk, source: test}
lines:
  - {id: staff, label: Personale, kind: cost, area: service, owner: A,
     driver: {fte: fte, rate: rate}}
  - {id: saving, label: Besparelse, kind: saving, area: service, owner: A,
     amounts: {2024-2025: -7000}}
"""
F = 1 / 1.035 + 1 / 1.035**2


@pytest.fixture
def linear(tmp_path):
    p = tmp_path / "lin.yaml"
    p.write_text(LINEAR, encoding="utf-8")
    return p


def _json(result) -> dict:
    assert result.exit_code == 0, result.stderr or result.stdout

    def no_constant(name):  # NaN, Infinity: not JSON
        raise AssertionError(f"{name} in JSON")

    return json.loads(result.stdout, parse_constant=no_constant)


def test_minmax_changes_the_tornado_and_its_label_in_json(linear):
    p10 = _json(cli("sensitivity", linear, "--json"))
    mm = _json(cli("sensitivity", linear, "--json", "--minmax"))
    assert (p10["method"], mm["method"]) == ("p10p90", "minmax")
    (a,) = p10["tornado"]
    (b,) = mm["tornado"]
    assert a["parameter"] == b["parameter"] == "rate"  # one key, as in switching values
    assert (a["low"], a["high"]) == pytest.approx((4200, 5800))
    assert (b["low"], b["high"]) == (4000, 6000)
    assert (a["npv_low"], a["npv_high"]) == pytest.approx((2800 * F, 1200 * F))
    assert (b["npv_low"], b["npv_high"]) == pytest.approx((3000 * F, 1000 * F))
    assert a["swing"] == pytest.approx(1600 * F)
    assert b["swing"] / a["swing"] == pytest.approx((6000 - 4000) / (5800 - 4200), rel=1e-12)
    assert p10["base_npv"] == pytest.approx(2000 * F)
    # switching values: NPV = (7000 − m·5000)·F = 0 at m = 1,4 (rate 7000 or fte 1,4)
    sw = {s["parameter"]: s for s in p10["switching_npv"]}
    assert sw["rate"]["value"] == pytest.approx(7000, rel=1e-8)
    assert sw["fte"]["value"] == pytest.approx(1.4, rel=1e-8)
    assert sw["rate"]["change_pct"] == pytest.approx(40, rel=1e-8)


def test_minmax_is_labelled_min_max_on_the_terminal(linear):
    da = cli("sensitivity", linear, "--minmax")
    assert da.exit_code == 0, da.stderr
    assert "Tornado: NPV med én parameter ad gangen ved min og max" in da.stdout
    assert "P10" not in da.stdout and "P90" not in da.stdout
    # 4000,00 | 6000,00 | NPV 3000·F = 5.699,08 | 1000·F = 1.899,69 | swing 2000·F = 3.799,39
    assert re.search(r"rate │ 4\.000,00 │ 6\.000,00 │\s+5\.699 │\s+1\.900 │\s+3\.799 │", da.stdout)
    assert "tilbagebet. min/max" in da.stdout
    plain = cli("sensitivity", linear)
    # P10/P90: 4.200,00 | 5.800,00 | 2800·F = 5.319,14 | 1200·F = 2.279,63 | 1600·F = 3.039,51
    assert re.search(
        r"rate │ 4\.200,00 │ 5\.800,00 │\s+5\.319 │\s+2\.280 │\s+3\.040 │", plain.stdout
    )
    assert "ved P10 og P90" in plain.stdout and "min og max" not in plain.stdout
    en = cli("sensitivity", linear, "--minmax", "--lang", "en")
    assert "Tornado: NPV with one parameter at a time at min and max" in en.stdout
    assert re.search(r"rate │ 4,000\.00 │ 6,000\.00 │\s+5,699 │\s+1,900 │\s+3,799 │", en.stdout)


def test_minmax_is_labelled_min_max_in_the_html_page(linear, tmp_path):
    out = tmp_path / "mm.html"
    r = cli("simulate", linear, "-n", "500", "--minmax", "--html", out)
    assert r.exit_code == 0, r.stderr
    page = re.sub(r"<svg.*?</svg>", "", out.read_text(encoding="utf-8"), flags=re.S)
    assert "ved min og max" in page and "NPV ved min" in page
    assert "P10" not in page and "P90" not in page
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") == 4  # yearly fan, cumulative fan, payback, tornado


def test_simulate_terminal_has_hand_checked_figures_in_both_languages(linear):
    # Every draw pays back in year 1 (rate ≤ 6000 < 7000) and has NPV > 0.
    da = cli("simulate", linear, "-n", "1000", "--seed", "1", "--target", "1")
    assert da.exit_code == 0, da.stderr
    assert (
        "Med de angivne usikkerheder tjener casen sig hjem inden for horisonten i 100 % af "
        "1.000 simulerede forløb, og inden for 1 år i 100 %. Nutidsværdien er positiv i "
        "100 % af forløbene (totaløkonomi)."
    ) in da.stdout
    assert "Nutidsværdi (1.000 kr. 2024 p/l; 3,5 % p.a.)" in da.stdout
    assert re.search(r"Udvalg A │\s+100,0 % │\s+100,0 % │", da.stdout)
    en = cli("simulate", linear, "-n", "1000", "--seed", "1", "--target", "1", "--lang", "en")
    assert (
        "Given the stated uncertainties, the case pays back within the horizon in 100% of "
        "1,000 simulated runs, and within 1 year in 100%. Its net present value is positive "
        "in 100% of the runs (total basis)."
    ) in en.stdout
    assert "Net present value (1,000 kr. 2024 prices; 3.5% p.a.)" in en.stdout
    assert re.search(r"Udvalg A │\s+100\.0% │\s+100\.0% │", en.stdout)


DANISH_WORDS = (
    "Nutidsværdi",
    "nutidsværdi",
    "middel",
    "Årlig",
    "udvalg",
    "Pr. ",
    "tilbagebet",
    "udsving",
    "ved P10",
    "Skifteværdi",
    "skifteværdi",
    "× basis",
    "ændring",
    "pr. år",
    "skifter ikke",
    "besparelser",
    "trækninger",
    "forløb",
    " p/l",
    " og ",
    " af ",
)


@pytest.mark.parametrize("command", ["simulate", "sensitivity"])
def test_english_output_has_no_danish_left(command):
    from .conftest import EXAMPLES

    case = EXAMPLES / "tidlig-indsats-0-2.yaml"
    extra = ["-n", "500", "--target", "6"] if command == "simulate" else ["--minmax"]
    r = cli(command, case, *extra, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    # the case's own words (its title, committee names) stay as written
    text = r.stdout.replace("Tidlig indsats for de 0-2-årige", "")
    text = text.replace("Børne- og Ungdomsudvalget", "").replace("Socialudvalget", "")
    left = [w for w in DANISH_WORDS if w in text]
    assert not left, left
    assert not re.search(r"\d,\d{1,2}(?!\d)", text)  # no Danish decimals (81,5): 81.5
    assert not re.search(r"\d \%", text)  # English percentages: 12%, never 12 %


def test_english_html_page(tmp_path):
    from .conftest import EXAMPLES

    out = tmp_path / "u.html"
    r = cli(
        "simulate", EXAMPLES / "tidlig-indsats-0-2.yaml", "-n", "500", "--html", out, "--lang", "en"
    )
    assert r.exit_code == 0, r.stderr
    assert "HTML report written" in r.stdout
    page = re.sub(r"<svg.*?</svg>", "", out.read_text(encoding="utf-8"), flags=re.S)
    page = page.replace("Tidlig indsats for de 0-2-årige", "")
    page = page.replace("Børne- og Ungdomsudvalget", "").replace("Socialudvalget", "")
    assert 'lang="en"' in page and "Uncertainty and sensitivity" in page
    left = [w for w in DANISH_WORDS if w in re.sub(r"<[^>]+>", " ", page)]
    assert not left, left


# -- the Monte Carlo's service basis ----------------------------------------------------------
# A start-up cost of 200 (Service) and a rebuilding of 300 (Anlæg) in year 1, and a saving of
# 120·k a year (Service) for four years; k is drawn from a one-point distribution.
#   k = 1: service 80, −120, −120, −120 → cumulative 80, −40        → payback year 2
#          total  380, −120, −120, −120 → cumulative 380, 260, 140, 20 → not within 4 years
#   k = 2: service −40, …                → cumulative −40            → payback year 1
#          total  260, −240, …          → cumulative 260, 20, −220  → payback year 3
SERVICE_AND_ANLAEG = """
id: sa
title: Service og anlæg
unit: 1.000 kr.
price_level: 2024
horizon: 2024-2027
committees: {{A: Udvalg A}}
parameters:
  k: {{value: 1, unit: faktor, source: test, uncertainty: {dist}}}
lines:
  - {{id: start, label: Opstart, kind: investment, area: service, owner: A,
     amounts: {{2024: 200}}}}
  - {{id: bygning, label: Ombygning, kind: investment, area: anlaeg, owner: A,
     amounts: {{2024: 300}}}}
  - {{id: s, label: Besparelse, kind: saving, area: service, owner: A,
     driver: {{expr: "120 * k"}}}}
"""


@pytest.mark.parametrize(
    "k, service_year, total_year",
    [(1, "2", "none"), (2, "1", "3")],
)
def test_monte_carlo_payback_keeps_the_service_basis(tmp_path, k, service_year, total_year):
    p = tmp_path / "sa.yaml"
    p.write_text(SERVICE_AND_ANLAEG.format(dist=f"{{dist: discrete, values: [{k}]}}"), "utf-8")
    d = _json(cli("simulate", p, "-n", "200", "--target", "2", "--json"))
    service, total = d["payback"]["service"], d["payback"]["total"]
    assert service["distribution"][service_year] == 1.0
    assert total["distribution"][total_year] == 1.0
    assert service["p_within_horizon"] == 1.0
    assert total["p_within_horizon"] == (0.0 if k == 1 else 1.0)
    assert service["p_within_target"] == 1.0  # year 1 or 2 ≤ 2
    assert total["p_within_target"] == 0.0  # never, or year 3 > 2


def test_monte_carlo_service_and_total_basis_per_draw():
    # k ∈ {1, 2}: every draw with k = 2 pays back in year 1 (service) and year 3 (total); every
    # draw with k = 1 in year 2 (service) and never (total) — the same draws, counted twice.
    case = parse_case(
        SERVICE_AND_ANLAEG.format(dist="{dist: discrete, values: [1, 2], probs: [0.5, 0.5]}")
    )
    sim = simulation_bundle(case, 4_000, seed=2).simulation
    s = sim.payback_distribution("service")
    t = sim.payback_distribution("total")
    assert 0.4 < s["1"] < 0.6
    assert s["1"] == t["3"] and s["2"] == t["none"]
    assert s["1"] + s["2"] == 1.0
    assert sim.p_payback("service") == 1.0 and sim.p_payback("total") == t["3"]


def test_json_has_no_nan_where_payback_never_comes(tmp_path):
    # k = 1: the total basis never pays back, so the tornado's paybacks (total basis) are NaN
    # in the bundle and null in the JSON.
    case = parse_case(SERVICE_AND_ANLAEG.format(dist="{dist: uniform, min: 0.9, max: 1.1}"))
    sens = sensitivity_bundle(case)
    assert sens.tornado[0].payback_low != sens.tornado[0].payback_low  # NaN
    p = tmp_path / "sa.yaml"
    p.write_text(SERVICE_AND_ANLAEG.format(dist="{dist: uniform, min: 0.9, max: 1.1}"), "utf-8")
    for args in (("sensitivity",), ("simulate", "-n", "100")):
        d = _json(cli(*args, p, "--json"))
        assert d["tornado"][0]["payback_low"] is None
        assert d["tornado"][0]["parameter"] == "k"
        assert all("name" not in row for row in d["tornado"])


def test_sensitivity_runs_no_monte_carlo(monkeypatch, linear):
    import socinvest.services.simulation as service

    def boom(*a, **k):
        raise AssertionError("sensitivity ran a Monte Carlo")

    monkeypatch.setattr(service, "simulate", boom)
    assert cli("sensitivity", linear, "--json").exit_code == 0


def test_errors_speak_the_command_language(tmp_path):
    from .conftest import EXAMPLES

    plain = EXAMPLES / "fit-familiebehandling.yaml"
    da = cli("simulate", plain, debug=False)
    assert da.exit_code == 2 and "ingen parametre har 'uncertainty'" in da.stderr
    assert "{dist: triangular, min: 400, mode: 500, max: 650}" in da.stderr
    en = cli("simulate", plain, "--lang", "en", debug=False)
    assert en.exit_code == 2 and "no parameter has 'uncertainty'" in en.stderr
    bad = cli("simulate", EXAMPLES / "tidlig-indsats-0-2.yaml", "--scheduler", "x", "--lang", "en")
    assert bad.exit_code == 2 and "use 'threads', 'dask'" in bad.stderr
    bad = cli("simulate", EXAMPLES / "tidlig-indsats-0-2.yaml", "--scheduler", "x", debug=False)
    assert bad.exit_code == 2 and "brug 'threads', 'dask'" in bad.stderr
