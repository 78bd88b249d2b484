from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from csmguard.catalog.scope import ScopeProfile
from csmguard.cli.main import app
from csmguard.services.registers import add_record
from csmguard.services.social import social_check
from csmguard.services.workspace import latest_findings, set_profile
from csmguard.workspace import Workspace

PAGES = Path(__file__).parents[1] / "rules" / "SOC-001" / "pages"


def _accounts(ws: Workspace) -> None:
    set_profile(ws, ScopeProfile(organization="範例證券股份有限公司", answers={"runs_official_social_media": True}))
    rows = [
        {"platform": "facebook", "handle": "good", "administrators": "王小明=發布者;李主管=核准者", "mfa": True,
         "content_approval": True, "shows_org_name": True, "shows_contact": True,
         "privacy_policy_reviewed_on": "2026-06-01"},
        {"platform": "facebook", "handle": "noname", "mfa": False, "content_approval": False,
         "shows_org_name": False, "shows_contact": True},
        {"platform": "line", "handle": "nocontact", "administrators": "陳小華=小編", "mfa": True,
         "content_approval": False, "shows_org_name": True, "shows_contact": False},
        {"platform": "youtube", "handle": "nopage", "administrators": "陳小華=小編", "mfa": True,
         "content_approval": True, "shows_org_name": True, "shows_contact": True},
        {"platform": "x", "handle": "personal", "official": False},
    ]
    for row in rows:
        add_record(ws, "social-accounts", row)


def _verdicts(result, rule_id: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f.target.id: f.status.value for f in result.findings if f.rule_id == rule_id}


def test_each_social_rule_passes_and_fails_exactly_the_right_accounts(workspace: Workspace) -> None:
    _accounts(workspace)
    result = social_check(workspace, profile_pages=PAGES, today=date(2026, 11, 29))
    assert _verdicts(result, "SOC-001") == {"facebook/good": "pass", "facebook/noname": "fail",
                                            "line/nocontact": "fail", "youtube/nopage": "unknown"}
    assert _verdicts(result, "SOC-002") == {"facebook/good": "pass", "facebook/noname": "fail",
                                            "line/nocontact": "pass", "youtube/nopage": "pass"}
    assert _verdicts(result, "SOC-003") == {"facebook/good": "pass", "facebook/noname": "fail",
                                            "line/nocontact": "pass", "youtube/nopage": "pass"}
    assert _verdicts(result, "SOC-004") == {"facebook/good": "pass", "facebook/noname": "fail",
                                            "line/nocontact": "fail", "youtube/nopage": "pass"}
    assert "x/personal" not in {f.target.id for f in result.findings if f.rule_id.startswith("SOC")}
    good = next(f for f in result.findings if f.rule_id == "SOC-001" and f.target.id == "facebook/good")
    assert good.evidence["names_found"] == ["範例證券股份有限公司"]
    assert any(c.startswith("phone") for c in good.evidence["contacts"])  # type: ignore[union-attr]
    # the register checks on official accounts come along (REG-007 name/contact, REG-008 privacy review)
    assert {f.rule_id for f in result.findings} >= {"REG-007", "REG-008"}


def test_cli_social_check_json_and_exit_code(workspace: Workspace) -> None:
    _accounts(workspace)
    result = CliRunner().invoke(app, ["social", "check", "--workspace", str(workspace.root), "--profile-pages",
                                      str(PAGES), "--format", "json", "--quiet"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["scanner"] == "social"
    assert {f["rule_id"] for f in data["findings"] if f["status"] == "fail"} >= {"SOC-001", "SOC-003"}


def test_the_register_verdicts_it_shows_are_recorded_once(workspace: Workspace) -> None:
    """Issue #17.7: REG-007/REG-008 appeared twice on the dashboard (recorded by the register checks and again
    by the social check); the social check shows them but records only its own findings."""
    _accounts(workspace)
    assert CliRunner().invoke(app, ["check", "--workspace", str(workspace.root), "--quiet"]).exit_code in (0, 1)
    shown = CliRunner().invoke(app, ["social", "check", "--workspace", str(workspace.root), "--profile-pages",
                                     str(PAGES), "--format", "json", "--quiet"])
    assert {f["rule_id"] for f in json.loads(shown.stdout)["findings"]} >= {"REG-007", "REG-008"}
    current = [(f.rule_id, f.target.id) for f in latest_findings(workspace) if f.rule_id in ("REG-007", "REG-008")]
    assert current and len(current) == len(set(current))
