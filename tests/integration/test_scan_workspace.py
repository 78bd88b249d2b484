"""A scan run with --workspace is recorded, and its findings reach the assessment."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.services.workspace import latest_findings, list_scans
from csmguard.workspace import init_workspace

FIXTURE = Path(__file__).parents[1] / "rules" / "IAC-001"


def test_scan_with_workspace_is_recorded_and_assessed(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
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
    assert "IAC-001" in assessed.stdout
    ws.close()


def test_a_missing_workspace_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["scan", "iac", str(FIXTURE), "--workspace", str(tmp_path / "nowhere"),
                                      "--quiet"])
    assert result.exit_code == 2
    assert "nowhere" in result.stderr
