"""Social media use cases (CSM-11): the official-account check, and the privacy-policy watch with its
versions, word-level diffs and review items."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from csmguard.catalog.loader import load_catalog
from csmguard.domain import ScanError, ScanResult
from csmguard.domain.coverage import Coverage
from csmguard.domain.errors import InputError
from csmguard.registers.models import SocialAccount
from csmguard.rules.contract import registry, run_checks
from csmguard.rules.loader import load_rules
from csmguard.scanning.browser import RenderError, render_html
from csmguard.services.registers import list_records, run_register_checks, update_record
from csmguard.services.workspace import get_profile
from csmguard.social.extract import main_text
from csmguard.social.facts import AccountFacts, PendingReview, SocialFacts
from csmguard.social.fetch import FetchError, fetch_page
from csmguard.social.profile_page import find_profile_page, read_profile_page
from csmguard.social.worddiff import Change, tokens, word_diff
from csmguard.store.db import session_scope
from csmguard.store.models_social import PrivacyReviewRow, PrivacyVersionRow
from csmguard.workspace import Workspace

DEFAULT_REVIEW_WITHIN_DAYS = 30
# The register checks that judge official accounts from the register alone; `social check` shows them too.
SOCIAL_REGISTER_RULES = ("REG-007", "REG-008")


def recordable(result: ScanResult) -> ScanResult:
    """What a social check records: its own findings only. The register checks' REG-007/REG-008 verdicts it
    shows belong to (and are recorded by) the register checks; recorded twice they were current twice and
    appeared twice on the dashboard and in assessments."""
    own = tuple(f for f in result.findings if f.rule_id not in SOCIAL_REGISTER_RULES)
    return result.model_copy(update={"findings": own})


def default_privacy_sources() -> dict[str, str]:
    """Platform → privacy-policy URL, from the data file shipped with the package."""
    data = resources.files("csmguard.social").joinpath("data", "privacy_sources.yaml").read_text(encoding="utf-8")
    loaded = yaml.safe_load(data)
    return {str(k): str(v) for k, v in loaded.items()}


def official_accounts(ws: Workspace) -> list[SocialAccount]:
    """The official accounts of the social-accounts register."""
    accounts = []
    for stored in list_records(ws, "social-accounts"):
        record = stored.record
        assert isinstance(record, SocialAccount)
        if record.official:
            accounts.append(record)
    return accounts


def privacy_sources(ws: Workspace, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The privacy-policy URL of every platform the firm has an official account on: an override, else
    the account's own URL in the register, else the shipped default. A platform with none is an error."""
    defaults = default_privacy_sources()
    sources: dict[str, str] = {}
    for account in official_accounts(ws):
        platform = account.platform.lower()
        url = account.privacy_policy_url or sources.get(platform) or defaults.get(platform)
        if url:
            sources[platform] = url
        else:
            raise InputError("social-accounts", f"no privacy-policy URL known for platform {account.platform!r}; "
                             "set privacy_policy_url on the account or pass --url PLATFORM=URL",
                             field="privacy_policy_url")
    for platform, url in (overrides or {}).items():
        sources[platform.lower()] = url
    return dict(sorted(sources.items()))


@dataclass(frozen=True)
class WatchOutcome:
    """What one fetch of a platform's privacy policy found."""

    platform: str
    url: str
    state: str  # first | unchanged | changed | error
    sha256: str | None = None
    changes: tuple[Change, ...] = ()
    review_id: str | None = None
    error: str | None = None


def _latest_version(session: Session, platform: str) -> PrivacyVersionRow | None:
    return session.scalars(select(PrivacyVersionRow).where(PrivacyVersionRow.platform == platform)
                           .order_by(PrivacyVersionRow.fetched_at.desc()).limit(1)).first()


