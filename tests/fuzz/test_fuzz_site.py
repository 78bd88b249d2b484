"""Fuzz harnesses of the site readers: page parsing (HTML) and sitemaps (XML); they never raise."""

from __future__ import annotations

from hypothesis import example, given

from csmguard.scanners.site.crawl import _sitemap_locs
from csmguard.scanners.site.parse import parse_page
from csmguard.scanners.site.platforms import load_platforms
from tests.fuzz.strategies import inputs
from tests.hostile.servers import BILLION_LAUGHS_XML

PLATFORMS = load_platforms()
PAGE = '''<!doctype html><html><head><base href="/x/"><title>範例證券</title>
<script src="/app.js"></script></head><body>
<a href="https://www.facebook.com/examplesec" onclick="return confirm('您即將離開本公司網站')">FB</a>
<a href="/leave.html?to=https%3A%2F%2Fline.me%2FR%2Fti%2Fp%2F%40x">LINE</a><a href="page2.html">next</a>
<p>客服專線 0800-000-123</p></body></html>'''.encode()
SITEMAP = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           b"<url><loc>https://example.com/a</loc></url></urlset>")


@given(inputs(PAGE))
@example(b"<a href='" + b"%" * 5000 + b"'>x</a>" + b"<div>" * 20_000)
# Found by make fuzz: one malformed link (ValueError: Invalid IPv6 URL) lost the whole page.
@example(PAGE.replace(b'href="page2.html"', b'href="http://[x/"', 1))
@example(b'<base href="http://]"><script src="//[a"></script><a href="/leave?to=http://[q">x</a>')
# Found by atheris: a port that is not a number ("Port could not be cast to integer value").
@example(b'<a href="https://example.com: href=">x</a>')
def test_page(data: bytes) -> None:
    parsed = parse_page("https://example.com/", 200, 0, data.decode("utf-8", "replace"), PLATFORMS)
    assert parsed.facts.url == "https://example.com/"


@given(inputs(SITEMAP))
@example(BILLION_LAUGHS_XML)
def test_sitemap(data: bytes) -> None:
    pages, nested = _sitemap_locs(data.decode("utf-8", "replace"))
    assert all(isinstance(u, str) for u in [*pages, *nested])
