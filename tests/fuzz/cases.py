"""Case files and command options.

Seeds are the valid examples, the fixtures (bad, hostile, hostile output) and valid cases drawn
by Hypothesis from tests/strategies.py. Each input damages a seed at one level (parsed data, text
lines, bytes, YAML aliases, expressions) and runs one of the commands that read a case.
"""

from __future__ import annotations

import functools
import random
from pathlib import Path

import yaml

from . import mutate
from .model import EXAMPLES, FIXTURES, Input, report_outputs

CASE_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("check", "case.yaml"),
    ("check", "--json", "case.yaml"),
    ("show", "case.yaml"),
    ("show", "--json", "case.yaml"),
    ("report", "case.yaml", "-o", "out.md", "--draws", "50"),
    ("report", "case.yaml", "-o", "out.html", "--draws", "50"),
    ("simulate", "case.yaml", "--draws", "50", "--json"),
    ("sensitivity", "case.yaml", "--json"),
)
LADDER_DIR = EXAMPLES / "ladder"
TWO_STEP = FIXTURES / "ladder"


def _with_refs(p: Path) -> dict[str, bytes]:
    """The case as case.yaml, and the ladder files a `driver: {ladder: …}` refers to."""
    files = {"case.yaml": p.read_bytes()}
    text = p.read_text(encoding="utf-8", errors="replace")
    if "ladder/scenario.yaml" in text:
        files |= {f"ladder/{q.name}": q.read_bytes() for q in LADDER_DIR.glob("*.yaml")}
    elif "ladder:" in text and p.parent == TWO_STEP:
        files |= {q.name: q.read_bytes() for q in TWO_STEP.glob("*.yaml") if q != p}
    return files


@functools.cache
def file_seeds(valid: bool) -> tuple[dict[str, bytes], ...]:
    """The valid case files (examples, fixtures that load), or the bad and hostile ones."""
    if valid:
        paths = [*EXAMPLES.glob("*.yaml"), *(FIXTURES / "hostile-output").glob("*.yaml")]
        paths += [FIXTURES / "xlsx" / "every-feature.yaml", *TWO_STEP.glob("ladder_case*.yaml")]
        paths += [*(FIXTURES / "pool").glob("case_*.yaml")]
    else:
        paths = [*(FIXTURES / "bad" / "cases").glob("*.yaml")]
        paths += [p for p in (FIXTURES / "hostile").glob("*.yaml")
                  if not p.name.startswith(("pool_", "ladder_", "scenario_"))]  # fmt: skip
    return tuple(_with_refs(p) for p in sorted(paths))


@functools.cache
def hypothesis_seeds(n: int = 40, seed: int = 1) -> tuple[bytes, ...]:
    """`n` valid cases drawn by tests/strategies.py, deterministically (a fixed Hypothesis seed,
    no database), as YAML."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    from tests.strategies import cases, to_yaml

    out: list[bytes] = []

    @hseed(seed)
    @settings(max_examples=n, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(cases())
    def collect(case: dict) -> None:
        out.append(to_yaml(case).encode())

    collect()
    return tuple(out)


EXPRESSIONS = (
    lambda r: "1+" * r.choice((100, 999, 3000)) + "1",
    lambda r: "-" * r.choice((50, 1500)) + "1",
    lambda r: "9" * r.choice((30, 401)),
    lambda r: "(" * r.choice((99, 101, 500)) + "1" + ")" * 500,
    lambda r: "2 ** 2 ** 2 ** 2 ** 2 ** 2",
    lambda r: "10 ** 400",
    lambda r: "1e308 * 10",
    lambda r: "1 / 0",
    lambda r: "0 ** -1",
    lambda r: "max()",
    lambda r: "abs(1, 2)",
    lambda r: "year ** year",
    lambda r: "__import__('os')",
    lambda r: "t.real",
    lambda r: "[1][0]",
    lambda r: "lambda: 1",
    lambda r: r.choice(mutate.TEXTS),
)


def _expression(rng: random.Random, data: object) -> object:
    """Put a hostile expression into a line's driver."""
    if isinstance(data, dict) and isinstance(data.get("lines"), list) and data["lines"]:
        ln = rng.choice(data["lines"])
        if isinstance(ln, dict):
            ln.pop("amounts", None)
            ln["driver"] = {"expr": rng.choice(EXPRESSIONS)(rng)}
    return data


def _horizon(rng: random.Random, data: object) -> object:
    if isinstance(data, dict):
        a = rng.choice((1, 1000, 2017, 2025, 9999, -5))
        data["horizon"] = rng.choice(
            (f"{a}-{a + rng.choice((0, 1, 99, 100, 5000))}", a, [a, a + 3])
        )
    return data


