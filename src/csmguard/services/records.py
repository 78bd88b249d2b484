"""Use cases on what a workspace records: scan results and findings, evidence files, attestations
and exceptions."""

from __future__ import annotations

import mimetypes
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Text, cast, delete, func, select
from sqlalchemy.orm import Session

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Finding, FindingStatus, LocalizedText, ScanResult, text
from csmguard.domain.attestation import Attestation, AttestedStatus, EvidenceRef, ExceptionRecord
from csmguard.domain.coverage import ScanState, target_key
from csmguard.domain.errors import InputError
from csmguard.evidence import EvidenceProblem, check_blob, read_verified, store_file, stored_hashes
from csmguard.gcpause import cyclic_gc_paused
from csmguard.services import audit
from csmguard.services.currency import recompute, supersede
from csmguard.store.db import session_scope
from csmguard.store.models import (
    AttestationEvidenceRow,
    AttestationRow,
    EvidenceRow,
    ExceptionEvidenceRow,
    ExceptionRow,
    FindingRow,
    ScanRow,
)
from csmguard.workspace import Workspace

EvidenceInput = Path | str


def as_utc(value: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives them back without an offset)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def to_json_data(document: Any) -> Any:
    """``document`` reduced to plain JSON values (dates and datetimes as ISO strings)."""
    return orjson.loads(orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS))


# --- scans -------------------------------------------------------------------------------------------


def record_scan(ws: Workspace, result: ScanResult, *, subject: str | None = None) -> str:
    """Store a scan result (its JSON, its state and coverage, and every finding) and mark the earlier
    findings it resolves as no longer current (see :mod:`csmguard.services.currency`); returns the new
    scan's id. A failed scan (nothing of its kind recognised) is kept for the record without findings."""
    with session_scope(ws.engine()) as session:
        return record_scan_in(session, result, subject=subject)


def record_scan_in(session: Session, result: ScanResult, *, subject: str | None = None,
                   scan_id: str | None = None) -> str:
    """:func:`record_scan` in the caller's transaction (so that an audit entry can commit with it). A given
    ``scan_id`` is an idempotency key (a background job's): a scan already recorded under it (by an attempt
    whose worker died before it could say so) is replaced, findings and all, never recorded twice."""
    earlier = session.get(ScanRow, scan_id) if scan_id is not None else None
    if earlier is not None:
        session.expunge(earlier)
        session.execute(delete(FindingRow).where(FindingRow.scan_id == scan_id))
        session.execute(delete(ScanRow).where(ScanRow.id == scan_id))
        recompute(session, earlier.scanner)  # what the replaced scan had superseded is current again
    scan_id = scan_id or str(uuid.uuid4())
    subject = subject or ",".join(sorted(result.targets)) or result.scanner
    state = result.state
    coverage = result.effective_coverage()
    seq = int(session.execute(select(func.coalesce(func.max(ScanRow.seq), 0))).scalar_one()) + 1
    row = ScanRow(id=scan_id, scanner=result.scanner, subject=subject, started_at=result.started_at,
                  finished_at=result.finished_at, recorded_at=datetime.now(UTC), seq=seq,
                  document=to_json_data(result.to_json_dict()), state=state.value,
                  coverage=coverage.to_json_dict() if coverage.examined else None)
    session.add(row)
    session.flush()
    if state is not ScanState.FAILED:
        for finding in result.findings:
            session.add(FindingRow(scan_id=scan_id, rule_id=finding.rule_id, status=finding.status.value,
                                   severity=finding.severity.value, fingerprint=finding.fingerprint,
                                   requirements=list(finding.requirements),
                                   data=to_json_data(finding.to_json_dict()),
                                   target=target_key(finding.target.kind, finding.target.id), current=True))
        session.flush()
        supersede(session, row, coverage)
    return scan_id


