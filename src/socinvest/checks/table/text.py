"""Cell-level reading of a pasted table: markup, labels, years, units, price levels, captions.

Everything here looks at one cell or one line; the table's structure is inferred in parse.py.
"""

from __future__ import annotations

import re

from ...numbers import Parsed, format_number, parse_number

TAG = re.compile(r"</?[A-Za-z][^>]*>")
YEAR = re.compile(r"^(?:19|20)\d\d$")
BUDGET_YEAR = re.compile(r"budget\s*((?:19|20)\d\d)", re.IGNORECASE)
DASH = {"-", "\u2013", "\u2014", "\u2212"}
TOTAL = re.compile(
    r"^(samlet|samlede|total|i alt|sum)\b|\btotalt?\b|(^|\s)i alt\b|\bsum af\b", re.I
)
PAYBACK = re.compile(r"^tilbagebetalingsti|^tilbagebetaling\s*\(år\)", re.IGNORECASE)
REPAYMENT = re.compile(
    r"^(tilbagebetaling|afdrag|tilbageførsel)(?!sti)|tilbagebetaling til|til .*pulje", re.I
)
"""An amount per year paid back to the investment pool: not a flow of the case."""
EXTERNAL = re.compile(
    r"puljemidl|ekstern\w* (finansiering|midler|tilskud)|medfinansiering|statslig\w* pulje|"
    r"satspulje|tilskud fra|midler fra|fondsmidl|\bfond\b|socialstyrelsen|eu-midl",
    re.IGNORECASE,
)
"""Co-funding from outside the municipality: not the municipality's own flow."""
NET = re.compile(
    r"nettobudget|\bnetto\b|kommunal\w* (finansiering|andel|udgift)|egenfinansiering|"
    r"egen finansiering|kommunens (andel|egen)",
    re.IGNORECASE,
)
"""A net budget row: gross minus external co-funding."""
SAVING = re.compile(
    r"besparels|effektivis|gevinst|mindreudgift|merindt|omlægning|reduktion|reducer|færre|"
    r"nedbring|lavere udgift|sparet|spare\b|mindre forbrug|undgåe|færdre",
    re.IGNORECASE,
)
COST = re.compile(
    r"(?<!mindre)(?<!mer)udgift|omkostning|merudgift|ansættelse|\bløn|investering|\bdrift|"
    r"opnormering|etablering|implementering|kompetenceudvikling|personale|medarbejder|"
    r"projektleder|uddannelse|indkøb|anskaffelse|\bnye?\b .*stilling|\bstilling|konsulent",
    re.IGNORECASE,
)
POSITIVE_SENTENCE = re.compile(
    r"besparelser?\w* (er |bliver |står )?(angivet|vist|anført|opgjort)? ?(med|som) "
    r"(et )?positiv\w*( fortegn| tal)?|positive (tal|beløb) (er|angiver|betyder) "
    r"(en )?besparels|udgifter?\w* (er |står )?(angivet|vist|anført)? ?(med|som) "
    r"(et )?negativ\w*( fortegn)?|merudgifter (er )?(angivet )?(med )?minus",
    re.IGNORECASE,
)
NEGATIVE_SENTENCE = re.compile(
    r"besparelser?\w* (er |bliver |står )?(angivet|vist|anført|opgjort)? ?(med|som) "
    r"(et )?negativ\w*( fortegn| tal)?|negative (tal|beløb) (er|angiver|betyder) "
    r"(en )?besparels|mindreudgifter (er )?(angivet )?(med )?minus|"
    r"udgifter?\w* (er |står )?(angivet|vist|anført)? ?(med|som) (et )?positiv",
    re.IGNORECASE,
)
CUMULATIVE = re.compile(r"akkumuler|kumuler|akk\.", re.IGNORECASE)
AREA_SUFFIX = re.compile(r",\s*(service|anl[æa]e?g|overf[øo]e?rsler)\s*$", re.IGNORECASE)
_PRICE = (
    re.compile(r"((?:19|20)\d\d)\s*-?\s*(?:p\s*/\s*[l1]|pl\b|priser)", re.IGNORECASE),
    re.compile(r"p\s*/\s*[l1]\.?\s*((?:19|20)\d\d)", re.IGNORECASE),
)
_UNITS = (
    (re.compile(r"mio\.?\s*kr", re.IGNORECASE), "mio. kr."),
    (re.compile(r"1\.?000\s*kr|\bt\.\s*kr|\btkr", re.IGNORECASE), "1.000 kr."),
    (re.compile(r"\bkr\b", re.IGNORECASE), "kr."),
)