def watch_privacy(
    ws: Workspace,
    *,
    platforms: tuple[str, ...] = (),
    overrides: Mapping[str, str] | None = None,
    allow_private: bool = False,
    timeout: float = 20.0,
    today: date | None = None,
    browser: bool = False,
) -> list[WatchOutcome]:
    """Fetch each platform's privacy policy (rendered in headless Chromium when ``browser``, for pages
    that need JavaScript), keep a new version when its text changed, and open a review item for it
    (the first version too: the policy must be understood in advance, CSM-11.1)."""
    today = today or date.today()
    sources = privacy_sources(ws, overrides)
    if platforms:
        unknown = [p for p in platforms if p.lower() not in sources]
        if unknown:
            raise InputError(None, f"no official account or URL for platform(s) {', '.join(unknown)}",
                             field="--platform")
        sources = {p: u for p, u in sources.items() if p in {x.lower() for x in platforms}}
    outcomes: list[WatchOutcome] = []
    for platform, url in sources.items():
        try:
            if browser:
                html, final_url = render_html(url, allow_private=allow_private, timeout_s=timeout), url
            else:
                page = fetch_page(url, allow_private=allow_private, timeout=timeout)
                html, final_url = page.html, page.final_url
        except (FetchError, RenderError) as exc:
            outcomes.append(WatchOutcome(platform, url, "error", error=str(exc)))
            continue
        content = main_text(html)
        if not content.strip():
            hint = "" if browser else "; it may need JavaScript: try --browser"
            outcomes.append(WatchOutcome(platform, url, "error", error=f"{url}: the page has no readable text{hint}"))
            continue
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        with session_scope(ws.engine()) as session:
            previous = _latest_version(session, platform)
            if previous is not None and previous.sha256 == digest:
                outcomes.append(WatchOutcome(platform, url, "unchanged", sha256=digest))
                continue
            changes = tuple(word_diff(previous.text, content)) if previous is not None else ()
            added = sum(len(tokens(c.added)) for c in changes) if previous is not None else len(tokens(content))
            removed = sum(len(tokens(c.removed)) for c in changes)
            version = PrivacyVersionRow(id=str(uuid.uuid4()), platform=platform, url=final_url, sha256=digest,
                                        fetched_at=datetime.now(UTC), text=content, chars=len(content))
            session.add(version)
            session.flush()
            review = PrivacyReviewRow(id=str(uuid.uuid4()), version_id=version.id, platform=platform,
                                      opened_on=today, status="open", words_added=added, words_removed=removed)
            session.add(review)
        outcomes.append(WatchOutcome(platform, url, "first" if previous is None else "changed", sha256=digest,
                                     changes=changes, review_id=review.id))
    return outcomes


def review_privacy(ws: Workspace, platform: str, reviewer: str, *, notes: str | None = None,
                   today: date | None = None) -> int:
    """Record that ``reviewer`` reviewed the open changes of ``platform``'s privacy policy; the
    platform's official accounts get today's date as their last privacy-policy review. Returns how
    many review items were closed."""
    today = today or date.today()
    platform = platform.lower()
    if not reviewer.strip():
        raise InputError(None, "the reviewer's name is required", field="--by")
    with session_scope(ws.engine()) as session:
        open_items = session.scalars(select(PrivacyReviewRow).where(
            PrivacyReviewRow.platform == platform, PrivacyReviewRow.status == "open")).all()
        if not open_items:
            raise InputError(None, f"no open privacy-policy review for platform {platform!r}", field="--platform")
        for item in open_items:
            item.status, item.reviewed_by, item.reviewed_on, item.notes = "reviewed", reviewer.strip(), today, notes
    for account in official_accounts(ws):
        if account.platform.lower() == platform:
            update_record(ws, "social-accounts", account.key(), {"privacy_policy_reviewed_on": today})
    return len(open_items)


def privacy_diff(ws: Workspace, platform: str) -> tuple[PrivacyVersionRow, PrivacyVersionRow, list[Change]]:
    """The two latest versions of ``platform``'s privacy policy and the changes between them."""
    with session_scope(ws.engine()) as session:
        versions = session.scalars(select(PrivacyVersionRow).where(PrivacyVersionRow.platform == platform.lower())
                                   .order_by(PrivacyVersionRow.fetched_at.desc()).limit(2)).all()
    if len(versions) < 2:
        raise InputError(None, f"platform {platform!r} has {len(versions)} stored version(s); a diff needs two",
                         field="--platform")
    new, old = versions
    return old, new, word_diff(old.text, new.text)


@dataclass(frozen=True)
class PlatformStatus:
    """The watch state of one platform."""

    platform: str
    url: str | None
    versions: int
    last_fetched: datetime | None
    open_since: date | None


