"""The engine's status rules, expiry, parents rolling up from their items, and group roll-ups."""

from __future__ import annotations

from datetime import date

import pytest

from csmguard.assessment import AssessmentResult, ComplianceStatus, ReasonKind, assess
from csmguard.catalog.loader import load_catalog
from csmguard.catalog.model import Catalog
from csmguard.catalog.scope import ScopeProfile
from csmguard.domain import Finding, FindingStatus, Severity
from csmguard.domain.attestation import Attestation, AttestedStatus, ExceptionRecord
from tests.assessment.factory import ALL_YES, TODAY, attestation, evidence, exception, finding

C = ComplianceStatus


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def run(catalog: Catalog, findings: list[Finding] = (), atts: list[Attestation] = (),  # type: ignore[assignment]
        excs: list[ExceptionRecord] = (), profile: ScopeProfile = ALL_YES,  # type: ignore[assignment]
        today: date = TODAY) -> AssessmentResult:
    return assess(catalog, profile, findings, atts, excs, today)


def kinds(result: AssessmentResult, rid: str) -> list[ReasonKind]:
    return [r.kind for r in result.requirement(rid).reasons]


def test_every_requirement_gets_exactly_one_result_in_text_order(catalog: Catalog) -> None:
    result = run(catalog)
    assert [r.id for r in result.requirements] == [n.id for n in catalog.requirements()]
    na = {r.id for r in result.requirements if r.status is C.NOT_APPLICABLE}
    assert na == {"CSM-17.2"}  # applies only to firms without the app's source code
    assert all(r.status is C.NOT_ASSESSED for r in result.requirements if r.id not in na)
    assert "CSM-1" not in result.status_of() and "CSM-2" not in result.status_of()


def test_scope_not_applicable_carries_the_scope_reason(catalog: Catalog) -> None:
    profile = ScopeProfile(answers={**ALL_YES.answers, "uses_iaas": False})
    result = run(catalog, [finding("IAC-001", "CSM-7.5")], profile=profile)
    r = result.requirement("CSM-7.5")
    assert r.status is C.NOT_APPLICABLE
    assert any(x.kind is ReasonKind.SCOPE and "answered no" in x.text.en for x in r.reasons)
    assert result.requirement("CSM-7.4").status is C.NOT_ASSESSED


def test_unanswered_scope_question_is_not_assessed_with_that_reason(catalog: Catalog) -> None:
    result = run(catalog, [finding("APP-001", "CSM-16.3")], profile=ScopeProfile())
    r = result.requirement("CSM-16.3")
    assert r.status is C.NOT_ASSESSED
    assert any(x.kind is ReasonKind.SCOPE and x.text.en.startswith("Not answered") for x in r.reasons)
    assert any("1 finding(s) recorded" in x.text.en for x in r.reasons)


def test_nothing_bearing_is_not_assessed(catalog: Catalog) -> None:
    r = run(catalog).requirement("CSM-16.3")
    assert r.status is C.NOT_ASSESSED
    assert r.reasons[0].text.en == "No finding, live attestation or live exception bears on it"


def test_passing_checks_alone_are_compliant(catalog: Catalog) -> None:
    r = run(catalog, [finding("APP-001", "CSM-16.3", FindingStatus.PASS)]).requirement("CSM-16.3")
    assert r.status is C.COMPLIANT
    assert r.passing_rules == ("APP-001",)
    assert r.open_findings == ()


def test_uncovered_failure_without_passes_is_non_compliant_naming_rule_and_fingerprint(catalog: Catalog) -> None:
    f = finding("APP-001", "CSM-16.3")
    r = run(catalog, [f]).requirement("CSM-16.3")
    assert r.status is C.NON_COMPLIANT
    fail = next(x for x in r.reasons if x.kind is ReasonKind.FINDING_FAIL)
    assert fail.rule_id == "APP-001" and fail.fingerprints == (f.fingerprint,)
    assert [(o.rule_id, o.fingerprint, o.covered_by) for o in r.open_findings] == [("APP-001", f.fingerprint, None)]


