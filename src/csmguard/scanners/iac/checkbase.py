"""What every IaC check shares (its signature is the rule contract's, csmguard.rules.contract): one way
to turn a verdict on a resource into a finding (message template values ``resource``, ``detail``,
``detail_zh``)."""

from __future__ import annotations

from typing import Any

from csmguard.domain import Finding, FindingStatus, Location, Target
from csmguard.domain.finding import JsonValue
from csmguard.rules.model import Rule
from csmguard.scanners.iac.facts import Resource
from csmguard.scanners.iac.values import show

FAIL = FindingStatus.FAIL
PASS = FindingStatus.PASS
UNKNOWN = FindingStatus.UNKNOWN
MANUAL = FindingStatus.MANUAL
NOT_APPLICABLE = FindingStatus.NOT_APPLICABLE


_NOTES_ZH = {"count": "count 於部署前未知或過大：以單一執行個體判斷",
             "for_each": "for_each 於部署前未知或過大：以單一執行個體判斷"}


def verdict(rule: Rule, resource: Resource, status: FindingStatus, en: str, zh: str, *,
            evidence: dict[str, Any] | None = None, key: str = "") -> Finding:
    """A finding of ``rule`` on ``resource`` with the reason in English and zh-TW."""
    small: dict[str, JsonValue] = {"type": resource.type, "source": resource.source}
    for name, value in (evidence or {}).items():
        if isinstance(value, int | float | bool) or value is None:
            small[name] = value
        elif isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value):
            small[name] = [show(v, 200) for v in value[:20]]
        else:
            small[name] = show(value, 300)
    if resource.note:
        small["instances"] = resource.note
        en, zh = f"{en} [{resource.note}]", f"{zh}［{_NOTES_ZH.get(resource.note.split(' ', 1)[0], resource.note)}］"
    return rule.finding(
        status,
        Target(kind="iac-resource", id=resource.address, name=resource.type),
        Location(path=resource.file, line=resource.line, resource=resource.address),
        values={"resource": resource.address, "detail": en, "detail_zh": zh},
        evidence=small,
        key=key,
    )


def rule_types(rule: Rule) -> tuple[str, ...]:
    """The resource types ``rule`` reads, from its YAML ``resource_types``; a rule whose check reads
    its types from the rule but lists none is a broken rule file, reported as the rule's error."""
    if not rule.resource_types:
        raise ValueError(f"rule {rule.id} lists no resource_types for its check {rule.check!r}")
    return rule.resource_types


def by_sensitivity(rule: Rule, resource: Resource, sensitive: bool | None, en: str, zh: str, *,
                   key: str = "", evidence: dict[str, Any] | None = None) -> Finding:
    """The finding for a shortcoming that the guideline asks to fix only for critical or sensitive
    resources: fail when tags mark it so, not applicable when tags say it is neither, and unknown when
    no tag says (undetermined scope is never a pass)."""
    if sensitive is True:
        return verdict(rule, resource, FAIL, f"tagged critical/sensitive: {en}", f"標記為關鍵／敏感：{zh}",
                       key=key, evidence=evidence)
    if sensitive is False:
        return verdict(rule, resource, NOT_APPLICABLE, f"tagged neither critical nor sensitive: {en}",
                       f"標記為非關鍵／非敏感：{zh}", key=key, evidence=evidence)
    return verdict(rule, resource, UNKNOWN, f"{en}; no tag says whether it is critical or holds sensitive data",
                   f"{zh}；無標籤說明是否為關鍵或含敏感資料", key=key, evidence=evidence)


def unresolved(rule: Rule, resource: Resource, attribute: str, value: object) -> Finding:
    """An ``unknown`` finding: the deciding attribute is an expression the scanner cannot evaluate."""
    return verdict(rule, resource, UNKNOWN,
                   f"{attribute} is an expression that cannot be evaluated without deploying: {show(value, 80)}",
                   f"{attribute} 為無法於部署前求值的運算式：{show(value, 80)}",
                   evidence={"attribute": attribute, "value": value}, key=attribute)
