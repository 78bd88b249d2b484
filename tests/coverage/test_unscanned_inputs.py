"""Issue #11: inputs that were not really scanned never count. Each case of the issue, on a fresh
workspace: exit 2 with a message that says what was looked for and what was found, the scan recorded as a
failed run, and no change to any requirement's assessed status."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csmguard.catalog.scope import ScopeProfile
from csmguard.cli.main import app
from csmguard.services.assessment import assess_workspace
from csmguard.services.workspace import latest_findings, list_scans, set_profile
from csmguard.workspace import Workspace, init_workspace

DEMO = Path(__file__).parents[2] / "src" / "csmguard" / "demo" / "data"
runner = CliRunner()
APP_REQUIREMENTS = ("CSM-16.2", "CSM-16.4", "CSM-16.5", "CSM-17.1", "CSM-17.1.1", "CSM-17.1.2", "CSM-17.1.3")


def _workspace(tmp_path: Path) -> Workspace:
    ws = init_workspace(tmp_path / "ws")
    answers = {"uses_external_cloud": True, "cloud_involves_critical": True, "uses_iaas": True,
               "publishes_mobile_apps": True, "has_mobile_devices": True, "allows_byod": True,
               "devices_store_sensitive_data": True, "app_handles_transactions": True, "has_app_source": True,
               "runs_official_social_media": True, "staff_use_social_media": True,
               "website_links_to_social_media": True}
    set_profile(ws, ScopeProfile(answers=answers))
    return ws


def _statuses(ws: Workspace) -> dict[str, str]:
    return {r.id: r.status.value for r in assess_workspace(ws).requirements}


def _scan(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["scan", *args, "--quiet"])
    return result.exit_code, result.stderr


def test_an_app_scan_of_a_terraform_file_is_an_error_and_passes_nothing(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    infra = tmp_path / "infra"
    infra.mkdir()
    shutil.copy(DEMO / "iac" / "main.tf", infra / "main.tf")
    before = _statuses(ws)
    code, err = _scan("app", str(infra / "main.tf"), "-w", str(ws.root))
    assert code == 2
    assert "no APK, AAB, IPA or app source under" in err.replace("\n", " ") or "未辨識到任何APK" in err
    assert "Terraform" in err
    assert [s["state"] for s in list_scans(ws)] == ["failed"]
    assert latest_findings(ws) == []
    after = _statuses(ws)
    assert after == before
    for requirement in APP_REQUIREMENTS:
        assert after[requirement] != "compliant"


def test_the_english_message_names_what_was_looked_for_and_found(tmp_path: Path) -> None:
    tf = tmp_path / "main.tf"
    shutil.copy(DEMO / "iac" / "main.tf", tf)
    result = runner.invoke(app, ["scan", "app", str(tf), "--lang", "en", "--quiet"])
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert f"no APK, AAB, IPA or app source under {tf}: found Terraform" in message


def test_an_empty_mdm_export_after_a_real_fleet_scan_changes_nothing(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    devices = tmp_path / "devices.json"
    shutil.copy(DEMO / "fleet" / "intune-devices.json", devices)
    policies = DEMO / "fleet" / "intune-policies.json"
    code, _ = _scan("fleet", str(devices), "--policies", str(policies), "-w", str(ws.root), "--fail-on", "never")
    assert code == 0
    before = _statuses(ws)
    findings_before = sorted(f.fingerprint for f in latest_findings(ws))
    devices.write_text("")
    code, err = _scan("fleet", str(devices), "--policies", str(policies), "-w", str(ws.root))
    assert code == 2
    assert "devices.json" in err
    assert [s["state"] for s in list_scans(ws)] == ["failed", "complete"]
    assert sorted(f.fingerprint for f in latest_findings(ws)) == findings_before
    assert _statuses(ws) == before


@pytest.mark.parametrize("case", ["iac-build", "iac-profile", "messages-infra", "app-readme", "iac-missing",
                                  "messages-missing", "app-lone-config"])
def test_inputs_of_another_kind_are_exit_2_and_recorded_as_failed(tmp_path: Path, case: str) -> None:
    ws = _workspace(tmp_path)
    build = tmp_path / "build"
    build.mkdir()
    (build / "output.bin").write_bytes(b"\x00\x01\x02" * 10)
    profile = tmp_path / "profile.yaml"
    profile.write_text("organization: x\nanswers:\n  uses_external_cloud: true\n", encoding="utf-8")
    infra = tmp_path / "infra"
    infra.mkdir()
    shutil.copy(DEMO / "iac" / "main.tf", infra / "main.tf")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "README.md").write_text("# An app\n\nSee the wiki.\n", encoding="utf-8")
    args = {"iac-build": ["iac", str(build)], "iac-profile": ["iac", str(profile)],
            "messages-infra": ["messages", str(infra)], "app-readme": ["app", str(docs)],
            "iac-missing": ["iac", str(tmp_path / "nothing.tf")],
            "messages-missing": ["messages", str(tmp_path / "nothing.csv")],
            "app-lone-config": ["app", str(profile)]}[case]
    before = _statuses(ws)
    code, err = _scan(*args, "-w", str(ws.root))
    assert code == 2, err
    assert "0 findings" not in err
    scans = list_scans(ws)
    assert [s["state"] for s in scans] == ["failed"]
    assert scans[0]["status_counts"]["pass"] == 0
    assert _statuses(ws) == before


def test_a_failed_scan_does_not_resolve_an_earlier_failure(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    iac = tmp_path / "iac"
    iac.mkdir()
    shutil.copy(DEMO / "iac" / "main.tf", iac / "main.tf")
    code, _ = _scan("iac", str(iac), "-w", str(ws.root), "--fail-on", "never")
    assert code == 0
    failing = {f.fingerprint for f in latest_findings(ws) if f.status.value == "fail"}
    assert failing
    before = _statuses(ws)
    (iac / "main.tf").unlink()
    (iac / "notes.yaml").write_text("just: yaml\n", encoding="utf-8")
    code, _ = _scan("iac", str(iac), "-w", str(ws.root))
    assert code == 2
    assert {f.fingerprint for f in latest_findings(ws) if f.status.value == "fail"} == failing
    assert _statuses(ws) == before


def test_json_output_of_a_scan_carries_its_coverage(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", "iac", str(DEMO / "iac"), "--format", "json", "--quiet",
                                 "--fail-on", "never"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["state"] == "complete"
    assert document["coverage"]["recognised"]["iac-file"] == 1
    assert document["coverage"]["recognised"]["iac-resource"] > 0
    examined = document["coverage"]["rules_examined"]
    assert examined and all(rule.startswith("IAC-") and count >= 1 for rule, count in examined.items())
