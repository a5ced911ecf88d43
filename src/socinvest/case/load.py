"""Load a case file: YAML -> Case, with every error located as file:line:column and key path.

PyYAML's composer gives each node its position; we keep a map from key path to position so
that pydantic's errors (which know only the key path) and our own reference checks can point
at the exact place in the file, and say how to fix it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .. import files
from ..errors import InputError, Text
from ..i18n import N_, Join, Msg
from .expr import BUILTIN_NAMES, FUNCTIONS, ExpressionError, parse_expression
from .messages import did_you_mean, pydantic_message, with_hint, with_known
from .schema import Case, CountDriver, ExprDriver, FteDriver
from .yamlsafe import Loaded, load_located, where
from .years import year_keys

M = TypeVar("M", bound=BaseModel)
MAX_BYTES = 1024 * 1024
"""Largest case, pool or ladder file (1 MB; the largest example is 12 KB). YAML is read in pure
Python at about 1 µs a byte, so the cap also bounds the time a file can take to read."""
RESERVED = (*BUILTIN_NAMES, *FUNCTIONS)
Path_ = tuple[str | int, ...]


def load_case(path: str | Path) -> Case:
    """Read and validate a case file; raises InputError naming file:line:col and key path."""
    p = Path(path)
    text = read_text(p)
    return parse_case(text, str(p))


def read_text(p: Path) -> str:
    """The file's text; an unusable file is an InputError (`path: message`, worded later).
    Read by the bounded reader (`socinvest.files`): no FIFO, device or file over the cap."""
    return files.read_text(p, MAX_BYTES, files.TEXT)


# What a file is, as callers name it (case, pool and ladder loaders pass English words).
_WHAT = {
    "a case file": N_("en case-fil"),
    "a pool file": N_("en puljefil"),
    "the file": N_("filen"),
}


def parse_yaml_model(
    text: str, source: str, model: type[M], what: Text, loaded: Loaded | None = None
) -> tuple[M, dict]:
    """YAML text -> a validated `model` and the positions of its keys; every schema error is
    located (file:line:col, key path, how to fix). Shared by case, pool and ladder files.
    `what` names the kind of file: a `Msg`, or one of the English names in `_WHAT`.
    `loaded`: the text's `load_located` result when the caller has read it already."""
    data, marks = loaded if loaded is not None else load_located(text, source)
    if not isinstance(data, dict):
        ln, col = marks.get((), (1, 1))
        kind = Msg(_WHAT[what]) if isinstance(what, str) and what in _WHAT else what
        not_mapping = Msg(
            "{what} skal være en YAML-mapping (linjer med nøgle: værdi), ikke en liste eller "
            "en enkelt værdi",
            what=kind,
        )
        raise InputError(Join((f"{source}:{ln}:{col}: ", not_mapping)))
    try:
        return model.model_validate(data), marks
    except ValidationError as e:
        raise _located(e, data, marks, source) from None


def raise_problems(source: str, marks: dict, problems: Sequence[tuple[Path_, Text]]) -> None:
    """Raise one InputError listing every located problem (if there are any)."""
    if problems:
        lines = [locate(source, marks, path, msg) for path, msg in problems]
        raise InputError(lines[0], lines[1:])


def parse_case(text: str, source: str = "<case>") -> Case:
    """Parse and validate a case (schema and references). Runs nothing: ladder lines are
    resolved and drivers evaluated by `services.case.load_case`."""
    return parse_case_located(text, source)[0]


def parse_case_located(
    text: str, source: str = "<case>", loaded: Loaded | None = None
) -> tuple[Case, dict]:
    """`parse_case`, also returning the key positions (key path -> (line, column)), so that a
    later stage (ladder resolution, the first evaluation) can locate its errors in the file."""
    case, marks = parse_yaml_model(text, source, Case, "a case file", loaded)
    raise_problems(source, marks, check_references(case))
    return case, marks


# -- error formatting --------------------------------------------------------------------


def locate(source: str, marks: dict, path: Path_, msg: Text) -> Join:
    """`file:line:col: key.path: msg` for the nearest key of `path` that the file has. The
    location is kept as written; `msg` (a catalogue text or a str) is worded by the face."""
    p = tuple(path)
    while p and p not in marks:
        p = p[:-1]
    ln, col = marks.get(p, (1, 1))
    return Join((where(source, ln, col, tuple(path)), msg))


