"""The consequence catalogue (docs/perspectives.md) and the split of a case by payer.

A catalogue is a YAML file of unit consequences per event, each with its value for every payer
it touches, its source and date; the catalogue has one unit and one price level. A case names
its catalogue (`catalogue:`) and uses a consequence as a driver: `{consequence: name, count:
persons}`. When the case loads (`services.case`), `split_by_payer` turns every such line into
one line per payer (count × the payer's unit value) and moves the lines of other payers than
the municipality to `Case.other_lines`, so that the municipal case — and every result computed
from it — is exactly what it was without payers. Amounts are never converted between price
levels: a catalogue at another p/l than the case is an error (no index, no conversion).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import Field

from ..i18n import Msg
from .bounds import Real
from .payers import KOMMUNE, CatalogueInfo, ConsequenceDriver, _Frozen, known_payers, payer_of
from .schema import Case, CountDriver, Kind, Line, SignConvention, Unit

Problems = list[tuple[tuple[str | int, ...], Any]]


class Consequence(_Frozen):
    """One unit consequence: e.g. one year in employment instead of on kontanthjælp, with the
    change in each payer's net spending (spending convention: + costs the payer, − saves or
    earns it)."""

    label: str = Field(min_length=1, description="what the event is, in Danish")
    per: str = Field(description="the unit counted, e.g. 'person pr. år'")
    values: dict[str, Real] = Field(
        min_length=1, description="payer -> value per unit, in the catalogue's unit and sign"
    )
    transfer: bool = Field(
        False,
        description="a pure transfer between payers (tax, benefit): the values must net to zero",
    )
    source: str = Field(min_length=1, description="where the values come from")
    date: dt.date | str | None = Field(None, description="when the source was published")
    note: str | None = None


class Catalogue(_Frozen):
    """A consequence catalogue file."""

    schema_: str | None = Field(None, alias="$schema", description="editor hint; ignored")
    title: str
    illustrative: bool = Field(
        False, description="true for made-up example values that are no source of anything"
    )
    unit: Unit
    price_level: int = Field(ge=1900, le=2200, description="p/l year of every value")
    sign: SignConvention = SignConvention.SPENDING
    source: str = Field(description="the catalogue's source, e.g. SØM's price database")
    date: dt.date | str | None = None
    note: str | None = None
    consequences: dict[str, Consequence] = Field(min_length=1)


def read_catalogue(path: Path) -> Catalogue:
    """Read and validate a catalogue file; errors are located in it (file:line:col)."""
    from .load import parse_yaml_model, read_text

    return parse_yaml_model(read_text(path), str(path), Catalogue, Msg("et konsekvenskatalog"))[0]


def catalogue_problems(case: Case, cat: Catalogue) -> Problems:
    """The catalogue against the case: the same price level, known consequences and payers."""
    from .messages import with_known

    problems: Problems = []
    if cat.price_level != case.price_level:
        msg = Msg(
            "konsekvenskataloget er i {cat} p/l, casen i {case} p/l; beløb omregnes ikke uden "
            "et prisindeks – brug et katalog i casens prisniveau",
            cat=cat.price_level,
            case=case.price_level,
        )
        problems.append((("catalogue",), msg))
    known = known_payers(case)
    for i, line in enumerate(case.lines):
        d = line.driver
        if not isinstance(d, ConsequenceDriver):
            continue
        path: tuple[str | int, ...] = ("lines", i, "driver", "consequence")
        c = cat.consequences.get(d.consequence)
        if c is None:
            unknown = Msg("ukendt konsekvens {name} i kataloget", name=repr(d.consequence))
            problems.append((path, with_known(unknown, cat.consequences)))
            continue
        for p in c.values:
            if p not in known:
                msg = Msg(
                    "konsekvensen {name} har en værdi for betaleren {payer}, som casen ikke "
                    "kender; erklær den under 'payers'",
                    name=d.consequence,
                    payer=repr(p),
                )
                problems.append((path, with_known(msg, known)))
    return problems


Origin = tuple[list[int], list[int]]
"""For the municipal lines and the other lines of a split case: the index of the line in the
file each came from (to locate an error found when they are evaluated)."""


def split_by_payer(
    case: Case, cat: Catalogue | None, path: str | None = None
) -> tuple[Case, Origin]:
    """The municipal case (lines of the kommune, with consequence drivers as count drivers of
    the kommune's unit value) carrying the other payers' lines and the transfer groups."""
    own: list[Line] = []
    other: list[Line] = []
    origin: Origin = ([], [])
    groups: dict[str, list[str]] = {}
    factor = 1.0
    flip = 1.0
    if cat is not None:
        factor = cat.unit.factor / case.unit.factor
        flip = -1.0 if cat.sign is SignConvention.SAVINGS_POSITIVE else 1.0
    for i, line in enumerate(case.lines):
        d = line.driver
        if isinstance(d, ConsequenceDriver):
            assert cat is not None  # catalogue_problems found a consequence without one
            c = cat.consequences[d.consequence]
            for payer, value in c.values.items():
                unit_value = value * factor * flip
                price = -unit_value if line.kind is Kind.SAVING else unit_value
                lid = line.id if payer == KOMMUNE else f"{line.id}__{payer}"
                flow = line.model_copy(
                    update={
                        "id": lid,
                        "payer": None if payer == KOMMUNE else payer,
                        "driver": CountDriver(count=d.count, price=price, multiplier=d.multiplier),
                    }
                )
                _put(flow, i, own, other, origin)
                if c.transfer:
                    groups.setdefault(line.id, []).append(lid)
            continue
        _put(line, i, own, other, origin)
        if line.transfer is not None:
            key = f"{line.transfer.from_}>{line.transfer.to}"
            groups.setdefault(key, []).append(line.id)
    info = None
    if cat is not None:
        info = CatalogueInfo(
            title=cat.title,
            source=cat.source,
            price_level=cat.price_level,
            illustrative=cat.illustrative,
            path=path,
        )
    update: dict[str, Any] = {
        "lines": own,
        "other_lines": other,
        "transfers": groups,
        "catalogue_info": info,
    }
    return case.model_copy(update=update), origin


def _put(line: Line, i: int, own: list[Line], other: list[Line], origin: Origin) -> None:
    if payer_of(line) == KOMMUNE:
        own.append(line)
        origin[0].append(i)
    else:
        other.append(line)
        origin[1].append(i)
