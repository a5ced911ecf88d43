"""Load ladder, population and scenario files with file:line:column errors (as case files).

`load_model(path)` reads a population or a scenario file (a scenario names its baseline
population, which names its ladder) and checks every reference between them: step ids, age
and duration ranges that must fall on band edges, probabilities that must not sum above 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..case.load import locate, parse_yaml_model, read_text
from ..case.yamlsafe import safe_load
from ..errors import InputError, InvalidValue, Text
from ..i18n import Join, Msg
from .levers import check_lever
from .model import (
    CaseloadOverride,
    EntriesOverride,
    Ladder,
    Population,
    Scenario,
    TransitionsOverride,
    parse_range,
)

DEFAULT_LADDER = Path(__file__).resolve().parent.parent / "data" / "ladder_default.yaml"


@dataclass(frozen=True)
class Model:
    """A population with its ladder, and the scenario when one was loaded."""

    ladder: Ladder
    population: Population
    scenario: Scenario | None
    path: Path  # the file given (population or scenario)
    files: tuple[Path, ...]  # every file read (for caching by modification time)


def _parse(path: Path, model: type[BaseModel]) -> tuple[Any, dict, str]:
    source = str(path)
    obj, marks = parse_yaml_model(read_text(path), source, model, "the file")
    return obj, marks, source


Problem = tuple[tuple, Text]


class BandError(InvalidValue):
    """A range that does not fall on band edges; `message` words it in any language."""


def _raise(source: str, marks: dict, problems: list[Problem]) -> None:
    """One InputError listing every located problem (`file:line:col: key: message`)."""
    if problems:
        lines = [locate(source, marks, path, msg) for path, msg in problems]
        raise InputError(lines[0], lines[1:])


def load_ladder(path: str | Path) -> Ladder:
    ladder, _, _ = _parse(Path(path), Ladder)
    return ladder


def _kind(path: Path) -> str:
    try:
        data = safe_load(read_text(path), str(path))
    except InputError:
        return "population"  # the real parse reports the error with its position
    if isinstance(data, dict):
        if "baseline" in data:
            return "scenario"
        if "steps" in data and "ladder" not in data:
            return "ladder"
    return "population"


def load_model(path: str | Path) -> Model:
    """Read a population or scenario file and everything it refers to."""
    p = Path(path)
    kind = _kind(p) if p.is_file() else "population"
    if kind == "ladder":
        raise InputError(
            Msg(
                "{path}: en trappedefinition indeholder ingen børn; angiv en befolkningsfil der "
                "henviser til den (ladder: ...) eller en scenariefil (docs/ladder.md)",
                path=p,
            )
        )
    if kind == "scenario":
        scen, smarks, ssource = _parse(p, Scenario)
        pop_path = (p.parent / scen.baseline).resolve()
        if not pop_path.is_file():
            _raise(ssource, smarks, [(("baseline",), _not_found(pop_path))])
        if _kind(pop_path) != "population":
            # a scenario's baseline is a population: never another scenario (or itself, which
            # would never end), nor a ladder definition
            not_population = Msg(
                "baseline skal henvise til en befolkningsfil (med 'ladder:'), ikke til en "
                "scenarie- eller trappefil: {name}",
                name=repr(scen.baseline),
            )
            _raise(ssource, smarks, [(("baseline",), not_population)])
        base = load_model(pop_path)
        _raise(ssource, smarks, check_scenario(scen, base.ladder, base.population))
        return Model(base.ladder, base.population, scen, p, (p, *base.files))
    pop, marks, source = _parse(p, Population)
    lpath = (p.parent / pop.ladder).resolve()
    if not lpath.is_file():
        _raise(source, marks, [(("ladder",), _not_found(lpath))])
    ladder = load_ladder(lpath)
    _raise(source, marks, check_population(pop, ladder))
    return Model(ladder, pop, None, p, (p, lpath))


# -- references -----------------------------------------------------------------------------


def _not_found(path: Path) -> Msg:
    return Msg("filen findes ikke: {path}", path=path)


def _unknown_step(ladder: Ladder, step: str, tracked: bool = True) -> Msg:
    ids = ladder.ids[1:] if tracked else ladder.ids
    return Msg("ukendt trin {step} (kendte: {known})", step=repr(step), known=", ".join(ids))


def band_span(key: Any, edges: list[int], top: int | None) -> tuple[int, int]:
    """Indices [i, j) of the bands a range covers; the range must fall on band edges.
    `top` is the end of the last band (max_age) or None when the last band is open."""
    a, b = parse_range(key)
    if a not in edges:
        raise BandError(
            Msg(
                "{key} starter ikke ved en grænse mellem grupper ({bands})",
                key=repr(key),
                bands=_edges(edges, top),
            )
        )
    i = edges.index(a)
    if b is None:
        return i, len(edges)
    end = b + 1
    if end in edges:
        return i, edges.index(end)
    if top is not None and end == top:
        return i, len(edges)
    raise BandError(
        Msg(
            "{key} slutter ikke ved en grænse mellem grupper ({bands})",
            key=repr(key),
            bands=_edges(edges, top),
        )
    )


def _bands(edges: list[int], top: int | None) -> list[str]:
    parts = [f"{a}-{b - 1}" for a, b in zip(edges, edges[1:], strict=False)]
    parts.append(f"{edges[-1]}-{top - 1}" if top is not None else f"{edges[-1]}-")
    return parts


def _edges(edges: list[int], top: int | None) -> Msg:
    return Msg("grupper {bands}", bands=", ".join(_bands(edges, top)))


def check_population(pop: Population, ladder: Ladder) -> list[Problem]:
    problems: list[Problem] = []
    ids = set(ladder.ids)
    tracked = set(ladder.ids[1:])
    for block in ("stock", "entries", "stock_months"):
        for step in getattr(pop, block):
            if step not in tracked:
                why = (
                    Msg(
                        "det første trin følges ikke (børn dér er uden for modellen): {step} "
                        "(kendte: {known})",
                        step=repr(step),
                        known=", ".join(ladder.ids[1:]),
                    )
                    if step == ladder.ids[0]
                    else _unknown_step(ladder, step)
                )
                problems.append(((block, step), why))
    cells: dict[tuple, float] = {}
    nb, nd = len(pop.age_bands), len(pop.duration_bands)
    for i, t in enumerate(pop.transitions):
        base = ("transitions", i)
        bad = False
        for key in ("from_", "to"):
            v = getattr(t, key)
            if v not in ids:
                problems.append((base + (key.rstrip("_"),), _unknown_step(ladder, v, False)))
                bad = True
        if bad:
            continue
        if t.from_ == ladder.ids[0]:
            problems.append(
                (
                    base + ("from",),
                    Msg("flytninger ud af det første trin er nye børn: brug 'entries'"),
                )
            )
            continue
        if t.from_ == t.to:
            problems.append(
                (base + ("to",), Msg("en flytning til samme trin; angiv flytningerne ud"))
            )
            continue
        try:
            ai, aj = band_span(t.ages, pop.age_bands, pop.max_age) if t.ages else (0, nb)
        except ValueError as e:
            problems.append((base + ("ages",), _why(e)))
            continue
        try:
            di, dj = band_span(t.months, pop.duration_bands, None) if t.months else (0, nd)
        except ValueError as e:
            problems.append((base + ("months",), _why(e)))
            continue
        for a in range(ai, aj):
            for d in range(di, dj):
                cells[(t.from_, t.to, a, d)] = t.monthly
    totals: dict[tuple, float] = {}
    for (f, _, a, d), p in cells.items():
        totals[(f, a, d)] = totals.get((f, a, d), 0.0) + p
    for (f, a, d), s in sorted(totals.items()):
        if s > 1 + 1e-12:
            problems.append(
                (
                    ("transitions",),
                    Msg(
                        "sandsynlighederne pr. måned ud af {step} summer til {sum} (> 1) for "
                        "alder {ages}, måneder {months}; sæt dem ned",
                        step=repr(f),
                        sum=format(s, ".4g"),
                        ages=_bands(pop.age_bands, pop.max_age)[a],
                        months=_bands(pop.duration_bands, None)[d],
                    ),
                )
            )
    return problems


def _why(e: ValueError) -> Text:
    """The message of a range error: worded by the catalogue, or (from the schema) as is."""
    return e.message if isinstance(e, InvalidValue) else Join((str(e),))


def check_scenario(scen: Scenario, ladder: Ladder, pop: Population) -> list[Problem]:
    problems: list[Problem] = []
    tracked = ladder.ids[1:]

    def step(v: str, path: tuple, allow_first: bool = False) -> None:
        ok = v in ladder.ids if allow_first else v in tracked
        if not ok:
            problems.append((path, _unknown_step(ladder, v, not allow_first)))

    last = pop.start + pop.years - 1
    for i, o in enumerate(scen.overrides):
        base = ("overrides", i)
        if o.from_year is not None and not pop.start <= o.from_year <= last:
            problems.append(
                (
                    base + ("from_year",),
                    Msg(
                        "{year} ligger uden for fremskrivningen {first}-{last}",
                        year=o.from_year,
                        first=pop.start,
                        last=last,
                    ),
                )
            )
        if isinstance(o, EntriesOverride):
            for j, s in enumerate(o.steps):
                step(s, base + ("steps", j))
            if o.redirect_to is not None:
                step(o.redirect_to, base + ("redirect_to",))
            if o.ages is not None:
                try:
                    a, b = parse_range(o.ages)
                    if b is None or b >= pop.max_age:
                        raise BandError(
                            Msg(
                                "alder {ages} når max_age {max_age}",
                                ages=repr(o.ages),
                                max_age=pop.max_age,
                            )
                        )
                except ValueError as e:
                    problems.append((base + ("ages",), _why(e)))
        elif isinstance(o, TransitionsOverride):
            for j, s in enumerate(o.from_):
                step(s, base + ("from", j))
            for j, s in enumerate(o.to):
                step(s, base + ("to", j), allow_first=True)
            for key, edges, top in (
                ("ages", pop.age_bands, pop.max_age),
                ("months", pop.duration_bands, None),
            ):
                v = getattr(o, key)
                if v is not None:
                    try:
                        band_span(v, edges, top)
                    except ValueError as e:
                        problems.append((base + (key,), _why(e)))
        elif isinstance(o, CaseloadOverride):
            for j, s in enumerate(o.steps or []):
                step(s, base + ("steps", j))
        else:  # caps and targets, entrants, transfers, cost mix (ladder/levers.py)
            problems += check_lever(o, base, ladder, pop)
    return problems
