"""The evaluation of the endpoint rules on one endpoint's facts (pure): every rule through the rule
contract's runner (csmguard.rules.contract), its check found in the scanner's checks modules."""

from __future__ import annotations

from collections.abc import Iterable

from csmguard.domain import Finding
from csmguard.rules.contract import registry, run_checks
from csmguard.rules.model import Rule
from csmguard.scanners.endpoint.check_base import CheckContext
from csmguard.scanners.endpoint.facts import EndpointFacts


def evaluate(rules: Iterable[Rule], facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Every rule's findings on one endpoint, each rule isolated (a check that raises is that rule's
    ``error`` finding); a rule whose protocol does not apply yields none."""
    return run_checks(rules, registry("endpoint", EndpointFacts, CheckContext), facts, ctx,
                      where=facts.target.display)
