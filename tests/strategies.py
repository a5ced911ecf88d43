"""Hypothesis strategies shared by the property tests: valid case files of every shape.

`cases()` draws a case as the dict a YAML case file holds (docs/case-format.md): explicit
amounts, `fte` × rate, `count` × price (× multiplier) and `expr` drivers (with `**`, min, max,
abs, `year` and `t`), ramps as numbers or as a parameter name, both sign conventions, one to
three committees with owners or allocation keys, areas service/anlæg, funding own/pool/external,
and parameters with uncertainty distributions (absolute, or relative for per-year values).

Amounts and parameter values are whole or quarter numbers, so the engine's sums are exact in
floating point and properties can compare exactly where they say so.
"""

from __future__ import annotations

import os
from typing import Any

import yaml
from hypothesis import settings
from hypothesis import strategies as st


def examples(n: int = 30) -> settings:
    """Hypothesis settings for a property on generated cases: `n` examples (modest, so the suite
    stays fast), no deadline (the first example pays for imports). Set SOCINVEST_EXAMPLES to
    run more, e.g. SOCINVEST_EXAMPLES=500 for a deep run before a release."""
    return settings(max_examples=int(os.environ.get("SOCINVEST_EXAMPLES", n)), deadline=None)


KINDS = ("cost", "saving", "investment")
AREAS = ("service", "anlaeg")
FUNDINGS = ("own", "pool", "external")
COMMITTEES = {
    "BUU": "Børne- og Ungdomsudvalget",
    "SOU": "Socialudvalget",
    "SUU": "Sundhedsudvalget",
}
SIGNS = ("spending", "savings_positive")


def spending_sign(kind: str) -> int:
    """The sign of a line's amounts in the `spending` convention: savings negative."""
    return -1 if kind == "saving" else 1


# -- year values --------------------------------------------------------------------------------


@st.composite
def year_values(draw, years: list[int], values: st.SearchStrategy, *, partial: bool = False):
    """A number, or a mapping of years and ranges (`2021-2024`) to numbers. With `partial`, some
    years may be left out (they count as 0 for amounts, 1 for a ramp)."""
    if not partial and draw(st.booleans()):
        return draw(values)
    cuts = sorted(draw(st.sets(st.integers(1, len(years) - 1), max_size=3)))
    out: dict[int | str, Any] = {}
    for a, b in zip([0, *cuts], [*cuts, len(years)], strict=True):
        if partial and draw(st.integers(0, 3)) == 0:
            continue  # an unlisted stretch of years
        key: int | str = years[a] if b - a == 1 else f"{years[a]}-{years[b - 1]}"
        out[key] = draw(values)
    return out or {years[0]: draw(values)}


# -- uncertainty -------------------------------------------------------------------------------