def test_mixed_low_severity_failure_and_passes_is_partial(catalog: Catalog) -> None:
    findings = [finding("APP-001", "CSM-16.3", severity=Severity.MEDIUM),
                finding("APP-002", "CSM-16.3", FindingStatus.PASS)]
    assert run(catalog, findings).requirement("CSM-16.3").status is C.PARTIALLY_COMPLIANT


def test_mixed_but_high_severity_failure_is_non_compliant(catalog: Catalog) -> None:
    findings = [finding("APP-001", "CSM-16.3", severity=Severity.HIGH),
                finding("APP-002", "CSM-16.3", FindingStatus.PASS)]
    assert run(catalog, findings).requirement("CSM-16.3").status is C.NON_COMPLIANT


def test_failure_covered_by_live_exception_is_partial_and_names_the_exception(catalog: Catalog) -> None:
    f = finding("REG-001", "CSM-4.3", target="provider-A")
    r = run(catalog, [f], excs=[exception("CSM-4.3", rule_ids=("REG-001",))]).requirement("CSM-4.3")
    assert r.status is C.PARTIALLY_COMPLIANT
    covered = next(x for x in r.reasons if x.kind is ReasonKind.FINDING_COVERED)
    assert covered.exception_id == "EXC-1" and covered.fingerprints == (f.fingerprint,)
    assert r.open_findings[0].covered_by == "EXC-1"
    assert r.exception_ids == ("EXC-1",)
    assert [e.name for e in r.evidence] == ["exception.pdf"]


def test_exception_for_another_rule_does_not_cover(catalog: Catalog) -> None:
    r = run(catalog, [finding("REG-001", "CSM-4.3")],
            excs=[exception("CSM-4.3", rule_ids=("REG-002",))]).requirement("CSM-4.3")
    assert r.status is C.NON_COMPLIANT


def test_expired_exception_stops_covering_and_says_so(catalog: Catalog) -> None:
    excs = [exception("CSM-4.3", expires_on=date(2026, 11, 28))]
    r = run(catalog, [finding("REG-001", "CSM-4.3")], excs=excs).requirement("CSM-4.3")
    assert r.status is C.NON_COMPLIANT
    expired = next(x for x in r.reasons if x.kind is ReasonKind.EXCEPTION_EXPIRED)
    assert expired.exception_id == "EXC-1" and "expired on 2026-11-28" in expired.text.en
    assert r.exception_ids == ()
    # on its expiry day it still counts
    on_day = run(catalog, [finding("REG-001", "CSM-4.3")], excs=excs, today=date(2026, 11, 28))
    assert on_day.requirement("CSM-4.3").status is C.PARTIALLY_COMPLIANT


def test_live_exception_alone_is_partial(catalog: Catalog) -> None:
    assert run(catalog, excs=[exception("CSM-6.1")]).requirement("CSM-6.1").status is C.PARTIALLY_COMPLIANT


@pytest.mark.parametrize(("attested", "expected"), [
    (AttestedStatus.IMPLEMENTED, C.COMPLIANT),
    (AttestedStatus.PARTIALLY_IMPLEMENTED, C.PARTIALLY_COMPLIANT),
    (AttestedStatus.NOT_IMPLEMENTED, C.NON_COMPLIANT),
    (AttestedStatus.NOT_APPLICABLE, C.NOT_APPLICABLE),
])
def test_attestation_statuses(catalog: Catalog, attested: AttestedStatus, expected: ComplianceStatus) -> None:
    r = run(catalog, atts=[attestation("CSM-14.1", attested)]).requirement("CSM-14.1")
    assert r.status is expected
    att = next(x for x in r.reasons if x.kind is ReasonKind.ATTESTATION)
    assert att.attestation_id == "ATT-1" and att.evidence_sha256 == (evidence().sha256,)


def test_implemented_without_evidence_is_only_partial(catalog: Catalog) -> None:
    r = run(catalog, atts=[attestation("CSM-14.1", with_evidence=False)]).requirement("CSM-14.1")
    assert r.status is C.PARTIALLY_COMPLIANT
    assert r.reasons[0].text.en == "Attested as implemented but without evidence"


