"""The calendar of duties: the page, one's calendar-feed tokens, and the token-protected iCalendar feed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from csmguard.auth.roles import Permission, TokenScope
from csmguard.dates import taipei_today
from csmguard.domain import Lang, parse_lang
from csmguard.duties.ical import duties_calendar
from csmguard.duties.model import KIND_LABELS, STATE_LABELS, DutyKind
from csmguard.services import web_accounts
from csmguard.services.audit import write_scope
from csmguard.services.duties import workspace_duties
from csmguard.services.web_accounts import AccountError
from csmguard.store.db import session_scope
from csmguard.store.models_web import ApiTokenRow
from csmguard.web.deps import Principal, Require, RowId, render, request_lang
from csmguard.web.i18n import translate
from csmguard.web.state import app_state

router = APIRouter()
Viewer = Annotated[Principal, Depends(Require(Permission.VIEW))]
MAX_WITHIN_DAYS = 3660
FEED_TOKEN_NAME = "calendar feed"  # noqa: S105 (the name shown in the token list, not a secret)


def _feed_tokens(request: Request, principal: Principal) -> list[ApiTokenRow]:
    """One's own calendar-feed tokens (live and revoked)."""
    with session_scope(app_state(request).engine) as db:
        own = web_accounts.list_tokens(db, web_accounts.get_user(db, principal.user_id))
    return [row for row, _owner in own if row.scopes.split() == [TokenScope.CALENDAR.value]]


def _page(request: Request, principal: Principal, *, within: int | None = None, kind: DutyKind | None = None,
          status: int = 200, **context: object) -> Response:
    today = taipei_today()
    duties = workspace_duties(app_state(request).workspace, today, within_days=within,
                              kinds=frozenset({kind}) if kind else None)
    return render(request, "duties.html", status, duties=duties, today=today, within=within, kind=kind,
                  kinds=list(DutyKind), kind_labels=KIND_LABELS, state_labels=STATE_LABELS,
                  feeds=_feed_tokens(request, principal), **context)


@router.get("/duties")
def duties_page(request: Request, principal: Viewer,
                within: Annotated[int | None, Query(ge=0, le=MAX_WITHIN_DAYS)] = None,
                kind: Annotated[DutyKind | None, Query()] = None) -> Response:
    """Every duty with its due date, state, clause and source record; overdue ones first."""
    return _page(request, principal, within=within, kind=kind)


@router.post("/duties/feeds")
def create_feed(request: Request, principal: Viewer) -> Response:
    """A calendar-feed token for oneself (any role); its address is shown once."""
    lang = request_lang(request)
    try:
        with write_scope(app_state(request).engine) as db:
            _row, token = web_accounts.create_token(db, web_accounts.get_user(db, principal.user_id),
                                                    FEED_TOKEN_NAME, [TokenScope.CALENDAR], None)
    except AccountError as error:
        return _page(request, principal, status=400, error=translate(lang, error.key))
    feed_url = str(request.base_url).rstrip("/") + f"/calendar/{token}.ics"
    return _page(request, principal, feed_url=feed_url)


@router.post("/duties/feeds/{token_id}/revoke")
def revoke_feed(request: Request, principal: Viewer, token_id: RowId) -> Response:
    """Revoke one of one's own calendar-feed tokens."""
    lang = request_lang(request)
    try:
        with write_scope(app_state(request).engine) as db:
            web_accounts.revoke_token(db, web_accounts.get_user(db, principal.user_id), token_id, False)
    except AccountError as error:
        return _page(request, principal, status=404, error=translate(lang, error.key))
    return _page(request, principal)


@router.get("/calendar/{token}.ics")
def calendar_feed(request: Request, token: str, lang: Annotated[str | None, Query(max_length=8)] = None) -> Response:
    """The duties as iCalendar, for the owner of a live calendar-feed token (no session: calendar clients
    subscribe by address). 404 for an unknown, revoked or expired token, saying nothing more."""
    state = app_state(request)
    with write_scope(state.engine) as db:
        owner = web_accounts.authenticate_token(db, token, TokenScope.CALENDAR)
        username = owner.username if owner is not None else None
    if username is None:
        raise HTTPException(404, "not found")
    try:
        chosen = parse_lang(lang) if lang else state.settings.lang
    except ValueError as exc:
        raise HTTPException(400, "lang: zh-TW or en") from exc
    today = taipei_today()
    name = ("CSM Guard 應辦事項" if chosen is Lang.ZH_TW else "CSM Guard duties") + f" ({username})"
    body = duties_calendar(workspace_duties(state.workspace, today), today=today, lang=chosen,
                           calendar_id=f"{state.workspace.root}:{username}", name=name)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, no-store",
                             "Content-Disposition": 'inline; filename="duties.ics"'})
