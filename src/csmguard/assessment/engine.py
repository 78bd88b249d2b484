"""The assessment engine: a pure function of (catalog edition, scope profile, findings, attestations,
exceptions, today) → a status with its chain of reasons for every requirement, and roll-ups.

Rules, per requirement (a provision at shall, should or may):

1. **not_applicable** when the scope profile says it does not apply (the reason names the question
   and the answer), or when the newest live attestation says not_applicable and no failing finding
   is left uncovered (failing checks overrule such an attestation, and the reasons say so).
2. **not_assessed** when a scope question it depends on is unanswered (the reason names it), or when
   no finding, no live attestation and no live exception bears on it.
3. **non_compliant** when failing findings exist that no live exception covers and either no finding
   of the requirement passes or one of those uncovered failures is of high or critical severity; or
   when the newest live attestation says not_implemented.
4. **partially_compliant** when failing findings are all covered by live exceptions (compensating
   control, CSM-4.1); or uncovered failures below high severity are mixed with passing findings; or
   the attestation says partially_implemented; or a manual finding is unanswered (no live
   attestation) or an unknown/error finding remains open; or the attestation says implemented but
   carries no evidence and no check passes; or only a live exception bears on it.
5. **compliant** when nothing fails uncovered, nothing stays open, and automated checks pass and/or
   the newest live attestation says implemented with evidence.

Evidence integrity: ``failed_evidence`` names the evidence files that failed verification before the
assessment (changed on disk, missing). Such a file does not count as evidence of the attestation or
exception citing it (an attestation of implemented whose evidence all failed is partially_compliant,
as one without evidence), and a reason names its SHA-256 and the problem. The result lists every
problem with the records citing the file (``evidence_integrity``).

The first rule that matches, in the order 1, 2 (scope), 3, 4, 5, wins. An exception covers a failing
finding when it is live and lists the finding's rule (or lists no rule, covering all). A record is
live while ``today`` ≤ its expiry; an expired attestation or exception stops counting and the reasons
say so. Of several live attestations the newest (by date attested) counts; the others are listed as
superseded. A manual finding is answered by a live attestation. Findings are matched through
``finding.requirements``; the same (rule, fingerprint) seen twice counts once (the latest).

A provision whose items are provisions themselves (CSM-10.1, CSM-14.4, CSM-17.1) rolls up: its own
records (if any) and its applicable items combine — any non_compliant → non_compliant; all
compliant → compliant; all not_assessed → not_assessed; all not_applicable → not_applicable; else
partially_compliant. Roll-ups per article, chapter, domain and overall: see rollup.py.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, date, datetime

from csmguard.assessment.clauses import clause_notes, clause_reasons, split, summary_label
from csmguard.assessment.evaluate import Own, evaluate_own, finding_ref
from csmguard.assessment.model import (
    AssessmentResult,
    ComplianceStatus,
    EvidenceIntegrity,
    FailedEvidence,
    Reason,
    ReasonKind,
    RecordRef,
    RequirementResult,
    ScanRef,
)
from csmguard.assessment.rollup import (
    DEFAULT_WEIGHTS,
    article_rollups,
    chapter_rollups,
    combine,
    domain_rollups,
    overall_rollup,
)
from csmguard.catalog.model import Catalog, Node
from csmguard.catalog.scope import ScopeProfile, applicability
from csmguard.domain import Finding, FindingStatus, Level, requirement_sort_key, text
from csmguard.domain.attestation import Attestation, ExceptionRecord

# On a tie in time the worse verdict wins, so the result never depends on the order of the inputs.
_WORSE = {FindingStatus.FAIL: 5, FindingStatus.ERROR: 4, FindingStatus.UNKNOWN: 3, FindingStatus.MANUAL: 2,
          FindingStatus.PASS: 1, FindingStatus.NOT_APPLICABLE: 0}


def dedupe_findings(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per (rule, fingerprint): the most recently observed (the worse verdict on a tie),
    in (rule, fingerprint) order."""
    latest: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        key = (finding.rule_id, finding.fingerprint)
        seen = latest.get(key)
        if seen is None or (finding.observed_at, _WORSE[finding.status]) > (seen.observed_at, _WORSE[seen.status]):
            latest[key] = finding
    return [latest[key] for key in sorted(latest)]


