"""The browser pass: Debian's Chromium driven by Playwright clicks every social link with every request
that leaves the site's origin blocked (no social site is ever contacted), and records what the user
would see: a confirm() dialog, an on-page modal, a same-site interstitial page, or nothing, with the
prompt's text. Whether that text says enough (CSM-11.2) is for the checks to judge."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from csmguard.scanners.site.facts import BrowserObservation, PromptKind
from csmguard.scanners.site.parse import same_origin
from csmguard.scanners.site.wording import find_phrase
from csmguard.scanning.browser import CHROMIUM, CHROMIUM_ARGS

_MARK_ANCHORS = """() => Array.from(document.querySelectorAll('a[href], area[href]')).map((a, i) => {
  a.setAttribute('data-csmguard-idx', String(i));
  return [i, a.href, ((a.innerText || a.getAttribute('aria-label') || '') + '').trim().slice(0, 120)];
})"""
_VISIBLE_TEXT = "() => document.body ? document.body.innerText : ''"
_MODAL_SELECTOR = ('[role="dialog"]:visible, [role="alertdialog"]:visible, dialog[open]:visible, '
                   '[aria-modal="true"]:visible')
_PROMPT_MAX = 2000  # characters of a prompt's text kept for judging its wording


@dataclass(frozen=True)
class BrowserOptions:
    """Where screenshots go, how long to wait for a prompt after a click, and the browser binary."""

    evidence_dir: Path
    wait_ms: int = 1500
    executable: str = CHROMIUM
    navigation_timeout_ms: int = 15000
    cues: tuple[str, ...] = ()  # words of a leave-site warning, to notice a box that has no dialog role
    max_clicks: int = 200


class _Click:
    """State of one click: dialogs shown and requests blocked."""

    def __init__(self) -> None:
        self.dialogs: list[tuple[str, str]] = []
        self.blocked_navigations: list[str] = []
        self.blocked: list[str] = []
        self.text_before = ""
        self.modals_before: set[str] = set()


async def _observe_pages(origin: str, pages: Sequence[tuple[str, str]], is_target: Callable[[str], bool],
                         options: BrowserOptions) -> tuple[list[BrowserObservation], list[tuple[str, str]]]:
    from playwright.async_api import async_playwright

    observations: list[BrowserObservation] = []
    problems: list[tuple[str, str]] = []
    options.evidence_dir.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as pw:
        # Defence in depth: besides the request routing below, no host name but the site's resolves.
        host = urlsplit(origin).hostname or "127.0.0.1"
        args = [*CHROMIUM_ARGS, f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {host}"]
        browser = await pw.chromium.launch(executable_path=options.executable, args=args, headless=True)
        clicked: dict[tuple[str, str], BrowserObservation] = {}
        skipped = 0
        try:
            for page_url, signature in pages:
                try:
                    targets = await _rendered_targets(browser, origin, page_url, is_target, options)
                except Exception as exc:
                    problems.append((page_url, f"browser could not open the page: {type(exc).__name__}: {exc}"))
                    continue
                for href, occurrence in targets:
                    earlier = clicked.get((href, signature))
                    if earlier is not None:
                        # The same link under the same scripts (a shared footer): the earlier click stands.
                        observations.append(replace(earlier, page_url=page_url, reason=(
                            earlier.reason + f" (clicked on {earlier.page_url}, same link and scripts)").strip()))
                        continue
                    if len(clicked) >= options.max_clicks:
                        skipped += 1
                        continue
                    observation = await _click_link(browser, origin, page_url, href, occurrence, options)
                    clicked[(href, signature)] = observation
                    observations.append(observation)
        finally:
            await browser.close()
    if skipped:
        problems.append((origin, f"browser click limit of {options.max_clicks} reached; {skipped} link(s) keep "
                                 "their static verdict"))
    return observations, problems


async def _new_context(browser: Any, origin: str, click: _Click) -> Any:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-TW",
                                        service_workers="block")

    async def route(route: Any) -> None:
        """Let same-origin requests through; abort and record everything else."""
        request = route.request
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            await route.continue_()
            return
        if same_origin(url, origin):
            if not request.is_navigation_request():
                await route.continue_()
                return
            # Playwright does not route the requests that follow a redirect, so navigations are fetched here
            # without following redirects: a redirect off the site is blocked like a direct link.
            response = await route.fetch(max_redirects=0)
            location = response.headers.get("location")
            if 300 <= response.status < 400 and location and not same_origin(urljoin(url, location), origin):
                target = urljoin(url, location)
                click.blocked.append(target)
                click.blocked_navigations.append(target)
                await route.abort("blockedbyclient")
                return
            await route.fulfill(response=response)
            return
        click.blocked.append(url)
        if request.is_navigation_request():
            click.blocked_navigations.append(url)
        await route.abort("blockedbyclient")

    await context.route("**/*", route)
    return context


async def _rendered_targets(browser: Any, origin: str, page_url: str, is_target: Callable[[str], bool],
                            options: BrowserOptions) -> list[tuple[str, int]]:
    click = _Click()
    context = await _new_context(browser, origin, click)
    try:
        page = await context.new_page()
        await page.goto(page_url, wait_until="load", timeout=options.navigation_timeout_ms)
        anchors = await page.evaluate(_MARK_ANCHORS)
    finally:
        await context.close()
    counts: dict[str, int] = {}
    out: list[tuple[str, int]] = []
    for _, href, _ in anchors:
        if is_target(href):
            occurrence = counts.get(href, 0)
            counts[href] = occurrence + 1
            if occurrence == 0:
                out.append((href, occurrence))
    return out


async def _click_link(browser: Any, origin: str, page_url: str, href: str, occurrence: int,
                      options: BrowserOptions) -> BrowserObservation:
    click = _Click()
    context = await _new_context(browser, origin, click)
    shot_name = hashlib.sha256(f"{page_url}\x1f{href}".encode()).hexdigest()[:16] + ".png"
    shot = options.evidence_dir / shot_name
    try:
        page = await context.new_page()

        async def on_dialog(dialog: Any) -> None:
            """Record the dialog's text and dismiss it, so that the page stays."""
            click.dialogs.append((dialog.type, dialog.message))
            await dialog.dismiss()

        page.on("dialog", on_dialog)
        await page.goto(page_url, wait_until="load", timeout=options.navigation_timeout_ms)
        anchors = await page.evaluate(_MARK_ANCHORS)
        matching = [i for i, anchor_href, _ in anchors if anchor_href == href]
        if len(matching) <= occurrence:
            return BrowserObservation(page_url, href, PromptKind.NONE, reason="the link was not in the rendered page")
        selector = f'[data-csmguard-idx="{matching[occurrence]}"]'
        click.text_before = await page.evaluate(_VISIBLE_TEXT)
        click.modals_before = set(await _modal_texts(page))
        try:
            await page.click(selector, timeout=3000, no_wait_after=True)
        except Exception:
            await page.eval_on_selector(selector, "e => e.click()")
        return await _watch(page, page_url, href, click, shot, options)
    except Exception as exc:
        return BrowserObservation(page_url, href, PromptKind.NONE, reason=f"browser error: {type(exc).__name__}: "
                                  f"{str(exc)[:200]}")
    finally:
        await context.close()


