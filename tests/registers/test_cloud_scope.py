"""Issue #13 item 2: cloud register checks judge services, not providers; a service that is not critical is
out of scope of articles 4–7 (3.1) unless the firm's profile applies them to all services; a provider with no
recorded service is undetermined, never a pass."""

from __future__ import annotations

from datetime import date

from csmguard.assessment import ComplianceStatus, assess
from csmguard.catalog.loader import load_catalog
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.registers.checks import run_checks
from csmguard.rules.loader import load_rules
from tests.assessment.factory import ALL_YES
from tests.registers.facts import facts_from

CATALOG = load_catalog()
RULES = load_rules(CATALOG, ["register"])
AS_OF = date(2026, 6, 30)
ONLY_MAIL = {
    "cloud-services": [{"name": "Mail", "provider": "Small Cloud", "model": "saas", "critical": False}],
    "cloud-providers": [{"name": "Small Cloud"}],
}


def _statuses(registers: dict[str, list[dict[str, object]]]) -> dict[tuple[str, str], str]:
    result = run_checks(RULES, facts_from(registers), RegisterCheckSettings(), AS_OF)
    return {(f.rule_id, f.target.id): f.status.value for f in result.findings}


def test_a_provider_whose_only_service_is_not_critical_fails_nothing_of_articles_4_to_6() -> None:
    got = _statuses(ONLY_MAIL)
    for rule in ("REG-001", "REG-002", "REG-003", "REG-004"):
        assert got[rule, "cloud-services/Mail"] == "not_applicable", rule
    cloud = ("REG-001", "REG-002", "REG-003", "REG-004", "REG-005", "REG-006", "REG-015", "REG-017")
    assert [v for (rule, _), v in got.items() if rule in cloud and v == "fail"] == []
    assessed = assess(CATALOG, ALL_YES, run_checks(RULES, facts_from(ONLY_MAIL), RegisterCheckSettings(),
                                                   AS_OF).findings, [], [], AS_OF)
    for rid in ("CSM-4.2", "CSM-4.3", "CSM-6.1"):
        assert assessed.requirement(rid).status is not ComplianceStatus.NON_COMPLIANT, rid


def test_the_profile_can_apply_articles_4_to_7_to_every_service() -> None:
    got = _statuses({**ONLY_MAIL, "profile": [{"question": "cloud_all_services_in_scope", "answer": True}]})
    for rule in ("REG-001", "REG-003", "REG-004"):
        assert got[rule, "cloud-services/Mail"] == "fail", rule


def test_a_provider_without_a_recorded_service_is_undetermined() -> None:
    got = _statuses({"cloud-providers": [{"name": "Lonely Cloud", "recovery_time_hours": 4,
                                          "last_audit_on": "2026-06-01"}]})
    for rule in ("REG-001", "REG-002", "REG-003", "REG-004"):
        assert got[rule, "cloud-providers/Lonely Cloud"] == "unknown", rule


def test_the_scope_question_is_in_the_catalog() -> None:
    assert "cloud_all_services_in_scope" in {q.id for q in CATALOG.questions}
