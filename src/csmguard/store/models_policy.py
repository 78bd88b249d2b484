"""Tables of the firm's policy decisions (issue #13): confirmations of firm-policy settings and adoptions of
good-practice rules. Both are append-only logs: the latest row of a setting or rule is its current state, and
every earlier decision stays with who made it and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from csmguard.store.db import Base


class PolicyConfirmationRow(Base):
    """A person confirmed the value of a firm-policy setting (the shipped default or a value of the firm's)."""

    __tablename__ = "policy_confirmations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    setting: Mapped[str] = mapped_column(String(96), index=True)
    value: Mapped[Any] = mapped_column(JSON)
    confirmed_by: Mapped[str] = mapped_column(Text)
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PracticeAdoptionRow(Base):
    """A person adopted a good-practice rule as the firm's policy (``adopted``) or withdrew it."""

    __tablename__ = "practice_adoptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule_id: Mapped[str] = mapped_column(String(32), index=True)
    adopted: Mapped[bool] = mapped_column(Boolean)
    decided_by: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
