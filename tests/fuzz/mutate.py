"""Mutations: hostile values, byte- and text-level damage, and damage to parsed YAML data.

Everything takes a `random.Random`, so one input is reproduced from its seed alone. The values
are the ones issue 10 B found dangerous: huge, non-finite and negative numbers, deep nesting,
YAML aliases, control and odd unicode characters, CPR-like strings and very long text.
"""

from __future__ import annotations

import random
from typing import Any

import yaml

# -- hostile values -------------------------------------------------------------------------------

NUMBERS: tuple[Any, ...] = (
    0, -0.0, 1, -1, 0.5, 1e-320, 1e308, -1e308, 1e20, 10**30, -(10**30), 2**63, 2**64 + 1,
    float("inf"), float("-inf"), float("nan"), 7.1234567, 1e9, 100000, -250000, 999999999999,
)  # fmt: skip
YAML_NUMBERS = (".inf", "-.inf", ".nan", ".NaN", "1e400", "-1e400", "0x7fffffff", "1_000",
                "0o17", "1e-400", "+.inf", "1" + "0" * 401)  # fmt: skip
TEXTS = (
    "", " ", "\t", "\x00", "\x1b[31mrød\x1b[0m", "\x07\x08\x0b\x0c", "\u202etxet", "\ufeff",
    "\ud7ff", "æøå ÆØÅ", "日本語", "😀" * 5, "=HYPERLINK(\"http://x\",\"klik\")", "+1+1", "@SUM(A1)",
    "<script>alert(1)</script>", "[x](javascript:alert(1))", "{{x}}", "{0}", "%s%n", "${HOME}",
    "010190-1234", "0101901234", "010190 - 1234", "010190–1234", "CPR 010190-1234",
    "01.01.90-1234", "../../etc/passwd", "C:\\con\\aux", "null", "~", "yes", "no", "on",
    "2017-2020", "2020-2017", "1.234,5", "-250.000", "(1.000)", "- 250.000", "1,96 mio. kr.",
)  # fmt: skip
CPR = ("010190-1234", "0101901234", "311299-9999", "010190 1234", "CPR: 010190-1234")


def number(rng: random.Random) -> Any:
    return rng.choice(NUMBERS)


