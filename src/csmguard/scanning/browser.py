"""Headless Chromium for checks that need a rendered page: Debian's browser, never a downloaded one."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from csmguard.scanning.addresses import AddressRefused, check_host

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


class RenderError(Exception):
    """A page the browser could not render, with the reason."""


def render_html(url: str, *, allow_private: bool = False, timeout_s: float = 30.0, executable: str = CHROMIUM) -> str:
    """The HTML of ``url`` after its scripts ran, for pages that need JavaScript to show their text.

    Every request the page makes (the page itself, scripts, frames) goes through the same address
    policy as a plain fetch: a host that resolves to a non-public address is blocked unless
    ``allow_private``.
    """
    return asyncio.run(_render(url, allow_private, timeout_s, executable))


async def _render(url: str, allow_private: bool, timeout_s: float, executable: str) -> str:
    from playwright.async_api import Route, async_playwright

    allowed: dict[str, bool] = {}
    refused: list[str] = []

    async def guard(route: Route) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            await route.continue_() if parts.scheme in ("data", "blob") else await route.abort()
            return
        if parts.hostname not in allowed:
            try:
                check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                           allow_private=allow_private)
                allowed[parts.hostname] = True
            except AddressRefused as exc:
                allowed[parts.hostname] = False
                refused.append(str(exc))
        await (route.continue_() if allowed[parts.hostname] else route.abort())

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            page = await browser.new_page()
            await page.route("**/*", guard)
            try:
                response = await page.goto(url, wait_until="networkidle", timeout=timeout_s * 1000)
            except Exception as exc:
                reason = refused[0] if refused else f"{type(exc).__name__}: {exc}"
                raise RenderError(f"{url}: {reason}") from exc
            if response is None or response.status >= 400:
                status = response.status if response is not None else "no response"
                raise RenderError(f"{url}: HTTP {status}")
            return await page.content()
        finally:
            await browser.close()
