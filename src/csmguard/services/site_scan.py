"""Use case: scan the official website for links to social media and the warning before leaving (CSM-11.2),
and for the organization's name and contact where official accounts are presented (CSM-11.3)."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Finding, ScanError, ScanResult, Target
from csmguard.domain.coverage import Coverage
from csmguard.domain.errors import InputError
from csmguard.rules.contract import registry, run_checks
from csmguard.rules.loader import RuleSet, load_rules
from csmguard.scanners.site.browser import BrowserOptions
from csmguard.scanners.site.checks import DEFAULT_CONTACT_PATTERNS, SiteCheckContext
from csmguard.scanners.site.collect import SiteReadOptions, read_site
from csmguard.scanners.site.crawl import CrawlOptions
from csmguard.scanners.site.facts import SiteFacts
from csmguard.scanners.site.platforms import load_platforms
from csmguard.scanners.site.wording import load_wording
from csmguard.scanning.addresses import AddressRefused
from csmguard.scanning.progress import NoProgress, Progress
from csmguard.scanning.sniff import unrecognised_error

SCANNER = "site"


@dataclass(frozen=True)
class SiteOptions:
    """Crawl limits, the browser pass, and what identifies the organization."""

    crawl: CrawlOptions = field(default_factory=CrawlOptions)
    browser: bool = False
    evidence_dir: Path | None = None
    org_names: tuple[str, ...] = ()
    contact_patterns: tuple[str, ...] = DEFAULT_CONTACT_PATTERNS
    platforms_file: Path | None = None
    wait_ms: int = 1500
    max_clicks: int = 200


def load_site_rules(edition: str = "csm-17") -> RuleSet:
    """The website rules, validated against the catalog and the registered checks."""
    return load_rules(load_catalog(edition), [SCANNER])


def scan_site(url: str, rules: RuleSet, options: SiteOptions | None = None,
              progress: Progress | None = None) -> ScanResult:
    """Crawl ``url``'s site, optionally click every social link in Chromium, and evaluate the site rules."""
    options = options or SiteOptions()
    progress = progress or NoProgress()
    if not url.startswith(("http://", "https://")):
        raise InputError(url, "the site to scan is an http:// or https:// URL")
    started = datetime.now(UTC)
    clock = time.perf_counter()
    platforms = load_platforms(options.platforms_file)
    wording = load_wording()
    browser = None
    if options.browser:
        evidence_dir = options.evidence_dir or Path(tempfile.mkdtemp(prefix="csmguard-site-"))
        browser = BrowserOptions(evidence_dir=evidence_dir, wait_ms=options.wait_ms, cues=wording.cues,
                                 max_clicks=options.max_clicks)
    target = Target(kind="website", id=url)
    progress.start("site", total=None)
    try:
        facts = read_site(url, platforms, SiteReadOptions(crawl=options.crawl, browser=browser))
    except AddressRefused as exc:
        progress.finish()
        return ScanResult(scanner=SCANNER, targets=(url,), errors=(ScanError(target=url, message=str(exc)),),
                          coverage=Coverage(found={url: "an address refused by the address policy"}),
                          started_at=started, finished_at=datetime.now(UTC))
    progress.finish()
    ctx = SiteCheckContext(target=target, org_names=options.org_names, contact_patterns=options.contact_patterns,
                           wording=wording)
    findings: list[Finding] = []
    pages = len(facts.pages)
    problems = [ScanError(target=url, path=where, message=message) for where, message in facts.problems]
    if pages:
        findings = run_checks(rules.for_scanner(SCANNER), registry(SCANNER, SiteFacts, SiteCheckContext), facts, ctx)
    else:
        # Not one page could be read: no rule examined the site, so no verdict, not even a pass.
        problems.append(unrecognised_error(SCANNER, {url: "no page that could be read"}))
    errors = tuple(problems)
    stats: dict[str, object] = {**facts.stats, "social_links": len(facts.links()),
                                "browser": facts.browser_used, "clicked": len(facts.observations),
                                "elapsed_seconds": round(time.perf_counter() - clock, 3),
                                "broken_links": [{"url": u, "status": c} for u, c in facts.broken_links]}
    if browser is not None:
        stats["evidence_dir"] = str(browser.evidence_dir)
    return ScanResult(scanner=SCANNER, targets=(url,), findings=tuple(findings), errors=errors, stats=stats,
                      coverage=Coverage(recognised={"page": pages},
                                        found={} if pages else {url: "no page that could be read"}),
                      started_at=started, finished_at=datetime.now(UTC))
