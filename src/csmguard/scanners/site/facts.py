"""What the website scanner read: pages, the social media links on them, and what the browser saw."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class SocialLink:
    """A link to a social media platform found on a page (in HTML, or built by a script)."""

    page_url: str
    href: str
    target_url: str
    platform: str
    text: str = ""
    target_blank: bool = False
    rel: str = ""
    onclick: str = ""
    via_interstitial: str | None = None
    via_redirect: str | None = None
    source: str = "html"  # html | script | browser


@dataclass(frozen=True)
class PageFacts:
    """One crawled same-origin page."""

    url: str
    status: int
    depth: int
    title: str = ""
    text: str = ""
    links: tuple[SocialLink, ...] = ()
    script_text: str = ""
    has_dialog_markup: bool = False
    script_confirms: bool = False
    script_handles_clicks: bool = False
    script_builds_links: bool = False


class PromptKind(StrEnum):
    """What the browser saw after clicking a link."""

    CONFIRM = "confirm"
    MODAL = "modal"
    INTERSTITIAL = "interstitial"
    NONE = "none"


@dataclass(frozen=True)
class BrowserObservation:
    """The result of clicking one link in headless Chromium with all external requests blocked."""

    page_url: str
    href: str
    prompt: PromptKind
    prompt_text: str = ""
    navigated_to: str | None = None
    screenshot: str | None = None
    reason: str = ""
    platform: str = ""


@dataclass(frozen=True)
class SiteFacts:
    """Everything read from one site."""

    start_url: str
    pages: tuple[PageFacts, ...]
    observations: tuple[BrowserObservation, ...] = ()
    browser_used: bool = False
    problems: tuple[tuple[str, str], ...] = field(default=())
    stats: dict[str, int] = field(default_factory=dict)
    broken_links: tuple[tuple[str, int], ...] = ()

    def links(self) -> list[SocialLink]:
        """Every social link, once per (page, target URL)."""
        seen: set[tuple[str, str]] = set()
        out: list[SocialLink] = []
        for page in self.pages:
            for link in page.links:
                key = (link.page_url, link.target_url)
                if key not in seen:
                    seen.add(key)
                    out.append(link)
        return out
