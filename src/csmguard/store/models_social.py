"""Tables of the privacy-policy watch (CSM-11.1): fetched versions and their review items."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from csmguard.store.db import Base


class PrivacyVersionRow(Base):
    """One distinct text of a platform's privacy policy, as fetched."""

    __tablename__ = "privacy_versions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    platform: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    text: Mapped[str] = mapped_column(Text)
    chars: Mapped[int] = mapped_column(Integer)


class PrivacyReviewRow(Base):
    """A change of a privacy policy that a person must review (open until reviewed)."""

    __tablename__ = "privacy_reviews"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version_id: Mapped[str] = mapped_column(ForeignKey("privacy_versions.id"), index=True)
    platform: Mapped[str] = mapped_column(String(64), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    words_added: Mapped[int] = mapped_column(Integer)
    words_removed: Mapped[int] = mapped_column(Integer)
    reviewed_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    reviewed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