async def _watch(page: Any, page_url: str, href: str, click: _Click, shot: Path,
                 options: BrowserOptions) -> BrowserObservation:
    waited = 0
    while waited < options.wait_ms:
        await asyncio.sleep(0.1)
        waited += 100
        if click.dialogs:
            saved = await _screenshot(page, shot)
            kind, message = click.dialogs[0]
            return BrowserObservation(page_url, href, PromptKind.CONFIRM,
                                      prompt_text=f"{kind}: {message}"[:_PROMPT_MAX], screenshot=saved)
        # Only a modal the click opened: a cookie banner or chat window shown before the click is no prompt.
        opened = [text for text in await _modal_texts(page) if text not in click.modals_before]
        if opened:
            saved = await _screenshot(page, shot)
            return BrowserObservation(page_url, href, PromptKind.MODAL, prompt_text=" ".join(opened)[:_PROMPT_MAX],
                                      screenshot=saved)
        if page.url.split("#")[0] == page_url.split("#")[0] and not click.blocked_navigations:
            appeared = await _appeared_warning(page, click.text_before, options.cues)
            # Still the same document (not an interstitial page that was loading meanwhile)?
            if appeared and page.url.split("#")[0] == page_url.split("#")[0] and not click.blocked_navigations:
                saved = await _screenshot(page, shot)
                return BrowserObservation(page_url, href, PromptKind.MODAL, prompt_text=appeared, screenshot=saved,
                                          reason="a warning appeared on the page (no dialog role)")
        if click.blocked_navigations:
            saved = await _screenshot(page, shot)
            return BrowserObservation(page_url, href, PromptKind.NONE, navigated_to=click.blocked_navigations[0],
                                      screenshot=saved,
                                      reason="the browser started to leave the site without a prompt")
        current = page.url
        if current.split("#")[0] != page_url.split("#")[0] and same_origin(current, page_url):
            try:
                await page.wait_for_load_state("load", timeout=options.navigation_timeout_ms)
                content = " ".join((await page.inner_text("body")).split())
            except Exception:  # noqa: S112 - still navigating; look again on the next turn
                continue
            saved = await _screenshot(page, shot)
            if await _leads_on(page, href) or find_phrase(content, options.cues):
                # A same-site page between the link and the platform: an interstitial, whatever it says.
                return BrowserObservation(page_url, href, PromptKind.INTERSTITIAL, prompt_text=content[:_PROMPT_MAX],
                                          navigated_to=current, screenshot=saved)
            return BrowserObservation(page_url, href, PromptKind.NONE, navigated_to=current, screenshot=saved,
                                      reason="went to a same-site page that neither leads on to the link's "
                                             "destination nor speaks of leaving")
    saved = await _screenshot(page, shot)
    return BrowserObservation(page_url, href, PromptKind.NONE, screenshot=saved,
                              reason=f"nothing happened within {options.wait_ms} ms of the click")


