"""Safe arithmetic expressions over named parameters: `fte * rate - bridge`, `min(a, b)`.

Parsed with Python's `ast` and checked against an allowlist of node types; the tree is then
walked by our own evaluator over numpy arrays. Nothing is ever passed to `eval`/`exec`, and
attribute access, subscripts, calls other than min/max/abs, comparisons and names outside the
case's parameters are rejected with a message that says what is allowed.
"""

from __future__ import annotations

import ast
import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidValue
from ..i18n import Msg

FUNCTIONS: dict[str, Callable[..., np.ndarray]] = {
    "min": lambda *a: np.minimum.reduce(np.broadcast_arrays(*a)),
    "max": lambda *a: np.maximum.reduce(np.broadcast_arrays(*a)),
    "abs": np.abs,
}
BUILTIN_NAMES = ("year", "t")
"""`year`: the calendar year; `t`: the year's number in the case (year 1 = first year)."""

_BINOPS = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,  # for effects that fade: (1 - fade) ** (t - 1)
}
MAX_LENGTH = 2000
MAX_DEPTH = 100
"""Levels of nesting an expression may have: `a + b + c` is 2 deep, `-(-x)` 2, `min(a, b)` 1.
The checker and the evaluator recurse once per level, far below Python's limit."""
MAX_NODES = 1000
"""Numbers, names and operators in one expression."""


class ExpressionError(InvalidValue):
    """An expression that is not allowed; the message (a catalogue text) says why and what is
    allowed."""


@dataclass(frozen=True)
class Expression:
    """A checked expression: its source text, the names it uses, and its tree."""

    source: str
    names: frozenset[str]
    tree: ast.expr

    def evaluate(self, env: Mapping[str, np.ndarray]) -> np.ndarray:
        """The value per draw and year. Division by zero and overflow give inf or NaN without
        a warning: the caller (engine.resolve) refuses a non-finite amount, naming the line."""
        with np.errstate(all="ignore"):
            return _eval(self.tree, env)


@functools.lru_cache(maxsize=4096)
def parse_expression(source: str) -> Expression:
    """Parse and check `source`; raises ExpressionError naming the offending part. Cached by
    the text: the engine asks on every evaluation, and an Expression never changes."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError(Msg("udtrykket er tomt; skriv fx 'fte * rate'"))
    if len(source) > MAX_LENGTH:
        raise ExpressionError(Msg("udtrykket er længere end {n} tegn", n=MAX_LENGTH))
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as e:
        reason = _syntax_reason(e.msg)
        if e.offset:
            raise ExpressionError(
                Msg(
                    "kan ikke læse {expr} (kolonne {col}): {reason}",
                    expr=repr(source),
                    col=e.offset,
                    reason=reason,
                )
            ) from None
        raise ExpressionError(
            Msg("kan ikke læse {expr}: {reason}", expr=repr(source), reason=reason)
        ) from None
    _bounded(tree)
    names: set[str] = set()
    _check(tree, names, source.strip())
    return Expression(source, frozenset(names), tree)


def _bounded(tree: ast.expr) -> None:
    """Refuse a tree deeper than MAX_DEPTH or larger than MAX_NODES, walking it without
    recursion (the text limit alone admits 1.000 chained additions or unary minus signs)."""
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.expr_context | ast.operator | ast.unaryop):
            continue  # part of its parent, not a level of its own
        nodes += 1
        if depth > MAX_DEPTH:
            raise ExpressionError(
                Msg(
                    "udtrykket er indlejret mere end {n} niveauer dybt; del det op i flere "
                    "parametre eller linjer",
                    n=MAX_DEPTH,
                )
            )
        if nodes > MAX_NODES:
            raise ExpressionError(
                Msg(
                    "udtrykket har mere end {n} tal, navne og operatorer; del det op i flere "
                    "parametre eller linjer",
                    n=MAX_NODES,
                )
            )
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _syntax_reason(msg: str) -> Msg | str:
    """Python's own words for a syntax error, in the catalogue where they are common."""
    import re

    if msg.startswith("invalid syntax"):
        return Msg("ugyldig syntaks")
    if m := re.fullmatch(r"('.') was never closed", msg):
        return Msg("{char} lukkes aldrig", char=m.group(1))
    if m := re.fullmatch(r"unmatched ('.')", msg):
        return Msg("{char} uden et tilhørende åbningstegn", char=m.group(1))
    return msg  # a rarer message of Python's parser, as Python words it


def _check(node: ast.AST, names: set[str], src: str) -> None:
    allowed = Msg("tal, parameternavne, year, t, + - * / **, parenteser, min(), max(), abs()")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ExpressionError(
                Msg(
                    "{value} er ikke et tal; tilladt: {allowed}",
                    value=repr(node.value),
                    allowed=allowed,
                )
            )
        if not _finite(node.value):
            raise ExpressionError(
                Msg(
                    "tallet {value} er for stort; et tal i et udtryk skal ligge mellem "
                    "-1e300 og 1e300",
                    value=_short(ast.get_source_segment(src, node) or repr(node.value)),
                )
            )
    elif isinstance(node, ast.Name):
        names.add(node.id)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINOPS:
            op = ast.unparse(node)
            raise ExpressionError(
                Msg(
                    "operatoren i {expr} er ikke tilladt; tilladt: {allowed}",
                    expr=repr(op),
                    allowed=allowed,
                )
            )
        _check(node.left, names, src)
        _check(node.right, names, src)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.UAdd | ast.USub):
            raise ExpressionError(_not_allowed(node, allowed))
        _check(node.operand, names, src)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise ExpressionError(
                Msg(
                    "kaldet {call} er ikke tilladt; kun min(), max() og abs()",
                    call=repr(ast.unparse(node.func)),
                )
            )
        if node.keywords or not node.args:
            raise ExpressionError(
                Msg(
                    "{expr}: angiv argumenterne uden navne, fx min(a, b)",
                    expr=repr(ast.unparse(node)),
                )
            )
        if node.func.id == "abs" and len(node.args) != 1:
            raise ExpressionError(Msg("abs() tager præcis ét argument"))
        for a in node.args:
            _check(a, names, src)
    else:
        raise ExpressionError(_not_allowed(node, allowed))


def _finite(v: int | float) -> bool:
    """A literal that is a finite float well inside the range of floats (1e400 is inf, and a
    401-digit integer cannot be made a float at all)."""
    try:
        return math.isfinite(f := float(v)) and abs(f) <= 1e300
    except OverflowError:
        return False


def _short(text: str, most: int = 20) -> str:
    return text if len(text) <= most else f"{text[: most - 1]}…"


def _not_allowed(node: ast.AST, allowed: Msg) -> Msg:
    return Msg(
        "{expr} er ikke tilladt; tilladt: {allowed}", expr=repr(ast.unparse(node)), allowed=allowed
    )


def _eval(node: ast.expr, env: Mapping[str, np.ndarray]) -> np.ndarray:
    if isinstance(node, ast.Constant):
        return np.asarray(float(node.value))  # type: ignore[arg-type]  # a number: see _check
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.BinOp):
        return _BINOPS[type(node.op)](_eval(node.left, env), _eval(node.right, env))
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, env)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](*(_eval(a, env) for a in node.args))  # type: ignore[attr-defined]

    raise ExpressionError(  # unreachable after _check
        Msg("kan ikke beregne {expr}", expr=repr(ast.unparse(node)))
    )