def void_scan(ws: Workspace, scan_id: str, *, reason: str, actor: str) -> dict[str, Any]:
    """Exclude a recorded scan from every later assessment, with the reason, who and when, and an audit
    entry in the same transaction; the findings it had resolved become current again."""
    if not reason.strip():
        raise InputError(None, "a reason is required to void a scan", field="reason")
    with audit.write_scope(ws.engine()) as session:
        row = _scan_row(session, scan_id)
        if row.voided_at is not None:
            raise InputError(None, f"scan {row.id} was already voided on {as_utc(row.voided_at).date()} by "
                             f"{row.voided_by}: {row.void_reason}", field="scan")
        row.voided_at, row.voided_by, row.void_reason = datetime.now(UTC), actor, reason.strip()
        session.flush()
        recompute(session, row.scanner)
        audit.append(session, actor, "scan.void", "scan", row.id, {"scanner": row.scanner, "subject": row.subject},
                     {"reason": row.void_reason})
        return {"id": row.id, "scanner": row.scanner, "subject": row.subject, "voided_by": actor,
                "voided_at": row.voided_at, "reason": row.void_reason}


def _scan_row(session: Session, scan_id: str) -> ScanRow:
    """A scan by id or unique prefix (at least 8 characters)."""
    row = session.get(ScanRow, scan_id)
    if row is None and len(scan_id) >= 8:
        rows = session.execute(select(ScanRow).where(ScanRow.id.startswith(scan_id))).scalars().all()
        row = rows[0] if len(rows) == 1 else None
    if row is None:
        raise InputError(None, f"no recorded scan {scan_id!r}", field="scan")
    return row


def latest_scan_ids(session: Session) -> list[str]:
    """The id of every scan that still has current findings, oldest first."""
    query = (select(ScanRow.id).where(ScanRow.id.in_(select(FindingRow.scan_id).where(FindingRow.current.is_(True))))
             .order_by(ScanRow.seq, ScanRow.id))
    return list(session.execute(query).scalars())


def findings_from_json(documents: Iterable[str | bytes]) -> list[Finding]:
    """Findings from their stored JSON (``Finding.to_json_dict`` form), fully validated; a title or message
    that many findings share is validated once and the same immutable text object is used for all of them."""
    texts: dict[tuple[tuple[str, str], ...], LocalizedText] = {}
    findings: list[Finding] = []
    with cyclic_gc_paused():
        for document in documents:
            data = orjson.loads(document)
            for name in ("title", "message"):
                value = data.get(name)
                if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                    key = tuple(sorted(value.items()))
                    shared = texts.get(key)
                    if shared is None:
                        shared = texts[key] = LocalizedText.model_validate(value)
                    data[name] = shared
            findings.append(Finding.model_validate(data))
    return findings


def latest_findings(ws: Workspace) -> list[Finding]:
    """The current findings (see :mod:`csmguard.services.currency`), the register checks included, in the
    order they were recorded; only their rows of the findings table are read."""
    query = select(cast(FindingRow.data, Text)).where(FindingRow.current.is_(True)).order_by(FindingRow.id)
    with session_scope(ws.engine()) as session:  # streamed: the stored JSON is never all in memory at once
        return findings_from_json(session.scalars(query.execution_options(yield_per=2000)))


def current_finding_scans(ws: Workspace) -> dict[str, str]:
    """The recorded scan of every current finding, by fingerprint (what each verdict rests on)."""
    query = select(FindingRow.fingerprint, FindingRow.scan_id).where(FindingRow.current.is_(True))
    with session_scope(ws.engine()) as session:
        return {fingerprint: scan_id for fingerprint, scan_id in session.execute(query)}


def list_scans(ws: Workspace) -> list[dict[str, Any]]:
    """Every recorded scan, newest first: id, scanner, subject, times, status counts (every status, counted
    from the findings table as the scan's ``stats.status_counts`` counts them), the number of errors
    (the only value taken from the scan's document, by JSON extraction in SQL), its state (complete,
    partial, failed) and, for a voided scan, when, by whom and why."""
    errors = func.json_array_length(ScanRow.document["errors"])
    query = (select(ScanRow.id, ScanRow.scanner, ScanRow.subject, ScanRow.recorded_at, errors, ScanRow.state,
                    ScanRow.voided_at, ScanRow.voided_by, ScanRow.void_reason)
             .order_by(ScanRow.seq.desc()))
    counted = (select(FindingRow.scan_id, FindingRow.status, func.count())
               .group_by(FindingRow.scan_id, FindingRow.status))
    counts: dict[str, dict[str, int]] = {}
    with session_scope(ws.engine()) as session:
        rows = session.execute(query).all()
        for scan_id, status, number in session.execute(counted):
            counts.setdefault(scan_id, {})[status] = int(number)
    scans: list[dict[str, Any]] = []
    for scan_id, scanner, subject, recorded_at, n_errors, state, voided_at, voided_by, void_reason in rows:
        found = counts.get(scan_id, {})
        status_counts = {status.value: found.pop(status.value, 0) for status in FindingStatus} | found
        scans.append({"id": scan_id, "scanner": scanner, "subject": subject, "recorded_at": as_utc(recorded_at),
                      "status_counts": status_counts, "errors": int(n_errors or 0), "state": state,
                      "voided": None if voided_at is None else {"at": as_utc(voided_at), "by": voided_by,
                                                                  "reason": void_reason}})
    return scans


