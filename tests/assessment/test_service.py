"""The assessment and report services over a real workspace (SQLite, evidence store)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csmguard.assessment import ComplianceStatus
from csmguard.catalog.scope import ScopeProfile
from csmguard.cli.main import app
from csmguard.domain import Lang
from csmguard.domain.errors import InputError
from csmguard.reports import ReportFormat
from csmguard.services.assessment import diff_saved, load_assessment, resolve_assessment_id, run_assessment
from csmguard.services.registers import add_record
from csmguard.services.reports import workspace_report, write_reports
from csmguard.services.workspace import add_attestation, init_workspace, set_profile
from csmguard.workspace import Workspace
from tests.assessment.factory import ALL_YES


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = init_workspace(tmp_path / "ws")
    set_profile(workspace, ScopeProfile(organization="測試證券", answers=ALL_YES.answers))
    yield workspace  # type: ignore[misc]
    workspace.close()


def test_assess_runs_register_checks_saves_and_diffs(ws: Workspace, tmp_path: Path) -> None:
    evidence = tmp_path / "rules.txt"
    evidence.write_text("行動裝置管理規範", encoding="utf-8")
    add_attestation(ws, requirement="CSM-14.1", status="implemented", statement="已訂定", attested_by="甲",
                    attested_on=date(2026, 1, 5), expires_on=date(2026, 12, 31), evidence=[evidence])
    add_record(ws, "cloud-providers", {"name": "P1", "recovery_time_hours": 4, "last_audit_on": "2026-03-01",
                                       "last_audit_kind": "on_site", "next_audit_due": "2027-03-01",
                                       "redundancy_backup": "multi-zone"})
    add_record(ws, "cloud-services", {"name": "S1", "provider": "P1", "model": "saas", "critical": True})
    first = run_assessment(ws, today=date(2026, 11, 29), register_checks=True)
    assert first.id is not None
    result = first.result
    assert result.organization == "測試證券"
    assert result.requirement("CSM-14.1").status is ComplianceStatus.COMPLIANT
    # REG-003 tests only CSM-4.2's recommendation (宜: recovery time in the contract): it passes for P1 but does
    # not decide the obligation (應: assess the provider's backup mechanism), which REG-020 checks.
    recovery = result.requirement("CSM-4.2")
    assert "REG-003" not in recovery.passing_rules and "REG-020" in recovery.passing_rules
    assert [(c.level.value, c.state, c.rules) for c in recovery.clauses] == [("should", "met", ("REG-003",))]
    assert recovery.label is not None and recovery.label.zh_tw.endswith("；宜 已採行")

    add_record(ws, "cloud-providers", {"name": "P2", "last_audit_on": "2025-01-01",
                                       "last_audit_kind": "document_review", "redundancy_backup": "daily backups"})
    add_record(ws, "cloud-services", {"name": "S2", "provider": "P2", "model": "iaas", "critical": True})
    second = run_assessment(ws, today=date(2027, 1, 15), register_checks=True)
    assert resolve_assessment_id(ws, "latest") == second.id
    assert resolve_assessment_id(ws, "previous") == first.id
    assert load_assessment(ws, first.id[:8]).result == first.result
    older, newer, diff = diff_saved(ws, "previous", "latest")
    assert (older, newer) == (first.id, second.id)
    by_id = {c.id: c for c in diff.changes}
    assert by_id["CSM-14.1"].attestations_removed and by_id["CSM-14.1"].after is ComplianceStatus.NOT_ASSESSED
    assert "CSM-4.2" not in by_id  # P2 has no recovery time: the recommendation is only partly adopted
    assert [c.state for c in second.result.requirement("CSM-4.2").clauses] == ["mixed"]
    assert by_id["CSM-4.3"].after is ComplianceStatus.NON_COMPLIANT  # P2's audit is overdue (high)

    paths = write_reports(second, tmp_path / "out", Lang.EN, formats=[ReportFormat.HTML, ReportFormat.JSON])
    assert sorted(p.name for p in paths.values()) == ["csmguard-report.html", "csmguard-report.json"]
    assert second.id.encode() in workspace_report(ws, ReportFormat.HTML, Lang.EN)


def test_unknown_or_missing_assessments_are_input_errors(ws: Workspace) -> None:
    with pytest.raises(InputError, match="no latest assessment"):
        load_assessment(ws)
    run_assessment(ws, today=date(2026, 11, 29))
    with pytest.raises(InputError, match="no saved assessment matches 'zzz'"):
        load_assessment(ws, "zzz")
    with pytest.raises(InputError, match="no previous assessment"):
        diff_saved(ws, "previous", "latest")


def test_cli_report_without_assessment_exits_2(ws: Workspace) -> None:
    result = CliRunner().invoke(app, ["report", "-w", str(ws.root), "-f", "json"])
    assert result.exit_code == 2
    assert "no latest assessment" in result.output


def test_cli_assess_json_and_bad_date(ws: Workspace) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["assess", "-w", str(ws.root), "--no-save", "-f", "json", "--today", "2026-11-29"])
    assert ok.exit_code == 0, ok.output
    assert '"id": null' in ok.output and '"assessed_on": "2026-11-29"' in ok.output
    bad = runner.invoke(app, ["assess", "-w", str(ws.root), "--today", "29/11/2026"])
    assert bad.exit_code == 2
