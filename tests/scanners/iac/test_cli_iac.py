"""``csmguard scan iac`` end to end: formats, output file, exit codes, baseline, exclusions, language."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import yaml
from typer.testing import CliRunner

from csmguard.cli.main import app

runner = CliRunner()

SSH_WORLD = """
resource "aws_security_group" "ssh" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""
ENCRYPTED = 'resource "aws_ebs_volume" "ok" {\n  encrypted = true\n  size = 1\n}\n'


def _tree(root: Path, *, bad: bool = False, open_ssh: bool = True) -> Path:
    (root / "tf").mkdir(parents=True)
    (root / "tf" / "volume.tf").write_text(ENCRYPTED, encoding="utf-8")
    if open_ssh:
        (root / "tf" / "sg.tf").write_text(SSH_WORLD, encoding="utf-8")
    if bad:
        (root / "broken.yaml").write_text("Resources: [\n", encoding="utf-8")
    return root


def test_json_output_exit_code_and_counts(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo", bad=True)
    result = runner.invoke(app, ["scan", "iac", str(root), "--format", "json", "--quiet"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["scanner"] == "iac" and data["targets"] == [str(root)]
    failing = {(f["rule_id"], f["location"]["resource"]) for f in data["findings"] if f["status"] == "fail"}
    assert ("IAC-010", "aws_security_group.ssh") in failing
    assert ("IAC-001", "aws_ebs_volume.ok") not in failing
    passing = {(f["rule_id"], f["location"]["resource"]) for f in data["findings"] if f["status"] == "pass"}
    assert ("IAC-001", "aws_ebs_volume.ok") in passing
    ssh = next(f for f in data["findings"] if f["rule_id"] == "IAC-010" and f["status"] == "fail")
    assert ssh["requirements"] == ["CSM-7.3", "CSM-7.4"]
    assert ssh["location"]["path"].endswith("tf/sg.tf") and ssh["location"]["line"] == 2
    assert "22/SSH" in ssh["message"]["en"] and "管理埠" in ssh["message"]["zh-TW"]
    assert [Path(e["path"]).name for e in data["errors"]] == ["broken.yaml"]
    stats = data["stats"]
    assert stats["files_read"] == 3 and stats["files_evaluated"] == 2 and stats["files_rejected"] == 1


def test_errors_only_exit_2_and_clean_tree_exit_0(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo", bad=True, open_ssh=False)
    assert runner.invoke(app, ["scan", "iac", str(root), "-q", "--format", "json"]).exit_code == 2
    clean = _tree(tmp_path / "clean", open_ssh=False)
    assert runner.invoke(app, ["scan", "iac", str(clean), "-q", "--format", "json"]).exit_code == 0
    failing = _tree(tmp_path / "failing")
    assert runner.invoke(app, ["scan", "iac", str(failing), "-q", "--fail-on", "never"]).exit_code == 0


def test_sarif_csv_table_and_output_file(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo")
    out = tmp_path / "out" / "iac.sarif"
    result = runner.invoke(app, ["scan", "iac", str(root), "--format", "sarif", "--output", str(out), "-q"])
    assert result.exit_code == 1 and result.stdout == ""
    sarif = json.loads(out.read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert any(r["ruleId"] == "IAC-010" for r in results)
    rule_ids = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "IAC-010" in rule_ids
    csv_result = runner.invoke(app, ["scan", "iac", str(root), "--format", "csv", "-q", "--lang", "en"])
    rows = list(csv.reader(io.StringIO(csv_result.stdout)))
    assert any("IAC-010" in row and "fail" in row for row in rows[1:])
    table = runner.invoke(app, ["scan", "iac", str(root), "--lang", "en", "-q"])
    assert "IAC-010" in table.stdout and "1 failing" in table.stdout


def test_baseline_suppresses_by_fingerprint_and_exclude_leaves_files_out(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo")
    data = json.loads(runner.invoke(app, ["scan", "iac", str(root), "--format", "json", "-q"]).stdout)
    fingerprints = [f["fingerprint"] for f in data["findings"] if f["status"] == "fail"]
    baseline = tmp_path / "baseline.yaml"
    baseline.write_text(yaml.safe_dump({"suppressions": [
        {"fingerprint": fp, "reason": "bastion behind WAF", "owner": "secops",
         "expires": (date.today() + timedelta(days=30)).isoformat()} for fp in fingerprints]}), encoding="utf-8")
    suppressed = runner.invoke(app, ["scan", "iac", str(root), "--baseline", str(baseline), "--format", "json", "-q"])
    assert suppressed.exit_code == 0
    assert not [f for f in json.loads(suppressed.stdout)["findings"] if f["status"] == "fail"]
    excluded = runner.invoke(app, ["scan", "iac", str(root), "--exclude", "tf/sg.tf", "--format", "json", "-q"])
    assert excluded.exit_code == 0
    assert all(f["location"]["resource"] != "aws_security_group.ssh" for f in json.loads(excluded.stdout)["findings"])


def test_allowed_account_option_reaches_the_checks(tmp_path: Path) -> None:
    (tmp_path / "share.tf").write_text(
        'resource "aws_snapshot_create_volume_permission" "p" {\n  snapshot_id = "snap-1"\n'
        '  account_id = "444455556666"\n}\n', encoding="utf-8")
    denied = runner.invoke(app, ["scan", "iac", str(tmp_path), "--format", "json", "-q"])
    allowed = runner.invoke(app, ["scan", "iac", str(tmp_path), "--format", "json", "-q",
                                  "--allowed-account", "444455556666"])

    def status(output: str) -> str:
        return next(f["status"] for f in json.loads(output)["findings"] if f["rule_id"] == "IAC-003")

    assert status(denied.stdout) == "fail" and status(allowed.stdout) == "pass"


def test_module_entry_point_runs_the_same_command(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = _tree(tmp_path / "repo")
    done = subprocess.run([sys.executable, "-m", "csmguard.cli.scan_iac", str(root), "--format", "json", "-q"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    assert any(f["rule_id"] == "IAC-010" and f["status"] == "fail" for f in json.loads(done.stdout)["findings"])
