"""Roll-ups of requirement statuses per article, chapter, domain and overall, with a weighted score.

Score of a group = 100 × Σ weight(level) × points(status) / Σ weight(level), over the group's
applicable requirements (not_applicable ones are left out). Weights: shall 3, should 2, may 1.
Points: compliant 1, partially_compliant 0.5, non_compliant 0, not_assessed 0 (a requirement nobody
assessed earns nothing). Coverage = the share of applicable weight whose status is not not_assessed.
The status of a group combines its members like a parent provision combines its items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from csmguard.assessment.model import ComplianceStatus, RequirementResult, RollUp
from csmguard.catalog.model import Catalog, Domain
from csmguard.domain import Level, LocalizedText, text

DEFAULT_WEIGHTS: dict[Level, int] = {Level.SHALL: 3, Level.SHOULD: 2, Level.MAY: 1}

POINTS: dict[ComplianceStatus, float] = {
    ComplianceStatus.COMPLIANT: 1.0,
    ComplianceStatus.PARTIALLY_COMPLIANT: 0.5,
    ComplianceStatus.NON_COMPLIANT: 0.0,
    ComplianceStatus.NOT_ASSESSED: 0.0,
}

DOMAIN_TITLES: dict[Domain, LocalizedText] = {
    Domain.GENERAL: text("總則", "General"),
    Domain.CLOUD: text("雲端運算", "Cloud computing"),
    Domain.SOCIAL_MEDIA: text("社群媒體", "Social media"),
    Domain.MOBILE: text("行動裝置", "Mobile devices"),
}


def combine(statuses: Iterable[ComplianceStatus]) -> ComplianceStatus:
    """The status of a whole made of parts: not_applicable parts are left out; any non_compliant part
    makes it non_compliant; all compliant → compliant; all not_assessed (or no part) → not_assessed;
    nothing but not_applicable → not_applicable; any other mix → partially_compliant."""
    parts = list(statuses)
    applicable = [s for s in parts if s is not ComplianceStatus.NOT_APPLICABLE]
    if parts and not applicable:
        return ComplianceStatus.NOT_APPLICABLE
    if not applicable or all(s is ComplianceStatus.NOT_ASSESSED for s in applicable):
        return ComplianceStatus.NOT_ASSESSED
    if any(s is ComplianceStatus.NON_COMPLIANT for s in applicable):
        return ComplianceStatus.NON_COMPLIANT
    if all(s is ComplianceStatus.COMPLIANT for s in applicable):
        return ComplianceStatus.COMPLIANT
    return ComplianceStatus.PARTIALLY_COMPLIANT


def roll_up(key: str, title: LocalizedText, members: list[RequirementResult],
            weights: Mapping[Level, int]) -> RollUp:
    """Counts, combined status, weighted score and coverage of ``members``."""
    counts = {status: 0 for status in ComplianceStatus}
    total = earned = assessed = 0.0
    for member in members:
        counts[member.status] += 1
        if member.status is ComplianceStatus.NOT_APPLICABLE:
            continue
        weight = weights.get(member.level, 0)
        total += weight
        earned += weight * POINTS[member.status]
        if member.status is not ComplianceStatus.NOT_ASSESSED:
            assessed += weight
    score = round(100 * earned / total, 1) if total else None
    coverage = round(100 * assessed / total, 1) if total else None
    return RollUp(key=key, title=title, counts=counts, status=combine(m.status for m in members),
                  score=score, coverage=coverage)


def _group(results: list[RequirementResult],
           key: Callable[[RequirementResult], str]) -> dict[str, list[RequirementResult]]:
    groups: dict[str, list[RequirementResult]] = {}
    for result in results:
        groups.setdefault(key(result), []).append(result)
    return groups


def article_rollups(catalog: Catalog, results: list[RequirementResult],
                    weights: Mapping[Level, int]) -> list[RollUp]:
    """One roll-up per article that has requirements, in text order (key ``CSM-<article>``)."""
    by_id = catalog.by_id()
    groups = _group(results, lambda r: f"CSM-{r.article}")
    return [roll_up(k, by_id[k].title, members, weights) for k, members in groups.items()]


def chapter_rollups(catalog: Catalog, results: list[RequirementResult],
                    weights: Mapping[Level, int]) -> list[RollUp]:
    """One roll-up per chapter that has requirements (key ``ch-<number>``)."""
    groups = _group(results, lambda r: f"ch-{r.chapter}")
    return [roll_up(k, catalog.chapter(int(k.removeprefix("ch-"))).title, members, weights)
            for k, members in groups.items()]


def domain_rollups(results: list[RequirementResult], weights: Mapping[Level, int]) -> list[RollUp]:
    """One roll-up per domain that has requirements (key = the domain's value)."""
    groups = _group(results, lambda r: r.domain)
    return [roll_up(k, DOMAIN_TITLES[Domain(k)], members, weights) for k, members in groups.items()]


def overall_rollup(results: list[RequirementResult], weights: Mapping[Level, int]) -> RollUp:
    """The roll-up of every requirement."""
    return roll_up("overall", text("整體", "Overall"), results, weights)
