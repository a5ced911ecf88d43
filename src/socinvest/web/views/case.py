"""The case page: Table 1 as in the template, key figures and findings (from the case's
document, reports/document), the editing panel (parameters, lines, the file's text), the
case's status, its follow-ups and its report downloads (background jobs)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Annotated, Any, Literal

from fastapi import Form, Request
from fastapi.responses import Response

from ...reports.check import findings_block, to_json
from ...reports.document import ReportDocument, build_document
from ...reports.registry import FORMATS, document_json, render_file
from ...services import workspace as wsv
from ...services.case import CaseBundle
from ..deps import Ctx, handles
from ..edits import flow
from ..jobs import Job, JobFile
from ..render import DocHtml, Row, html, page, url_each, wants_json
from .attachments import attachment_json
from .common import data, done

TOP = ("front", "table1", "figures")  # shown at the top; the other sections below
MEDIA = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
}
Format = Literal["pdf", "docx", "xlsx", "html", "md", "json"]


def _years(value: Any) -> Any:
    """Year keys as numbers again (the stored JSON has them as text: '2017' → 2017)."""
    if isinstance(value, dict):
        return {
            int(k) if isinstance(k, str) and k.isdigit() else k: _years(v) for k, v in value.items()
        }
    return value


def _rows(data_: dict[str, Any] | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The parameters and lines of the case file as the editing panel shows them: each value
    in the file's own syntax (one line of YAML), nothing computed."""
    d = data_ or {}
    params = []
    for name, p in (d.get("parameters") or {}).items():
        p = p if isinstance(p, dict) else {"value": p}
        unc = p.get("uncertainty")
        params.append(
            {
                "name": name,
                "value": flow(_years(p.get("value"))),
                "uncertainty": "" if unc is None else flow(unc),
                "unit": p.get("unit", ""),
                "source": p.get("source", ""),
            }
        )
    lines = []
    for ln in d.get("lines") or []:
        if not isinstance(ln, dict):
            continue
        lines.append(
            {
                "id": ln.get("id", ""),
                "label": ln.get("label", ""),
                "kind": ln.get("kind", ""),
                "area": ln.get("area", "service"),
                "amounts": "" if ln.get("amounts") is None else flow(_years(ln["amounts"])),
                "driver": "" if ln.get("driver") is None else flow(ln["driver"]),
            }
        )
    return params, lines


@dataclass(frozen=True)
class Shown:
    """What the case page shows of one bundle in one language: its report document, the
    document's sections as HTML (rendered on first use) and the findings block."""

    doc: ReportDocument
    html: DocHtml
    findings: Any


class _Kept:
    """The page parts made most recently, by key (the least recently used go first when
    there are more than KEEP), shared by the request threads."""

    def __init__(self) -> None:
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any, make: Callable[[], Any], owner: Any = None) -> Any:
        """The value kept under `key` (made with `make` when there is none, or when it was
        made for another `owner`: an id is reused once its object is gone)."""
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] is owner:
                self._items.move_to_end(key)
                return hit[1]
        value = make()
        with self._lock:
            self._items[key] = (owner, value)
            while len(self._items) > KEEP:
                self._items.popitem(last=False)
        return value


KEEP = 128  # bundles (and versions' editing rows) whose page parts are kept
_SHOWN = _Kept()
_ROWS = _Kept()


def shown(bundle: CaseBundle, lang: str) -> Shown:
    """The page parts of a bundle, built once per bundle and language: a stored version's
    bundle is computed once by the workspace (immutable), so its document never changes."""
    return _SHOWN.get((id(bundle), lang), lambda: _shown(bundle, lang), owner=bundle)


def _shown(bundle: CaseBundle, lang: str, first_page: bool = False) -> Shown:
    doc = build_document(bundle, lang, first_page=first_page)
    findings = findings_block(bundle.check, lang) if bundle.check is not None else None
    return Shown(doc, DocHtml(doc, TOP), findings)


