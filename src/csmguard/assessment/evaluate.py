"""How one requirement's own findings, attestations and exceptions decide its status (see engine.py
for the rules in full). Pure functions; ``today`` decides which records are live."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from csmguard.assessment.model import (
    ComplianceStatus,
    EvidenceItem,
    EvidenceProblemKind,
    FailedEvidence,
    FindingRef,
    Reason,
    ReasonKind,
)
from csmguard.domain import Basis, Finding, FindingStatus, LocalizedText, Severity, text
from csmguard.domain.attestation import Attestation, AttestedStatus, EvidenceRef, ExceptionRecord

_ATTESTED = {
    AttestedStatus.IMPLEMENTED: ("已實施", "implemented"),
    AttestedStatus.PARTIALLY_IMPLEMENTED: ("部分實施", "partially implemented"),
    AttestedStatus.NOT_IMPLEMENTED: ("未實施", "not implemented"),
    AttestedStatus.NOT_APPLICABLE: ("不適用", "not applicable"),
}
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass
class Own:
    """What a requirement's own records say, before children are combined in."""

    status: ComplianceStatus | None = None
    verdict: LocalizedText | None = None
    reasons: list[Reason] = field(default_factory=list)
    open_findings: list[FindingRef] = field(default_factory=list)
    passing_rules: list[str] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)
    attestation_ids: list[str] = field(default_factory=list)
    exception_ids: list[str] = field(default_factory=list)


def short_id(record_id: str) -> str:
    """A record id as shown in texts: a UUID is cut to its first 8 characters (the full id stays in the refs)."""
    return record_id[:8] if _UUID_RE.match(record_id) else record_id


def finding_ref(finding: Finding, covered_by: str | None = None) -> FindingRef:
    """The short form of a finding kept in a result."""
    loc = finding.location
    parts = [loc.path and (f"{loc.path}:{loc.line}" if loc.line else loc.path), loc.url,
             loc.host and (f"{loc.host}:{loc.port}" if loc.port else loc.host), loc.resource, loc.device_id,
             loc.register_id and (f"{loc.register_id}/{loc.record}" if loc.record else loc.register_id)]
    return FindingRef(rule_id=finding.rule_id, fingerprint=finding.fingerprint, status=finding.status.value,
                      severity=finding.severity, title=finding.title, message=finding.message,
                      target=f"{finding.target.kind}:{finding.target.name or finding.target.id}",
                      location=" ".join(p for p in parts if p), covered_by=covered_by,
                      basis=finding.basis or Basis.TEXT)


