"""Answers: one page, two faces. Every page renders its bundle as HTML (Jinja2, autoescaped)
or, when the request says `Accept: application/json` (or `?format=json`), as JSON — the
page's JSON twin, on the same route (docs/web.md).

Templates word their few own texts through the catalogue (`tr(...)` in the template, extracted
like the Python code); everything else they show was worded by the presentation layer
(`reports/`) in the request's language. They compute nothing.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..i18n import N_, translator
from ..numbers import format_number, format_percent
from .access import ADMINS, AUDITORS, EDITORS, POOL_MANAGERS, ROLES

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
JSON_TYPE = "application/json"


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # package files: no stat() of every template on every request
    )
    env.filters["cell_class"] = _cell_class
    env.filters["tojson_attr"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env


ROLE_LABELS = {
    "admin": N_("administrator"),
    "economist": N_("økonom"),
    "case_owner": N_("sagsejer"),
    "committee_reader": N_("udvalgslæser"),
    "auditor": N_("revisor"),
}


STATUS_LABELS = {
    "draft": N_("kladde"),
    "submitted": N_("indsendt"),
    "decided": N_("besluttet"),
    "rejected": N_("afvist"),
    "withdrawn": N_("trukket tilbage"),
}


JOB_STATES = {
    "queued": N_("i kø"),
    "running": N_("i gang"),
    "done": N_("færdig"),
    "failed": N_("fejlet"),
}
DIFF_SECTIONS = {
    "lines": N_("Linjer"),
    "parameters": N_("Parametre"),
    "stated": N_("Angivne tal"),
    "other": N_("Øvrige felter"),
}
CHANGE_LABELS = {"added": N_("tilføjet"), "removed": N_("fjernet"), "changed": N_("ændret")}


@dataclass(frozen=True)
class Viewer:
    """Who is looking, in the page's organisation: for the header and for which controls a
    page offers (the service still decides every request)."""

    display: str
    org: str
    roles: tuple[str, ...]

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.roles[0], "") if self.roles else ""

    @property
    def org_name(self) -> str:
        return self.org

    @property
    def can_edit(self) -> bool:
        return bool(set(self.roles) & EDITORS)

    @property
    def can_audit(self) -> bool:
        return bool(set(self.roles) & AUDITORS)

    @property
    def can_pool(self) -> bool:
        return bool(set(self.roles) & POOL_MANAGERS)

    @property
    def can_admin(self) -> bool:
        return bool(set(self.roles) & ADMINS)


def viewer(request: Request) -> Viewer | None:
    actor = getattr(request.state, "actor", None)
    if actor is None:
        return None
    org = request.path_params.get("org") or (actor.orgs[0] if actor.orgs else "")
    mine = {str(r) for r in actor.roles_in(org)}
    roles = tuple(r for r in ROLES if r in mine)  # the strongest first
    return Viewer(actor.display_name, org, roles)


def _cell_class(table: Any, i: int) -> Markup | str:
    if i in table.centered:
        return Markup(' class="mark"')
    return Markup(' class="num"') if table.numeric[i] else ""


class Row(dict[str, Any]):
    """A row of a page as a dict (its JSON twin) whose keys a template reads as attributes
    (`p.name`) directly: Jinja tries the attribute first, and for a plain dict every such read
    went through an AttributeError."""

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None


def url_each(request: Request, route: str, key: str, **params: Any) -> Callable[[Any], str]:
    """The URL of `route` for many values of its path parameter `key` (the others fixed),
    built once: a page of many rows asks the router once, not once per row."""
    mark = "socinvest-row-mark"
    head, _, tail = str(request.app.url_path_for(route, **params, **{key: mark})).rpartition(mark)
    return lambda value: head + quote(str(value), safe="") + tail


class DocHtml:
    """A report document's sections as HTML (autoescaped by the block macros), rendered on
    first use: the part above the results (front), the results at the top of a case page
    (`top`) and the rest. A stored version's document is immutable, so the page keeps this
    beside it and renders its tables once, not on every request."""

    def __init__(self, doc: Any, top: tuple[str, ...]) -> None:
        self._doc, self._top = doc, top

    def _join(self, keep: Callable[[str], bool]) -> Markup:
        blocks = ENV.get_template("_blocks.html.j2").module
        return Markup("").join(
            blocks.section(s)  # type: ignore[attr-defined]
            for s in self._doc.sections
            if keep(s.key)
        )

    @functools.cached_property
    def front(self) -> Markup:
        blocks = ENV.get_template("_blocks.html.j2").module
        return Markup("").join(
            blocks.block(b)  # type: ignore[attr-defined]
            for s in self._doc.sections
            if s.key == "front"
            for b in s.blocks
        )

    @functools.cached_property
    def top(self) -> Markup:
        return self._join(lambda k: k in self._top and k != "front")

    @functools.cached_property
    def rest(self) -> Markup:
        return self._join(lambda k: k not in self._top)


def wants_json(request: Request) -> bool:
    """The JSON twin is asked for: `?format=json`, or an Accept header that prefers JSON."""
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    if not accept:
        return False
    first = accept.split(",")[0].split(";")[0].strip().lower()
    return first == JSON_TYPE or (JSON_TYPE in accept and "text/html" not in accept)


def jsonable(obj: Any) -> Any:
    """Plain JSON data: NaN and infinities as null, tuples as lists, dates as ISO text."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if isinstance(obj, float):
        return obj + 0.0 if math.isfinite(obj) else None
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if getattr(obj, "ndim", None) == 0 and hasattr(obj, "item"):
        return jsonable(obj.item())
    return obj


def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    data: dict[str, Any] | Callable[[], dict[str, Any]],
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """HTML from `template` with `context`, or `data` as JSON for the page's JSON twin
    (`data` may be a function: built only when the JSON twin is asked for)."""
    if wants_json(request):
        payload = data() if callable(data) else data
        return JSONResponse(jsonable(payload), status_code=status, headers=headers)
    return html(request, template, context, status, headers)


def html(
    request: Request,
    template: str,
    context: dict[str, Any],
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    lang = getattr(request.state, "lang", "da")
    tr = translator(lang)
    base = {
        "request": request,
        "lang": lang,
        "tr": tr,
        "user": viewer(request),
        "csrf": getattr(getattr(request.state, "session", None), "csrf", ""),
        "num": lambda v, d=0: "" if v is None else format_number(v, d, lang),
        "pct": lambda v, d=0: "" if v is None else format_percent(v, d, lang),
        "status_labels": STATUS_LABELS,
        "change_labels": CHANGE_LABELS,
        "diff_sections": DIFF_SECTIONS,
        "job_states": JOB_STATES,
        "url": lambda route, /, **params: str(request.app.url_path_for(route, **params)),
        "htmx": request.headers.get("hx-request") == "true",
    }
    text = ENV.get_template(template).render({**base, **context})
    return HTMLResponse(text, status_code=status, headers=headers)


ENV = _env()
