"""``csmguard demo`` end to end in a temporary folder: workspace, checks, assessment and five reports."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csmguard.assessment import AssessmentResult, ComplianceStatus
from csmguard.auth.passwords import verify_password
from csmguard.auth.roles import Role
from csmguard.cli.main import app
from csmguard.domain.errors import InputError
from csmguard.services import audit, web_accounts
from csmguard.services.demo import MARKER, build_demo
from csmguard.services.registers import list_records
from csmguard.services.social import default_privacy_sources, privacy_diff, privacy_status
from csmguard.services.workspace import get_scan, list_assessments, list_scans, open_workspace, verify_evidence
from csmguard.store.db import session_scope

DAY = "2026-11-29"
FAST = web_accounts.Policy(argon2_time_cost=1, argon2_memory_kib=1024)

pytestmark = pytest.mark.slow  # builds the demo (PDF layout included) twice


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "ws"
    result = CliRunner().invoke(app, ["demo", "--dir", str(folder), "--today", DAY])
    assert result.exit_code == 0, result.output
    assert "csmguard-report.pdf" in result.output and "整體" in result.output
    for scanner in ("import:mobsf", "import:prowler", "register", "iac", "app", "fleet", "messages", "policydoc",
                    "site", "social"):
        assert f"✓ {scanner}: " in result.output
    assert "– endpoint: " in result.output
    flat = " ".join(result.output.split())  # the console wraps long lines
    assert "✓ social: 14 findings, 3 failing privacy watch: 2 policies fetched, facebook's reviewed fetched " \
           "again: facebook changed (+" in flat
    assert "words, review pending); line unchanged" in flat
    return folder


def test_demo_writes_the_five_reports(demo_dir: Path) -> None:
    names = sorted(p.name for p in (demo_dir / "reports").iterdir())
    assert names == ["csmguard-report.html", "csmguard-report.json", "csmguard-report.oscal.json",
                     "csmguard-report.pdf", "csmguard-report.xlsx"]
    assert all((demo_dir / "reports" / n).stat().st_size > 1000 for n in names)


def test_demo_oscal_is_valid(demo_dir: Path) -> None:
    from trestle.oscal.assessment_results import Model

    data = json.loads((demo_dir / "reports" / "csmguard-report.oscal.json").read_text(encoding="utf-8"))
    results = Model.model_validate(data).assessment_results.results[0]
    assert results.findings and results.observations


def test_demo_pdf_shows_chinese(demo_dir: Path) -> None:
    text = subprocess.run(["pdftotext", str(demo_dir / "reports" / "csmguard-report.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "範例證券股份有限公司" in text and "適用性聲明" in text and "雲端服務提供者選擇" in text


def test_demo_story_shows_in_the_assessment(demo_dir: Path) -> None:
    data = json.loads((demo_dir / "reports" / "csmguard-report.json").read_text(encoding="utf-8"))
    result = AssessmentResult.model_validate(data["assessment"])
    assert result.organization == "範例證券股份有限公司" and result.assessed_on == date(2026, 11, 29)
    status = result.status_of()
    # the provider audit gaps are covered by the CSM-4.1 exception
    assert status["CSM-4.3"] is ComplianceStatus.PARTIALLY_COMPLIANT
    assert result.requirement("CSM-4.3").exception_ids
    # planted gaps of high severity
    for rid in ("CSM-6.3", "CSM-7.6", "CSM-14.2", "CSM-15.1", "CSM-17.1.1"):
        assert status[rid] is ComplianceStatus.NON_COMPLIANT, rid
    # the website attestation expired: not counted, and the reasons say so; the site crawl (served on
    # loopback) finds the LINE link leaving the site without a prompt
    website = result.requirement("CSM-11.2")
    assert website.status is ComplianceStatus.PARTIALLY_COMPLIANT
    assert website.attestation_ids == ()
    assert any(r.kind.value == "attestation_expired" for r in website.reasons)
    assert [f.rule_id for f in website.open_findings] == ["SITE-001"]
    # the policy documents are read: the social media policy lacks content filtering and monitoring, one of
    # 10.2's examples (如：…), so it is shown beside the verdict as good practice, not as a non-conformity
    ten_two = result.requirement("CSM-10.2")
    assert "DOC-007" not in {f.rule_id for f in ten_two.open_findings}
    assert any("DOC-007" in c.rules and c.basis.value == "good-practice" and c.state in ("not_met", "mixed")
               for c in ten_two.clauses)
    assert status["CSM-5.4"] is ComplianceStatus.NOT_APPLICABLE
    assert status["CSM-10.1"] is ComplianceStatus.COMPLIANT
    assert status["CSM-14.1"] is ComplianceStatus.COMPLIANT
    # scanner findings reach the requirements: the IaaS Terraform opens SSH to the internet (IAC-010)
    assert any(r.rule_id == "IAC-010" for r in result.requirement("CSM-7.3").reasons)
    assert {f.rule_id for f in result.requirement("CSM-16.2").open_findings} >= {"MSG-001", "MSG-007"}
    assert "APP-010" in {f.rule_id for f in result.requirement("CSM-16.3").open_findings}
    # imported: the vendor's MobSF report of the iOS release and a Prowler scan, with their provenance
    [ats] = [f for f in result.requirement("CSM-16.3").open_findings if f.rule_id == "XMSF-006"]
    assert "MobSF ats:arbitrary_loads" in ats.title.en and "MobSF v3.7.9 Beta" in ats.message.en
    [ssh] = [f for f in result.requirement("CSM-7.3").open_findings if f.rule_id == "XPRW-006"]
    assert "Prowler 5.4.0" in ssh.message.en and "sg-0a1b2c3d4e5f60718" in ssh.location
    # CSM-17.2: the iOS app's source stays with the vendor; 3.2.0 has the MobSF report as vendor evidence,
    # the hotfix 3.2.1 has none
    vendor = result.requirement("CSM-17.2")
    assert vendor.status is ComplianceStatus.NON_COMPLIANT
    assert [f.target for f in vendor.open_findings if f.rule_id == "REG-012"] == ["register:example-trade-ios/3.2.1"]
    html = (demo_dir / "reports" / "csmguard-report.html").read_text(encoding="utf-8")
    assert "Prowler 5.4.0" in html and "MobSF v3.7.9 Beta" in html
    unmapped = ("2 項發現來自 2 條無對應條文之規則：accessanalyzer_enabled (1), "
                "account_maintain_current_contact_details (1)")
    assert unmapped in html


def test_demo_report_separates_findings_by_basis_and_lists_unconfirmed_defaults(demo_dir: Path) -> None:
    data = json.loads((demo_dir / "reports" / "csmguard-report.json").read_text(encoding="utf-8"))
    result = AssessmentResult.model_validate(data["assessment"])
    unconfirmed = {s.name for s in result.unconfirmed_settings}
    # the CISO confirmed two settings (one with the firm's own value); the rest are unconfirmed defaults
    assert "provider_audit_interval_days" not in unconfirmed and "device_wipe_days" not in unconfirmed
    assert {"audit_grace_days", "sla_period", "privacy_review_days", "fleet.wireless.needed"} <= unconfirmed
    assert [(a.rule_id, a.adopted_by) for a in result.adopted_practices] == [("SOC-003", "陳資安長")]
    html = (demo_dir / "reports" / "csmguard-report.html").read_text(encoding="utf-8")
    sections = [html.index(h) for h in ("(a) 指引條文之不符合事項", "(b) 公司政策之發現", "(c) 良好實務之發現",
                                        "(d) 公司尚未確認之預設值")]
    assert sections == sorted(sections)
    between = html[sections[0]:sections[1]]
    assert "REG-006" in between  # IaaS ended without a deletion certificate: the text's own duty
    policy = html[sections[1]:sections[2]]
    assert "REG-001" in policy or "REG-010" in policy  # periods the firm sets
    practice = html[sections[2]:sections[3]]
    assert "DOC-007" in practice and "未採行（僅供參考）" in practice
    text = subprocess.run(["pdftotext", str(demo_dir / "reports" / "csmguard-report.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "公司尚未確認之預設值" in text and "audit_grace_days" in text


def test_demo_workspace_is_usable_and_intact(demo_dir: Path) -> None:
    ws = open_workspace(demo_dir)
    try:
        assert len(list_assessments(ws)) == 1
        assert verify_evidence(ws) == []
        scans = {s["subject"]: s for s in list_scans(ws)}
        assert {s for s in scans if s != "registers"} == {
            "demo:iac", "demo:app", "demo:fleet", "demo:messages", "demo:policydoc", "demo:site", "demo:social",
            "demo:import:prowler", "app-release:example-trade-ios@3.2.0"}
        assert scans["app-release:example-trade-ios@3.2.0"]["scanner"] == "import:mobsf"
        assert scans["demo:import:prowler"]["scanner"] == "import:prowler"
        from csmguard.services.registers import get_record

        release = get_record(ws, "app-releases", "key:example-trade-ios/3.2.0").record
        assert len(getattr(release, "vendor_evidence", ())) == 1 and "MobSF v3.7.9 Beta" in str(release.notes)
    finally:
        ws.close()
    runner = CliRunner()
    again = runner.invoke(app, ["assess", "-w", str(demo_dir), "--today", "2027-06-01", "--lang", "en"])
    assert again.exit_code == 0, again.output
    diff = runner.invoke(app, ["assess", "diff", "previous", "latest", "-w", str(demo_dir), "-f", "json"])
    assert diff.exit_code == 0, diff.output
    changes = {c["id"]: c for c in json.loads(diff.output)["changes"]}
    # CSM-3.1 rests on an attestation alone, which expires on 2027-05-13 (165 days after the demo day)
    assert changes["CSM-3.1"]["before"] == "compliant" and changes["CSM-3.1"]["after"] == "not_assessed"
    assert changes["CSM-3.1"]["attestations_removed"]
    out = demo_dir / "again.json"
    report = runner.invoke(app, ["report", "-w", str(demo_dir), "-f", "oscal", "-o", str(out)])
    assert report.exit_code == 0, report.output
    assert "assessment-results" in json.loads(out.read_text(encoding="utf-8"))


def test_demo_checks_the_official_accounts_and_watches_the_privacy_policies(demo_dir: Path) -> None:
    ws = open_workspace(demo_dir)
    try:
        [scan] = [s for s in list_scans(ws) if s["subject"] == "demo:social"]
        found = {(f["rule_id"], f["target"]["id"]): f for f in get_scan(ws, scan["id"])["findings"]}
        # SOC-001: the saved Facebook page shows the name and a contact; the LINE profile has no contact
        assert found["SOC-001", "facebook/example.securities"]["status"] == "pass"
        line = found["SOC-001", "line/@examplesec"]
        assert line["status"] == "fail" and line["message"]["en"] == "line/@examplesec's page does not show its contact"
        assert line["evidence"]["names_found"] == ["範例證券股份有限公司"] and line["evidence"]["contacts"] == []
        # SOC-005: Facebook's policy changed after its first version was reviewed; LINE's first copy is unreviewed
        facebook = found["SOC-005", "facebook"]
        assert facebook["status"] == "manual" and facebook["evidence"]["days_open"] == 0
        assert facebook["evidence"]["words_added"] > 0 and facebook["evidence"]["opened_on"] == DAY
        assert found["SOC-005", "line"]["status"] == "manual"
        # REG-007/REG-008 are shown by the social check but recorded once, by the register checks (#17.7)
        assert {rule for rule, _ in found} == {"SOC-001", "SOC-002", "SOC-003", "SOC-004", "SOC-005"}
        # (another test of this module may record a later register check of the same demo workspace)
        register = [s for s in list_scans(ws) if s["scanner"] == "register"][-1]
        assert {"REG-007", "REG-008"} <= {f["rule_id"] for f in get_scan(ws, register["id"])["findings"]}
        status = {p.platform: p for p in privacy_status(ws)}
        assert (status["facebook"].versions, status["line"].versions) == (2, 1)
        assert str(status["facebook"].open_since) == DAY and str(status["line"].open_since) == DAY
        old, new, changes = privacy_diff(ws, "facebook")
        assert "廣告合作夥伴" in new.text and "廣告合作夥伴" not in old.text
        assert any("廣告合作夥伴" in c.added for c in changes)
        # only the demo's accounts point at its loopback copies; the shipped defaults stay the platforms' own
        urls = {r.record.platform: r.record.privacy_policy_url for r in list_records(ws, "social-accounts")}
        assert set(urls) == {"Facebook", "LINE"}
        assert all(u and u.startswith("http://127.0.0.1:") for u in urls.values())
        assert urls["LINE"].endswith("/line.html")  # type: ignore[union-attr]
        assert not any("127.0.0.1" in u for u in default_privacy_sources().values())
    finally:
        ws.close()
    data = json.loads((demo_dir / "reports" / "csmguard-report.json").read_text(encoding="utf-8"))
    result = AssessmentResult.model_validate(data["assessment"])
    contact = result.requirement("CSM-11.3")
    assert contact.status is ComplianceStatus.PARTIALLY_COMPLIANT  # medium failures beside passing checks
    assert {(f.rule_id, f.status) for f in contact.open_findings} == {("SOC-001", "fail"), ("REG-007", "fail")}
    privacy = result.requirement("CSM-11.1")
    assert privacy.status is ComplianceStatus.PARTIALLY_COMPLIANT
    assert {(f.rule_id, f.status) for f in privacy.open_findings} == {
        ("REG-008", "fail"), ("SOC-005", "manual")}
    assert sorted(f.target for f in privacy.open_findings if f.rule_id == "SOC-005") == [
        "privacy_policy:facebook", "privacy_policy:line"]
    assert result.requirement("CSM-11.4").status is ComplianceStatus.COMPLIANT
    # MFA is not in 11.4's words: SOC-003 is good practice, which the demo firm adopted as its policy, so it
    # counts among the rules deciding the provision (not adopted, it would be shown beside the verdict)
    assert {"SOC-002", "SOC-003", "SOC-004"} <= set(result.requirement("CSM-11.4").passing_rules)
    assert [a.rule_id for a in result.adopted_practices] == ["SOC-003"]


def test_demo_refuses_a_folder_that_is_not_a_demo(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not a demo workspace"):
        build_demo(tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_demo_is_rerunnable_and_replaces_the_earlier_demo(demo_dir: Path) -> None:
    assert (demo_dir / MARKER).is_file()
    (demo_dir / "stale.txt").write_text("left over", encoding="utf-8")
    ws = open_workspace(demo_dir)
    try:  # issue #17.7: re-running the demo silently deleted the web accounts made in its workspace
        with session_scope(ws.engine()) as db:
            web_accounts.create_user(db, "test", "alice", "Alice Chen", Role.ADMINISTRATOR,
                                     "correct horse battery staple", FAST)
    finally:
        ws.close()
    again = CliRunner().invoke(app, ["demo", "--dir", str(demo_dir), "--today", DAY, "--lang", "en"])
    assert again.exit_code == 0, again.output
    assert "Reports:" in again.output and not (demo_dir / "stale.txt").exists()
    assert "Kept the web accounts of the earlier demo workspace: alice" in " ".join(again.output.split())
    ws = open_workspace(demo_dir)
    try:
        assert len(list_assessments(ws)) == 1
        with session_scope(ws.engine()) as db:
            [user] = web_accounts.list_users(db)
            assert (user.username, user.role) == ("alice", "administrator")
            assert verify_password(user.password_hash, "correct horse battery staple")
            assert "user.carried_over" in {e.action for e in audit.iter_entries(db)}
    finally:
        ws.close()
