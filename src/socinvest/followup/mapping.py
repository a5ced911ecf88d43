"""The mapping file: which postings belong to which case line (docs/followup.md).

```yaml
default_index: service_prices      # index kind of Service and Overførsler lines
lines:
  familiebehandlere:
    accounts: ["5.28.21*"]         # exact (5.28.21.1) or prefix (5.28.21*)
    cost_centres: ["4711"]         # optional: only postings on these cost centres
    index: service_wages           # optional: this line's index kind
  dut_refusion:
    accounts: ["5.28.21.9"]        # refunds are mapped like any line
```

A posting goes to the most specific rule that matches it: a rule with cost centres before one
without, then the longest account pattern, then an exact account before a prefix. Two rules
that are equally specific and can match the same posting are refused when the file loads, so the
assignment never depends on the order of the file. Postings no rule matches are listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field

from ..case.load import locate, parse_yaml_model, raise_problems, read_text
from ..case.schema import Area, Case, Frozen
from ..errors import InputError, InvalidValue
from ..i18n import Msg
from .schema import PriceKind

_ACCOUNT = r"^[0-9A-Za-z][0-9A-Za-z.\-]*\*?$"


class Columns(Frozen):
    """Header names of the export, when they are not among the known ones (postings.py)."""

    account: str | None = None
    date: str | None = None
    amount: str | None = None
    cost_centre: str | None = None
    text: str | None = None


def _pattern(a: str) -> str:
    if not re.match(_ACCOUNT, a):
        raise InvalidValue(
            Msg(
                "kontoen {account} er hverken et kontonummer (fx 5.28.21.1) eller et "
                "præfiks med * til sidst (fx 5.28.2*)",
                account=repr(a),
            )
        )
    return a


Account = Annotated[str, AfterValidator(_pattern)]


class LineRule(Frozen):
    """The accounts (and cost centres) whose postings belong to one case line."""

    accounts: list[Account] = Field(min_length=1, description="exact, or a prefix ending in *")
    cost_centres: list[str] | None = Field(None, description="only these cost centres")
    index: PriceKind | None = Field(None, description="the line's price index kind")


class Mapping(Frozen):
    """Accounts and cost centres → case lines, and each line's price index kind."""

    schema_: str | None = Field(None, alias="$schema", description="editor hint; ignored")
    default_index: PriceKind = Field(
        PriceKind.SERVICE_PRICES, description="index kind of Service and Overførsler lines"
    )
    columns: Columns = Columns()
    lines: dict[str, LineRule] = Field(min_length=1)


@dataclass(frozen=True)
class _Rule:
    line: str
    stem: str
    exact: bool
    centres: frozenset[str] | None
    path: tuple[str | int, ...]

    @property
    def rank(self) -> tuple[int, int, int]:
        return (self.centres is not None, len(self.stem), self.exact)

    def matches(self, account: str, centre: str | None) -> bool:
        hit = account == self.stem if self.exact else account.startswith(self.stem)
        return hit and (self.centres is None or (centre or "") in self.centres)


class Matcher:
    """Assigns (account, cost centre) keys to line ids by the most specific rule."""

    def __init__(self, mapping: Mapping) -> None:
        self.rules: list[_Rule] = []
        for line, rule in mapping.lines.items():
            centres = frozenset(rule.cost_centres) if rule.cost_centres is not None else None
            for i, a in enumerate(rule.accounts):
                exact = not a.endswith("*")
                stem = a if exact else a[:-1]
                self.rules.append(_Rule(line, stem, exact, centres, ("lines", line, "accounts", i)))
        self.rules.sort(key=lambda r: r.rank, reverse=True)

    def line_of(self, account: str, centre: str | None) -> str | None:
        for r in self.rules:
            if r.matches(account, centre):
                return r.line
        return None

    def clashes(self) -> list[tuple[tuple[str | int, ...], Msg]]:
        """Pairs of equally specific rules that can catch the same posting."""
        out: list[tuple[tuple[str | int, ...], Msg]] = []
        for i, a in enumerate(self.rules):
            for b in self.rules[i + 1 :]:
                if a.rank != b.rank or a.stem != b.stem or a.line == b.line:
                    continue
                if a.centres is None or b.centres is None or a.centres & b.centres:
                    msg = Msg(
                        "kontoen {account} er tildelt både {a} og {b}; en postering må kun høre "
                        "til én linje (brug omkostningssteder eller et længere kontonummer)",
                        account=a.stem + ("" if a.exact else "*"),
                        a=a.line,
                        b=b.line,
                    )
                    out.append((b.path, msg))
        return out


def parse_mapping(text: str, source: str = "<mapping>") -> tuple[Mapping, dict]:
    mapping, marks = parse_yaml_model(text, source, Mapping, Msg("en mappingfil"))
    raise_problems(source, marks, Matcher(mapping).clashes())
    return mapping, marks


@dataclass(frozen=True)
class LoadedMapping:
    mapping: Mapping
    source: str
    marks: dict

    def check_case(self, case: Case) -> None:
        """Every mapped line is a line of the case (located, with the known ids)."""
        ids = [ln.id for ln in case.lines]
        problems = [
            (
                ("lines", name),
                Msg(
                    "linjen {line} findes ikke i casen {case}; kendte linjer: {known}",
                    line=repr(name),
                    case=case.id,
                    known=", ".join(ids),
                ),
            )
            for name in self.mapping.lines
            if name not in ids
        ]
        raise_problems(self.source, self.marks, problems)

    def where(self, path: tuple[str | int, ...], msg: Msg) -> InputError:
        return InputError(locate(self.source, self.marks, path, msg))


def load_mapping(path: str | Path) -> LoadedMapping:
    p = Path(path)
    mapping, marks = parse_mapping(read_text(p), str(p))
    return LoadedMapping(mapping, str(p), marks)


def line_kinds(case: Case, mapping: Mapping | None = None) -> dict[str, PriceKind]:
    """Each line's price index kind: the mapping's per-line `index`, else anlæg for Anlæg lines
    and the mapping's default (service prices without a mapping) for the rest."""
    default = mapping.default_index if mapping else PriceKind.SERVICE_PRICES
    out: dict[str, PriceKind] = {}
    for ln in case.lines:
        rule = mapping.lines.get(ln.id) if mapping else None
        if rule is not None and rule.index is not None:
            out[ln.id] = rule.index
        else:
            out[ln.id] = PriceKind.ANLAEG if ln.area is Area.ANLAEG else default
    return out


def assign(matcher: Matcher, keys: Iterable[tuple[str, str | None]]) -> dict:
    """(account, cost centre) -> line id or None, for the distinct keys of an export."""
    return {k: matcher.line_of(*k) for k in keys}
