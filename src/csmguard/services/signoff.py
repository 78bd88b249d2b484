"""Sign-off of a saved assessment: submitted by its preparer (評估人員), reviewed (覆核人員) and approved
(核准人員), three different people, each with the role's permission, names and times kept; the reports
carry the block. A saved assessment's document never changes; once approved its sign-off is final too
(a later change to the workspace is assessed as a new assessment, signed off anew). Every step writes its
audit entry in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from csmguard.auth.roles import Permission, Role, allows
from csmguard.domain.errors import InputError
from csmguard.domain.signoff import ORDER, Signature, SignoffStep
from csmguard.services import audit
from csmguard.services.assessment import resolve_assessment_id
from csmguard.store.db import session_scope
from csmguard.store.models_web import UserRow
from csmguard.store.models_workflow import SignoffRow
from csmguard.workspace import Workspace

PERMISSION = {SignoffStep.SUBMITTED: Permission.EDIT_COMPLIANCE, SignoffStep.REVIEWED: Permission.REVIEW,
              SignoffStep.APPROVED: Permission.APPROVE}

class SignoffRefused(InputError):
    """A sign-off step out of order, by the wrong person, or on a signed-off assessment."""

def _signatures(session: Session, assessment_id: str) -> list[Signature]:
    rows = session.scalars(select(SignoffRow).where(SignoffRow.assessment_id == assessment_id)).all()
    found = {SignoffStep(row.step): row for row in rows}
    return [Signature(step, found[step].username, found[step].display_name,
                      found[step].signed_at.replace(tzinfo=UTC) if found[step].signed_at.tzinfo is None
                      else found[step].signed_at, found[step].note)
            for step in ORDER if step in found]

def signatures(ws: Workspace, assessment: str) -> list[Signature]:
    """The steps signed so far of a saved assessment (id, prefix, ``latest`` or ``previous``), in order."""
    assessment_id = resolve_assessment_id(ws, assessment)
    with session_scope(ws.engine()) as session:
        return _signatures(session, assessment_id)

def is_signed_off(found: list[Signature]) -> bool:
    """Whether all three steps are signed (the assessment is final)."""
    return len(found) == len(ORDER)

def sign(ws: Workspace, assessment: str, step: SignoffStep | str, *, username: str, note: str = "") -> Signature:
    """Sign the next step of a saved assessment's sign-off as ``username`` (an active account whose role has
    the step's permission and who signed no earlier step)."""
    wanted = SignoffStep(step)
    assessment_id = resolve_assessment_id(ws, assessment)
    with audit.write_scope(ws.engine()) as session:
        done = _signatures(session, assessment_id)
        if is_signed_off(done):
            raise SignoffRefused(None, f"assessment {assessment_id[:8]} is signed off and frozen; run a new "
                                 "assessment for later changes", field="assessment")
        expected = ORDER[len(done)]
        if wanted is not expected:
            raise SignoffRefused(None, f"the next step of assessment {assessment_id[:8]} is {expected.value}",
                                 field="step")
        user = session.scalar(select(UserRow).where(func.lower(UserRow.username) == username.strip().lower()))
        if user is None or not user.active:
            raise SignoffRefused(None, f"{username!r} is not an active user account", field="user")
        if not allows(Role(user.role), PERMISSION[wanted]):
            raise SignoffRefused(None, f"{user.username} ({user.role}) may not sign the {wanted.value} step",
                                 field="user")
        if any(s.username.lower() == user.username.lower() for s in done):
            raise SignoffRefused(None, f"{user.username} already signed an earlier step; the preparer, reviewer "
                                 "and approver are three different people", field="user")
        row = SignoffRow(assessment_id=assessment_id, step=wanted.value, username=user.username,
                         display_name=user.display_name, signed_at=datetime.now(UTC), note=note.strip() or None)
        session.add(row)
        session.flush()
        audit.append(session, user.username, f"assessment.{wanted.value}", "assessment", assessment_id, None,
                     {"step": wanted.value, "username": user.username, "display_name": user.display_name,
                      "note": row.note})
        return Signature(wanted, user.username, user.display_name, row.signed_at, row.note)

def withdraw(ws: Workspace, assessment: str, *, username: str, reason: str) -> None:
    """Send a submitted (not yet approved) assessment back: its signatures are removed, with the reason in the
    audit trail. Only a reviewer or approver (never the preparer alone) may do so."""
    if not reason.strip():
        raise InputError(None, "a reason is required", field="reason")
    assessment_id = resolve_assessment_id(ws, assessment)
    with audit.write_scope(ws.engine()) as session:
        done = _signatures(session, assessment_id)
        if not done:
            raise SignoffRefused(None, f"assessment {assessment_id[:8]} was not submitted", field="assessment")
        if is_signed_off(done):
            raise SignoffRefused(None, f"assessment {assessment_id[:8]} is signed off and frozen", field="assessment")
        user = session.scalar(select(UserRow).where(func.lower(UserRow.username) == username.strip().lower()))
        if user is None or not allows(Role(user.role), Permission.REVIEW):
            raise SignoffRefused(None, f"{username} may not return an assessment", field="user")
        for row in session.scalars(select(SignoffRow).where(SignoffRow.assessment_id == assessment_id)).all():
            session.delete(row)
        session.flush()
        audit.append(session, user.username, "assessment.returned", "assessment", assessment_id,
                     {"signed": [s.step.value for s in done]}, {"reason": reason.strip()})
