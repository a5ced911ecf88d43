"""`socinvest ladder …`: the intervention-ladder model on the command line (docs/ladder.md).

Only typer and the standard library are imported here; every command imports what it needs,
so the main CLI's start-up stays light. Register with `app.add_typer(ladder_app, name="ladder")`.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

ladder_app = typer.Typer(
    name="ladder",
    help="Indsatstrappen: fremskriv børn pr. trin, sammenlign strategier og tilpas overgange "
    "fra sagsdata (docs/ladder.md).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Engine(StrEnum):
    markov = "markov"
    micro = "micro"


class Lang(StrEnum):
    da = "da"
    en = "en"


LangOpt = Annotated[Lang, typer.Option("--lang", help="Sprog i output: da (dansk) eller en.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Skriv resultatet som JSON på stdout.")]
EngineOpt = Annotated[
    Engine,
    typer.Option(
        "--engine", help="markov (forventede tal) eller micro (simulering af enkelte børn)."
    ),
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Frø til micro-motoren og Monte Carlo.")]
ChartOpt = Annotated[
    Path | None, typer.Option("--chart", help="Skriv en figur (.png eller .svg) af børn pr. trin.")
]


def _console():
    from socinvest.cli.console import console

    return console()


def _t(lang: Lang, key: str, **kw: object) -> str:
    from socinvest.reports.ladder.labels import t

    return t(lang.value, key, **kw)


def _check_chart(chart: Path | None, lang: Lang) -> None:
    from socinvest.errors import InputError

    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        raise InputError(_t(lang, "err_chart_suffix", path=chart))


@ladder_app.command()
def project(
    path: Annotated[Path, typer.Argument(help="Befolkningsfil eller scenariefil (.yaml).")],
    engine: EngineOpt = Engine.markov,
    seed: SeedOpt = 0,
    years: Annotated[
        int | None, typer.Option("--years", min=1, max=60, help="Antal år (ellers filens).")
    ] = None,
    chart: ChartOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Fremskriv børn pr. trin, anbringelsesmiks og udgift pr. år. En scenariefil
    fremskrives med sine ændringer; en befolkningsfil som den er."""
    from socinvest.ladder.load import load_model
    from socinvest.reports.ladder.render import print_projection, projection_json, write_chart
    from socinvest.ladder.scenario import project as run
    from socinvest.ladder.scenario import step_costs

    _check_chart(chart, lang)
    model = load_model(path)
    p = run(model, scenario=True, engine=engine.value, seed=seed, years=years)
    if chart is not None:
        write_chart(chart, p, lang=lang.value)
    if as_json:
        data = projection_json(p, step_costs(model.ladder))
        data["unit"] = model.ladder.unit.value
        data["price_level"] = model.ladder.price_level
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console = _console()
    title = model.scenario.title if model.scenario else (model.population.title or str(path))
    print_projection(console, p, model, title, lang.value)
    if chart is not None:
        console.print(_t(lang, "chart_written", path=chart))


@ladder_app.command()
def compare(
    scenario: Annotated[Path, typer.Argument(help="Scenariefil (.yaml) med 'baseline:'.")],
    engine: EngineOpt = Engine.markov,
    seed: SeedOpt = 0,
    draws: Annotated[
        int,
        typer.Option(
            "--draws", "-n", min=0, help="Monte Carlo-trækninger over usikre priser og effekter."
        ),
    ] = 200,
    chart: ChartOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Basis mod strategi: børn pr. trin, anbringelsesmiks, udgift og besparelse pr. år, og
    (med usikre priser eller effekter) middel, P5 og P95 af besparelsen."""
    from socinvest.ladder.load import load_model
    from socinvest.reports.ladder.render import comparison_json, print_comparison, write_chart
    from socinvest.ladder.scenario import compare as run

    _check_chart(chart, lang)
    model = load_model(scenario)
    c = run(model, engine=engine.value, seed=seed, draws=draws, mc_seed=seed)
    if chart is not None:
        write_chart(chart, c.baseline, c.scenario, lang.value)
    if as_json:
        typer.echo(json.dumps(comparison_json(c), ensure_ascii=False, indent=2))
        return
    console = _console()
    console.print(f"[bold]{model.scenario.title}[/]")
    print_comparison(console, c, lang.value)
    if chart is not None:
        console.print(_t(lang, "chart_written", path=chart))


def _edges(text: str | None, what: str, lang: Lang = Lang.da) -> list[int] | None:
    from socinvest.errors import InputError

    if text is None:
        return None
    try:
        return [int(x) for x in text.replace(" ", "").split(",") if x]
    except ValueError:
        raise InputError(_t(lang, "err_edges", what=what)) from None


@ladder_app.command()
def fit(
    episodes: Annotated[Path, typer.Argument(help="Forløb fra sagssystemet (.csv).")],
    ladder: Annotated[
        Path | None,
        typer.Option("--ladder", help="Trappens definition (ellers standardtrappen)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Skriv en befolkningsfil (.yaml).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Eksportdato (ellers filens seneste dato).")
    ] = None,
    age_bands: Annotated[
        str | None, typer.Option("--age-bands", help="Aldersgrænser i år, fx 0,3,6,12,15.")
    ] = None,
    duration_bands: Annotated[
        str | None,
        typer.Option("--duration-bands", help="Grænser i måneder i trin, fx 0,6,7,12."),
    ] = None,
    max_age: Annotated[int, typer.Option("--max-age", min=1, max=30, help="Udgangsalder.")] = 18,
    gap: Annotated[
        int, typer.Option("--gap", min=0, help="Dage mellem to forløb der stadig er en flytning.")
    ] = 31,
    force: Annotated[bool, typer.Option("--force", help="Overskriv en eksisterende fil.")] = False,
    as_json: JsonOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Estimér nye børn pr. år og overgange pr. måned (hændelser / eksponering, med
    censurering af åbne forløb og 95 %-intervaller) fra en eksport af forløb. Kolonner:
    child_id, birth_year (eller age), step, start, end (tom = åbent forløb)."""
    import os

    from socinvest.errors import InputError
    from socinvest.ladder.fit import fit as run
    from socinvest.ladder.fit import parse_date, population_yaml
    from socinvest.ladder.load import DEFAULT_LADDER, load_ladder
    from socinvest.reports.ladder.render import fit_json, print_fit

    ladder_path = ladder or DEFAULT_LADDER
    lad = load_ladder(ladder_path)
    date = None
    if as_of:
        try:
            date = parse_date(as_of)
        except ValueError as e:
            raise InputError(f"--as-of: {e}") from None
    res = run(
        episodes,
        lad,
        _edges(age_bands, "age-bands", lang),
        _edges(duration_bands, "duration-bands", lang),
        max_age,
        date,
        gap,
    )
    if output is not None:
        if output.exists() and not force:
            raise InputError(_t(lang, "err_exists", path=output))
        rel = os.path.relpath(Path(ladder_path).resolve(), output.resolve().parent)
        output.write_text(population_yaml(res, rel, str(episodes)), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(fit_json(res), ensure_ascii=False, indent=2))
        return
    console = _console()
    print_fit(console, res, lang.value)
    if output is not None:
        console.print(_t(lang, "population_written", path=output))
