"""Fixtures of the job tests: a slow website on loopback (so a job is still running when a test kills its
worker), the PostgreSQL fixtures of tests/store, and helpers to wait for jobs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import urlsplit

import pytest

from tests.store.conftest import pg_server, pg_url  # noqa: F401  (fixtures)

PAGES = 12
DELAY_SECONDS = 0.5


class _SlowSite(BaseHTTPRequestHandler):
    """Pages /p0 … /p11, each linking the next and a Facebook page without a leave-site prompt, each answered
    after ``DELAY_SECONDS``."""

    delay: ClassVar[float] = DELAY_SECONDS

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        number = int(path[2:]) if path.startswith("/p") and path[2:].isdigit() else (0 if path == "/" else -1)
        if not 0 <= number < PAGES:
            body, status = b"not found", 404
        else:
            time.sleep(self.delay)
            following = f'<a href="/p{number + 1}">next</a>' if number + 1 < PAGES else ""
            body = (f'<!doctype html><html><head><title>p{number}</title></head><body>{following}'
                    f'<a href="https://www.facebook.com/example.securities.{number}">Facebook</a>'
                    "</body></html>").encode()
            status = 200
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def slow_site() -> Iterator[str]:
    """The slow website's start URL on 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll ``condition`` until it holds (AssertionError naming ``what`` after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
