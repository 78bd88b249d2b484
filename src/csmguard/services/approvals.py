"""Four-eyes decisions: exceptions (compensating controls, CSM-4.1) and accepted risks are requested by one
user and approved or rejected by another who holds the approve permission (核准人員 or administrator),
never the requester; an approved one expires and is renewed by a new request and a new approval.
Attestations that require review count once their reviewer (never the person attesting) accepts them.

Only approved exceptions and accepted attestations reach the assessment (see ``list_exceptions`` and
``list_attestations`` in :mod:`csmguard.services.records`). Every step writes its audit entry in the
change's own transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from csmguard.auth.roles import Permission, Role, allows
from csmguard.dates import taipei_today
from csmguard.domain.errors import InputError
from csmguard.services import audit
from csmguard.services.records import (
    ACCEPTED,
    APPROVED,
    PENDING,
    EvidenceInput,
    as_utc,
    check_requirement,
    resolve_evidence,
)
from csmguard.store.db import session_scope
from csmguard.store.models import AttestationRow, ExceptionEvidenceRow, ExceptionRow
from csmguard.store.models_web import UserRow
from csmguard.workspace import Workspace

REQUESTED = "requested"
REJECTED = "rejected"
RENEWED = "renewed"  # approved, then replaced by an approved renewal
EXCEPTION = "exception"
ACCEPTED_RISK = "accepted_risk"
KINDS = (EXCEPTION, ACCEPTED_RISK)


class ApprovalRefused(InputError):
    """A step the four-eyes rule or the record's state does not allow (exit 2 on the command line, 400/403
    on the web)."""


@dataclass(frozen=True)
class ExceptionView:
    """An exception or accepted risk at any step of its life, for lists and pages."""

    id: str
    kind: str
    state: str
    requirement: str
    rationale: str
    compensating_controls: str
    rule_ids: tuple[str, ...]
    expires_on: date
    requested_by: str | None
    recorded_at: datetime
    approver: str | None
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    renews: str | None

    def is_live(self, today: date) -> bool:
        """Whether it is approved and still in force on ``today``."""
        return self.state == APPROVED and self.expires_on >= today


def _view(row: ExceptionRow) -> ExceptionView:
    return ExceptionView(id=row.id, kind=row.kind, state=row.state, requirement=row.requirement,
                         rationale=row.rationale, compensating_controls=row.compensating_controls,
                         rule_ids=tuple(row.rule_ids), expires_on=row.expires_on, requested_by=row.requested_by,
                         recorded_at=as_utc(row.recorded_at), approver=row.approver, decided_by=row.decided_by,
                         decided_at=None if row.decided_at is None else as_utc(row.decided_at),
                         decision_note=row.decision_note, renews=row.renews)


def _audit_view(row: ExceptionRow) -> dict[str, object]:
    return {"kind": row.kind, "state": row.state, "requirement": row.requirement, "rationale": row.rationale,
            "compensating_controls": row.compensating_controls, "rule_ids": list(row.rule_ids),
            "expires_on": row.expires_on.isoformat(), "requested_by": row.requested_by, "approver": row.approver,
            "decision_note": row.decision_note, "renews": row.renews}


def _user_with(session: Session, username: str, permission: Permission) -> UserRow:
    """The active account ``username`` whose role has ``permission`` (ApprovalRefused otherwise)."""
    user = session.scalar(select(UserRow).where(func.lower(UserRow.username) == username.lower()))
    if user is None or not user.active:
        raise ApprovalRefused(None, f"{username!r} is not an active user account", field="user")
    if not allows(Role(user.role), permission):
        raise ApprovalRefused(None, f"{username} ({user.role}) lacks the {permission.value} permission", field="user")
    return user


def _row(session: Session, exception_id: str) -> ExceptionRow:
    row = session.get(ExceptionRow, exception_id)
    if row is None:
        raise InputError(None, f"no exception {exception_id!r}", field="id")
    return row


def request_exception(ws: Workspace, *, requirement: str, rationale: str, compensating_controls: str,
                      expires_on: date, requested_by: str, kind: str = EXCEPTION, rule_ids: Sequence[str] = (),
                      evidence: Sequence[EvidenceInput] = (), renews: str | None = None) -> ExceptionView:
    """Record a request for an exception or an accepted risk; it counts for nothing until a second user
    approves it (:func:`decide`)."""
    if kind not in KINDS:
        raise InputError(None, f"kind must be one of {', '.join(KINDS)}", field="kind")
    check_requirement(ws, requirement)
    if not rationale.strip() or not compensating_controls.strip():
        raise InputError(None, "a rationale and the compensating controls are required", field="rationale")
    if expires_on < taipei_today():
        raise InputError(None, f"the expiry {expires_on} has passed", field="expires_on")
    refs = resolve_evidence(ws, evidence)
    with audit.write_scope(ws.engine()) as session:
        row = ExceptionRow(id=str(uuid.uuid4()), requirement=requirement, rationale=rationale.strip(),
                           compensating_controls=compensating_controls.strip(), approver=None, approved_on=None,
                           expires_on=expires_on, rule_ids=list(rule_ids), recorded_at=datetime.now(UTC), kind=kind,
                           state=REQUESTED, requested_by=requested_by, renews=renews)
        session.add(row)
        session.flush()
        for position, sha256 in enumerate(dict.fromkeys(r.sha256 for r in refs)):
            session.add(ExceptionEvidenceRow(exception_id=row.id, sha256=sha256, position=position))
        session.flush()
        audit.append(session, requested_by, f"{kind}.request", "exception", row.id, None, _audit_view(row))
        return _view(row)


def request_renewal(ws: Workspace, exception_id: str, *, expires_on: date, requested_by: str,
                    rationale: str | None = None) -> ExceptionView:
    """Ask for an approved exception (expiring or expired) to be renewed until ``expires_on``: a new request
    with the same requirement, rules, controls and evidence, which needs its own approval."""
    with session_scope(ws.engine()) as session:
        row = _row(session, exception_id)
        if row.state != APPROVED:
            raise ApprovalRefused(None, f"only an approved exception can be renewed (this one is {row.state})",
                                  field="id")
        evidence = [sha for sha, in session.execute(select(ExceptionEvidenceRow.sha256)
                                                    .where(ExceptionEvidenceRow.exception_id == row.id)
                                                    .order_by(ExceptionEvidenceRow.position))]
        fields = (row.requirement, row.rationale, row.compensating_controls, list(row.rule_ids), row.kind)
    requirement, old_rationale, controls, rule_ids, kind = fields
    return request_exception(ws, requirement=requirement, rationale=rationale or old_rationale,
                             compensating_controls=controls, expires_on=expires_on, requested_by=requested_by,
                             kind=kind, rule_ids=rule_ids, evidence=evidence, renews=exception_id)


def decide(ws: Workspace, exception_id: str, *, approve: bool, decided_by: str, note: str = "") -> ExceptionView:
    """Approve or reject a requested exception or accepted risk. The decider must hold the approve
    permission and must not be the requester; a rejection gives its reason. An approved renewal replaces
    the exception it renews (state ``renewed``)."""
    with audit.write_scope(ws.engine()) as session:
        row = _row(session, exception_id)
        if row.state != REQUESTED:
            raise ApprovalRefused(None, f"exception {row.id[:8]} was already decided ({row.state})", field="id")
        user = _user_with(session, decided_by, Permission.APPROVE)
        if row.requested_by is not None and user.username.lower() == row.requested_by.lower():
            raise ApprovalRefused(None, "the requester cannot decide their own request (four-eyes rule)",
                                  field="user")
        if not approve and not note.strip():
            raise InputError(None, "a rejection states its reason", field="note")
        before = _audit_view(row)
        row.decided_by, row.decided_at, row.decision_note = user.username, datetime.now(UTC), note.strip() or None
        if approve:
            if row.expires_on < taipei_today():
                raise ApprovalRefused(None, f"the requested expiry {row.expires_on} has passed", field="expires_on")
            row.state, row.approver, row.approved_on = APPROVED, user.username, taipei_today()
        else:
            row.state = REJECTED
        session.flush()
        action = "approve" if approve else "reject"
        audit.append(session, user.username, f"{row.kind}.{action}", "exception", row.id, before, _audit_view(row))
        if approve and row.renews:
            old = session.get(ExceptionRow, row.renews)
            if old is not None and old.state == APPROVED:
                old_before = _audit_view(old)
                old.state = RENEWED
                session.flush()
                audit.append(session, user.username, f"{old.kind}.renewed", "exception", old.id, old_before,
                             _audit_view(old) | {"renewed_by": row.id})
        return _view(row)


def list_all(ws: Workspace, *, state: str | None = None, requirement: str | None = None) -> list[ExceptionView]:
    """Exceptions and accepted risks in every state (or one), newest request first."""
    query = select(ExceptionRow).order_by(ExceptionRow.recorded_at.desc())
    if state:
        query = query.where(ExceptionRow.state == state)
    if requirement:
        query = query.where(ExceptionRow.requirement == requirement)
    with session_scope(ws.engine()) as session:
        return [_view(row) for row in session.scalars(query)]


def expiring(ws: Workspace, *, within_days: int, today: date | None = None) -> list[ExceptionView]:
    """Approved exceptions that expire within ``within_days`` (or have expired) and have no renewal pending
    or approved: the ones to renew."""
    day = today or taipei_today()
    views = list_all(ws)
    renewing = {v.renews for v in views if v.renews and v.state in (REQUESTED, APPROVED)}
    return [v for v in views if v.state == APPROVED and v.id not in renewing
            and (v.expires_on - day).days <= within_days]


# --- attestation review ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingAttestation:
    """An attestation awaiting (or refused by) its reviewer."""

    id: str
    requirement: str
    status: str
    statement: str
    attested_by: str
    reviewer: str | None
    review_state: str
    recorded_at: datetime


def pending_attestations(ws: Workspace, reviewer: str | None = None) -> list[PendingAttestation]:
    """Attestations awaiting review (optionally those naming ``reviewer``), oldest first."""
    query = select(AttestationRow).where(AttestationRow.review_state == PENDING).order_by(AttestationRow.recorded_at)
    if reviewer:
        query = query.where(func.lower(AttestationRow.reviewer) == reviewer.lower())
    with session_scope(ws.engine()) as session:
        return [PendingAttestation(id=r.id, requirement=r.requirement, status=r.status, statement=r.statement,
                                   attested_by=r.attested_by, reviewer=r.reviewer, review_state=r.review_state,
                                   recorded_at=as_utc(r.recorded_at)) for r in session.scalars(query)]


def review_attestation(ws: Workspace, attestation_id: str, *, accept: bool, reviewer: str, note: str = "") -> None:
    """The named reviewer (holding the review permission, never the person attesting) accepts the
    attestation, which then counts, or rejects it with a reason."""
    with audit.write_scope(ws.engine()) as session:
        row = session.get(AttestationRow, attestation_id)
        if row is None:
            raise InputError(None, f"no attestation {attestation_id!r}", field="id")
        if row.review_state != PENDING:
            raise ApprovalRefused(None, f"attestation {row.id[:8]} is not awaiting review ({row.review_state})",
                                  field="id")
        user = _user_with(session, reviewer, Permission.REVIEW)
        if user.username.lower() == row.attested_by.lower():
            raise ApprovalRefused(None, "the person attesting cannot review their own attestation", field="user")
        if row.reviewer and row.reviewer.lower() != user.username.lower():
            raise ApprovalRefused(None, f"this attestation names {row.reviewer} as its reviewer", field="user")
        if not accept and not note.strip():
            raise InputError(None, "a rejection states its reason", field="note")
        row.review_state = ACCEPTED if accept else REJECTED
        row.reviewer, row.reviewed_at = user.username, datetime.now(UTC)
        session.flush()
        audit.append(session, user.username, "attestation.accept" if accept else "attestation.reject", "attestation",
                     row.id, {"review_state": PENDING},
                     {"review_state": row.review_state, "note": note.strip() or None})
