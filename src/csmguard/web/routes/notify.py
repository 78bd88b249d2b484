"""One's own notification preferences: e-mail, a webhook (shown back only by its host), events, immediate or a
daily digest, language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from csmguard.auth.roles import Permission
from csmguard.domain.errors import InputError
from csmguard.notify.channels import WebhookKind
from csmguard.notify.events import EventKind
from csmguard.services.audit import write_scope
from csmguard.services.notify import get_prefs, set_prefs
from csmguard.store.db import session_scope
from csmguard.web.deps import Principal, Require, render
from csmguard.web.state import app_state

router = APIRouter()
Viewer = Annotated[Principal, Depends(Require(Permission.VIEW))]


def _page(request: Request, principal: Principal, status: int = 200, **context: object) -> Response:
    with session_scope(app_state(request).engine) as db:
        prefs = get_prefs(db, principal.username)
    return render(request, "notifications.html", status, prefs=prefs, event_kinds=list(EventKind),
                  webhook_kinds=list(WebhookKind), smtp_ready=bool(app_state(request).workspace.settings.notify
                                                                   .smtp_host), **context)


@router.get("/account/notifications")
def notifications(request: Request, principal: Viewer) -> Response:
    """One's notification preferences."""
    return _page(request, principal)


@router.post("/account/notifications")
def save_notifications(
    request: Request, principal: Viewer,
    email: Annotated[str, Form(max_length=320)] = "",
    webhook_kind: Annotated[str, Form(max_length=16)] = "",
    webhook_url: Annotated[str, Form(max_length=2000)] = "",
    remove_webhook: Annotated[bool, Form()] = False,
    mode: Annotated[str, Form(max_length=16)] = "immediate",
    digest_hour: Annotated[int, Form(ge=0, le=23)] = 8,
    lead_days: Annotated[int, Form(ge=0, le=365)] = 7,
    events: Annotated[list[str] | None, Form()] = None,
    lang: Annotated[str, Form(max_length=8)] = "zh-TW",
) -> Response:
    """Save one's preferences; an empty webhook address keeps the saved one (it is never shown back)."""
    kwargs: dict[str, object] = {"email": email}
    if remove_webhook:
        kwargs.update(webhook_kind=None, webhook_url=None)
    else:
        kwargs["webhook_kind"] = webhook_kind or None
        if webhook_url.strip():
            kwargs["webhook_url"] = webhook_url.strip()
    try:
        with write_scope(app_state(request).engine) as db:
            set_prefs(db, principal.username, principal.username, mode=mode, digest_hour=digest_hour,
                      lead_days=lead_days, events=events or [], lang=lang, **kwargs)  # type: ignore[arg-type]
    except InputError as error:
        return _page(request, principal, 400, error=error.describe())
    return _page(request, principal, saved=True)
