"""The appendix: every parameter, every line, and each line's calculation as readable text."""

from __future__ import annotations

import ast

import numpy as np

from ...case.expr import parse_expression
from ...case.schema import CountDriver, ExprDriver, FteDriver, Kind, LadderDriver
from ...engine.resolve import environment
from ...engine.results import Results
from ...i18n import translator
from ...numbers import format_percent
from .format import Numbers, _amount, _area, _committee_name, _runs, _value, _year_ranges
from .labels import T, parameter_label
from .model import Block, BulletList, Cell, Subheading, Table, TableRow
from .staff import _ramp_vector

# -- expression rendering (walk the AST; numbers come from the engine's parameter arrays) ----

_OPS = {
    ast.Add: ("+", 1),
    ast.Sub: ("−", 1),
    ast.Mult: ("×", 2),
    ast.Div: ("/", 2),
    ast.Pow: ("^", 4),
}
"""Every binary operator of the expression language (case/expr.py `_BINOPS`), as printed,
with its precedence: + − 1, × / 2, unary sign 3, ^ 4 (binds tighter than a sign, as `**`
does: -x ** 2 is −(x ^ 2)), atoms 5."""
_ATOM = 5


def expr_text(node: ast.expr, value_of=None, lang: str = "da", name_of=None) -> tuple[str, int]:
    """Print an expression tree with names (value_of None) or with values; (text, precedence).
    `name_of` gives a name's readable label (default: the name itself)."""
    sep = "; " if lang == "da" else ", "
    if isinstance(node, ast.Constant):
        return _value(float(node.value), lang), _ATOM  # type: ignore[arg-type]
    if isinstance(node, ast.Name):
        if value_of is None:
            return (name_of(node.id) if name_of else node.id), _ATOM
        v = float(value_of(node.id))
        text = _value(v, lang)
        return (f"({text})", _ATOM) if v < 0 else (text, _ATOM)
    if isinstance(node, ast.UnaryOp):
        inner, p = expr_text(node.operand, value_of, lang, name_of)
        if p < 3:
            inner = f"({inner})"
        return ("−" if isinstance(node.op, ast.USub) else "+") + inner, 3
    if isinstance(node, ast.BinOp):
        sym, prec = _OPS[type(node.op)]
        left, lp = expr_text(node.left, value_of, lang, name_of)
        right, rp = expr_text(node.right, value_of, lang, name_of)
        if isinstance(node.op, ast.Pow):  # right-associative: a ^ b ^ c is a ^ (b ^ c)
            if lp <= prec:
                left = f"({left})"
            if rp < prec:
                right = f"({right})"
            return f"{left}{sym}{right}", prec
        if lp < prec:
            left = f"({left})"
        if rp < prec or (rp == prec and isinstance(node.op, ast.Sub | ast.Div)):
            right = f"({right})"
        return f"{left} {sym} {right}", prec
    if isinstance(node, ast.Call):
        args = sep.join(expr_text(a, value_of, lang, name_of)[0] for a in node.args)
        assert isinstance(node.func, ast.Name)  # the parser allows only named functions
        return f"{node.func.id}({args})", _ATOM
    raise TypeError(ast.dump(node))  # pragma: no cover - excluded by the parser


# -- the appendix ----------------------------------------------------------------------------


def _appendix(res: Results, lang: str, draw: int, n: Numbers, units: str) -> tuple[Block, ...]:
    L = T[lang]
    case = res.case
    years = [int(y) for y in res.years]
    env = environment(res)  # the values of the draws reported, not the case's base values
    blocks: list[Block] = []

    if case.parameters:
        rows = []
        for name, p in case.parameters.items():
            src = " ".join(p.source.split())
            if p.note:
                src += f" ({' '.join(p.note.split())})"
            rows.append(
                TableRow(
                    (
                        Cell(parameter_label(case, name, lang)),
                        Cell(_runs(env[name][draw], years, lang)),
                        Cell(p.unit),
                        Cell(src),
                        Cell("" if p.date is None else str(p.date)),
                    )
                )
            )
        number = n.next_table()
        blocks.append(
            Table(
                "parameters",
                number,
                f"{L['table']} {number}. {L['param_caption']}",
                (L["parameter"], L["values"], L["unit"], L["source"], L["date"]),
                tuple(rows),
                (False,) * 5,
                (2.3, 2.6, 2.0, 4.4, 1.0),
            )
        )

    # the lines: what they are and who owns them
    rows = []
    for ln in case.lines:
        if ln.allocation:
            owner = ", ".join(
                f"{_committee_name(res, c, lang)} {format_percent(s, 0, lang)}"
                for c, s in ln.allocation.items()
            )
        else:
            owner = _committee_name(res, ln.owner, lang) if ln.owner else L["unallocated"]
        rows.append(
            TableRow(
                (
                    Cell(ln.label),
                    Cell(L["kind"][ln.kind.value]),
                    Cell(_area(ln.area, lang)),
                    Cell(owner),
                    Cell(L["funding_names"][ln.funding.value]),
                )
            )
        )
    number = n.next_table()
    blocks.append(
        Table(
            "lines",
            number,
            f"{L['table']} {number}. {L['lines_caption']}",
            (L["line"], L["type"], L["area"], L["owner"], L["funding"]),
            tuple(rows),
            (False,) * 5,
            (4.6, 1.4, 1.4, 2.6, 1.8),
        )
    )

    # calculations
    blocks.append(Subheading(f"{L['calc']} ({units})"))
    for i, ln in enumerate(case.lines):
        blocks.append(Subheading(ln.label))
        blocks.append(BulletList(tuple(line_calculation(res, i, env, lang, draw))))
    return tuple(blocks)