def damage(rng: random.Random, raw: bytes) -> bytes:
    """One of the damages, applied to a case (or any YAML) file."""
    r = rng.random()
    if r < 0.08:
        return raw
    if r < 0.6:
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict):
            if r < 0.3:
                data = mutate.numbers_damage(rng, data)
            elif r < 0.37:
                data = _expression(rng, data)
            elif r < 0.41:
                data = _horizon(rng, data)
            else:
                data = mutate.data_damage(rng, data)
            return mutate.dump(rng, data).encode()
    if r < 0.78:
        return mutate.text_damage(rng, raw.decode("utf-8", "replace")).encode()
    if r < 0.92:
        return mutate.bytes_damage(rng, raw)
    return mutate.alias_bomb(rng, raw.decode("utf-8", "replace")).encode()


def case(rng: random.Random) -> Input:
    """A damaged case file, run by one of the case commands (in Danish or English)."""
    r = rng.random()
    if r < 0.4:
        files = {"case.yaml": rng.choice(hypothesis_seeds())}
    else:
        files = dict(rng.choice(file_seeds(valid=r < 0.75)))
    files["case.yaml"] = damage(rng, files["case.yaml"])
    argv = rng.choice(CASE_COMMANDS)
    if rng.random() < 0.3:
        argv = (*argv, "--lang", "en")
    outputs = report_outputs(argv[argv.index("-o") + 1]) if "-o" in argv else ()
    return Input("case", argv, files, outputs, json="--json" in argv)


# -- options --------------------------------------------------------------------------------------

OPTION_VALUES = {
    "--draws": ("0", "1", "2", "-1", "50", "1e20", "10000001", "abc", "", "99999999999999999999"),
    "--seed": ("0", "-1", "4294967295", "4294967296", "1.5", "x", "18446744073709551616"),
    "--target": ("0", "1", "3", "-2", "1000", "1e9", "nan"),
    "--lang": ("da", "en", "de", "", "EN", "da\x00"),
    "--scheduler": (
        "threads",
        "dask",
        "processes",
        "tcp://a:b",
        "tcp://127.0.0.1:1",
        "",
        "x" * 300,
    ),
    "--chunk-size": ("0", "1", "7", "-3", "1000000000"),
}
OUTPUT_NAMES = ("r.md", "r.html", "r.docx", "r.xlsx", "r.pdf", "r.txt", "r", ".md", "case.yaml",
                "sub/r.md", "nope/deeper/r.html", "x" * 300 + ".md", "dir", "dir/", "r.MD",
                "r.md.yaml", "-", "r;rm -rf.md", "æø å.html")  # fmt: skip
SAFE_CASES = ("tidlig-indsats-0-2.yaml", "fit-familiebehandling.yaml",
              "taettere-paa-familier-handicap.yaml")  # fmt: skip


def options(rng: random.Random) -> Input:
    """A valid example case with random option values and output paths (issue 10 B 4, 11, 12)."""
    files = {"case.yaml": (EXAMPLES / rng.choice(SAFE_CASES)).read_bytes(), "dir/keep.txt": b"x"}
    cmd = rng.choice(("simulate", "report", "sensitivity", "check", "show", "run"))
    argv: list[str] = [cmd, "case.yaml"] if cmd != "run" else [cmd, "."]
    allowed = {"simulate": ("--draws", "--seed", "--target", "--lang", "--scheduler", "--chunk-size"),
               "report": ("--draws", "--seed", "--lang"), "run": ("--draws", "--seed", "--lang"),
               "sensitivity": ("--target", "--lang"), "check": ("--lang",), "show": ("--lang",)}  # fmt: skip
    for opt in rng.sample(allowed[cmd], k=rng.randrange(1, len(allowed[cmd]) + 1)):
        argv += [opt, rng.choice(OPTION_VALUES[opt])]
    if cmd == "simulate" and "--draws" not in argv:
        argv += ["--draws", "20"]
    if cmd in ("report", "run") and "--draws" not in argv:
        argv += ["--draws", "20"]
    outputs: tuple[str, ...] = ()
    if cmd in ("report", "simulate", "run"):
        name = rng.choice(OUTPUT_NAMES)
        flag = {"report": "-o", "simulate": "--html", "run": "--reports"}[cmd]
        argv += [flag, name]
        outputs = report_outputs(name.rstrip("/")) if name != "case.yaml" else ()
        if cmd == "run" and "/" in name.rstrip("/"):  # `run` makes its reports folder, parents too
            outputs = (name.split("/")[0],)
        if rng.random() < 0.3 and not name.startswith(("dir", "case.yaml", "-", "xxx")):
            files[name.rstrip("/") or "x"] = b"existing"
            if rng.random() < 0.5:
                argv.append("--force")
    fifos: tuple[str, ...] = ()
    if rng.random() < 0.1:  # not a regular file (issue 10 B 11)
        special = rng.choice(("dir", "missing.yaml", "/dev/null", "/dev/zero", "fifo.yaml", ""))
        argv[1] = special
        fifos = ("fifo.yaml",) if special == "fifo.yaml" else ()
    json_out = cmd in ("simulate", "sensitivity", "check", "show") and rng.random() < 0.5
    if json_out:
        argv.append("--json")
    slow = cmd == "run" or (bool(outputs) and outputs[0].endswith((".pdf", ".docx")))
    return Input("options", tuple(argv), files, outputs, json=json_out, fifos=fifos, slow=slow)
