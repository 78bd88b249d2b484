"""``csmguard scan fleet`` from the command line: output formats, device tables, registers, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from csmguard.cli.main import app

runner = CliRunner()


def test_json_output_with_policies_and_registers(samples: Path, tmp_path: Path) -> None:
    staff = tmp_path / "staff.csv"
    staff.write_text("user,change_type,effective_date,new_department\ncarol.wu@firm.com.tw,departure,2026-10-01,\n")
    byod = tmp_path / "byod.csv"
    byod.write_text("user,signed_on,expires_on,last_reviewed_on,permitted_data_types\n"
                    "bob.chen@firm.com.tw,2026-01-05,2027-01-04,2026-06-01,email;calendar\n")
    result = runner.invoke(app, [
        "scan", "fleet", str(samples / "intune-pages"), "--policies", str(samples / "intune-policies.json"),
        "--group-members", str(samples / "group-members.csv"), "--staff-changes", str(staff),
        "--byod-agreements", str(byod), "--as-of", "2026-11-30", "--format", "json", "--quiet",
        "--devices-csv", str(tmp_path / "devices.csv")])
    assert result.exit_code == 1, result.output  # failing shall-level findings
    data = json.loads(result.stdout)
    assert data["scanner"] == "fleet"
    assert data["stats"]["reconciled"] is True
    by_key = {(f["rule_id"], f["location"].get("device_id") or f["target"]["id"]): f for f in data["findings"]}
    assert by_key[("DEV-015", "0f3a5b7c-1111-4c2e-9a10-000000000003")]["status"] == "fail"
    assert by_key[("DEV-016", "fleet")]["status"] == "pass"
    assert by_key[("DEV-017", "fleet")]["status"] == "pass"
    assert by_key[("DEV-008", "0f3a5b7c-1111-4c2e-9a10-000000000002")]["status"] == "unknown"
    assert by_key[("DEV-004", "0f3a5b7c-1111-4c2e-9a10-000000000002")]["status"] == "manual"
    assert {e.get("field") for e in data["errors"]} == {"jailBroken", "id", "@odata.type", "member"}
    with (tmp_path / "devices.csv").open(encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 4


def test_table_in_english_and_csv_findings(samples: Path) -> None:
    table = runner.invoke(app, ["scan", "fleet", str(samples / "generic.csv"), "--as-of", "2026-11-30",
                                "--lang", "en", "--fail-on", "never"])
    assert table.exit_code == 2  # no failing finding counts, but a row was rejected
    assert "pass rate" in table.stdout and "passcode_min_length" in table.stdout
    findings = runner.invoke(app, ["scan", "fleet", str(samples / "generic.csv"), "--as-of", "2026-11-30",
                                   "--format", "csv", "--quiet"])
    rows = list(csv.DictReader(findings.stdout.splitlines()))
    assert {"rule_id", "status", "device_id"} <= set(rows[0])
    assert any(r["rule_id"] == "DEV-008" and r["device_id"] == "" for r in rows)


def test_bad_usage_exits_2(samples: Path, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["scan", "fleet", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2
    bad_baseline = tmp_path / "b.yaml"
    bad_baseline.write_text("passcode:\n  min_length: two\n")
    result = runner.invoke(app, ["scan", "fleet", str(samples / "generic.csv"), "--baseline-file", str(bad_baseline)])
    assert result.exit_code == 2
    bad_date = runner.invoke(app, ["scan", "fleet", str(samples / "generic.csv"), "--as-of", "30/11/2026"])
    assert bad_date.exit_code == 2