def text(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.1:
        return rng.choice("xæ=<-1 ") * rng.choice((300, 5000, 100_000))
    if r < 0.25:
        return "".join(chr(rng.randrange(0, 0x3000)) for _ in range(rng.randrange(1, 30)))
    return rng.choice(TEXTS)


def nested(rng: random.Random, depth: int | None = None) -> Any:
    """Lists and mappings nested `depth` deep (up to 2.000: past YAML's and Python's limits)."""
    d = depth if depth is not None else rng.choice((5, 20, 49, 51, 120, 600, 2000))
    v: Any = number(rng)
    for i in range(d):
        v = [v] if i % 2 else {"k": v}
    return v


def hostile_value(rng: random.Random) -> Any:
    r = rng.random()
    if r < 0.35:
        return number(rng)
    if r < 0.6:
        return text(rng)
    if r < 0.7:
        return nested(rng)
    return rng.choice((None, True, False, [], {}, [1, 2], {"a": 1}, "x", 2017, "2017-2019"))


# -- bytes and text -------------------------------------------------------------------------------


def bytes_damage(rng: random.Random, data: bytes) -> bytes:
    """Flip, delete, insert or repeat bytes, or truncate."""
    b = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 16))):
        if not b:
            b.extend(rng.randbytes(rng.randrange(1, 20)))
            continue
        i = rng.randrange(len(b))
        op = rng.randrange(6)
        if op == 0:
            b[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[i] = rng.randrange(256)
        elif op == 2:
            del b[i : i + rng.randrange(1, 64)]
        elif op == 3:
            b[i:i] = rng.randbytes(rng.randrange(1, 16))
        elif op == 4 and len(b) < 2**20:  # grow, but keep inputs under a few MB
            j = min(len(b), i + rng.randrange(1, 200))
            b[i:i] = b[i:j] * rng.choice((2, 10, 100))
        else:
            del b[i:]
    return bytes(b)


def text_damage(rng: random.Random, s: str) -> str:
    """Line-level damage: delete, duplicate or swap lines, insert hostile tokens, re-indent."""
    lines = s.split("\n")
    for _ in range(rng.choice((1, 1, 2, 3, 6))):
        if not lines:
            lines = [""]
        i = rng.randrange(len(lines))
        op = rng.randrange(7)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            pos = rng.randrange(len(lines[i]) + 1)
            tok = rng.choice((*TEXTS, *YAML_NUMBERS, str(number(rng)), "&a", "*a", ": ", "- ", "{", "[", "'", '"', "#", "!!python/object:os.system", "<<: *a"))  # fmt: skip
            lines[i] = lines[i][:pos] + tok + lines[i][pos:]
        elif op == 4:
            lines[i] = rng.choice(("", "\t", "  ", "    ")) + lines[i].lstrip()
        elif op == 5 and len(lines[i]) < 20_000:
            lines[i] = lines[i] * rng.choice((2, 50))
        else:
            del lines[i:]
    return "\n".join(lines)


# -- YAML data ------------------------------------------------------------------------------------


def _paths(v: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(v, dict):
        for k, x in v.items():
            out += _paths(x, (*prefix, k))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            out += _paths(x, (*prefix, i))
    return out


def _get(v: Any, path: tuple) -> Any:
    for k in path:
        v = v[k]
    return v


def data_damage(rng: random.Random, data: Any) -> Any:
    """Change parsed YAML in place of the structure: delete or duplicate a key, swap a value's
    type, put a hostile number or string, nest deeply, empty a list."""
    for _ in range(rng.choice((1, 1, 2, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            return hostile_value(rng)
        path = rng.choice(paths)
        parent = _get(data, path[:-1])
        key = path[-1]
        op = rng.randrange(8)
        if op == 0:
            del parent[key]
        elif op == 1 and isinstance(parent, list):
            parent.insert(key, parent[key])
        elif op == 1:
            parent[f"{key}_"] = parent[key]
        elif op == 2:
            parent[key] = number(rng)
        elif op == 3:
            parent[key] = text(rng)
        elif op == 4:
            parent[key] = nested(rng, rng.choice((3, 60)))
        elif op == 5:
            old = parent[key]
            parent[key] = [old] if not isinstance(old, list) else (old[0] if old else {})
        elif op == 6 and isinstance(parent[key], int | float) and not isinstance(parent[key], bool):
            parent[key] = parent[key] * rng.choice((-1, 1000, 1e12, 1e300, 0)) or rng.choice(
                YAML_NUMBERS
            )  # noqa: E501
        else:
            parent[key] = rng.choice((None, True, "", [], {}, "2017-2016", "abc", -1))
    return data


def numbers_damage(rng: random.Random, data: Any) -> Any:
    """Keep the structure, change numbers only (to huge, tiny, negative, NaN, inf or bool):
    such files pass the schema's shape and reach the model's number checks and the engine."""
    leaves = [p for p in _paths(data) if p and isinstance(_get(data, p), int | float)]
    for path in rng.sample(leaves, k=min(len(leaves), rng.choice((1, 1, 2, 5)))):
        parent, old = _get(data, path[:-1]), _get(data, path)
        parent[path[-1]] = rng.choice((number(rng), -old, old * 1e6, old + 0.5, True, 10**17))
    return data


def dump(rng: random.Random, data: Any) -> str:
    """YAML text of `data`, sometimes in flow style or with unicode escaped."""
    try:
        return yaml.safe_dump(
            data,
            allow_unicode=rng.random() < 0.8,
            sort_keys=False,
            default_flow_style=rng.random() < 0.15,
            width=rng.choice((80, 10_000)),
        )
    except (yaml.YAMLError, RecursionError, ValueError):
        return "x: 1\n"


def alias_bomb(rng: random.Random, doc: str) -> str:
    """Prepend a billion-laughs block (or a self-referring anchor) to a YAML text."""
    levels = rng.choice((3, 6, 9, 12))
    fan = rng.choice((5, 9, 20))
    head = ['bomb0: &a0 ["lol"]']
    for i in range(1, levels):
        head.append(f"bomb{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * fan) + "]")
    if rng.random() < 0.3:
        head.append("self: &s [*s]")
    return "\n".join(head) + "\n" + doc
