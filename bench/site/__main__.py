"""Website crawl benchmark: ``python -m bench.site [--pages 2000]``.

Serves a generated site of N pages (default 2,000; every page links to a few others and to social
platforms, some with a confirm() prompt, some without) on 127.0.0.1 from a threaded http.server, then in
one run:
1. a fetch-only baseline: the same pages fetched with httpx at the same concurrency, no parsing;
2. the csmguard static site scan (robots.txt, sitemap, crawl, parse, social links, SITE rules).
Prints the time, pages per second and the ratio (target: the scan under 60 s)."""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx

from csmguard.scanners.site.crawl import CrawlOptions
from csmguard.services.site_scan import SiteOptions, load_site_rules, scan_site

SOCIAL = ("https://www.facebook.com/example", "https://line.me/R/ti/p/@example", "https://youtu.be/abc",
          "https://x.com/example", "https://t.me/example", "https://lnkd.in/abc", "https://www.instagram.com/ex")


def page(number: int, total: int) -> str:
    """Page ``number``: links to its children in a wide tree, a few siblings, and two social links."""
    children = [c for c in range(number * 8 + 1, number * 8 + 9) if c < total]
    links = "".join(f'<li><a href="/p/{c}.html">第 {c} 頁</a></li>' for c in children)
    links += "".join(f'<li><a href="/p/{(number + k) % total}.html">相關</a></li>' for k in (1, 7))
    first, second = SOCIAL[number % len(SOCIAL)], SOCIAL[(number + 3) % len(SOCIAL)]
    prompt = "onclick=\"return confirm('您即將離開本公司網站')\"" if number % 2 else ""
    return (f"<!doctype html><html lang='zh-TW'><head><meta charset='utf-8'><title>範例證券 第 {number} 頁</title>"
            f"</head><body><h1>範例證券股份有限公司</h1><p>{'市場資訊與公告。' * 40}</p><ul>{links}</ul>"
            f"<footer><a href='{first}' {prompt}>社群</a> <a href='{second}' target='_blank'>社群 2</a>"
            f" 客服專線 (02) 2345-6789</footer></body></html>")


class Handler(BaseHTTPRequestHandler):
    """Serves the generated pages."""

    total: ClassVar[int] = 2000
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        """One page, robots.txt or sitemap.xml."""
        if self.path == "/robots.txt":
            body, kind = "User-agent: *\nDisallow: /private/\n", "text/plain"
        elif self.path == "/sitemap.xml":
            body, kind = "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'></urlset>", "application/xml"
        elif self.path == "/":
            body, kind = page(0, self.total), "text/html; charset=utf-8"
        elif self.path.startswith("/p/") and self.path.endswith(".html"):
            body, kind = page(int(self.path[3:-5]), self.total), "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


async def fetch_all(origin: str, total: int, concurrency: int) -> int:
    """The baseline: fetch every page with httpx at the same concurrency, nothing else."""
    semaphore = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency), trust_env=False) as client:
        async def one(url: str) -> int:
            async with semaphore:
                return len((await client.get(url)).content)
        sizes = await asyncio.gather(*(one(f"{origin}/p/{n}.html") for n in range(1, total)),
                                     one(f"{origin}/"))
    return sum(sizes)


def main() -> None:
    """Serve the site, run both, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    handler = type("SiteHandler", (Handler,), {"total": args.pages})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        start = time.perf_counter()
        size = asyncio.run(fetch_all(origin, args.pages, args.concurrency))
        fetch_seconds = time.perf_counter() - start
        rules = load_site_rules()
        options = SiteOptions(crawl=CrawlOptions(max_pages=args.pages + 10, max_depth=50, time_limit=600,
                                                 concurrency=args.concurrency, allow_private=True),
                              org_names=("範例證券",))
        start = time.perf_counter()
        result = scan_site(origin + "/", rules, options)
        scan_seconds = time.perf_counter() - start
    finally:
        server.shutdown()
    pages = result.stats["pages"]
    counts = result.status_counts()
    print(f"site: {args.pages} generated pages on {origin}, concurrency {args.concurrency}")
    print(f"{'run':<30}{'seconds':>9}{'pages/s':>9}  result")
    print(f"{'httpx fetch only (baseline)':<30}{fetch_seconds:>9.2f}{args.pages / fetch_seconds:>9.0f}  "
          f"{size / 1e6:.1f} MB fetched")
    print(f"{'csmguard scan site (static)':<30}{scan_seconds:>9.2f}{pages / scan_seconds:>9.0f}  "
          f"{pages} pages, {result.stats['social_links']} social links, fail {counts['fail']}, "
          f"pass {counts['pass']}, errors {len(result.errors)}")
    print(f"ratio (scan / fetch-only time): {scan_seconds / fetch_seconds:.2f}x; "
          f"target < 60 s: {'met' if scan_seconds < 60 and pages >= args.pages else 'NOT met'}")


if __name__ == "__main__":
    main()