def assess(
    catalog: Catalog,
    profile: ScopeProfile,
    findings: Iterable[Finding],
    attestations: Iterable[Attestation],
    exceptions: Iterable[ExceptionRecord],
    today: date,
    *,
    generated_at: datetime | None = None,
    weights: Mapping[Level, int] | None = None,
    failed_evidence: Iterable[FailedEvidence] | None = None,
    finding_scans: Mapping[str, str] | None = None,
    scans: Iterable[ScanRef] = (),
    adopted_practices: Collection[str] = frozenset(),
) -> AssessmentResult:
    """Assess every requirement of ``catalog`` for the organization of ``profile`` on ``today``.
    ``failed_evidence``: the evidence files that failed verification (None: evidence was not verified;
    an empty list: every file was verified intact). ``finding_scans``: the recorded scan of each finding,
    by fingerprint, so that each requirement names the scans its verdict rests on; ``scans``: the ledger
    of recorded scans (counted, failed, voided) that the report lists; ``adopted_practices``: the
    good-practice rules the firm adopted as its policy (only those may make a provision 不符合)."""
    weights = dict(weights or DEFAULT_WEIGHTS)
    failed_list = sorted(failed_evidence or (), key=lambda f: (f.problem.value, f.sha256))
    failed = {f.sha256: f for f in failed_list}
    requirements = {node.id: node for node in catalog.requirements()}
    read = list(findings)
    unique = dedupe_findings(read)
    by_req: dict[str, list[Finding]] = {rid: [] for rid in requirements}
    unmatched = []
    for finding in unique:
        matched = [rid for rid in finding.requirements if rid in by_req]
        for rid in matched:
            by_req[rid].append(finding)
        if not matched:
            unmatched.append(finding_ref(finding))
    atts: dict[str, list[Attestation]] = {rid: [] for rid in requirements}
    excs: dict[str, list[ExceptionRecord]] = {rid: [] for rid in requirements}
    attestation_list, exception_list = list(attestations), list(exceptions)
    for att in attestation_list:
        if att.requirement in atts:
            atts[att.requirement].append(att)
    for exc in exception_list:
        if exc.requirement in excs:
            excs[exc.requirement].append(exc)

    results: dict[str, RequirementResult] = {}

    def decide(node: Node) -> RequirementResult:
        if node.id in results:
            return results[node.id]
        children = [decide(child) for child in catalog.children(node.id) if child.is_requirement]
        result = _requirement(node, catalog, profile, children, by_req[node.id], atts[node.id], excs[node.id], today,
                              failed, adopted_practices)
        if finding_scans:
            scans = sorted({finding_scans[f.fingerprint] for f in by_req[node.id] if f.fingerprint in finding_scans})
            result = result.model_copy(update={"scans": tuple(scans)})
        results[node.id] = result
        return result

    ordered = [decide(node) for node in requirements.values()]
    return AssessmentResult(
        edition=catalog.edition,
        organization=profile.organization,
        assessed_on=today,
        generated_at=generated_at or datetime.now(UTC),
        weights=weights,
        requirements=tuple(ordered),
        articles=tuple(article_rollups(catalog, ordered, weights)),
        chapters=tuple(chapter_rollups(catalog, ordered, weights)),
        domains=tuple(domain_rollups(ordered, weights)),
        overall=overall_rollup(ordered, weights),
        unmatched_findings=tuple(unmatched),
        records=tuple(record_refs(attestation_list, exception_list, today)),
        inputs={"findings_read": len(read), "duplicate_findings": len(read) - len(unique), "findings": len(unique),
                "unmatched_findings": len(unmatched), "attestations": len(attestation_list),
                "exceptions": len(exception_list), "evidence_problems": len(failed_list)},
        evidence_checked=failed_evidence is not None,
        evidence_integrity=tuple(evidence_integrity(failed_list, attestation_list, exception_list)),
        scans=tuple(scans),
    )


def evidence_integrity(failed: Iterable[FailedEvidence], attestations: Iterable[Attestation],
                       exceptions: Iterable[ExceptionRecord]) -> list[EvidenceIntegrity]:
    """Every evidence problem with the attestations, exceptions and requirements that cite the file."""
    atts, excs = list(attestations), list(exceptions)
    out: list[EvidenceIntegrity] = []
    for item in failed:
        citing_atts = [a for a in atts if any(e.sha256 == item.sha256 for e in a.evidence)]
        citing_excs = [e for e in excs if any(x.sha256 == item.sha256 for x in e.evidence)]
        refs = [*(a.evidence for a in citing_atts), *(e.evidence for e in citing_excs)]
        names = [e.name for evidence in refs for e in evidence if e.sha256 == item.sha256]
        reqs = {a.requirement for a in citing_atts} | {e.requirement for e in citing_excs}
        out.append(EvidenceIntegrity(
            sha256=item.sha256, problem=item.problem, name=item.name or (names[0] if names else None),
            detail=item.detail, attestation_ids=tuple(sorted(a.id for a in citing_atts)),
            exception_ids=tuple(sorted(e.id for e in citing_excs)),
            requirements=tuple(sorted(reqs, key=requirement_sort_key)), register_records=item.register_records))
    return out


