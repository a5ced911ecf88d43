"""Background jobs: long work (a pool's Monte Carlo, a report file) runs off the request.

A request submits a job and answers at once (303 to the job's page, or 202 with its JSON);
the job page polls (htmx every second, or a meta refresh without JavaScript) until the job is
done, then shows its result or offers its file. The work itself is a service call; its
Monte Carlo runs where `simulate` runs (threads on this machine, or Dask when
`SOCINVEST_SCHEDULER` names a cluster) — this pool only keeps the request from waiting.

Several processes may serve one workspace (`socinvest serve --workers N`), and a poll lands
on any of them, so a job lives in the database (`services.jobs`, the `jobs` table), not in
this process's memory: the process that accepted the job runs it on its thread pool and
writes its progress (at most every PROGRESS_INTERVAL seconds) and its end there. A file is
written to the job directory every process reads (`job_root`: named after the database,
under the system's temporary directory, 0700); a result the job page shows is stored as data
in the job's language (its JSON twin and its HTML fragment), never as a Python object.

A job whose process died (a crash, a restart, a killed worker) does not hang for ever: the
running process renews each of its jobs' `beat` every HEARTBEAT seconds, and a reader
declares a job failed when its process is gone from this machine or it has not been heard of
for STALE_SECONDS. A process that stops ends its unfinished jobs as failed.

Jobs belong to the user and organisation that started them; the job routes refuse anyone
else (404, as for another organisation's case). Finished jobs are forgotten after an hour,
with their files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import socket
import stat
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..i18n import Msg, translator
from ..services import jobs as jobs_service
from ..services.jobs import JobInfo
from ..services.workspace import Workspace
from .render import jsonable

KEEP_SECONDS = 3600.0  # a finished job (and its file) is kept this long
PROGRESS_INTERVAL = 0.3  # progress is written at most this often (seconds)
HEARTBEAT = 15.0  # the running process renews its unfinished jobs this often
STALE_SECONDS = 90.0  # an unfinished job not heard of for this long: its process is gone
CLEAN_EVERY = 300.0  # old jobs are looked for at least this often while pages are read
HOST = socket.gethostname()
_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


@dataclass(frozen=True)
class JobFile:
    """A finished job's file: where it is and the name the download offers."""

    path: Path
    filename: str
    media_type: str


@dataclass(frozen=True)
class JobResult:
    """A finished job's result the job page shows: `data` for its JSON twin and `html` (a
    fragment rendered by the work, autoescaped) for the page, both in the job's language."""

    data: dict[str, Any]
    html: str = ""


@dataclass(eq=False)
class Job:
    """A job in the process that runs it: the work reads its language and directory and
    reports its progress through it (the services' `progress(done, total)` callbacks are
    `progress`). Readers see the job as stored (`JobInfo`), from any process."""

    id: str
    kind: str
    lang: str
    workdir: Path
    total: int = 0
    done: int = 0
    state: str = "queued"
    manager: JobManager | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _written: float = field(default=0.0, repr=False)

    def progress(self, done: int, total: int | None = None) -> None:
        """`done` of `total` steps (e.g. draws simulated so far of all draws); written to the
        database at most every PROGRESS_INTERVAL seconds, done and total together (a reader
        never sees more done than total). Safe to call from several threads."""
        with self._lock:
            if total is not None:
                self.total = int(total)
            self.done = int(done)
            now = time.monotonic()
            if self.manager is None or now - self._written < PROGRESS_INTERVAL:
                return
            self._written = now
            self.manager._write_progress(self)


Work = Callable[[Job], Any]