def line_calculation(
    res: Results, index: int, env: dict | None = None, lang: str = "da", draw: int = 0
) -> list[str]:
    """One line's calculation as readable text, one item per distinct set of year values.

    E.g. '9 årsværk × 500 = 4.500 (2017–2029)' or 'fte_sof × fte_rate − bridge = 6 × 500 −
    2.100 = 900 (2017)'. Operand values come from the engine's parameter arrays and results
    from the engine's amounts; nothing is re-evaluated here.
    """
    L = T[lang]
    case = res.case
    ln = case.lines[index]
    years = [int(y) for y in res.years]
    if env is None:
        env = environment(res)
    amounts = res.amounts[draw, index]
    sign = -1.0 if ln.kind is Kind.SAVING else 1.0
    d = ln.driver
    items: list[str] = []
    if d is None:
        text = _runs(amounts, years, lang)
        items.append(f"{L['explicit'].capitalize()}: {text}")
        return items
    if isinstance(d, LadderDriver):  # derived by the ladder model (docs/ladder.md)
        tr = translator(lang)
        what = {
            "savings": tr(
                "Indsatstrappens fremskrivning: udgiften i basisforløbet minus i scenariet"
            ),
            "baseline_cost": tr("Indsatstrappens fremskrivning: udgiften i basisforløbet"),
            "scenario_cost": tr("Indsatstrappens fremskrivning: udgiften i scenariet"),
        }[d.measure]
        shown = np.round(sign * amounts) + 0.0  # whole units, as in the tables
        items.append(f"{what}: {_runs(shown, years, lang)}")
        if ln.kind is Kind.SAVING:
            items.append(L["saving_note"].capitalize() + ".")
        return items

    ramp = _ramp_vector(ln, env, res.years, draw)
    ramp_name = parameter_label(case, ln.ramp, lang) if isinstance(ln.ramp, str) else L["ramp"]

    def val(name: str, j: int) -> float:
        return float(env[name][draw][j])

    def label(name: str) -> str:
        return parameter_label(case, name, lang)

    def ref_val(r: float | str, j: int) -> float:
        return val(r, j) if isinstance(r, str) else float(r)

    # the operands that decide each year's text
    if isinstance(d, FteDriver):
        operands = [d.fte, d.rate]
    elif isinstance(d, CountDriver):
        operands = [d.count, d.price, d.multiplier]
    else:
        assert isinstance(d, ExprDriver)
        expr = parse_expression(d.expr)
        operands = sorted(expr.names)
    groups: dict[tuple, list[int]] = {}
    for j, y in enumerate(years):
        key = tuple(ref_val(o, j) for o in operands)
        r = float(ramp[j]) if ramp is not None else 1.0
        key = key + (r, float(amounts[j]))
        groups.setdefault(key, []).append(y)

    for key, ys in groups.items():
        j = years.index(ys[0])
        r = key[-2]
        result = _result(sign * key[-1], lang)
        ramp_names = f" × {ramp_name}" if r != 1.0 else ""
        ramp_vals = f" × {_value(r, lang)}" if r != 1.0 else ""
        if isinstance(d, FteDriver):
            names = (
                f"{_nm(d.fte, lang, label)} × {_nm(d.rate, lang, label)}"
                if isinstance(d.fte, str) or isinstance(d.rate, str)
                else ""
            )
            vals = (
                f"{_value(ref_val(d.fte, j), lang)} {L['fte']} × {_value(ref_val(d.rate, j), lang)}"
            )
        elif isinstance(d, CountDriver):
            parts = [d.count, d.price] + ([] if d.multiplier == 1.0 else [d.multiplier])
            names = (
                " × ".join(_nm(p, lang, label) for p in parts)
                if any(isinstance(p, str) for p in parts)
                else ""
            )
            vals = " × ".join(_value(ref_val(p, j), lang) for p in parts)
        else:
            tree = expr.tree
            names, prec = expr_text(tree, None, lang, label)
            vals = expr_text(tree, lambda nm, j=j: val(nm, j), lang)[0]
            if ramp_names and prec < 2:
                names, vals = f"({names})", f"({vals})"
            if isinstance(tree, ast.Name | ast.Constant):
                vals = ""  # 'bridge = 2.100', not 'bridge = 2.100 = 2.100'
        texts = [f"{names}{ramp_names}" if names else "", f"{vals}{ramp_vals}" if vals else ""]
        chain = " = ".join(p for p in texts if p)
        items.append(f"{chain} = {result} ({_year_ranges(ys)})")
    if ln.kind is Kind.SAVING:
        items.append(L["saving_note"].capitalize() + ".")
    return items


def _nm(r: float | str, lang: str, label) -> str:
    return label(r) if isinstance(r, str) else _value(float(r), lang)


def _result(v: float, lang: str) -> str:
    """A computed amount: whole units, unless it is small and not whole (0,25)."""
    if abs(v) >= 100 or abs(v - round(v)) < 1e-6:
        return _amount(v, lang)
    return _value(v, lang, 2)
