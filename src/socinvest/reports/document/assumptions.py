"""The assumptions behind the uncertainty section, in the open: every distribution in words
("PERT 475–500–560 1.000 kr. pr. årsværk") with its source, or "illustrativ antagelse" when
the case gives none, the correlations, and why the key figures' NPV differs from the
simulation's mean.

The mean of a distribution (`distribution_mean`) is its textbook expected value; it is shown
only to explain the difference, never used in a figure of the report.
"""

from __future__ import annotations

import math

import numpy as np

from ...case.schema import Case
from ...case.uncertain import Beta, Discrete, LogNormal, Normal, Pert, Triangular, Uniform
from ...case.years import to_vector
from ...i18n import translator
from ...numbers import format_number, format_percent
from .format import _runs, _value
from .labels import parameter_label
from .model import Cell, Note, Table, TableRow


def distribution_mean(d) -> float:
    """The expected value of a distribution (a multiplier when it is relative)."""
    if isinstance(d, Pert):
        return (d.min + d.lamb * d.mode + d.max) / (d.lamb + 2)
    if isinstance(d, Triangular):
        return (d.min + d.mode + d.max) / 3
    if isinstance(d, Uniform):
        return (d.min + d.max) / 2
    if isinstance(d, Normal | LogNormal):
        return float(d.mean)
    if isinstance(d, Beta):
        return d.min + (d.max - d.min) * d.alpha / (d.alpha + d.beta)
    assert isinstance(d, Discrete)
    probs = d.probs or [1 / len(d.values)] * len(d.values)
    return float(sum(v * p for v, p in zip(d.values, probs, strict=True)))


def distribution_text(d, unit: str, lang: str) -> str:
    """A distribution in words: 'PERT 475–500–560 1.000 kr. pr. årsværk', 'trekantfordeling
    0,5–1–1,2 × den angivne værdi', 'diskret: 0 (40 %), 1 (60 %) × den angivne værdi'."""
    tr = translator(lang)

    def v(x: float) -> str:
        return _value(x, lang, 3)

    if isinstance(d, Pert):
        text = tr("PERT {a}–{m}–{b}", a=v(d.min), m=v(d.mode), b=v(d.max))
        if d.lamb != 4:
            text += " " + tr("(vægt {w})", w=v(d.lamb))
    elif isinstance(d, Triangular):
        text = tr("trekantfordeling {a}–{m}–{b}", a=v(d.min), m=v(d.mode), b=v(d.max))
    elif isinstance(d, Uniform):
        text = tr("ligefordeling {a}–{b}", a=v(d.min), b=v(d.max))
    elif isinstance(d, Normal):
        text = tr("normalfordeling, middel {m}, spredning {s}", m=v(d.mean), s=v(d.sd))
    elif isinstance(d, LogNormal):
        text = tr("lognormalfordeling, middel {m}, spredning {s}", m=v(d.mean), s=v(d.sd))
    elif isinstance(d, Beta):
        text = tr(
            "betafordeling (α {a}, β {b}) mellem {lo} og {hi}",
            a=v(d.alpha),
            b=v(d.beta),
            lo=v(d.min),
            hi=v(d.max),
        )
    else:
        assert isinstance(d, Discrete)
        probs = d.probs or [1 / len(d.values)] * len(d.values)
        parts = ", ".join(
            f"{v(x)} ({format_percent(p, 0, lang)})" for x, p in zip(d.values, probs, strict=True)
        )
        text = tr("diskret: {parts}", parts=parts)
    if d.relative:
        return text + " " + tr("× den angivne værdi")
    return f"{text} {unit}".strip()


def assumptions_table(case: Case, names: list[str], number: int, lang: str) -> Table:
    """Every uncertain parameter: its value, its distribution in words and the source."""
    tr = translator(lang)
    years = case.horizon.years
    rows = []
    for name in names:
        p = case.parameters[name]
        d = p.uncertainty
        assert d is not None  # `names` are the uncertain parameters
        value = _runs(to_vector(p.value, np.asarray(years)), years, lang)
        source = " ".join(d.source.split()) if d.source else tr("illustrativ antagelse")
        rows.append(
            TableRow(
                (
                    Cell(parameter_label(case, name, lang)),
                    Cell(
                        f"{value} ({p.unit})" if isinstance(p.value, dict) else f"{value} {p.unit}"
                    ),
                    Cell(distribution_text(d, p.unit, lang)),
                    Cell(source),
                )
            )
        )
    caption = tr("Antagelser: usikre parametre og deres fordelinger")
    return Table(
        "assumptions",
        number,
        tr("Tabel {n}. {caption}", n=number, caption=caption),
        (tr("Parameter"), tr("Angivet værdi"), tr("Fordeling"), tr("Kilde til fordelingen")),
        tuple(rows),
        (False,) * 4,
        (3.0, 2.6, 3.4, 2.4),
    )


