"""`scan app --workspace --release APP@VERSION` records the pre-release scan of a release (CSM-17.1)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.registers.models import AppRelease, ScanOutcome
from csmguard.services.registers import add_record, get_record, run_register_checks
from csmguard.services.workspace import list_evidence, read_evidence
from csmguard.workspace import init_workspace

RULES = Path(__file__).parents[1] / "rules"


def test_release_scans_update_the_app_releases_register(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    add_record(ws, "apps", {"app_id": "tw.example.trade", "name": "範例證券 App", "platform": "android"})
    runner = CliRunner()
    failing = runner.invoke(app, ["scan", "app", str(RULES / "APP-001" / "fail"), "-w", str(ws.root), "-q",
                                  "--release", "tw.example.trade@2.0.0", "-f", "json"])
    assert failing.exit_code == 1, failing.output
    passing = runner.invoke(app, ["scan", "app", str(RULES / "APP-001" / "pass"), "-w", str(ws.root), "-q",
                                  "--release", "tw.example.trade@2.0.1", "-f", "json", "--fail-on", "shall"])
    assert passing.exit_code == 0, passing.output

    failed = get_record(ws, "app-releases", "key:tw.example.trade/2.0.0").record
    passed = get_record(ws, "app-releases", "key:tw.example.trade/2.0.1").record
    assert isinstance(failed, AppRelease) and isinstance(passed, AppRelease)
    assert failed.scan_outcome is ScanOutcome.FAILED and passed.scan_outcome is ScanOutcome.PASSED
    assert failed.scan_report in {e.sha256 for e in list_evidence(ws)}
    assert b'"APP-001"' in read_evidence(ws, failed.scan_report or "")

    verdicts = {f.target.id: f.status.value for f in run_register_checks(ws, record=False).findings
                if f.rule_id == "REG-012"}
    assert {k.split("/")[-1]: v for k, v in verdicts.items()} == {"2.0.0": "fail", "2.0.1": "pass"}
    ws.close()


def test_release_needs_a_workspace_and_a_registered_app(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    runner = CliRunner()
    target = str(RULES / "APP-001" / "pass")
    alone = runner.invoke(app, ["scan", "app", target, "-q", "--release", "x@1"])
    assert alone.exit_code == 2 and "--workspace" in alone.stderr
    unknown = runner.invoke(app, ["scan", "app", target, "-q", "-w", str(ws.root), "--release", "x@1"])
    assert unknown.exit_code == 2 and "not in the apps register" in unknown.stderr
    malformed = runner.invoke(app, ["scan", "app", target, "-q", "-w", str(ws.root), "--release", "x"])
    assert malformed.exit_code == 2 and "APP_ID@VERSION" in malformed.stderr
    ws.close()
