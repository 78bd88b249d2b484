"""A scan run with --workspace is recorded, and its findings reach the assessment."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from csmguard.catalog.scope import ScopeProfile
from csmguard.cli.main import app
from csmguard.services.workspace import latest_findings, list_scans, set_profile
from csmguard.workspace import init_workspace

FIXTURE = Path(__file__).parents[1] / "rules" / "IAC-001"


def test_scan_with_workspace_is_recorded_and_assessed(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    set_profile(ws, ScopeProfile(answers={"uses_external_cloud": True, "cloud_involves_critical": True,
                                          "uses_iaas": True}))
    runner = CliRunner()
    result = runner.invoke(app, ["scan", "iac", str(FIXTURE), "--workspace", str(ws.root), "--fail-on", "never",
                                 "--format", "json", "--quiet"])
    assert result.exit_code == 0, result.output
    scans = list_scans(ws)
    assert [s["scanner"] for s in scans] == ["iac"]
    recorded = {f.rule_id for f in latest_findings(ws)}
    assert "IAC-001" in recorded

    assessed = runner.invoke(app, ["assess", "--workspace", str(ws.root), "--format", "json", "--lang", "en",
                                   "--no-register-checks"])
    assert assessed.exit_code == 0, assessed.output
    document = json.loads(assessed.stdout)
    requirement = next(r for r in document["assessment"]["requirements"] if r["id"] == "CSM-7.5")
    assert requirement["status"] == "non_compliant"
    assert "IAC-001" in json.dumps(requirement, ensure_ascii=False)
    ws.close()


def test_a_missing_workspace_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["scan", "iac", str(FIXTURE), "--workspace", str(tmp_path / "nowhere"),
                                      "--quiet"])
    assert result.exit_code == 2
    assert "nowhere" in result.stderr

