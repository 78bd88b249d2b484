"""The one report model every format is written from: an assessment resolved into one language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from csmguard import __version__
from csmguard.assessment.model import (
    STATUS_ORDER,
    AssessmentResult,
    ComplianceStatus,
    EvidenceIntegrity,
    EvidenceProblemKind,
    ReasonKind,
    RecordRef,
    RequirementResult,
    RollUp,
    ScanRef,
)
from csmguard.catalog.model import Catalog
from csmguard.dates import DateStyle, format_date, format_time
from csmguard.domain import Lang, Level, requirement_sort_key, text
from csmguard.domain.signoff import ORDER, ROLE_LABELS, Signature
from csmguard.reports.basis import BasisSections, basis_sections
from csmguard.reports.labels import LEVEL_LABELS, RECORD_LABELS, SEVERITY_LABELS, labels

STATUS_COLORS: dict[ComplianceStatus, str] = {
    ComplianceStatus.COMPLIANT: "#2e7d32",
    ComplianceStatus.PARTIALLY_COMPLIANT: "#f2a900",
    ComplianceStatus.NON_COMPLIANT: "#c62828",
    ComplianceStatus.NOT_ASSESSED: "#8e8e8e",
    ComplianceStatus.NOT_APPLICABLE: "#cfd8dc",
}


@dataclass(frozen=True)
class StatusCell:
    """A status with its label and colour."""

    value: str
    label: str
    color: str


@dataclass(frozen=True)
class GroupRow:
    """One roll-up row (chapter, domain, article or overall)."""

    key: str
    title: str
    status: StatusCell
    counts: tuple[int, ...]  # in STATUS_ORDER
    total: int
    score: float | None
    coverage: float | None


@dataclass(frozen=True)
class FindingRow:
    """An open finding of a requirement."""

    rule_id: str
    fingerprint: str
    status: str
    severity: str
    severity_label: str
    title: str
    message: str
    target: str
    location: str
    covered_by: str | None


@dataclass(frozen=True)
class EvidenceRow:
    """An evidence file with its hash; ``problem`` is the integrity problem's label when it failed verification."""

    name: str
    sha256: str
    size: int
    source: str
    problem: str | None = None


@dataclass(frozen=True)
class IntegrityRow:
    """An evidence file that failed verification, and what cited it."""

    sha256: str
    name: str
    problem: str
    problem_label: str
    detail: str
    requirements: tuple[str, ...]
    records: tuple[str, ...]


@dataclass(frozen=True)
class RecordRow:
    """An attestation or exception as listed in the report."""

    kind: str
    kind_label: str
    id: str
    requirement: str
    status_label: str
    by: str
    on: str
    expires_on: str
    live: bool
    validity: str
    statement: str
    evidence_sha256: tuple[str, ...]


@dataclass(frozen=True)
class ScanLine:
    """A recorded scan as the report lists it."""

    id: str
    scanner: str
    subject: str
    recorded_at: str
    state_label: str
    counted_label: str
    voided: str  # empty unless voided: who, when, why
    note: str = ""  # an import's rules with no mapping


def _scan_line(x: ScanRef, words: dict[str, str], lang: Lang) -> ScanLine:
    voided = ""
    if x.voided_at is not None:
        voided = f"{words['voided']}: {x.voided_by}, {x.voided_at.date().isoformat()}: {x.void_reason}"
    if x.state == "failed" or x.voided_at is not None:
        counted = words["counted_never"]
    else:
        counted = words["counted_yes"] if x.counted else words["counted_no"]
    return ScanLine(id=x.id, scanner=x.scanner, subject=x.subject,
                    recorded_at=x.recorded_at.isoformat(timespec="minutes"),
                    state_label=words.get(f"scan_{x.state}", x.state), counted_label=counted, voided=voided,
                    note=x.note.get(lang) if x.note else "")