def _q(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Quarter numbers in [lo, hi]."""
    return st.integers(int(lo * 4), int(hi * 4)).map(lambda k: k / 4)


@st.composite
def distributions(draw, centre: float, relative: bool) -> dict[str, Any]:
    """A distribution around `centre` (the parameter's value, or 1 for a relative multiplier)."""
    c = 1.0 if relative else centre
    lo = c * draw(st.sampled_from([0.5, 0.75, 0.8, 0.9]))
    hi = c * draw(st.sampled_from([1.1, 1.2, 1.25, 1.5]))
    kind = draw(
        st.sampled_from(
            ["triangular", "pert", "uniform", "normal", "lognormal", "beta", "discrete"]
        )
    )
    d: dict[str, Any]
    if kind in ("triangular", "pert"):
        d = {"dist": kind, "min": lo, "mode": c, "max": hi}
        if kind == "pert" and draw(st.booleans()):
            d["lamb"] = draw(st.sampled_from([2.0, 4.0, 6.0]))
    elif kind == "uniform":
        d = {"dist": "uniform", "min": lo, "max": hi}
    elif kind == "normal":
        d = {"dist": "normal", "mean": c, "sd": (hi - lo) / 4}
    elif kind == "lognormal":
        d = {"dist": "lognormal", "mean": c, "sd": (hi - lo) / 4}
    elif kind == "beta":
        d = {"dist": "beta", "alpha": draw(_q(1, 5)), "beta": draw(_q(1, 5)), "min": lo, "max": hi}
    else:
        vals = sorted({lo, c, hi})
        d = {"dist": "discrete", "values": vals}
        if draw(st.booleans()):
            d["probs"] = [1 / len(vals)] * len(vals)
    if relative:
        d["relative"] = True
    return d


# -- parameters --------------------------------------------------------------------------------

# name -> (smallest, largest) value: small counts and multipliers, kr. rates and prices.
PARAMETERS: dict[str, tuple[float, float]] = {
    "fte": (0, 20),
    "rate": (300, 800),
    "n": (0, 30),
    "price": (10, 1500),
    "areas": (1, 3),
    "fade": (0, 0.5),
    "uptake": (0, 1),
}
SMALL = ("fte", "n", "areas", "t")  # leaves of an expression: keep products modest


@st.composite
def parameters(draw, years: list[int], uncertain: bool = True) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, (lo, hi) in PARAMETERS.items():
        value = draw(year_values(years, _q(lo, hi) if hi <= 1 else st.integers(int(lo), int(hi))))
        p: dict[str, Any] = {"value": value, "unit": "antal", "source": "hypothesis"}
        if uncertain and name != "uptake" and draw(st.integers(0, 2)) == 0:
            relative = isinstance(value, dict)
            centre = 1.0 if relative else max(float(value), 1.0)
            p["uncertainty"] = draw(distributions(centre, relative))
        out[name] = p
    return out


# -- expressions -------------------------------------------------------------------------------


def expressions(first_year: int) -> st.SearchStrategy[str]:
    """Restricted arithmetic over parameters, `year` and `t`: + - * /, `**`, min, max, abs.
    Divisors are non-zero constants, so every value is finite."""
    leaves = st.one_of(
        st.sampled_from(SMALL),
        st.integers(0, 20).map(str),
        st.just(f"(year - {first_year - 1})"),
        st.sampled_from(["fte", "n", "t"]).flatmap(
            lambda a: st.integers(0, 2).map(lambda k: f"{a} ** {k}")
        ),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        two = st.tuples(inner, inner)
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(
                lambda x: f"({x[0]} {x[1]} {x[2]})"
            ),
            st.tuples(inner, st.integers(1, 9)).map(lambda x: f"({x[0]}) / {x[1]}"),
            two.map(lambda x: f"min({x[0]}, {x[1]})"),
            two.map(lambda x: f"max({x[0]}, {x[1]})"),
            inner.map(lambda x: f"abs({x})"),
            inner.map(lambda x: f"({x}) * (1 - fade) ** (t - 1)"),
        )

    body = st.recursive(leaves, extend, max_leaves=4)
    scale = st.sampled_from(["price", "rate", "10"])
    return st.tuples(scale, body).map(lambda x: f"{x[0]} * ({x[1]})")


# -- lines ---------------------------------------------------------------------------------------


@st.composite
def drivers(draw, first_year: int) -> dict[str, Any]:
    form = draw(st.sampled_from(["fte", "count", "expr"]))
    if form == "fte":
        return {
            "fte": draw(st.sampled_from(["fte", 2, 4.5])),
            "rate": draw(st.sampled_from(["rate", 550])),
        }
    if form == "count":
        d: dict[str, Any] = {"count": "n", "price": draw(st.sampled_from(["price", 120]))}
        m = draw(st.sampled_from([None, "areas", 3]))
        if m is not None:
            d["multiplier"] = m
        return d
    return {"expr": draw(expressions(first_year))}


@st.composite
def lines(
    draw,
    years: list[int],
    committees: list[str],
    sign: str,
    *,
    explicit_only: bool = False,
    max_lines: int = 6,
) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(1, max_lines))):
        kind = draw(st.sampled_from(KINDS))
        line: dict[str, Any] = {
            "id": f"l{i}",
            "label": f"Linje {i} ({kind})",
            "kind": kind,
            "area": draw(st.sampled_from(AREAS)),
            "funding": draw(st.sampled_from(FUNDINGS)),
        }
        if len(committees) > 1 and draw(st.booleans()):
            a, b = draw(st.permutations(committees))[:2]
            share = draw(st.integers(1, 3)) / 4
            line["allocation"] = {a: share, b: 1 - share}
        else:
            line["owner"] = draw(st.sampled_from(committees))
        if explicit_only or draw(st.booleans()):
            s = spending_sign(kind) * (-1 if sign == "savings_positive" else 1)
            mags = year_values(years, st.integers(0, 5000), partial=True)
            line["amounts"] = _signed(draw(mags), s)
        else:
            line["driver"] = draw(drivers(years[0]))
        ramp = draw(st.sampled_from([None, "numbers", "parameter"]))
        if ramp == "numbers":
            line["ramp"] = draw(year_values(years, _q(0, 1), partial=True))
        elif ramp == "parameter":
            line["ramp"] = "uptake"
        out.append(line)
    return out


