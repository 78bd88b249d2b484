"""What every IaC check shares: its signature, and one way to turn a verdict on a resource into a
finding (message template values ``resource``, ``detail``, ``detail_zh``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csmguard.domain import Finding, FindingStatus, Location, Target
from csmguard.domain.finding import JsonValue
from csmguard.rules.model import Rule
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.values import show

CheckFn = Callable[[Rule, IacFacts, IacOptions], list[Finding]]

FAIL = FindingStatus.FAIL
PASS = FindingStatus.PASS
UNKNOWN = FindingStatus.UNKNOWN
MANUAL = FindingStatus.MANUAL


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
    return rule.finding(
        status,
        Target(kind="iac-resource", id=resource.address, name=resource.type),
        Location(path=resource.file, line=resource.line, resource=resource.address),
        values={"resource": resource.address, "detail": en, "detail_zh": zh},
        evidence=small,
        key=key,
    )


def unresolved(rule: Rule, resource: Resource, attribute: str, value: object) -> Finding:
    """An ``unknown`` finding: the deciding attribute is an expression the scanner cannot evaluate."""
    return verdict(rule, resource, UNKNOWN,
                   f"{attribute} is an expression that cannot be evaluated without deploying: {show(value, 80)}",
                   f"{attribute} 為無法於部署前求值的運算式：{show(value, 80)}",
                   evidence={"attribute": attribute, "value": value}, key=attribute)
