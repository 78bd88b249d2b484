"""Properties of the engine over generated inputs: order does not matter, counts reconcile, and
a live exception never makes a requirement worse."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from csmguard.assessment import ComplianceStatus, assess
from csmguard.catalog.loader import load_catalog
from csmguard.domain import Finding, FindingStatus, Severity
from tests.assessment.factory import ALL_YES, TODAY, exception, finding

CATALOG = load_catalog()
REQS = ["CSM-4.3", "CSM-7.5", "CSM-14.4.1", "CSM-14.4.3", "CSM-16.3", "CSM-17.1.1"]
RANK = {ComplianceStatus.NON_COMPLIANT: 0, ComplianceStatus.PARTIALLY_COMPLIANT: 1, ComplianceStatus.COMPLIANT: 2}

# as with real rules, a rule's requirements and severity are fixed; the verdict and target vary
RULES = {"APP-001": (("CSM-16.3",), Severity.HIGH), "APP-002": (("CSM-17.1.1", "CSM-16.3"), Severity.MEDIUM),
         "REG-001": (("CSM-4.3",), Severity.HIGH), "IAC-001": (("CSM-7.5",), Severity.LOW),
         "DEV-001": (("CSM-14.4.1", "CSM-14.4.3"), Severity.MEDIUM)}

findings_strategy = st.lists(st.builds(
    lambda rule, status, target: finding(rule, RULES[rule][0], status, severity=RULES[rule][1], target=target),
    st.sampled_from(sorted(RULES)),
    st.sampled_from(list(FindingStatus)),
    st.sampled_from(["a", "b", "c"]),
), max_size=12)


@settings(max_examples=40, deadline=None)
@given(findings_strategy, st.randoms(use_true_random=False))
def test_order_of_inputs_does_not_matter(findings: list[Finding], rnd: st.SearchStrategy) -> None:
    shuffled = list(findings)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a = assess(CATALOG, ALL_YES, findings, [], [], TODAY, generated_at=None)
    b = assess(CATALOG, ALL_YES, shuffled, [], [], TODAY)
    assert a.status_of() == b.status_of()
    assert sum(a.overall.counts.values()) == len(a.requirements)
    for chapter in a.chapters:
        assert sum(chapter.counts.values()) == sum(1 for r in a.requirements if f"ch-{r.chapter}" == chapter.key)


@settings(max_examples=40, deadline=None)
@given(findings_strategy, st.sampled_from(REQS))
def test_a_live_exception_never_makes_a_requirement_worse(findings: list[Finding], requirement: str) -> None:
    without = assess(CATALOG, ALL_YES, findings, [], [], TODAY).requirement(requirement).status
    with_exc = assess(CATALOG, ALL_YES, findings, [], [exception(requirement, expires_on=date(2027, 1, 1))],
                      TODAY).requirement(requirement).status
    if without in RANK:
        assert RANK[with_exc] >= RANK[without]
    else:  # nothing bore on it: the exception alone makes it partially compliant
        assert with_exc is ComplianceStatus.PARTIALLY_COMPLIANT
