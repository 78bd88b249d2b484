from __future__ import annotations

from datetime import date

from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.registers.models import SocialAccount
from csmguard.services.registers import add_record, get_record
from csmguard.services.social import privacy_diff, privacy_status, review_privacy, social_check, watch_privacy
from csmguard.workspace import Workspace
from tests.social.conftest import PageServer

POLICY_V1 = "<html><body><nav>x</nav><main><h1>隱私政策</h1><p>我們不會出售您的個人資料。</p></main></body></html>"
POLICY_V2 = ("<html><body><main><h1>隱私政策</h1><p>我們不會出售您的個人資料。</p>"
             "<p>我們會與廣告合作夥伴分享使用紀錄。</p></main></body></html>")


def _account(ws: Workspace, url: str) -> None:
    add_record(ws, "social-accounts", {"platform": "facebook", "handle": "examplesec", "official": True,
                                       "shows_org_name": True, "shows_contact": True, "privacy_policy_url": url})


def test_versions_diff_and_review_cycle(workspace: Workspace, page_server: PageServer) -> None:
    page_server.pages["/policy"] = POLICY_V1
    _account(workspace, page_server.url("/policy"))

    first = watch_privacy(workspace, allow_private=True, today=date(2026, 1, 5))
    assert [(o.platform, o.state) for o in first] == [("facebook", "first")]
    assert first[0].review_id is not None

    again = watch_privacy(workspace, allow_private=True, today=date(2026, 1, 6))
    assert again[0].state == "unchanged"

    page_server.pages["/policy"] = POLICY_V2
    changed = watch_privacy(workspace, allow_private=True, today=date(2026, 1, 7))
    assert changed[0].state == "changed"
    assert any("廣告合作夥伴" in c.added for c in changed[0].changes)

    old, new, changes = privacy_diff(workspace, "facebook")
    assert old.sha256 != new.sha256 and any("分享使用紀錄" in c.added for c in changes)
    status = privacy_status(workspace)
    assert [(s.platform, s.versions, s.open_since) for s in status] == [("facebook", 2, date(2026, 1, 5))]

    # an open change is a manual item within the period and a failure after it (SOC-005)
    within = social_check(workspace, today=date(2026, 1, 20), review_within_days=30)
    overdue = social_check(workspace, today=date(2026, 3, 1), review_within_days=30)
    assert [f.status.value for f in within.findings if f.rule_id == "SOC-005"] == ["manual"]
    assert [f.status.value for f in overdue.findings if f.rule_id == "SOC-005"] == ["fail"]

    assert review_privacy(workspace, "facebook", "王法遵", notes="低風險", today=date(2026, 3, 2)) == 2
    stored = get_record(workspace, "social-accounts", "facebook/examplesec").record
    assert isinstance(stored, SocialAccount) and stored.privacy_policy_reviewed_on == date(2026, 3, 2)
    reviewed = social_check(workspace, today=date(2026, 3, 3))
    assert [f.status.value for f in reviewed.findings if f.rule_id == "SOC-005"] == ["pass"]


def test_loopback_is_refused_without_allow_private(workspace: Workspace, page_server: PageServer) -> None:
    page_server.pages["/policy"] = POLICY_V1
    _account(workspace, page_server.url("/policy"))
    outcome = watch_privacy(workspace)[0]
    assert outcome.state == "error" and "loopback" in (outcome.error or "")


def test_redirects_are_followed_and_empty_pages_are_errors(workspace: Workspace, page_server: PageServer) -> None:
    page_server.pages["/old"] = "REDIRECT /new"
    page_server.pages["/new"] = "<html><body><script>render()</script></body></html>"
    _account(workspace, page_server.url("/old"))
    outcome = watch_privacy(workspace, allow_private=True)[0]
    assert outcome.state == "error" and "JavaScript" in (outcome.error or "")
    page_server.pages["/missing-target"] = "REDIRECT /nowhere"
    target = {"facebook": page_server.url("/missing-target")}
    outcome = watch_privacy(workspace, allow_private=True, overrides=target)[0]
    assert outcome.state == "error" and "HTTP 404" in (outcome.error or "")


def test_cli_watch_privacy_review_and_diff(workspace: Workspace, page_server: PageServer) -> None:
    runner = CliRunner()
    page_server.pages["/p"] = POLICY_V1
    _account(workspace, page_server.url("/p"))
    ws_arg = ["--workspace", str(workspace.root)]
    result = runner.invoke(app, ["watch", "privacy", *ws_arg, "--allow-private", "--lang", "en"])
    assert result.exit_code == 1 and "first version" in result.stdout
    page_server.pages["/p"] = POLICY_V2
    result = runner.invoke(app, ["watch", "privacy", *ws_arg, "--allow-private", "--lang", "en"])
    assert result.exit_code == 1 and "{+" in result.stdout
    result = runner.invoke(app, ["watch", "diff", *ws_arg, "--platform", "facebook"])
    assert result.exit_code == 0 and "廣告合作夥伴" in result.stdout
    result = runner.invoke(app, ["watch", "review", *ws_arg, "--platform", "facebook", "--by", "Lin"])
    assert result.exit_code == 0
    result = runner.invoke(app, ["watch", "privacy", *ws_arg, "--allow-private"])
    assert result.exit_code == 0
    result = runner.invoke(app, ["watch", "review", *ws_arg, "--platform", "facebook", "--by", "Lin"])
    assert result.exit_code == 2 and "no open privacy-policy review" in result.stderr
    result = runner.invoke(app, ["watch", "privacy", *ws_arg, "--url", "facebook"])
    assert result.exit_code == 2 and "PLATFORM=URL" in result.stderr


def test_pages_that_need_javascript_are_read_with_the_browser(workspace: Workspace, page_server: PageServer) -> None:
    page_server.pages["/js"] = ("<html><body><main id='m'></main><script>document.getElementById('m')"
                                ".textContent = '本公司依個人資料保護法蒐集您的資料。';</script></body></html>")
    _account(workspace, page_server.url("/js"))
    plain = watch_privacy(workspace, allow_private=True)[0]
    assert plain.state == "error" and "--browser" in (plain.error or "")
    rendered = watch_privacy(workspace, allow_private=True, browser=True)[0]
    assert rendered.state == "first"
    assert [(s.platform, s.versions) for s in privacy_status(workspace)] == [("facebook", 1)]
    refused = watch_privacy(workspace, browser=True)[0]
    assert refused.state == "error" and "loopback" in (refused.error or "")
