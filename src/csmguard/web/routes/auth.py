"""First-administrator set-up, log-in with TOTP, log-out, TOTP enrolment, password change, language switch."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from csmguard.auth import totp
from csmguard.auth.roles import Permission, Role
from csmguard.auth.throttle import UNKNOWN_ACCOUNT
from csmguard.domain import parse_lang
from csmguard.services import web_accounts
from csmguard.services.audit import write_scope
from csmguard.services.web_accounts import AccountError, LoginResult
from csmguard.store.db import session_scope
from csmguard.web.deps import (
    CSRF_COOKIE,
    LANG_COOKIE,
    SESSION_COOKIE,
    Principal,
    Require,
    current_principal,
    enrolling_principal,
    render,
    request_lang,
    set_cookie,
)
from csmguard.web.i18n import translate
from csmguard.web.state import app_state

router = APIRouter()
PUBLIC_PATHS = frozenset({"/setup", "/login", "/logout", "/lang/{code}", "/healthz"})


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    """Liveness probe: answered on the event loop itself, needing no thread (so busy threads cannot hide a
    live server, and a stalled event loop shows)."""
    return {"status": "ok"}


@router.get("/lang/{code}", include_in_schema=False)
def switch_language(request: Request, code: str, next: str = "/") -> Response:
    """Remember the chosen language and go back to the page (only a local path)."""
    parts = urlsplit(next)
    target = next if not parts.scheme and not parts.netloc and next.startswith("/") and not next.startswith("//") \
        else "/"
    response = _see_other(target)
    try:
        lang = parse_lang(code)
    except ValueError:
        return response
    set_cookie(response, request, LANG_COOKIE, lang.value, max_age=365 * 24 * 3600)
    return response


@router.get("/setup")
def setup_form(request: Request) -> Response:
    """The first-administrator form, only while no account exists."""
    with session_scope(app_state(request).engine) as db:
        if web_accounts.user_count(db):
            return _see_other("/login")
    return render(request, "setup.html")


@router.post("/setup")
def setup(request: Request, username: Annotated[str, Form()], password: Annotated[str, Form()],
          password_confirm: Annotated[str, Form()], display_name: Annotated[str, Form()] = "") -> Response:
    """Create the first administrator and go on to mandatory TOTP enrolment."""
    state = app_state(request)
    lang = request_lang(request)
    if password != password_confirm:
        return render(request, "setup.html", 400, error=translate(lang, "passwords_differ"), username=username,
                      display_name=display_name)
    try:
        with write_scope(state.engine) as db:
            if web_accounts.user_count(db):
                return _see_other("/login")
            user = web_accounts.create_user(db, username.strip(), username, display_name, Role.ADMINISTRATOR,
                                            password, state.policy)
            token = web_accounts.open_session(db, user, web_accounts.STAGE_ENROL)
    except AccountError as error:
        return render(request, "setup.html", 400, username=username,
                      error=translate(lang, error.key, min_length=state.settings.min_password_length),
                      display_name=display_name)
    response = _see_other("/account/totp")
    set_cookie(response, request, SESSION_COOKIE, token)
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/login")
def login_form(request: Request) -> Response:
    """The log-in page (or the set-up page while no account exists)."""
    with session_scope(app_state(request).engine) as db:
        if not web_accounts.user_count(db):
            return _see_other("/setup")
    if current_principal(request) is not None:
        return _see_other("/")
    return render(request, "login.html")


def _client(request: Request) -> str:
    """The client's address (uvicorn takes it from X-Forwarded-For only from ``--forwarded-allow-ips``)."""
    return request.client.host if request.client is not None else "unknown"