@dataclass(frozen=True)
class RequirementRow:
    """One requirement with everything the reports show about it."""

    id: str
    parent: str | None
    chapter: int
    article: int
    domain: str
    level: str
    level_label: str
    title: str
    text: str
    status: StatusCell
    applies: bool | None
    applies_label: str
    justification: str
    reasons: tuple[str, ...]
    evidence: tuple[EvidenceRow, ...]
    findings: tuple[FindingRow, ...]
    passing_rules: tuple[str, ...]
    attestation_ids: tuple[str, ...]
    exception_ids: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """An assessment resolved into one language, ready to be written in any format."""

    lang: Lang
    labels: dict[str, str]
    title: str
    catalog_title: str
    organization: str
    edition: str
    assessed_on: str
    generated_at: str
    generator: str
    assessment_id: str | None
    statuses: tuple[StatusCell, ...]  # in STATUS_ORDER
    overall: GroupRow
    chapters: tuple[GroupRow, ...]
    domains: tuple[GroupRow, ...]
    articles: tuple[GroupRow, ...]
    requirements: tuple[RequirementRow, ...]
    key_gaps: tuple[RequirementRow, ...]
    unmatched: tuple[FindingRow, ...]
    records: tuple[RecordRow, ...]
    summary: str
    result: AssessmentResult
    integrity: tuple[IntegrityRow, ...] = ()
    integrity_note: str = ""
    summary_core: str = ""  # the summary without the integrity note (the HTML shows the note apart)
    scans: tuple[ScanLine, ...] = ()
    basis: BasisSections | None = None  # findings by basis, unconfirmed defaults, adopted practices
    signoff: tuple[SignoffLine, ...] = ()  # the three steps, signed or not
    signed_off: bool = False
    assessed_on_display: str = ""  # the dates as the reader reads them (Asia/Taipei; ISO or 民國)
    generated_at_display: str = ""


@dataclass(frozen=True)
class SignoffLine:
    """One step of the sign-off block: 評估人員／覆核人員／核准人員, who signed and when (empty if not yet)."""

    role: str
    name: str
    username: str
    signed_at: str
    note: str


def _signoff_lines(signatures: Sequence[Signature], lang: Lang, style: DateStyle) -> tuple[SignoffLine, ...]:
    found = {s.step: s for s in signatures}
    lines = []
    for step in ORDER:
        signed = found.get(step)
        lines.append(SignoffLine(role=ROLE_LABELS[step].get(lang), name=signed.display_name if signed else "",
                                 username=signed.username if signed else "",
                                 signed_at=format_time(signed.signed_at, style) if signed else "",
                                 note=(signed.note or "") if signed else ""))
    return tuple(lines)


def status_cell(status: ComplianceStatus, lang: Lang) -> StatusCell:
    """The label and colour of ``status`` in ``lang``."""
    return StatusCell(status.value, status.label.get(lang), STATUS_COLORS[status])


def _group(rollup: RollUp, lang: Lang, prefix: str = "") -> GroupRow:
    counts = tuple(rollup.counts.get(s, 0) for s in STATUS_ORDER)
    return GroupRow(key=rollup.key, title=f"{prefix}{rollup.title.get(lang)}", status=status_cell(rollup.status, lang),
                    counts=counts, total=sum(counts), score=rollup.score, coverage=rollup.coverage)


def _requirement(r: RequirementResult, lang: Lang, words: dict[str, str]) -> RequirementRow:
    applies_label = words["yes"] if r.applies else words["no"] if r.applies is False else words["undetermined"]
    if r.applies is False:
        attested = [x.text.get(lang) for x in r.reasons if x.kind is ReasonKind.ATTESTATION]
        scoped = [x.text.get(lang) for x in r.reasons if x.kind is ReasonKind.SCOPE]
        justification = "；".join(attested or scoped) or r.reasons[0].text.get(lang)
    else:
        justification = "；".join(t.get(lang) for t in r.applicability)
    findings = tuple(FindingRow(
        rule_id=f.rule_id, fingerprint=f.fingerprint, status=f.status, severity=f.severity.value,
        severity_label=SEVERITY_LABELS[f.severity.value].get(lang), title=f.title.get(lang),
        message=f.message.get(lang), target=f.target, location=f.location, covered_by=f.covered_by,
    ) for f in r.open_findings)
    return RequirementRow(
        id=r.id, parent=r.parent, chapter=r.chapter, article=r.article, domain=r.domain, level=r.level.value,
        level_label=LEVEL_LABELS[r.level.value].get(lang), title=r.title.get(lang), text=r.text.get(lang),
        status=status_cell(r.status, lang), applies=r.applies, applies_label=applies_label,
        justification=justification, reasons=tuple(x.text.get(lang) for x in r.reasons),
        evidence=tuple(EvidenceRow(e.name, e.sha256, e.size, e.source, e.problem.label.get(lang) if e.problem else None)
                       for e in r.evidence),
        findings=findings, passing_rules=r.passing_rules, attestation_ids=r.attestation_ids,
        exception_ids=r.exception_ids,
    )


