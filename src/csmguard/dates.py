"""Dates and times as the firm reads them: Asia/Taipei, in ISO form or as 民國 (Republic of China era)
dates (``--date-style roc``). Times are stored in UTC; they are shown through these functions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")
ROC_OFFSET = 1911  # 民國元年 = 1912


class DateStyle(StrEnum):
    """How dates are written in reports: ISO 8601 (2026-12-08) or 民國 (民國115年12月8日)."""

    ISO = "iso"
    ROC = "roc"


def taipei_now() -> datetime:
    """The current time in Asia/Taipei."""
    return datetime.now(TAIPEI)


def taipei_today() -> date:
    """Today's date in Asia/Taipei (the firm's day, whatever the server's time zone)."""
    return taipei_now().date()


def in_taipei(moment: datetime) -> datetime:
    """``moment`` (aware, or naive UTC as SQLite returns it) in Asia/Taipei."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(TAIPEI)


def format_date(day: date, style: DateStyle = DateStyle.ISO) -> str:
    """``day`` as ``2026-12-08`` or, in the 民國 style, ``民國115年12月8日`` (a date before 民國元年 stays ISO)."""
    if style is DateStyle.ROC and day.year > ROC_OFFSET:
        return f"民國{day.year - ROC_OFFSET}年{day.month}月{day.day}日"
    return day.isoformat()


def format_time(moment: datetime, style: DateStyle = DateStyle.ISO) -> str:
    """``moment`` in Asia/Taipei to the minute: ``2026-12-08 09:30 (UTC+8)`` or ``民國115年12月8日 09:30``."""
    local = in_taipei(moment)
    clock = local.strftime("%H:%M")
    if style is DateStyle.ROC:
        return f"{format_date(local.date(), style)} {clock}"
    return f"{local.date().isoformat()} {clock} (UTC+8)"
