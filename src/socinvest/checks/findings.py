"""Findings: what `check` reports, in one format for tables, cases and pools.

Every finding has a stable code documented in docs/findings.md; tests pin the codes, so a code
is never renamed or reused for something else. A finding's `message` is a catalogue text (a
lazy `Msg`, worded by the face in its language) or a plain string; `text(lang)` words it.
Numbers in a message are `Num`s, so that English output prints `-1,400` where Danish prints
`-1.400`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..i18n import DEFAULT_LANG, N_, Join, Msg, render
from ..numbers import format_number, format_percent


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# code -> (severity, short title: a catalogue msgid). The single place where codes are declared.
CODES: dict[str, tuple[Severity, str]] = {
    "SUM_MISMATCH": (Severity.ERROR, N_("Total stemmer ikke med summen af sine dele")),
    "ROUNDING": (Severity.INFO, N_("Afvigelse der kan forklares med afrunding")),
    "SIGN_MISMATCH": (Severity.ERROR, N_("Total har forkert fortegn")),
    "PAYBACK_MISMATCH": (Severity.ERROR, N_("Angivet tilbagebetalingstid stemmer ikke")),
    "SHARE_MISMATCH": (Severity.WARNING, N_("Fordelingsnøgle stemmer ikke med beløbene")),
    "YEAR_ORDER": (Severity.WARNING, N_("Årskolonner står ikke i rækkefølge")),
    "YEAR_DUPLICATE": (Severity.ERROR, N_("Samme år står i flere kolonner")),
    "UNREADABLE_CELL": (Severity.WARNING, N_("Celle kan ikke læses som et tal")),
    "CHANGE_MISMATCH": (Severity.ERROR, N_("Ændring stemmer ikke med forskellen")),
    "STATED_MISMATCH": (Severity.ERROR, N_("Angivet tal stemmer ikke med beregningen")),
    "LINE_SIGN": (Severity.WARNING, N_("Linjens fortegn passer ikke til dens art")),
    "SIGN_UNCERTAIN": (
        Severity.WARNING,
        N_("Tabellens fortegnskonvention er usikker"),
    ),
    "YEAR_GAP": (Severity.WARNING, N_("Der mangler år mellem årskolonnerne")),
    "REPAYMENT_EXCEEDS_SAVINGS": (
        Severity.WARNING,
        N_("Tilbagebetalingen er større end årets nettobesparelse"),
    ),
    "POOL_PAYBACK_TOO_LONG": (
        Severity.ERROR,
        N_("Tilbagebetalingstiden er længere end puljens regel"),
    ),
    "POOL_GRANT_TOO_LARGE": (Severity.ERROR, N_("Bevillingen er større end puljens loft")),
    "POOL_SHARE_TOO_LARGE": (Severity.ERROR, N_("Casen får en for stor andel af puljen")),
    "POOL_REPAY_LATE": (Severity.ERROR, N_("Tilbagebetalingen begynder for sent")),
    "POOL_REPAY_BEFORE_SAVINGS": (
        Severity.WARNING,
        N_("Tilbagebetaling før casen har nettobesparelser"),
    ),
    "POOL_NOT_REPAID": (
        Severity.ERROR,
        N_("Bevillingen er ikke tilbagebetalt inden for perioden"),
    ),
    "POOL_NEGATIVE_BALANCE": (Severity.ERROR, N_("Puljens saldo bliver negativ")),
    "POOL_CAPITAL_UNKNOWN": (
        Severity.INFO,
        N_("Puljens kapital er ikke angivet"),
    ),
    "POOL_REQUEST_DIFFERS": (
        Severity.INFO,
        N_("Ansøgt beløb afviger fra casens puljefinansierede linjer"),
    ),
    "POOL_ARREARS": (Severity.ERROR, N_("Tilbagebetalingen til puljen er bagud")),
    "POOL_REPAID_WITHOUT_SAVINGS": (
        Severity.WARNING,
        N_("Tilbagebetalt af besparelser der ikke er kommet"),
    ),
    "PERSPECTIVE_MISMATCH": (
        Severity.ERROR,
        N_("Angivet tal for den offentlige sektor eller samfundet stemmer ikke"),
    ),
    "TRANSFER_NOT_NETTING": (Severity.ERROR, N_("Overførsel mellem betalere går ikke i nul")),
}

# The two payback bases, worded (Danish msgid, translated at use).
BASIS: dict[str, str] = {
    "service": N_("serviceeffektivisering"),
    "total": N_("totaløkonomi"),
    "own": N_("kommunens egne midler"),
}


class Num(Msg):
    """A number in a message, formatted when the message is worded: `-1.400` (da), `-1,400`
    (en). `percent=True` formats a share as a percentage (`37,0 %`, `37.0%`)."""

    def __init__(self, value: float, decimals: int = 0, *, percent: bool = False) -> None:
        Msg.__init__(self, "")
        object.__setattr__(
            self, "params", {"value": float(value), "decimals": decimals, "percent": percent}
        )

    def render(self, lang: str = DEFAULT_LANG) -> str:
        v, d = self.params["value"], max(int(self.params["decimals"]), 0)
        if self.params["percent"]:
            return format_percent(v, d, lang)
        return format_number(v, d, lang)


def basis(name: str) -> Msg:
    """The basis `service`/`total` as a lazy text ('serviceeffektivisering' / ...)."""
    return Msg(BASIS[name])


@dataclass(frozen=True, slots=True)
class Finding:
    """One observation. `row` names the table row or case figure, `year` the column if any.
    `message` is a `Msg`/`Join` worded by the face, or a plain (Danish) string."""

    code: str
    message: Any  # str | Msg | Join
    row: str | None = None
    year: int | None = None
    stated: float | None = None
    computed: float | None = None
    line: int | None = None  # 1-based line in the input file, when known

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown finding code {self.code!r}")

    @property
    def severity(self) -> Severity:
        return CODES[self.code][0]

    @property
    def title(self) -> str:
        """The code's title as a msgid (translate with `tr(f.title)`)."""
        return CODES[self.code][1]

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The message worded in `lang`."""
        return str(render(self.message, lang))

    def to_json(self, lang: str = DEFAULT_LANG) -> dict:
        return {
            "severity": str(self.severity),
            "code": self.code,
            "message": self.text(lang),
            "row": self.row,
            "year": self.year,
            "stated": self.stated,
            "computed": self.computed,
            "line": self.line,
        }


def has_error(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


__all__ = ["BASIS", "CODES", "Finding", "Join", "Msg", "Num", "Severity", "basis", "has_error"]
