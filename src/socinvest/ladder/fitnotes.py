"""What a fit says about itself: where ages came from, the window it assumed or was given,
how entries were fitted, and whether the file looks like an extract (docs/ladder.md)."""

from __future__ import annotations

from ..i18n import Msg
from .entries import EntryTrend
from .episodes import Episode, Num, month_date
from .exposure import Counts


def age_note(source: str) -> Msg:
    return {
        "birth_date": Msg("alder: nøjagtig, fra fødselsdatoen"),
        "birth_year": Msg(
            "alder: kun fødselsåret er kendt; barnet regnes for født 1. juli (eller midt mellem "
            "1. januar og starten, hvis det starter før)"
        ),
        "age": Msg("alder: kun alderen ved start er kendt; fødselsdagen regnes et halvt år før"),
    }[source]


def window_note(w0: float, w1: float, given: bool, c: Counts) -> Msg:
    a, b = month_date(w0).isoformat(), month_date(w1).isoformat()
    years = Num((w1 - w0) / 12, 2)
    if given:
        return Msg(
            "observeret {start} til {end} ({years} år); {n} ophold begyndt før er venstre-"
            "trunkerede (kun tiden i perioden tæller)",
            start=a,
            end=b,
            years=years,
            n=c.truncated,
        )
    return Msg(
        "observeret {start} til {end} ({years} år): antaget fra det første forløbs start "
        "(angiv --observed-from for et udtræk)",
        start=a,
        end=b,
        years=years,
    )


def entries_note(mode: str, trend: EntryTrend | None) -> Msg:
    if trend is None:
        return Msg("nye børn: konstante (gennemsnittet over perioden)")
    return Msg(
        "nye børn: trend (Poisson log-lineær over perioden) × {g} pr. år (95 %: {lo} – {hi})",
        g=Num(trend.per_year, 3),
        lo=Num(trend.ci95[0], 3),
        hi=Num(trend.ci95[1], 3),
    )


def extract_hint(episodes: list[Episode], w0: float) -> tuple[float, int] | None:
    """(first end, episodes open then) when nothing ends in the first year although many
    episodes had begun: the file looks like an extract that begins at the first end."""
    ends = [e.end for e in episodes if e.end is not None]
    if not ends:
        return None
    first = min(ends)
    n_open = sum(1 for e in episodes if e.start < first)
    if first - w0 > 12 and n_open >= 10:
        return first, n_open
    return None
