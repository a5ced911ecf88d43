"""The strategy levers of a scenario beyond factors: caps and targets over several steps (on
the stock or on new placements), absolute entrants and transfers per month, a step's cost mix —
their reference checks (called by `load.check_scenario`), and the warning when a lever changes
nothing (a caseload change without moves down the ladder, a cap that never binds, …).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..i18n import Msg
from .model import (
    CaseloadOverride,
    CostMixOverride,
    EntrantsOverride,
    EntriesOverride,
    Ladder,
    PlacementCap,
    Population,
    TransfersOverride,
    TransitionsOverride,
    parse_range,
    shares_of,
)

Problem = tuple[tuple, Any]


def _unknown(ladder: Ladder, step: str) -> Msg:
    return Msg(
        "ukendt trin {step} (kendte: {known})", step=repr(step), known=", ".join(ladder.ids[1:])
    )


def check_lever(o: Any, base: tuple, ladder: Ladder, pop: Population) -> list[Problem]:
    """Problems of a cap/target, entrants, transfers or cost-mix override (others: [])."""
    tracked = ladder.ids[1:]
    placed = [s.id for s in ladder.steps if s.placement]
    out: list[Problem] = []

    def step(v: str, path: tuple) -> bool:
        if v not in tracked:
            out.append((path, _unknown(ladder, v)))
            return False
        return True

    def targets(v: Any, key: str) -> dict[str, float]:
        shares = shares_of(v)
        for j, s in enumerate(shares):
            step(s, base + ((key, j) if not isinstance(v, str) else (key,)))
        return shares

    if isinstance(o, PlacementCap):
        key = "step" if o.step is not None else "steps"
        capped = o.capped
        for j, s in enumerate(capped):
            path = base + ((key,) if o.step is not None else (key, j))
            if step(s, path) and s not in placed:
                out.append((path, Msg("{step} er ikke et anbringelsestrin", step=repr(s))))
        dest = targets(o.move_to, "move_to")
        if o.max_share is not None and set(dest) & set(capped):
            out.append((base + ("move_to",), Msg("flyt overskuddet til et andet trin")))
        if o.min_share is not None:
            outside = [s for s in dest if s not in capped]
            if outside:
                out.append(
                    (
                        base + ("move_to",),
                        Msg(
                            "et mål (min_share) flytter børn ind i sine egne trin; {step} er "
                            "ikke blandt dem",
                            step=repr(outside[0]),
                        ),
                    )
                )
            if not [s for s in placed if s not in capped]:
                out.append(
                    (base + ("steps",), Msg("der er ingen andre anbringelsestrin at flytte fra"))
                )
    elif isinstance(o, EntrantsOverride):
        step(o.step, base + ("step",))
        if o.ages is not None:
            try:
                a, b = parse_range(o.ages)
                if b is None or b >= pop.max_age:
                    out.append(
                        (
                            base + ("ages",),
                            Msg(
                                "alder {ages} når max_age {max_age}",
                                ages=repr(o.ages),
                                max_age=pop.max_age,
                            ),
                        )
                    )
            except ValueError as e:
                out.append((base + ("ages",), getattr(e, "message", str(e))))
    elif isinstance(o, TransfersOverride):
        for j, s in enumerate(o.from_):
            step(s, base + ("from", j))
        dest = shares_of(o.to)
        for j, s in enumerate(dest):
            path = base + (("to", j) if not isinstance(o.to, str) else ("to",))
            if s not in ladder.ids:  # the first step = case closed is allowed
                out.append((path, _unknown(ladder, s)))
            elif s in o.from_:
                out.append((path, Msg("flyt børnene til et andet trin")))
    elif isinstance(o, CostMixOverride) and step(o.step, base + ("step",)):
        mix = ladder.steps[ladder.index(o.step)].cost.mix
        if mix is None:
            out.append(
                (
                    base + ("step",),
                    Msg("{step} har ingen mix af undertyper i trappefilen", step=repr(o.step)),
                )
            )
        else:
            known = [s.id for s in mix]
            for s in o.mix:
                if s not in known:
                    out.append(
                        (
                            base + ("mix", s),
                            Msg(
                                "ukendt undertype {id} (kendte: {known})",
                                id=repr(s),
                                known=", ".join(known),
                            ),
                        )
                    )
    return out


# -- caps, targets, transfers and entrants as the engines apply them ----------------------------


@dataclass(frozen=True)
class Cap:
    """A month-end move of children (ladder/levers.py): `kind` "stock" caps the share of the
    placed children in `source` at `share`; "new" caps the share of the month's new placements
    that arrive in `source`; "transfer" moves `share` children a month out of `source`. The
    moved children go to `dest` ((tracked step, weight); step −1 = case closed) at duration 0.
    `outside` is the weight of destinations that are not placements (for an exact excess)."""

    kind: str
    source: tuple[int, ...]
    share: float
    dest: tuple[tuple[int, float], ...]
    outside: float = 0.0


def cap_of(o: PlacementCap | TransfersOverride, lad: Ladder, ids: list[str]) -> Cap:
    """A cap, target or transfer as the engines apply it. A target (`min_share` s on S) is a
    cap of 1 − s on the other placement steps, moving the shortfall into S."""
    placed = {s.id for s in lad.steps if s.placement}
    dest_shares = shares_of(o.move_to if isinstance(o, PlacementCap) else o.to)
    dest = tuple((ids.index(s) - 1, w) for s, w in dest_shares.items())
    outside = sum(w for s, w in dest_shares.items() if s not in placed)
    if isinstance(o, TransfersOverride):
        src = tuple(ids.index(s) - 1 for s in o.from_)
        return Cap("transfer", src, o.per_month, dest, outside)
    if o.min_share is not None:
        others = tuple(ids.index(s) - 1 for s in ids[1:] if s in placed and s not in o.capped)
        return Cap(o.of, others, 1.0 - o.min_share, dest, outside)
    src = tuple(ids.index(s) - 1 for s in o.capped)
    return Cap(o.of, src, float(o.max_share or 0.0), dest, outside)


def add_entrants(
    o: EntrantsOverride, E: np.ndarray, extra: np.ndarray, ids: list[str], max_age: int
) -> None:
    """Add `per_month` × 12 children a year (spread evenly over the ages), or remove them in
    proportion to the entries at those ages (at most all of them)."""
    k = ids.index(o.step) - 1
    a, b = parse_range(o.ages) if o.ages is not None else (0, max_age - 1)
    b = max_age - 1 if b is None else b
    per_year = 12.0 * o.per_month  # the file says per month: never per year
    if per_year >= 0:
        extra[:, k, a : b + 1] += per_year / (b - a + 1)
        return
    have = E[:, k, a : b + 1] + extra[:, k, a : b + 1]
    tot = have.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(tot > 0, np.minimum(-per_year / tot, 1.0), 0.0)
    extra[:, k, a : b + 1] -= have * frac


# -- levers that change nothing -------------------------------------------------------------


@dataclass(frozen=True)
class LeverWarning:
    """A scenario override that changes nothing in the projection: its index in `overrides`,
    its type, and the reason worded by the catalogue (`message`)."""

    override: int
    type: str
    message: Msg
    code: str = "LADDER_LEVER_IDLE"


def why_idle(o: Any, pop: Population, ladder: Ladder) -> Msg:
    """The likely reason an override changes nothing, worded for the user."""
    ids = ladder.ids
    if isinstance(o, CaseloadOverride):
        if o.before == o.after:
            return Msg("sagsstammen er den samme før og efter ({n})", n=format(o.before, "g"))
        steps = set(o.steps or ids[1:])
        down = [
            t
            for t in pop.transitions
            if t.from_ in steps and ids.index(t.to) < ids.index(t.from_) and t.monthly > 0
        ]
        if not down:
            return Msg(
                "en ændret sagsstamme virker kun gennem flytninger ned ad trappen, og "
                "befolkningsfilen har ingen fra {steps}; tilføj overgange (eller tilpas dem "
                "med socinvest ladder fit)",
                steps=", ".join(sorted(steps, key=ids.index)),
            )
    if isinstance(o, TransitionsOverride):
        return Msg(
            "befolkningsfilen har ingen flytninger fra {src} til {dst} at ændre",
            src=", ".join(o.from_),
            dst=", ".join(o.to),
        )
    if isinstance(o, EntriesOverride):
        return Msg("der er ingen nye børn i {steps} at ændre", steps=", ".join(o.steps))
    if isinstance(o, PlacementCap):
        return Msg("grænsen nås aldrig i fremskrivningen")
    if isinstance(o, TransfersOverride):
        return Msg("der er ingen børn i {steps} at flytte", steps=", ".join(o.from_))
    return Msg("ændringen giver ingen forskel i antal børn eller udgift")


def idle_message(i: int, o: Any, reason: Msg) -> Msg:
    """'Ændring 3 (caseload) ændrer intet: <reason>.'"""
    return Msg(
        "ændring {n} ({type}) ændrer intet i fremskrivningen: {reason}",
        n=i + 1,
        type=o.type,
        reason=reason,
    )
