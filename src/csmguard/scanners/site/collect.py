"""Reads a website into SiteFacts: the static crawl, then (optionally) the browser pass over the pages
that hold social links or build links from scripts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, unquote, urlsplit

from csmguard.scanners.site.browser import BrowserOptions, observe
from csmguard.scanners.site.crawl import CrawlOptions, crawl
from csmguard.scanners.site.facts import BrowserObservation, SiteFacts
from csmguard.scanners.site.parse import origin_of, same_origin
from csmguard.scanners.site.platforms import PlatformTable


@dataclass(frozen=True)
class SiteReadOptions:
    """The crawl limits, and the browser pass when ``browser`` is set."""

    crawl: CrawlOptions
    browser: BrowserOptions | None = None


def is_social_target(url: str, origin: str, platforms: PlatformTable) -> bool:
    """Whether clicking ``url`` leads to a social platform, directly or through a same-site interstitial."""
    if platforms.platform_of(url):
        return True
    if same_origin(url, origin):
        return any(platforms.platform_of(unquote(v)) for _, v in parse_qsl(urlsplit(url).query))
    return False


def read_site(start_url: str, platforms: PlatformTable, options: SiteReadOptions) -> SiteFacts:
    """Crawl the site and, when asked, click every social link in headless Chromium."""
    outcome = crawl(start_url, platforms, options.crawl)
    problems = list(outcome.problems)
    observations: list[BrowserObservation] = []
    if options.browser is not None:
        origin = origin_of(start_url)
        interstitials = {link.via_interstitial for page in outcome.pages for link in page.links
                         if link.via_interstitial}
        pages = [(p.url, hashlib.sha256(p.script_text.encode()).hexdigest()[:16])
                 for p in sorted(outcome.pages, key=lambda p: (p.depth, p.url))
                 if (p.links or p.script_builds_links) and p.url not in interstitials]
        try:
            redirects = set(outcome.redirects)
            found, browser_problems = observe(
                origin, pages, lambda u: u in redirects or is_social_target(u, origin, platforms), options.browser)
            observations.extend(replace(o, platform=platforms.platform_of(o.href) or "") for o in found)
            problems.extend(browser_problems)
        except Exception as exc:
            problems.append((start_url, f"the browser pass could not run: {type(exc).__name__}: {str(exc)[:300]}"))
    return SiteFacts(start_url=start_url, pages=tuple(sorted(outcome.pages, key=lambda p: p.url)),
                     observations=tuple(observations), browser_used=options.browser is not None,
                     problems=tuple(problems), stats=outcome.stats, broken_links=tuple(outcome.broken))