def test_implemented_attestation_with_failing_check_is_non_compliant(catalog: Catalog) -> None:
    r = run(catalog, [finding("DEV-001", "CSM-14.3")], atts=[attestation("CSM-14.3")]).requirement("CSM-14.3")
    assert r.status is C.NON_COMPLIANT


def test_not_applicable_attestation_is_overruled_by_failing_checks(catalog: Catalog) -> None:
    r = run(catalog, [finding("DEV-001", "CSM-14.3")],
            atts=[attestation("CSM-14.3", AttestedStatus.NOT_APPLICABLE)]).requirement("CSM-14.3")
    assert r.status is C.NON_COMPLIANT
    assert any("disregarded" in x.text.en for x in r.reasons)


def test_expired_attestation_stops_counting_and_says_so(catalog: Catalog) -> None:
    r = run(catalog, atts=[attestation("CSM-14.1", expires_on=date(2026, 1, 1))]).requirement("CSM-14.1")
    assert r.status is C.NOT_ASSESSED
    assert ReasonKind.ATTESTATION_EXPIRED in kinds(run(catalog, atts=[attestation(
        "CSM-14.1", expires_on=date(2026, 1, 1))]), "CSM-14.1")
    assert r.attestation_ids == () and r.evidence == ()


def test_every_attestation_and_exception_is_listed_live_or_expired(catalog: Catalog) -> None:
    result = run(catalog, atts=[attestation("CSM-14.1", expires_on=date(2026, 1, 1)), attestation("CSM-99.1",
                                                                                                  att_id="A9")],
                 excs=[exception("CSM-4.3")])
    assert [(r.kind, r.id, r.requirement, r.live) for r in result.records] == [
        ("exception", "EXC-1", "CSM-4.3", True), ("attestation", "ATT-1", "CSM-14.1", False),
        ("attestation", "A9", "CSM-99.1", True)]
    assert result.records[1].evidence_sha256 == (evidence().sha256,)


def test_newest_live_attestation_wins_and_older_is_superseded(catalog: Catalog) -> None:
    old = attestation("CSM-14.1", AttestedStatus.NOT_IMPLEMENTED, att_id="ATT-old", attested_on=date(2026, 1, 1))
    new = attestation("CSM-14.1", att_id="ATT-new", attested_on=date(2026, 9, 1))
    r = run(catalog, atts=[old, new]).requirement("CSM-14.1")
    assert r.status is C.COMPLIANT and r.attestation_ids == ("ATT-new",)
    sup = next(x for x in r.reasons if x.kind is ReasonKind.ATTESTATION_SUPERSEDED)
    assert sup.attestation_id == "ATT-old"


def test_open_manual_or_unknown_finding_is_partial(catalog: Catalog) -> None:
    for status in (FindingStatus.MANUAL, FindingStatus.UNKNOWN, FindingStatus.ERROR):
        findings = [finding("APP-002", "CSM-16.3", FindingStatus.PASS), finding("APP-003", "CSM-16.3", status)]
        r = run(catalog, findings).requirement("CSM-16.3")
        assert r.status is C.PARTIALLY_COMPLIANT, status
        assert [o.rule_id for o in r.open_findings] == ["APP-003"]


def test_manual_finding_is_answered_by_a_live_attestation_but_unknown_is_not(catalog: Catalog) -> None:
    manual = finding("DOC-001", "CSM-10.2", FindingStatus.MANUAL)
    unknown = finding("DOC-002", "CSM-10.2", FindingStatus.UNKNOWN)
    att = attestation("CSM-10.2")
    assert run(catalog, [manual], atts=[att]).requirement("CSM-10.2").status is C.COMPLIANT
    assert run(catalog, [manual, unknown], atts=[att]).requirement("CSM-10.2").status is C.PARTIALLY_COMPLIANT


def test_not_applicable_findings_alone_leave_it_not_assessed(catalog: Catalog) -> None:
    r = run(catalog, [finding("APP-001", "CSM-16.3", FindingStatus.NOT_APPLICABLE)]).requirement("CSM-16.3")
    assert r.status is C.NOT_ASSESSED
    assert ReasonKind.FINDING_NOT_APPLICABLE in [x.kind for x in r.reasons]


