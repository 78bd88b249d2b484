"""SITE-001 reads the prompt's text: a confirm() dialog, an on-page modal and a same-site interstitial page,
each with a good and a bad wording, on a real page on 127.0.0.1 clicked in real Chromium (CSM-11.2: the
prompt tells the user that the link is not the organization's own website)."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmguard.domain import Finding, FindingStatus, ScanResult, Target
from csmguard.rules.loader import RuleSet
from csmguard.scanners.site.checks import DEFAULT_CONTACT_PATTERNS, SiteCheckContext, leave_site_prompt
from csmguard.scanners.site.crawl import CrawlOptions
from csmguard.scanners.site.facts import BrowserObservation, PageFacts, PromptKind, SiteFacts, SocialLink
from csmguard.services.site_scan import SiteOptions, load_site_rules, scan_site
from tests.scanners.site.sitelab import serve


def _confirm_page(link: str, question: str) -> str:
    # The confirm() is in a script, so the static pass cannot read it: only the browser decides.
    return f"""<html><body><a id="l" href="{link}">Link</a>
<script>document.getElementById('l').addEventListener('click', function (e) {{
  if (!confirm('{question}')) {{ e.preventDefault(); }} }});</script></body></html>"""


def _modal_page(link: str, wording: str) -> str:
    return f"""<html><body><a id="l" href="{link}">Link</a>
<div id="m" role="dialog" aria-modal="true" hidden><p>{wording}</p><button>繼續</button></div>
<script>document.getElementById('l').addEventListener('click', function (e) {{
  e.preventDefault(); document.getElementById('m').hidden = false; }});</script></body></html>"""


def _interstitial(target: str, wording: str) -> str:
    return f'<html><body><h1>{wording}</h1><a href="{target}">前往</a></body></html>'


LINE_GOOD = "https://line.me/R/ti/p/@good"
LINE_BAD = "https://line.me/R/ti/p/@bad"
SITE = {
    "/": """<html><body><a href="/cg.html">1</a> <a href="/cb.html">2</a> <a href="/mg.html">3</a>
<a href="/mb.html">4</a> <a href="/cookie.html">5</a>
<a href="/leave.html?to=https%3A%2F%2Fline.me%2FR%2Fti%2Fp%2F%40good">LINE good</a>
<a href="/redirect.html?to=https%3A%2F%2Fline.me%2FR%2Fti%2Fp%2F%40bad">LINE bad</a></body></html>""",
    "/cg.html": _confirm_page("https://www.facebook.com/good",
                              "您即將離開本公司網站，前往 Facebook 粉絲專頁，是否繼續？"),
    "/cb.html": _confirm_page("https://www.facebook.com/bad", "確定要前往 Facebook 嗎？"),
    "/mg.html": _modal_page("https://www.instagram.com/good",
                            "You are leaving our website. Instagram is not operated by Example Securities."),
    "/mb.html": _modal_page("https://www.instagram.com/bad", "前往 Instagram 官方帳號"),
    # A cookie banner is a visible dialog before the click: it is not the link's prompt.
    "/cookie.html": """<html><body><div role="dialog">本網站使用 Cookie，您即將離開本公司網站時請注意。</div>
