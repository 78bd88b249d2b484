"""The workspace use cases that the CLI, the web app and the assessment engine call: the organization
profile, recorded scans and findings, evidence, attestations, exceptions, saved assessments and the
register checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from csmguard.catalog.loader import load_catalog
from csmguard.catalog.scope import ScopeProfile, check_profile
from csmguard.domain.errors import InputError
from csmguard.registers.models import ScopeAnswer
from csmguard.registers.specs import get_spec
from csmguard.services import audit
from csmguard.services.audit import os_actor
from csmguard.services.records import (
    add_attestation,
    add_evidence,
    add_exception,
    as_utc,
    current_finding_scans,
    delete_attestation,
    delete_exception,
    get_evidence_ref,
    get_scan,
    latest_findings,
    list_attestations,
    list_evidence,
    list_exceptions,
    list_scans,
    read_evidence,
    record_scan,
    to_json_data,
    verify_evidence,
)
from csmguard.services.registers import run_register_checks
from csmguard.store import registers_repo
from csmguard.store.db import session_scope
from csmguard.store.models import AssessmentRow, MetaRow
from csmguard.store.register_tables import REGISTER_TABLES
from csmguard.workspace import Workspace, init_workspace, open_workspace

__all__ = [
    "AssessmentSummary",
    "add_attestation",
    "add_evidence",
    "add_exception",
    "current_finding_scans",
    "delete_attestation",
    "delete_exception",
    "get_assessment",
    "get_evidence_ref",
    "get_profile",
    "get_scan",
    "init_workspace",
    "latest_findings",
    "list_assessments",
    "list_attestations",
    "list_evidence",
    "list_exceptions",
    "list_scans",
    "open_workspace",
    "read_evidence",
    "record_scan",
    "run_register_checks",
    "save_assessment",
    "set_profile",
    "verify_evidence",
]

ORGANIZATION_KEY = "organization"


# --- organization profile ----------------------------------------------------------------------------


def get_profile(ws: Workspace) -> ScopeProfile:
    """The organization profile: the scope answers kept in the ``profile`` register."""
    with session_scope(ws.engine()) as session:
        return get_profile_in(session, ws)


def get_profile_in(session: Session, ws: Workspace) -> ScopeProfile:
    """The organization profile as read in ``session``."""
    stored = registers_repo.list_records(session, get_spec("profile"))
    meta = session.get(MetaRow, ORGANIZATION_KEY)
    organization = meta.value if meta is not None else None
    answers: dict[str, bool] = {}
    notes: dict[str, str] = {}
    for item in stored:
        record = item.record
        assert isinstance(record, ScopeAnswer)
        answers[record.question] = record.answer
        if record.note:
            notes[record.question] = record.note
    return ScopeProfile(organization=organization, edition=ws.settings.edition, answers=answers, notes=notes)


def set_profile(ws: Workspace, profile: ScopeProfile, *, actor: str | None = None, source: str | None = None) -> None:
    """Replace the organization profile (answers, notes and organization name) in one transaction, with
    its audit entry (by ``actor``, default the OS user; ``source`` names the profile file in errors)."""
    if profile.edition != ws.settings.edition:
        raise InputError(source, f"the profile is for edition {profile.edition!r}, the workspace uses "
                         f"{ws.settings.edition!r}", field="edition")
    check_profile(profile, load_catalog(ws.settings.edition), source)
    spec = get_spec("profile")
    with audit.write_scope(ws.engine()) as session:
        audit.append(session, actor or os_actor(), "register.profile_load", "profile", source or "profile",
                     get_profile_in(session, ws).model_dump(mode="json"), profile.model_dump(mode="json"))
        session.execute(delete(REGISTER_TABLES["profile"]))
        for question, answer in profile.answers.items():
            registers_repo.upsert(session, spec, ScopeAnswer(question=question, answer=answer,
                                                             note=profile.notes.get(question)))
        session.execute(delete(MetaRow).where(MetaRow.key == ORGANIZATION_KEY))
        if profile.organization:
            session.add(MetaRow(key=ORGANIZATION_KEY, value=profile.organization))


# --- assessments -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentSummary:
    """A saved assessment as listed: its id, when it was saved and the summary given when saving."""

    id: str
    created_at: datetime
    summary: dict[str, Any]


def save_assessment(ws: Workspace, document: dict[str, Any], *, summary: dict[str, Any]) -> str:
    """Save an assessment document (any JSON-able mapping) with a small summary; returns its id."""
    assessment_id = str(uuid.uuid4())
    with session_scope(ws.engine()) as session:
        seq = int(session.execute(select(func.coalesce(func.max(AssessmentRow.seq), 0))).scalar_one()) + 1
        session.add(AssessmentRow(id=assessment_id, created_at=datetime.now(UTC), seq=seq,
                                  summary=to_json_data(summary), document=to_json_data(document)))
    return assessment_id


def get_assessment(ws: Workspace, assessment_id: str) -> dict[str, Any]:
    """A saved assessment document, by id or a unique prefix of it (``latest`` for the newest)."""
    with session_scope(ws.engine()) as session:
        if assessment_id == "latest":
            row = session.execute(select(AssessmentRow).order_by(AssessmentRow.seq.desc()).limit(1)).scalar()
        else:
            rows = session.execute(select(AssessmentRow).where(AssessmentRow.id.startswith(assessment_id))
                                   ).scalars().all()
            row = rows[0] if len(rows) == 1 else None
        if row is None:
            raise InputError(None, f"no saved assessment {assessment_id!r}", field="assessment")
        return dict(row.document)


def list_assessments(ws: Workspace) -> list[AssessmentSummary]:
    """Every saved assessment, newest first (the summaries only: the documents stay in the database)."""
    with session_scope(ws.engine()) as session:
        rows = session.execute(select(AssessmentRow.id, AssessmentRow.created_at, AssessmentRow.summary)
                               .order_by(AssessmentRow.seq.desc())).all()
        return [AssessmentSummary(ident, as_utc(created), dict(summary)) for ident, created, summary in rows]
