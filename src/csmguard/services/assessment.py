"""Assessment use cases: assess a workspace (pure engine over its records), save, load and compare."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from csmguard.assessment import (
    AdoptedPractice,
    AssessmentDiff,
    AssessmentResult,
    EvidenceProblemKind,
    FailedEvidence,
    ScanRef,
    SettingNote,
    assess,
    diff_assessments,
)
from csmguard.catalog.loader import load_catalog
from csmguard.domain import LocalizedText, text
from csmguard.domain.errors import InputError
from csmguard.registers.specs import register_specs
from csmguard.rules.loader import load_rules
from csmguard.services.policy import adoptions, unconfirmed_settings
from csmguard.services.registers import list_records, run_register_checks
from csmguard.services.workspace import (
    current_finding_scans,
    get_assessment,
    get_profile,
    get_scan,
    latest_findings,
    list_assessments,
    list_attestations,
    list_exceptions,
    list_scans,
    save_assessment,
    verify_evidence,
)
from csmguard.workspace import Workspace


@dataclass(frozen=True)
class SavedAssessment:
    """An assessment with the id it is saved under (None when it was not saved)."""

    id: str | None
    result: AssessmentResult


# The register fields that cite evidence files by SHA-256 (a SHA-256 or a list of them).
REGISTER_EVIDENCE_FIELDS = ("document", "audit_reports", "scan_report", "vendor_evidence")


def _register_citations(ws: Workspace) -> dict[str, list[str]]:
    """SHA-256 → the register records citing it, as ``kind/key (field)``."""
    out: dict[str, list[str]] = {}
    for kind, spec in register_specs().items():
        fields = [name for name in spec.fields() if name in REGISTER_EVIDENCE_FIELDS]
        if not fields:
            continue
        for stored in list_records(ws, kind):
            for name in fields:
                value = getattr(stored.record, name)
                for sha in value if isinstance(value, tuple | list) else (value,):
                    if sha:
                        out.setdefault(str(sha), []).append(f"{kind}/{stored.key} ({name})")
    return out


def failed_evidence(ws: Workspace) -> list[FailedEvidence]:
    """Re-hash every file of the workspace's evidence store (``verify_evidence``): the files changed on
    disk, missing, or present but unregistered, as the engine's input, with the register records citing them."""
    problems = verify_evidence(ws)
    cited = _register_citations(ws) if problems else {}
    return [FailedEvidence(sha256=p.sha256, problem=EvidenceProblemKind(p.kind), name=p.name, detail=p.message,
                           register_records=tuple(cited.get(p.sha256, ()))) for p in problems]


def assess_workspace(ws: Workspace, *, today: date | None = None) -> AssessmentResult:
    """Assess the workspace's catalog edition against its profile, the latest findings of every scan and
    register check, and its attestations and exceptions, on ``today`` (default: the current date). The
    evidence store is verified first: a file changed on disk or missing does not count as evidence. The
    good-practice rules the firm adopted decide provisions; the result lists them and every firm-policy
    setting whose value the firm has not confirmed."""
    catalog = load_catalog(ws.settings.edition)
    rules = load_rules(catalog)
    problems = failed_evidence(ws)
    finding_scans = current_finding_scans(ws)
    adopted = adoptions(ws, rules)
    result = assess(catalog, get_profile(ws), latest_findings(ws), list_attestations(ws), list_exceptions(ws),
                    today or date.today(), failed_evidence=problems, finding_scans=finding_scans,
                    scans=scan_ledger(ws, set(finding_scans.values())),
                    adopted_practices=frozenset(a.rule_id for a in adopted))
    unconfirmed = tuple(SettingNote(name=s.name, value=s.value, default=s.spec.default, is_default=s.is_default,
                                    confirmed=False, requirement=s.spec.requirement, duty=s.spec.duty, rules=s.rules)
                        for s in unconfirmed_settings(ws, rules))
    return result.model_copy(update={
        "unconfirmed_settings": unconfirmed,
        "adopted_practices": tuple(AdoptedPractice(rule_id=a.rule_id, adopted_by=a.adopted_by,
                                                   adopted_at=a.adopted_at) for a in adopted)})