def get_scan(ws: Workspace, scan_id: str) -> dict[str, Any]:
    """The JSON document of a recorded scan, with ``voided`` (when, by whom, why; None unless voided)."""
    with session_scope(ws.engine()) as session:
        row = session.get(ScanRow, scan_id)
        if row is None:
            raise InputError(None, f"no recorded scan {scan_id!r}", field="scan")
        voided = None if row.voided_at is None else {"at": as_utc(row.voided_at), "by": row.voided_by,
                                                     "reason": row.void_reason}
        return {**row.document, "state": row.state, "voided": voided}


# --- evidence ----------------------------------------------------------------------------------------


def _ref(row: EvidenceRow) -> EvidenceRef:
    return EvidenceRef(sha256=row.sha256, name=row.name, size=row.size, media_type=row.media_type)


def _audited(session: Session, actor: str | None, action: str, object_type: str, object_id: str,
             before: Any = None, after: Any = None) -> None:
    """The audit entry of a change, in the change's own transaction (so both commit or neither does); the
    actor defaults to the operating-system user (a change made from the command line)."""
    audit.append(session, actor or audit.os_actor(), action, object_type, object_id, before, after)


def add_evidence(ws: Workspace, path: Path, *, name: str | None = None, actor: str | None = None) -> EvidenceRef:
    """Keep a file in the evidence store (content-addressed by SHA-256) and register it; the audit entry
    (by ``actor``) commits with the registration."""
    if not path.is_file():
        raise InputError(str(path), "no such file")
    sha256, size = store_file(ws.evidence_dir, path)
    with session_scope(ws.engine()) as session:
        row = session.get(EvidenceRow, sha256)
        if row is None:
            row = EvidenceRow(sha256=sha256, name=name or path.name, size=size,
                              media_type=mimetypes.guess_type(path.name)[0], added_at=datetime.now(UTC))
            session.add(row)
            session.flush()
            _audited(session, actor, "evidence.add", "evidence", sha256, None, _ref(row).model_dump(mode="json"))
        return _ref(row)


def list_evidence(ws: Workspace) -> list[EvidenceRef]:
    """Every registered evidence file, by name."""
    with session_scope(ws.engine()) as session:
        return [_ref(r) for r in session.execute(select(EvidenceRow).order_by(EvidenceRow.name)).scalars()]


def get_evidence_ref(ws: Workspace, sha256: str) -> EvidenceRef:
    """The registered evidence file with this SHA-256 (a unique prefix of at least 8 digits also works)."""
    with session_scope(ws.engine()) as session:
        return _ref(_evidence_row(session, sha256))


def _evidence_row(session: Session, sha256: str) -> EvidenceRow:
    sha256 = sha256.strip().lower()
    row = session.get(EvidenceRow, sha256)
    if row is None and len(sha256) >= 8:
        matches = session.execute(select(EvidenceRow).where(EvidenceRow.sha256.startswith(sha256))).scalars().all()
        row = matches[0] if len(matches) == 1 else None
    if row is None:
        raise InputError(None, f"no evidence file {sha256!r} in this workspace", field="evidence")
    return row


def read_evidence(ws: Workspace, sha256: str) -> bytes:
    """The content of a registered evidence file, verified against its SHA-256 (EvidenceTamperedError if not)."""
    ref = get_evidence_ref(ws, sha256)
    return read_verified(ws.evidence_dir, ref.sha256)