def assumptions_note(case: Case, names: list[str], lang: str) -> Note | None:
    """A note when the ranges are not the administration's, and the correlations."""
    tr = translator(lang)
    parts: list[str] = []
    illustrative = [n for n in names if case.parameters[n].uncertainty.source is None]  # type: ignore[union-attr]
    if illustrative:
        parts.append(
            tr(
                "Fordelinger uden kilde er illustrative antagelser i case-filen, ikke "
                "forvaltningens egne skøn; de viser, hvor følsom konklusionen er, og ændrer "
                "ikke de øvrige tabeller."
            )
        )
    for c in case.correlations:
        parts.append(
            tr(
                "Rangkorrelation {rho} mellem {a} og {b}.",
                rho=_value(c.rho, lang, 2),
                a=parameter_label(case, c.a, lang),
                b=parameter_label(case, c.b, lang),
            )
        )
    return Note(" ".join(parts)) if parts else None


def npv_difference(
    case: Case, names: list[str], base_npv: float, mean_npv: float, table: int, lang: str
) -> str:
    """Why the key figures' NPV (the stated values) and the simulated mean differ, with both
    numbers and the parameters whose mean is not their stated value."""
    tr = translator(lang)
    det, mean = format_number(base_npv, 0, lang), format_number(mean_npv, 0, lang)
    if abs(base_npv - mean_npv) < 0.5:
        return tr(
            "Nøgletallenes nutidsværdi ({det}) er beregnet med de angivne værdier; "
            "simuleringens middelværdi er den samme ({mean}).",
            det=det,
            mean=mean,
        )
    shifted: list[str] = []
    for name in names:
        p = case.parameters[name]
        d = p.uncertainty
        assert d is not None
        centre = 1.0 if d.relative else _scalar(p.value)
        if centre is None or centre == 0:
            continue
        rel = distribution_mean(d) / centre - 1
        if abs(rel) >= 0.005:
            word = tr("højere") if rel > 0 else tr("lavere")
            shifted.append(
                tr(
                    "{name} {pct} {word}",
                    name=parameter_label(case, name, lang),
                    pct=format_percent(abs(rel), 0, lang),
                    word=word,
                )
            )
    lower = mean_npv < base_npv
    first = (
        tr(
            "Nøgletallenes nutidsværdi ({det}) er beregnet med de angivne værdier; "
            "simuleringens middelværdi ({mean}) er lavere.",
            det=det,
            mean=mean,
        )
        if lower
        else tr(
            "Nøgletallenes nutidsværdi ({det}) er beregnet med de angivne værdier; "
            "simuleringens middelværdi ({mean}) er højere.",
            det=det,
            mean=mean,
        )
    )
    if shifted:
        return (
            first
            + " "
            + tr(
                "Forskellen opstår, fordi fordelingerne ikke er symmetriske om de angivne "
                "værdier (tabel {n}): i middel er {list} end angivet. Simuleringen regner med "
                "hele fordelingen, og nutidsværdien afhænger ikke lineært af parametrene.",
                n=table,
                list=_and(shifted, lang),
            )
        )
    return (
        first
        + " "
        + tr(
            "Fordelingerne er symmetriske om de angivne værdier; forskellen opstår, fordi "
            "nutidsværdien ikke afhænger lineært af de usikre parametre (fx produkter af to "
            "usikre parametre)."
        )
    )


def _scalar(value) -> float | None:
    if isinstance(value, dict):
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def _and(items: list[str], lang: str) -> str:
    if len(items) == 1:
        return items[0]
    tr = translator(lang)
    return tr("{first} og {last}", first=", ".join(items[:-1]), last=items[-1])
