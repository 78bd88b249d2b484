"""A small website served on 127.0.0.1 by a threaded http.server, for the site scanner's tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import urlsplit

INDEX = """<!doctype html><html lang="zh-TW"><head><meta charset="utf-8"><title>範例證券股份有限公司</title></head>
<body><h1>範例證券股份有限公司</h1>
<nav><a href="/social.html">官方社群</a> <a href="/plain.html">新聞</a> <a href="/private/secret.html">內部</a></nav>
<a id="fb" href="https://www.facebook.com/examplesec"
   onclick="return confirm('您即將離開本公司網站，前往 Facebook。是否繼續？')">Facebook</a>
<a id="ig" href="https://www.instagram.com/examplesec" class="ext-modal">Instagram</a>
<a id="line" href="/leave.html?to=https%3A%2F%2Fline.me%2FR%2Fti%2Fp%2F%40examplesec">LINE</a>
<div id="leave-modal" role="dialog" aria-modal="true" aria-labelledby="m-title" hidden>
  <h2 id="m-title">即將離開本網站</h2><p>您即將前往第三方網站 Instagram，該網站非本公司經營。</p>
  <button id="go">繼續</button> <button id="cancel">取消</button>
</div>
<div id="js-links"></div>
<script>
document.querySelectorAll('a.ext-modal').forEach(function (a) {
  a.addEventListener('click', function (e) {
    e.preventDefault(); document.getElementById('leave-modal').hidden = false;
  });
});
var t = document.createElement('a'); t.href = 'https://t' + '.me/examplesec'; t.textContent = 'Telegram';
document.getElementById('js-links').appendChild(t);
</script>
<footer>客服專線 (02) 2345-6789</footer></body></html>"""

LEAVE = """<!doctype html><html><head><meta charset="utf-8"><title>離開本站</title></head><body>
<h1>您即將離開範例證券網站</h1><p>以下連結非本公司經營，客服專線 (02) 2345-6789。</p>
<a href="https://line.me/R/ti/p/@examplesec">前往 LINE 官方帳號</a></body></html>"""

SOCIAL = """<!doctype html><html><head><meta charset="utf-8"><title>官方社群帳號</title></head><body>
<h1>範例證券股份有限公司 官方社群帳號</h1>
<ul><li><a href="https://youtu.be/abc123">YouTube 頻道</a></li>
<li><a href="https://lnkd.in/xyz">LinkedIn</a></li></ul>
<p>客服信箱 service@example.com.tw</p>
<script>
document.addEventListener('click', function (e) {
  var a = e.target.closest('a');
  if (a && a.hostname !== location.hostname && !confirm('您即將離開本公司網站，前往外部社群平台。')) {
    e.preventDefault();
  }
});
</script></body></html>"""

PLAIN = """<!doctype html><html><head><meta charset="utf-8"><title>新聞</title></head><body>
<h1>最新消息</h1>
<a href="https://www.youtube.com/@examplesec" target="_blank">YouTube（另開新視窗）</a>
<a href="https://x.com/examplesec">X</a>
<a href="/go/fb">Facebook 粉絲專頁</a></body></html>"""

HIDDEN = """<!doctype html><html><head><meta charset="utf-8"><title>活動</title></head><body>
<a href="https://www.tiktok.com/@examplesec">TikTok</a></body></html>"""

SECRET = """<!doctype html><html><body><a href="https://www.threads.net/@examplesec">Threads</a></body></html>"""

ROBOTS = "User-agent: *\nDisallow: /private/\n"


def sitemap(origin: str) -> str:
    """The sitemap lists a page no other page links to."""
    return (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{origin}/</loc></url><url><loc>{origin}/hidden.html</loc></url></urlset>")


PAGES = {"/": INDEX, "/index.html": INDEX, "/leave.html": LEAVE, "/social.html": SOCIAL, "/plain.html": PLAIN,
         "/hidden.html": HIDDEN, "/private/secret.html": SECRET}


class _Handler(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, str]] = {}
    lab = True
    delay = 0.0

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if self.delay:
            time.sleep(self.delay)
        origin = f"http://{self.headers.get('Host')}"
        if path == "/go/fb" and self.lab:
            self.send_response(302)
            self.send_header("Location", "https://www.facebook.com/examplesec")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/robots.txt" and self.lab:
            self._send(200, "text/plain", ROBOTS)
        elif path == "/sitemap.xml" and self.lab:
            self._send(200, "application/xml", sitemap(origin))
        elif path in self.pages:
            self._send(200, "text/html; charset=utf-8", self.pages[path])
        else:
            self._send(404, "text/plain", "not found")

    def _send(self, status: int, content_type: str, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@contextmanager
def serve(pages: dict[str, str] | None = None, delay: float = 0.0) -> Iterator[str]:
    """Serve ``pages`` (default: the lab site) on 127.0.0.1, each answer after ``delay`` seconds; yields the
    origin URL."""
    handler = type("Handler", (_Handler,), {"pages": pages if pages is not None else PAGES, "lab": pages is None,
                                           "delay": delay})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
