"""Issue #11.3: voiding a recorded scan excludes it from assessments, with an audit entry; the findings it
had resolved count again; a voided scan cannot be voided twice; a reason is required."""

from __future__ import annotations

import shutil
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from csmguard.catalog.scope import ScopeProfile
from csmguard.cli.main import app
from csmguard.services import audit
from csmguard.services.workspace import latest_findings, list_scans, set_profile
from csmguard.store.db import session_scope
from csmguard.workspace import Workspace, init_workspace

DEMO_IAC = Path(__file__).parents[2] / "src" / "csmguard" / "demo" / "data" / "iac" / "main.tf"
runner = CliRunner()


def _cloud_workspace(tmp_path: Path) -> tuple[Workspace, Path]:
    """A workspace in scope for the cloud articles and a Terraform folder with the demo's misconfigurations."""
    ws = init_workspace(tmp_path / "ws")
    set_profile(ws, ScopeProfile(answers={"uses_external_cloud": True, "cloud_involves_critical": True,
                                          "uses_iaas": True}))
    infra = tmp_path / "infra"
    infra.mkdir()
    shutil.copy(DEMO_IAC, infra / "main.tf")
    return ws, infra


def test_voiding_a_scan_brings_back_what_it_had_resolved(tmp_path: Path) -> None:
    ws, infra = _cloud_workspace(tmp_path)
    first = runner.invoke(app, ["scan", "iac", str(infra), "-w", str(ws.root), "--fail-on", "never", "-q"])
    assert first.exit_code == 0
    failing = {f.fingerprint for f in latest_findings(ws) if f.status.value == "fail"}
    assert failing
    # the wrong branch was scanned: an empty Terraform configuration (a complete scan of the same subject)
    (infra / "main.tf").write_text('terraform {\n  required_version = ">= 1.5"\n}\n', encoding="utf-8")
    second = runner.invoke(app, ["scan", "iac", str(infra), "-w", str(ws.root), "--fail-on", "never", "-q"])
    assert second.exit_code == 0
    assert not [f for f in latest_findings(ws) if f.status.value == "fail"]
    wrong = list_scans(ws)[0]["id"]

    refused = runner.invoke(app, ["scan", "void", wrong, "--reason", "  ", "-w", str(ws.root)])
    assert refused.exit_code == 2
    voided = runner.invoke(app, ["scan", "void", wrong[:8], "--reason", "scanned the wrong branch", "--by", "王法遵",
                                 "-w", str(ws.root), "--lang", "en"])
    assert voided.exit_code == 0, voided.output
    assert f"Voided scan {wrong}" in voided.stdout
    assert {f.fingerprint for f in latest_findings(ws) if f.status.value == "fail"} == failing
    listed = list_scans(ws)[0]
    assert listed["voided"]["by"] == "王法遵" and listed["voided"]["reason"] == "scanned the wrong branch"
    again = runner.invoke(app, ["scan", "void", wrong, "--reason", "twice", "-w", str(ws.root)])
    assert again.exit_code == 2 and "already voided" in " ".join(again.stderr.split())
    with session_scope(ws.engine()) as session:
        entries = [e for e in audit.iter_entries(session) if e.action == "scan.void"]
        assert len(entries) == 1 and entries[0].object_id == wrong and entries[0].actor == "王法遵"
        assert audit.verify(session)[1] == []
    table = runner.invoke(app, ["scan", "list", "-w", str(ws.root), "--lang", "en"])
    assert table.exit_code == 0 and "voided: scanned the wrong branch" in table.stdout
    ws.close()


def test_assess_diff_names_the_scan_a_change_rests_on(tmp_path: Path) -> None:
    ws, infra = _cloud_workspace(tmp_path)
    scanned = runner.invoke(app, ["scan", "iac", str(infra), "-w", str(ws.root), "--fail-on", "never", "-q"])
    assert scanned.exit_code == 0
    assert runner.invoke(app, ["assess", "-w", str(ws.root), "--no-register-checks"]).exit_code == 0
    first = list_scans(ws)[0]["id"]
    assert runner.invoke(app, ["scan", "void", first, "--reason", "wrong account", "-w", str(ws.root)]).exit_code == 0
    assert runner.invoke(app, ["assess", "-w", str(ws.root), "--no-register-checks"]).exit_code == 0
    shown = runner.invoke(app, ["assess", "diff", "previous", "latest", "-w", str(ws.root), "--lang", "en"])
    assert shown.exit_code == 0, shown.output
    flat = " ".join(shown.stdout.split())
    assert "no longer resting on" in flat and first[:8] in flat and "(voided)" in flat
    ws.close()


def test_reports_list_voided_and_failed_scans(tmp_path: Path) -> None:
    ws, infra = _cloud_workspace(tmp_path)
    runner.invoke(app, ["scan", "iac", str(infra), "-w", str(ws.root), "--fail-on", "never", "-q"])
    voided_id = list_scans(ws)[0]["id"]
    runner.invoke(app, ["scan", "void", voided_id, "--reason", "staging account, not production", "--by", "auditor",
                        "-w", str(ws.root)])
    runner.invoke(app, ["scan", "iac", str(tmp_path / "missing"), "-w", str(ws.root), "-q"])
    failed_id = list_scans(ws)[0]["id"]
    assert runner.invoke(app, ["assess", "-w", str(ws.root), "--no-register-checks"]).exit_code == 0
    html = tmp_path / "r.html"
    made = runner.invoke(app, ["report", "-f", "html", "-o", str(html), "-w", str(ws.root), "--lang", "en"])
    assert made.exit_code == 0, made.output
    page = " ".join(html.read_text(encoding="utf-8").split())
    assert 'id="scans"' in page
    assert voided_id[:8] in page and "staging account, not production" in page and "Voided: auditor" in page
    assert failed_id[:8] in page and "failed" in page
    xlsx = tmp_path / "r.xlsx"
    assert runner.invoke(app, ["report", "-f", "xlsx", "-o", str(xlsx), "-w", str(ws.root), "--lang", "en"]
                         ).exit_code == 0
    rows = list(load_workbook(xlsx)["Recorded scans"].iter_rows(min_row=2, values_only=True))
    by_id = {row[0]: row for row in rows}
    assert by_id[voided_id][5] == "counts for nothing" and "staging account" in by_id[voided_id][6]
    assert by_id[failed_id][4] == "failed"
    ws.close()


def test_scan_summary_and_evidence_list_speak_the_default_language(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    scanned = runner.invoke(app, ["scan", "iac", str(DEMO_IAC), "--format", "json", "--fail-on", "never"])
    assert "未通過" in scanned.stderr and "結束代碼 0" in scanned.stderr and " fail " not in scanned.stderr
    evidence = tmp_path / "policy.txt"
    evidence.write_text("行動裝置管理規範", encoding="utf-8")
    assert runner.invoke(app, ["evidence", "add", str(evidence), "-w", str(ws.root)]).exit_code == 0
    listed = runner.invoke(app, ["evidence", "list", "-w", str(ws.root)])
    assert "佐證檔案" in listed.stdout and "名稱" in listed.stdout
    english = runner.invoke(app, ["evidence", "list", "-w", str(ws.root), "--lang", "en"])
    assert "evidence (1)" in english.stdout
    ws.close()
