"""What the importer builds before it writes YAML: lines and stated figures of a case."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


@dataclass
class LineSpec:
    id: str
    label: str
    kind: str  # cost | saving | investment
    category: str  # permanent | investment
    amounts: dict[int, float]  # spending convention
    origin: str  # "<table>, linje N"
    area: str | None = None  # None: not stated in the table (= service)
    funding: str = "own"
    row: str | None = None
    owner: str | None = None
    allocation: dict[str, float] | None = None
    comments: list[str] = field(default_factory=list)


@dataclass
class StatedSpec:
    table: str
    row: str
    origin: str  # comment: where the figure stands and what it was read as
    of: str | None = None
    lines: list[str] | None = None
    committee: str | None = None
    values: dict[int, float] | None = None
    total: float | None = None
    years: str | None = None
    share: float | None = None
    payback: str | None = None
    value: float | None = None
    decimals: int = 0
    funding: str | None = None  # only lines with this funding (a net budget: own)
    src: int = 0  # position of its table in the import (for ordering)
    line: int = 0  # line of the figure in its source


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """A label or title without control characters (a table pasted with ESC sequences or
    NULs): each run becomes one space. The importer notes where it changed a label."""
    return re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip()


def slug(text: str, max_len: int = 40) -> str:
    """An identifier from a Danish label: `Tværfagligt team` → `tvaerfagligt_team`."""
    s = text.translate(_FOLD)
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", s.lower())
    out = ""
    for w in words:
        nxt = f"{out}_{w}" if out else w
        if len(nxt) > max_len and out:
            break
        out = nxt[:max_len]
    if not out or not out[0].isalpha():
        out = "l_" + out if out else "linje"
    return out


def unique(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name = f"{base}_{n}"
        n += 1
    taken.add(name)
    return name


def committee_id(name: str, taken: set[str]) -> str:
    """Initials as Danish administrations write them: `Børne- og Ungdomsudvalget` → `BUU`,
    `Socialudvalget` → `SU`, `Økonomiudvalget` → `ØU`."""
    words = [w for w in re.findall(r"[^\W\d_]+", name) if w.lower() not in ("og", "for", "i")]
    ini = "".join(w[0].upper() for w in words)
    if words and words[-1].lower().endswith("udvalget") and len(words[-1]) > len("udvalget"):
        ini += "U"
    return unique(ini or "U", taken)
