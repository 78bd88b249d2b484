"""The FastAPI application factory of ``csmguard serve``."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources

import anyio
from anyio import to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from csmguard.auth.throttle import FailureSummary
from csmguard.dates import format_time
from csmguard.services import web_accounts
from csmguard.services.audit import write_scope
from csmguard.services.catalog import CatalogView, open_catalog
from csmguard.services.web_accounts import Policy
from csmguard.web.deps import CsrfFailed, EnrolRequired, Forbidden, LoginRequired, csrf_guard, render, request_lang
from csmguard.web.i18n import translate
from csmguard.web.routes import ROUTERS
from csmguard.web.schedules import run_schedules
from csmguard.web.security import BodySizeLimit, SecurityHeaders
from csmguard.web.settings import WebSettings
from csmguard.web.state import AppState
from csmguard.web.work import Busy
from csmguard.workspace import Workspace, open_workspace


def _taipei(value: datetime | str) -> str:
    """A stored time (a datetime, or the ISO text of the audit trail) as Asia/Taipei to the minute."""
    return format_time(datetime.fromisoformat(value) if isinstance(value, str) else value)


def _templates() -> Environment:
    env = Environment(loader=PackageLoader("csmguard.web", "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["taipei"] = _taipei  # a stored UTC time as Asia/Taipei, to the minute
    return env


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _redirect(request: Request, url: str) -> Response:
    if _is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _install_handlers(app: FastAPI) -> None:
    async def login_required(request: Request, _exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "authentication required"}, status_code=401)
        return _redirect(request, "/login")

    async def enrol_required(request: Request, _exc: Exception) -> Response:
        return _redirect(request, "/account/totp")

    async def forbidden(request: Request, _exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "forbidden"}, status_code=403)
        return render(request, "error.html", status_code=403, message_key="forbidden")

    async def csrf_failed(request: Request, _exc: Exception) -> Response:
        return render(request, "error.html", status_code=403, message_key="csrf_failed")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if request.url.path.startswith(("/api/", "/static/")) or exc.status_code not in (400, 404, 405, 409, 413):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        key = {404: "not_found", 405: "bad_request"}.get(exc.status_code, "bad_request")
        return render(request, "error.html", status_code=exc.status_code, message_key=key)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.errors()}, status_code=422)
        return render(request, "error.html", status_code=422, message_key="bad_request")

    async def busy(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Busy)
        message = translate(request_lang(request), exc.key, limit=exc.limit)
        if request.url.path.startswith("/api/"):
            response: Response = JSONResponse({"detail": message}, status_code=429)
        else:
            response = render(request, "error.html", status_code=429, message=message)
        response.headers["Retry-After"] = "30"
        return response

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(Busy, busy)
    app.add_exception_handler(EnrolRequired, enrol_required)
    app.add_exception_handler(Forbidden, forbidden)
    app.add_exception_handler(CsrfFailed, csrf_failed)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)


FLUSH_SECONDS = 60.0


def _write_failed_logins(state: AppState, summaries: list[FailureSummary]) -> None:
    if summaries:
        with write_scope(state.engine) as db:
            web_accounts.record_failed_logins(db, summaries)


async def _flush_failed_logins(state: AppState) -> None:
    """Write the totals of failed log-in windows that ended, once a minute (also when nobody logs in)."""
    while True:
        await anyio.sleep(FLUSH_SECONDS)
        due = state.failures.due(datetime.now(UTC))
        await to_thread.run_sync(_write_failed_logins, state, due)


def create_app(settings: WebSettings, workspace: Workspace | None = None,
               catalog: CatalogView | None = None) -> FastAPI:
    """The web app over the workspace of ``settings`` (or the one given, already opened); ``catalog`` is
    the workspace's edition with its rules when the caller has it loaded already."""
    opened = workspace or open_workspace(settings.workspace)
    policy = Policy(lockout_threshold=settings.lockout_threshold, lockout_minutes=settings.lockout_minutes,
                    idle_minutes=settings.session_idle_minutes, absolute_hours=settings.session_absolute_hours,
                    require_totp_for_all=settings.require_totp_for_all,
                    min_password_length=settings.min_password_length, argon2_time_cost=settings.argon2_time_cost,
                    argon2_memory_kib=settings.argon2_memory_kib)
    state = AppState(
        settings=settings,
        workspace=opened,
        policy=policy,
        templates=_templates(),
        dummy_hash=policy.hash("timing-equaliser-for-unknown-users"),
        catalog=catalog or open_catalog(opened.settings.edition),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Few request threads: with anyio's default 40, under load dozens of threads fight for the GIL and
        # the event loop (which parses requests) rarely gets it; measured p95 fell from ~300 ms to ~100 ms.
        to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        # The catalog, rules and templates loaded at start-up (~170,000 objects) live as long as the app:
        # moved out of the collector's view, a full collection takes ~6 ms instead of 100-150 ms (a pause
        # every few hundred requests that every client waiting at that moment felt).
        gc.freeze()
        await to_thread.run_sync(state.jobs.start)  # resumes queued jobs, retries those a crash interrupted
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_flush_failed_logins, state)
            tasks.start_soon(run_schedules, state)
            yield
            tasks.cancel_scope.cancel()
        state.jobs.stop()
        _write_failed_logins(state, state.failures.drain())

    app = FastAPI(title="CSM Guard", version="1", docs_url=None, redoc_url=None, lifespan=lifespan,
                  dependencies=[Depends(csrf_guard)])
    app.state.ctx = state
    static_dir = resources.files("csmguard.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")
    for router in ROUTERS:
        app.include_router(router)
    _install_handlers(app)
    # Outermost first: the size guard sees the raw body, the headers wrap every response.
    app.add_middleware(BodySizeLimit, limit=settings.max_upload_bytes + 1024 * 1024)
    app.add_middleware(SecurityHeaders)
    return app


def app_from_environment() -> FastAPI:
    """The app built from ``CSMGUARD_WEB_…`` variables alone: what each process of ``csmguard serve
    --workers N`` runs (uvicorn imports it by name in every worker process)."""
    return create_app(WebSettings())
