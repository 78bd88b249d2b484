"""Finding triage in the web app: suppress a finding (false positive) until a date, with a reason.

Accepting a finding's risk is not kept here: it is an exception (services.workspace.add_exception) with
the finding's rule, which the assessment engine honours.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from csmguard.services import audit
from csmguard.store.models_web import TriageRow

SUPPRESSED = "suppressed"


def _view(row: TriageRow) -> dict[str, Any]:
    return {"rule_id": row.rule_id, "decision": row.decision, "reason": row.reason,
            "expires_on": row.expires_on.isoformat()}


def suppress(session: Session, actor: str, fingerprint: str, rule_id: str, reason: str, expires_on: date) -> None:
    """Suppress the finding with ``fingerprint`` until ``expires_on`` (replacing an earlier decision)."""
    row = session.get(TriageRow, fingerprint)
    before = None if row is None else _view(row)
    if row is None:
        row = TriageRow(fingerprint=fingerprint)
        session.add(row)
    row.rule_id, row.decision, row.reason, row.expires_on = rule_id, SUPPRESSED, reason, expires_on
    row.decided_by, row.decided_at = actor, datetime.now(UTC)
    session.flush()
    audit.append(session, actor, "finding.suppress", "finding", fingerprint, before, _view(row))


def lift(session: Session, actor: str, fingerprint: str) -> None:
    """Remove a suppression."""
    row = session.get(TriageRow, fingerprint)
    if row is not None:
        audit.append(session, actor, "finding.unsuppress", "finding", fingerprint, _view(row), None)
        session.delete(row)


def live_decisions(session: Session, today: date) -> dict[str, TriageRow]:
    """Suppressions still in force on ``today``, by fingerprint."""
    rows = session.scalars(select(TriageRow).where(TriageRow.expires_on >= today))
    return {row.fingerprint: row for row in rows}
