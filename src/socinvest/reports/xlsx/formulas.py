"""Cell references and the translation of case expressions into Excel formulas."""

from __future__ import annotations

import ast
from collections.abc import Callable

# --- cell references ---------------------------------------------------------------------


def col_letter(col: int) -> str:
    """0-based column index -> Excel column letters (0 -> A, 26 -> AA)."""
    s = ""
    col += 1
    while col:
        col, r = divmod(col - 1, 26)
        s = chr(65 + r) + s
    return s


def cell(row: int, col: int, abs_row: bool = False, abs_col: bool = False) -> str:
    """0-based (row, col) -> A1 reference."""
    return f"{'$' if abs_col else ''}{col_letter(col)}{'$' if abs_row else ''}{row + 1}"


def _sheet_prefix(name: str) -> str:
    if name.replace("_", "").isalnum() and name.isascii():
        return f"{name}!"
    return "'" + name.replace("'", "''") + "'!"


def _num_literal(v: float) -> str:
    v = float(v)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v).upper()


# --- expressions -> Excel formulas ---------------------------------------------------------

_ATOM = 9
_PREC = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}


def expr_to_excel(tree: ast.expr, ref: Callable[[str], str]) -> str:
    """Translate a checked expression tree (case/expr.py) into an Excel formula body.

    `ref(name)` gives the cell reference of a parameter, `year` or `t` for the column being
    written. Parentheses keep numpy's evaluation order exactly (`a - (b - c)` stays so);
    unary minus and powers are always parenthesised, since Excel binds `-a^b` as `(-a)^b`.
    """

    def emit(node: ast.AST) -> tuple[str, int]:
        if isinstance(node, ast.Constant):
            return _num_literal(float(node.value)), _ATOM  # type: ignore[arg-type]
        if isinstance(node, ast.Name):
            return ref(node.id), _ATOM
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = ",".join(emit(a)[0] for a in node.args)
            return f"{node.func.id.upper()}({args})", _ATOM
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
            text, prec = emit(node.operand)
            if prec < _ATOM:
                text = f"({text})"
            return (f"-{text}" if isinstance(node.op, ast.USub) else text), 0
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            (lt, lp), (rt, rp) = emit(node.left), emit(node.right)
            op = type(node.op)
            if op is ast.Pow:
                lt = lt if lp == _ATOM else f"({lt})"
                rt = rt if rp == _ATOM else f"({rt})"
                return f"{lt}^{rt}", 3
            p = _PREC[op]
            if lp < p:
                lt = f"({lt})"
            if rp <= p:
                rt = f"({rt})"
            return f"{lt}{_OPS[op]}{rt}", p
        raise ValueError(f"cannot write {ast.unparse(node)!r} as an Excel formula")

    return emit(tree)[0]
