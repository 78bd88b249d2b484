"""The durable job table: background work (scans, register imports, uploaded scan results) queued by the web
app or the API, run in child processes by a worker, with its progress and outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from csmguard.store.db import Base


class JobRow(Base):
    """One job: what to do (``kind`` and ``payload``), who asked, where it is (``state``), how far it got,
    and what came of it. Written by the queue (enqueue, claim, finish) and the child running it (progress,
    outcome); read by every web worker."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    owner: Mapped[str] = mapped_column(Text, index=True)
    label: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), index=True)  # queued | running | done | failed | cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    warning: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    result_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    worker: Mapped[str | None] = mapped_column(Text, nullable=True)  # host:pid of the worker that claimed it
    child_pid: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the process that ran it
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (Index("ix_jobs_state_created_at", "state", "created_at"),)
