"""Findings: what `check` reports, in one format for tables, cases (and later pools).

Every finding has a stable code documented in docs/findings.md; tests pin the codes, so a code
is never renamed or reused for something else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# code -> (severity, short Danish title). The single place where codes are declared.
CODES: dict[str, tuple[Severity, str]] = {
    "SUM_MISMATCH": (Severity.ERROR, "Total stemmer ikke med summen af sine dele"),
    "ROUNDING": (Severity.INFO, "Afvigelse der kan forklares med afrunding"),
    "SIGN_MISMATCH": (Severity.ERROR, "Total har forkert fortegn"),
    "PAYBACK_MISMATCH": (Severity.ERROR, "Angivet tilbagebetalingstid stemmer ikke"),
    "SHARE_MISMATCH": (Severity.WARNING, "Fordelingsnøgle stemmer ikke med beløbene"),
    "YEAR_ORDER": (Severity.WARNING, "Årskolonner står ikke i rækkefølge"),
    "YEAR_DUPLICATE": (Severity.ERROR, "Samme år står i flere kolonner"),
    "UNREADABLE_CELL": (Severity.WARNING, "Celle kan ikke læses som et tal"),
    "CHANGE_MISMATCH": (Severity.ERROR, "Ændring stemmer ikke med forskellen"),
    "STATED_MISMATCH": (Severity.ERROR, "Angivet tal stemmer ikke med beregningen"),
    "LINE_SIGN": (Severity.WARNING, "Linjens fortegn passer ikke til dens art"),
    "POOL_PAYBACK_TOO_LONG": (Severity.ERROR, "Tilbagebetalingstiden er længere end puljens regel"),
    "POOL_GRANT_TOO_LARGE": (Severity.ERROR, "Bevillingen er større end puljens loft"),
    "POOL_SHARE_TOO_LARGE": (Severity.ERROR, "Casen får en for stor andel af puljen"),
    "POOL_REPAY_LATE": (Severity.ERROR, "Tilbagebetalingen begynder for sent"),
    "POOL_REPAY_BEFORE_SAVINGS": (
        Severity.WARNING,
        "Tilbagebetaling før casen har nettobesparelser",
    ),
    "POOL_NOT_REPAID": (Severity.ERROR, "Bevillingen er ikke tilbagebetalt inden for perioden"),
    "POOL_NEGATIVE_BALANCE": (Severity.ERROR, "Puljens saldo bliver negativ"),
    "POOL_REQUEST_DIFFERS": (
        Severity.INFO,
        "Ansøgt beløb afviger fra casens puljefinansierede linjer",
    ),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One observation. `row` names the table row or case figure, `year` the column if any."""

    code: str
    message: str
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

    def to_json(self) -> dict:
        d = asdict(self)
        return {"severity": str(self.severity), **d}


def has_error(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
