"""What every endpoint check shares: the context it is given, and how it names the target of a finding."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from csmguard.domain import Finding, FindingStatus, LocalizedText, Location, Target
from csmguard.domain.finding import JsonValue
from csmguard.rules.model import Rule
from csmguard.scanners.endpoint.facts import EndpointFacts
from csmguard.scanners.endpoint.policy import EndpointPolicy


@dataclass(frozen=True)
class CheckContext:
    """What a check needs besides the facts: the policy, and the time to judge dates against."""

    policy: EndpointPolicy
    now: datetime


CheckFn = Callable[[Rule, EndpointFacts, CheckContext], list[Finding]]


def endpoint_target(facts: EndpointFacts) -> Target:
    """The finding target of an endpoint: ``scheme://host:port``."""
    return Target(kind="endpoint", id=facts.target.display, name=facts.target.raw)


def endpoint_location(facts: EndpointFacts) -> Location:
    """Host, port and, for HTTPS, the URL."""
    target = facts.target
    url = None
    if target.protocol.value == "https":
        host = f"[{target.host}]" if ":" in target.host else target.host
        url = f"https://{host}:{target.port}{target.path}"
    return Location(host=target.host, port=target.port, url=url)


def make(rule: Rule, facts: EndpointFacts, status: FindingStatus, *, values: dict[str, object] | None = None,
         message: LocalizedText | None = None, evidence: dict[str, JsonValue] | None = None) -> Finding:
    """A finding of ``rule`` on the endpoint of ``facts``; fail findings use the rule's message template."""
    return rule.finding(status, endpoint_target(facts), endpoint_location(facts), values=values,
                        message=message, evidence=evidence)


def names(items: list[str] | tuple[str, ...], limit: int = 12) -> str:
    """A short comma-separated list for messages (``a, b, c … (+N)``)."""
    shown = ", ".join(items[:limit])
    return shown + (f" … (+{len(items) - limit})" if len(items) > limit else "")