async def _appeared_warning(page: Any, before: str, cues: tuple[str, ...]) -> str | None:
    """The text that became visible after the click when it reads as a leave-site warning (an on-page box
    without a dialog role): all the new lines, so that the checks judge the whole warning."""
    try:
        after = await page.evaluate(_VISIBLE_TEXT)
    except Exception:
        return None
    if not isinstance(after, str) or after == before:
        return None
    new_lines = [" ".join(line.split()) for line in after.splitlines() if line.strip() and line not in before]
    appeared = " ".join(new_lines)
    if appeared and find_phrase(appeared, cues):
        return appeared[:_PROMPT_MAX]
    return None


async def _modal_texts(page: Any) -> list[str]:
    """The text of every visible dialog (role dialog/alertdialog, open <dialog>, aria-modal), whitespace folded."""
    try:
        modals = page.locator(_MODAL_SELECTOR)
        return [" ".join((await modals.nth(i).inner_text()).split()) for i in range(await modals.count())]
    except Exception:  # the page is navigating away: no modal to read
        return []


_REFRESH = """() => Array.from(document.querySelectorAll('meta[http-equiv]'))
  .filter(m => (m.getAttribute('http-equiv') || '').toLowerCase() === 'refresh')
  .map(m => m.getAttribute('content') || '').join(' ')"""


async def _leads_on(page: Any, href: str) -> bool:
    """Whether the same-site page reached after clicking ``href`` is on the way to its destination: its own
    address carries the destination (``/leave?to=https%3A%2F%2Fline.me…``) or it refreshes to it. A page that
    merely links to the platform too (a list of the firm's accounts) is not taken for an interstitial."""
    host = urlsplit(href).hostname or ""
    if not host:
        return False
    if host in page.url:
        return True
    try:
        refresh = await page.evaluate(_REFRESH)
    except Exception:
        return False
    return isinstance(refresh, str) and host in refresh


async def _screenshot(page: Any, path: Path) -> str | None:
    """Save a PNG of the page; the path, or None when the page could not be captured."""
    with contextlib.suppress(Exception):  # a missing screenshot does not change the verdict
        await page.screenshot(path=str(path), full_page=False, timeout=10000)
        return str(path)
    return None


def observe(origin: str, pages: Sequence[tuple[str, str]], is_target: Callable[[str], bool],
            options: BrowserOptions) -> tuple[list[BrowserObservation], list[tuple[str, str]]]:
    """Open each page (URL, signature of its scripts) in headless Chromium and click each rendered link for
    which ``is_target`` holds; a link already clicked under the same scripts is not clicked again."""
    return asyncio.run(_observe_pages(origin, pages, is_target, options))
