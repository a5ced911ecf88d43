"""The web's background jobs in the store (`jobs` table), so that every process of the server
sees every job: the process that accepted a job runs it and writes its progress and its end
here; whichever process a poll lands on reads it.

A job belongs to the user and organisation that started it: `get` finds it only for them
(anyone else: None, as an unknown id). Its result is data: a file's place (relative to the
web's job directory) with its download name and media type, or the JSON and HTML fragment
the job page shows. Nothing here runs the work, words a text or touches a file; the web's job
layer (web/jobs.py) does.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select, update

from ..store import repo
from ..store.models import Job as JobRow
from ..store.models import Organisation, utcnow
from ._ws_types import Workspace

UNFINISHED = ("queued", "running")


def _utc(t: dt.datetime) -> dt.datetime:
    """SQLite gives the stored UTC time back without its zone."""
    return t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t.astimezone(dt.UTC)


@dataclass(frozen=True)
class JobInfo:
    """One job as stored: who started it, where it is, and its result when done."""

    id: str
    owner_id: int
    org: str
    kind: str
    title: str
    lang: str
    state: str
    done: int
    total: int
    error: str
    runner: str
    beat: float
    created: dt.datetime
    finished: dt.datetime | None
    file: str | None = None
    filename: str | None = None
    media_type: str | None = None
    result: dict[str, Any] | None = None
    result_html: str | None = None

    @property
    def running(self) -> bool:
        return self.state in UNFINISHED

    @property
    def percent(self) -> int | None:
        """100 when done; while running the share done, rounded down and at most 99 (the
        work may have a last step after its last report); None: no progress known yet."""
        if self.state == "done":
            return 100
        if self.total <= 0:
            return None
        return max(0, min(99, 100 * self.done // self.total))

    @property
    def seconds(self) -> float:
        """Seconds since it was started, until it finished (or until now)."""
        end = self.finished or utcnow()
        return max(0.0, (end - self.created).total_seconds())


def _info(row: JobRow, org: str) -> JobInfo:
    return JobInfo(
        id=row.id,
        owner_id=row.owner_id,
        org=org,
        kind=row.kind,
        title=row.title,
        lang=row.lang,
        state=row.state,
        done=int(row.done),
        total=int(row.total),
        error=row.error,
        runner=row.runner,
        beat=float(row.beat),
        created=_utc(row.created_at),
        finished=_utc(row.finished_at) if row.finished_at is not None else None,
        file=row.file,
        filename=row.filename,
        media_type=row.media_type,
        result=row.result,
        result_html=row.result_html,
    )


def create(
    ws: Workspace,
    job_id: str,
    owner_id: int,
    org: str,
    kind: str,
    title: str,
    lang: str,
    runner: str,
    total: int = 0,
) -> JobInfo:
    """A new job, queued, run by `runner` (the process that accepted it)."""
    with ws.store.transaction() as s:
        o = repo.org_by_slug(s, org)
        if o is None:  # the route's gate found a role in it: it exists
            raise LookupError(org)
        row = JobRow(
            id=job_id,
            owner_id=owner_id,
            org_id=o.id,
            kind=kind,
            title=title,
            lang=lang,
            state="queued",
            done=0,
            total=int(total),
            error="",
            runner=runner,
            beat=time.time(),
            created_at=utcnow(),
        )
        s.add(row)
        s.flush()
        return _info(row, org)


def get(ws: Workspace, job_id: str, owner_id: Any, org: str) -> JobInfo | None:
    """The job, if it exists and belongs to this user of this organisation."""
    if not isinstance(owner_id, int) or len(job_id) > 32:
        return None
    with ws.store.reading() as s:
        row = s.scalar(
            select(JobRow)
            .join(Organisation, Organisation.id == JobRow.org_id)
            .where(JobRow.id == job_id, JobRow.owner_id == owner_id, Organisation.slug == org)
        )
        return None if row is None else _info(row, org)


def start(ws: Workspace, job_id: str) -> None:
    """The work has begun (unless the job was ended meanwhile)."""
    _unfinished(ws, job_id, state="running", beat=time.time())


def progress(ws: Workspace, job_id: str, done: int, total: int) -> None:
    """`done` of `total` steps, written together (a reader never sees more done than total)."""
    _unfinished(ws, job_id, done=int(done), total=int(total), beat=time.time())


def finish(
    ws: Workspace,
    job_id: str,
    state: str,
    done: int,
    total: int,
    *,
    error: str = "",
    file: tuple[str, str, str] | None = None,
    result: dict[str, Any] | None = None,
    result_html: str | None = None,
) -> bool:
    """The job's end: `done` with its result (`file` = (place, download name, media type),
    or `result` and `result_html`), or `failed` with its `error` (worded in the job's
    language). Only an unfinished job ends (False: it had already ended, e.g. as failed
    when its server stopped)."""
    values: dict[str, Any] = {
        "state": state,
        "done": int(done),
        "total": int(total),
        "error": error,
        "finished_at": utcnow(),
        "beat": time.time(),
        "result": result,
        "result_html": result_html,
    }
    if file is not None:
        values.update(file=file[0], filename=file[1], media_type=file[2])
    return _unfinished(ws, job_id, **values) > 0


def fail(ws: Workspace, job_ids: Iterable[str], error: str) -> int:
    """Mark these jobs failed with `error`, those not finished yet; how many were."""
    ids = list(job_ids)
    if not ids:
        return 0
    with ws.store.transaction() as s:
        r = s.execute(
            update(JobRow)
            .where(JobRow.id.in_(ids), JobRow.state.in_(UNFINISHED))
            .values(state="failed", error=error, finished_at=utcnow())
        )
        return int(r.rowcount or 0)  # type: ignore[attr-defined]


def beat(ws: Workspace, job_ids: Iterable[str]) -> None:
    """The process running these jobs is alive."""
    ids = list(job_ids)
    if ids:
        with ws.store.transaction() as s:
            s.execute(
                update(JobRow)
                .where(JobRow.id.in_(ids), JobRow.state.in_(UNFINISHED))
                .values(beat=time.time())
            )


def forget_old(ws: Workspace, keep_seconds: float) -> list[JobInfo]:
    """Delete the jobs finished more than `keep_seconds` ago, and the unfinished ones whose
    process has not been heard of for that long; returns them (their files are the caller's)."""
    cutoff = utcnow() - dt.timedelta(seconds=keep_seconds)
    silent = time.time() - keep_seconds
    old = or_(
        JobRow.finished_at < cutoff,
        (JobRow.state.in_(UNFINISHED)) & (JobRow.beat < silent),
    )
    return _delete(ws, old)


def forget(ws: Workspace, job_ids: Iterable[str]) -> list[JobInfo]:
    """Delete these jobs; returns them (their files are the caller's)."""
    ids = list(job_ids)
    return _delete(ws, JobRow.id.in_(ids)) if ids else []


def _delete(ws: Workspace, where: Any) -> list[JobInfo]:
    with ws.store.transaction() as s:
        rows = s.execute(
            select(JobRow, Organisation.slug)
            .join(Organisation, Organisation.id == JobRow.org_id)
            .where(where)
        ).all()
        if rows:
            s.execute(delete(JobRow).where(JobRow.id.in_([r.id for r, _ in rows])))
        return [_info(r, slug) for r, slug in rows]


def _unfinished(ws: Workspace, job_id: str, **values: Any) -> int:
    with ws.store.transaction() as s:
        r = s.execute(
            update(JobRow).where(JobRow.id == job_id, JobRow.state.in_(UNFINISHED)).values(**values)
        )
        return int(r.rowcount or 0)  # type: ignore[attr-defined]