def build_report(result: AssessmentResult, catalog: Catalog, lang: Lang, *,
                 assessment_id: str | None = None, signatures: Sequence[Signature] = (),
                 date_style: DateStyle = DateStyle.ISO) -> Report:
    """Resolve ``result`` (assessed against ``catalog``) into a report in ``lang``, with the assessment's
    sign-off ``signatures`` and its dates in ``date_style`` (times in Asia/Taipei)."""
    words = labels(lang)
    chapter_prefix = {c.key: (f"第{c.key[3:]}章 " if lang is Lang.ZH_TW else f"Ch. {c.key[3:]} ")
                      for c in result.chapters}
    requirements = tuple(_requirement(r, lang, words) for r in result.requirements)
    key_gaps = tuple(r for r in requirements
                     if r.level == Level.SHALL.value and r.status.value == ComplianceStatus.NON_COMPLIANT.value)
    overall = _group(result.overall, lang)
    organization = result.organization or text("（未填）", "(not given)").get(lang)
    counts = dict(zip(STATUS_ORDER, overall.counts, strict=True))
    c = ComplianceStatus
    applicable = overall.total - counts[c.NOT_APPLICABLE]
    score = "—" if overall.score is None else f"{overall.score:.1f}"
    coverage = "—" if overall.coverage is None else f"{overall.coverage:.1f}%"
    n = result.inputs
    assessed = format_date(result.assessed_on, date_style)
    if lang is Lang.ZH_TW:
        summary = (f"{organization}於 {assessed} 依「{catalog.title.zh_tw}」（{catalog.edition}）評估，"
                   f"共 {overall.total} 項條文，其中 {applicable} 項適用：符合 {counts[c.COMPLIANT]} 項、"
                   f"部分符合 {counts[c.PARTIALLY_COMPLIANT]} 項、不符合 {counts[c.NON_COMPLIANT]} 項、"
                   f"未評估 {counts[c.NOT_ASSESSED]} 項；不適用 {counts[c.NOT_APPLICABLE]} 項。"
                   f"加權分數 {score}，評估涵蓋率 {coverage}。「應」層級之不符合事項共 {len(key_gaps)} 項。"
                   f"評估依據：檢查發現 {n.get('findings', 0)} 項（未對應條文 {n.get('unmatched_findings', 0)} 項）、"
                   f"聲明 {n.get('attestations', 0)} 件、例外 {n.get('exceptions', 0)} 件。")
    else:
        summary = (f"{organization} was assessed on {assessed} against the {catalog.title.en} "
                   f"({catalog.edition}). Of {overall.total} requirements, {applicable} apply: "
                   f"{counts[c.COMPLIANT]} compliant, {counts[c.PARTIALLY_COMPLIANT]} partially compliant, "
                   f"{counts[c.NON_COMPLIANT]} non-compliant and {counts[c.NOT_ASSESSED]} not assessed; "
                   f"{counts[c.NOT_APPLICABLE]} are not applicable. Weighted score {score}, assessment coverage "
                   f"{coverage}. {len(key_gaps)} 'shall' requirement(s) are non-compliant. Basis: "
                   f"{n.get('findings', 0)} findings ({n.get('unmatched_findings', 0)} naming no requirement), "
                   f"{n.get('attestations', 0)} attestations, {n.get('exceptions', 0)} exceptions.")
    integrity = tuple(_integrity(x, lang, words) for x in result.evidence_integrity)
    note = integrity_note(result, lang)
    core = summary
    if integrity:
        summary += " " + note if lang is Lang.EN else note
    return Report(
        lang=lang, labels=words, title=words["report_title"], catalog_title=catalog.title.get(lang),
        organization=organization, edition=result.edition, assessed_on=result.assessed_on.isoformat(),
        generated_at=result.generated_at.replace(microsecond=0).isoformat(), generator=f"CSM Guard {__version__}",
        assessment_id=assessment_id, statuses=tuple(status_cell(s, lang) for s in STATUS_ORDER), overall=overall,
        chapters=tuple(_group(ch, lang, chapter_prefix[ch.key]) for ch in result.chapters),
        domains=tuple(_group(d, lang) for d in result.domains),
        articles=tuple(_group(a, lang, f"{a.key} ") for a in result.articles),
        requirements=requirements, key_gaps=key_gaps,
        unmatched=tuple(FindingRow(
            rule_id=f.rule_id, fingerprint=f.fingerprint, status=f.status, severity=f.severity.value,
            severity_label=SEVERITY_LABELS[f.severity.value].get(lang), title=f.title.get(lang),
            message=f.message.get(lang), target=f.target, location=f.location, covered_by=f.covered_by,
        ) for f in result.unmatched_findings),
        records=tuple(_record(x, lang, words) for x in result.records),
        summary=summary, result=result, integrity=integrity, integrity_note=note, summary_core=core,
        scans=tuple(_scan_line(x, words, lang) for x in result.scans), basis=basis_sections(result, lang),
        signoff=_signoff_lines(signatures, lang, date_style), signed_off=len(signatures) == len(ORDER),
        assessed_on_display=format_date(result.assessed_on, date_style),
        generated_at_display=format_time(result.generated_at, date_style),
    )


