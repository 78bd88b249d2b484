"""Sample reports of each tool, produced by the tool or written to its documented format (fixtures/SOURCES.md),
import with the expected mapped findings, passes kept as coverage, and unmapped rules."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from csmguard.domain import FindingStatus
from csmguard.domain.coverage import ScanState
from csmguard.services.import_findings import read_findings

FIXTURES = Path(__file__).parent / "fixtures"

# file → (scanner, tool version, {(our rule, foreign rule, status): count}, passes as coverage, unmapped findings,
#         unmapped rules)
EXPECTED = {
    "mobsf/android-5.1.0.json": ("import:mobsf", "v3.9.7 Beta", {
        ("XMSF-004", "network:cleartext_permitted", "fail"): 1, ("XMSF-010", "android_hardcoded", "manual"): 2,
        ("XMSF-012", "secrets", "manual"): 4, ("XMSF-013", "android_aes_ecb", "fail"): 1,
        ("XMSF-015", "app_is_debuggable", "fail"): 1, ("XMSF-017", "app_allowbackup", "manual"): 1,
        ("XMSF-018", "android_sql_raw_query", "manual"): 2}, 0, 25, 18),
    "mobsf/ios-2.4.1.json": ("import:mobsf", "v3.7.9 Beta", {}, 0, 10, 10),
    "mobsfscan/app-sources.json": ("import:mobsfscan", "1.1.0", {
        ("XMSS-002", "hardcoded_api_key", "manual"): 1, ("XMSS-007", "accept_self_signed_certificate", "fail"): 1,
        ("XMSS-013", "aes_ecb_mode", "fail"): 1, ("XMSS-018", "google_api_key", "manual"): 1,
        ("XMSS-020", "android_kotlin_aes_ecb_default", "fail"): 1}, 0, 9, 9),
    "checkov/terraform.json": ("import:checkov", "3.3.30", {
        ("XCKV-001", "CKV_AWS_3", "fail"): 2, ("XCKV-002", "CKV_AWS_8", "fail"): 1,
        ("XCKV-003", "CKV_AZURE_2", "fail"): 1, ("XCKV-004", "CKV_AZURE_251", "fail"): 1,
        ("XCKV-005", "CKV_AWS_24", "fail"): 2, ("XCKV-006", "CKV_AWS_25", "fail"): 1,
        ("XCKV-007", "CKV_AZURE_9", "fail"): 1, ("XCKV-009", "CKV_GCP_2", "fail"): 1}, 31, 78, 21),
    "prowler/gcp.ocsf.json": ("import:prowler", "5.4.0", {
        ("XPRW-017", "compute_firewall_rdp_access_from_the_internet_allowed", "fail"): 1}, 2, 2, 2),
    "prowler/kubernetes.ocsf.json": ("import:prowler", "5.4.0", {
        ("XPRW-022", "apiserver_audit_log_path_set", "fail"): 1}, 1, 4, 4),
    "prowler/aws.csv": ("import:prowler", "5.4.0", {}, 0, 4, 4),
    "asff/prowler-3.3.0.asff.json": ("import:prowler", "3.3.0", {
        ("XPRW-003", "ec2_ebs_default_encryption", "fail"): 2, ("XPRW-009", "iam_root_mfa_enabled", "fail"): 1,
        ("XPRW-012", "cloudtrail_multi_region_enabled", "fail"): 2}, 4, 3, 2),
    "asff/inspector-many.json": ("import:asff", None, {}, 0, 5, 1),
    "asff/securityhub-control-samples.json": ("import:asff", None, {}, 0, 5, 1),
    "trivy/secrets.json": ("import:trivy", "0.57.1", {
        ("XTRV-001", "secret:aws-access-key-id", "fail"): 1, ("XTRV-001", "secret:internal-api-key", "fail"): 1},
        0, 0, 0),
    "trivy/dockerfile.json": ("import:trivy", "0.57.1", {}, 0, 1, 1),
    "gitleaks/baseline.json": ("import:gitleaks", None, {("XGLK-001", "pypi-upload-token", "fail"): 2}, 0, 0, 0),
    "gitleaks/repo-history.sarif": ("import:gitleaks", "v8.18.4", {("XGLK-001", "aws-access-token", "fail"): 1},
                                    0, 0, 0),
    "sarif/flawfinder-one.sarif": ("import:sarif", "2.0.20", {}, 0, 1, 1),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_imports_with_expected_mapping(name: str) -> None:
    scanner, version, findings, passes, unmapped, unmapped_rules = EXPECTED[name]
    [item] = read_findings([FIXTURES / name])
    result = item.result
    info = result.stats["import"]
    assert result.scanner == scanner and info["tool_version"] == version
    assert result.state is ScanState.COMPLETE
    got = Counter((f.rule_id, f.provenance.rule_id if f.provenance else None, f.status.value) for f in result.findings)
    assert dict(got) == findings
    assert info["passes_as_coverage"] == passes
    assert (info["unmapped"]["findings"], info["unmapped"]["rules"]) == (unmapped, unmapped_rules)
    assert sum(r["count"] for r in info["unmapped"]["by_rule"]) == unmapped
    assert info["verdicts_read"] == len(result.findings) + passes + unmapped
    for finding in result.findings:
        assert finding.provenance is not None and finding.provenance.file == str(FIXTURES / name)
        assert finding.provenance.tool in finding.title.en and finding.provenance.rule_id in finding.title.en


def test_sarif_and_json_of_the_same_run_agree() -> None:
    for tool, json_name, sarif_name in (("checkov", "checkov/terraform.json", "checkov/terraform.sarif"),
                                        ("mobsfscan", "mobsfscan/app-sources.json", "mobsfscan/app-sources.sarif")):
        [from_json] = read_findings([FIXTURES / json_name], tool=tool)
        [from_sarif] = read_findings([FIXTURES / sarif_name], tool=tool)
        failing = {(f.rule_id, f.target.id) for f in from_json.result.findings if f.status is not FindingStatus.PASS}
        if tool == "checkov":  # Checkov's SARIF names files, its JSON names resources
            failing = {(f.rule_id, f.location.path) for f in from_json.result.findings}
            assert failing == {(f.rule_id, f.location.path) for f in from_sarif.result.findings}
        else:
            assert {r for r, _ in failing} == {f.rule_id for f in from_sarif.result.findings}


def test_checkov_passes_cover_their_resource_without_claiming_the_clause() -> None:
    [item] = read_findings([FIXTURES / "checkov/terraform.json"])
    covered = item.result.effective_coverage().examined_keys()
    assert ("iac-resource:aws_ebs_volume.encrypted", "XCKV-001") in covered
    assert not any(f.status is FindingStatus.PASS for f in item.result.findings)
    failing = {(f.target.id, f.rule_id) for f in item.result.findings}
    assert ("aws_ebs_volume.plain", "XCKV-001") in failing
    assert all(f.level is not None and f.requirements for f in item.result.findings)


def test_secrets_are_never_kept_in_full() -> None:
    [trivy] = read_findings([FIXTURES / "trivy/secrets.json"])
    [mobsf] = read_findings([FIXTURES / "mobsf/android-5.1.0.json"])
    dumped = str([f.to_json_dict() for f in (*trivy.result.findings, *mobsf.result.findings)])
    assert "AIzaSyC0csmGuardFixtureOnly000000000Tw9" not in dumped
    assert "ghp_csmGuardFixtureOnlyNotARealToken00" not in dumped
    assert "AIza…(39 chars)…0Tw9" in dumped


def test_https_checks_bear_on_the_should_clause_of_5_3() -> None:
    from csmguard.importing.mapping import load_mapping

    mapped = load_mapping("checkov").by_foreign["CKV_AWS_2"]
    assert mapped.requirements == ("CSM-5.3",) and mapped.level is not None and mapped.level.value == "should"