def rows_of(view: wsv.VersionView) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The editing panel's rows of a stored version (by its content's hash: immutable)."""
    return _ROWS.get(view.info.sha256, lambda: _rows(view.data))


def case_page(
    request: Request,
    ctx: Ctx,
    view: wsv.VersionView,
    bundle: CaseBundle,
    *,
    text: str | None = None,
    parsed: dict[str, Any] | None = None,
    preview: bool = False,
    error: str = "",
    status: int = 200,
    related: tuple[Sequence[Any], Sequence[Any]] | None = None,
) -> Response:
    """The case page of `view` (or of an unsaved edit `text`, its data `parsed`, with its
    preview `bundle`).
    An htmx preview (the page's inputs post on change) is answered with the part it
    replaces, #case-live, alone."""
    part = preview and request.headers.get("hx-request") == "true" and not wants_json(request)
    parts = _shown(bundle, ctx.lang, first_page=part) if preview else shown(bundle, ctx.lang)
    doc, findings = parts.doc, parts.findings
    shown_text = text if text is not None else (view.text or "")
    params, lines = _rows(parsed) if parsed is not None else rows_of(view)
    where = {"org": ctx.org, "path": view.document.path}
    to_param = url_each(request, "edit_parameter", "name", **where)
    to_line = url_each(request, "edit_line", "line_id", **where)
    params = [Row(p, action=to_param(p["name"])) for p in params]
    lines = [Row(ln, action=to_line(ln["id"])) for ln in lines]
    followups: Sequence[Any]
    attachments: Sequence[Any]
    if part:  # the part an edit recomputes shows neither
        followups, attachments = (), ()
    elif related is not None:  # (follow-ups, attachments), read with the version
        followups, attachments = related
    else:
        read = wsv.case_page(ctx.ws, ctx.actor, ctx.org, view.document.path, view.info.number)
        followups, attachments = read.followups, read.attachments
    context = {
        "org": ctx.org,
        "view": view,
        "doc": doc,
        "doc_html": parts.html,
        "findings": findings,
        "params": params,
        "lines": lines,
        "text": shown_text,
        "preview": preview,
        "error": error,
        "followups": followups,
        "attachments": attachments,
        "formats": sorted((f.lstrip(".") for f in FORMATS), key=lambda f: f != "pdf"),
        "statuses": [s.value for s in wsv.CaseStatus],
        "top": TOP,
    }

    def payload() -> dict[str, Any]:
        return {
            "document": data(view.document),
            "version": data(view.info),
            "summary": data(view.summary),
            "preview": preview,
            "error": error or None,
            "check": to_json(bundle.check, ctx.lang) if bundle.check is not None else None,
            "report": document_json(doc),
            "parameters": params,
            "lines": lines,
            "followups": [f.path for f in followups],
            "attachments": [attachment_json(request, ctx.org, a) for a in attachments],
        }

    if part:
        return html(request, "_case_live.html.j2", context, status)
    return page(request, "case.html.j2", context, payload, status)


@handles("case")
def case(request: Request, org: str, path: str, version: int | None = None) -> Response:
    ctx = Ctx.of(request)
    read = wsv.case_page(ctx.ws, ctx.actor, org, path, version)
    return case_page(
        request, ctx, read.view, read.bundle, related=(read.followups, read.attachments)
    )


@handles("set_status")
def set_status(
    request: Request,
    org: str,
    path: str,
    status: Annotated[wsv.CaseStatus, Form()],
    message: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    ctx = Ctx.of(request)
    info = wsv.set_status(ctx.ws, ctx.actor, org, path, status, message)
    url = str(request.app.url_path_for("case", org=org, path=path))
    return done(request, url, {"document": data(info)})


def _stem(path: str) -> str:
    name = PurePosixPath(path).stem
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name) or "case"


@handles("start_case_job")
def start_case_job(
    request: Request,
    org: str,
    path: str,
    kind: Annotated[Literal["report", "simulate"], Form()] = "report",
    format: Annotated[Format, Form()] = "pdf",
    version: Annotated[int | None, Form()] = None,
) -> Response:
    """A report file or the case's P(payback), computed in the background."""
    ctx = Ctx.of(request)
    view = wsv.get(ctx.ws, ctx.actor, org, path, version)  # refused here, not in the job
    number = view.info.number
    title = view.summary.title if view.summary else path

    def report(job: Job) -> JobFile:
        job.progress(0, 3)  # steps: the bundle (with its Monte Carlo), the document, the file
        bundle = wsv.case_bundle(ctx.ws, ctx.actor, org, path, number, simulate=True)
        job.progress(1)
        doc = build_document(bundle, job.lang)
        job.progress(2)
        suffix = f".{format}"
        assert job.workdir is not None
        out = render_file(doc, job.workdir / f"{_stem(path)}-v{number}{suffix}")
        job.progress(3)
        return JobFile(out, out.name, MEDIA[suffix])

    def simulate(job: Job) -> dict[str, Any]:
        p = wsv.simulate_payback(ctx.ws, ctx.actor, org, path, number, progress=job.progress)
        return {"p_payback": p, "case": path, "version": number}

    work = report if kind == "report" else simulate
    job = request.app.state.jobs.submit(
        kind,
        ctx.actor.user_id,
        org,
        f"{title} ({format if kind == 'report' else kind})",
        ctx.lang,
        work,
    )
    url = str(request.app.url_path_for("job", org=org, job_id=job.id))
    return done(request, url, {"job": job.id, "url": url, "state": job.state}, 202)
