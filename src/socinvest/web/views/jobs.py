"""A background job's page: its progress while it runs (htmx polls it every second; without
JavaScript the page refreshes itself), then its result — a file to download, a pool's
projection or selection, or a case's P(payback)."""

from __future__ import annotations

import time

from fastapi import HTTPException, Request
from fastapi.responses import FileResponse, Response

from ...reports.pool.data import bundle_json
from ...reports.pool.document import pool_document
from ...reports.registry import document_json
from ..deps import Ctx, handles
from ..jobs import Job, JobFile
from ..render import page


def _job(request: Request, org: str, job_id: str) -> Job:
    ctx = Ctx.of(request)
    job = request.app.state.jobs.get(job_id, ctx.actor.user_id, org)
    if job is None:
        raise HTTPException(404)
    return job


@handles("job")
def job(request: Request, org: str, job_id: str) -> Response:
    j = _job(request, org, job_id)
    doc = None
    result: dict[str, object] | None = None
    if j.state == "done" and isinstance(j.result, JobFile):
        result = {"file": str(request.app.url_path_for("job_file", org=org, job_id=j.id))}
    elif j.state == "done" and j.kind == "pool":
        doc = pool_document(j.result, j.lang)
        result = {"pool": bundle_json(j.result, j.lang), "report": document_json(doc)}
    elif j.state == "done":
        result = dict(j.result or {})
    payload = {
        "id": j.id,
        "kind": j.kind,
        "title": j.title,
        "state": j.state,
        "done": j.done,
        "total": j.total,
        "percent": j.percent,
        "seconds": round((j.finished or time.time()) - j.started, 1),
        "error": j.error or None,
        "result": result,
    }
    context = {"org": org, "j": j, "doc": doc, "result": result, "seconds": payload["seconds"]}
    return page(request, "job.html.j2", context, payload)


@handles("job_file")
def job_file(request: Request, org: str, job_id: str) -> Response:
    j = _job(request, org, job_id)
    if j.state != "done" or not isinstance(j.result, JobFile):
        raise HTTPException(404)
    f = j.result
    return FileResponse(f.path, media_type=f.media_type, filename=f.filename)
