"""The run over every REG- rule: each rule's check is a pure function of checks_cloud, checks_people or
checks_more (listed in CHECK_MODULES), run isolated through the rule contract."""

from __future__ import annotations

from datetime import UTC, date, datetime

from csmguard.domain import ScanResult
from csmguard.domain.coverage import Coverage
from csmguard.registers.check_helpers import RegisterCheckContext
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.registers.consistency import reference_errors
from csmguard.registers.facts import RegisterFacts
from csmguard.rules.contract import registry
from csmguard.rules.contract import run_checks as run_rules
from csmguard.rules.loader import RuleSet


def run_checks(rules: RuleSet, facts: RegisterFacts, settings: RegisterCheckSettings, today: date,
               *, target: str = "registers") -> ScanResult:
    """Evaluate every active ``register`` rule over ``facts`` as of ``today``; a check that raises is its
    rule's ``error`` finding."""
    started = datetime.now(UTC)
    findings = run_rules(rules.for_scanner("register"), registry("register", RegisterFacts, RegisterCheckContext),
                         facts, RegisterCheckContext(settings, today))
    counts = facts.counts()
    return ScanResult(scanner="register", targets=(target,), findings=tuple(findings),
                      errors=tuple(reference_errors(facts)),
                      coverage=Coverage(recognised={"register": len(counts)}),
                      stats={"records_read": counts, "records_total": sum(counts.values()),
                             "as_of": today.isoformat(), "rules": len(rules.for_scanner("register"))},
                      started_at=started, finished_at=datetime.now(UTC))
