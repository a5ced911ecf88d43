"""Pool files, ladder files, episode exports and follow-up files.

These inputs refer to other files (a pool to its cases, a scenario to its baseline and ladder),
so each seed is a small tree copied whole; one file of it is damaged. Follow-up files have no
command yet: they run through the library functions a face would call (`call_*` below), with
the same invariant (only InputError may escape).
"""

from __future__ import annotations

import functools
import random
from pathlib import Path

from . import mutate
from .cases import damage
from .model import EXAMPLES, FIXTURES, Input


def _tree(base: Path, patterns: tuple[str, ...], prefix: str) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for pat in patterns:
        for p in sorted(base.glob(pat)):
            out[f"{prefix}/{p.relative_to(base)}"] = p.read_bytes()
    return out


@functools.cache
def _pool_trees() -> tuple[tuple[dict[str, bytes], tuple[str, ...]], ...]:
    ex = _tree(EXAMPLES, ("*.yaml", "pool/*.yaml"), "ex")
    ex |= _tree(EXAMPLES, ("ladder/*.yaml",), "ex")
    fx = _tree(FIXTURES, ("pool/*.yaml", "pool/bad/*.yaml", "hostile/pool_*.yaml",
                          "bad/cases/wrong_enum.yaml"), "fx")  # fmt: skip
    fx_pools = tuple(k for k in fx if "/case_" not in k and "/cases/" not in k)
    return ((ex, ("ex/pool/pool.yaml",)), (fx, fx_pools))


def pool(rng: random.Random) -> Input:
    """A pool file (or one of its cases) damaged; status, project or select with few draws."""
    files, targets = rng.choice(_pool_trees())
    files = dict(files)
    target = rng.choice(targets)
    victim = target if rng.random() < 0.75 else rng.choice(sorted(files))
    files[victim] = damage(rng, files[victim])
    sub = rng.choice(("status", "project", "select"))
    argv: tuple[str, ...] = ("pool", sub, target, "--json")
    if sub != "status":
        argv += ("-n", rng.choice(("10", "20", "1")), "--seed", str(rng.randrange(100)))
    if sub == "project" and rng.random() < 0.3:
        argv += ("--approved-only",)
    if sub == "select" and rng.random() < 0.3:
        argv += ("--objective", "savings")
    if rng.random() < 0.3:
        argv += ("--lang", "en")
    return Input("pool", argv, files, (), json=True)


@functools.cache
def _ladder_trees() -> tuple[tuple[dict[str, bytes], tuple[str, ...]], ...]:
    ex = _tree(EXAMPLES, ("ladder/*.yaml",), "ex")
    fx = _tree(
        FIXTURES, ("ladder/*.yaml", "hostile/ladder_*.yaml", "hostile/scenario_*.yaml"), "fx"
    )
    fx_targets = tuple(k for k in fx if "ladder_case" not in k and not k.endswith("_ladder.yaml")
                       and not k.endswith("_ladder_2023.yaml"))  # fmt: skip
    return ((ex, ("ex/ladder/population.yaml", "ex/ladder/scenario.yaml")), (fx, fx_targets))


def ladder(rng: random.Random) -> Input:
    """A population or scenario file (or the ladder it names) damaged; project or compare."""
    files, targets = rng.choice(_ladder_trees())
    files = dict(files)
    target = rng.choice(targets)
    victim = target if rng.random() < 0.7 else rng.choice(sorted(files))
    files[victim] = damage(rng, files[victim])
    if rng.random() < 0.5:
        argv: tuple[str, ...] = ("ladder", "project", target, "--json")
        if rng.random() < 0.3:
            argv += ("--engine", "micro", "--seed", str(rng.randrange(-2, 100)))
        if rng.random() < 0.3:
            argv += ("--years", rng.choice(("1", "5", "60", "0", "61")))
    else:
        argv = ("ladder", "compare", target, "--json", "-n", rng.choice(("0", "5", "20")))
    if rng.random() < 0.2:
        argv += ("--lang", "en")
    return Input("ladder", argv, files, (), json=True)


STEPS = ("universal", "advice", "home", "network", "foster", "institution", "own_room", "x", "")
DATES = ("2023-01-01", "2023-13-01", "2020-02-30", "01-01-2023", "", "1900-01-01", "9999-12-31",
         "2023-1-1", "in2023")  # fmt: skip


