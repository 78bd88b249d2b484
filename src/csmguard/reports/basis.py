"""The report's findings by basis (issue #13): (a) non-conformities with the guideline's own words apart from
(b) findings against the firm's policy values and (c) good-practice findings (decisive only where the firm
adopted the practice), and (d) the firm-policy defaults the firm has not confirmed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from csmguard.assessment.model import AssessmentResult, FindingRef
from csmguard.domain import Basis, Lang, LocalizedText, text
from csmguard.reports.labels import SEVERITY_LABELS

BASIS_LABELS: dict[Basis, LocalizedText] = {
    Basis.TEXT: text("指引條文", "the guideline's text"),
    Basis.FIRM_POLICY: text("公司政策", "firm policy"),
    Basis.GOOD_PRACTICE: text("良好實務", "good practice"),
}

BASIS_WORDS: dict[str, LocalizedText] = {
    "basis_heading": text("依據別之發現", "Findings by basis"),
    "basis_intro": text("僅依指引條文，或依公司訂定之政策值（含公司採行為政策之良好實務）之發現，得判定條文不符合；"
                        "未經公司採行之良好實務僅供參考。",
                        "Only findings on the guideline's text, or on a value of the firm's policy (including good "
                        "practices the firm adopted), make a provision non-compliant; good practices the firm has "
                        "not adopted are for information."),
    "nonconformities": text("(a) 指引條文之不符合事項", "(a) Non-conformities with the guideline's text"),
    "policy_findings": text("(b) 公司政策之發現（依公司訂定之期限或門檻）",
                            "(b) Findings against the firm's policy (its periods and thresholds)"),
    "practice_findings": text("(c) 良好實務之發現", "(c) Good-practice findings"),
    "unconfirmed": text("(d) 公司尚未確認之預設值", "(d) Defaults the firm has not confirmed"),
    "unconfirmed_intro": text("下列設定之值為 CSM Guard 之預設或未經確認，非指引所定；"
                              "請以 csmguard policy confirm 確認或變更。",
                              "These values are CSM Guard's defaults or unconfirmed, not the guideline's; confirm or "
                              "change them with csmguard policy confirm."),
    "adopted": text("公司採行為政策之良好實務", "Good practices adopted as firm policy"),
    "adopted_yes": text("已採行（判定條文）", "adopted (decides the provision)"),
    "adopted_no": text("未採行（僅供參考）", "not adopted (for information)"),
    "none": text("無", "None"),
    "setting": text("設定", "Setting"),
    "value": text("值", "Value"),
    "default": text("預設", "Default"),
    "duty": text("義務", "Duty"),
}


@dataclass(frozen=True)
class BasisFinding:
    """A failing finding under one requirement, with what it rests on and whether it decides the verdict."""

    requirement: str
    rule_id: str
    severity_label: str
    title: str
    message: str
    target: str
    decides: bool


@dataclass(frozen=True)
class SettingLine:
    """A firm-policy setting the firm has not confirmed."""

    name: str
    value: str
    default: str
    duty: str
    rules: str


@dataclass(frozen=True)
class AdoptedLine:
    """A good practice the firm adopted."""

    rule_id: str
    by: str
    on: str


@dataclass(frozen=True)
class BasisSections:
    """The four lists the reports show, and the adopted practices."""

    words: dict[str, str]
    nonconformities: tuple[BasisFinding, ...]
    policy_findings: tuple[BasisFinding, ...]
    practice_findings: tuple[BasisFinding, ...]
    unconfirmed: tuple[SettingLine, ...]
    adopted: tuple[AdoptedLine, ...]


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return value if isinstance(value, str) else json.dumps(value)


def _line(requirement: str, f: FindingRef, lang: Lang, decides: bool) -> BasisFinding:
    return BasisFinding(requirement=requirement, rule_id=f.rule_id,
                        severity_label=SEVERITY_LABELS[f.severity.value].get(lang), title=f.title.get(lang),
                        message=f.message.get(lang), target=f.target, decides=decides)


def basis_sections(result: AssessmentResult, lang: Lang) -> BasisSections:
    """The failing findings of ``result`` by basis, and its unconfirmed settings and adopted practices."""
    groups: dict[Basis, list[BasisFinding]] = {b: [] for b in Basis}
    seen: set[tuple[str, str]] = set()
    for r in result.requirements:
        decisive = [(f, True) for f in r.open_findings if f.status == "fail"]
        advisory = [(f, False) for note in r.clauses if note.basis is Basis.GOOD_PRACTICE for f in note.failing]
        for f, decides in decisive + advisory:
            if (r.id, f.fingerprint) in seen:
                continue
            seen.add((r.id, f.fingerprint))
            groups[f.basis].append(_line(r.id, f, lang, decides))
    unconfirmed = tuple(SettingLine(name=s.name, value=_shown(s.value), default=_shown(s.default),
                                    duty=s.duty.get(lang), rules=", ".join(s.rules))
                        for s in result.unconfirmed_settings)
    adopted = tuple(AdoptedLine(a.rule_id, a.adopted_by, a.adopted_at.date().isoformat())
                    for a in result.adopted_practices)
    return BasisSections(words={k: v.get(lang) for k, v in BASIS_WORDS.items()},
                         nonconformities=tuple(groups[Basis.TEXT]), policy_findings=tuple(groups[Basis.FIRM_POLICY]),
                         practice_findings=tuple(groups[Basis.GOOD_PRACTICE]), unconfirmed=unconfirmed,
                         adopted=adopted)
