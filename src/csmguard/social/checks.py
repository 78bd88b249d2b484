"""The SOC- checks: pure functions from the social facts to findings, on the rule contract (a rule's
``check:`` names one of them; they take no run context)."""

from __future__ import annotations

from collections.abc import Iterator

from csmguard.domain import Finding, FindingStatus, Location, Target, text
from csmguard.domain.finding import JsonValue
from csmguard.rules.model import Rule
from csmguard.social.facts import AccountFacts, SocialFacts


def _target(account: AccountFacts) -> Target:
    return Target(kind="social_account", id=account.key, name=account.url)


def _location(account: AccountFacts) -> Location:
    return Location(register_id="social-accounts", record=account.key, url=account.url)


def profile_page_identifies(rule: Rule, facts: SocialFacts, context: None) -> Iterator[Finding]:
    """SOC-001: the saved profile page shows the organization's name and a contact (CSM-11.3)."""
    for account in facts.accounts:
        target, location = _target(account), _location(account)
        if account.page is None:
            reason = account.page_problem or "no saved profile page"
            yield rule.finding(FindingStatus.UNKNOWN, target, location, message=text(
                f"{account.key}：無法判斷，{reason}", f"{account.key}: cannot tell, {reason}"),
                evidence={"reason": reason}, key=account.key)
            continue
        page = account.page
        evidence: dict[str, JsonValue] = {"page": page.path, "names_found": list(page.names_found),
                                       "contacts": [f"{kind}: {value}" for kind, value in page.contacts]}
        missing_zh = [label for label, ok in (("組織名稱", page.names_found), ("聯絡方式", page.contacts)) if not ok]
        missing_en = [label for label, ok in (("organization name", page.names_found), ("contact", page.contacts))
                      if not ok]
        if missing_en:
            yield rule.finding(FindingStatus.FAIL, target, location, message=text(
                f"{account.key} 的頁面未標示{'及'.join(missing_zh)}", f"{account.key}'s page does not show its "
                f"{' or '.join(missing_en)}"), evidence=evidence, key=account.key)
        else:
            yield rule.finding(FindingStatus.PASS, target, location, message=text(
                f"{account.key} 的頁面標示組織名稱及聯絡方式", f"{account.key}'s page shows the organization name "
                "and a contact"), evidence=evidence, key=account.key)


def administrators_named(rule: Rule, facts: SocialFacts, context: None) -> Iterator[Finding]:
    """SOC-002: the account has named administrators, each with a role (CSM-11.4)."""
    for account in facts.accounts:
        ok = bool(account.administrators)
        status = FindingStatus.PASS if ok else FindingStatus.FAIL
        message = (text(f"{account.key} 管理者：{'、'.join(account.administrators)}",
                        f"{account.key} administrators: {', '.join(account.administrators)}") if ok else
                   text(f"{account.key} 未登錄管理者及其角色", f"{account.key} has no administrators with roles"))
        yield rule.finding(status, _target(account), _location(account), message=message,
                           evidence={"administrators": len(account.administrators)}, key=account.key)


def _flag_check(rule: Rule, facts: SocialFacts, attribute: str, zh: str, en: str) -> Iterator[Finding]:
    for account in facts.accounts:
        ok = bool(getattr(account, attribute))
        message = (text(f"{account.key} 已啟用{zh}", f"{account.key} has {en}") if ok else
                   text(f"{account.key} 未啟用{zh}", f"{account.key} lacks {en}"))
        yield rule.finding(FindingStatus.PASS if ok else FindingStatus.FAIL, _target(account), _location(account),
                           message=message, evidence={attribute: ok}, key=account.key)


def account_mfa(rule: Rule, facts: SocialFacts, context: None) -> Iterator[Finding]:
    """SOC-003: the account's sign-in uses multi-factor authentication (CSM-11.4)."""
    return _flag_check(rule, facts, "mfa", "多因子驗證", "multi-factor authentication")


def content_approval(rule: Rule, facts: SocialFacts, context: None) -> Iterator[Finding]:
    """SOC-004: posts go through a content approval flow (CSM-11.4)."""
    return _flag_check(rule, facts, "content_approval", "發布內容審核流程", "a content approval flow")


def privacy_changes_reviewed(rule: Rule, facts: SocialFacts, context: None) -> Iterator[Finding]:
    """SOC-005: every change of a watched privacy policy is reviewed within the period (CSM-11.1)."""
    pending = {review.platform: review for review in facts.pending_reviews}
    for platform in facts.watched_platforms:
        target = Target(kind="privacy_policy", id=platform)
        review = pending.get(platform)
        if review is None:
            yield rule.finding(FindingStatus.PASS, target, Location(register_id="privacy-watch", record=platform),
                               message=text(f"{platform} 隱私政策無待檢視之異動", f"{platform}: no privacy-policy "
                                            "change awaits review"), key=platform)
            continue
        age = (facts.today - review.opened_on).days
        overdue = age > facts.review_within_days
        evidence: dict[str, JsonValue] = {
            "version_sha256": review.version_sha256, "opened_on": review.opened_on.isoformat(), "days_open": age,
            "words_added": review.words_added, "words_removed": review.words_removed}
        message = text(
            f"{platform} 隱私政策於 {review.opened_on} 異動，已 {age} 天未檢視（期限 {facts.review_within_days} 天）",
            f"{platform} privacy policy changed on {review.opened_on}; unreviewed for {age} days "
            f"(limit {facts.review_within_days})")
        yield rule.finding(FindingStatus.FAIL if overdue else FindingStatus.MANUAL, target,
                           Location(register_id="privacy-watch", record=platform, url=review.url), message=message,
                           evidence=evidence, key=platform)
