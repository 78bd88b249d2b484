"""Administration: users and roles (administrators), API tokens (engineers and administrators)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from csmguard.auth.roles import Permission, Role, TokenScope
from csmguard.services import web_accounts
from csmguard.services.audit import write_scope
from csmguard.services.web_accounts import AccountError
from csmguard.store.db import session_scope
from csmguard.web.deps import Principal, Require, RowId, render, request_lang
from csmguard.web.i18n import translate
from csmguard.web.state import app_state

router = APIRouter()
Admin = Annotated[Principal, Depends(Require(Permission.MANAGE_USERS))]
USER_OPERATIONS = frozenset({"role", "deactivate", "activate", "unlock", "reset_totp"})
TokenOwner = Annotated[Principal, Depends(Require(Permission.OWN_TOKENS))]


def _users_page(request: Request, status: int = 200, **context: object) -> Response:
    with session_scope(app_state(request).engine) as db:
        users = web_accounts.list_users(db)
    return render(request, "users.html", status, users=users, roles=list(Role), **context)


@router.get("/admin/users")
def users(request: Request, _principal: Admin) -> Response:
    """The accounts with their roles and states."""
    return _users_page(request)


@router.post("/admin/users")
def create_user(request: Request, principal: Admin, username: Annotated[str, Form()],
                password: Annotated[str, Form()], role: Annotated[Role, Form()],
                display_name: Annotated[str, Form()] = "") -> Response:
    """Create an account with an initial password."""
    state = app_state(request)
    lang = request_lang(request)
    try:
        with write_scope(state.engine) as db:
            web_accounts.create_user(db, principal.username, username, display_name, role, password, state.policy)
    except AccountError as error:
        return _users_page(request, 400, error=translate(lang, error.key,
                                                         min_length=app_state(request).settings.min_password_length))
    return _users_page(request, flash=translate(lang, "user_created"))


@router.post("/admin/users/{user_id}")
def update_user(request: Request, principal: Admin, user_id: RowId, operation: Annotated[str, Form()],
                role: Annotated[Role | None, Form()] = None) -> Response:
    """Change a role, (de)activate, unlock, or reset TOTP."""
    state = app_state(request)
    lang = request_lang(request)
    if user_id == principal.user_id and operation in {"deactivate", "role"}:
        return _users_page(request, 400, error=translate(lang, "cannot_change_self"))
    if operation not in USER_OPERATIONS or (operation == "role" and role is None):
        return _users_page(request, 400, error=translate(lang, "bad_request"))
    try:
        with write_scope(state.engine) as db:
            web_accounts.update_user(db, principal.username, web_accounts.get_user(db, user_id),
                                     role=role if operation == "role" else None,
                                     active={"deactivate": False, "activate": True}.get(operation),
                                     unlock=operation == "unlock", reset_totp=operation == "reset_totp")
    except AccountError as error:
        return _users_page(request, 404, error=translate(lang, error.key))
    return _users_page(request, flash=translate(lang, "user_updated"))


def _tokens_page(request: Request, principal: Principal, status: int = 200, **context: object) -> Response:
    with session_scope(app_state(request).engine) as db:
        owner = None if principal.can(Permission.MANAGE_USERS) else web_accounts.get_user(db, principal.user_id)
        tokens = web_accounts.list_tokens(db, owner)
    return render(request, "tokens.html", status, tokens=tokens, scopes=list(TokenScope), **context)


@router.get("/tokens")
def tokens(request: Request, principal: TokenOwner) -> Response:
    """One's API tokens (administrators see everyone's)."""
    return _tokens_page(request, principal)


@router.post("/tokens")
def create_token(request: Request, principal: TokenOwner, name: Annotated[str, Form()],
                 scopes: Annotated[list[TokenScope], Form()], expires_on: Annotated[date | None, Form()] = None,
                 ) -> Response:
    """A new token for oneself; shown once."""
    lang = request_lang(request)
    try:
        with write_scope(app_state(request).engine) as db:
            _row, token = web_accounts.create_token(db, web_accounts.get_user(db, principal.user_id), name, scopes,
                                                    expires_on)
    except AccountError as error:
        return _tokens_page(request, principal, 400, error=translate(lang, error.key))
    return _tokens_page(request, principal, new_token=token)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(request: Request, principal: TokenOwner, token_id: RowId) -> Response:
    """Revoke one's own token (administrators: any)."""
    lang = request_lang(request)
    try:
        with write_scope(app_state(request).engine) as db:
            web_accounts.revoke_token(db, web_accounts.get_user(db, principal.user_id), token_id,
                                      principal.can(Permission.MANAGE_USERS))
    except AccountError as error:
        return _tokens_page(request, principal, 404, error=translate(lang, error.key))
    return _tokens_page(request, principal)
