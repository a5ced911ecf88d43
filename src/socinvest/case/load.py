"""Load a case file: YAML -> Case, with every error located as file:line:column and key path.

PyYAML's composer gives each node its position; we keep a map from key path to position so
that pydantic's errors (which know only the key path) and our own reference checks can point
at the exact place in the file, and say how to fix it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import InputError
from .expr import BUILTIN_NAMES, ExpressionError, parse_expression
from .schema import Case, CountDriver, ExprDriver, FteDriver
from .years import year_keys

MAX_BYTES = 5 * 1024 * 1024
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
        raise InputError(
            f"{p}: ikke gyldig UTF-8 (byte {e.start}); gem filen som UTF-8 og prøv igen"
        ) from None


def parse_case(text: str, source: str = "<case>") -> Case:
    data, marks = _compose(text, source)
    if not isinstance(data, dict):
        raise InputError(f"{source}:1:1: a case file must be a YAML mapping (key: value)")
    try:
        case = Case.model_validate(data)
    except ValidationError as e:
        raise _located(e, data, marks, source) from None
    problems = check_references(case)
    if problems:
        lines = [_fmt(source, marks, path, msg) for path, msg in problems]
        raise InputError(lines[0], lines[1:])
    return case


# -- YAML with positions ----------------------------------------------------------------


def _compose(text: str, source: str) -> tuple[Any, dict[Path_, tuple[int, int]]]:
    if not text.strip():
        raise InputError(f"{source}: filen er tom (empty file)")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e)
        raise InputError(f"{source}{where}: YAML-fejl: {problem}") from None
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
    if not isinstance(node, yaml.ScalarNode):
        raise InputError(
            f"line {node.start_mark.line + 1}: a key must be a plain value, not a list or mapping"
        )
    return _LOADER.construct_object(node, deep=True)


_LOADER = yaml.SafeLoader("")


# -- error formatting --------------------------------------------------------------------


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


def _fmt(source: str, marks: dict, path: Path_, msg: str) -> str:
    p = tuple(path)
    while p and p not in marks:
        p = p[:-1]
    ln, col = marks.get(p, (1, 1))
    return f"{source}:{ln}:{col}: {_dotted(tuple(path)) if path else '(top)'}: {msg}"


def _real_path(data: Any, loc: tuple) -> Path_:
    """Map pydantic's `loc` onto the data: drop union tags (e.g. 'float', 'fte') that are not
    keys in the file; keep a final missing key so the message can name it."""
    out: list[str | int] = []
    cur = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(cur, dict):
            key = part if part in cur else (int(part) if str(part).isdigit() else None)
            if key in cur:
                out.append(key)
                cur = cur[key]
            elif last:
                out.append(part)
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out.append(part)
            cur = cur[part]
        else:
            break
    return tuple(out)


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
}


def _located(err: ValidationError, data: Any, marks: dict, source: str) -> InputError:
    lines = []
    seen = set()
    for e in err.errors(include_url=False):
        path = _real_path(data, e["loc"])
        msg = e["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if e["type"] == "enum":
            expected = e.get("ctx", {}).get("expected", "")
            msg = f"{msg}" if expected in msg else f"{msg}: {expected}"
        hint = _HINTS.get(e["type"])
        text = _fmt(source, marks, path, msg + (f" – {hint}" if hint else ""))
        if text not in seen:
            seen.add(text)
            lines.append(text)
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
        years_inside(p.value, ("parameters", name, "value"))
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
