"""What every IaC check shares (its signature is the rule contract's, csmguard.rules.contract): one way
to turn a verdict on a resource into a finding, its text a named message of the rule's YAML; the
messages every IAC rule shares (``on_resource``, ``unresolved`` …) are in rules/iac/_shared.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csmguard.domain import Finding, FindingStatus, Location, Target
from csmguard.domain.finding import JsonValue
from csmguard.domain.i18n import LocalizedText
from csmguard.rules.model import Rule
from csmguard.scanners.iac.facts import EXPORT_SOURCES, IacFacts, Resource
from csmguard.scanners.iac.values import show

FAIL = FindingStatus.FAIL
PASS = FindingStatus.PASS
UNKNOWN = FindingStatus.UNKNOWN
MANUAL = FindingStatus.MANUAL
NOT_APPLICABLE = FindingStatus.NOT_APPLICABLE


Message = str | LocalizedText
"""A message of the rule: the name of a template in its YAML ``messages:``, or one already rendered."""


def detail(rule: Rule, message: Message, values: Mapping[str, object] | None = None) -> LocalizedText:
    """The rule's message ``message`` filled with ``values`` (a LocalizedText is returned as it is)."""
    return message if isinstance(message, LocalizedText) else rule.render(message, values or {})


def joined(rule: Rule, parts: list[LocalizedText]) -> LocalizedText:
    """Several rendered messages as one, each language with its own separator (shared message ``joined``)."""
    if not parts:
        raise ValueError("nothing to join")
    out = parts[0]
    for part in parts[1:]:
        out = rule.render("joined", {"first": out, "rest": part})
    return out


def verdict(rule: Rule, resource: Resource, status: FindingStatus, message: Message,
            values: Mapping[str, object] | None = None, *, evidence: dict[str, Any] | None = None,
            key: str = "") -> Finding:
    """A finding of ``rule`` on ``resource``: the rule's message ``message`` filled with ``values``,
    after the resource address (shared IAC message ``on_resource``) and with the instances note of a
    ``count``/``for_each`` judged as one instance."""
    small: dict[str, JsonValue] = {"type": resource.type, "source": resource.source}
    for name, value in (evidence or {}).items():
        if isinstance(value, int | float | bool) or value is None:
            small[name] = value
        elif isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value):
            small[name] = [show(v, 200) for v in value[:20]]
        else:
            small[name] = show(value, 300)
    text = detail(rule, message, values)
    if resource.note:
        small["instances"] = resource.note
        kind = "for_each" if resource.note.startswith("for_each") else "count"
        text = rule.render("with_instances_note", {"detail": text, "note": rule.render(f"note_{kind}", {})})
    return rule.finding(
        status,
        Target(kind="iac-resource", id=resource.address, name=resource.type),
        Location(path=resource.file, line=resource.line, resource=resource.address,
                 record=resource.pointer or None),
        message="on_resource",
        values={"resource": resource.address, "detail": text},
        evidence=small,
        key=key,
    )


def rule_types(rule: Rule) -> tuple[str, ...]:
    """The resource types ``rule`` reads, from its YAML ``resource_types``; a rule whose check reads
    its types from the rule but lists none is a broken rule file, reported as the rule's error."""
    if not rule.resource_types:
        raise ValueError(f"rule {rule.id} lists no resource_types for its check {rule.check!r}")
    return rule.resource_types


def resources(rule: Rule, facts: IacFacts, *readable: str) -> list[Resource]:
    """The managed resources of the types among ``readable`` (those this part of the check knows how to
    read) that the rule's YAML ``resource_types`` lists: the YAML alone decides what the rule reads."""
    listed = set(rule_types(rule))
    return [r for r in facts.of_types(*readable) if r.type in listed]


def by_sensitivity(rule: Rule, resource: Resource, sensitive: bool | None, message: Message,
                   values: Mapping[str, object] | None = None, *, key: str = "",
                   evidence: dict[str, Any] | None = None) -> Finding:
    """The finding for a shortcoming that the guideline asks to fix only for critical or sensitive
    resources: fail when tags mark it so, not applicable when tags say it is neither, and unknown when
    no tag says (undetermined scope is never a pass)."""
    status = FAIL if sensitive is True else NOT_APPLICABLE if sensitive is False else UNKNOWN
    wrapper = {FAIL: "sensitive_fail", NOT_APPLICABLE: "sensitive_not_applicable"}.get(status, "sensitive_unknown")
    return verdict(rule, resource, status, wrapper, {"detail": detail(rule, message, values)}, key=key,
                   evidence=evidence)


def unresolved(rule: Rule, resource: Resource, attribute: str, value: object) -> Finding:
    """An ``unknown`` finding: the deciding attribute is an expression the scanner cannot evaluate (or, for
    an exported live configuration, a value the export does not carry)."""
    message = "not_exported" if resource.source in EXPORT_SOURCES else "unresolved"
    return verdict(rule, resource, UNKNOWN, message, {"attribute": attribute, "value": show(value, 80)},
                   evidence={"attribute": attribute, "value": value}, key=attribute)