_TYPE_MISMATCH = frozenset(
    {"dict_type", "string_type", "float_type", "int_type", "list_type", "bool_type"}
    | {"model_type", "model_attributes_type", "float_parsing", "int_parsing"}
)
"""pydantic's error types for a value of the wrong type (as opposed to a value out of range)."""

DISCRIMINATED = {"driver": ("fte", "count", "expr", "ladder", "consequence")}
"""Fields holding a tagged union: pydantic puts the tag into `loc` right after the field."""


def _real_path(data: Any, loc: tuple, missing: bool = False) -> tuple[Path_, bool]:
    """Map pydantic's `loc` onto the data. Union tags (e.g. 'float', 'dict[...]', or a driver's
    'fte') are not keys in the file and are skipped; a final missing key is kept so the message
    can name it. Also returns whether a union branch tag was skipped."""
    out: list[str | int] = []
    cur = data
    skipped = False
    prev: Any = None
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if prev in DISCRIMINATED and part in DISCRIMINATED[prev] and not last:
            prev = part
            continue  # the tag of a tagged union, even though it is also a key
        prev = part
        if isinstance(cur, dict):
            key: Any = part if part in cur else (int(part) if str(part).isdigit() else None)
            if key in cur:
                out.append(key)
                cur = cur[key]
            elif last and missing:
                out.append(part)  # the key that is missing
            else:
                skipped = True  # a union branch name such as 'float' or 'dict[...]'
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out.append(part)
            cur = cur[part]
        else:
            skipped = True
    return tuple(out), skipped


def _field_names() -> set[str]:
    from pydantic import BaseModel

    from . import schema

    names: set[str] = set()
    for obj in vars(schema).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not BaseModel:
            names |= set(obj.model_fields)
    return names


def _located(err: ValidationError, data: Any, marks: dict, source: str) -> InputError:
    import difflib

    items = []
    for e in err.errors(include_url=False):
        path, skipped = _real_path(data, e["loc"], missing=e["type"] == "missing")
        items.append((path, skipped, e))
    # A value that fails every branch of a union gets one error per branch; keep the branch
    # that reached deepest into the data (e.g. amounts[2026], not amounts.float).
    paths = [p for p, _, _ in items]
    kept = [
        (p, e)
        for p, skipped, e in items
        if not (skipped and any(len(q) > len(p) and q[: len(p)] == p for q in paths))
    ]
    # A value of the right type for one branch but out of its range (e.g. `amounts: 1e308`,
    # a number too large) also fails the other branches by type ("skal være en mapping"):
    # keep the branch that says what is wrong with the value.
    ranged = {p for p, e in kept if e["type"] not in _TYPE_MISMATCH}
    kept = [(p, e) for p, e in kept if not (p in ranged and e["type"] in _TYPE_MISMATCH)]
    lines: list[tuple[bool, Join]] = []  # (a misspelt key?, the located text)
    seen: set[str] = set()
    for path, e in kept:
        msg, hint = pydantic_message(e)  # catalogue words for pydantic's type (messages.py)
        guess = False
        if e["type"] == "extra_forbidden" and path:
            # Prefer a key reported missing beside it (the misspelt one), then any field name.
            siblings = [
                str(p[-1]) for p, x in kept if x["type"] == "missing" and p[:-1] == path[:-1]
            ]
            given = str(path[-1])  # never suggest the key given (it is valid elsewhere)
            close = difflib.get_close_matches(given, siblings, n=1, cutoff=0.6) or (
                difflib.get_close_matches(given, sorted(_field_names() - {given}), 1, 0.75)
            )
            if close:
                hint, guess = did_you_mean(close[0]), True
        text = locate(source, marks, path, with_hint(msg, hint))
        if str(text) not in seen:  # compare the words: Msg equality ignores parameters
            seen.add(str(text))
            lines.append((guess, text))
    # A misspelt key also makes the right key "missing": put the unknown key first.
    lines.sort(key=lambda t: 0 if t[0] else 1)
    return InputError(lines[0][1], [t for _, t in lines[1:]])


# -- references between parts of a case ------------------------------------------------