def verify_evidence(ws: Workspace) -> list[EvidenceProblem]:
    """Every registered file missing or altered on disk, and every file in the store nobody registered."""
    problems: list[EvidenceProblem] = []
    refs = list_evidence(ws)
    for ref in refs:
        problem = check_blob(ws.evidence_dir, ref.sha256, ref.name)
        if problem is not None:
            problems.append(problem)
    known = {ref.sha256 for ref in refs}
    for sha256, path in stored_hashes(ws.evidence_dir).items():
        if sha256 not in known:
            problems.append(EvidenceProblem(sha256, "unregistered", text(
                f"證據庫中有未登錄的檔案：{path}", f"File in the evidence store that is not registered: {path}"),
                None, str(path)))
    return problems


def resolve_evidence(ws: Workspace, items: Sequence[EvidenceInput]) -> list[EvidenceRef]:
    """Turn files (added to the store) and SHA-256s (already stored) into evidence references."""
    refs: list[EvidenceRef] = []
    for item in items:
        if isinstance(item, Path):
            refs.append(add_evidence(ws, item))
        elif Path(item).is_file():
            refs.append(add_evidence(ws, Path(item)))
        else:
            refs.append(get_evidence_ref(ws, item))
    return refs


# --- attestations and exceptions ---------------------------------------------------------------------


def check_requirement(ws: Workspace, requirement: str) -> None:
    """InputError unless ``requirement`` is an assessable requirement of the workspace's catalog edition."""
    catalog = load_catalog(ws.settings.edition)
    if not catalog.has(requirement):
        raise InputError(None, f"{requirement} is not in catalog {catalog.edition}", field="requirement")
    if not catalog.node(requirement).is_requirement:
        raise InputError(None, f"{requirement} is not an assessable requirement", field="requirement")


def _attestation_evidence(session: Session, owner: str) -> tuple[EvidenceRef, ...]:
    rows = session.execute(select(EvidenceRow).join(AttestationEvidenceRow,
                                                    AttestationEvidenceRow.sha256 == EvidenceRow.sha256)
                           .where(AttestationEvidenceRow.attestation_id == owner)
                           .order_by(AttestationEvidenceRow.position)).scalars().all()
    return tuple(_ref(r) for r in rows)


def _exception_evidence(session: Session, owner: str) -> tuple[EvidenceRef, ...]:
    rows = session.execute(select(EvidenceRow).join(ExceptionEvidenceRow,
                                                    ExceptionEvidenceRow.sha256 == EvidenceRow.sha256)
                           .where(ExceptionEvidenceRow.exception_id == owner)
                           .order_by(ExceptionEvidenceRow.position)).scalars().all()
    return tuple(_ref(r) for r in rows)


def _attestation(session: Session, row: AttestationRow) -> Attestation:
    return Attestation(id=row.id, requirement=row.requirement, status=AttestedStatus(row.status),
                       statement=row.statement, evidence=_attestation_evidence(session, row.id),
                       attested_by=row.attested_by, reviewer=row.reviewer, attested_on=row.attested_on,
                       expires_on=row.expires_on, recorded_at=as_utc(row.recorded_at))


def add_attestation(ws: Workspace, *, requirement: str, status: AttestedStatus | str, statement: str,
                    attested_by: str, reviewer: str | None = None, attested_on: date | None = None,
                    expires_on: date | None = None, evidence: Sequence[EvidenceInput] = (),
                    actor: str | None = None) -> Attestation:
    """Record a person's statement about a requirement, with evidence files, reviewer and expiry; the audit
    entry (by ``actor``) commits with the record."""
    check_requirement(ws, requirement)
    refs = resolve_evidence(ws, evidence)
    draft = Attestation(id=str(uuid.uuid4()), requirement=requirement, status=AttestedStatus(status),
                        statement=statement, evidence=tuple(refs), attested_by=attested_by, reviewer=reviewer,
                        attested_on=attested_on or date.today(), expires_on=expires_on,
                        recorded_at=datetime.now(UTC))
    with session_scope(ws.engine()) as session:
        session.add(AttestationRow(id=draft.id, requirement=draft.requirement, status=draft.status.value,
                                   statement=draft.statement, attested_by=draft.attested_by,
                                   reviewer=draft.reviewer, attested_on=draft.attested_on,
                                   expires_on=draft.expires_on, recorded_at=draft.recorded_at))
        session.flush()
        for position, sha256 in enumerate(dict.fromkeys(r.sha256 for r in refs)):
            session.add(AttestationEvidenceRow(attestation_id=draft.id, sha256=sha256, position=position))
        session.flush()
        _audited(session, actor, "attestation.add", "attestation", draft.id, None, draft.model_dump(mode="json"))
    return draft


