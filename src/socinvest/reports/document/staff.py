"""Staff consequences (FTE per year) and the table of success criteria."""

from __future__ import annotations

import numpy as np

from ...case.schema import FteDriver, Kind, Line
from ...case.years import to_vector
from ...engine.resolve import environment
from ...engine.results import Results
from .format import _Counter, _value
from .labels import T
from .model import Cell, Table, TableRow


def _ramp_vector(line: Line, env: dict, years: np.ndarray, draw: int) -> np.ndarray | None:
    if line.ramp is None:
        return None
    if isinstance(line.ramp, str):
        return np.asarray(env[line.ramp][draw], dtype=float)
    return to_vector(line.ramp, years, 1.0)


def _staff_table(res: Results, lang: str, draw: int, n: _Counter) -> Table | None:
    L = T[lang]
    case = res.case
    idx = [i for i, ln in enumerate(case.lines) if isinstance(ln.driver, FteDriver)]
    if not idx:
        return None
    env = environment(res)  # the draw's own values
    ny = len(res.years)
    rows: list[TableRow] = []
    total = np.zeros(ny)
    for i in idx:
        ln = case.lines[i]
        d = ln.driver
        assert isinstance(d, FteDriver)
        fte = env[d.fte][draw] if isinstance(d.fte, str) else np.full(ny, float(d.fte))
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
    return Table(
        "staff",
        number,
        f"{L['table']} {number}. {L['staff_caption']} ({L['staff_unit']})",
        (L["fte"], *(str(int(y)) for y in res.years)),
        tuple(rows),
        (False,) + (True,) * ny,
        (5.0,) + (1.0,) * ny,
    )


def _kpi_table(res: Results, lang: str, n: _Counter) -> Table:
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
