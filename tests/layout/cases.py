"""Generated cases for the layout checks: 2–15 years (the shortest horizon a case admits), 1–6 committees, amounts up to 10^9
whole kroner, long Danish labels and committee names, staff lines and success criteria.

Each case is drawn from a seed (`case_for(seed)`), so a failing case can be made again; the
figures do not matter here, only their widths and the texts around them."""

from __future__ import annotations

import random
from typing import Any

from socinvest.case.schema import Case

LONG_WORDS = (
    "Styringsområde",
    "Implementeringsomkostninger",
    "Sagsbehandlingsnormeringen",
    "Familiebehandlingsindsatser",
    "Anbringelsesforebyggelse",
    "Socialforvaltningens",
    "Børne- og Ungdomsforvaltningens",
    "kompetenceudviklingsforløb",
)
SHORT_WORDS = ("flere", "færre", "rådgivere", "tæt", "opfølgning", "på", "familier", "med",
               "børn", "og", "unge", "i", "indsatstrappen", "pr.", "år", "nye", "tilbud")  # fmt: skip
COMMITTEES = (
    "Børne- og Ungdomsudvalget",
    "Socialudvalget",
    "Sundheds- og Omsorgsudvalget",
    "Beskæftigelses- og Integrationsudvalget",
    "Økonomiudvalget",
    "Kultur- og Fritidsudvalget",
)


def _label(rng: random.Random, long: bool) -> str:
    n = rng.randint(2, 12 if long else 5)
    words = [rng.choice(LONG_WORDS if long and rng.random() < 0.4 else SHORT_WORDS)
             for _ in range(n)]  # fmt: skip
    return " ".join(words).capitalize()


def case_for(seed: int) -> Case:
    """A case drawn from `seed`: the horizon, committees, unit and magnitude vary with it."""
    rng = random.Random(seed)
    years = rng.randint(2, 15)  # a horizon is a range of at least two years
    first = rng.randint(2016, 2030)
    ncom = rng.randint(1, 6)
    unit = rng.choice(["kr.", "1.000 kr.", "mio. kr."])
    top = {"kr.": 10**9, "1.000 kr.": 10**6, "mio. kr.": 10**3}[unit]
    scale = 10 ** rng.uniform(0, 1) * top / 10 ** rng.randint(0, 3)
    long = rng.random() < 0.6
    coms = {f"U{k}": COMMITTEES[k] for k in range(ncom)}
    lines: list[dict[str, Any]] = []
    for i in range(rng.randint(2, 9)):
        kind = rng.choice(["cost", "saving", "saving", "investment"])
        sign = -1 if kind == "saving" else 1
        start = rng.randint(first, first + years - 1)
        amounts = {y: sign * round(scale * rng.uniform(0.05, 1.0))
                   for y in range(start, first + years)}  # fmt: skip
        line: dict[str, Any] = {
            "id": f"l{i}",
            "label": _label(rng, long),
            "kind": kind,
            "owner": rng.choice(list(coms)),
            "amounts": amounts,
        }
        if kind == "investment":
            line["area"] = rng.choice(["service", "anlaeg"])
            line["funding"] = rng.choice(["own", "pool"])
        else:
            line["row"] = rng.choice(["Effektiviseringer", "Omkostninger", _label(rng, long)])
        lines.append(line)
    if not any(ln["kind"] == "saving" for ln in lines):
        lines[0].update(kind="saving", amounts={first: -round(scale)})
    params: dict[str, Any] = {}
    if rng.random() < 0.5:  # a staff line: årsværk × rate
        params = {
            "fte": {"value": rng.randint(1, 40), "unit": "årsværk", "source": "genereret"},
            "rate": {
                "value": 550 if unit == "1.000 kr." else 550000,
                "unit": "pr. årsværk",
                "source": "genereret",
            },  # fmt: skip
        }
        lines.append({"id": "staff", "label": _label(rng, long), "kind": "cost",
                      "row": "Omkostninger", "owner": "U0",
                      "driver": {"fte": "fte", "rate": "rate"}})  # fmt: skip
    data: dict[str, Any] = {
        "id": f"gen-{seed}",
        "title": _label(rng, long) + f" (genereret {seed})",
        "organisation": "Genereret Kommune",
        "departments": {"lead": [rng.choice(COMMITTEES)], "affected": list(coms.values())[1:]},
        "committees": coms,
        "unit": unit,
        "price_level": first,
        "horizon": f"{first}-{first + years - 1}",
        "parameters": params,
        "lines": lines,
        "sections": {
            "background": " ".join(_label(rng, long) for _ in range(rng.randint(1, 12))) + ".",
            "economy": _label(rng, long) + ".",
        },
    }
    if rng.random() < 0.5:
        data["success_criteria"] = [
            {
                "criterion": _label(rng, long),
                "measure": _label(rng, long),
                "responsible": rng.choice(COMMITTEES),
                "when": f"{first + 1}",
            }  # fmt: skip
            for _ in range(rng.randint(1, 4))
        ]
    return Case.model_validate(data)
