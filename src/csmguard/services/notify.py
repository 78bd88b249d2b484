"""Notification use cases: each web user's preferences (secrets never shown back), and the run that finds new
events, queues them per user and channel (once: the outbox is keyed by user, channel and event) and delivers them,
at once or as a daily digest at the user's hour (Asia/Taipei). ``csmguard notify run`` runs it; a schedule or cron
calls that."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from csmguard.dates import TAIPEI
from csmguard.domain import Lang, parse_lang
from csmguard.domain.errors import InputError
from csmguard.notify.channels import (
    DeliveryError,
    WebhookKind,
    check_webhook_url,
    email_text,
    post_webhook,
    send_email,
    subject_of,
    webhook_host,
    webhook_payload,
)
from csmguard.notify.events import (
    Event,
    EventKind,
    NewPrivacyVersion,
    deadline_events,
    privacy_events,
    status_worse_events,
)
from csmguard.services import audit
from csmguard.services.assessment import diff_saved
from csmguard.services.duties import workspace_duties
from csmguard.services.records import as_utc
from csmguard.services.workspace import list_assessments
from csmguard.store.db import session_scope
from csmguard.store.models_notify import NotifyOutboxRow, NotifyPrefsRow
from csmguard.store.models_social import PrivacyReviewRow, PrivacyVersionRow
from csmguard.store.models_web import UserRow
from csmguard.workspace import Workspace

EMAIL_RE = re.compile(r"^[^@\s<>,;]{1,64}@[^@\s<>,;]{1,255}\.[^@\s<>,;.]{2,63}$")
MAX_ATTEMPTS = 5
MODES = ("immediate", "digest")
DEFAULT_LEAD_DAYS = 7


@dataclass(frozen=True)
class Prefs:
    """A user's notification preferences as pages and the CLI show them: the webhook only by its host."""

    username: str
    email: str | None
    webhook_kind: str | None
    webhook_host: str | None
    mode: str
    digest_hour: int
    lead_days: int
    events: tuple[str, ...]
    lang: str

    def as_dict(self) -> dict[str, Any]:
        """The preferences as JSON (no secret in it)."""
        return {"username": self.username, "email": self.email, "webhook_kind": self.webhook_kind,
                "webhook": self.webhook_host, "mode": self.mode, "digest_hour": self.digest_hour,
                "lead_days": self.lead_days, "events": list(self.events), "lang": self.lang}


def _events_of(row: NotifyPrefsRow) -> tuple[str, ...]:
    flags = ((EventKind.STATUS_WORSE, row.on_status_worse), (EventKind.DEADLINE, row.on_deadline),
             (EventKind.PRIVACY, row.on_privacy))
    return tuple(k.value for k, on in flags if on)


def _view(user: UserRow, row: NotifyPrefsRow | None) -> Prefs:
    if row is None:
        return Prefs(user.username, None, None, None, "immediate", 8, DEFAULT_LEAD_DAYS, (), Lang.ZH_TW.value)
    host = webhook_host(row.webhook_url) if row.webhook_url else None
    return Prefs(user.username, row.email, row.webhook_kind, host, row.mode, row.digest_hour, row.lead_days,
                 _events_of(row), row.lang)


def _user(session: Session, username: str) -> UserRow:
    user = session.scalar(select(UserRow).where(UserRow.username == username))
    if user is None:
        raise InputError(None, f"no web user {username!r} (create one with 'csmguard user add')", field="user")
    return user


def get_prefs(session: Session, username: str) -> Prefs:
    """A user's preferences (defaults, nothing on, when none are saved)."""
    user = _user(session, username)
    return _view(user, session.get(NotifyPrefsRow, user.id))


_UNSET: Any = object()