def integrity_note(result: AssessmentResult, lang: Lang) -> str:
    """One sentence on the evidence integrity check: not done, all intact, or the problems by kind."""
    if not result.evidence_checked:
        return text("本次評估未驗證佐證檔案之完整性。",
                    "The evidence files were not verified for this assessment.").get(lang)
    problems = result.evidence_integrity
    if not problems:
        return text("佐證完整性：證據庫所有檔案均經重新計算雜湊值驗證無誤。",
                    "Evidence integrity: every file of the evidence store was re-hashed and is intact.").get(lang)
    kinds = {k: sum(1 for p in problems if p.problem is k) for k in EvidenceProblemKind}
    cited = sorted({r for p in problems for r in p.requirements}, key=requirement_sort_key)
    zh_kinds = "、".join(f"{k.label.zh_tw} {n} 件" for k, n in kinds.items() if n)
    en_kinds = ", ".join(f"{n} {k.label.en}" for k, n in kinds.items() if n)
    zh_reqs = f"；受影響條文：{'、'.join(cited)}，其佐證不予採計" if cited else ""
    en_reqs = f"; affected requirements: {', '.join(cited)}, whose evidence is not counted" if cited else ""
    registers = sum(len(p.register_records) for p in problems)
    if registers:
        zh_reqs += f"；另有 {registers} 筆清冊紀錄引用之"
        en_reqs += f"; {registers} register record(s) cite them"
    return text(f"佐證完整性：{len(problems)} 件佐證檔案驗證失敗（{zh_kinds}）{zh_reqs}。詳見「佐證完整性」一節。",
                f"Evidence integrity: {len(problems)} evidence file(s) failed verification ({en_kinds}){en_reqs}. "
                f"See the evidence integrity section.").get(lang)


def _integrity(x: EvidenceIntegrity, lang: Lang, words: dict[str, str]) -> IntegrityRow:
    records = tuple(f"{RECORD_LABELS['attestation'].get(lang)} {i}" for i in x.attestation_ids) + tuple(
        f"{RECORD_LABELS['exception'].get(lang)} {i}" for i in x.exception_ids) + tuple(
        f"{words['register']} {r}" for r in x.register_records)
    return IntegrityRow(sha256=x.sha256, name=x.name or "—", problem=x.problem.value,
                        problem_label=x.problem.label.get(lang), detail=x.detail.get(lang) if x.detail else "",
                        requirements=x.requirements, records=records)


def _record(x: RecordRef, lang: Lang, words: dict[str, str]) -> RecordRow:
    if x.kind == "exception":  # an exception's "status" is what it covers
        covers = ", ".join(x.rule_ids) if x.rule_ids else words["all_rules"]
        status_label = f"{words['covers']} {covers}"
    else:
        status = RECORD_LABELS.get(x.status)
        status_label = status.get(lang) if status else x.status
    return RecordRow(kind=x.kind, kind_label=RECORD_LABELS[x.kind].get(lang), id=x.id, requirement=x.requirement,
                     status_label=status_label, by=x.by, on=x.on.isoformat(),
                     expires_on=x.expires_on.isoformat() if x.expires_on else "—", live=x.live,
                     validity=words["live"] if x.live else words["expired"],
                     statement=x.statement, evidence_sha256=x.evidence_sha256)