def clean(cell: str) -> str:
    """A cell without markup (`<b>`, `**…**`) and non-breaking spaces."""
    s = TAG.sub("", cell).replace("\u00a0", " ").replace("\u202f", " ").strip()
    if s.startswith("**") and s.endswith("**") and len(s) > 4:
        s = s[2:-2].strip()
    return s


def norm(s: str) -> str:
    """A header or label for comparison: no whitespace, hyphens or soft hyphens; lower case."""
    return re.sub(r"[\s\-\u00ad]+", "", s).lower()


def is_year(s: str) -> bool:
    return bool(YEAR.match(s))


def is_total_label(s: str) -> bool:
    return bool(TOTAL.search(s))


def area_of(text: str) -> str | None:
    n = norm(text)
    if n.startswith("serv"):
        return "service"
    if n.startswith("anl"):
        return "anlaeg"
    if n.startswith("overf"):
        return "overfoersler"
    return None


def split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def find_unit(text: str) -> str | None:
    for rx, unit in _UNITS:
        if rx.search(text):
            return unit
    return None


def find_price_level(text: str) -> int | None:
    for rx in _PRICE:
        m = rx.search(text)
        if m:
            return int(m.group(1))
    return None


def caption(lines: list[str], above: int) -> str | None:
    """The nearest non-blank line without tabs above line index `above` (exclusive)."""
    candidates = []
    for i in range(above - 1, -1, -1):
        s = lines[i].strip()
        if not s:
            continue
        if "\t" in lines[i]:
            break
        candidates.append(s)
        if len(candidates) == 3:
            break
    for s in candidates:  # prefer "Tabel 2. ..."
        c = clean(s.strip("#* ").strip())
        if re.match(r"^tabel\s*\d", c, re.IGNORECASE):
            return c
    if candidates and len(candidates[0]) <= 150:
        return clean(candidates[0].strip("#* ").strip())
    return None


def is_year_header(cells: list[str]) -> bool:
    years = 0
    for c in cells[1:]:
        if is_year(c):
            years += 1
        elif c and parse_number(c) is not None:
            return False
    return years > 0


def ends_table(line: str) -> bool:
    """A line without tabs that ends the table: a heading, a caption or a paragraph."""
    s = line.strip()
    c = clean(s.strip("#* "))
    return s.startswith(("#", "**")) or bool(re.match(r"^tabel\s*\d", c, re.I)) or len(c) > 80


def cell(text: str) -> tuple[Parsed | None, bool]:
    """(parsed value or None, unreadable?). Blank and a lone dash are blank."""
    if not text or text in DASH:
        return None, False
    p = parse_number(text)
    return (p, False) if p is not None else (None, True)


def fmt(v: float | None, decimals: int = 0) -> str:
    if v is None:
        return "–"
    return format_number(v, decimals)


def sign_sentence(text: str) -> tuple[str, str] | None:
    """("positive" | "negative", the sentence) when the text says how savings are signed
    ("Besparelser er angivet med positivt fortegn"); None when it does not, or says both."""
    found = []
    for kind, rx in (("positive", POSITIVE_SENTENCE), ("negative", NEGATIVE_SENTENCE)):
        m = rx.search(text)
        if m:
            found.append((kind, _sentence_around(text, m.start(), m.end())))
    return found[0] if len(found) == 1 else None


def _sentence_around(text: str, a: int, b: int) -> str:
    start = max(text.rfind(".", 0, a), text.rfind("\n", 0, a)) + 1
    ends = [i for i in (text.find(".", b), text.find("\n", b)) if i >= 0]
    end = min(ends) if ends else len(text)
    return clean(text[start:end]).strip()[:200]