def job_root(database_url: str, configured: str | None = None) -> Path:
    """The directory of job files that every process serving `database_url` shares:
    `configured` (SOCINVEST_JOB_DIR), else `socinvest-jobs-<uid>-<hash of the URL>` in the
    system's temporary directory (made by `make_root` when the first job needs it)."""
    if configured:
        return Path(configured)
    digest = hashlib.sha256(database_url.encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"socinvest-jobs-{os.getuid()}-{digest}"


def make_root(path: Path, strict: bool = True) -> None:
    """Make the job directory `path` (0700). `strict` (the default directory, in the shared
    temporary directory): refused when it is not this user's own, readable by no one else
    (another user could have made it first, to read or replace the files)."""
    if not strict:  # configured (SOCINVEST_JOB_DIR): as the deployment made it
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700)
    st = os.lstat(path)
    if (
        not stat.S_ISDIR(st.st_mode)
        or st.st_uid != os.getuid()
        or st.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    ):
        raise InputError(
            Msg(
                "jobmappen {path} er ikke en mappe, som kun denne bruger kan læse; "
                "slet den, eller vælg en anden med SOCINVEST_JOB_DIR",
                path=str(path),
            )
        )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, say: it exists
        return True
    return True


class JobManager:
    """A small thread pool for the web's background work; `submit` never blocks. The jobs
    themselves are in the database (any process reads them); this process runs the ones it
    accepted. `shared`: other processes serve the same database (`serve --workers` > 1), so
    the jobs outlive this process; otherwise it forgets its jobs when it stops."""

    def __init__(
        self,
        ws: Workspace,
        workers: int = 2,
        job_dir: str | None = None,
        shared: bool = False,
    ) -> None:
        self.ws = ws
        self.root = job_root(ws.url, job_dir)
        self._strict = not job_dir  # the default directory, in the temporary directory
        self.shared = shared
        self.runner = f"{HOST}:{os.getpid()}"
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="socinvest-job")
        self._mine: dict[str, Job] = {}  # unfinished jobs this process runs
        self._accepted: set[str] = set()  # every job this process accepted
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._beater: threading.Thread | None = None
        self._root_made = False
        self._cleaned = 0.0  # when old jobs were last looked for (monotonic)

    # -- submitting and running ------------------------------------------------------------

    def submit(
        self, kind: str, owner: Any, org: Any, title: str, lang: str, work: Work, total: int = 0
    ) -> Job:
        if not self._root_made:
            make_root(self.root, self._strict)
            self._root_made = True
        self._forget_old()
        job_id = secrets.token_urlsafe(12)
        workdir = self.root / job_id
        workdir.mkdir(mode=0o700)
        try:
            jobs_service.create(self.ws, job_id, owner, org, kind, title, lang, self.runner, total)
        except BaseException:
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        job = Job(job_id, kind, lang, workdir, total=int(total), manager=self)
        with self._lock:
            self._mine[job_id] = job
            self._accepted.add(job_id)
        self._beat_on()
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Work) -> None:
        job.state = "running"
        try:
            jobs_service.start(self.ws, job.id)
            job._written = time.monotonic()
            try:
                end = self._result(job, work(job))
                state, error = "done", ""
            except InputError as e:
                end, state, error = {}, "failed", e.render(job.lang)
            except Exception as e:  # a bug in the work: the page says so, the server lives on
                end, state, error = {}, "failed", _internal(job.lang, e)
            with job._lock:  # no progress written after the end
                done, total = job.done, job.total
                job.manager = None
            try:
                jobs_service.finish(self.ws, job.id, state, done, total, error=error, **end)
            except Exception as e:  # e.g. a result the database refuses: the job failed
                jobs_service.finish(
                    self.ws, job.id, "failed", done, total, error=_internal(job.lang, e)
                )
            job.state = state
        except Exception:  # the database itself is gone (the server stops): nothing to tell
            job.state = "failed"
        finally:
            with self._lock:
                self._mine.pop(job.id, None)

    def _result(self, job: Job, out: Any) -> dict[str, Any]:
        """The stored form of the work's result (see JobFile, JobResult)."""
        if isinstance(out, JobFile):
            place = Path(out.path).resolve().relative_to(self.root.resolve())
            return {"file": (place.as_posix(), out.filename, out.media_type)}
        if isinstance(out, JobResult):
            return {"result": jsonable(out.data), "result_html": str(out.html) or None}
        return {"result": jsonable(dict(out or {}))}

    def _write_progress(self, job: Job) -> None:
        # progress is a courtesy: a failed write is left out, the end is written all the same
        with contextlib.suppress(Exception):
            jobs_service.progress(self.ws, job.id, job.done, job.total)

    # -- reading -------------------------------------------------------------------------

    def get(self, job_id: str, owner: Any, org: Any) -> JobInfo | None:
        """The job, if it exists and belongs to this user of this organisation; an unfinished
        one whose process is gone is failed first (with the reason in its language)."""
        if time.monotonic() - self._cleaned > CLEAN_EVERY:
            self._forget_old()
        info = jobs_service.get(self.ws, job_id, owner, str(org))
        if info is None or not info.running or not self._gone(info):
            return info
        tr = translator(info.lang)
        jobs_service.fail(
            self.ws,
            [info.id],
            tr(
                "Jobbet blev afbrudt: serverprocessen, der kørte det, stoppede undervejs "
                "(fx ved en genstart). Start det igen."
            ),
        )
        return jobs_service.get(self.ws, job_id, owner, str(org))

    def _gone(self, info: JobInfo) -> bool:
        with self._lock:
            if info.id in self._mine:
                return False
        host, _, pid = info.runner.rpartition(":")
        if host == HOST and pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            return True
        return time.time() - info.beat > STALE_SECONDS

    def file(self, info: JobInfo) -> Path | None:
        """The finished job's file, when it is still there (inside the job directory)."""
        if info.state != "done" or not info.file:
            return None
        root = self.root.resolve()
        path = (root / info.file).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        return path

    # -- housekeeping --------------------------------------------------------------------

    def _beat_on(self) -> None:
        with self._lock:
            if self._beater is not None or self._stop.is_set():
                return
            self._beater = threading.Thread(
                target=self._beating, name="socinvest-job-beat", daemon=True
            )
            self._beater.start()

    def _beating(self) -> None:
        while not self._stop.wait(HEARTBEAT):
            with self._lock:
                ids = list(self._mine)
            # the database busy or away: the next beat tries again
            with contextlib.suppress(Exception):
                jobs_service.beat(self.ws, ids)

    def _remove(self, infos: list[JobInfo]) -> None:
        for info in infos:
            if _ID.fullmatch(info.id):
                shutil.rmtree(self.root / info.id, ignore_errors=True)

    def _forget_old(self) -> None:
        """Forget the jobs finished over an hour ago, with their files (on every submit, and
        every CLEAN_EVERY seconds when a job page is read)."""
        self._cleaned = time.monotonic()
        self._remove(jobs_service.forget_old(self.ws, KEEP_SECONDS))

    def shutdown(self) -> None:
        """Stop: the queue is dropped, the unfinished jobs end as failed ("the server
        stopped"); without other processes (not `shared`) this process's jobs are forgotten
        with their files."""
        self._stop.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            mine = list(self._mine.values())
            accepted = list(self._accepted)
            self._accepted.clear()
        try:
            for lang in sorted({j.lang for j in mine}):
                tr = translator(lang)
                text = tr("Serveren stoppede, før jobbet var færdigt. Start det igen.")
                jobs_service.fail(self.ws, [j.id for j in mine if j.lang == lang], text)
            if not self.shared:
                self._remove(jobs_service.forget(self.ws, accepted))
                if self._strict:  # the default directory, and empty: gone
                    with contextlib.suppress(OSError):
                        self.root.rmdir()
        except Exception:  # the database is already gone: the jobs go stale and are cleaned
            pass


def _internal(lang: str, e: Exception) -> str:
    tr = translator(lang)
    return tr(
        "intern fejl: {kind}: {message} (SOCINVEST_DEBUG=1 viser detaljer)",
        kind=type(e).__name__,
        message=str(e),
    )