def check_references(case: Case) -> list[tuple[Path_, Text]]:
    """Cross-references that a schema cannot express: parameter names in drivers, committees
    in allocations, line ids in stated figures, years inside the horizon. Each problem is a
    key path and a catalogue text."""
    problems: list[tuple[Path_, Text]] = []
    params = set(case.parameters)
    known = params | set(BUILTIN_NAMES)
    first, last = case.horizon.first, case.horizon.last
    for com in case.committees:
        if not com.strip():  # '' is how a line says "no committee": it cannot name one
            problems.append((("committees", com), Msg("et udvalgs id må ikke være tomt")))

    def years_inside(v: Any, path: Path_) -> None:
        try:
            ys = year_keys(v)
        except ValueError as e:
            problems.append((path, getattr(e, "message", str(e))))
            return
        bad = sorted({y for y in ys if y < first or y > last})
        if bad:
            outside = Msg(
                "år {year} ligger uden for horisonten {first}-{last}; fjern det eller udvid "
                "'horizon'",
                year=bad[0],
                first=first,
                last=last,
            )
            problems.append((path, outside))

    def ref(v: Any, path: Path_) -> None:
        if isinstance(v, str) and v not in params:
            unknown = Msg("ukendt parameter {name}; angiv den under 'parameters'", name=repr(v))
            problems.append((path, with_known(unknown, params)))

    for name, p in case.parameters.items():
        if name in RESERVED:
            reserved = Msg(
                "navnet {name} er reserveret ({names}); vælg et andet navn",
                name=repr(name),
                names=", ".join(RESERVED),
            )
            problems.append((("parameters", name), reserved))
        years_inside(p.value, ("parameters", name, "value"))
    uncertain = {n for n, p in case.parameters.items() if p.uncertainty is not None}
    for i, c in enumerate(case.correlations):
        for k in ("a", "b"):
            name = getattr(c, k)
            if name not in uncertain:
                not_uncertain = Msg(
                    "{name} er ikke en parameter med 'uncertainty'", name=repr(name)
                )
                problems.append((("correlations", i, k), with_known(not_uncertain, uncertain)))
        if c.a == c.b:
            itself = Msg("en parameter kan ikke korreleres med sig selv")
            problems.append((("correlations", i), itself))
    ids: set[str] = set()
    for i, line in enumerate(case.lines):
        base: Path_ = ("lines", i)
        if line.id in ids:
            twice = Msg("linje-id {id} bruges to gange; id'er skal være entydige", id=repr(line.id))
            problems.append((base + ("id",), twice))
        ids.add(line.id)
        if line.amounts is not None:
            years_inside(line.amounts, base + ("amounts",))
        if isinstance(line.ramp, str):
            ref(line.ramp, base + ("ramp",))
        elif line.ramp is not None:
            years_inside(line.ramp, base + ("ramp",))
        d = line.driver
        if isinstance(d, FteDriver):
            ref(d.fte, base + ("driver", "fte"))
            ref(d.rate, base + ("driver", "rate"))
        elif isinstance(d, CountDriver):
            for k in ("count", "price", "multiplier"):
                ref(getattr(d, k), base + ("driver", k))
        elif isinstance(d, ExprDriver):
            try:
                ex = parse_expression(d.expr)
            except ExpressionError as e:
                problems.append((base + ("driver", "expr"), e.message))
            else:
                for n in sorted(ex.names - known):
                    unknown = Msg(
                        "ukendt navn {name} i udtrykket; angiv det under 'parameters'",
                        name=repr(n),
                    )
                    problems.append((base + ("driver", "expr"), with_known(unknown, params)))
        owner = [line.owner] if line.owner is not None else []  # '' too: not a committee
        for com in owner + list(line.allocation or {}):
            if com not in case.committees:
                where = "owner" if line.owner is not None else "allocation"
                unknown = Msg("ukendt udvalg {name}; angiv det under 'committees'", name=repr(com))

                problems.append((base + (where,), with_known(unknown, case.committees)))
    for i, s in enumerate(case.stated):
        base = ("stated", i)
        for j, lid in enumerate(s.lines or []):
            if lid not in ids:
                unknown = Msg("ukendt linje {name}", name=repr(lid))
                problems.append((base + ("lines", j), with_known(unknown, ids)))
        if s.committee and s.committee not in case.committees:
            unknown = Msg("ukendt udvalg {name}", name=repr(s.committee))
            problems.append((base + ("committee",), with_known(unknown, case.committees)))
        if s.values is not None:
            years_inside(s.values, base + ("values",))
        if s.years is not None:
            years_inside({s.years: 0}, base + ("years",))
    return problems
