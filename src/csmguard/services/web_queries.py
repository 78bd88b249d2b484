"""Read-side queries for the web pages over the latest recorded findings, filtered in SQL so that a page
over 100,000 findings reads only the rows it shows (``latest_findings`` validates every finding).

"Latest" is the same as :func:`csmguard.services.records.latest_findings`: the findings of the latest
scan of every (scanner, subject).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, Text, case, cast, func, select
from sqlalchemy.orm import Session

from csmguard.domain import Finding, FindingStatus, Severity
from csmguard.services.records import as_utc, latest_scan_ids
from csmguard.store.models import AssessmentRow, AttestationRow, EvidenceRow, ExceptionRow, FindingRow, ScanRow
from csmguard.store.models_web import AuditRow, TriageRow


@dataclass(frozen=True)
class FindingFilter:
    """Which latest findings a page wants."""

    status: FindingStatus | None = None
    rule_id: str | None = None
    rule_prefix: str | None = None
    requirement: str | None = None
    hide_suppressed_on: date | None = None


def _filtered(scan_ids: Sequence[str], wanted: FindingFilter) -> Select[FindingRow]:
    query = select(FindingRow).where(FindingRow.scan_id.in_(scan_ids))
    if wanted.status is not None:
        query = query.where(FindingRow.status == wanted.status.value)
    if wanted.rule_id:
        query = query.where(FindingRow.rule_id == wanted.rule_id)
    if wanted.rule_prefix:
        query = query.where(FindingRow.rule_id.startswith(wanted.rule_prefix, autoescape=True))
    if wanted.requirement:
        # the JSON list's text holds the ID in quotes: "CSM-16.3" never matches "CSM-16.3.1"
        quoted = '"' + wanted.requirement.replace('"', "") + '"'
        query = query.where(cast(FindingRow.requirements, Text).contains(quoted, autoescape=True))
    if wanted.hide_suppressed_on is not None:
        live = select(TriageRow.fingerprint).where(TriageRow.expires_on >= wanted.hide_suppressed_on)
        query = query.where(FindingRow.fingerprint.not_in(live))
    return query


def find_findings(session: Session, wanted: FindingFilter, limit: int,
                  scan_ids: Sequence[str] | None = None) -> tuple[list[Finding], int]:
    """Up to ``limit`` matching findings (failing first, then the most severe, then by rule) and how many
    match in all."""
    query = _filtered(latest_scan_ids(session) if scan_ids is None else scan_ids, wanted)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    failing_first = case((FindingRow.status == FindingStatus.FAIL.value, 0), else_=1)
    worst_first = case(*((FindingRow.severity == s.value, rank) for rank, s in enumerate(Severity)),
                       else_=len(Severity))
    rows = session.scalars(query.order_by(failing_first, worst_first, FindingRow.rule_id, FindingRow.id)
                           .limit(limit)).all()
    return [Finding.model_validate(row.data) for row in rows], total


def find_by_fingerprint(session: Session, fingerprint: str) -> Finding | None:
    """The latest finding with ``fingerprint``, or None."""
    query = select(FindingRow.data).where(FindingRow.scan_id.in_(latest_scan_ids(session)),
                                          FindingRow.fingerprint == fingerprint).order_by(FindingRow.id.desc())
    data = session.scalars(query.limit(1)).first()
    return None if data is None else Finding.model_validate(data)


class FindingQueryCache:
    """Answers of :func:`find_findings` kept per (latest scans, filter): recorded scans never change, so
    an answer stays right until another scan is recorded (which changes the key). Queries that depend on
    suppressions (which change without a scan) are not kept. One per app; thread-safe; bounded."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._answers: OrderedDict[tuple[object, ...], tuple[list[Finding], int]] = OrderedDict()
        self._lock = threading.Lock()

    def find(self, session: Session, wanted: FindingFilter, limit: int) -> tuple[list[Finding], int]:
        """Like :func:`find_findings`, from the cache when the latest scans are the same."""
        scan_ids = latest_scan_ids(session)
        if wanted.hide_suppressed_on is not None:
            return find_findings(session, wanted, limit, scan_ids)
        key = (tuple(scan_ids), wanted, limit)
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
                return answer
        answer = find_findings(session, wanted, limit, scan_ids)
        with self._lock:
            self._answers[key] = answer
            while len(self._answers) > self._size:
                self._answers.popitem(last=False)
        return answer


@dataclass(frozen=True)
class SavedSummary:
    """A saved assessment as the dashboard lists it (without its document)."""

    id: str
    created_at: datetime
    summary: dict[str, Any]


def assessment_summaries(session: Session, limit: int) -> list[SavedSummary]:
    """The newest saved assessments (newest first), reading only ids, times and summaries."""
    rows = session.execute(select(AssessmentRow.id, AssessmentRow.created_at, AssessmentRow.summary)
                           .order_by(AssessmentRow.seq.desc()).limit(limit))
    return [SavedSummary(row.id, as_utc(row.created_at), dict(row.summary)) for row in rows]


@dataclass(frozen=True)
class ScanListing:
    """A recorded scan as the scans page lists it: without its document, with its finding counts."""

    id: str
    scanner: str
    subject: str
    recorded_at: datetime
    status_counts: dict[str, int]


def recent_scans(session: Session, limit: int) -> list[ScanListing]:
    """The newest recorded scans with how many findings of each status they hold."""
    rows = session.execute(select(ScanRow.id, ScanRow.scanner, ScanRow.subject, ScanRow.recorded_at)
                           .order_by(ScanRow.seq.desc()).limit(limit)).all()
    counts: dict[str, dict[str, int]] = {row.id: {} for row in rows}
    if rows:
        grouped = session.execute(select(FindingRow.scan_id, FindingRow.status, func.count())
                                  .where(FindingRow.scan_id.in_(list(counts)))
                                  .group_by(FindingRow.scan_id, FindingRow.status))
        for scan_id, status, number in grouped:
            counts[scan_id][status] = number
    return [ScanListing(row.id, row.scanner, row.subject, as_utc(row.recorded_at), counts[row.id]) for row in rows]


@cache
def _data_version_query() -> Select[Any]:
    # built once per process: building the eleven sub-selects costs more than running them
    parts = (
        select(func.max(ScanRow.seq)).scalar_subquery(), select(func.count()).select_from(ScanRow).scalar_subquery(),
        select(func.max(AssessmentRow.seq)).scalar_subquery(),
        select(func.count()).select_from(AssessmentRow).scalar_subquery(),
        select(func.max(AttestationRow.recorded_at)).scalar_subquery(),
        select(func.count()).select_from(AttestationRow).scalar_subquery(),
        select(func.max(ExceptionRow.recorded_at)).scalar_subquery(),
        select(func.count()).select_from(ExceptionRow).scalar_subquery(),
        select(func.max(EvidenceRow.added_at)).scalar_subquery(),
        select(func.count()).select_from(EvidenceRow).scalar_subquery(),
        select(func.max(AuditRow.seq)).scalar_subquery(),
    )
    return select(*parts)


def data_version(session: Session) -> tuple[object, ...]:
    """A cheap fingerprint (one query) of everything the dashboard and requirement pages show from the
    database: recorded scans and saved assessments (append-only: highest seq and count), attestations,
    exceptions and evidence (added or deleted: count and newest time; an addition always moves the newest
    time, a deletion the count) and the audit trail (every change made in the web app). Equal
    fingerprints mean equal pages for the same user, language and day."""
    return tuple(session.execute(_data_version_query()).one())
