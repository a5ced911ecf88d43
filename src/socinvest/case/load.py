"""Load a case file: YAML -> Case, with every error located as file:line:column and key path.

PyYAML's composer gives each node its position; we keep a map from key path to position so
that pydantic's errors (which know only the key path) and our own reference checks can point
at the exact place in the file, and say how to fix it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import InputError
from .expr import BUILTIN_NAMES, FUNCTIONS, ExpressionError, parse_expression
from .schema import Case, CountDriver, ExprDriver, FteDriver, LadderDriver
from .years import year_keys

M = TypeVar("M", bound=BaseModel)
MAX_BYTES = 5 * 1024 * 1024
RESERVED = (*BUILTIN_NAMES, *FUNCTIONS)
Path_ = tuple[str | int, ...]


def load_case(path: str | Path) -> Case:
    """Read and validate a case file; raises InputError naming file:line:col and key path."""
    p = Path(path)
    text = read_text(p)
    return parse_case(text, str(p))


def read_text(p: Path) -> str:
    if not p.exists():
        raise InputError(f"{p}: filen findes ikke (file not found)")
    if p.is_dir():
        raise InputError(f"{p}: er en mappe, ikke en fil (is a directory)")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"{p}: filen er for stor ({size:,} bytes; højst {MAX_BYTES:,})")
    data = p.read_bytes()
    if b"\x00" in data:
        raise InputError(f"{p}: binær fil – forventede tekst (YAML eller en indsat tabel)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        ln = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise InputError(
            f"{p}:{ln}:{col}: ikke gyldig UTF-8 (not valid UTF-8); gem filen som UTF-8 og prøv igen"
        ) from None


def parse_yaml_model(text: str, source: str, model: type[M], what: str) -> tuple[M, dict]:
    """YAML text -> a validated `model` and the positions of its keys; every schema error is
    located (file:line:col, key path, how to fix). Shared by case, pool and ladder files."""
    data, marks = _compose(text, source)
    if not isinstance(data, dict):
        ln, col = marks.get((), (1, 1))
        raise InputError(
            f"{source}:{ln}:{col}: {what} must be a YAML mapping (key: value lines), "
            "not a list or a single value"
        )
    try:
        return model.model_validate(data), marks
    except ValidationError as e:
        raise _located(e, data, marks, source) from None


def raise_problems(source: str, marks: dict, problems: list[tuple[Path_, str]]) -> None:
    """Raise one InputError listing every located problem (if there are any)."""
    if problems:
        lines = [locate(source, marks, path, msg) for path, msg in problems]
        raise InputError(lines[0], lines[1:])


def parse_case(text: str, source: str = "<case>") -> Case:
    case, marks = parse_yaml_model(text, source, Case, "a case file")
    problems = check_references(case)
    if not problems:
        problems = _check_ladder_drivers(case, source)
    raise_problems(source, marks, problems)
    from ..engine.resolve import NonFiniteAmount, evaluate

    try:
        evaluate(case)  # one draw: a driver that divides by zero is found here, located
    except NonFiniteAmount as e:
        line = case.lines[e.line_index]
        key = ("driver", "expr") if line.driver is not None else ("amounts",)
        raise InputError(locate(source, marks, ("lines", e.line_index, *key), e.message)) from None
    return case


def _check_ladder_drivers(case: Case, source: str) -> list[tuple[Path_, str]]:
    """`driver: ladder` lines: remember the case file's folder (paths are relative to it) and
    run the ladder projection once (cached), so that its errors are located here."""
    problems: list[tuple[Path_, str]] = []
    ladder_lines = [
        (i, ln) for i, ln in enumerate(case.lines) if isinstance(ln.driver, LadderDriver)
    ]
    if not ladder_lines:
        return problems  # ordinary cases never import the ladder model
    import numpy as np

    from ..ladder.derive import driver_amounts

    src = Path(source)
    base = src.parent if src.is_file() else Path.cwd()
    years = np.arange(case.horizon.first, case.horizon.last + 1)
    for i, ln in ladder_lines:
        ln.driver._base = str(base)  # type: ignore[union-attr]
        try:
            driver_amounts(ln.driver, case, years)
        except InputError as e:
            problems.append((("lines", i, "driver", "ladder"), e.message))
    return problems


# -- YAML with positions ----------------------------------------------------------------


def _compose(text: str, source: str) -> tuple[Any, dict[Path_, tuple[int, int]]]:
    if not text.strip():
        raise InputError(f"{source}: filen er tom (empty file)")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e)
        context, cmark = getattr(e, "context", None), getattr(e, "context_mark", None)
        if context and cmark and mark and "end of stream" in problem:
            # An unclosed quote or bracket: point at where it opens, not at the file's end.
            problem = f"{context.replace('while ', '')} that is never closed ({problem})"
            mark = cmark
        elif context and cmark:
            problem += f" ({context} at line {cmark.line + 1}, column {cmark.column + 1})"
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        hint = next((h for k, h in _YAML_HINTS.items() if k in problem), None)
        raise InputError(
            f"{source}{where}: YAML error: {problem}" + (f" – {hint}" if hint else "")
        ) from None
    if node is None:
        raise InputError(f"{source}: filen er tom (empty file)")
    marks: dict[Path_, tuple[int, int]] = {}
    data = _construct(node, (), marks, source)
    return data, marks


def _construct(node: yaml.Node, path: Path_, marks: dict, source: str) -> Any:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                ln, col = knode.start_mark.line + 1, knode.start_mark.column + 1
                raise InputError(
                    f"{source}:{ln}:{col}: {_dotted(path)}: a key must be a plain value such "
                    "as 2025 or 2025-2027, not a list or mapping"
                )
            key = _scalar(knode)
            if key in out:
                ln, col = knode.start_mark.line + 1, knode.start_mark.column + 1
                raise InputError(
                    f"{source}:{ln}:{col}: {_dotted(path + (key,))}: the key {key!r} is given "
                    "twice; remove one of them"
                )
            out[key] = _construct(vnode, path + (key,), marks, source)
            marks[path + (key,)] = (knode.start_mark.line + 1, knode.start_mark.column + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, path + (i,), marks, source) for i, v in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    return _LOADER.construct_object(node, deep=True)


_LOADER = yaml.SafeLoader("")


# -- error formatting --------------------------------------------------------------------


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


def locate(source: str, marks: dict, path: Path_, msg: str) -> str:
    """`file:line:col: key.path: msg` for the nearest key of `path` that the file has."""
    p = tuple(path)
    while p and p not in marks:
        p = p[:-1]
    ln, col = marks.get(p, (1, 1))
    return f"{source}:{ln}:{col}: {_dotted(tuple(path)) if path else '(top)'}: {msg}"


DISCRIMINATED = {"driver": ("fte", "count", "expr", "ladder")}
"""Fields holding a tagged union: pydantic puts the tag into `loc` right after the field."""


def _real_path(data: Any, loc: tuple, missing: bool = False) -> tuple[Path_, bool]:
    """Map pydantic's `loc` onto the data. Union tags (e.g. 'float', 'dict[...]', or a driver's
    'fte') are not keys in the file and are skipped; a final missing key is kept so the message
    can name it. Also returns whether a union branch tag was skipped."""
    out: list[str | int] = []
    cur = data
    skipped = False
    prev = None
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if prev in DISCRIMINATED and part in DISCRIMINATED[prev] and not last:
            prev = part
            continue  # the tag of a tagged union, even though it is also a key
        prev = part
        if isinstance(cur, dict):
            key = part if part in cur else (int(part) if str(part).isdigit() else None)
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


_HINTS = {
    "missing": "add this key",
    "extra_forbidden": "unknown key; check its spelling against `socinvest schema`",
    "float_parsing": "write a plain number with '.' as decimal point, e.g. 7500 or 0.5",
    "float_type": "write a plain number, e.g. 7500",
    "int_parsing": "write a whole number, e.g. 2017",
    "int_from_float": "write a whole number, e.g. 2017",
    "string_type": "write text (quote it if it looks like a number)",
    "dict_type": "write a mapping (key: value lines)",
    "list_type": "write a list (lines starting with '- ')",
    "too_short": "add at least one item",
    "string_pattern_mismatch": "use letters, digits and _ only, starting with a letter",
    "model_type": "write a mapping (key: value lines)",
    "model_attributes_type": "write a mapping (key: value lines)",
}
_DANISH_ENUMS = {
    "besparelse": "saving",
    "effektivisering": "saving",
    "omkostning": "cost",
    "omkostninger": "cost",
    "merudgift": "cost",
    "investering": "investment",
    "implementeringsomkostning": "investment",
    "anlæg": "anlaeg",
    "overførsler": "overfoersler",
    "egen": "own",
    "pulje": "pool",
    "investeringspulje": "pool",
    "ekstern": "external",
}
_YAML_HINTS = {
    "mapping values are not allowed here": "check the indentation, and quote text that "
    "contains ': '",
    "cannot start any token": "use spaces for indentation, not tabs",
    "could not find expected ':'": "check the indentation, and that each key ends with ':'",
    "did not find expected key": "check the indentation of this block",
    "found unexpected end of stream": "close the quote or bracket that was opened",
}


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
    lines: list[str] = []
    for path, e in kept:
        msg = e["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        hint = _HINTS.get(e["type"])
        if e["type"] == "extra_forbidden" and path:
            # Prefer a key reported missing beside it (the misspelt one), then any field name.
            siblings = [
                str(p[-1]) for p, x in kept if x["type"] == "missing" and p[:-1] == path[:-1]
            ]
            close = difflib.get_close_matches(str(path[-1]), siblings, n=1, cutoff=0.6) or (
                difflib.get_close_matches(str(path[-1]), sorted(_field_names()), n=1, cutoff=0.75)
            )
            if close:
                hint = f"unknown key; did you mean '{close[0]}'? (check the spelling)"
        if e["type"] == "enum":
            given = str(e.get("input", "")).strip().lower()
            if given in _DANISH_ENUMS:
                hint = f"write '{_DANISH_ENUMS[given]}' (the case file uses English values)"
        if e["type"] == "string_pattern_mismatch":
            msg = "not a valid identifier"
        text = locate(source, marks, path, msg + (f" – {hint}" if hint else ""))
        if text not in lines:
            lines.append(text)
    # A misspelt key also makes the right key "missing": put the unknown key first.
    lines.sort(key=lambda t: 0 if "did you mean" in t else 1)
    return InputError(lines[0], lines[1:])


# -- references between parts of a case ------------------------------------------------


def check_references(case: Case) -> list[tuple[Path_, str]]:
    """Cross-references that a schema cannot express: parameter names in drivers, committees
    in allocations, line ids in stated figures, years inside the horizon."""
    problems: list[tuple[Path_, str]] = []
    params = set(case.parameters)
    known = params | set(BUILTIN_NAMES)
    first, last = case.horizon.first, case.horizon.last

    def years_inside(v: Any, path: Path_) -> None:
        try:
            ys = year_keys(v)
        except ValueError as e:
            problems.append((path, str(e)))
            return
        bad = sorted({y for y in ys if y < first or y > last})
        if bad:
            problems.append(
                (
                    path,
                    f"year {bad[0]} is outside the horizon {first}-{last}; "
                    "remove it or widen 'horizon'",
                )
            )

    def ref(v: Any, path: Path_) -> None:
        if isinstance(v, str) and v not in params:
            problems.append(
                (path, f"unknown parameter {v!r}; declare it under 'parameters'" + _known(params))
            )

    for name, p in case.parameters.items():
        if name in RESERVED:
            problems.append(
                (
                    ("parameters", name),
                    f"the name {name!r} is reserved ({', '.join(RESERVED)}); choose another name",
                )
            )
        years_inside(p.value, ("parameters", name, "value"))
    uncertain = {n for n, p in case.parameters.items() if p.uncertainty is not None}
    for i, c in enumerate(case.correlations):
        for k in ("a", "b"):
            name = getattr(c, k)
            if name not in uncertain:
                problems.append(
                    (
                        ("correlations", i, k),
                        f"{name!r} is not a parameter with an 'uncertainty'" + _known(uncertain),
                    )
                )
        if c.a == c.b:
            problems.append((("correlations", i), "a parameter cannot be correlated with itself"))
    ids: set[str] = set()
    for i, line in enumerate(case.lines):
        base: Path_ = ("lines", i)
        if line.id in ids:
            problems.append((base + ("id",), f"line id {line.id!r} is used twice; ids are unique"))
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
                problems.append((base + ("driver", "expr"), str(e)))
            else:
                for n in sorted(ex.names - known):
                    problems.append(
                        (
                            base + ("driver", "expr"),
                            f"unknown name {n!r} in expression; declare it under "
                            "'parameters'" + _known(params),
                        )
                    )
        for c in ([line.owner] if line.owner else []) + list(line.allocation or {}):
            if c not in case.committees:
                where = "owner" if line.owner else "allocation"
                problems.append(
                    (
                        base + (where,),
                        f"unknown committee {c!r}; declare it under "
                        "'committees'" + _known(set(case.committees)),
                    )
                )
    for i, s in enumerate(case.stated):
        base = ("stated", i)
        for j, lid in enumerate(s.lines or []):
            if lid not in ids:
                problems.append((base + ("lines", j), f"unknown line {lid!r}" + _known(ids)))
        if s.committee and s.committee not in case.committees:
            problems.append(
                (
                    base + ("committee",),
                    f"unknown committee {s.committee!r}" + _known(set(case.committees)),
                )
            )
        if s.values is not None:
            years_inside(s.values, base + ("values",))
        if s.years is not None:
            years_inside({s.years: 0}, base + ("years",))
    return problems


def _known(names: set[str]) -> str:
    return f" (known: {', '.join(sorted(names))})" if names else ""