def _import_note(ws: Workspace, scan: dict[str, Any]) -> LocalizedText | None:
    """For an imported scan, its verdicts of rules with no mapping (never dropped silently, also not here)."""
    if not str(scan["scanner"]).startswith("import:"):
        return None
    from csmguard.importing.convert import unmapped_text

    found = unmapped_text(get_scan(ws, scan["id"]).get("stats", {}).get("import", {}))
    return text(*found) if found else None


def scan_ledger(ws: Workspace, counted: set[str]) -> list[ScanRef]:
    """Every recorded scan, oldest first, marked counted when some of its findings are current."""
    return [ScanRef(id=s["id"], scanner=s["scanner"], subject=s["subject"], recorded_at=s["recorded_at"],
                    state=s["state"], counted=s["id"] in counted,
                    voided_at=s["voided"]["at"] if s["voided"] else None,
                    voided_by=s["voided"]["by"] if s["voided"] else None,
                    void_reason=s["voided"]["reason"] if s["voided"] else None, note=_import_note(ws, s))
            for s in reversed(list_scans(ws))]


def summary_of(result: AssessmentResult) -> dict[str, Any]:
    """The small summary kept beside a saved assessment (for listings)."""
    return {
        "assessed_on": result.assessed_on.isoformat(),
        "edition": result.edition,
        "organization": result.organization,
        "score": result.overall.score,
        "coverage": result.overall.coverage,
        "counts": {status.value: count for status, count in result.overall.counts.items()},
    }


def run_assessment(ws: Workspace, *, today: date | None = None, save: bool = True,
                   register_checks: bool = False) -> SavedAssessment:
    """Assess the workspace and (unless ``save`` is false) save the result; with ``register_checks``
    the register checks run first (as of the same day), so the assessment reflects the registers now."""
    if register_checks:
        run_register_checks(ws, today)
    result = assess_workspace(ws, today=today)
    if not save:
        return SavedAssessment(None, result)
    assessment_id = save_assessment(ws, result.model_dump(mode="json"), summary=summary_of(result))
    return SavedAssessment(assessment_id, result)


def resolve_assessment_id(ws: Workspace, ref: str) -> str:
    """The full id of a saved assessment named by ``ref``: an id, a unique prefix, ``latest`` or
    ``previous`` (the one before the latest)."""
    saved = list_assessments(ws)
    if ref in ("latest", "previous"):
        index = 0 if ref == "latest" else 1
        if len(saved) <= index:
            raise InputError(None, f"there is no {ref} assessment; run 'csmguard assess' first", field="assessment")
        return saved[index].id
    matches = [s.id for s in saved if s.id.startswith(ref)]
    if len(matches) != 1:
        why = "no" if not matches else "more than one"
        raise InputError(None, f"{why} saved assessment matches {ref!r}", field="assessment")
    return matches[0]


def load_assessment(ws: Workspace, ref: str = "latest") -> SavedAssessment:
    """A saved assessment by id, unique prefix, ``latest`` or ``previous``."""
    assessment_id = resolve_assessment_id(ws, ref)
    document = get_assessment(ws, assessment_id)
    try:
        return SavedAssessment(assessment_id, AssessmentResult.model_validate(document))
    except ValidationError as exc:
        raise InputError(None, f"saved assessment {assessment_id} cannot be read: {exc.error_count()} error(s)",
                         field="assessment") from exc


def diff_saved(ws: Workspace, older: str, newer: str) -> tuple[str, str, AssessmentDiff]:
    """Compare two saved assessments (``older`` first); returns both ids and the differences."""
    a, b = load_assessment(ws, older), load_assessment(ws, newer)
    assert a.id is not None and b.id is not None
    return a.id, b.id, diff_assessments(a.result, b.result)
