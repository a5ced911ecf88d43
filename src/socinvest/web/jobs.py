"""Background jobs: long work (a pool's Monte Carlo, a report file) runs off the request.

A request submits a job and answers at once (303 to the job's page, or 202 with its JSON);
the job page polls (htmx every second, or a meta refresh without JavaScript) until the job is
done, then shows its result or offers its file. The work itself is a service call; its
Monte Carlo runs where `simulate` runs (threads on this machine, or Dask when
`SOCINVEST_SCHEDULER` names a cluster) — this pool only keeps the request from waiting.

Jobs belong to the user and organisation that started them; the job routes refuse anyone
else (404, as for another organisation's case). Finished jobs are forgotten after an hour,
and their files deleted.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError
from ..i18n import translator

State = Literal["queued", "running", "done", "failed"]
KEEP_SECONDS = 3600.0


@dataclass(frozen=True)
class JobFile:
    """A finished job's file: where it is and the name the download offers."""

    path: Path
    filename: str
    media_type: str


@dataclass
class Job:
    id: str
    kind: str  # "report" or "pool"
    owner: Any  # the user id
    org: Any  # the organisation id
    title: str
    lang: str
    state: State = "queued"
    done: int = 0
    total: int = 0
    result: Any = None  # a JobFile, or a bundle the job page renders
    error: str = ""  # the failure, worded in `lang`
    started: float = field(default_factory=time.time)
    finished: float | None = None
    workdir: Path | None = None

    def progress(self, done: int, total: int | None = None) -> None:
        """Called by the work as it goes (e.g. draws simulated so far)."""
        self.done = int(done)
        if total is not None:
            self.total = int(total)

    @property
    def percent(self) -> int | None:
        if self.state == "done":
            return 100
        return int(100 * self.done / self.total) if self.total > 0 else None


Work = Callable[[Job], Any]


class JobManager:
    """A small thread pool for the web's background work; `submit` never blocks."""

    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="socinvest-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def submit(
        self, kind: str, owner: Any, org: Any, title: str, lang: str, work: Work, total: int = 0
    ) -> Job:
        self._forget_old()
        job = Job(secrets.token_urlsafe(12), kind, owner, org, title, lang, total=total)
        job.workdir = Path(tempfile.mkdtemp(prefix="socinvest-job-"))
        with self._lock:
            self._jobs[job.id] = job
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Work) -> None:
        job.state = "running"
        try:
            job.result = work(job)
            job.state = "done"
        except InputError as e:
            job.error = e.render(job.lang)
            job.state = "failed"
        except Exception as e:  # a bug in the work: the page says so, the server lives on
            tr = translator(job.lang)
            job.error = tr(
                "intern fejl: {kind}: {message} (SOCINVEST_DEBUG=1 viser detaljer)",
                kind=type(e).__name__,
                message=str(e),
            )
            job.state = "failed"
        finally:
            job.finished = time.time()

    def get(self, job_id: str, owner: Any, org: Any) -> Job | None:
        """The job, if it exists and belongs to this user of this organisation."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.owner != owner or job.org != org:
            return None
        return job

    def _forget_old(self) -> None:
        now = time.time()
        with self._lock:
            old = [j for j in self._jobs.values() if j.finished and now - j.finished > KEEP_SECONDS]
            for j in old:
                del self._jobs[j.id]
        for j in old:
            if j.workdir is not None:
                shutil.rmtree(j.workdir, ignore_errors=True)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            jobs = list(self._jobs.values())
            self._jobs.clear()
        for j in jobs:
            if j.workdir is not None:
                shutil.rmtree(j.workdir, ignore_errors=True)
