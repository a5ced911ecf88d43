"""Staff consequences (FTE per year) and the table of success criteria."""

from __future__ import annotations

import numpy as np

from ...case.expr import parse_expression
from ...case.schema import Case, ExprDriver, FteDriver, Kind, Line
from ...case.years import to_vector
from ...engine.resolve import environment
from ...engine.results import Results
from ...i18n import translator
from .format import Numbers, _value
from .labels import T, parameter_label
from .model import Cell, Table, TableRow


def _ramp_vector(line: Line, env: dict, years: np.ndarray, draw: int) -> np.ndarray | None:
    if line.ramp is None:
        return None
    if isinstance(line.ramp, str):
        return np.asarray(env[line.ramp][draw], dtype=float)
    return to_vector(line.ramp, years, 1.0)


def _fte_name(case: Case, line: Line) -> str | None:
    """The FTE parameter of a line whose driver is an expression (`fte_sof * fte_rate -
    bridge`): the one name in it whose unit is 'årsværk'; None when there is none or several."""
    d = line.driver
    if not isinstance(d, ExprDriver):
        return None
    names = [
        nm
        for nm in sorted(parse_expression(d.expr).names)
        if nm in case.parameters and case.parameters[nm].unit.strip().lower() == "årsværk"
    ]
    return names[0] if len(names) == 1 else None


def _staff_table(res: Results, lang: str, draw: int, n: Numbers) -> Table | None:
    """FTE per year of every line with staff: FTE drivers, and expressions with one FTE
    parameter (seed 000's social workers: 6 årsværk × rate − the pool's part), with a note."""
    L = T[lang]
    case = res.case
    from_expr = {i: _fte_name(case, ln) for i, ln in enumerate(case.lines)}
    idx = [
        i
        for i, ln in enumerate(case.lines)
        if isinstance(ln.driver, FteDriver) or from_expr[i] is not None
    ]
    if not idx:
        return None
    env = environment(res)  # the draw's own values
    ny = len(res.years)
    rows: list[TableRow] = []
    total = np.zeros(ny)
    for i in idx:
        ln = case.lines[i]
        d = ln.driver
        ref = d.fte if isinstance(d, FteDriver) else from_expr[i]
        assert ref is not None
        fte = env[ref][draw] if isinstance(ref, str) else np.full(ny, float(ref))
        ramp = _ramp_vector(ln, env, res.years, draw)
        if ramp is not None:
            fte = fte * ramp
        signed = (-fte if ln.kind is Kind.SAVING else fte) + 0.0  # no -0
        total = total + signed
        cells = tuple(Cell("" if abs(v) < 1e-9 else _value(v, lang, 2), float(v)) for v in signed)
        rows.append(TableRow((Cell(ln.label), *cells)))
    if len(idx) > 1:
        cells = tuple(Cell(_value(v, lang, 2), float(v)) for v in total)
        rows.append(TableRow((Cell(L["sum"]), *cells), "total"))
    number = n.next_table()
    exprs = [
        i
        for i in idx
        if from_expr[i] is not None and not isinstance(case.lines[i].driver, FteDriver)
    ]
    note = None
    if exprs:
        tr = translator(lang)
        note = tr(
            "Årsværk for linjer, der beregnes med et udtryk, er udtrykkets parameter i "
            "årsværk: {items}.",
            items="; ".join(
                f"{case.lines[i].label}: {parameter_label(case, str(from_expr[i]), lang)}"
                for i in exprs
            ),
        )
    return Table(
        "staff",
        number,
        f"{L['table']} {number}. {L['staff_caption']} ({L['staff_unit']})",
        (L["fte"], *(str(int(y)) for y in res.years)),
        tuple(rows),
        (False,) + (True,) * ny,
        (5.0,) + (1.0,) * ny,
        note,
    )


def _kpi_table(res: Results, lang: str, n: Numbers) -> Table:
    L = T[lang]
    rows = tuple(
        TableRow(
            (
                Cell(k.criterion),
                Cell(k.measure or ""),
                Cell(k.responsible or ""),
                Cell(k.when or ""),
            )
        )
        for k in res.case.success_criteria
    )
    number = n.next_table()
    return Table(
        "kpi",
        number,
        f"{L['table']} {number}. {L['kpi_caption']}",
        (L["criterion"], L["measure"], L["responsible"], L["when"]),
        rows,
        (False,) * 4,
        (1.0, 1.0, 1.0, 1.0),
    )