def list_attestations(ws: Workspace) -> list[Attestation]:
    """Every attestation (live and expired), by requirement and date."""
    with session_scope(ws.engine()) as session:
        rows = session.execute(select(AttestationRow).order_by(AttestationRow.attested_on,
                                                               AttestationRow.recorded_at)).scalars().all()
        return [_attestation(session, row) for row in rows]


def delete_attestation(ws: Workspace, attestation_id: str, *, actor: str | None = None) -> None:
    """Remove an attestation; the audit entry (by ``actor``, with the record as it was) commits with it."""
    with session_scope(ws.engine()) as session:
        row = session.get(AttestationRow, attestation_id)
        if row is None:
            raise InputError(None, f"no attestation {attestation_id!r}", field="id")
        _audited(session, actor, "attestation.delete", "attestation", attestation_id,
                 _attestation(session, row).model_dump(mode="json"), None)
        session.execute(delete(AttestationEvidenceRow).where(AttestationEvidenceRow.attestation_id == attestation_id))
        session.execute(delete(AttestationRow).where(AttestationRow.id == attestation_id))


def _exception(session: Session, row: ExceptionRow) -> ExceptionRecord:
    return ExceptionRecord(id=row.id, requirement=row.requirement, rationale=row.rationale,
                           compensating_controls=row.compensating_controls, approver=row.approver,
                           approved_on=row.approved_on, expires_on=row.expires_on, rule_ids=tuple(row.rule_ids),
                           evidence=_exception_evidence(session, row.id))


def add_exception(ws: Workspace, *, requirement: str, rationale: str, compensating_controls: str, approver: str,
                  expires_on: date, approved_on: date | None = None, rule_ids: Sequence[str] = (),
                  evidence: Sequence[EvidenceInput] = (), actor: str | None = None) -> ExceptionRecord:
    """Record an accepted deviation with its compensating controls (CSM-4.1), approver and expiry; the audit
    entry (by ``actor``) commits with the record."""
    check_requirement(ws, requirement)
    refs = resolve_evidence(ws, evidence)
    draft = ExceptionRecord(id=str(uuid.uuid4()), requirement=requirement, rationale=rationale,
                            compensating_controls=compensating_controls, approver=approver,
                            approved_on=approved_on or date.today(), expires_on=expires_on,
                            rule_ids=tuple(rule_ids), evidence=tuple(refs))
    with session_scope(ws.engine()) as session:
        session.add(ExceptionRow(id=draft.id, requirement=draft.requirement, rationale=draft.rationale,
                                 compensating_controls=draft.compensating_controls, approver=draft.approver,
                                 approved_on=draft.approved_on, expires_on=draft.expires_on,
                                 rule_ids=list(draft.rule_ids), recorded_at=datetime.now(UTC)))
        session.flush()
        for position, sha256 in enumerate(dict.fromkeys(r.sha256 for r in refs)):
            session.add(ExceptionEvidenceRow(exception_id=draft.id, sha256=sha256, position=position))
        session.flush()
        _audited(session, actor, "exception.add", "exception", draft.id, None, draft.model_dump(mode="json"))
    return draft


def list_exceptions(ws: Workspace) -> list[ExceptionRecord]:
    """Every exception (live and expired), by approval date."""
    with session_scope(ws.engine()) as session:
        rows = session.execute(select(ExceptionRow).order_by(ExceptionRow.approved_on,
                                                             ExceptionRow.recorded_at)).scalars().all()
        return [_exception(session, row) for row in rows]


def delete_exception(ws: Workspace, exception_id: str, *, actor: str | None = None) -> None:
    """Remove an exception; the audit entry (by ``actor``, with the record as it was) commits with it."""
    with session_scope(ws.engine()) as session:
        row = session.get(ExceptionRow, exception_id)
        if row is None:
            raise InputError(None, f"no exception {exception_id!r}", field="id")
        _audited(session, actor, "exception.delete", "exception", exception_id,
                 _exception(session, row).model_dump(mode="json"), None)
        session.execute(delete(ExceptionEvidenceRow).where(ExceptionEvidenceRow.exception_id == exception_id))
        session.execute(delete(ExceptionRow).where(ExceptionRow.id == exception_id))
