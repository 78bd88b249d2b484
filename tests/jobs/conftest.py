"""Fixtures of the job tests: a slow website on loopback (so a job is still running when a test kills its
worker), the PostgreSQL fixtures of tests/store, and helpers to wait for jobs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from tests.scanners.site.sitelab import serve
from tests.store.conftest import pg_server, pg_url  # noqa: F401  (fixtures)

PAGES = 12
DELAY_SECONDS = 0.5


def _page(number: int) -> str:
    following = f'<a href="/p{number + 1}">next</a>' if number + 1 < PAGES else ""
    return (f"<!doctype html><html><head><title>p{number}</title></head><body>{following}"
            f'<a href="https://www.facebook.com/example.securities.{number}">Facebook</a></body></html>')


@pytest.fixture
def slow_site() -> Iterator[str]:
    """Pages /, /p1 … /p11 on 127.0.0.1, each linking the next and a Facebook page without a leave-site
    prompt, each answered after ``DELAY_SECONDS`` (so a job is still running when a test kills its worker);
    the start URL."""
    pages = {"/": _page(0), **{f"/p{n}": _page(n) for n in range(1, PAGES)}}
    with serve(pages, delay=DELAY_SECONDS) as origin:
        yield origin + "/"


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll ``condition`` until it holds (AssertionError naming ``what`` after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
