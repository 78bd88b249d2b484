"""Imported scans in a workspace: recorded under import:<tool>, re-imports resolve only what they cover, our own
scanner's findings on the same target stand beside them, and a MobSF report is CSM-17.2 vendor evidence for a
release whose source the firm does not have."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.registers.models import AppRelease
from csmguard.services.import_findings import import_findings
from csmguard.services.registers import add_record, get_record, run_register_checks
from csmguard.services.workspace import latest_findings, list_evidence, list_scans, read_evidence
from csmguard.workspace import init_workspace

FIXTURES = Path(__file__).parent / "fixtures"
RULES = Path(__file__).parents[1] / "rules"


def test_import_records_a_scan_and_a_reimport_resolves_what_it_covers(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    [first] = import_findings(ws, [FIXTURES / "checkov/terraform.json"])
    assert first.scan_id and first.subject.startswith("checkov:iac:")
    scans = list_scans(ws)
    assert scans[0]["scanner"] == "import:checkov" and scans[0]["state"] == "complete"
    current = {(f.rule_id, f.target.id) for f in latest_findings(ws)}
    assert ("XCKV-001", "aws_ebs_volume.plain") in current
    # The same resources judged again, now with the plain volume passing: only that failure is resolved.
    data = json.loads((FIXTURES / "checkov/terraform.json").read_text(encoding="utf-8"))
    failed = data["results"]["failed_checks"]
    fixed = [c for c in failed if c["check_id"] == "CKV_AWS_3" and c["resource"] == "aws_ebs_volume.plain"]
    for check in fixed:
        check["check_result"] = {"result": "PASSED"}
    data["results"]["failed_checks"] = [c for c in failed if c not in fixed]
    data["results"]["passed_checks"] += fixed
    partial = {"check_type": "terraform", "results": {"passed_checks": fixed, "failed_checks": [],
                                                      "skipped_checks": [], "parsing_errors": []},
               "summary": data["summary"]}
    again = tmp_path / "again.json"
    again.write_text(json.dumps(partial), encoding="utf-8")
    import_findings(ws, [again], subject="checkov:partial")
    after = {(f.rule_id, f.target.id) for f in latest_findings(ws)}
    assert ("XCKV-001", "aws_ebs_volume.plain") not in after
    assert ("XCKV-001", "aws_ebs_volume.from_tfvars") in after
    ws.close()


def test_our_scanner_and_the_imported_tool_stand_side_by_side(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    runner = CliRunner()
    ours = runner.invoke(app, ["scan", "iac", str(RULES / "IAC-001" / "fail" / "terraform"), "-w", str(ws.root), "-q",
                               "-f", "json", "--fail-on", "never"])
    assert ours.exit_code == 0, ours.output
    imported = runner.invoke(app, ["import", "findings", str(FIXTURES / "checkov/terraform.json"), "-w",
                                   str(ws.root), "--lang", "en"])
    assert imported.exit_code == 0, imported.output
    assert "findings from 21 rules with no mapping" in imported.output
    on_plain = {f.rule_id: f for f in latest_findings(ws) if f.target.id == "aws_ebs_volume.plain"}
    assert {"IAC-001", "XCKV-001"} <= set(on_plain)
    assert on_plain["IAC-001"].provenance is None
    provenance = on_plain["XCKV-001"].provenance
    assert provenance is not None and (provenance.tool, provenance.version, provenance.rule_id) == \
        ("Checkov", "3.3.30", "CKV_AWS_3")
    assert on_plain["IAC-001"].requirements == on_plain["XCKV-001"].requirements == ("CSM-7.5",)
    ws.close()


def test_mobsf_report_is_vendor_evidence_when_the_source_is_not_available(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    add_record(ws, "apps", {"app_id": "tw.example.ios", "name": "範例 iOS App", "platform": "ios",
                            "source_available": False, "vendor": "外包廠商"})
    report = FIXTURES / "mobsf/ios-2.4.1.json"
    result = CliRunner().invoke(app, ["import", "findings", str(report), "-w", str(ws.root), "--tool", "mobsf",
                                      "--release", "tw.example.ios@1.0", "--lang", "en"])
    assert result.exit_code == 0, result.output
    release = get_record(ws, "app-releases", "key:tw.example.ios/1.0").record
    assert isinstance(release, AppRelease) and len(release.vendor_evidence) == 1
    sha = release.vendor_evidence[0]
    assert read_evidence(ws, sha) == report.read_bytes()
    assert release.notes and "MobSF v3.7.9 Beta" in release.notes and sha in release.notes
    assert sha in {e.sha256 for e in list_evidence(ws)}
    verdicts = {f.target.id: f.status.value for f in run_register_checks(ws, record=False).findings
                if f.rule_id == "REG-012"}
    assert list(verdicts.values()) == ["pass"]
    assert list_scans(ws)[0]["subject"] == "app-release:tw.example.ios@1.0"
    ws.close()


def test_report_for_a_release_with_source_is_its_pre_release_scan(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    add_record(ws, "apps", {"app_id": "tw.example.futures.mobile", "name": "Example Futures", "platform": "android"})
    runner = CliRunner()
    result = runner.invoke(app, ["import", "findings", str(FIXTURES / "mobsf/android-5.1.0.json"),
                                 "-w", str(ws.root), "--release", "tw.example.futures.mobile@5.1.0", "--lang", "en"])
    assert result.exit_code == 0, result.output
    release = get_record(ws, "app-releases", "key:tw.example.futures.mobile/5.1.0").record
    assert isinstance(release, AppRelease)
    assert release.scan_outcome.value == "failed" and not release.vendor_evidence
    alone = runner.invoke(app, ["import", "findings", str(FIXTURES / "mobsf/ios-2.4.1.json"), "--release", "a@1"])
    assert alone.exit_code == 2
    ws.close()


def test_the_assessment_report_lists_an_imports_unmapped_rules(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    import_findings(ws, [FIXTURES / "prowler/gcp.ocsf.json"])
    ws.close()
    runner = CliRunner()
    assessed = runner.invoke(app, ["assess", "-w", str(tmp_path / "ws"), "--lang", "en"])
    assert assessed.exit_code == 0, assessed.output
    out = tmp_path / "report.html"
    report = runner.invoke(app, ["report", "-w", str(tmp_path / "ws"), "-f", "html", "--lang", "en", "-o", str(out)])
    assert report.exit_code == 0, report.output
    html = out.read_text(encoding="utf-8")
    assert "2 findings from 2 rules with no mapping: iam_sa_no_user_managed_keys (1), logging_sink_created (1)" \
        in html
    assert "import:prowler" in html
