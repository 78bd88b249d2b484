"""The policydoc check on the rule contract: a DOC rule's ``check: required_element`` with its
``condition:`` (the element's concepts) as parameters. Pure: facts in, findings out."""

from __future__ import annotations

from dataclasses import dataclass

from csmguard.domain import Finding, FindingStatus, Location, Target
from csmguard.rules.model import Rule
from csmguard.scanners.policydoc.elements import condition_of, find_element, quote
from csmguard.scanners.policydoc.facts import DocumentFacts


@dataclass(frozen=True)
class DocumentContext:
    """What the check needs besides the document's facts: the finding target (the document)."""

    target: Target


def required_element(rule: Rule, facts: DocumentFacts, context: DocumentContext) -> list[Finding]:
    """The rule's finding on the document: pass quoting the passage (message ``present``), fail when it is
    missing (message ``missing``); none when the rule is for another kind of document."""
    condition = condition_of(rule)
    if facts.kind is not condition.kind:
        return []
    match = find_element(facts, condition)
    location = Location(path=facts.path)
    if match is None:
        return [rule.finding(FindingStatus.FAIL, context.target, location, key=condition.element,
                             message="missing", values={"title": rule.title},
                             evidence={"element": condition.element, "kind": condition.kind.value,
                                       "concepts": [c.name for c in condition.concepts]})]
    passage, where = quote(facts, match)
    return [rule.finding(FindingStatus.PASS, context.target, location, key=condition.element,
                         message="present", values={"where": where, "quote": passage},
                         evidence={"element": condition.element, "kind": condition.kind.value, "quote": passage,
                                   "where": where, "phrases": list(match.phrases[:8]), "score": match.score})]
