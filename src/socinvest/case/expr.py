"""Safe arithmetic expressions over named parameters: `fte * rate - bridge`, `min(a, b)`.

Parsed with Python's `ast` and checked against an allowlist of node types; the tree is then
walked by our own evaluator over numpy arrays. Nothing is ever passed to `eval`/`exec`, and
attribute access, subscripts, calls other than min/max/abs, comparisons and names outside the
case's parameters are rejected with a message that says what is allowed.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

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


class ExpressionError(ValueError):
    """An expression that is not allowed; the message says why and what is allowed."""


@dataclass(frozen=True)
class Expression:
    """A checked expression: its source text, the names it uses, and its tree."""

    source: str
    names: frozenset[str]
    tree: ast.expr

    def evaluate(self, env: Mapping[str, np.ndarray]) -> np.ndarray:
        return _eval(self.tree, env)


def parse_expression(source: str) -> Expression:
    """Parse and check `source`; raises ExpressionError naming the offending part."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("the expression is empty; write e.g. 'fte * rate'")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as e:
        col = f" at column {e.offset}" if e.offset else ""
        raise ExpressionError(f"cannot parse {source!r}{col}: {e.msg}") from None
    names: set[str] = set()
    _check(tree, names, source)
    return Expression(source, frozenset(names), tree)


def _check(node: ast.AST, names: set[str], src: str) -> None:
    allowed = "numbers, parameter names, year, t, + - * / **, parentheses, min(), max(), abs()"
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ExpressionError(f"{node.value!r} is not a number; allowed: {allowed}")
    elif isinstance(node, ast.Name):
        names.add(node.id)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINOPS:
            op = ast.unparse(node)
            raise ExpressionError(f"operator in {op!r} is not allowed; allowed: {allowed}")
        _check(node.left, names, src)
        _check(node.right, names, src)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.UAdd | ast.USub):
            raise ExpressionError(f"{ast.unparse(node)!r} is not allowed; allowed: {allowed}")
        _check(node.operand, names, src)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise ExpressionError(
                f"call {ast.unparse(node.func)!r} is not allowed; only min(), max() and abs()"
            )
        if node.keywords or not node.args:
            raise ExpressionError(f"{ast.unparse(node)!r}: give positional arguments only")
        if node.func.id == "abs" and len(node.args) != 1:
            raise ExpressionError("abs() takes exactly one argument")
        for a in node.args:
            _check(a, names, src)
    else:
        raise ExpressionError(f"{ast.unparse(node)!r} is not allowed; allowed: {allowed}")


def _eval(node: ast.expr, env: Mapping[str, np.ndarray]) -> np.ndarray:
    if isinstance(node, ast.Constant):
        return np.asarray(float(node.value))
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.BinOp):
        return _BINOPS[type(node.op)](_eval(node.left, env), _eval(node.right, env))
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, env)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](*(_eval(a, env) for a in node.args))  # type: ignore[union-attr]
    raise ExpressionError(f"cannot evaluate {ast.unparse(node)!r}")  # unreachable after _check
