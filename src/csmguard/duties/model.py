"""A duty: something the firm must do by a date, the clause that asks for it and the record it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from csmguard.domain import LocalizedText, text


class DutyKind(StrEnum):
    """The kinds of duty on the calendar."""

    PROVIDER_AUDIT = "provider_audit"
    SLA_REPORT = "sla_report"
    INCIDENT_UPDATE = "incident_update"
    PRIVACY_REVIEW = "privacy_review"
    BYOD_REVIEW = "byod_review"
    BYOD_RENEWAL = "byod_renewal"
    DEPARTED_DEVICE = "departed_device"
    EXCEPTION_EXPIRY = "exception_expiry"
    CERTIFICATE_EXPIRY = "certificate_expiry"


KIND_LABELS: dict[DutyKind, LocalizedText] = {
    DutyKind.PROVIDER_AUDIT: text("雲端服務業者查核", "Provider audit"),
    DutyKind.SLA_REPORT: text("服務水準報告", "SLA report"),
    DutyKind.INCIDENT_UPDATE: text("資安事件更新通知", "Incident update"),
    DutyKind.PRIVACY_REVIEW: text("隱私政策檢視", "Privacy-policy review"),
    DutyKind.BYOD_REVIEW: text("BYOD 協議審核", "BYOD agreement review"),
    DutyKind.BYOD_RENEWAL: text("BYOD 協議到期", "BYOD agreement expiry"),
    DutyKind.DEPARTED_DEVICE: text("異動人員裝置清除", "Departed or moved staff's devices"),
    DutyKind.EXCEPTION_EXPIRY: text("例外（補償性措施）到期", "Exception expiry"),
    DutyKind.CERTIFICATE_EXPIRY: text("憑證到期", "Certificate expiry"),
}


class DutyState(StrEnum):
    """Where a duty stands on a given day."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    UPCOMING = "upcoming"


STATE_LABELS: dict[DutyState, LocalizedText] = {
    DutyState.OVERDUE: text("已逾期", "overdue"),
    DutyState.DUE_SOON: text("即將到期", "due soon"),
    DutyState.UPCOMING: text("未到期", "upcoming"),
}

# A duty due within this many days is "due soon" on the calendar (a display band, not a compliance threshold).
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class Duty:
    """One dated duty.

    ``source`` names the register row (``kind/key``, e.g. ``cloud-providers/甲雲``), the exception
    (``exception/<id>``) or the scan finding (``scan/<id>/<target>``) it comes from; ``requirement`` the
    provision that asks for it and ``basis`` whether its date rests on the provision's text, on a firm-policy
    setting (named) or on a date recorded in the row itself.
    """

    kind: DutyKind
    due: date
    requirement: str
    source: str
    title: LocalizedText
    detail: LocalizedText
    basis: str  # "record" (a date in the row), "setting:<name>" (a firm-policy value) or "text"

    @property
    def key(self) -> str:
        """A stable identifier of the duty (kind, source, due date): the same duty keeps it between runs."""
        return f"{self.kind.value}:{self.source}:{self.due.isoformat()}"

    def state(self, today: date) -> DutyState:
        """Overdue, due soon (within :data:`DUE_SOON_DAYS`) or upcoming, as of ``today``."""
        if self.due < today:
            return DutyState.OVERDUE
        if (self.due - today).days <= DUE_SOON_DAYS:
            return DutyState.DUE_SOON
        return DutyState.UPCOMING

    def days_left(self, today: date) -> int:
        """Days until the due date (negative when overdue)."""
        return (self.due - today).days