def _date(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return rng.choice(DATES)
    return f"{rng.randrange(2015, 2025)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"


def random_episodes(rng: random.Random) -> bytes:
    sep = rng.choice((",", ";", ";", "\t"))
    head = ["child_id", rng.choice(("birth_year", "age")), "step", "start", "end"]
    if rng.random() < 0.1:
        rng.shuffle(head)
    rows = [sep.join(head)]
    for _ in range(rng.choice((0, 1, 5, 40, 400))):
        born = rng.choice((str(rng.randrange(2005, 2024)), "-1", "3000", "x", "", "1e9"))
        end = "" if rng.random() < 0.2 else _date(rng)
        cid = rng.choice(
            ("B1", "B2", f"B{rng.randrange(50)}", "010190-1234", mutate.text(rng)[:40])
        )
        rows.append(sep.join((cid, born, rng.choice(STEPS), _date(rng), end)))
    return ("\n".join(rows) + "\n").encode()


@functools.cache
def _episode_seeds() -> tuple[bytes, ...]:
    return ((EXAMPLES / "ladder" / "episodes.csv").read_bytes(),
            (FIXTURES / "ladder" / "episodes_tiny.csv").read_bytes())  # fmt: skip


def episodes(rng: random.Random) -> Input:
    """An episodes export, damaged or random; `ladder fit` with random bands and options."""
    if rng.random() < 0.5:
        raw = rng.choice(_episode_seeds())
        raw = (mutate.text_damage(rng, raw.decode()).encode() if rng.random() < 0.6
               else mutate.bytes_damage(rng, raw))  # fmt: skip
    else:
        raw = random_episodes(rng)
    files = {"episodes.csv": raw, "ladder.yaml": (EXAMPLES / "ladder" / "ladder.yaml").read_bytes()}
    argv: tuple[str, ...] = ("ladder", "fit", "episodes.csv", "--json")
    if rng.random() < 0.5:
        argv += ("--ladder", "ladder.yaml")
    choices = {"--age-bands": ("0,3,6,12", "0", "5,3", "0,100", "-1,2", "x", ""),
               "--duration-bands": ("0,6,12", "0,100000", "0,1", "12,6", "x"),
               "--max-age": ("18", "1", "30"), "--gap": ("0", "30", "100000"),
               "--as-of": ("2024-01-01", "1900-01-01", "x", "2023-02-30")}  # fmt: skip
    for opt, vals in choices.items():
        if rng.random() < 0.15:
            argv += (opt, rng.choice(vals))
    return Input("episodes", argv, files, (), json=True)


# -- follow-up files (library calls) ---------------------------------------------------------------

FOLLOWUP = EXAMPLES / "followup"
POSTINGS = (
    "Konto;Dato;Beløb;Omkostningssted;Tekst\n"
    '5.28.21.1;15-01-2018;250.000,00;FH01;"Løn; januar"\n'
    "5.28.21.1;15-04-2018;-1234,50;SP01;Korrektion\n"
    "5.28.21.4;31-12-2018;100000,00;;Kursus\n"
    "5.28.21.5;02-01-2019;-20000,00;;Ipads\n"
    "9.99.99.1;01-02-2018;555,55;;Ukendt konto\n"
)


def call_postings(path: str, strict: str) -> object:
    from socinvest.followup.mapping import Matcher, load_mapping
    from socinvest.followup.postings import read_postings

    mapping = load_mapping(FOLLOWUP / "mapping-fit.yaml")
    return read_postings(path, Matcher(mapping.mapping), strict=strict == "strict")


def call_fit(path: str, strict: str) -> object:
    from socinvest.followup import fit

    return fit.summarise(path, strict=strict == "strict")


def call_adbb(path: str, strict: str) -> object:
    from socinvest.followup import adbb

    return adbb.summarise(path, strict=strict == "strict")


def call_yaml(path: str, which: str) -> object:
    from socinvest.followup.mapping import load_mapping
    from socinvest.followup.prices import load_price_index
    from socinvest.followup.schema import load_followup

    fn = {"mapping": load_mapping, "index": load_price_index, "criteria": load_followup}[which]
    return fn(path)


@functools.cache
def _followup_seeds() -> tuple[tuple[str, str, bytes], ...]:
    out = [("postings", "postings.csv", POSTINGS.encode("utf-8-sig"))]
    out += [
        ("postings", p.name, p.read_bytes()) for p in sorted((FIXTURES / "followup").glob("*.csv"))
    ]
    out += [("fit", "fit.csv", (FOLLOWUP / "fit-sessions.csv").read_bytes()),
            ("adbb", "adbb.csv", (FOLLOWUP / "adbb-screenings.csv").read_bytes())]  # fmt: skip
    bad = FIXTURES / "followup" / "bad-measures"
    out += [("fit" if p.name.startswith("fit") else "adbb", p.name, p.read_bytes())
            for p in sorted(bad.glob("*.csv"))]  # fmt: skip
    out += [("mapping", "mapping.yaml", (FOLLOWUP / n).read_bytes())
            for n in ("mapping-fit.yaml", "mapping-tidlig-indsats.yaml")]  # fmt: skip
    out += [("index", "index.yaml", (FOLLOWUP / "price-index.yaml").read_bytes())]
    out += [("criteria", "followup.yaml", p.read_bytes())
            for p in sorted((FIXTURES / "followup").glob("followup_*.yaml"))]  # fmt: skip
    return tuple(out)


def followup(rng: random.Random) -> Input:
    """A follow-up file (postings, FIT sessions, ADBB screenings, mapping, price index)."""
    what, name, raw = rng.choice(_followup_seeds())
    if name.endswith(".yaml"):
        raw = damage(rng, raw)
    elif rng.random() < 0.9:
        text = raw.decode("utf-8", "replace")
        raw = (mutate.text_damage(rng, text).encode() if rng.random() < 0.6
               else mutate.bytes_damage(rng, raw))  # fmt: skip
        if rng.random() < 0.1:  # a long export
            raw = raw + b"\n".join(raw.split(b"\n")[1:3]) * rng.choice((1000, 20000))
    fn = {"postings": "call_postings", "fit": "call_fit", "adbb": "call_adbb"}.get(
        what, "call_yaml"
    )
    arg = what if fn == "call_yaml" else rng.choice(("strict", "lenient"))
    return Input("followup", (name, arg), {name: raw}, (), call=f"tests.fuzz.files:{fn}")
