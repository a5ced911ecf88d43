"""Dated parameters of the follow-up measures (OpenFisca-style): each value has a unit, the
date it is valid from and its source, and a lookup takes the value valid on a given date.

Cut-offs change when instruments are re-normed; a follow-up of 2018 must keep the cut-off that
was valid in 2018, so a new value is a new entry with a later `from`, never an edit. The
shipped file is `socinvest/data/followup_parameters.yaml`; `load(path)` reads another.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..i18n import Msg

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "data" / "followup_parameters.yaml"


@dataclass(frozen=True)
class Entry:
    """One value of a parameter, valid from `start` until the next entry's start."""

    start: dt.date
    value: Decimal
    source: str


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    entries: tuple[Entry, ...]  # sorted by start

    def at(self, on: dt.date) -> Entry:
        """The entry valid on `on`; InputError if the parameter has no value yet on that date."""
        found = None
        for e in self.entries:
            if e.start <= on:
                found = e
        if found is None:
            raise InputError(
                Msg(
                    "parameteren {name} har ingen værdi gyldig den {date} (første værdi gælder "
                    "fra {first})",
                    name=self.name,
                    date=on.isoformat(),
                    first=self.entries[0].start.isoformat(),
                )
            )
        return found


@dataclass(frozen=True)
class Parameters:
    items: dict[str, Parameter]

    def get(self, name: str) -> Parameter:
        if name not in self.items:
            raise InputError(Msg("ukendt parameter {name}", name=name))
        return self.items[name]

    def value(self, name: str, on: dt.date) -> Decimal:
        """The value of `name` valid on `on` (exact decimal)."""
        return self.get(name).at(on).value

    def tenths(self, name: str, on: dt.date) -> int:
        """The value in whole tenths (ORS/SRS are compared in exact tenths, never floats)."""
        v = self.value(name, on) * 10
        if v != v.to_integral_value():
            raise InputError(
                Msg("parameteren {name} har mere end én decimal", name=name)
            )  # pragma: no cover - the shipped values are whole
        return int(v)

    def integer(self, name: str, on: dt.date) -> int:
        v = self.value(name, on)
        if v != v.to_integral_value():
            raise InputError(Msg("parameteren {name} skal være et helt tal", name=name))
        return int(v)


def _entry(name: str, raw: Any, path: Path) -> Entry:
    if not isinstance(raw, dict) or not {"from", "value", "source"} <= set(raw):
        raise InputError(
            Msg(
                "{path}: {name}: hver værdi skal have from, value og source",
                path=path,
                name=name,
            )
        )
    start = raw["from"]
    if not isinstance(start, dt.date):
        try:
            start = dt.date.fromisoformat(str(start))
        except ValueError:
            raise InputError(
                Msg("{path}: {name}: from skal være en dato (2024-01-01)", path=path, name=name)
            ) from None
    try:
        value = Decimal(str(raw["value"]))
    except InvalidOperation:
        raise InputError(
            Msg("{path}: {name}: value skal være et tal", path=path, name=name)
        ) from None
    return Entry(start, value, str(raw["source"]).strip())


def load(path: str | Path = DEFAULT_FILE) -> Parameters:
    """Read a parameter file (YAML: name → description, unit, values [from, value, source])."""
    import yaml

    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError:
        raise InputError(Msg("{path}: filen findes ikke", path=p)) from None
    if not isinstance(data, dict):
        raise InputError(Msg("{path}: forventede navngivne parametre", path=p))
    items = {}
    for name, spec in data.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("values"), list):
            raise InputError(Msg("{path}: {name}: mangler values", path=p, name=name))
        entries = sorted((_entry(name, e, p) for e in spec["values"]), key=lambda e: e.start)
        if not entries or len({e.start for e in entries}) != len(entries):
            raise InputError(
                Msg(
                    "{path}: {name}: værdierne skal have forskellige from-datoer", path=p, name=name
                )
            )
        items[str(name)] = Parameter(
            str(name),
            str(spec.get("description", "")).strip(),
            str(spec.get("unit", "")),
            tuple(entries),
        )
    return Parameters(items)


def dated(params: Parameters, name: str, days: np.ndarray, tenths: bool = False) -> np.ndarray:
    """The parameter's value valid on each day (ordinal), vectorised over the entries."""
    p = params.get(name)
    starts = np.array([e.start.toordinal() for e in p.entries])
    if len(days) and days.min() < starts[0]:
        p.at(dt.date.fromordinal(max(1, int(days.min()))))  # raises the located InputError
    scale = 10 if tenths else 1
    values = np.array([int(e.value * scale) for e in p.entries], dtype=np.int64)
    return values[np.searchsorted(starts, days, side="right") - 1]


def half_year(days: np.ndarray) -> np.ndarray:
    """year * 2 + (0 for January–June, 1 for July–December)."""
    months = (
        (days - dt.date(1970, 1, 1).toordinal())
        .astype("datetime64[D]")
        .astype("datetime64[M]")
        .astype(np.int64)
    )
    return (months // 12 + 1970) * 2 + (months % 12 >= 6)


@functools.lru_cache(maxsize=1)
def default() -> Parameters:
    """The shipped parameters (read once)."""
    return load(DEFAULT_FILE)
