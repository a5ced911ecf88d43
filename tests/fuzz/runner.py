"""Run a stream of inputs on worker processes (at most 2 by default: the machine is shared).

Each job gets a fresh folder with its files; the folder is snapshot before and after, and the
worker's own temp folder must be empty afterwards. A worker that passes the time limit is
killed (by its process id) and replaced; the input counts as a hang.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .harness import MEMORY_LIMIT, START_LIMIT, TIME_LIMIT, Result, judge, snapshot, touched
from .model import ROOT, Input


class Worker:
    """One `python -m tests.fuzz.worker` process and its private temp folder."""

    def __init__(self, base: Path, memory: int) -> None:
        self.base, self.memory = base, memory
        self.proc: subprocess.Popen | None = None
        self.tmp = Path(tempfile.mkdtemp(prefix="tmp-", dir=base))
        self.buf = b""

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if k != "SOCINVEST_DEBUG"}
        env |= {"TMPDIR": str(self.tmp), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2", "PYTHONHASHSEED": "0",
                "MPLCONFIGDIR": str(self.base / "mpl"), "PYTHONPATH": str(ROOT)}  # fmt: skip
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.fuzz.worker", str(self.memory)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        self.buf = b""
        if self._line(START_LIMIT) is None:
            raise RuntimeError("the fuzz worker did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, 9)  # the worker's own session: it and its children
            self.proc.wait()
        self.proc = None

    def _line(self, timeout: float) -> bytes | None:
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def run(self, inp: Input, folder: Path, timeout: float) -> tuple[dict | None, str]:
        """The worker's answer, or (None, 'hang' | 'crash')."""
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        assert self.proc is not None and self.proc.stdin is not None
        job = Input(**{**inp.__dict__, "files": {}}).to_json()  # the files are on disk already
        self.proc.stdin.write(json.dumps({"dir": str(folder), "input": job}).encode() + b"\n")
        self.proc.stdin.flush()
        line = self._line(timeout)
        if line is None:
            problem = "hang" if self.proc.poll() is None else "crash"
            self.stop()
            return None, problem
        return json.loads(line), ""

    def leftovers(self) -> list[str]:
        found = [f"left in TMPDIR: {p.name}" for p in self.tmp.iterdir()]
        for p in self.tmp.iterdir():
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
        return found


def prepare(inp: Input, folder: Path) -> None:
    folder.mkdir(parents=True)
    for rel, data in inp.files.items():
        p = folder / rel
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        except OSError:  # a name the file system refuses (too long): the input goes without it
            continue
    for name in inp.fifos:
        os.mkfifo(folder / name)


def run_one(worker: Worker, inp: Input, folder: Path, timeout: float) -> Result:
    prepare(inp, folder)
    before = snapshot(folder)
    res, problem = worker.run(inp, folder, timeout * (3 if inp.slow else 1))
    after = snapshot(folder)
    touches = touched(before, after, inp.outputs) if res is not None else []
    left = worker.leftovers()  # after a kill too, so they are not blamed on the next input
    touches += left if res is not None else []
    return judge(inp, res, problem, touches)


@dataclass
class Report:
    """Counts per kind and outcome, and the failure classes with their first input."""

    kinds: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    by_kind: dict[str, Counter] = field(default_factory=dict)
    flags: Counter = field(default_factory=Counter)
    classes: dict[str, list[tuple[Result, Input]]] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.kinds.values())

    def add(self, r: Result, inp: Input, keep: int = 3) -> None:
        self.kinds[r.kind] += 1
        self.outcomes[r.outcome] += 1
        self.by_kind.setdefault(r.kind, Counter())[r.outcome] += 1
        self.flags.update(r.failures)
        if r.failures:
            same = self.classes.setdefault(r.signature, [])
            if len(same) < keep:
                same.append((r, inp))
            else:
                same.append((r, Input(inp.kind, ())))  # counted, not kept

    def text(self) -> str:
        out = [f"{self.total} inputs in {self.elapsed:.0f} s"]
        outcomes = ("exit0", "exit1", "exit2", "exit3", "hang", "crash", "other")
        out.append(f"{'kind':10}" + "".join(f"{o:>7}" for o in outcomes) + f"{'total':>7}")
        for k in sorted(self.kinds):
            c = self.by_kind[k]
            out.append(f"{k:10}" + "".join(f"{c[o]:>7}" for o in outcomes) + f"{self.kinds[k]:>7}")
        out.append(
            "invariant broken: "
            + (", ".join(f"{k} {v}" for k, v in self.flags.most_common()) or "never")
        )  # noqa: E501
        for sig, hits in sorted(self.classes.items(), key=lambda x: -len(x[1])):
            out.append(f"  {len(hits):5} × {sig}   (first: {hits[0][0].seed})")
        return "\n".join(out)


def run(
    stream: Iterator[tuple[str, Input]],
    *,
    count: int | None = None,
    seconds: float | None = None,
    workers: int = 2,
    timeout: float = TIME_LIMIT,
    memory: int = MEMORY_LIMIT,
    on_result=None,
) -> Report:
    """Run inputs from `stream` until `count` are done or `seconds` have passed."""
    report = Report()
    lock = threading.Lock()
    t0 = time.monotonic()
    base = Path(tempfile.mkdtemp(prefix="socinvest-fuzz-"))
    started = [0]

    errors: list[BaseException] = []

    def loop(w: Worker) -> None:
        try:
            w.start()
            work(w)
        except BaseException as e:  # re-raised below, in the caller's thread
            errors.append(e)

    def work(w: Worker) -> None:
        while True:
            with lock:
                if (count is not None and started[0] >= count) or (
                    seconds is not None and time.monotonic() - t0 >= seconds
                ):
                    return
                started[0] += 1
                n = started[0]
                _, inp = next(stream)
            folder = base / f"job{n}"
            try:
                r = run_one(w, inp, folder, timeout)
            except Exception as e:  # the harness's own trouble with one input: say so, go on
                print(f"fuzz harness: input {inp.seed} skipped: {e!r}"[:300], file=sys.stderr)
                continue
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            with lock:
                report.add(r, inp)
                if on_result is not None:
                    on_result(r, inp)

    pool = [Worker(base, memory) for _ in range(workers)]
    try:
        threads = [threading.Thread(target=loop, args=(w,)) for w in pool]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for w in pool:
            w.stop()
        shutil.rmtree(base, ignore_errors=True)
    report.elapsed = time.monotonic() - t0
    if errors:
        raise errors[0]
    return report
