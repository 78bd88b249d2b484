"""What changed between two assessments, per requirement and per chapter score."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from csmguard.assessment.model import AssessmentResult, ComplianceStatus, RequirementResult
from csmguard.domain import requirement_sort_key


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RequirementChange(_Frozen):
    """How one requirement differs between the older (``before``) and newer (``after``) assessment."""

    id: str
    before: ComplianceStatus | None
    after: ComplianceStatus | None
    new_findings: tuple[str, ...] = ()
    resolved_findings: tuple[str, ...] = ()
    attestations_added: tuple[str, ...] = ()
    attestations_removed: tuple[str, ...] = ()
    exceptions_added: tuple[str, ...] = ()
    exceptions_removed: tuple[str, ...] = ()
    scans_added: tuple[str, ...] = ()
    scans_removed: tuple[str, ...] = ()

    @property
    def status_changed(self) -> bool:
        """Whether the status itself changed."""
        return self.before != self.after


class ScoreChange(_Frozen):
    """The score of one roll-up before and after."""

    key: str
    before: float | None
    after: float | None


class AssessmentDiff(_Frozen):
    """The differences between assessment ``a`` (older) and ``b`` (newer)."""

    a_on: str
    b_on: str
    changes: tuple[RequirementChange, ...]
    scores: tuple[ScoreChange, ...]
    unchanged: int


def _open(result: RequirementResult | None) -> set[str]:
    if result is None:
        return set()
    return {f"{f.rule_id}:{f.fingerprint}" for f in result.open_findings if f.covered_by is None}


def _sorted(values: set[str]) -> tuple[str, ...]:
    return tuple(sorted(values))


def diff_assessments(a: AssessmentResult, b: AssessmentResult) -> AssessmentDiff:
    """Compare ``a`` (the older) with ``b``: status changes, findings newly open or resolved (as
    ``RULE:fingerprint``), the recorded scans that now bear on a requirement or no longer do (the scan
    that resolved or reopened something, a voided scan), attestations and exceptions that started or
    stopped counting, and scores."""
    before = {r.id: r for r in a.requirements}
    after = {r.id: r for r in b.requirements}
    changes: list[RequirementChange] = []
    unchanged = 0
    for rid in sorted(set(before) | set(after), key=requirement_sort_key):
        old, new = before.get(rid), after.get(rid)
        old_atts = set(old.attestation_ids) if old else set()
        new_atts = set(new.attestation_ids) if new else set()
        old_excs = set(old.exception_ids) if old else set()
        new_excs = set(new.exception_ids) if new else set()
        change = RequirementChange(
            id=rid,
            before=old.status if old else None,
            after=new.status if new else None,
            new_findings=_sorted(_open(new) - _open(old)),
            resolved_findings=_sorted(_open(old) - _open(new)),
            attestations_added=_sorted(new_atts - old_atts),
            attestations_removed=_sorted(old_atts - new_atts),
            exceptions_added=_sorted(new_excs - old_excs),
            exceptions_removed=_sorted(old_excs - new_excs),
            scans_added=_sorted(set(new.scans if new else ()) - set(old.scans if old else ())),
            scans_removed=_sorted(set(old.scans if old else ()) - set(new.scans if new else ())),
        )
        if (change.status_changed or change.new_findings or change.resolved_findings or change.attestations_added
                or change.attestations_removed or change.exceptions_added or change.exceptions_removed):
            changes.append(change)
        else:
            unchanged += 1
    scores = [ScoreChange(key="overall", before=a.overall.score, after=b.overall.score)]
    old_ch = {c.key: c.score for c in a.chapters}
    new_ch = {c.key: c.score for c in b.chapters}
    scores += [ScoreChange(key=k, before=old_ch.get(k), after=new_ch.get(k))
               for k in sorted(set(old_ch) | set(new_ch), key=lambda k: int(k.removeprefix("ch-")))]
    return AssessmentDiff(a_on=a.assessed_on.isoformat(), b_on=b.assessed_on.isoformat(), changes=tuple(changes),
                          scores=tuple(scores), unchanged=unchanged)
