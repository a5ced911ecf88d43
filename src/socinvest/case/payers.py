"""Who pays or gains (docs/perspectives.md): the payers of a line, transfers between payers
and the `consequence` driver (count × a unit consequence from a catalogue, one flow per payer).

A line belongs to one payer, `kommune` by default, so a case without payers is exactly today's
municipal case. The built-in payers are kommune, region, stat (the public sector) and borger
(the citizens); a case may declare others under `payers`, saying whether they are public.
This module is data only: the catalogue is read and the lines split by payer in
`case.catalogue`, the perspectives computed in `engine.perspectives`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from ..i18n import N_, Msg
from .bounds import Real

if TYPE_CHECKING:
    from .schema import Case

KOMMUNE = "kommune"
BUILTIN_PAYERS = ("kommune", "region", "stat", "borger")
PUBLIC_PAYERS = ("kommune", "region", "stat")
PAYER_NAMES = {
    "kommune": N_("Kommunen"),
    "region": N_("Regionen"),
    "stat": N_("Staten"),
    "borger": N_("Borgerne"),
}
"""The built-in payers' names (catalogue msgids); declared payers carry their own name."""

PERSPECTIVES = ("municipality", "public", "society")
"""The municipality (kommune: today's result), the public sector (kommune, region, stat and
declared public payers) and society (every payer, the citizens included)."""

_NAME = r"^[a-z][a-z0-9_]*$"


class _Frozen(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )


Ref = Annotated[Real | str, Field(description="a number or the name of a parameter")]


class PayerDecl(_Frozen):
    """A payer beyond kommune, region, stat and borger (e.g. an a-kasse or a private firm)."""

    name: str = Field(min_length=1, description="the payer's name as shown in reports")
    public: bool = Field(
        False, description="part of the public sector (counted in the public perspective)"
    )


class Transfer(_Frozen):
    """Marks a line as one side of a transfer (a tax, a benefit, a refund) from one payer to
    another: the lines marked with the same `from` and `to` must net to zero every year."""

    from_: str = Field(alias="from", description="the payer the money leaves")
    to: str = Field(description="the payer the money goes to")


class ConsequenceDriver(_Frozen):
    """count × a unit consequence of the case's catalogue (× an optional multiplier): one
    flow for each payer the consequence names, signed as the catalogue gives it."""

    consequence: str = Field(description="the consequence's name in the catalogue")
    count: Ref
    multiplier: Ref = 1.0


class CatalogueInfo(_Frozen):
    """What a report says about the catalogue a case used."""

    title: str
    source: str
    price_level: int
    illustrative: bool = False
    path: str | None = None


def payer_of(line: Any) -> str:
    """The line's payer: `kommune` unless it says otherwise."""
    return getattr(line, "payer", None) or KOMMUNE


def known_payers(case: Case) -> tuple[str, ...]:
    return BUILTIN_PAYERS + tuple(case.payers)


def is_public(case: Case, payer: str) -> bool:
    if payer in BUILTIN_PAYERS:
        return payer in PUBLIC_PAYERS
    decl = case.payers.get(payer)
    return bool(decl and decl.public)


def payer_problems(case: Case) -> list[tuple[tuple[str | int, ...], Any]]:
    """Cross-references of payers, transfers, consequence drivers and stated perspectives
    that a schema cannot express; each a key path and a catalogue text."""
    from .messages import with_known

    problems: list[tuple[tuple[str | int, ...], Any]] = []
    known = known_payers(case)
    params = set(case.parameters)
    for name in case.payers:
        if name in BUILTIN_PAYERS or not _valid_name(name):
            msg = Msg(
                "betaleren {name} kan ikke erklæres: brug små bogstaver, cifre og _, og ikke "
                "et indbygget navn ({names})",
                name=repr(name),
                names=", ".join(BUILTIN_PAYERS),
            )
            problems.append((("payers", name), msg))

    def payer_ref(p: str, path: tuple[str | int, ...]) -> None:
        if p not in known:
            unknown = Msg("ukendt betaler {name}; erklær den under 'payers'", name=repr(p))
            problems.append((path, with_known(unknown, known)))

    for i, line in enumerate(case.lines):
        base: tuple[str | int, ...] = ("lines", i)
        if line.payer is not None:
            payer_ref(line.payer, base + ("payer",))
        if line.transfer is not None:
            t = line.transfer
            payer_ref(t.from_, base + ("transfer", "from"))
            payer_ref(t.to, base + ("transfer", "to"))
            if t.from_ == t.to:
                problems.append(
                    (
                        (*base, "transfer"),
                        Msg("en overførsel skal gå mellem to forskellige betalere"),
                    )
                )
            elif payer_of(line) not in (t.from_, t.to):
                msg = Msg(
                    "linjen er en side af en overførsel fra {a} til {b}; dens 'payer' skal være "
                    "{a} eller {b}",
                    a=t.from_,
                    b=t.to,
                )
                problems.append((base + ("payer",), msg))
        d = line.driver
        if isinstance(d, ConsequenceDriver):
            if line.payer is not None:
                msg = Msg(
                    "en linje med en konsekvens fra kataloget har en betaler for hver værdi i "
                    "kataloget; fjern 'payer'"
                )
                problems.append((base + ("payer",), msg))
            for k in ("count", "multiplier"):
                v = getattr(d, k)
                if isinstance(v, str) and v not in params:
                    unknown = Msg(
                        "ukendt parameter {name}; angiv den under 'parameters'", name=repr(v)
                    )
                    problems.append(((*base, "driver", k), with_known(unknown, params)))
            if case.catalogue is None:
                msg = Msg(
                    "linjen bruger konsekvensen {name}, men casen angiver intet katalog; "
                    "tilføj 'catalogue: sti/til/katalog.yaml'",
                    name=repr(d.consequence),
                )
                problems.append(((*base, "driver", "consequence"), msg))
    split_off = {ln.id for ln in case.lines if payer_of(ln) != KOMMUNE}
    for i, s in enumerate(case.stated):
        base = ("stated", i)
        if s.perspective in ("public", "society"):
            for key in ("lines", "area", "committee", "funding", "share"):
                if getattr(s, key) is not None:
                    msg = Msg(
                        "et angivet tal for et perspektiv ({perspective}) kan ikke have "
                        "'{key}'; brug 'of' og 'values', 'total' eller 'payback'",
                        perspective=s.perspective,
                        key=key,
                    )
                    problems.append((base + (key,), msg))
            if s.payback is not None and s.payback != "total":
                msg = Msg("tilbagebetalingstiden for et perspektiv har basis 'total'")
                problems.append((base + ("payback",), msg))
        else:
            for j, lid in enumerate(s.lines or []):
                if lid in split_off:
                    msg = Msg(
                        "linje {name} betales ikke af kommunen; et tal om den skal have "
                        "'perspective: public' eller 'society'",
                        name=repr(lid),
                    )
                    problems.append((base + ("lines", j), msg))
    return problems


def _valid_name(name: str) -> bool:
    import re

    return re.match(_NAME, name) is not None
