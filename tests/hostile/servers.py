"""A hostile web server on 127.0.0.1 for the tests and the benchmark: pages that never end, a sitemap
with a billion-laughs DOCTYPE. It counts the bytes it managed to send."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HUGE_PAGE_BYTES = 2 * 1024 * 1024 * 1024  # what the page claims to be, and sends if the client keeps reading
_CHUNK = b"<p>" + b"x" * 65_533 + b"</p>\n"
BILLION_LAUGHS_XML = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'.encode()
               for i in range(1, 10))
    + b']>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol9;</loc></url></urlset>\n'
)


class _State:
    def __init__(self) -> None:
        self.sent = 0
        self.lock = threading.Lock()

    def add(self, count: int) -> None:
        with self.lock:
            self.sent += count


class HostileServer(ThreadingHTTPServer):
    """The server, with the byte count of the huge page."""

    daemon_threads = True
    state: _State


class _Handler(BaseHTTPRequestHandler):
    server: HostileServer

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        if self.path == "/sitemap.xml":
            self._send(200, "application/xml", BILLION_LAUGHS_XML)
        elif self.path == "/robots.txt":
            self._send(200, "text/plain", b"User-agent: *\nSitemap: /sitemap.xml\n")
        elif self.path == "/":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(HUGE_PAGE_BYTES))
            self.end_headers()
            sent = 0
            try:
                while sent < HUGE_PAGE_BYTES:
                    self.wfile.write(_CHUNK)
                    sent += len(_CHUNK)
                    self.server.state.add(len(_CHUNK))
            except (BrokenPipeError, ConnectionResetError):
                return
        else:
            self._send(404, "text/plain", b"no")

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def hostile_site() -> Iterator[tuple[str, HostileServer]]:
    """(origin, server) of the hostile site on a free port of 127.0.0.1, for the ``with`` block."""
    server = HostileServer(("127.0.0.1", 0), _Handler)
    server.state = _State()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server
    finally:
        server.shutdown()
        server.server_close()
