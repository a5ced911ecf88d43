"""The harness: generate inputs, run them in worker processes, judge each against the invariant.

The invariant (issue 10 B, "Then keep it so"): every input ends within the time limit and under
the memory limit, with exit 0, 1 or 2 (3 is an internal error), no traceback on either stream,
`--json` output that is strict JSON (no NaN/Infinity), no Python warning on stderr, and no file
created, changed or deleted in the job folder (or left in the temp folder) except the declared
outputs. An input breaking it gets a failure class: a short signature (the outcome, the command,
and the exception type and innermost frame in socinvest), so thousands of failures collapse to
the few bugs behind them.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import cases, files, tables
from .model import Input

GENERATORS: dict[str, Callable[[random.Random], Input]] = {
    "case": cases.case, "table": tables.table, "xlsx": tables.xlsx, "pool": files.pool,
    "ladder": files.ladder, "episodes": files.episodes, "followup": files.followup,
    "options": cases.options,
}  # fmt: skip
WEIGHTS = {"case": 30, "table": 15, "xlsx": 10, "pool": 10, "ladder": 10, "episodes": 8,
           "followup": 10, "options": 7}  # fmt: skip
TIME_LIMIT = 10.0
MEMORY_LIMIT = 1_500 * 2**20
START_LIMIT = 120.0
MAX_FILE = 8 * 2**20  # above the readers' 5 MB caps, so the caps themselves are exercised


def inputs(seed: int, kinds: tuple[str, ...] = tuple(GENERATORS)) -> Iterator[tuple[str, Input]]:
    """An endless, reproducible stream: input number i is made from Random(f"{seed}:{i}")."""
    weights = [WEIGHTS[k] for k in kinds]
    for i in range(10**12):
        rng = random.Random(f"{seed}:{i}")
        kind = rng.choices(kinds, weights)[0]
        try:
            inp = GENERATORS[kind](rng)
        except Exception:  # a generator's own limit (openpyxl refusing a value): the next one
            continue
        if any(len(v) > MAX_FILE for v in inp.files.values()):  # repeated damage grows files
            inp = Input(
                **{**inp.__dict__, "files": {k: v[:MAX_FILE] for k, v in inp.files.items()}}
            )
        yield f"{seed}:{i}", Input(**{**inp.__dict__, "seed": f"{seed}:{i}"})


# -- judging ---------------------------------------------------------------------------------------


def _no_constant(name: str) -> float:
    raise ValueError(f"not JSON: {name}")


def strict_json(text: str) -> str:
    """'' if `text` is strict JSON, else why not."""
    try:
        json.loads(text, parse_constant=_no_constant)
    except ValueError as e:
        return str(e)[:200]
    return ""


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every path under `folder`: its type, mode, size and content hash."""
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(folder))
            st = p.lstat()
            digest = ""
            if p.is_file() and not p.is_symlink() and st.st_size < 100 * 2**20:
                digest = hashlib.sha1(p.read_bytes()).hexdigest()
            out[rel] = (st.st_mode, st.st_size, digest)
    return out


def touched(before: dict, after: dict, outputs: tuple[str, ...]) -> list[str]:
    """Paths created, changed or deleted that are not a declared output (or inside one)."""
    allowed = tuple(os.path.normpath(o) for o in outputs if o and "*" not in o)
    prefixes = tuple(o.rstrip("*") for o in outputs if o.endswith("*"))
    out = []
    for rel in sorted(set(before) | set(after)):
        if before.get(rel) == after.get(rel):
            continue
        if any(rel == a or rel.startswith(a + os.sep) for a in allowed) or (
            prefixes and rel.startswith(prefixes)
        ):
            continue
        what = "created" if rel not in before else "deleted" if rel not in after else "changed"
        if what == "changed" and stat.S_ISDIR(before[rel][0]) and stat.S_ISDIR(after[rel][0]):
            continue  # a folder's size changed with its entries: judged by the entries
        out.append(f"{what}: {rel}")
    return out


_FRAME = re.compile(r'File "[^"]*/(socinvest/[^"]+)", line (\d+), in (\S+)')


def signature(kind: str, inp: Input, outcome: str, res: dict) -> str:
    """The failure class: outcome, command, and where the exception came from."""
    cmd = (
        inp.call.split(":")[-1]
        if inp.call
        else " ".join(a for a in inp.argv[:2] if not a.endswith((".yaml", ".csv", ".txt")))
    )  # noqa: E501
    err = res.get("error", "")
    where = ""
    if err:
        frames = _FRAME.findall(err)
        etype = res.get("etype") or err.strip().splitlines()[-1].split(":")[0]
        where = f" {etype} at {frames[-1][0]}:{frames[-1][2]}" if frames else f" {etype}"
    return f"{outcome} [{kind}] {cmd}{where}"


@dataclass
class Result:
    seed: str
    kind: str
    outcome: str  # exit0, exit1, exit2, exit3, hang, crash, other
    failures: list[str]  # failure flags: the invariant's broken parts
    signature: str
    elapsed: float
    detail: str = ""


def judge(inp: Input, res: dict | None, problem: str, touches: list[str]) -> Result:
    """Turn a worker's answer into a Result."""
    if res is None:
        outcome = problem  # hang or crash
        fails = [problem]
        res = {}
    else:
        code = res["exit"]
        outcome = f"exit{code}" if code in (0, 1, 2, 3) else "other"
        fails = []
        if code == 3 and "MemoryError" in res.get("error", ""):
            fails.append("memory")
        elif code not in (0, 1, 2):
            fails.append("exit3" if code == 3 else "other-exit")
        streams = res.get("stdout", "") + res.get("stderr", "")
        if res.get("uncaught") or "Traceback (most recent call last)" in streams:
            fails.append("traceback")
        if inp.json and code in (0, 1) and (why := strict_json(res.get("stdout", ""))):
            fails.append("invalid-json")
            res["error"] = res.get("error") or why
        if res.get("warnings"):
            fails.append("warning")
            res["error"] = res.get("error") or res["warnings"][0]
    if touches:
        fails.append("touched")
    sig = signature(inp.kind, inp, "+".join(fails) or outcome, res)
    if "warning" in fails and not res.get("uncaught"):
        sig += " " + re.sub(r"\(.*", "", res.get("error", ""))[:80]
    if touches and fails == ["touched"]:
        sig += " " + re.sub(r"[^:]+$", "", touches[0]) + touches[0].rsplit("/", 1)[-1][:20]
    detail = "\n".join(touches) + "\n" + res.get("error", "") + "\n" + res.get("stderr", "")[-2000:]
    return Result(inp.seed, inp.kind, outcome, fails, sig, res.get("elapsed", 0.0), detail.strip())
