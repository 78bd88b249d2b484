"""Which recorded findings are current: the rule by which a later scan resolves an earlier finding.

A finding of scan A (scanner S, rule R, target T) is *current* unless A failed or was voided, or a later
scan B of S that neither failed nor was voided

- examined T with R (B has a finding of R on T, or declared that R examined T), or
- is complete and scanned the same subject as A (the same inputs, read in full).

So a failed scan resolves nothing, a partial scan resolves only what it covered, and a voided scan counts
for nothing. The flag is kept in ``findings.current``: updated when a scan is recorded (the new scan is
always the latest) and recomputed for one scanner when a scan is voided.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Select, and_, exists, select, update
from sqlalchemy.orm import Session, aliased

from csmguard.domain.coverage import Coverage, ScanState
from csmguard.store.models import FindingRow, ScanRow

_CHUNK = 500


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _valid_scans(scanner: str, exclude: str | None = None) -> Select[str]:
    query = select(ScanRow.id).where(ScanRow.scanner == scanner, ScanRow.voided_at.is_(None),
                                     ScanRow.state != ScanState.FAILED.value)
    return query if exclude is None else query.where(ScanRow.id != exclude)


def supersede(session: Session, scan: ScanRow, coverage: Coverage) -> None:
    """Mark as no longer current every earlier finding that the newly recorded ``scan`` resolves."""
    if scan.state == ScanState.FAILED.value:
        return
    earlier = _valid_scans(scan.scanner, exclude=scan.id)
    if scan.state == ScanState.COMPLETE.value:
        same_subject = earlier.where(ScanRow.subject == scan.subject)
        session.execute(update(FindingRow).where(FindingRow.current.is_(True), FindingRow.scan_id.in_(same_subject))
                        .values(current=False))
    newer = aliased(FindingRow)
    proven = exists().where(newer.scan_id == scan.id, newer.rule_id == FindingRow.rule_id,
                            newer.target == FindingRow.target)
    session.execute(update(FindingRow).where(FindingRow.current.is_(True), FindingRow.scan_id.in_(earlier), proven)
                    .values(current=False), execution_options={"synchronize_session": False})
    for group in coverage.examined:
        for targets in _chunks(group.targets):
            session.execute(update(FindingRow).where(
                FindingRow.current.is_(True), FindingRow.scan_id.in_(earlier),
                and_(FindingRow.rule_id.in_(group.rules), FindingRow.target.in_(targets)))
                .values(current=False), execution_options={"synchronize_session": False})


def recompute(session: Session, scanner: str) -> None:
    """Recompute the current flag of every finding of ``scanner`` from the recorded scans, newest first
    (after a scan was voided)."""
    scans = session.execute(select(ScanRow.id, ScanRow.subject, ScanRow.state, ScanRow.voided_at, ScanRow.coverage)
                            .where(ScanRow.scanner == scanner).order_by(ScanRow.seq.desc())).all()
    covered: set[tuple[str, str]] = set()
    closed: set[str] = set()
    current: list[int] = []
    for scan_id, subject, state, voided_at, coverage in scans:
        if voided_at is not None or state == ScanState.FAILED.value:
            continue
        rows = session.execute(select(FindingRow.id, FindingRow.rule_id, FindingRow.target)
                               .where(FindingRow.scan_id == scan_id)).all()
        if subject not in closed:
            current.extend(ident for ident, rule, target in rows if (target, rule) not in covered)
        covered.update((target, rule) for _, rule, target in rows)
        if coverage:
            covered.update(Coverage.model_validate(coverage).examined_keys())
        if state == ScanState.COMPLETE.value:
            closed.add(subject)
    all_of_scanner = select(ScanRow.id).where(ScanRow.scanner == scanner)
    session.execute(update(FindingRow).where(FindingRow.scan_id.in_(all_of_scanner)).values(current=False),
                    execution_options={"synchronize_session": False})
    for start in range(0, len(current), _CHUNK):
        session.execute(update(FindingRow).where(FindingRow.id.in_(current[start:start + _CHUNK]))
                        .values(current=True), execution_options={"synchronize_session": False})
