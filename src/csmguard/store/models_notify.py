"""The tables of notifications and schedules: each web user's preferences, the outbox of events per user and
channel (which also keeps an event from being sent twice), and the workspace's schedules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from csmguard.store.db import Base


class NotifyPrefsRow(Base):
    """What one user wants to be told, how (e-mail, a webhook) and when (at once, or a daily digest). The webhook
    address is a secret: pages show only its host."""

    __tablename__ = "notify_prefs"

    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    webhook_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)  # teams | slack | json
    webhook_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    mode: Mapped[str] = mapped_column(String(16))  # immediate | digest
    digest_hour: Mapped[int] = mapped_column(Integer)  # hour of the day, Asia/Taipei
    lead_days: Mapped[int] = mapped_column(Integer)  # tell of a deadline this many days ahead
    on_status_worse: Mapped[bool] = mapped_column(Boolean)
    on_deadline: Mapped[bool] = mapped_column(Boolean)
    on_privacy: Mapped[bool] = mapped_column(Boolean)
    lang: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_digest_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class NotifyOutboxRow(Base):
    """One event for one user on one channel: queued, then sent (or the last error and the attempts so far)."""

    __tablename__ = "notify_outbox"
    __table_args__ = (UniqueConstraint("user_id", "channel", "event_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # email | webhook
    event_key: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class ScheduleRow(Base):
    """A cron-like schedule of one workspace: what to run (a job kind and its payload), when (a cron expression
    read in Asia/Taipei), and when it last and next runs."""

    __tablename__ = "schedules"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # endpoint | site | privacy | register | notify
    cron: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    enabled: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_run_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_job_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
