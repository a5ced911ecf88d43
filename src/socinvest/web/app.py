"""The app factory: `create_app(settings)` → a FastAPI app over one workspace.

Routes come from one table (`access.ROUTES`: path, method, roles) and one handler per name
(`views/`); each gets the table's gate (login, role in the organisation, CSRF). A middleware
reads the signed session cookie and the language (`?lang=en` sets a cookie; default Danish).
Errors answer in the request's face and language: a located InputError is 422 with the same
message the CLI prints, a refused access 403 (or 404 when the service hides the object), an
anonymous request 401 (JSON) or 303 to /login (HTML), a stale save 409 (views/case.py).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError
from ..i18n import LANGS, translator
from ..services.workspace import AccessDenied, NotFound, Workspace, open_workspace
from .access import ROUTES, RouteSpec
from .deps import HANDLERS, CsrfRefused, LoginRequired, gate
from .jobs import JobManager
from .render import STATIC, html, wants_json
from .security import COOKIE, LoginLimiter, Session, SessionCodec
from .settings import Settings

LANG_COOKIE = "socinvest_lang"

_PAGE = {
    "content": {"text/html": {}, "application/json": {"schema": {"type": "object"}}},
    "description": "HTML, or the JSON twin with Accept: application/json",
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not logged in (HTML: 303 to /login)"},
    403: {"description": "The role may not do this, or the CSRF token is missing"},
    404: {"description": "No such object in this organisation (or not visible to the user)"},
    422: {"description": "Unusable input: the located message the CLI gives"},
}


def _responses(spec: RouteSpec) -> dict[int | str, dict[str, Any]]:
    out: dict[int | str, dict[str, Any]] = {200: _PAGE}
    if spec.kind == "file":
        out[200] = {"content": {"application/octet-stream": {}}, "description": "The file"}
        if spec.name == "attachment_file":  # the original's own media type, as uploaded
            out[200] = {"content": {"*/*": {}}, "description": "The original file"}
    if spec.kind == "action":
        out[303] = {"description": "Done: see the page named in Location"}
        out[202] = {"description": "A job started (JSON: its URL)"}
        out[201] = {"description": "Created: an upload, a new user (JSON)"}
        out[409] = {"description": "A save based on an old version: both versions"}
    if spec.name == "login":
        out[429] = {"description": "Too many failed logins for this user from this address"}
        out[401] = {"description": "Wrong user name or password"}
    public = {422, 403} if spec.changes_state else {422}  # a public POST checks CSRF too
    return {**out, **{k: v for k, v in _ERRORS.items() if not spec.public or k in public}}


def _load_views() -> None:
    from .views import attachments as _attachments  # noqa: F401
    from .views import audit, auth, case, edit, followup, jobs, pool, portfolio, upload, versions  # noqa: F401
    from .views import users as _users  # noqa: F401


def create_app(settings: Settings | None = None, workspace: Workspace | None = None) -> FastAPI:
    """The web app over `workspace` (default: opened from `settings.database_url`)."""
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.jobs.shutdown()

    app = FastAPI(
        title="socinvest",
        summary="The municipality's workspace for social investment business cases",
        description="Every page answers HTML, or its JSON twin with `Accept: application/json` "
        "(or `?format=json`); docs/web.md.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served by the route table's "openapi" (login required)
    )
    app.state.settings = settings
    app.state.ws = workspace or open_workspace(settings.database_url)
    app.state.codec = SessionCodec(settings.secret_key, settings.session_max_age)
    app.state.limiter = LoginLimiter(app.state.ws, settings.login_limit, settings.login_window)
    app.state.jobs = JobManager(
        app.state.ws, settings.job_workers, settings.job_dir, shared=settings.workers > 1
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _load_views()
    missing = {r.name for r in ROUTES} ^ set(HANDLERS)
    if missing:
        raise RuntimeError(f"routes and handlers differ: {sorted(missing)}")
    for spec in ROUTES:
        app.add_api_route(
            spec.path,
            HANDLERS[spec.name],
            methods=[spec.method],
            name=spec.name,
            summary=spec.summary,
            dependencies=[Depends(gate(spec))],
            responses=_responses(spec),
            response_class=HTMLResponse if spec.kind != "file" else Response,
            openapi_extra={"x-roles": sorted(spec.roles) if spec.roles else "public"},
        )
    _middleware(app)
    _errors(app)
    return app


def create_app_from_env() -> FastAPI:
    """The app as `socinvest serve` starts it in each worker process (uvicorn's factory):
    every setting from the environment the serve command set (web/settings.py)."""
    app = create_app(Settings.from_env())
    app.state.heap = Heap()
    return app


class Heap:
    """Keeps the garbage collector's full collections short in a server process.

    A full collection walks every object the process holds: the modules, the compiled
    templates, the kept bundles and page parts. Under load that was a pause of 100–120 ms
    every few seconds in each worker (measured with gc.callbacks during bench/web.py), and
    the requests that came in meanwhile waited for it. What exists once the app is made, and
    again once the first FREEZE_AFTER requests have loaded what they load lazily, lives as
    long as the process: it is frozen (gc.freeze) and never walked again. Full collections
    then take 15–25 ms."""

    FREEZE_AFTER = 50

    def __init__(self) -> None:
        self.requests = 0
        self._freeze()

    def served(self) -> None:
        self.requests += 1
        if self.requests == self.FREEZE_AFTER:
            self._freeze()

    @staticmethod
    def _freeze() -> None:
        gc.collect()
        gc.freeze()


def _middleware(app: FastAPI) -> None:
    @app.middleware("http")
    async def session_and_language(request: Request, call_next: Any) -> Response:
        codec: SessionCodec = request.app.state.codec
        session = codec.loads(request.cookies.get(COOKIE))
        fresh = session is None
        request.state.session = session or Session.new()
        asked = request.query_params.get("lang")
        cookie_lang = request.cookies.get(LANG_COOKIE)
        lang = asked if asked in LANGS else cookie_lang if cookie_lang in LANGS else "da"
        request.state.lang = lang
        heap: Heap | None = getattr(request.app.state, "heap", None)
        if heap is not None:
            heap.served()
        response: Response = await call_next(request)
        new = getattr(request.state, "new_session", None)
        secure = request.app.state.settings.secure_cookies
        if new is not None or fresh:
            value = codec.dumps(new if new is not None else request.state.session)
            response.set_cookie(
                COOKIE, value, max_age=codec.max_age, httponly=True, samesite="lax", secure=secure
            )
        if asked in LANGS and asked != cookie_lang:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def _fail(request: Request, status: int, message: str, code: str) -> Response:
    tr = translator(getattr(request.state, "lang", "da"))
    if wants_json(request):
        return JSONResponse({"error": code, "message": message}, status_code=status)
    heading = {
        401: tr("Log ind for at fortsætte"),
        403: tr("Ingen adgang"),
        404: tr("Ikke fundet"),
        405: tr("Ikke tilladt"),
        422: tr("Ugyldige data"),
        429: tr("For mange forsøg"),
    }.get(status, tr("Fejl"))
    back = request.headers.get("referer") or "/"
    return html(
        request, "error.html.j2", {"heading": heading, "message": message, "back": back}, status
    )


def _errors(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if wants_json(request):
            tr = translator(request.state.lang)
            return JSONResponse(
                {"error": "login_required", "message": tr("Log ind for at fortsætte")},
                status_code=401,
                headers={"WWW-Authenticate": 'Cookie realm="socinvest"'},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, exc: CsrfRefused) -> Response:
        tr = translator(request.state.lang)
        text = tr("Formularen er udløbet eller ugyldig (CSRF); genindlæs siden og prøv igen.")
        return _fail(request, 403, text, "csrf")

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        tr = translator(request.state.lang)
        text = tr("fejl: {message}", message=exc.render(request.state.lang))
        return _fail(request, 422, text, "input")

    @app.exception_handler(AccessDenied)
    async def access_denied(request: Request, exc: AccessDenied) -> Response:
        status = 404 if exc.hidden else 403
        return _fail(
            request,
            status,
            exc.render(request.state.lang),
            "not_found" if exc.hidden else "forbidden",
        )

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _fail(request, 404, exc.render(request.state.lang), "not_found")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        tr = translator(request.state.lang)
        text = {
            403: tr("Din rolle giver ikke adgang til denne side eller handling."),
            404: tr("Siden eller sagen findes ikke (eller du kan ikke se den)."),
            405: tr("Metoden er ikke tilladt her."),
        }.get(exc.status_code, str(exc.detail or ""))
        if isinstance(exc.detail, str) and exc.status_code not in (403, 404, 405):
            text = exc.detail
        response = _fail(request, exc.status_code, text, f"http_{exc.status_code}")
        for k, v in (exc.headers or {}).items():
            response.headers[k] = v
        return response

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        """A bug: a page in the user's language, never a traceback (the log has it)."""
        tr = translator(getattr(request.state, "lang", "da"))
        text = tr(
            "intern fejl: {kind}: {message} (SOCINVEST_DEBUG=1 viser detaljer)",
            kind=type(exc).__name__,
            message=str(exc),
        )
        return _fail(request, 500, text, "internal")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        tr = translator(request.state.lang)
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()))
            parts.append(tr("{field}: ugyldig eller mangler", field=where))
        text = tr("fejl: {message}", message="; ".join(parts))
        return _fail(request, 422, text, "input")