def record_refs(attestations: Iterable[Attestation], exceptions: Iterable[ExceptionRecord],
                today: date) -> list[RecordRef]:
    """Every attestation and exception, by requirement and date, marked live or expired on ``today``."""
    refs = [RecordRef(kind="attestation", id=a.id, requirement=a.requirement, status=a.status.value, by=a.attested_by,
                      on=a.attested_on, expires_on=a.expires_on, live=a.is_live(today), statement=a.statement,
                      evidence_sha256=tuple(e.sha256 for e in a.evidence)) for a in attestations]
    refs += [RecordRef(kind="exception", id=e.id, requirement=e.requirement, status="exception", by=e.approver,
                       on=e.approved_on, expires_on=e.expires_on, live=e.is_live(today),
                       statement=f"{e.rationale} / {e.compensating_controls}",
                       evidence_sha256=tuple(x.sha256 for x in e.evidence), rule_ids=e.rule_ids) for e in exceptions]
    return sorted(refs, key=lambda r: (requirement_sort_key(r.requirement), r.kind, r.on, r.id))


def _requirement(node: Node, catalog: Catalog, profile: ScopeProfile, children: list[RequirementResult],
                 findings: list[Finding], atts: list[Attestation], excs: list[ExceptionRecord],
                 today: date, failed: Mapping[str, FailedEvidence], adopted: Collection[str]) -> RequirementResult:
    assert node.level is not None and node.text is not None
    scope = applicability(node, catalog, profile)
    scope_reasons = [Reason(kind=ReasonKind.SCOPE, text=r) for r in scope.reasons]
    base = {
        "id": node.id, "parent": node.parent, "children": tuple(c.id for c in children), "chapter": node.chapter,
        "article": node.article, "domain": node.domain.value, "level": node.level, "title": node.title,
        "text": node.text, "applicability": scope.reasons,
    }
    if scope.applies is False:
        return RequirementResult(status=ComplianceStatus.NOT_APPLICABLE, applies=False, reasons=(
            Reason(kind=ReasonKind.VERDICT,
                   text=text("依適用範圍設定不適用", "Not applicable under the scope profile")),
            *scope_reasons), **base)
    if scope.applies is None:
        waiting = [Reason(kind=ReasonKind.NO_EVIDENCE, text=text(
            f"已有 {len(findings)} 項檢查發現，待回答適用範圍問題後再評估",
            f"{len(findings)} finding(s) recorded; assessed once the scope question is answered"))] if findings else []
        return RequirementResult(status=ComplianceStatus.NOT_ASSESSED, applies=None, reasons=(
            Reason(kind=ReasonKind.VERDICT, text=text("適用範圍尚未確定", "Scope not yet determined")),
            *scope_reasons, *waiting), **base)
    decisive, advisory = split(findings, node.level, adopted)
    own = evaluate_own(decisive, atts, excs, today, failed)
    status, verdict = _with_children(own, children)
    notes = clause_notes(advisory)
    label = None
    if notes:
        zh, en = summary_label(status.label.zh_tw, status.label.en, node.level, notes)
        label = text(zh, en)
    return RequirementResult(
        status=status,
        applies=status is not ComplianceStatus.NOT_APPLICABLE,
        clauses=tuple(notes),
        label=label,
        reasons=(verdict, *own.reasons, *clause_reasons(notes), *_child_reasons(children), *scope_reasons),
        open_findings=tuple(own.open_findings),
        passing_rules=tuple(own.passing_rules),
        evidence=tuple(own.evidence),
        attestation_ids=tuple(own.attestation_ids),
        exception_ids=tuple(own.exception_ids),
        **base,
    )


def _with_children(own: Own, children: list[RequirementResult]) -> tuple[ComplianceStatus, Reason]:
    none_bears = Reason(kind=ReasonKind.VERDICT, text=text(
        "無任何檢查發現、有效聲明或有效例外與本條相關", "No finding, live attestation or live exception bears on it"))
    if not children:
        if own.status is None or own.verdict is None:
            return ComplianceStatus.NOT_ASSESSED, none_bears
        return own.status, Reason(kind=ReasonKind.VERDICT, text=own.verdict)
    if own.status is ComplianceStatus.NOT_APPLICABLE and own.verdict is not None:
        return own.status, Reason(kind=ReasonKind.VERDICT, text=own.verdict)
    parts = [c.status for c in children] + ([own.status] if own.status is not None else [])
    status = combine(parts)
    counts = {s: sum(1 for p in parts if p is s) for s in ComplianceStatus if s in parts}
    zh = "、".join(f"{s.label.zh_tw} {n}" for s, n in counts.items())
    en = ", ".join(f"{n} {s.label.en.lower()}" for s, n in counts.items())
    own_zh = "（含本項本身之紀錄）" if own.status is not None else ""
    own_en = " (including this provision's own records)" if own.status is not None else ""
    return status, Reason(kind=ReasonKind.VERDICT, text=text(f"由各款彙總{own_zh}：{zh}",
                                                             f"Rolled up from its items{own_en}: {en}"))


def _child_reasons(children: list[RequirementResult]) -> list[Reason]:
    return [Reason(kind=ReasonKind.CHILD, requirement=c.id,
                   text=text(f"{c.id}：{c.status.label.zh_tw}", f"{c.id}: {c.status.label.en}")) for c in children]