def privacy_status(ws: Workspace) -> list[PlatformStatus]:
    """For every watched platform: versions kept, last fetch, and the oldest open review."""
    with session_scope(ws.engine()) as session:
        rows = session.scalars(select(PrivacyVersionRow).order_by(PrivacyVersionRow.fetched_at)).all()
        reviews = session.scalars(select(PrivacyReviewRow).where(PrivacyReviewRow.status == "open")).all()
    out: dict[str, PlatformStatus] = {}
    for row in rows:
        known = out.get(row.platform)
        out[row.platform] = PlatformStatus(row.platform, row.url, (known.versions if known else 0) + 1,
                                           row.fetched_at, None)
    for review in reviews:
        status = out[review.platform]
        opened = min(filter(None, (status.open_since, review.opened_on)))
        out[review.platform] = PlatformStatus(status.platform, status.url, status.versions, status.last_fetched,
                                              opened)
    return [out[p] for p in sorted(out)]


def _pending_reviews(ws: Workspace) -> tuple[tuple[PendingReview, ...], tuple[str, ...]]:
    with session_scope(ws.engine()) as session:
        rows = session.execute(select(PrivacyReviewRow, PrivacyVersionRow).join(
            PrivacyVersionRow, PrivacyReviewRow.version_id == PrivacyVersionRow.id)
            .order_by(PrivacyReviewRow.opened_on)).all()
        watched = tuple(sorted(set(session.scalars(select(PrivacyVersionRow.platform)).all())))
    pending: dict[str, PendingReview] = {}
    for review, version in rows:
        if review.status == "open" and review.platform not in pending:
            pending[review.platform] = PendingReview(review.platform, version.url, version.sha256, review.opened_on,
                                                     review.words_added, review.words_removed)
    return tuple(pending.values()), watched


def social_check(
    ws: Workspace,
    *,
    profile_pages: Path | None = None,
    org_names: tuple[str, ...] = (),
    today: date | None = None,
    review_within_days: int = DEFAULT_REVIEW_WITHIN_DAYS,
) -> ScanResult:
    """Check every official account (saved profile page, administrators, MFA, content approval) and
    the privacy-policy reviews, together with the register checks on the social registers."""
    today = today or date.today()
    started = datetime.now(UTC)
    catalog = load_catalog(ws.settings.edition)
    rules = load_rules(catalog, ["social"]).for_scanner("social")
    names = tuple(dict.fromkeys((*org_names, *filter(None, (get_profile(ws).organization,)))))
    errors: list[ScanError] = []
    accounts: list[AccountFacts] = []
    for account in official_accounts(ws):
        page = None
        problem: str | None = None
        if profile_pages is not None:
            path = find_profile_page(profile_pages, account.platform.lower(), account.handle)
            if path is None:
                problem = f"no saved page {profile_pages}/{account.platform.lower()}/{account.handle}.html"
            else:
                try:
                    page = read_profile_page(path, names)
                except (OSError, UnicodeDecodeError) as exc:
                    problem = f"cannot read {path}: {exc}"
                    errors.append(ScanError(target=account.key(), path=str(path), message=problem))
        else:
            problem = "no --profile-pages folder given"
        accounts.append(AccountFacts(account.platform.lower(), account.handle, account.url, account.administrators,
                                     account.mfa, account.content_approval, page, problem))
    pending, watched = _pending_reviews(ws)
    facts = SocialFacts(tuple(accounts), pending, watched, today, review_within_days)
    findings = run_checks(rules, registry("social", SocialFacts, type(None)), facts, None)
    register = run_register_checks(ws, today, record=False)
    findings += [f for f in register.findings if f.rule_id in SOCIAL_REGISTER_RULES]
    return ScanResult(scanner="social", targets=tuple(a.key for a in accounts) + watched, findings=tuple(findings),
                      errors=tuple(errors), stats={"accounts": len(accounts), "watched_platforms": len(watched)},
                      coverage=Coverage(recognised={"social_account": len(accounts), "privacy_policy": len(watched)},
                                        found={} if accounts or watched else {"social-accounts": "an empty register"}),
                      started_at=started, finished_at=datetime.now(UTC))
