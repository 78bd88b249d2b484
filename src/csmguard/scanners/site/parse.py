"""Parses one HTML page (selectolax, lexbor) into facts: its text, its same-origin links to follow and
its links to social media, including links inside inline scripts and same-site interstitial links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from csmguard.scanners.site.facts import PageFacts, SocialLink
from csmguard.scanners.site.platforms import PlatformTable

_URL_IN_SCRIPT = re.compile(r"""https?://[^\s"'`<>()\\]+""")
_CONFIRM_RE = re.compile(r"\bconfirm\s*\(")
_CLICK_HANDLER_RE = re.compile(r"""addEventListener\s*\(\s*['"](?:click|mousedown|pointerdown|auxclick)['"]"""
                               r"""|\.onclick\s*=|\.on\(\s*['"]click|\.click\s*\(\s*function|\.click\s*\(\s*\(""")
_BUILDS_LINKS_RE = re.compile(r"createElement\s*\(\s*['\"]a['\"]|\.href\s*=|innerHTML|insertAdjacentHTML|"
                              r"window\.open\s*\(|location(?:\.href)?\s*=")
_TEXT_MAX = 20000


def same_origin(url: str, origin: str) -> bool:
    """Whether ``url`` has the scheme, host and port of ``origin``."""
    a, b = urlsplit(url), urlsplit(origin)
    return (a.scheme, a.hostname, a.port or _port(a.scheme)) == (b.scheme, b.hostname, b.port or _port(b.scheme))


def _port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class ParsedPage:
    """A page's facts and the same-origin URLs it links to."""

    facts: PageFacts
    follow: tuple[str, ...]
    script_sources: tuple[str, ...]
    anchors: tuple[SocialLink, ...] = ()  # same-site links, kept in case they redirect to a platform


def _interstitial_target(url: str, platforms: PlatformTable) -> str | None:
    """The social URL carried in a same-site link's query (``/leave?url=https://facebook.com/…``)."""
    for _, value in parse_qsl(urlsplit(url).query, keep_blank_values=False):
        candidate = unquote(value)
        if platforms.platform_of(candidate):
            return candidate
    return None


def parse_page(url: str, status: int, depth: int, html: str, platforms: PlatformTable,
               extra_scripts: str = "") -> ParsedPage:
    """Read one page: title, visible text, links to follow, social links (HTML, scripts, interstitials)."""
    tree = LexborHTMLParser(html)
    base = url
    base_node = tree.css_first("base[href]")
    if base_node is not None and base_node.attributes.get("href"):
        base = urljoin(url, base_node.attributes.get("href") or "")
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node is not None else ""
    scripts: list[str] = []
    script_sources: list[str] = []
    for node in tree.css("script"):
        src = node.attributes.get("src")
        if src:
            script_sources.append(urljoin(base, src))
        else:
            scripts.append(node.text(deep=True) or "")
    script_text = "\n".join(scripts) + ("\n" + extra_scripts if extra_scripts else "")
    has_dialog_markup = bool(tree.css_first('[role="dialog"], [role="alertdialog"], dialog, [aria-modal="true"]'))
    follow: list[str] = []
    links: list[SocialLink] = []
    anchors: list[SocialLink] = []
    origin = origin_of(url)
    for node in tree.css("a[href], area[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        absolute = urldefrag(urljoin(base, href))[0]
        platform = platforms.platform_of(absolute)
        attrs = node.attributes
        label = (node.text(strip=True) or attrs.get("aria-label") or attrs.get("title") or "")[:120]
        blank = (attrs.get("target") or "").lower() == "_blank"
        rel = (attrs.get("rel") or "").lower()
        onclick = (attrs.get("onclick") or "")[:300]
        if platform is not None:
            links.append(SocialLink(page_url=url, href=absolute, target_url=absolute, platform=platform, text=label,
                                    target_blank=blank, rel=rel, onclick=onclick))
        elif same_origin(absolute, origin):
            follow.append(absolute)
            anchors.append(SocialLink(page_url=url, href=absolute, target_url=absolute, platform="", text=label,
                                      target_blank=blank, rel=rel, onclick=onclick))
            inner = _interstitial_target(absolute, platforms)
            if inner is not None:
                links.append(SocialLink(page_url=url, href=absolute, target_url=inner,
                                        platform=platforms.platform_of(inner) or "", text=label, target_blank=blank,
                                        rel=rel, onclick=onclick, via_interstitial=absolute))
    known = {link.target_url for link in links}
    for match in _URL_IN_SCRIPT.finditer(script_text):
        candidate = match.group(0).rstrip(".,;")
        platform = platforms.platform_of(candidate)
        if platform and candidate not in known:
            known.add(candidate)
            links.append(SocialLink(page_url=url, href=candidate, target_url=candidate, platform=platform,
                                    source="script"))
    body = tree.body
    text = body.text(separator=" ", strip=True) if body is not None else ""
    facts = PageFacts(url=url, status=status, depth=depth, title=title, text=" ".join(text.split())[:_TEXT_MAX],
                      links=tuple(links), script_text=script_text[:_TEXT_MAX], has_dialog_markup=has_dialog_markup,
                      script_confirms=bool(_CONFIRM_RE.search(script_text)),
                      script_handles_clicks=bool(_CLICK_HANDLER_RE.search(script_text)),
                      script_builds_links=bool(_BUILDS_LINKS_RE.search(script_text)))
    return ParsedPage(facts, tuple(dict.fromkeys(follow)), tuple(dict.fromkeys(script_sources)), tuple(anchors))
