"""Estimate entries, monthly transition probabilities and the current stock from a case
system's episode export (one row per measure: child, birth year or age, step, start, end).

Method (docs/ladder.md): the occurrence–exposure estimator for piecewise-constant hazards.
Every episode contributes its time at risk ("exposure", in months) to the cells (step, age
band, duration band) it passes through; a move is an *event* in the cell where the child was
just before it. Open episodes (no end date) contribute exposure up to the export date but no
event: right censoring. So is the time after a child reaches `max_age` (ageing out is not a
move to estimate). The rate of a move is events / exposure months (the maximum-likelihood
estimate), with an exact Poisson (Garwood) 95 % interval; the monthly probability of move j
from a cell with total rate λ is (λⱼ / λ)(1 − e^(−λ)) (competing risks over one month).

Time is counted in calendar months (an episode from 1 January to 1 July lasts exactly 6
months). A child born in year y is taken to be born on 1 July of y; with an age column, the
age is the age at the episode's start and birth is put half a year before the birthday.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import files
from ..errors import InputError, InvalidValue, Text
from ..i18n import Join, Msg
from .model import Ladder

MAX_EPISODE_BYTES = 64 * 2**20
"""Largest episode export read (64 MB: some 1 million episodes); a bigger file is refused."""

COLUMNS = {
    "child_id": ("child_id", "barn_id", "id", "pseudonym"),
    "birth_year": ("birth_year", "fødselsår", "foedselsaar"),
    "age": ("age", "alder"),
    "step": ("step", "trin"),
    "start": ("start", "start_date", "startdato"),
    "end": ("end", "end_date", "slut", "slutdato"),
}
_CPR = re.compile(r"^(\d{2})(\d{2})(\d{2})[- ]?(\d{4})$")
_DATE_DMY = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")


def looks_like_cpr(value: str) -> bool:
    """DDMMYY-XXXX or 10 digits whose first six are a valid date (any century)."""
    m = _CPR.match(value.strip())
    if not m:
        return False
    d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    for century in (1900, 2000):
        try:
            dt.date(century + y, mo, d)
            return True
        except ValueError:
            continue
    return False


class DateError(InvalidValue):
    """A text that is not a date; `message` words it in any language."""


def parse_date(text: str) -> dt.date:
    """2024-05-31 or 31-05-2024 (also with . or /); DateError for anything else, including a
    day that the month does not have (31.02.2024)."""
    s = text.strip()
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        pass
    m = _DATE_DMY.match(s)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
    raise DateError(
        Msg("{value} er ikke en dato; skriv 2024-05-31 eller 31-05-2024", value=repr(s))
    )


def month_index(d: dt.date) -> float:
    """Calendar months since year 0: whole months between two first days are exact."""
    return 12 * d.year + d.month - 1 + (d.day - 1) / calendar.monthrange(d.year, d.month)[1]


@dataclass(frozen=True)
class Episode:
    child: str
    birth: float  # month index of the (assumed) birth
    step: int  # ladder index (1..K)
    start: float
    end: float | None
    line: int


def read_episodes(path: str | Path, ladder: Ladder) -> tuple[list[Episode], float]:
    """Episodes and the latest date in the file (month index)."""
    p = Path(path)
    text = files.read_text(p, MAX_EPISODE_BYTES, files.CSV)  # bounded; no FIFO or device
    if not text.strip():
        raise InputError(Msg("{path}: filen er tom", path=p))
    first = text.splitlines()[0]
    delim = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(text.splitlines(), delimiter=delim)
    header = [h.strip().lower() for h in next(reader)]
    col: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for n in names:
            if n in header:
                col[key] = header.index(n)
                break
    need = ["child_id", "step", "start", "end"]
    missing: list[str | Msg] = [k for k in need if k not in col]
    if "birth_year" not in col and "age" not in col:
        missing.append(Msg("birth_year (eller age)"))
    if missing:
        raise InputError(
            Msg(
                "{path}:1: mangler kolonnen {missing}; overskriften har: {header} "
                "(forventede child_id, birth_year eller age, step, start, end)",
                path=p,
                missing=Join(tuple(missing), ", "),
                header=", ".join(header),
            )
        )
    steps = {s: i for i, s in enumerate(ladder.ids)}
    out: list[Episode] = []
    latest = -math.inf
    for row in reader:
        ln = reader.line_num
        if not any(c.strip() for c in row):
            continue

        def cell(key: str, row=row, ln=ln) -> str:
            i = col[key]
            if i >= len(row):
                raise InputError(
                    Join(
                        (
                            f"{p}:{ln}:{i + 1}: {key}: ",
                            Msg("rækken har kun {n} kolonner", n=len(row)),
                        )
                    )
                )
            return row[i].strip()

        def bad(key: str, msg: Text, ln=ln) -> InputError:
            return InputError(Join((f"{p}:{ln}:{col[key] + 1}: {key}: ", msg)))

        cid = cell("child_id")
        if not cid:
            raise bad("child_id", Msg("tomt id"))
        if looks_like_cpr(cid):
            raise bad(
                "child_id",
                Msg(
                    "ligner et CPR-nummer (DDMMÅÅ-XXXX); personnumre må ikke bruges – erstat "
                    "id'erne med pseudonymer (værdien vises ikke her)"
                ),
            )
        step_text = cell("step")
        step = steps.get(step_text)
        if step is None and step_text.isdigit() and int(step_text) < len(ladder.ids):
            step = int(step_text)
        if step is None:
            raise bad(
                "step",
                Msg(
                    "ukendt trin {step} (kendte: {known})",
                    step=repr(step_text),
                    known=", ".join(ladder.ids[1:]),
                ),
            )
        if step == 0:
            raise bad(
                "step",
                Msg(
                    "{step} er det almene niveau, ikke en foranstaltning", step=repr(ladder.ids[0])
                ),
            )
        try:
            start_d = parse_date(cell("start"))
        except DateError as e:
            raise bad("start", e.message) from None
        end_text = cell("end")
        end_d = None
        if end_text:
            try:
                end_d = parse_date(end_text)
            except DateError as e:
                raise bad("end", e.message) from None
            if end_d < start_d:
                raise bad(
                    "end", Msg("slut {end} ligger før start {start}", end=end_d, start=start_d)
                )
        start = month_index(start_d)
        end = month_index(end_d) if end_d else None
        if "birth_year" in col and cell("birth_year"):
            try:
                by = int(cell("birth_year"))
            except ValueError:
                raise bad("birth_year", Msg("skriv et årstal, fx 2015")) from None
            if not 1900 <= by <= start_d.year:
                raise bad("birth_year", Msg("{year} er ikke et fødselsår før start", year=by))
            birth = 12 * by + 6.0
        elif "age" in col and cell("age"):
            try:
                age = int(cell("age"))
            except ValueError:
                raise bad("age", Msg("skriv et helt antal år, fx 7")) from None
            if not 0 <= age <= 30:
                raise bad("age", Msg("{age} er ikke en alder for et barn", age=age))
            birth = start - 12 * age - 6.0
        else:
            key = "birth_year" if "birth_year" in col else "age"
            raise bad(key, Msg("tom; angiv fødselsåret eller alderen"))
        latest = max(latest, start, end or start)
        out.append(Episode(cid, birth, step, start, end, ln))
    if not out:
        raise InputError(Msg("{path}: ingen forløb (kun en overskrift)", path=p))
    return out, latest


@dataclass
class FitResult:
    ladder: Ladder
    age_bands: list[int]
    duration_bands: list[int]
    max_age: int
    window: tuple[float, float]  # month indices of the observation window
    exposure: np.ndarray  # (K+1 from, n_age, n_dur) months at risk (row 0 unused)
    events: np.ndarray  # (K+1 from, K+1 to, n_age, n_dur)
    entries: np.ndarray  # (K+1 step, n_age) new children in the window
    stock: np.ndarray  # (K+1 step, max_age) open episodes at the end of the window
    n_episodes: int
    n_children: int
    censored: int
    notes: list[str] = field(default_factory=list)

    @property
    def window_years(self) -> float:
        return (self.window[1] - self.window[0]) / 12.0

    def rates(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.exposure[:, None] > 0, self.events / self.exposure[:, None], 0.0)

    def monthly(self) -> np.ndarray:
        """(K+1, K+1, n_age, n_dur) monthly probabilities (competing risks)."""
        lam = self.rates()
        tot = lam.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(tot > 0, lam / tot * (1 - np.exp(-tot)), 0.0)

    def rows(self) -> list[dict]:
        """One row per observed move: counts, exposure, rate, probability, 95 % interval."""
        ids = self.ladder.ids
        prob = self.monthly()
        out = []
        for f, t, a, d in zip(*np.nonzero(self.events), strict=True):
            k, e = int(self.events[f, t, a, d]), float(self.exposure[f, a, d])
            lo, hi = garwood(k, e)
            out.append(
                {
                    "from": ids[f],
                    "to": ids[t],
                    "ages": band_label(self.age_bands, a, self.max_age),
                    "months": band_label(self.duration_bands, d, None),
                    "events": k,
                    "exposure_months": e,
                    "rate": k / e,
                    "monthly": float(prob[f, t, a, d]),
                    "ci95": [1 - math.exp(-lo), 1 - math.exp(-hi)],
                }
            )
        return out

    def entry_rows(self) -> list[dict]:
        ids = self.ladder.ids
        out = []
        yrs = self.window_years
        for s, a in zip(*np.nonzero(self.entries), strict=True):
            n = int(self.entries[s, a])
            lo, hi = garwood(n, yrs)
            out.append(
                {
                    "step": ids[s],
                    "ages": band_label(self.age_bands, a, self.max_age),
                    "count": n,
                    "per_year": n / yrs,
                    "ci95": [lo, hi],
                }
            )
        return out


def garwood(k: int, exposure: float) -> tuple[float, float]:
    """Exact 95 % interval of a Poisson rate with k events in `exposure` (Garwood 1936)."""
    from scipy.stats import chi2

    lo = chi2.ppf(0.025, 2 * k) / 2 if k > 0 else 0.0
    hi = chi2.ppf(0.975, 2 * k + 2) / 2
    return lo / exposure, hi / exposure


def band_label(edges: list[int], i: int, top: int | None) -> str:
    a = edges[i]
    if i + 1 < len(edges):
        return f"{a}-{edges[i + 1] - 1}"
    return f"{a}-{top - 1}" if top is not None else f"{a}-"


def fit(
    path: str | Path,
    ladder: Ladder,
    age_bands: list[int] | None = None,
    duration_bands: list[int] | None = None,
    max_age: int = 18,
    as_of: dt.date | None = None,
    gap_days: int = 31,
) -> FitResult:
    episodes, latest = read_episodes(path, ladder)
    age_bands = age_bands or [0]
    duration_bands = duration_bands or [0]
    for name, edges in (("age-bands", age_bands), ("duration-bands", duration_bands)):
        if edges[0] != 0 or any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
            raise InputError(Msg("--{name} skal starte ved 0 og stige, fx 0,3,6,12", name=name))
    if age_bands[-1] >= max_age:
        raise InputError(
            Msg(
                "den sidste aldersgrænse {edge} er ikke under max-age {max_age}",
                edge=age_bands[-1],
                max_age=max_age,
            )
        )
    end_w = month_index(as_of) if as_of else latest
    start_w = min(e.start for e in episodes)
    if end_w <= start_w:
        raise InputError(
            Msg("{path}: observationsperioden er tom (eksportdatoen er for tidlig)", path=path)
        )
    n = len(ladder.ids)
    na, nd = len(age_bands), len(duration_bands)
    exposure = np.zeros((n, na, nd))
    events = np.zeros((n, n, na, nd))
    entries = np.zeros((n, na))
    stock = np.zeros((n, max_age))
    aedges = np.asarray(age_bands, float) * 12
    dedges = np.asarray(duration_bands, float)
    gap = gap_days / (365.25 / 12)
    censored = 0
    by_child: dict[str, list[Episode]] = {}
    for e in episodes:
        by_child.setdefault(e.child, []).append(e)
    for eps in by_child.values():
        eps.sort(key=lambda e: e.start)
        prev_end = -math.inf  # latest end so far of this child's episodes (inf: still open)
        for i, e in enumerate(eps):
            if e.start > end_w:
                continue
            nxt = eps[i + 1] if i + 1 < len(eps) else None
            if e.start - prev_end > gap:  # a new child on the ladder (or back after a gap)
                age_y = int((e.start - e.birth) // 12)
                if 0 <= age_y < max_age:
                    entries[e.step, np.searchsorted(aedges, e.start - e.birth, "right") - 1] += 1
            # where the episode ends, and how
            end: float | None = e.end
            to: int | None = 0
            if nxt is not None and e.end is not None and nxt.start - e.end <= gap:
                to = nxt.step
            if nxt is not None and (e.end is None or nxt.start < e.end) and nxt.start <= end_w:
                end, to = nxt.start, nxt.step  # overlapping: the next measure replaces it
            if end is None or end > end_w:
                end, to = end_w, None
            out_age = e.birth + 12 * max_age
            if end > out_age:
                end, to = out_age, None
            if to == e.step:
                to = None  # a prolonged measure in the same step: no move, the time goes on
            if to is None:
                censored += 1
            _expose(exposure, e, end, aedges, dedges)
            if to is not None and end > e.start:
                a = int(np.searchsorted(aedges, end - e.birth, "left") - 1)
                d = int(np.searchsorted(dedges, end - e.start, "left") - 1)
                events[e.step, to, max(a, 0), max(d, 0)] += 1
            if e.start <= end_w and (e.end is None or e.end > end_w) and end == end_w:
                age_y = int((end_w - e.birth) // 12)
                if 0 <= age_y < max_age:
                    stock[e.step, age_y] += 1
            prev_end = max(prev_end, math.inf if e.end is None else e.end)
    return FitResult(
        ladder,
        list(age_bands),
        list(duration_bands),
        max_age,
        (start_w, end_w),
        exposure,
        events,
        entries,
        stock,
        len(episodes),
        len(by_child),
        censored,
    )


def _expose(exposure: np.ndarray, e: Episode, end: float, aedges, dedges) -> None:
    """Add the time at risk from e.start to `end` to the (age band, duration band) cells."""
    if end <= e.start:
        return
    cuts = [e.start, end]
    cuts += [e.birth + a for a in aedges[1:] if e.start < e.birth + a < end]
    cuts += [e.start + d for d in dedges[1:] if e.start < e.start + d < end]
    cuts = sorted(set(cuts))
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        mid = (lo + hi) / 2
        a = max(int(np.searchsorted(aedges, mid - e.birth, "right") - 1), 0)
        d = int(np.searchsorted(dedges, mid - e.start, "right") - 1)
        exposure[e.step, a, d] += hi - lo


def population_yaml(res: FitResult, ladder_path: str, source: str) -> str:
    """The fit as a population file (stock, entries per year, transitions)."""
    ids = res.ladder.ids
    end = res.window[1]
    year = int(end // 12) + (0 if end % 12 == 0 else 1)
    lines = [
        f"# Fitted by `socinvest ladder fit` from {source}: {res.n_episodes} episodes of "
        f"{res.n_children} children, {res.window_years:.2f} years observed.",
        "# Transitions: occurrence-exposure estimates; events, exposure_months and ci95 are",
        "# information only (the model uses `monthly`). Check them before use (docs/ladder.md).",
        f"ladder: {ladder_path}",
        f"title: Tilpasset fra {Path(source).name}",
        f"source: {source}",
        f"start: {year}",
        "years: 10",
        f"max_age: {res.max_age}",
        f"age_bands: {list(res.age_bands)}",
        f"duration_bands: {list(res.duration_bands)}",
        "initial_months: spread",
        "stock:",
    ]
    for s in range(1, len(ids)):
        ages = {a: int(n) for a, n in enumerate(res.stock[s]) if n > 0}
        if ages:
            lines.append(f"  {ids[s]}: {{{', '.join(f'{a}: {n}' for a, n in ages.items())}}}")
    if lines[-1] == "stock:":
        lines[-1] = "stock: {}"
    lines.append("entries:")
    rows = res.entry_rows()
    for s in range(1, len(ids)):
        mine = [r for r in rows if r["step"] == ids[s]]
        if mine:
            body = ", ".join(f"{r['ages']}: {r['per_year']:.4g}" for r in mine)
            lines.append(f"  {ids[s]}: {{{body}}}")
    if lines[-1] == "entries:":
        lines[-1] = "entries: {}"
    lines.append("transitions:")
    trows = res.rows()
    for r in trows:
        lines.append(
            f"  - {{from: {r['from']}, to: {r['to']}, monthly: {r['monthly']:.6g}, "
            f"ages: {r['ages']}, months: '{r['months']}', events: {r['events']}, "
            f"exposure_months: {r['exposure_months']:.6g}, "
            f"ci95: [{r['ci95'][0]:.6g}, {r['ci95'][1]:.6g}]}}"
        )
    if not trows:
        lines[-1] = "transitions: []"
    return "\n".join(lines) + "\n"
