"""`simulate --json` and `sensitivity --json`, built key by key from the bundles (never from
`__dict__`): one name, `parameter`, for the parameter in the tornado and in the switching
values; the tornado's `method` (p10p90 or minmax); `null`, never NaN or infinity."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ..services.simulation import SensitivityBundle, SimulationBundle
from ..uncertainty.sensitivity import Switching, TornadoBar


def finite(obj: Any) -> Any:
    """JSON has no NaN or infinity: 'not within the horizon' and the like become null."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [finite(v) for v in obj]
    return obj


def tornado_json(bars: Iterable[TornadoBar]) -> list[dict[str, Any]]:
    """One object per bar; `low`/`high` are the parameter's values at the method's ends."""
    return [
        {
            "parameter": b.name,
            "low": b.low,
            "high": b.high,
            "npv_low": b.npv_low,
            "npv_high": b.npv_high,
            "payback_low": b.payback_low,
            "payback_high": b.payback_high,
            "swing": b.swing,
        }
        for b in bars
    ]


def switching_json(rows: Iterable[Switching]) -> list[dict[str, Any]]:
    return [
        {
            "parameter": s.name,
            "base": s.base,
            "multiplier": s.multiplier,
            "value": s.value,
            "change_pct": s.change_pct,
        }
        for s in rows
    ]


def _sensitivity_fields(sens: SensitivityBundle) -> dict[str, Any]:
    return {
        "method": sens.tornado_method,
        "base_npv": sens.base_npv,
        "tornado": tornado_json(sens.tornado),
        "switching_npv": switching_json(sens.switching_npv),
        "switching_payback": {
            "target": sens.payback_target,
            "values": switching_json(sens.switching_payback),
        },
    }


def sensitivity_json(sens: SensitivityBundle) -> dict[str, Any]:
    """`sensitivity --json`: the tornado (its `method`: p10p90 or minmax) and switching values."""
    return finite({"case": sens.case.id, **_sensitivity_fields(sens)})


def simulation_json(bundle: SimulationBundle) -> dict[str, Any]:
    """`simulate --json`: the simulation's summaries, then its sensitivity."""
    return finite(bundle.simulation.to_json() | _sensitivity_fields(bundle.sensitivity))