def _signed(v: Any, s: int) -> Any:
    if isinstance(v, dict):
        return {k: s * x for k, x in v.items()}
    return s * v


# -- cases ---------------------------------------------------------------------------------------


@st.composite
def cases(
    draw,
    *,
    sign: str | None = None,
    explicit_only: bool = False,
    uncertain: bool = True,
    max_years: int = 8,
    max_lines: int = 6,
) -> dict[str, Any]:
    """A valid case file as a dict (dump it with `to_yaml`)."""
    first = draw(st.integers(2016, 2030))
    n = draw(st.integers(2, max_years))
    years = list(range(first, first + n))
    committees = draw(
        st.lists(st.sampled_from(sorted(COMMITTEES)), min_size=1, max_size=3, unique=True)
    )
    sign = sign or draw(st.sampled_from(SIGNS))
    case: dict[str, Any] = {
        "id": "hyp",
        "title": "Genereret case",
        "unit": "1.000 kr.",
        "price_level": first,
        "horizon": f"{first}-{years[-1]}",
        "sign": sign,
        "committees": {c: COMMITTEES[c] for c in committees},
        "lines": draw(
            lines(years, committees, sign, explicit_only=explicit_only, max_lines=max_lines)
        ),
    }
    the_lines = case.pop("lines")
    used = _used_names(the_lines)
    params = draw(parameters(years, uncertain))
    case["parameters"] = {k: v for k, v in params.items() if k in used}
    case["lines"] = the_lines  # after the parameters, as people write them
    uncertain_names = [k for k, p in case["parameters"].items() if "uncertainty" in p]
    if len(uncertain_names) >= 2 and draw(st.booleans()):
        a, b = uncertain_names[:2]
        case["correlations"] = [{"a": a, "b": b, "rho": draw(st.sampled_from([-0.5, 0.3, 0.8]))}]
    return case


def _used_names(lines: list[dict[str, Any]]) -> set[str]:
    """Parameters the lines refer to (a case declares only what it uses)."""
    import re

    used: set[str] = set()
    for ln in lines:
        if isinstance(ln.get("ramp"), str):
            used.add(ln["ramp"])
        for v in (ln.get("driver") or {}).values():
            if isinstance(v, str):
                used.update(re.findall(r"[A-Za-z_]\w*", v))
    return used & set(PARAMETERS)


def flip_sign(case: dict[str, Any]) -> dict[str, Any]:
    """The same case in the other sign convention: every explicit amount negated."""
    other = "spending" if case.get("sign", "spending") == "savings_positive" else "savings_positive"
    lines = [
        {**ln, "amounts": _signed(ln["amounts"], -1)} if "amounts" in ln else dict(ln)
        for ln in case["lines"]
    ]
    return {**case, "sign": other, "lines": lines}


def to_yaml(case: dict[str, Any]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when there is one
    return yaml.dump(case, Dumper=dumper, allow_unicode=True, sort_keys=False)


def load(case: dict[str, Any]):
    """Write `case` as a YAML file and load it the way every face does (services.case)."""
    import tempfile
    from pathlib import Path

    from socinvest.services.case import load_case

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "case.yaml"
        p.write_text(to_yaml(case), encoding="utf-8")
        return load_case(p)
