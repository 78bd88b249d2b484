"""The calendar of duties as an iCalendar (RFC 5545) feed: one all-day event per duty, in Asia/Taipei."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from csmguard.dates import TAIPEI
from csmguard.domain import Lang
from csmguard.duties.model import KIND_LABELS, STATE_LABELS, Duty


def duty_uid(duty: Duty, calendar_id: str) -> str:
    """A stable UID for a duty in one calendar (the same duty keeps its event between fetches)."""
    digest = hashlib.sha256(f"{calendar_id}\0{duty.key}".encode()).hexdigest()[:32]
    return f"{digest}@csmguard"


def duties_calendar(duties: Iterable[Duty], *, today: date, lang: Lang, calendar_id: str,
                    name: str, now: datetime | None = None) -> bytes:
    """An iCalendar document of ``duties``: all-day events on their due dates with the clause, the source row and
    the state as of ``today`` in the description, categories for the kind and state."""
    cal = Calendar()
    cal.add("prodid", "-//CSM Guard//duties//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Taipei")
    stamp = (now or datetime.now(TAIPEI)).astimezone(TAIPEI)
    for duty in duties:
        state = duty.state(today)
        event = Event()
        event.add("uid", duty_uid(duty, calendar_id))
        event.add("dtstamp", stamp)
        event.add("dtstart", duty.due)
        event.add("dtend", duty.due + timedelta(days=1))
        event.add("summary", f"[{duty.requirement}] {duty.title.get(lang)}")
        lines = [duty.detail.get(lang),
                 ("條文" if lang is Lang.ZH_TW else "Clause") + f": {duty.requirement}",
                 ("來源" if lang is Lang.ZH_TW else "Source") + f": {duty.source}",
                 ("狀態" if lang is Lang.ZH_TW else "State") + f": {STATE_LABELS[state].get(lang)}"]
        event.add("description", "\n".join(lines))
        event.add("categories", [KIND_LABELS[duty.kind].get(lang), STATE_LABELS[state].get(lang)])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return bytes(cal.to_ical())
