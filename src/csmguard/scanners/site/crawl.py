"""The same-origin crawler: robots.txt honoured (urllib.robotparser), sitemap.xml read when present,
depth / page / time limits and a bound on concurrent requests (httpx, asyncio). The only network I/O
of the static pass."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field, replace
from urllib.parse import urldefrag, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from csmguard.scanners.site.facts import PageFacts, SocialLink
from csmguard.scanners.site.parse import origin_of, parse_page, same_origin
from csmguard.scanners.site.platforms import PlatformTable
from csmguard.scanning.addresses import AddressRefused, check_host
from csmguard.scanning.budget import MAX_HTTP_BODY_BYTES
from csmguard.scanning.safexml import XmlRefused, parse_xml

USER_AGENT = "csmguard-site-scanner/0.1 (+https://github.com/csmguard)"


@dataclass(frozen=True)
class CrawlOptions:
    """Limits of one crawl; ``allow_private`` permits loopback and private addresses (tests, intranets)."""

    max_pages: int = 200
    max_depth: int = 3
    time_limit: float = 120.0
    concurrency: int = 4
    timeout: float = 10.0
    use_sitemap: bool = True
    allow_private: bool = False
    user_agent: str = USER_AGENT


@dataclass
class CrawlOutcome:
    """Pages read, problems met, and counts."""

    pages: list[PageFacts] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)  # same-site URL → the platform URL it redirects to
    broken: list[tuple[str, int]] = field(default_factory=list)  # (URL, HTTP status), the first 50


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Fetched:
    """One HTTP answer whose body was read up to the byte cap (``truncated`` when there was more)."""

    url: httpx.URL
    status_code: int
    headers: httpx.Headers
    content: bytes
    truncated: bool

    @property
    def is_redirect(self) -> bool:
        """Whether the answer is a redirect with a Location header."""
        return self.status_code in (301, 302, 303, 307, 308) and "location" in self.headers

    @property
    def text(self) -> str:
        """The body decoded as :func:`decode_html` decodes pages."""
        return decode_html(self)


async def fetch(client: httpx.AsyncClient, url: str, max_bytes: int = MAX_HTTP_BODY_BYTES) -> Fetched:
    """GET ``url`` streaming the body and stopping after ``max_bytes``: a huge page costs at most the cap."""
    async with client.stream("GET", url) as response:
        parts: list[bytes] = []
        got = 0
        truncated = False
        async for chunk in response.aiter_bytes():
            parts.append(chunk)
            got += len(chunk)
            if got >= max_bytes:
                truncated = got > max_bytes
                break
        body = b"".join(parts)
        if len(body) > max_bytes:
            body = body[:max_bytes]
        return Fetched(response.url, response.status_code, response.headers, body, truncated)


def decode_html(response: Fetched) -> str:
    """The page's text: the charset of the Content-Type header, else of a ``<meta charset>`` (many Taiwanese
    sites still serve Big5), else UTF-8; undecodable bytes are replaced."""
    declared = _HEADER_CHARSET.search(response.headers.get("content-type", ""))
    meta = None if declared else _META_CHARSET.search(response.content[:4096])
    encoding = (declared.group(1) if declared else meta.group(1).decode("ascii") if meta else "utf-8").lower()
    if encoding in {"big5", "big5-hkscs", "x-big5"}:
        encoding = "cp950"
    try:
        return response.content.decode(encoding, errors="replace")
    except LookupError:
        return response.content.decode("utf-8", errors="replace")


def check_address(url: str, allow_private: bool) -> None:
    """Refuse URLs whose host resolves to a non-public address unless ``allow_private``."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise AddressRefused(f"{url}: no host")
    check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), allow_private=allow_private)


