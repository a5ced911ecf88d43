"""A background job's page: its progress while it runs (htmx polls it every second; without
JavaScript the page refreshes itself), then its result — a file to download, a pool's
projection or selection, or a case's P(payback). The job is read from the database (web/jobs.py,
services/jobs.py), so any process of the server answers it, whichever one runs the work."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import FileResponse, Response
from markupsafe import Markup

from ...services.jobs import JobInfo
from ..deps import Ctx, handles
from ..render import page


def _job(request: Request, org: str, job_id: str) -> JobInfo:
    ctx = Ctx.of(request)
    job = request.app.state.jobs.get(job_id, ctx.actor.user_id, org)
    if job is None:
        raise HTTPException(404)
    return job


@handles("job")
def job(request: Request, org: str, job_id: str) -> Response:
    j = _job(request, org, job_id)
    fragment = None
    result: dict[str, object] | None = None
    if j.state == "done" and j.file:
        result = {"file": str(request.app.url_path_for("job_file", org=org, job_id=j.id))}
    elif j.state == "done":
        result = dict(j.result or {})
        # rendered by the work from the report document, autoescaped (views/pool.py)
        fragment = Markup(j.result_html) if j.result_html else None
    seconds = round(j.seconds, 1)
    payload = {
        "id": j.id,
        "kind": j.kind,
        "title": j.title,
        "state": j.state,
        "done": j.done,
        "total": j.total,
        "percent": j.percent,
        "seconds": seconds,
        "error": j.error or None,
        "result": result,
    }
    context = {"org": org, "j": j, "fragment": fragment, "result": result, "seconds": seconds}
    return page(request, "job.html.j2", context, payload)


@handles("job_file")
def job_file(request: Request, org: str, job_id: str) -> Response:
    j = _job(request, org, job_id)
    path = request.app.state.jobs.file(j)
    if path is None:
        raise HTTPException(404)
    return FileResponse(path, media_type=j.media_type, filename=j.filename)
