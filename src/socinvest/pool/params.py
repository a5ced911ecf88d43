"""Parameters of the pool's messages that stay numbers until a face words them.

The domain does not know the reader's language, so a finding or a selection reason carries
amounts as `Money` (and decimals as `checks.findings.Num`) inside its `Msg`: lazy texts that
are worded with the message, in the face's language ('1,2 mio. kr.' or '1.2 m kr.').
"""

from __future__ import annotations

from ..case.schema import Unit
from ..i18n import DEFAULT_LANG, N_, Msg, translator
from ..numbers import format_number


class Money(Msg):
    """An amount in `unit` (the pool's unit), worded as '1,2 mio. kr.' (from 100.000 kr.)
    or '450.000 kr.' (da); '1.2 m kr.' or '450,000 kr.' (en)."""

    def __init__(self, value: float, unit: Unit) -> None:
        Msg.__init__(self, "")
        object.__setattr__(self, "params", {"value": float(value), "unit": Unit(unit)})

    @property
    def value(self) -> float:
        return float(self.params["value"])

    @property
    def unit(self) -> Unit:
        return Unit(self.params["unit"])

    def render(self, lang: str = DEFAULT_LANG) -> str:
        tr = translator(lang)
        kr = self.value * self.unit.factor
        if kr != kr:  # NaN
            return "–"
        if abs(kr) >= 1e5:
            return tr("{x} mio. kr.", x=format_number(kr / 1e6, 1, lang))
        return tr("{x} kr.", x=format_number(kr, 0, lang))


def years_text(ys: list[int] | list[float]) -> str:
    """[2018, 2019, 2020, 2023] -> '2018-2020, 2023' (the same in every language)."""
    years = [int(y) for y in ys]
    if not years:
        return ""
    runs: list[str] = []
    start = prev = years[0]
    for y in years[1:]:
        if y == prev + 1:
            prev = y
            continue
        runs.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = y
    runs.append(str(start) if start == prev else f"{start}-{prev}")
    return ", ".join(runs)


# Words for the codes that the domain's messages name (msgids; worded by the face).
SCOPE = {
    "approved": N_("bevilgede ansøgninger"),
    "approved+pending": N_("bevilgede og verserende ansøgninger"),
    "chosen": N_("de valgte ansøgninger"),
}
OBJECTIVE = {"npv": N_("nutidsværdi"), "savings": N_("nettobesparelse over horisonten")}
SHORT = {"npv": N_("NPV"), "savings": N_("nettobesparelse")}
