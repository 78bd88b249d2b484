"""Delivery: e-mail over SMTP (smtplib, STARTTLS unless turned off) and webhooks (Microsoft Teams, Slack, generic
JSON) whose address must pass the app's address policy. Failures are :class:`DeliveryError` with a reason that
never contains the webhook address or the SMTP password."""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import httpx

from csmguard.domain import Lang
from csmguard.notify.events import Event
from csmguard.notify.settings import NotifySettings
from csmguard.scanning.addresses import AddressRefused, check_host

MAX_RESPONSE_BYTES = 64 * 1024


class WebhookKind(StrEnum):
    """The webhook payload formats."""

    TEAMS = "teams"
    SLACK = "slack"
    JSON = "json"


class DeliveryError(Exception):
    """A notification could not be delivered; the message is safe to show and store."""


def webhook_host(url: str) -> str:
    """What pages may show of a webhook address: its scheme and host, never the path (the path is the secret)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}/…"


def check_webhook_url(url: str) -> str:
    """The address, if it is an http(s) URL with a host; ValueError otherwise (the address policy is applied
    when sending, to the addresses the host then resolves to)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("a webhook address is an https:// URL with a host")
    return url.strip()


def _lines(events: Sequence[Event], lang: Lang) -> list[tuple[str, str]]:
    return [(e.title.get(lang), e.body.get(lang)) for e in events]


def subject_of(events: Sequence[Event], lang: Lang) -> str:
    """The subject of a message of ``events``: the event's title, or a digest count."""
    if len(events) == 1:
        return f"[CSM Guard] {events[0].title.get(lang)}"
    return (f"[CSM Guard] 通知摘要：{len(events)} 則" if lang is Lang.ZH_TW
            else f"[CSM Guard] Digest: {len(events)} notifications")


def webhook_payload(kind: WebhookKind, events: Sequence[Event], lang: Lang, base_url: str) -> dict[str, Any]:
    """The body of a webhook call in the receiver's format."""
    subject = subject_of(events, lang)
    if kind is WebhookKind.SLACK:
        blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": subject[:150]}}]
        for event, (title, body) in zip(events, _lines(events, lang), strict=True):
            link = f" <{base_url}{event.link}>" if base_url else ""
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*\n{body}{link}"[:3000]}})
        return {"text": subject, "blocks": blocks[:50]}
    if kind is WebhookKind.TEAMS:  # an Adaptive Card, as Teams workflow webhooks take it
        body_items: list[dict[str, Any]] = [{"type": "TextBlock", "text": subject, "weight": "Bolder", "size": "Medium",
                                             "wrap": True}]
        for title, body in _lines(events, lang):
            body_items += [{"type": "TextBlock", "text": title, "weight": "Bolder", "wrap": True},
                           {"type": "TextBlock", "text": body, "wrap": True, "spacing": "None"}]
        card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
                "version": "1.4", "body": body_items}
        return {"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                                                    "content": card}]}
    return {"source": "csmguard", "subject": subject, "lang": lang.value,
            "events": [e.payload() for e in events]}


def post_webhook(settings: NotifySettings, kind: WebhookKind, url: str, payload: dict[str, Any]) -> None:
    """POST ``payload`` to ``url`` after the address policy allowed every address of its host; redirects are not
    followed (a redirect could lead past the policy). DeliveryError on refusal, failure or a non-2xx answer."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    where = webhook_host(url)
    try:
        check_host(host, port, allow_private=settings.webhook_allow_private)
    except AddressRefused as exc:
        reason = str(exc).replace("pass --allow-private to allow it", "set webhook_allow_private in [notify]")
        raise DeliveryError(f"webhook {where}: {reason}") from exc
    try:
        with httpx.Client(timeout=settings.webhook_timeout_seconds, follow_redirects=False, trust_env=False) as client:
            response = client.post(url, json=payload, headers={"User-Agent": "csmguard-notify"})
    except httpx.HTTPError as exc:
        raise DeliveryError(f"webhook {where}: {type(exc).__name__}") from exc
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"webhook {where}: HTTP {response.status_code}")


def email_text(events: Sequence[Event], lang: Lang, base_url: str) -> str:
    """The plain-text body of an e-mail of ``events``."""
    parts = []
    for event, (title, body) in zip(events, _lines(events, lang), strict=True):
        link = f"\n{base_url}{event.link}" if base_url else ""
        parts.append(f"{title}\n{body}{link}")
    footer = ("—\nCSM Guard 通知；可於「我的帳號 › 通知」調整。" if lang is Lang.ZH_TW
              else "—\nCSM Guard notification; change this under My account › Notifications.")
    return "\n\n".join([*parts, footer]) + "\n"


def send_email(settings: NotifySettings, to: str, subject: str, body: str) -> None:
    """Send a plain-text e-mail through the workspace's SMTP relay: STARTTLS first (refusing to go on in the clear
    when the server does not offer it) unless ``smtp_starttls`` is off, then the login when a user name is set (its
    password from the environment variable the settings name). DeliveryError on any failure."""
    if not settings.smtp_host or not settings.mail_from:
        raise DeliveryError("e-mail is not set up: smtp_host and mail_from in [notify] of csmguard.toml")
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="csmguard")
    message.set_content(body, charset="utf-8")
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
            smtp.ehlo()
            if settings.smtp_starttls:
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(f"SMTP {settings.smtp_host}:{settings.smtp_port} does not offer STARTTLS; "
                                        "not sending in the clear (set smtp_starttls = false to allow it)")
                smtp.starttls(context=ssl.create_default_context(cafile=settings.smtp_ca_file or None))
                smtp.ehlo()
            if settings.smtp_username:
                password = os.environ.get(settings.smtp_password_env)
                if password is None:
                    raise DeliveryError(f"SMTP login: the environment variable {settings.smtp_password_env} is "
                                        "not set")
                smtp.login(settings.smtp_username, password)
            smtp.send_message(message)
    except DeliveryError:
        raise
    except UnicodeEncodeError as exc:  # smtplib sends the login and addresses as ASCII
        raise DeliveryError(f"SMTP {settings.smtp_host}:{settings.smtp_port}: the login, password or an address is "
                            "not ASCII, which SMTP login cannot carry") from exc
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise DeliveryError(f"SMTP {settings.smtp_host}:{settings.smtp_port}: {type(exc).__name__}: "
                            f"{str(exc)[:200]}") from exc