def _by_rule(findings: list[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (f.rule_id, f.fingerprint)):
        out.setdefault(finding.rule_id, []).append(finding)
    return out


def _fps(findings: list[Finding]) -> tuple[str, ...]:
    return tuple(f.fingerprint for f in findings)


def _att_sort_key(att: Attestation) -> tuple[date, str, str]:
    return (att.attested_on, att.recorded_at.isoformat() if att.recorded_at else "", att.id)


def _covering(finding: Finding, exceptions: list[ExceptionRecord]) -> ExceptionRecord | None:
    for exc in exceptions:
        if not exc.rule_ids or finding.rule_id in exc.rule_ids:
            return exc
    return None


_PROBLEM_WORDS = {
    EvidenceProblemKind.MODIFIED: ("檔案內容已遭變更（雜湊值不符）", "was changed on disk (it no longer hashes to it)"),
    EvidenceProblemKind.MISSING: ("檔案已遺失", "is missing from the evidence store"),
    EvidenceProblemKind.UNREGISTERED: ("未經登錄", "is not registered"),
}


def _evidence_items(refs: Sequence[EvidenceRef], source: str,
                    failed: Mapping[str, FailedEvidence]) -> list[EvidenceItem]:
    return [EvidenceItem(sha256=e.sha256, name=e.name, size=e.size, source=source,
                         problem=failed[e.sha256].problem if e.sha256 in failed else None) for e in refs]


def _failed_reason(refs: Sequence[EvidenceRef], failed: Mapping[str, FailedEvidence], *, what_zh: str,
                   what_en: str, attestation_id: str | None = None,
                   exception_id: str | None = None) -> Reason | None:
    """The reason naming every SHA-256 of ``refs`` that failed verification and why; None when all are intact."""
    bad = [e for e in refs if e.sha256 in failed]
    if not bad:
        return None
    zh = "；".join(f"SHA-256 {e.sha256}（{e.name}）{_PROBLEM_WORDS[failed[e.sha256].problem][0]}" for e in bad)
    en = "; ".join(f"SHA-256 {e.sha256} ({e.name}) {_PROBLEM_WORDS[failed[e.sha256].problem][1]}" for e in bad)
    return Reason(kind=ReasonKind.EVIDENCE_FAILED, attestation_id=attestation_id, exception_id=exception_id,
                  evidence_sha256=tuple(e.sha256 for e in bad), text=text(
                      f"{what_zh}之佐證驗證失敗，不予採計：{zh}",
                      f"Evidence of {what_en} failed verification and is not counted: {en}"))


def evaluate_own(findings: list[Finding], attestations: list[Attestation], exceptions: list[ExceptionRecord],
                 today: date, failed: Mapping[str, FailedEvidence] | None = None) -> Own:
    """Decide a requirement from its own records; ``status`` stays None when nothing live bears on it.
    ``failed`` maps the SHA-256 of every evidence file that failed verification to the problem: such a
    file is listed but does not count as evidence, and a reason names it."""
    failed = failed or {}
    own = Own()
    reasons = own.reasons
    live_atts = sorted((a for a in attestations if a.is_live(today)), key=_att_sort_key, reverse=True)
    for att in sorted((a for a in attestations if not a.is_live(today)), key=_att_sort_key):
        zh, en = _ATTESTED[att.status]
        reasons.append(Reason(kind=ReasonKind.ATTESTATION_EXPIRED, attestation_id=att.id, text=text(
            f"聲明 {short_id(att.id)}（{zh}）已於 {att.expires_on} 到期，不再採計",
            f"Attestation {short_id(att.id)} ({en}) expired on {att.expires_on}; no longer counted")))
    current = live_atts[0] if live_atts else None
    newest = short_id(current.id) if current else ""
    for att in live_atts[1:]:
        reasons.append(Reason(kind=ReasonKind.ATTESTATION_SUPERSEDED, attestation_id=att.id, text=text(
            f"聲明 {short_id(att.id)} 已由較新之聲明 {newest} 取代",
            f"Attestation {short_id(att.id)} is superseded by the newer attestation {newest}")))
    intact_evidence = 0
    if current is not None:
        zh, en = _ATTESTED[current.status]
        hashes = tuple(e.sha256 for e in current.evidence)
        intact_evidence = sum(1 for e in current.evidence if e.sha256 not in failed)
        own.attestation_ids.append(current.id)
        own.evidence += _evidence_items(current.evidence, f"attestation {current.id}", failed)
        until = f"，有效至 {current.expires_on}" if current.expires_on else ""
        until_en = f", valid until {current.expires_on}" if current.expires_on else ""
        reviewer = f"，複核人 {current.reviewer}" if current.reviewer else ""
        reviewer_en = f", reviewed by {current.reviewer}" if current.reviewer else ""
        reasons.append(Reason(kind=ReasonKind.ATTESTATION, attestation_id=current.id, evidence_sha256=hashes, text=text(
            f"聲明 {short_id(current.id)}：{zh}（{current.attested_by}，{current.attested_on}{reviewer}{until}；"
            f"佐證 {len(hashes)} 件）：{current.statement}",
            f"Attestation {short_id(current.id)}: {en} (by {current.attested_by} on {current.attested_on}{reviewer_en}"
            f"{until_en}; {len(hashes)} evidence file(s)): {current.statement}")))
        bad = _failed_reason(current.evidence, failed, what_zh=f"聲明 {short_id(current.id)}",
                             what_en=f"attestation {short_id(current.id)}", attestation_id=current.id)
        if bad is not None:
            reasons.append(bad)

    live_excs = sorted((e for e in exceptions if e.is_live(today)), key=lambda e: e.id)
    for exc in sorted((e for e in exceptions if not e.is_live(today)), key=lambda e: e.id):
        reasons.append(Reason(kind=ReasonKind.EXCEPTION_EXPIRED, exception_id=exc.id, text=text(
            f"例外 {short_id(exc.id)}（補償性控制）已於 {exc.expires_on} 到期，不再採計",
            f"Exception {short_id(exc.id)} (compensating control) expired on {exc.expires_on}; no longer counted")))
    for exc in live_excs:
        own.exception_ids.append(exc.id)
        own.evidence += _evidence_items(exc.evidence, f"exception {exc.id}", failed)
        scope_zh = "、".join(exc.rule_ids) if exc.rule_ids else "所有規則"
        scope_en = ", ".join(exc.rule_ids) if exc.rule_ids else "all rules"
        reasons.append(Reason(kind=ReasonKind.EXCEPTION, exception_id=exc.id,
                              evidence_sha256=tuple(e.sha256 for e in exc.evidence), text=text(
            f"例外 {short_id(exc.id)}（補償性控制，涵蓋 {scope_zh}；核准人 {exc.approver}，有效至 {exc.expires_on}）："
            f"{exc.rationale}；補償措施：{exc.compensating_controls}",
            f"Exception {short_id(exc.id)} (compensating control covering {scope_en}; approved by {exc.approver}, "
            f"valid until {exc.expires_on}): {exc.rationale}; measures: {exc.compensating_controls}")))
        bad = _failed_reason(exc.evidence, failed, what_zh=f"例外 {short_id(exc.id)}",
                             what_en=f"exception {short_id(exc.id)}", exception_id=exc.id)
        if bad is not None:
            reasons.append(bad)

    fails = [f for f in findings if f.status is FindingStatus.FAIL]
    passes = [f for f in findings if f.status is FindingStatus.PASS]
    manual = [f for f in findings if f.status is FindingStatus.MANUAL]
    unresolved = [f for f in findings if f.status in (FindingStatus.UNKNOWN, FindingStatus.ERROR)]
    inapplicable = [f for f in findings if f.status is FindingStatus.NOT_APPLICABLE]
    uncovered: list[Finding] = []
    covered: list[tuple[Finding, ExceptionRecord]] = []
    for finding in fails:
        cover = _covering(finding, live_excs)
        if cover is None:
            uncovered.append(finding)
            own.open_findings.append(finding_ref(finding))
        else:
            covered.append((finding, cover))
            own.open_findings.append(finding_ref(finding, cover.id))
    for rule_id, group in _by_rule(uncovered).items():
        reasons.append(Reason(kind=ReasonKind.FINDING_FAIL, rule_id=rule_id, fingerprints=_fps(group), text=text(
            f"規則 {rule_id} 未通過 {len(group)} 項（無有效例外涵蓋）",
            f"Rule {rule_id} fails on {len(group)} target(s) (no live exception covers it)")))
    for rule_id, group in _by_rule([f for f, _ in covered]).items():
        exc_ids = sorted({e.id for f, e in covered if f.rule_id == rule_id})
        reasons.append(Reason(kind=ReasonKind.FINDING_COVERED, rule_id=rule_id, fingerprints=_fps(group),
                              exception_id=exc_ids[0], text=text(
            f"規則 {rule_id} 未通過 {len(group)} 項，由例外 {'、'.join(map(short_id, exc_ids))} 之補償性控制涵蓋",
            f"Rule {rule_id} fails on {len(group)} target(s), covered by the compensating control of "
            f"exception {', '.join(map(short_id, exc_ids))}")))
    for rule_id, group in _by_rule(passes).items():
        own.passing_rules.append(rule_id)
        reasons.append(Reason(kind=ReasonKind.FINDING_PASS, rule_id=rule_id, fingerprints=_fps(group), text=text(
            f"規則 {rule_id} 通過 {len(group)} 項", f"Rule {rule_id} passes on {len(group)} target(s)")))
    manual_answered = current is not None
    for rule_id, group in _by_rule(manual + unresolved).items():
        answered = manual_answered and all(f.status is FindingStatus.MANUAL for f in group)
        if not answered:
            own.open_findings += [finding_ref(f) for f in group]
        zh = "須人工確認，已由聲明回覆" if answered else "尚待確認（人工／無法判定）"
        en = "needs a person's review, answered by the attestation" if answered else \
            "remains open (manual review or undecided check)"
        reasons.append(Reason(kind=ReasonKind.FINDING_OPEN, rule_id=rule_id, fingerprints=_fps(group), text=text(
            f"規則 {rule_id} 有 {len(group)} 項{zh}", f"Rule {rule_id}: {len(group)} finding(s) {en}")))
    for rule_id, group in _by_rule(inapplicable).items():
        reasons.append(Reason(kind=ReasonKind.FINDING_NOT_APPLICABLE, rule_id=rule_id, fingerprints=_fps(group),
                              text=text(f"規則 {rule_id} 對 {len(group)} 項目標不適用",
                                        f"Rule {rule_id} does not apply to {len(group)} target(s)")))
    open_left = bool(unresolved) or (bool(manual) and not manual_answered)
    _decide(own, current, intact_evidence, uncovered, covered, passes, open_left, bool(live_excs))
    return own


def _decide(own: Own, current: Attestation | None, intact_evidence: int, uncovered: list[Finding],
            covered: list[tuple[Finding, ExceptionRecord]], passes: list[Finding], open_left: bool,
            has_live_exception: bool) -> None:
    status = current.status if current else None
    serious = [f for f in uncovered if f.severity.rank >= Severity.HIGH.rank]
    c = ComplianceStatus
    if status is AttestedStatus.NOT_APPLICABLE and not uncovered:
        own.status, own.verdict = c.NOT_APPLICABLE, text("有效聲明指出不適用", "A live attestation says not applicable")
    elif uncovered and (not passes or serious):
        why = (text(f"{len(serious)} 項高風險以上之未通過發現無例外涵蓋",
                    f"{len(serious)} failing finding(s) of high or critical severity with no live exception")
               if passes else text(f"{len(uncovered)} 項未通過發現無有效例外涵蓋，且無通過之檢查",
                                   f"{len(uncovered)} failing finding(s) with no live exception, and no check passes"))
        own.status, own.verdict = c.NON_COMPLIANT, why
    elif status is AttestedStatus.NOT_IMPLEMENTED:
        own.status, own.verdict = c.NON_COMPLIANT, text("有效聲明指出未實施", "A live attestation says not implemented")
    elif uncovered:
        own.status, own.verdict = c.PARTIALLY_COMPLIANT, text(
            f"檢查結果互見：{len(uncovered)} 項未通過（皆低於高風險）、{len(passes)} 項通過",
            f"Mixed results: {len(uncovered)} failing finding(s) (all below high severity) and "
            f"{len(passes)} passing")
    elif covered:
        own.status, own.verdict = c.PARTIALLY_COMPLIANT, text(
            f"{len(covered)} 項未通過發現由有效例外之補償性控制涵蓋（第4條第1項）",
            f"{len(covered)} failing finding(s) covered by the compensating control of a live exception (CSM-4.1)")
    elif status is AttestedStatus.PARTIALLY_IMPLEMENTED:
        own.status, own.verdict = c.PARTIALLY_COMPLIANT, text("有效聲明指出部分實施",
                                                              "A live attestation says partially implemented")
    elif open_left:
        own.status, own.verdict = c.PARTIALLY_COMPLIANT, text("尚有待人工確認或無法判定之檢查",
                                                              "Manual or undecided checks remain open")
    elif passes:
        own.status, own.verdict = c.COMPLIANT, text("自動化檢查皆通過，且無未通過之發現",
                                                    "Automated checks pass and nothing fails")
    elif status is AttestedStatus.IMPLEMENTED and intact_evidence:
        own.status, own.verdict = c.COMPLIANT, text(
            "有效聲明指出已實施並附佐證，且無未通過之發現",
            "A live attestation says implemented, with evidence, and nothing fails")
    elif status is AttestedStatus.IMPLEMENTED and current is not None and current.evidence:
        own.status, own.verdict = c.PARTIALLY_COMPLIANT, text(
            "聲明已實施，但所附佐證均未通過完整性驗證，不予採計",
            "Attested as implemented, but none of its evidence passed the integrity check")
    elif status is AttestedStatus.IMPLEMENTED:
        own.status, own.verdict = c.PARTIALLY_COMPLIANT, text("聲明已實施但未附佐證",
                                                              "Attested as implemented but without evidence")
    elif has_live_exception:
        own.status, own.verdict = c.PARTIALLY_COMPLIANT, text(
            "以有效例外之補償性控制替代（第4條第1項）", "Met by the compensating control of a live exception (CSM-4.1)")
    if status is AttestedStatus.NOT_APPLICABLE and uncovered:
        own.reasons.append(Reason(kind=ReasonKind.ATTESTATION, attestation_id=current.id if current else None,
                                  text=text(
            "聲明指出不適用，但檢查仍有未通過之發現，故不採該聲明",
            "The attestation says not applicable, but checks fail; the attestation is disregarded")))
