"""The lab site on 127.0.0.1: a confirm dialog, an accessible modal, an interstitial page, a link built by a
script, links with no prompt, a page only in the sitemap and a page robots.txt forbids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.domain import FindingStatus, ScanResult
from csmguard.rules.loader import RuleSet
from csmguard.scanners.site.crawl import CrawlOptions
from csmguard.scanners.site.platforms import load_platforms
from csmguard.services.site_scan import SiteOptions, load_site_rules, scan_site
from tests.scanners.site.sitelab import serve

INTERSTITIAL = "/leave.html?to=https%3A%2F%2Fline.me%2FR%2Fti%2Fp%2F%40examplesec"


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_site_rules()


def _verdicts(result: ScanResult, origin: str, rule_id: str = "SITE-001") -> dict[tuple[str, str], str]:
    return {((f.location.url or "").replace(origin, ""), (f.location.resource or "").replace(origin, "")):
            f.status.value for f in result.findings if f.rule_id == rule_id}


STATIC = {
    ("/", "https://www.facebook.com/examplesec"): "pass",
    ("/", "https://www.instagram.com/examplesec"): "unknown",
    ("/", INTERSTITIAL): "pass",
    (INTERSTITIAL, "https://line.me/R/ti/p/@examplesec"): "pass",
    ("/social.html", "https://youtu.be/abc123"): "unknown",
    ("/social.html", "https://lnkd.in/xyz"): "unknown",
    ("/plain.html", "https://www.youtube.com/@examplesec"): "fail",
    ("/plain.html", "https://x.com/examplesec"): "fail",
    ("/plain.html", "/go/fb"): "fail",  # a same-site URL that redirects straight to Facebook
    ("/hidden.html", "https://www.tiktok.com/@examplesec"): "fail",
}


def test_static_pass_reads_robots_sitemap_and_decides_what_it_can(rules: RuleSet) -> None:
    with serve() as origin:
        result = scan_site(origin + "/", rules, SiteOptions(crawl=CrawlOptions(allow_private=True),
                                                            org_names=("範例證券",)))
    assert result.errors == ()
    assert _verdicts(result, origin) == STATIC
    assert result.stats["robots_disallowed"] == 1 and result.stats["from_sitemap"] == 1
    assert _verdicts(result, origin, "SITE-002") == {
        ("/", ""): "pass", ("/social.html", ""): "pass", (INTERSTITIAL, ""): "pass",
        ("/plain.html", ""): "fail", ("/hidden.html", ""): "fail"}
    fb = next(f for f in result.findings if f.location.resource == "https://www.facebook.com/examplesec")
    assert fb.evidence["prompt_text"] == "您即將離開本公司網站，前往 Facebook。是否繼續？"


def test_limits_are_honoured(rules: RuleSet) -> None:
    with serve() as origin:
        result = scan_site(origin + "/", rules, SiteOptions(crawl=CrawlOptions(allow_private=True, max_depth=0,
                                                                               use_sitemap=False)))
    assert result.stats["pages"] == 1
    assert {k[0] for k in _verdicts(result, origin)} == {"/"}


def test_loopback_is_refused_unless_allowed(rules: RuleSet) -> None:
    with serve() as origin:
        result = scan_site(origin + "/", rules, SiteOptions())
    assert result.findings == () and "loopback address" in result.errors[0].message


def test_platform_list_recognises_short_links_and_line_forms() -> None:
    table = load_platforms()
    assert [table.platform_of(u) for u in (
        "https://lin.ee/abc", "https://line.me/R/ti/p/@x", "https://liff.line.me/1-a", "https://youtu.be/x",
        "https://t.co/x", "https://t.me/x", "https://lnkd.in/x", "https://fb.me/x", "https://m.facebook.com/x",
        "https://www.example.com/facebook.com", "mailto:a@facebook.com")] == [
        "line", "line", "line", "youtube", "x", "telegram", "linkedin", "facebook", "facebook", None, None]


@pytest.mark.browser
@pytest.mark.slow
def test_browser_pass_clicks_every_link_and_keeps_screenshots(rules: RuleSet, tmp_path: Path) -> None:
    with serve() as origin:
        result = scan_site(origin + "/", rules, SiteOptions(crawl=CrawlOptions(allow_private=True), browser=True,
                                                            evidence_dir=tmp_path, org_names=("範例證券",)))
    assert result.errors == ()
    verdicts = _verdicts(result, origin)
    assert verdicts == {
        **STATIC,
        ("/", "https://www.instagram.com/examplesec"): "pass",
        ("/social.html", "https://youtu.be/abc123"): "pass",
        ("/social.html", "https://lnkd.in/xyz"): "pass",
        ("/", "https://t.me/examplesec"): "fail",  # built by a script: only the browser sees it
    }
    by_href = {(f.location.resource or "").replace(origin, ""): f for f in result.findings if f.rule_id == "SITE-001"}
    assert by_href["https://www.facebook.com/examplesec"].evidence["prompt"] == "confirm"
    assert "Facebook" in str(by_href["https://www.facebook.com/examplesec"].evidence["prompt_text"])
    modal = by_href["https://www.instagram.com/examplesec"].evidence
    assert modal["prompt"] == "modal" and "第三方網站" in str(modal["prompt_text"])
    assert by_href[INTERSTITIAL].evidence["prompt"] == "interstitial"
    assert by_href["https://www.youtube.com/@examplesec"].evidence["navigated_to"] == "https://www.youtube.com/@examplesec"
    assert by_href["https://t.me/examplesec"].evidence["platform"] == "telegram"
    redirect = by_href["/go/fb"].evidence
    assert redirect["decided_by"] == "browser" and redirect["navigated_to"] == "https://www.facebook.com/examplesec"
    assert redirect["redirects_to"] == "https://www.facebook.com/examplesec"
    shots = [Path(str(f.evidence["screenshot"])) for f in by_href.values() if "screenshot" in f.evidence]
    assert shots  # a screenshot that times out on a busy machine is left out, never named without a file
    for shot in shots:
        assert shot.parent == tmp_path and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_json_exit_code_and_fail_on(tmp_path: Path) -> None:
    runner = CliRunner()
    with serve() as origin:
        result = runner.invoke(app, ["scan", "site", origin + "/", "--allow-private", "--org-name", "範例證券",
                                     "-f", "json", "-q"])
        never = runner.invoke(app, ["scan", "site", origin + "/", "--allow-private", "--fail-on", "never",
                                    "--lang", "en"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["scanner"] == "site" and data["stats"]["pages"] == 5
    assert never.exit_code == 0 and "leaves the site without a warning" in never.stdout


SHARED_FOOTER = '<footer><a href="https://www.facebook.com/examplesec">Facebook</a></footer>'
SMALL_SITE = {
    "/": f'<html><body><a href="/a.html">A</a> <a href="/missing.html">old</a>{SHARED_FOOTER}</body></html>',
    "/a.html": f'<html><body><a href="https://www.instagram.com/ex">IG</a>{SHARED_FOOTER}</body></html>',
}


@pytest.mark.browser
def test_a_shared_link_is_clicked_once_and_the_click_limit_is_reported(rules: RuleSet, tmp_path: Path) -> None:
    with serve(SMALL_SITE) as origin:
        result = scan_site(origin + "/", rules, SiteOptions(crawl=CrawlOptions(allow_private=True), browser=True,
                                                            evidence_dir=tmp_path, max_clicks=1))
    site001 = {((f.location.url or "").replace(origin, ""), f.location.resource): f
               for f in result.findings if f.rule_id == "SITE-001"}
    first = site001[("/", "https://www.facebook.com/examplesec")]
    shared = site001[("/a.html", "https://www.facebook.com/examplesec")]
    limited = site001[("/a.html", "https://www.instagram.com/ex")]
    assert first.status is shared.status is limited.status is FindingStatus.FAIL
    assert first.evidence["decided_by"] == shared.evidence["decided_by"] == "browser"
    assert f"clicked on {origin}/" in str(shared.evidence["reason"])
    assert limited.evidence["decided_by"] == "static" and "did not reach" in str(limited.evidence["reason"])
    assert [e.message for e in result.errors] == [
        "browser click limit of 1 reached; 1 link(s) keep their static verdict"]
    assert result.stats["broken_links"] == [{"url": f"{origin}/missing.html", "status": 404}]


BOX_SITE = {"/": """<html><body><a id="yt" href="https://www.youtube.com/@ex">YouTube</a>
<div id="box" style="display:none">您即將離開本公司網站，前往外部網站。 <a href="#" id="go">繼續</a></div>
<script>document.getElementById('yt').addEventListener('click', function (e) {
  e.preventDefault(); document.getElementById('box').style.display = 'block'; });</script></body></html>"""}


@pytest.mark.browser
def test_a_warning_box_without_a_dialog_role_counts_as_a_prompt(rules: RuleSet, tmp_path: Path) -> None:
    with serve(BOX_SITE) as origin:
        static = scan_site(origin + "/", rules, SiteOptions(crawl=CrawlOptions(allow_private=True)))
        browser = scan_site(origin + "/", rules, SiteOptions(crawl=CrawlOptions(allow_private=True), browser=True,
                                                             evidence_dir=tmp_path))
    # The page's script handles clicks: the static pass cannot tell, the browser can.
    assert [f.status for f in static.findings if f.rule_id == "SITE-001"] == [FindingStatus.UNKNOWN]
    [finding] = [f for f in browser.findings if f.rule_id == "SITE-001"]
    assert finding.status is FindingStatus.PASS and finding.evidence["prompt"] == "modal"
    assert "即將離開" in str(finding.evidence["prompt_text"]) and "no dialog role" in str(finding.evidence["reason"])


def test_big5_pages_declared_by_meta_are_read(rules: RuleSet) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    body = ('<html><head><meta charset="big5"><title>範例證券</title></head><body>'
            '<a href="https://www.facebook.com/ex" onclick="return confirm(\'您即將離開本公司網站\')">FB</a>'
            '客服專線 (02) 2345-6789</body></html>').encode("cp950")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/" else 404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        result = scan_site(origin + "/", rules, SiteOptions(crawl=CrawlOptions(allow_private=True, use_sitemap=False),
                                                            org_names=("範例證券",)))
    finally:
        server.shutdown()
        server.server_close()
    statuses = {f.rule_id: f.status for f in result.findings}
    assert statuses == {"SITE-001": FindingStatus.PASS, "SITE-002": FindingStatus.PASS}
    fb = next(f for f in result.findings if f.rule_id == "SITE-001")
    assert fb.evidence["prompt_text"] == "您即將離開本公司網站"
