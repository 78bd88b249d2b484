"""The SOC- checks: pure functions from the social facts to findings, on the rule contract (a rule's
``check:`` names one of them; they take no run context)."""

from __future__ import annotations

from collections.abc import Iterator

from csmguard.domain import Finding, FindingStatus, LocalizedText, Location, Target
from csmguard.domain.finding import JsonValue
from csmguard.rules.model import Rule
from csmguard.social.facts import AccountFacts, SocialFacts


def _target(account: AccountFacts) -> Target:
    return Target(kind="social_account", id=account.key, name=account.url)


def _location(account: AccountFacts) -> Location:
    return Location(register_id="social-accounts", record=account.key, url=account.url)


def _joined(rule: Rule, parts: list[str]) -> LocalizedText | str:
    """Several names as one text, each language with its own separator (the rule's message ``joined``)."""
    out: LocalizedText | str = parts[0] if parts else ""
    for part in parts[1:]:
        out = rule.render("joined", {"first": out, "rest": part})
    return out


def profile_page_identifies(rule: Rule, facts: SocialFacts, context: None) -> Iterator[Finding]:
    """SOC-001: the saved profile page shows the organization's name and a contact (CSM-11.3)."""
    for account in facts.accounts:
        target, location = _target(account), _location(account)
        if account.page is None:
            reason = account.page_problem or "no saved profile page"
            yield rule.finding(FindingStatus.UNKNOWN, target, location, message="cannot_tell",
                               values={"account": account.key, "reason": reason},
                               evidence={"reason": reason}, key=account.key)
            continue
        page = account.page
        evidence: dict[str, JsonValue] = {"page": page.path, "names_found": list(page.names_found),
                                       "contacts": [f"{kind}: {value}" for kind, value in page.contacts]}
        missing = {"missing_name_and_contact": not page.names_found and not page.contacts,
                   "missing_name": not page.names_found, "missing_contact": not page.contacts}
        found = next((name for name, lacking in missing.items() if lacking), None)
        yield rule.finding(FindingStatus.FAIL if found else FindingStatus.PASS, target, location,
                           message=found or "identifies", values={"account": account.key}, evidence=evidence,
                           key=account.key)


def administrators_named(rule: Rule, facts: SocialFacts, context: None) -> Iterator[Finding]:
    """SOC-002: the account has named administrators, each with a role (CSM-11.4)."""
    for account in facts.accounts:
        ok = bool(account.administrators)
        yield rule.finding(FindingStatus.PASS if ok else FindingStatus.FAIL, _target(account), _location(account),
                           message="administrators" if ok else "no_administrators",
                           values={"account": account.key,
                                   "administrators": _joined(rule, list(account.administrators))},
                           evidence={"administrators": len(account.administrators)}, key=account.key)


def _flag_check(rule: Rule, facts: SocialFacts, attribute: str) -> Iterator[Finding]:
    """One finding per account: pass when ``attribute`` is set (messages ``enabled`` and ``missing``)."""
    for account in facts.accounts:
        ok = bool(getattr(account, attribute))
        yield rule.finding(FindingStatus.PASS if ok else FindingStatus.FAIL, _target(account), _location(account),
                           message="enabled" if ok else "missing", values={"account": account.key},
                           evidence={attribute: ok}, key=account.key)


def account_mfa(rule: Rule, facts: SocialFacts, context: None) -> Iterator[Finding]:
    """SOC-003: the account's sign-in uses multi-factor authentication (CSM-11.4)."""
    return _flag_check(rule, facts, "mfa")


def content_approval(rule: Rule, facts: SocialFacts, context: None) -> Iterator[Finding]:
    """SOC-004: posts go through a content approval flow (CSM-11.4)."""
    return _flag_check(rule, facts, "content_approval")


def privacy_changes_reviewed(rule: Rule, facts: SocialFacts, context: None) -> Iterator[Finding]:
    """SOC-005: every change of a watched privacy policy is reviewed within the period (CSM-11.1)."""
    pending = {review.platform: review for review in facts.pending_reviews}
    for platform in facts.watched_platforms:
        target = Target(kind="privacy_policy", id=platform)
        review = pending.get(platform)
        if review is None:
            yield rule.finding(FindingStatus.PASS, target, Location(register_id="privacy-watch", record=platform),
                               message="no_change_pending", values={"platform": platform}, key=platform)
            continue
        age = (facts.today - review.opened_on).days
        overdue = age > facts.review_within_days
        evidence: dict[str, JsonValue] = {
            "version_sha256": review.version_sha256, "opened_on": review.opened_on.isoformat(), "days_open": age,
            "words_added": review.words_added, "words_removed": review.words_removed}
        yield rule.finding(FindingStatus.FAIL if overdue else FindingStatus.MANUAL, target,
                           Location(register_id="privacy-watch", record=platform, url=review.url),
                           message="change_unreviewed",
                           values={"platform": platform, "opened_on": review.opened_on, "days": age,
                                   "limit": facts.review_within_days},
                           evidence=evidence, key=platform)
