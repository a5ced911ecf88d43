"""The pool page: its ledger (balance per year, grants and repayments), the applications and
the rule findings (reports/pool's document of the service's status bundle). Its Monte Carlo
(risk of the pool's balance) and the selection of applications (with each one's reason) run
in the background as jobs; the job page shows their documents."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Form, Request
from fastapi.responses import Response

from ...i18n import translator
from ...reports.pool.data import bundle_json
from ...reports.pool.document import pool_document
from ...reports.registry import document_json
from ...services import workspace as wsv
from ...uncertainty.defaults import DEFAULT_DRAWS, DEFAULT_SEED, MAX_SEED
from ..deps import Ctx, handles
from ..jobs import Job, JobResult
from ..render import DocHtml, page
from .common import data, done

MAX_WEB_DRAWS = 100_000  # a web request may not start an arbitrarily long job


@handles("pool")
def pool(request: Request, org: str, path: str) -> Response:
    ctx = Ctx.of(request)
    view = wsv.get(ctx.ws, ctx.actor, org, path)
    bundle = wsv.pool_bundle(ctx.ws, ctx.actor, org, path, "status")
    doc = pool_document(bundle, ctx.lang)
    context = {"org": org, "view": view, "doc": doc, "draws": DEFAULT_DRAWS, "seed": DEFAULT_SEED}
    payload = lambda: {  # noqa: E731 - built only for the JSON twin
        "document": data(view.document),
        "version": data(view.info),
        "pool": bundle_json(bundle, ctx.lang),
        "report": document_json(doc),
    }
    return page(request, "pool.html.j2", context, payload)


@handles("start_pool_job")
def start_pool_job(
    request: Request,
    org: str,
    path: str,
    kind: Annotated[Literal["project", "select"], Form()] = "project",
    draws: Annotated[int, Form(ge=0, le=MAX_WEB_DRAWS)] = DEFAULT_DRAWS,
    seed: Annotated[int, Form(ge=0, le=MAX_SEED)] = DEFAULT_SEED,
) -> Response:
    """The pool's projection over its cases' simulations, or the selection of applications."""
    ctx = Ctx.of(request)
    view = wsv.get(ctx.ws, ctx.actor, org, path)  # refused here, not in the job

    def work(job: Job) -> JobResult:  # stored as data: the JSON twin and the page's sections
        bundle = wsv.pool_bundle(ctx.ws, ctx.actor, org, path, kind, draws, seed, job.progress)
        doc = pool_document(bundle, job.lang)
        twin = {"pool": bundle_json(bundle, job.lang), "report": document_json(doc)}
        return JobResult(twin, DocHtml(doc, ()).rest)

    tr = translator(ctx.lang)
    what = tr("Puljens risiko") if kind == "project" else tr("Udvælgelse af ansøgninger")
    title = tr("{what}: {path} ({n} trækninger)", what=what, path=view.document.path, n=draws)
    job = request.app.state.jobs.submit("pool", ctx.actor.user_id, org, title, ctx.lang, work)
    url = str(request.app.url_path_for("job", org=org, job_id=job.id))
    return done(request, url, {"job": job.id, "url": url, "state": job.state}, 202)