def _sitemap_locs(xml_text: str) -> tuple[list[str], list[str]]:
    """(page URLs, nested sitemap URLs) of a sitemap or sitemap index."""
    try:
        root = parse_xml(xml_text)
    except XmlRefused:
        return [], []
    pages: list[str] = []
    nested: list[str] = []
    is_index = root.tag.endswith("sitemapindex")
    for element in root.iter():
        if element.tag.endswith("loc") and element.text:
            (nested if is_index else pages).append(element.text.strip())
    return pages, nested


class Crawler:
    """Breadth-first, same-origin crawl of one site."""

    def __init__(self, start_url: str, platforms: PlatformTable, options: CrawlOptions) -> None:
        self.start_url = urldefrag(start_url)[0]
        self.origin = origin_of(self.start_url)
        self.platforms = platforms
        self.options = options
        self.robots: RobotFileParser | None = None  # None: no robots.txt, everything allowed
        self.robots_forbid_all = False
        self.outcome = CrawlOutcome()
        self.seen: set[str] = set()
        self.script_cache: dict[str, str] = {}
        self.anchors: dict[str, tuple[SocialLink, ...]] = {}
        self.counts = {"fetched": 0, "robots_disallowed": 0, "not_html": 0, "http_errors": 0, "from_sitemap": 0,
                       "skipped_limit": 0}

    async def run(self) -> CrawlOutcome:
        """Crawl until the queue is empty or a limit is reached."""
        deadline = time.monotonic() + self.options.time_limit
        limits = httpx.Limits(max_connections=self.options.concurrency)
        async with httpx.AsyncClient(timeout=self.options.timeout, limits=limits, follow_redirects=False,
                                     headers={"User-Agent": self.options.user_agent}, trust_env=False) as client:
            await self._read_robots(client)
            queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
            self._enqueue(queue, self.start_url, 0)
            if self.options.use_sitemap:
                for url in await self._sitemap_urls(client):
                    if self._enqueue(queue, url, 1):
                        self.counts["from_sitemap"] += 1
            workers = [asyncio.create_task(self._worker(client, queue, deadline))
                       for _ in range(max(1, self.options.concurrency))]
            await queue.join()
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
        if time.monotonic() > deadline:
            self.outcome.problems.append((self.start_url, f"time limit of {self.options.time_limit:g} s reached; "
                                                          "the crawl is incomplete"))
        self._add_redirect_links()
        self.outcome.stats = dict(self.counts, pages=len(self.outcome.pages))
        return self.outcome

    def _add_redirect_links(self) -> None:
        """Same-site links that answer with a redirect straight to a platform are social links too."""
        redirects = self.outcome.redirects
        if not redirects:
            return
        pages: list[PageFacts] = []
        for page in self.outcome.pages:
            extra = tuple(replace(anchor, target_url=redirects[anchor.href], via_redirect=redirects[anchor.href],
                                  platform=self.platforms.platform_of(redirects[anchor.href]) or "")
                          for anchor in self.anchors.get(page.url, ()) if anchor.href in redirects)
            pages.append(replace(page, links=page.links + extra) if extra else page)
        self.outcome.pages = pages

    def _enqueue(self, queue: asyncio.Queue[tuple[str, int]], url: str, depth: int) -> bool:
        url = urldefrag(url)[0]
        if url in self.seen or not same_origin(url, self.origin) or depth > self.options.max_depth:
            return False
        if len(self.seen) >= self.options.max_pages:
            self.counts["skipped_limit"] += 1
            return False
        if self.robots_forbid_all or (self.robots is not None and not self.robots.can_fetch(self.options.user_agent,
                                                                                             url)):
            self.seen.add(url)
            self.counts["robots_disallowed"] += 1
            return False
        self.seen.add(url)
        queue.put_nowait((url, depth))
        return True

    async def _read_robots(self, client: httpx.AsyncClient) -> None:
        try:
            response = await fetch(client, f"{self.origin}/robots.txt")
        except httpx.HTTPError:
            return
        if response.status_code == 200:
            self.robots = RobotFileParser()
            self.robots.parse(response.text.splitlines())
        elif response.status_code in (401, 403):
            self.robots_forbid_all = True

    async def _sitemap_urls(self, client: httpx.AsyncClient) -> list[str]:
        declared = self.robots.site_maps() if self.robots is not None else None
        candidates = list(declared or []) or [f"{self.origin}/sitemap.xml"]
        pages: list[str] = []
        for _ in range(2):  # a sitemap index, then its sitemaps
            nested: list[str] = []
            for sitemap in candidates[:20]:
                if not same_origin(sitemap, self.origin):
                    continue
                try:
                    response = await fetch(client, sitemap)
                except httpx.HTTPError:
                    continue
                if response.status_code == 200:
                    found, inner = _sitemap_locs(response.text)
                    pages.extend(found)
                    nested.extend(inner)
            if not nested:
                break
            candidates = nested
        return pages

    async def _worker(self, client: httpx.AsyncClient, queue: asyncio.Queue[tuple[str, int]],
                      deadline: float) -> None:
        while True:
            url, depth = await queue.get()
            try:
                if time.monotonic() <= deadline:
                    await self._visit(client, queue, url, depth)
            except Exception as exc:
                self.outcome.problems.append((url, f"{type(exc).__name__}: {exc}"))
            finally:
                queue.task_done()

    async def _visit(self, client: httpx.AsyncClient, queue: asyncio.Queue[tuple[str, int]], url: str,
                     depth: int) -> None:
        try:
            response = await fetch(client, url)
        except httpx.HTTPError as exc:
            self.outcome.problems.append((url, f"cannot fetch: {type(exc).__name__} {exc}"))
            return
        self.counts["fetched"] += 1
        if response.is_redirect:
            location = response.headers.get("location")
            if location:
                absolute = str(response.url.join(location))
                if same_origin(absolute, self.origin):
                    self._enqueue(queue, absolute, depth)
                elif self.platforms.platform_of(absolute):
                    self.outcome.redirects[url] = absolute
            return
        if response.status_code >= 400:
            self.counts["http_errors"] += 1
            if url == self.start_url:
                self.outcome.problems.append((url, f"HTTP {response.status_code}"))
            elif len(self.outcome.broken) < 50:  # a broken link is a fact about the site, not unreadable input
                self.outcome.broken.append((url, response.status_code))
            return
        if "html" not in response.headers.get("content-type", "text/html").lower():
            self.counts["not_html"] += 1
            return
        if response.truncated:
            self.outcome.problems.append((url, f"page larger than {MAX_HTTP_BODY_BYTES} bytes: only the first "
                                               f"{MAX_HTTP_BODY_BYTES} were read (limit MAX_HTTP_BODY_BYTES)"))
        html = decode_html(response)
        parsed = parse_page(url, response.status_code, depth, html, self.platforms)
        if parsed.script_sources:
            extra = await self._scripts(client, parsed.script_sources)
            if extra:
                parsed = parse_page(url, response.status_code, depth, html, self.platforms, extra)
        self.outcome.pages.append(parsed.facts)
        self.anchors[url] = parsed.anchors
        for link in parsed.follow:
            self._enqueue(queue, link, depth + 1)

    async def _scripts(self, client: httpx.AsyncClient, sources: tuple[str, ...]) -> str:
        texts: list[str] = []
        for src in sources[:10]:
            if not same_origin(src, self.origin):
                continue
            if src not in self.script_cache:
                try:
                    response = await fetch(client, src)
                    self.script_cache[src] = response.text if response.status_code == 200 else ""
                except httpx.HTTPError:
                    self.script_cache[src] = ""
            texts.append(self.script_cache[src])
        return "\n".join(t for t in texts if t)


def crawl(start_url: str, platforms: PlatformTable, options: CrawlOptions) -> CrawlOutcome:
    """Crawl ``start_url``'s site (blocking: runs its own event loop)."""
    check_address(start_url, options.allow_private)
    return asyncio.run(Crawler(start_url, platforms, options).run())