@router.post("/login")
def login(request: Request, username: Annotated[str, Form(max_length=200)],
          password: Annotated[str, Form(max_length=1024)], code: Annotated[str, Form(max_length=16)] = "") -> Response:
    """Check password and TOTP; open a session (a fresh ID) or say why not. Wrong, unknown and locked
    accounts get the same answer; too many failures from a client or on a name get 429 with a growing wait."""
    state = app_state(request)
    lang = request_lang(request)
    client = _client(request)
    now = datetime.now(UTC)
    wait = state.throttle.retry_after(client, username, now)
    if wait > 0:
        seconds = math.ceil(wait)
        throttled = render(request, "login.html", 429, error=translate(lang, "login_throttled", seconds=seconds))
        throttled.headers["Retry-After"] = str(seconds)
        return throttled
    with write_scope(state.engine) as db:
        attempt = web_accounts.authenticate(db, username, password, code, state.policy, state.dummy_hash, now)
        token = None
        if attempt.user is not None:
            stage = web_accounts.STAGE_ENROL if attempt.result is LoginResult.ENROL else web_accounts.STAGE_FULL
            token = web_accounts.open_session(db, attempt.user, stage)
        else:
            state.throttle.failed(client, username, now)
            web_accounts.record_failed_logins(db, state.failures.failed(attempt.account or UNKNOWN_ACCOUNT, client,
                                                                        now))
    if token is None:
        return render(request, "login.html", 401,
                      error=translate(lang, "bad_credentials", minutes=state.settings.lockout_minutes))
    state.throttle.succeeded(username)
    response = _see_other("/account/totp" if attempt.result is LoginResult.ENROL else "/")
    set_cookie(response, request, SESSION_COOKIE, token)
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session."""
    principal = current_principal(request)
    token = request.cookies.get(SESSION_COOKIE)
    if principal is not None and token:
        with write_scope(app_state(request).engine) as db:
            web_accounts.close_session(db, token, principal.username)
    response = _see_other("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _totp_page(request: Request, principal: Principal, status: int = 200, error: str | None = None) -> Response:
    state = app_state(request)
    with write_scope(state.engine) as db:
        user = web_accounts.get_user(db, principal.user_id)
        if user.totp_enabled:
            return _see_other("/account")
        secret = web_accounts.begin_totp_enrolment(db, user)
        required = web_accounts.totp_required(user, state.policy)
    uri = totp.provisioning_uri(secret, principal.username)
    return render(request, "totp.html", status, secret=secret, uri=uri, qr_svg=totp.qr_svg(uri), required=required,
                  error=error)


@router.get("/account/totp")
def totp_form(request: Request, principal: Annotated[Principal, Depends(enrolling_principal)]) -> Response:
    """The enrolment page: QR code (inline SVG), key and URI."""
    return _totp_page(request, principal)


@router.post("/account/totp")
def totp_confirm(request: Request, principal: Annotated[Principal, Depends(enrolling_principal)],
                 code: Annotated[str, Form()]) -> Response:
    """Turn TOTP on when the code matches; an enrolment session becomes a full one."""
    state = app_state(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    try:
        with write_scope(state.engine) as db:
            user = web_accounts.get_user(db, principal.user_id)
            web_accounts.confirm_totp_enrolment(db, user, code)
            loaded = web_accounts.load_session(db, token, state.policy)
            if loaded is not None:
                web_accounts.promote_session(db, loaded[0])
    except AccountError as error:
        return _totp_page(request, principal, 400, translate(request_lang(request), error.key))
    return _see_other("/")


@router.get("/account")
def account(request: Request, principal: Annotated[Principal, Depends(Require(Permission.VIEW))]) -> Response:
    """The user's own account: TOTP state and password change."""
    with session_scope(app_state(request).engine) as db:
        enabled = web_accounts.get_user(db, principal.user_id).totp_enabled
    return render(request, "account.html", totp_enabled=enabled)


@router.post("/account/password")
def change_password(request: Request, principal: Annotated[Principal, Depends(Require(Permission.VIEW))],
                    current: Annotated[str, Form(max_length=1024)], new: Annotated[str, Form(max_length=1024)],
                    confirm: Annotated[str, Form(max_length=1024)]) -> Response:
    """Change one's own password: the user's other sessions end. Wrong current passwords count toward
    lock-out; a lock-out ends every session, this one too."""
    state = app_state(request)
    lang = request_lang(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    with write_scope(state.engine) as db:
        user = web_accounts.get_user(db, principal.user_id)
        error_key = "passwords_differ" if new != confirm else \
            web_accounts.change_password(db, user, current, new, state.policy, keep_session=token)
        locked = user.locked_until is not None and web_accounts.utc(user.locked_until) > datetime.now(UTC)
        enabled = user.totp_enabled
    if locked:
        response = render(request, "login.html", 401, error=translate(lang, "password_locked"))
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
    if error_key:
        return render(request, "account.html", 400, totp_enabled=enabled,
                      error=translate(lang, error_key, min_length=state.settings.min_password_length))
    return render(request, "account.html", totp_enabled=enabled, flash=translate(lang, "password_changed"))
