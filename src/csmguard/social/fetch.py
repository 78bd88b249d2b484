"""Fetches a web page over HTTP(S), refusing non-public addresses unless allowed, redirect by redirect."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from csmguard import __version__
from csmguard.scanning.addresses import AddressRefused, check_host

MAX_REDIRECTS = 5
MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = f"csmguard/{__version__} (privacy-policy watch)"


class FetchError(Exception):
    """A page that could not be fetched, with the reason."""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A fetched page: the URL asked for, where it ended after redirects, and its HTML."""

    url: str
    final_url: str
    status: int
    html: str


def fetch_page(url: str, *, allow_private: bool = False, timeout: float = 20.0) -> FetchedPage:
    """GET ``url`` following up to five redirects; every host is checked before it is contacted."""
    current = url
    with httpx.Client(follow_redirects=False, timeout=timeout, headers={"User-Agent": USER_AGENT}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(f"{current}: only http and https URLs can be fetched")
            try:
                check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                           allow_private=allow_private)
            except AddressRefused as exc:
                raise FetchError(f"{current}: {exc}") from exc
            try:
                with client.stream("GET", current) as response:
                    if response.is_redirect and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > MAX_BYTES:
                            raise FetchError(f"{current}: page larger than {MAX_BYTES} bytes")
                    if response.status_code >= 400:
                        raise FetchError(f"{current}: HTTP {response.status_code}")
                    encoding = response.encoding or "utf-8"
                    return FetchedPage(url, current, response.status_code, body.decode(encoding, errors="replace"))
            except httpx.HTTPError as exc:
                raise FetchError(f"{current}: {type(exc).__name__}: {exc}") from exc
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")