def set_prefs(session: Session, actor: str, username: str, *, email: str | None = _UNSET,
              webhook_kind: str | None = _UNSET, webhook_url: str | None = _UNSET, mode: str | None = None,
              digest_hour: int | None = None, lead_days: int | None = None, events: Sequence[str] | None = None,
              lang: str | None = None) -> Prefs:
    """Change ``username``'s preferences (arguments left out keep their value; an empty e-mail or webhook address
    removes it). InputError names the bad field. The audit entry shows the webhook only by its host."""
    user = _user(session, username)
    row = session.get(NotifyPrefsRow, user.id)
    before = _view(user, row).as_dict() if row is not None else None
    if row is None:
        row = NotifyPrefsRow(user_id=user.id, email=None, webhook_kind=None, webhook_url=None, mode="immediate",
                             digest_hour=8, lead_days=DEFAULT_LEAD_DAYS, on_status_worse=False, on_deadline=False,
                             on_privacy=False, lang=Lang.ZH_TW.value, updated_at=datetime.now(UTC))
        session.add(row)
    if email is not _UNSET:
        value = (email or "").strip()
        if value and not EMAIL_RE.match(value):
            raise InputError(None, f"{value!r} is not an e-mail address / 非有效之電子郵件地址", field="email")
        row.email = value or None
    if webhook_kind is not _UNSET:
        if webhook_kind and webhook_kind not in {k.value for k in WebhookKind}:
            raise InputError(None, f"webhook kind {webhook_kind!r}: teams, slack or json", field="webhook_kind")
        row.webhook_kind = webhook_kind or None
    if webhook_url is not _UNSET:
        try:
            row.webhook_url = check_webhook_url(webhook_url) if webhook_url else None
        except ValueError as exc:
            raise InputError(None, str(exc), field="webhook_url") from exc
    if row.webhook_url and not row.webhook_kind:
        raise InputError(None, "a webhook address needs its kind: teams, slack or json", field="webhook_kind")
    if mode is not None:
        if mode not in MODES:
            raise InputError(None, f"mode {mode!r}: immediate or digest", field="mode")
        row.mode = mode
    if digest_hour is not None:
        if not 0 <= digest_hour <= 23:
            raise InputError(None, "digest hour: 0 to 23 (Asia/Taipei)", field="digest_hour")
        row.digest_hour = digest_hour
    if lead_days is not None:
        if not 0 <= lead_days <= 365:
            raise InputError(None, "lead days: 0 to 365", field="lead_days")
        row.lead_days = lead_days
    if events is not None:
        unknown = [e for e in events if e not in {k.value for k in EventKind}]
        if unknown:
            raise InputError(None, f"unknown event kind(s) {', '.join(unknown)}; known: "
                             f"{', '.join(k.value for k in EventKind)}", field="events")
        row.on_status_worse = EventKind.STATUS_WORSE.value in events
        row.on_deadline = EventKind.DEADLINE.value in events
        row.on_privacy = EventKind.PRIVACY.value in events
    if lang is not None:
        try:
            row.lang = parse_lang(lang).value
        except ValueError as exc:
            raise InputError(None, str(exc), field="lang") from exc
    row.updated_at = datetime.now(UTC)
    session.flush()
    after = _view(user, row)
    audit.append(session, actor, "notify.prefs", "web_user", user.username, before, after.as_dict())
    return after