<a href="https://x.com/ex">X</a></body></html>""",
    "/leave.html": _interstitial(LINE_GOOD, "您即將前往非本公司網站 LINE 官方帳號"),
    "/redirect.html": _interstitial(LINE_BAD, "頁面轉址中，請點選下方連結"),
}
GOOD_LEAVE = "/leave.html?to=https%3A%2F%2Fline.me%2FR%2Fti%2Fp%2F%40good"
BAD_LEAVE = "/redirect.html?to=https%3A%2F%2Fline.me%2FR%2Fti%2Fp%2F%40bad"


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_site_rules()


def _site001(result: ScanResult, origin: str) -> dict[tuple[str, str], Finding]:
    return {((f.location.url or "").replace(origin, ""), (f.location.resource or "").replace(origin, "")): f
            for f in result.findings if f.rule_id == "SITE-001"}


def test_static_pass_judges_the_interstitial_pages_wording(rules: RuleSet) -> None:
    with serve(SITE) as origin:
        result = scan_site(origin + "/", rules, SiteOptions(crawl=CrawlOptions(allow_private=True)))
    found = _site001(result, origin)
    assert found[("/", GOOD_LEAVE)].status is FindingStatus.PASS
    bad = found[("/", BAD_LEAVE)]
    assert bad.status is FindingStatus.FAIL
    assert "does not tell the user that the destination is not the organization's own website" in str(
        bad.evidence["reason"])
    assert bad.evidence["prompt_text"] == "頁面轉址中，請點選下方連結 前往"
    # Prompts made by scripts stay open without the browser.
    assert found[("/cb.html", "https://www.facebook.com/bad")].status is FindingStatus.UNKNOWN


@pytest.mark.browser
@pytest.mark.slow
def test_browser_fails_a_prompt_that_does_not_say_the_destination_is_outside(rules: RuleSet, tmp_path: Path) -> None:
    with serve(SITE) as origin:
        result = scan_site(origin + "/", rules, SiteOptions(crawl=CrawlOptions(allow_private=True), browser=True,
                                                            evidence_dir=tmp_path, org_names=("範例證券",)))
    assert result.errors == ()
    found = _site001(result, origin)
    verdicts = {key: (f.status.value, f.evidence.get("prompt")) for key, f in found.items()}
    assert verdicts[("/cg.html", "https://www.facebook.com/good")] == ("pass", "confirm")
    assert verdicts[("/cb.html", "https://www.facebook.com/bad")] == ("fail", "confirm")
    assert verdicts[("/mg.html", "https://www.instagram.com/good")] == ("pass", "modal")
    assert verdicts[("/mb.html", "https://www.instagram.com/bad")] == ("fail", "modal")
    assert verdicts[("/", GOOD_LEAVE)] == ("pass", "interstitial")
    assert verdicts[("/", BAD_LEAVE)] == ("fail", "interstitial")
    assert verdicts[("/cookie.html", "https://x.com/ex")] == ("fail", None)  # the banner was there before
    bad_confirm = found[("/cb.html", "https://www.facebook.com/bad")]
    assert "確定要前往 Facebook 嗎？" in str(bad_confirm.evidence["prompt_text"])
    assert bad_confirm.evidence["decided_by"] == "browser"
    assert "does not tell the user that the destination is not the organization's own website" in \
        bad_confirm.message.en
    assert "未告知使用者該連結非組織本身之網站" in bad_confirm.message.zh_tw
    good_modal = found[("/mg.html", "https://www.instagram.com/good")]
    assert "leaving our website" in str(good_modal.evidence["reason"])


@pytest.mark.parametrize(("prompt", "org_names", "status"), [
    ("confirm: 您即將離開範例證券網站，前往 LINE。", ("範例證券",), FindingStatus.PASS),
    # It may name the firm, but no --org-name says which: undecided, never a pass.
    ("confirm: 您即將離開範例證券網站，前往 LINE。", (), FindingStatus.UNKNOWN),
    ("confirm: 您即將離開，是否繼續？", ("範例證券",), FindingStatus.FAIL),
    ("confirm: 是否繼續？", (), FindingStatus.FAIL),
    ("", (), FindingStatus.UNKNOWN),
])
def test_a_prompt_naming_the_firm_needs_its_name(rules: RuleSet, prompt: str, org_names: tuple[str, ...],
                                                 status: FindingStatus) -> None:
    link = SocialLink(page_url="http://127.0.0.1/", href="https://line.me/R/ti/p/@ex",
                      target_url="https://line.me/R/ti/p/@ex", platform="line")
    facts = SiteFacts(start_url="http://127.0.0.1/",
                      pages=(PageFacts(url="http://127.0.0.1/", status=200, depth=0, links=(link,)),),
                      observations=(BrowserObservation("http://127.0.0.1/", link.href, PromptKind.CONFIRM, prompt),),
                      browser_used=True)
    ctx = SiteCheckContext(target=Target(kind="website", id="http://127.0.0.1/"), org_names=org_names,
                           contact_patterns=DEFAULT_CONTACT_PATTERNS)
    [finding] = leave_site_prompt(rules.get("SITE-001"), facts, ctx)
    assert finding.status is status
