"""`csmguard baseline` accepts a scan's failing findings; the next scan with --baseline passes."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

from csmguard.cli.main import app

FIXTURE = Path(__file__).parents[1] / "rules" / "IAC-001"


def test_baseline_written_from_a_scan_suppresses_its_findings(tmp_path: Path) -> None:
    runner = CliRunner()
    result_file, baseline = tmp_path / "scan.json", tmp_path / "baseline.yaml"
    first = runner.invoke(app, ["scan", "iac", str(FIXTURE), "-f", "json", "-o", str(result_file), "-q"])
    assert first.exit_code == 1
    failing = {f["fingerprint"] for f in json.loads(result_file.read_text())["findings"] if f["status"] == "fail"}
    expires = (date.today() + timedelta(days=90)).isoformat()
    made = runner.invoke(app, ["baseline", str(result_file), "--reason", "legacy volumes, migration planned",
                               "--owner", "infra-team", "--expires", expires, "-o", str(baseline)])
    assert made.exit_code == 0, made.output
    again = runner.invoke(app, ["scan", "iac", str(FIXTURE), "-f", "json", "-q", "--baseline", str(baseline)])
    assert again.exit_code == 0, again.output
    data = json.loads(again.stdout)
    assert {s["fingerprint"] for s in data["stats"]["suppressed"]} == failing
    assert not [f for f in data["findings"] if f["status"] == "fail"]


def test_bad_input_to_baseline_names_the_problem(tmp_path: Path) -> None:
    runner = CliRunner()
    not_json = tmp_path / "x.json"
    not_json.write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["baseline", str(not_json), "--reason", "abc", "--owner", "o",
                                 "--expires", "2030-01-01"])
    assert result.exit_code == 2 and "not valid JSON" in " ".join(result.stderr.split())
    broken = tmp_path / "y.json"
    broken.write_text(json.dumps({"scanner": "iac", "findings": [{"rule_id": "IAC-001"}]}), encoding="utf-8")
    result = runner.invoke(app, ["baseline", str(broken), "--reason", "abc", "--owner", "o",
                                 "--expires", "2030-01-01"])
    assert result.exit_code == 2 and "findings[0]" in "".join(result.stderr.split())
