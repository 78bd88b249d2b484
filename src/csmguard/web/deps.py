"""Request dependencies: the logged-in principal, permission checks, CSRF, language and rendering."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from anyio import to_thread
from fastapi import Path, Request
from fastapi.responses import HTMLResponse, Response

from csmguard.auth.roles import Permission, Role, allows
from csmguard.auth.secrets import new_token, same
from csmguard.domain import Lang, parse_lang
from csmguard.services import audit, web_accounts
from csmguard.services.web_queries import data_version
from csmguard.store.db import session_scope
from csmguard.web.i18n import translator
from csmguard.web.nav import NAV_LINKS
from csmguard.web.state import app_state

SESSION_COOKIE = "csmguard_session"
CSRF_COOKIE = "csmguard_csrf"
LANG_COOKIE = "csmguard_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


@dataclass(frozen=True)
class Principal:
    """The logged-in user of a request."""

    user_id: int
    username: str
    display_name: str
    role: Role
    stage: str
    csrf: str

    def can(self, permission: Permission) -> bool:
        """Whether the user's role has ``permission``."""
        return allows(self.role, permission)


class LoginRequired(Exception):
    """No live session: the browser goes to the log-in page."""


class EnrolRequired(Exception):
    """Password accepted but TOTP enrolment is still due."""


class Forbidden(Exception):
    """The role lacks the permission."""


class CsrfFailed(Exception):
    """An unsafe request without a matching CSRF token."""


def current_principal(request: Request, with_version: bool = False) -> Principal | None:
    """The principal of the request's session cookie (cached on the request), or None; ``with_version``
    also reads the data version (see ``render_cached``) in the same database session, saving a round
    trip."""
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    principal: Principal | None = None
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        state = app_state(request)
        with session_scope(state.engine) as db:
            loaded = web_accounts.load_session(db, token, state.policy)
            if loaded is not None:
                row, user = loaded
                principal = Principal(user.id, user.username, user.display_name, Role(user.role), row.stage,
                                      row.csrf_token)
                if with_version:
                    request.state.data_version = data_version(db)
            due = web_accounts.session_upkeep_due(db, token, state.policy)
        if due:
            with audit.write_scope(state.engine) as db:
                web_accounts.session_upkeep(db, token, state.policy)
    request.state.principal = principal
    return principal


class Require:
    """A dependency that admits only a fully logged-in user whose role has ``permission``."""

    def __init__(self, permission: Permission, with_version: bool = False) -> None:
        self.permission = permission
        self.with_version = with_version

    def __call__(self, request: Request) -> Principal:
        principal = current_principal(request, self.with_version)
        if principal is None:
            raise LoginRequired
        if principal.stage != web_accounts.STAGE_FULL:
            raise EnrolRequired
        if not principal.can(self.permission):
            raise Forbidden
        return principal


def enrolling_principal(request: Request) -> Principal:
    """The logged-in user at any stage (for the TOTP enrolment page)."""
    principal = current_principal(request)
    if principal is None:
        raise LoginRequired
    return principal


def anonymous_csrf(request: Request) -> str:
    """The double-submit CSRF token of a visitor without a session (set as a cookie when rendered)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = new_token()
        request.state.new_csrf = token
    return str(token)


def csrf_token(request: Request) -> str:
    """The CSRF token that forms on this page must carry."""
    principal = current_principal(request)
    return principal.csrf if principal is not None else anonymous_csrf(request)


async def csrf_guard(request: Request) -> None:
    """App-wide dependency: every unsafe request must echo the CSRF token, in a form field or the
    ``X-CSRF-Token`` header (HTMX). The JSON API under /api/ takes bearer tokens only, never cookies.
    Multipart bodies (uploads) are refused before they are read unless a session is logged in."""
    if request.method in SAFE_METHODS or request.url.path.startswith("/api/"):
        return
    # the session check reads (and now and then writes) the database: in a thread, never on the event loop
    principal = await to_thread.run_sync(current_principal, request)
    expected = principal.csrf if principal is not None else request.cookies.get(CSRF_COOKIE)
    provided = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if principal is None and content_type.startswith("multipart/form-data"):
        raise CsrfFailed  # no page without a session takes files: never spool an anonymous upload to disk
    if provided is None and content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        provided = value if isinstance(value, str) else None
    if not expected or not provided or not same(expected, provided):
        raise CsrfFailed


def request_lang(request: Request) -> Lang:
    """The language chosen with the switch (a cookie), else the app's default."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen:
        try:
            return parse_lang(chosen)
        except ValueError:
            pass
    return app_state(request).settings.lang


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None = None,
               http_only: bool = True) -> None:
    """A cookie with the app's attributes: Secure (setting), HttpOnly, SameSite=Strict, path /."""
    response.set_cookie(name, value, max_age=max_age, path="/", secure=app_state(request).settings.secure_cookies,
                        httponly=http_only, samesite="strict")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with the language, translator, principal and CSRF token every template uses."""
    state = app_state(request)
    lang = request_lang(request)
    principal = current_principal(request)
    token = csrf_token(request)
    html = state.templates.get_template(template).render(
        request=request, lang=lang.value, t=translator(lang), principal=principal, csrf=token,
        Permission=Permission, path=request.url.path, nav_links=NAV_LINKS,
        password_min=state.settings.min_password_length, **context)
    response = HTMLResponse(html, status_code=status_code)
    new_csrf = getattr(request.state, "new_csrf", None)
    if principal is None and new_csrf:
        set_cookie(response, request, CSRF_COOKIE, new_csrf)
    return response


def render_cached(request: Request, template: str, context: Callable[[], dict[str, Any]]) -> HTMLResponse:
    """Render a read-only page of a logged-in user, or serve it from the app's page cache when nothing it
    shows can have changed: the key holds the data version (one query, see ``data_version``), the path,
    the language, the user, role, session stage and CSRF token, and today's date. ``context`` builds the
    template's variables on a miss."""
    state = app_state(request)
    principal = current_principal(request)
    if principal is None:  # the routes that use this require a principal; render normally otherwise
        return render(request, template, **context())
    version = getattr(request.state, "data_version", None)
    if version is None:  # read with the session check when the route's dependency asked for it
        with session_scope(state.engine) as db:
            version = data_version(db)
    key = (template, request.url.path, request.url.query, request_lang(request).value, principal, date.today(),
           version)
    html = state.pages.get(key)
    if html is None:
        response = render(request, template, **context())
        state.pages.put(key, bytes(response.body).decode("utf-8"))
        return response
    return HTMLResponse(html)