def test_duplicate_findings_count_once_and_one_finding_can_bear_on_two_requirements(catalog: Catalog) -> None:
    f = finding("APP-001", ("CSM-16.3", "CSM-16.2"))
    result = run(catalog, [f, f])
    assert result.inputs["findings"] == 1
    assert result.inputs["findings_read"] == 2 and result.inputs["duplicate_findings"] == 1
    assert result.requirement("CSM-16.3").status is C.NON_COMPLIANT
    assert result.requirement("CSM-16.2").status is C.NON_COMPLIANT


def test_parent_rolls_up_from_items(catalog: Catalog) -> None:
    both = run(catalog, atts=[attestation("CSM-10.1.1", att_id="A1"), attestation("CSM-10.1.2", att_id="A2")])
    parent = both.requirement("CSM-10.1")
    assert parent.children == ("CSM-10.1.1", "CSM-10.1.2")
    assert parent.status is C.COMPLIANT
    assert [x.requirement for x in parent.reasons if x.kind is ReasonKind.CHILD] == ["CSM-10.1.1", "CSM-10.1.2"]
    one = run(catalog, atts=[attestation("CSM-10.1.1")]).requirement("CSM-10.1")
    assert one.status is C.PARTIALLY_COMPLIANT
    failing = run(catalog, [finding("DOC-001", "CSM-10.1.2")], atts=[attestation("CSM-10.1.1")])
    assert failing.requirement("CSM-10.1").status is C.NON_COMPLIANT
    own = run(catalog, [finding("DOC-001", "CSM-10.1")],
              atts=[attestation("CSM-10.1.1", att_id="A1"), attestation("CSM-10.1.2", att_id="A2")])
    assert own.requirement("CSM-10.1").status is C.NON_COMPLIANT


def test_unmatched_findings_are_reported_not_dropped(catalog: Catalog) -> None:
    result = run(catalog, [finding("APP-001", "CSM-99.1")])
    assert [f.rule_id for f in result.unmatched_findings] == ["APP-001"]
    assert result.inputs["unmatched_findings"] == 1


def test_rollups_count_and_weigh_shall_above_should(catalog: Catalog) -> None:
    # CSM-14.1 (shall) compliant, CSM-14.4.1 (should) non-compliant
    result = run(catalog, [finding("DEV-001", "CSM-14.4.1")], atts=[attestation("CSM-14.1")])
    article = next(a for a in result.articles if a.key == "CSM-14")
    members = [r for r in result.requirements if r.article == 14]
    assert article.counts[C.COMPLIANT] == 1
    assert article.counts[C.NON_COMPLIANT] == 2  # CSM-14.4.1 and its parent CSM-14.4
    assert sum(article.counts.values()) == len(members)
    assert article.status is C.NON_COMPLIANT
    total = sum({"shall": 3, "should": 2}[m.level.value] for m in members)
    assert article.score == round(100 * 3 / total, 1)
    assert article.coverage == round(100 * (3 + 2 + 2) / total, 1)
    chapter = next(c for c in result.chapters if c.key == "ch-4")
    assert chapter.title.en and chapter.counts[C.COMPLIANT] == 1
    assert {d.key for d in result.domains} == {"cloud", "social_media", "mobile"}
    assert sum(result.overall.counts.values()) == len(result.requirements)


def test_all_not_applicable_group_has_no_score(catalog: Catalog) -> None:
    profile = ScopeProfile(answers={**ALL_YES.answers, "uses_external_cloud": False})
    result = run(catalog, profile=profile)
    cloud = next(d for d in result.domains if d.key == "cloud")
    assert cloud.status is C.NOT_APPLICABLE and cloud.score is None and cloud.coverage is None


def test_result_round_trips_through_json(catalog: Catalog) -> None:
    result = run(catalog, [finding("APP-001", "CSM-16.3")], atts=[attestation("CSM-14.1")],
                 excs=[exception("CSM-4.3")])
    again = AssessmentResult.model_validate_json(result.model_dump_json())
    assert again == result