@dataclass
class RunReport:
    """What one notification run did."""

    events: int = 0
    queued: int = 0
    sent: int = 0
    failed: int = 0
    waiting_for_digest: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON."""
        return {"events": self.events, "queued": self.queued, "sent": self.sent, "failed": self.failed,
                "waiting_for_digest": self.waiting_for_digest, "errors": self.errors}


def _privacy_versions(ws: Workspace) -> list[NewPrivacyVersion]:
    with session_scope(ws.engine()) as session:
        rows = session.execute(select(PrivacyReviewRow, PrivacyVersionRow).join(
            PrivacyVersionRow, PrivacyReviewRow.version_id == PrivacyVersionRow.id)
            .where(PrivacyReviewRow.status == "open")).all()
        return [NewPrivacyVersion(v.id, r.platform, v.url, r.opened_on, r.words_added, r.words_removed)
                for r, v in rows]


def _status_events(ws: Workspace) -> list[Event]:
    if len(list_assessments(ws)) < 2:
        return []
    _older, newer, diff = diff_saved(ws, "previous", "latest")
    return list(status_worse_events(newer, diff))


def _channels(ws: Workspace, row: NotifyPrefsRow) -> list[str]:
    channels = []
    if row.email:
        channels.append("email")
    if row.webhook_url and row.webhook_kind:
        channels.append("webhook")
    return channels


def _digest_due(row: NotifyPrefsRow, now: datetime) -> bool:
    local = now.astimezone(TAIPEI)
    moment = local.replace(hour=row.digest_hour, minute=0, second=0, microsecond=0)
    if local < moment:
        moment -= timedelta(days=1)
    last = row.last_digest_at
    return last is None or as_utc(last).astimezone(TAIPEI) < moment


def _deliver(ws: Workspace, row: NotifyPrefsRow, channel: str, events: list[Event], base_url: str) -> None:
    lang = parse_lang(row.lang)
    settings = ws.settings.notify
    if channel == "email":
        assert row.email is not None
        send_email(settings, row.email, subject_of(events, lang), email_text(events, lang, base_url))
    else:
        assert row.webhook_url is not None and row.webhook_kind is not None
        kind = WebhookKind(row.webhook_kind)
        post_webhook(settings, kind, row.webhook_url, webhook_payload(kind, events, lang, base_url))


def run_notifications(ws: Workspace, *, now: datetime | None = None, base_url: str = "") -> RunReport:
    """Find the events of now, queue each once for every user who wants its kind (per channel), and deliver what
    is due: immediate users' messages one by one, digest users' in one message per channel once their daily hour
    has come. A failed delivery stays queued with its error (at most :data:`MAX_ATTEMPTS` tries)."""
    now = now or datetime.now(UTC)
    today = now.astimezone(TAIPEI).date()
    report = RunReport()
    status = _status_events(ws)
    privacy = list(privacy_events(_privacy_versions(ws)))
    duties = workspace_duties(ws, today)
    with session_scope(ws.engine()) as session:
        prefs = session.execute(select(NotifyPrefsRow, UserRow).join(UserRow, UserRow.id == NotifyPrefsRow.user_id)
                                .where(UserRow.active.is_(True))).all()
        users = [(row.user_id, row.lead_days, _events_of(row), _channels(ws, row)) for row, _user in prefs]
    seen: set[str] = set()
    for user_id, lead_days, kinds, channels in users:
        wanted: list[Event] = []
        if EventKind.STATUS_WORSE.value in kinds:
            wanted += status
        if EventKind.DEADLINE.value in kinds:
            wanted += deadline_events(duties, today, lead_days)
        if EventKind.PRIVACY.value in kinds:
            wanted += privacy
        seen.update(e.key for e in wanted)
        report.queued += _queue(ws, user_id, channels, wanted, now)
    report.events = len(seen)
    _send_pending(ws, now, base_url, report)
    return report


def _queue(ws: Workspace, user_id: int, channels: list[str], events: list[Event], now: datetime) -> int:
    """Queue the events not yet queued for the user on each channel: what is known is read first, the new rows
    are written in a transaction of their own (whose first statement writes), and an event another run queued
    meanwhile is skipped by the unique key."""
    with session_scope(ws.engine()) as session:
        known = {(channel, key) for channel, key in session.execute(
            select(NotifyOutboxRow.channel, NotifyOutboxRow.event_key).where(NotifyOutboxRow.user_id == user_id))}
    rows = [NotifyOutboxRow(user_id=user_id, channel=channel, event_key=event.key, kind=event.kind.value,
                            payload=event.payload(), created_at=now, attempts=0)
            for channel in channels for event in {e.key: e for e in events}.values()
            if (channel, event.key) not in known]
    if not rows:
        return 0
    try:
        with session_scope(ws.engine()) as session:
            session.add_all(rows)
        return len(rows)
    except IntegrityError:  # another run queued some of them meanwhile: one by one, skipping those
        queued = 0
        for row in rows:
            try:
                with session_scope(ws.engine()) as session:
                    session.add(NotifyOutboxRow(user_id=row.user_id, channel=row.channel, event_key=row.event_key,
                                                kind=row.kind, payload=row.payload, created_at=now, attempts=0))
                queued += 1
            except IntegrityError:
                continue
        return queued


@dataclass(frozen=True)
class _Pending:
    """What one user has waiting: the preferences needed to send, and the queued items by channel."""

    user_id: int
    prefs: NotifyPrefsRow
    items: dict[str, list[tuple[int, dict[str, Any]]]]


def _pending(ws: Workspace) -> list[_Pending]:
    with session_scope(ws.engine()) as session:
        out = []
        for prefs in session.scalars(select(NotifyPrefsRow)).all():
            rows = session.execute(select(NotifyOutboxRow.id, NotifyOutboxRow.channel, NotifyOutboxRow.payload).where(
                NotifyOutboxRow.user_id == prefs.user_id, NotifyOutboxRow.sent_at.is_(None),
                NotifyOutboxRow.attempts < MAX_ATTEMPTS).order_by(NotifyOutboxRow.id)).all()
            items: dict[str, list[tuple[int, dict[str, Any]]]] = {}
            for ident, channel, payload in rows:
                items.setdefault(channel, []).append((ident, dict(payload)))
            if items:
                out.append(_Pending(prefs.user_id, prefs, items))
        return out


def _mark(ws: Workspace, ids: list[int], now: datetime, error: str | None) -> None:
    """Record a delivery (or its failure) with UPDATE statements only (no read that would have to upgrade)."""
    values: dict[str, Any] = {"attempts": NotifyOutboxRow.attempts + 1, "last_error": error}
    if error is None:
        values["sent_at"] = now
    with session_scope(ws.engine()) as session:
        session.execute(update(NotifyOutboxRow).where(NotifyOutboxRow.id.in_(ids)).values(**values))


def _send_pending(ws: Workspace, now: datetime, base_url: str, report: RunReport) -> None:
    """Deliver what is due, outside any database transaction (a slow SMTP server holds no lock)."""
    for waiting in _pending(ws):
        prefs = waiting.prefs
        if prefs.mode == "digest" and not _digest_due(prefs, now):
            report.waiting_for_digest += sum(len(items) for items in waiting.items.values())
            continue
        for channel, items in waiting.items.items():
            if channel not in _channels(ws, prefs):
                continue  # the user removed this channel since: the items stay unsent
            batches = [items] if prefs.mode == "digest" else [[item] for item in items]
            for batch in batches:
                ids = [ident for ident, _payload in batch]
                try:
                    _deliver(ws, prefs, channel, [Event.from_payload(payload) for _ident, payload in batch], base_url)
                except DeliveryError as exc:
                    _mark(ws, ids, now, str(exc))
                    report.failed += len(batch)
                    report.errors.append(str(exc))
                    continue
                _mark(ws, ids, now, None)
                report.sent += len(batch)
        if prefs.mode == "digest":
            with session_scope(ws.engine()) as session:
                session.execute(update(NotifyPrefsRow).where(NotifyPrefsRow.user_id == waiting.user_id)
                                .values(last_digest_at=now))


def outbox(ws: Workspace, limit: int = 100) -> list[dict[str, Any]]:
    """The latest queued notifications (newest first): user, channel, kind, title, when sent or the last error."""
    with session_scope(ws.engine()) as session:
        rows = session.execute(select(NotifyOutboxRow, UserRow.username).join(
            UserRow, UserRow.id == NotifyOutboxRow.user_id).order_by(NotifyOutboxRow.id.desc()).limit(limit)).all()
        return [{"user": name, "channel": r.channel, "kind": r.kind, "title": r.payload.get("title"),
                 "created_at": r.created_at.isoformat(), "sent_at": r.sent_at.isoformat() if r.sent_at else None,
                 "attempts": r.attempts, "last_error": r.last_error} for r, name in rows]

