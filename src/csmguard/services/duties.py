"""The calendar of duties of a workspace: every dated duty the registers, exceptions, endpoint certificates and
privacy-policy watch imply, as of a day in Asia/Taipei, optionally only those due within a number of days."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from csmguard.dates import TAIPEI, taipei_today
from csmguard.duties.model import Duty, DutyKind
from csmguard.duties.records import (
    Certificate,
    ExpiringException,
    OpenPrivacyReview,
    certificate_expiries,
    exception_expiries,
    privacy_change_reviews,
)
from csmguard.duties.registers import register_duties
from csmguard.policy.settings import SOCIAL_REVIEW_DEFAULT
from csmguard.services.records import list_exceptions
from csmguard.services.registers import load_facts
from csmguard.store.db import session_scope
from csmguard.store.models import FindingRow, ScanRow
from csmguard.store.models_social import PrivacyReviewRow
from csmguard.workspace import Workspace

# The endpoint rule whose findings carry a certificate's notAfter date (check ``cert_validity``).
CERTIFICATE_RULE = "EP-008"


def _certificates(ws: Workspace) -> list[Certificate]:
    """The certificates of the current findings of the validity rule (voided and failed scans have none)."""
    query = (select(FindingRow.scan_id, FindingRow.data, FindingRow.requirements)
             .join(ScanRow, ScanRow.id == FindingRow.scan_id)
             .where(FindingRow.current.is_(True), FindingRow.rule_id == CERTIFICATE_RULE, ScanRow.voided_at.is_(None)))
    out: list[Certificate] = []
    with session_scope(ws.engine()) as session:
        for scan_id, data, requirements in session.execute(query):
            evidence: dict[str, Any] = data.get("evidence") or {}
            not_after = evidence.get("not_after")
            if not isinstance(not_after, str):
                continue  # the endpoint served no certificate the scan could read: nothing expires
            target = data.get("target") or {}
            name = str(target.get("name") or target.get("id") or "")
            expiry = datetime.fromisoformat(not_after).astimezone(TAIPEI).date()
            out.append(Certificate(scan_id, name, expiry, str(requirements[0]) if requirements else "CSM-5.3"))
    return out


def _open_reviews(ws: Workspace) -> list[OpenPrivacyReview]:
    with session_scope(ws.engine()) as session:
        rows = session.scalars(select(PrivacyReviewRow).where(PrivacyReviewRow.status == "open")).all()
        return [OpenPrivacyReview(r.id, r.platform, r.opened_on) for r in rows]


def workspace_duties(ws: Workspace, today: date | None = None, *, within_days: int | None = None,
                     kinds: frozenset[DutyKind] | None = None) -> list[Duty]:
    """Every duty of the workspace as of ``today`` (default: today in Asia/Taipei), overdue ones included,
    sorted by due date; ``within_days`` keeps those due no later than that many days ahead, ``kinds`` only
    those kinds."""
    today = today or taipei_today()
    duties = register_duties(load_facts(ws), ws.settings.checks, today)
    duties += exception_expiries(ExpiringException(e.id, e.requirement, e.expires_on) for e in list_exceptions(ws))
    duties += certificate_expiries(_certificates(ws))
    duties += privacy_change_reviews(_open_reviews(ws), SOCIAL_REVIEW_DEFAULT)
    if within_days is not None:
        duties = [d for d in duties if d.days_left(today) <= within_days]
    if kinds is not None:
        duties = [d for d in duties if d.kind in kinds]
    return sorted(duties, key=lambda d: (d.due, d.kind.value, d.source))


def duty_view(duty: Duty, today: date) -> dict[str, Any]:
    """A duty as JSON: kind, due date, days left, state, clause, source row, title and detail in both languages."""
    return {"key": duty.key, "kind": duty.kind.value, "due": duty.due.isoformat(), "days_left": duty.days_left(today),
            "state": duty.state(today).value, "requirement": duty.requirement, "source": duty.source,
            "basis": duty.basis, "title": duty.title.as_dict(), "detail": duty.detail.as_dict()}
