"""Price levels (p/l): convert amounts between current prices and a case's fixed prices, and
restate a whole case at another price level.

The price-index file gives an index per year for each kind (service wages, service prices,
anlæg) with its source and date:

```yaml
source: KL, Pris- og lønskøn, juni 2024    # where the figures come from
date: 2024-06-15
kinds:
  service_wages: {2017: 100.0, 2018: 102.1, ...}
  service_prices: {...}
  anlaeg: {...}
```

An amount in year-`a` prices becomes year-`b` prices as amount × index[b] / index[a]. An index
value is never invented or extrapolated: a year the file lacks is an InputError naming the year,
the kind and the file. Real figures come from the user's own source; the shipped example
(examples/followup/price-index.yaml) is illustrative and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from pydantic import AfterValidator, Field

from ..case.load import parse_yaml_model, read_text
from ..case.schema import Case, CountDriver, ExprDriver, Frozen, FteDriver, LadderDriver, Line
from ..errors import InputError, InvalidValue
from ..i18n import Join, Msg
from .mapping import line_kinds
from .schema import PriceKind


def _positive(v: dict[int, float]) -> dict[int, float]:
    for year, value in v.items():
        if not 1900 <= int(year) <= 2200:
            raise InvalidValue(Msg("{key} er ikke et budgetår", key=repr(year)))
        if not value > 0:
            raise InvalidValue(Msg("indekset for {year} skal være større end 0", year=year))
    return v


Series = Annotated[dict[int, float], AfterValidator(_positive)]


class PriceIndexFile(Frozen):
    """A price-index file: an index per year for each kind, with its source and date."""

    schema_: str | None = Field(None, alias="$schema", description="editor hint; ignored")
    title: str | None = None
    source: str = Field(min_length=1, description="where the index values come from")
    date: dt.date = Field(description="when the source was published")
    illustrative: bool = Field(False, description="true: not real figures (examples only)")
    kinds: dict[PriceKind, Series] = Field(min_length=1)


@dataclass(frozen=True)
class PriceIndex:
    """A loaded price index; `factor` converts between price levels."""

    file: PriceIndexFile
    source: str  # the file's path

    def value(self, kind: PriceKind, year: int) -> float:
        series = self.file.kinds.get(kind)
        if series is None:
            msg = Msg(
                "prisindekset har ingen række for {kind}; tilføj den under 'kinds'",
                kind=kind.value,
            )
            raise InputError(Join((f"{self.source}: ", msg)))
        if year not in series:
            have = f"{min(series)}-{max(series)}" if series else "–"
            msg = Msg(
                "prisindekset {kind} mangler år {year} (filen har {have}); indeksværdier "
                "opfindes eller fremskrives aldrig – tilføj året fra jeres kilde",
                kind=kind.value,
                year=year,
                have=have,
            )
            raise InputError(Join((f"{self.source}: ", msg)))
        return float(series[year])

    def factor(self, kind: PriceKind, from_year: int, to_year: int) -> float:
        """Multiply a year-`from_year` amount by this to get year-`to_year` prices."""
        return self.value(kind, to_year) / self.value(kind, from_year)

    def to_level(
        self, amounts: np.ndarray, years: np.ndarray, kind: PriceKind, level: int
    ) -> np.ndarray:
        """Current prices per year (last axis = `years`) -> fixed `level` prices."""
        f = np.array([self.factor(kind, int(y), level) for y in years])
        return np.asarray(amounts) * f

    def to_current(
        self, amounts: np.ndarray, years: np.ndarray, kind: PriceKind, level: int
    ) -> np.ndarray:
        """Fixed `level` prices -> current prices of each year."""
        f = np.array([self.factor(kind, level, int(y)) for y in years])
        return np.asarray(amounts) * f


def parse_price_index(text: str, source: str = "<price index>") -> PriceIndex:
    model, _ = parse_yaml_model(text, source, PriceIndexFile, Msg("en prisindeksfil"))
    return PriceIndex(model, source)


def load_price_index(path: str | Path) -> PriceIndex:
    p = Path(path)
    return parse_price_index(read_text(p), str(p))


# -- restating a case -----------------------------------------------------------------------


def _is_money(unit: str) -> bool:
    return "kr" in unit.lower()


def _scale(v: Any, f: float) -> Any:
    if isinstance(v, dict):
        return {k: x * f for k, x in v.items()}
    return v * f


def restate_case(
    case: Case,
    index: PriceIndex,
    to_level: int,
    kinds: Mapping[str, PriceKind] | None = None,
) -> Case:
    """The case with every amount at `to_level` prices: explicit amounts, money parameters
    (unit with 'kr'), literal rates and prices and ladder projections, each by its line's
    index kind (`kinds` by line id or parameter name; else `mapping.line_kinds`). Stated
    figures belong to the document's price level and are not carried over. Checked on the
    engine: every line of the restated case must equal the original × its factor, or the
    restatement is refused (e.g. an expression with an amount written as a number)."""
    from ..engine.resolve import evaluate

    if to_level == case.price_level:
        return case
    by_line = {**line_kinds(case), **{k: v for k, v in (kinds or {}).items()}}
    f_line = {ln.id: index.factor(by_line[ln.id], case.price_level, to_level) for ln in case.lines}
    params = dict(case.parameters)
    users = _parameter_users(case)
    for name, par in case.parameters.items():
        if not _is_money(par.unit):
            continue
        if kinds and name in kinds:
            f = index.factor(kinds[name], case.price_level, to_level)
        else:
            fs = {f_line[line] for line in users.get(name, ())}
            if len(fs) > 1:
                msg = Msg(
                    "parameteren {name} bruges af linjer med forskellige prisindeks; angiv "
                    "dens indeks for sig",
                    name=name,
                )
                raise InputError(msg)
            f = (
                fs.pop()
                if fs
                else index.factor(by_line[case.lines[0].id], case.price_level, to_level)
            )
        upd: dict[str, Any] = {"value": _scale(par.value, f)}
        if par.uncertainty is not None and not par.uncertainty.relative:
            upd["uncertainty"] = _scale_dist(par.uncertainty, f)
        params[name] = par.model_copy(update=upd)
    lines = [_restate_line(ln, f_line[ln.id], case) for ln in case.lines]
    out = case.model_copy(
        update={"lines": lines, "parameters": params, "price_level": to_level, "stated": []}
    )
    before = evaluate(case).amounts[0]
    after = evaluate(out).amounts[0]
    want = before * np.array([f_line[ln.id] for ln in case.lines])[:, None]
    bad = [
        ln.id
        for i, ln in enumerate(case.lines)
        if not np.allclose(
            after[i], want[i], rtol=1e-9, atol=1e-9 * max(1.0, np.abs(want[i]).max())
        )
    ]
    if bad:
        msg = Msg(
            "linjerne {lines} kan ikke omregnes: deres beløb hænger ikke kun på "
            "kronebeløb i parametre med enheden kr. (fx et tal skrevet direkte i et udtryk); "
            "flyt beløbet til en parameter med enheden kr.",
            lines=", ".join(bad),
        )
        raise InputError(msg)
    return out


def _parameter_users(case: Case) -> dict[str, set[str]]:
    """Parameter name -> ids of the lines whose driver names it."""
    from ..case.expr import parse_expression

    out: dict[str, set[str]] = {}
    for ln in case.lines:
        d = ln.driver
        names: set[str] = set()
        if isinstance(d, FteDriver | CountDriver):
            names = {v for v in d.model_dump().values() if isinstance(v, str)}
        elif isinstance(d, ExprDriver):
            names = set(parse_expression(d.expr).names)
        for n in names:
            out.setdefault(n, set()).add(ln.id)
    return out


def _restate_line(ln: Line, f: float, case: Case) -> Line:
    upd: dict[str, Any] = {}
    if ln.amounts is not None:
        upd["amounts"] = _scale(ln.amounts, f)
    d = ln.driver
    if isinstance(d, FteDriver) and not isinstance(d.rate, str):
        upd["driver"] = d.model_copy(update={"rate": d.rate * f})
    elif isinstance(d, CountDriver) and not isinstance(d.price, str):
        upd["driver"] = d.model_copy(update={"price": d.price * f})
    elif isinstance(d, LadderDriver) and d.resolved is not None:
        upd["driver"] = d.model_copy(update={"resolved": _scale(d.resolved, f)})
    return ln.model_copy(update=upd) if upd else ln


def _scale_dist(dist: Any, f: float) -> Any:
    """An absolute distribution of a money parameter, in the new prices (shape kept)."""
    fields = {"min", "mode", "max", "mean", "sd", "values"}
    upd: dict[str, Any] = {}
    for k in fields:
        v = getattr(dist, k, None)
        if isinstance(v, int | float):
            upd[k] = v * f
        elif isinstance(v, list) and all(isinstance(x, int | float) for x in v):
            upd[k] = [x * f for x in v]
    return dist.model_copy(update=upd)
