"""The workspace registers in the fleet scan: staff changes (DEV-015), BYOD agreements (DEV-016/017) and the
devices register (owner, department, ownership, sensitive data) read from a real workspace; the CSV options
win over the registers; ``--workspace`` records the scan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.rules.loader import RuleSet
from csmguard.services.fleet_scan import FleetScanOptions, scan_fleet
from csmguard.services.records import latest_findings, list_scans
from csmguard.services.registers import add_record
from csmguard.workspace import Workspace, init_workspace
from tests.scanners.fleet.conftest import AS_OF, KeepSink

EXPORT = """device_id,serial,user,department,platform,ownership,managed,management_state,holds_sensitive_data
dev-left,S-L,ann@firm.tw,Sales,ios,company,true,,
dev-left-wiped,S-LW,Ann@Firm.tw,Sales,ios,company,true,retired,
dev-recent,S-R,ben@firm.tw,Sales,ios,company,true,,
dev-moved,S-M,cat@firm.tw,Risk,android,company,true,,
dev-not-moved,S-NM,kim@firm.tw,Sales,android,company,true,,
dev-stay,S-S,dan@firm.tw,Sales,ios,company,true,,
byod-ok,SER-E,eve@firm.tw,Ops,ios,personal,true,,false
byod-eve-2,SER-X,eve@firm.tw,Ops,ios,personal,true,,false
byod-expired,S-F,fay@firm.tw,Ops,android,personal,true,,false
byod-none,S-G,gus@firm.tw,Ops,android,personal,true,,false
byod-future,S-H,hal@firm.tw,Ops,ios,personal,true,,false
byod-ivy,S-I,ivy@firm.tw,Ops,ios,personal,true,,
reg-only,SER-J,,,android,,true,,
"""

DEV015 = {"dev-left": ("fail", "departed_not_wiped"), "dev-left-wiped": ("pass", "device_retired"),
          "dev-recent": ("pass", "within_grace"), "dev-moved": ("pass", "reconfigured"),
          "dev-not-moved": ("fail", "transfer_not_reconfigured"), "dev-stay": ("not_applicable", "no_staff_change")}
DEV016 = {"byod-ok": ("pass", "agreement_valid"), "byod-eve-2": ("fail", "no_agreement"),
          "byod-expired": ("fail", "agreement_expired"), "byod-none": ("fail", "no_agreement"),
          "byod-future": ("fail", "agreement_not_yet_valid"), "byod-ivy": ("pass", "agreement_valid"),
          "reg-only": ("pass", "agreement_valid"), "dev-left": ("not_applicable", "company_device")}
DEV017 = {"byod-ok": ("pass", "agreement_reviewed"), "byod-ivy": ("fail", "sensitive_not_permitted"),
          "reg-only": ("pass", "agreement_reviewed"), "byod-expired": ("fail", "no_valid_agreement")}


def _agreement(holder: str, device: str, data_types: str, valid: tuple[str, str], *, signed: str | None,
               review: str | None = None) -> dict[str, Any]:
    return {"holder": holder, "device_id": device, "data_types": data_types, "permitted_purposes": "email",
            "valid_from": valid[0], "valid_until": valid[1], "signed_on": signed, "last_review": review}


@pytest.fixture()
def workspace(tmp_path: Path) -> Workspace:
    ws = init_workspace(tmp_path / "ws")
    for person, change, day, to in [("ann@firm.tw", "depart", "2026-10-01", None),
                                    ("ben@firm.tw", "depart", "2026-11-28", None),
                                    ("cat@firm.tw", "move", "2026-10-01", "Risk"),
                                    ("kim@firm.tw", "move", "2026-10-01", "Risk"),
                                    ("dan@firm.tw", "join", "2026-01-05", None)]:
        add_record(ws, "staff-changes", {"person": person, "change": change, "effective_on": day,
                                         "to_department": to})
    year = ("2026-01-10", "2027-01-09")
    for data in [_agreement("eve@firm.tw", "SER-E", "email;sensitive", year, signed="2026-01-10",
                            review="2026-06-01"),
                 _agreement("fay@firm.tw", "byod-expired", "email", ("2025-01-01", "2026-06-30"),
                            signed="2025-01-01"),
                 _agreement("hal@firm.tw", "S-H", "email", ("2026-12-15", "2027-12-14"), signed="2026-11-20"),
                 _agreement("ivy@firm.tw", "s-i", "email", year, signed="2026-01-10", review="2026-09-01"),
                 _agreement("jon@firm.tw", "SER-J", "email;sensitive", year, signed="2026-01-10",
                            review="2026-09-01")]:
        add_record(ws, "byod-agreements", data)
    # Matched by MDM device ID (byod-ivy) and by serial number (SER-J, lower case in the register).
    add_record(ws, "devices", {"device_id": "byod-ivy", "owner": "ivy@firm.tw", "ownership": "byod",
                               "holds_sensitive_data": True})
    add_record(ws, "devices", {"device_id": "ser-j", "owner": "Jon@Firm.tw", "department": "Trading",
                               "ownership": "byod", "holds_sensitive_data": True})
    return ws


@pytest.fixture()
def export(tmp_path: Path) -> Path:
    path = tmp_path / "devices.csv"
    path.write_text(EXPORT, encoding="utf-8")
    return path


def _verdicts(sink: KeepSink, rule_index: int, expected: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    return {device: sink.results[device].outcomes[rule_index][:2] for device in expected}


def _index(rules: RuleSet, rule_id: str) -> int:
    return [r.id for r in rules.for_scanner("fleet")].index(rule_id)


def test_registers_from_the_workspace_decide_departures_and_byod(workspace: Workspace, export: Path,
                                                                 fleet_rules: RuleSet) -> None:
    sink = KeepSink()
    result, _ = scan_fleet(FleetScanOptions(paths=(export,), as_of=AS_OF, workers=1, workspace=workspace.root),
                           sinks=[sink], ruleset=fleet_rules)
    assert _verdicts(sink, _index(fleet_rules, "DEV-015"), DEV015) == DEV015
    assert _verdicts(sink, _index(fleet_rules, "DEV-016"), DEV016) == DEV016
    assert _verdicts(sink, _index(fleet_rules, "DEV-017"), DEV017) == DEV017
    # The devices register completed what the export did not report.
    reg = sink.results["reg-only"]
    assert (reg.device.user, reg.device.department, reg.device.ownership, reg.sensitive) == (
        "jon@firm.tw", "Trading", "personal", True)
    assert (sink.results["byod-ivy"].sensitive, sink.results["byod-ok"].sensitive) == (True, False)
    assert result.stats["registers"] == {"staff_changes": True, "byod_agreements": True, "group_members": False,
                                         "devices": True}
    assert result.stats["register_sources"] == {
        "staff-changes": "workspace register staff-changes", "byod-agreements": "workspace register byod-agreements",
        "devices": "workspace register devices"}
    assert result.stats["reconciled"] is True


def test_parallel_workers_see_the_workspace_registers(workspace: Workspace, export: Path,
                                                      fleet_rules: RuleSet) -> None:
    result, _ = scan_fleet(FleetScanOptions(paths=(export,), as_of=AS_OF, workers=2, parallel_min_bytes=0,
                                            workspace=workspace.root), ruleset=fleet_rules)
    found = {(f.location.device_id if f.location else None, f.evidence.get("reason"))
             for f in result.findings if f.rule_id in ("DEV-015", "DEV-016") and f.target.kind == "device"}
    assert found == {("dev-left", "departed_not_wiped"), ("dev-not-moved", "transfer_not_reconfigured"),
                     ("byod-eve-2", "no_agreement"), ("byod-expired", "agreement_expired"),
                     ("byod-none", "no_agreement"), ("byod-future", "agreement_not_yet_valid")}


def test_csv_options_win_over_the_workspace_register(workspace: Workspace, export: Path, tmp_path: Path,
                                                     fleet_rules: RuleSet) -> None:
    staff = tmp_path / "staff.csv"
    staff.write_text("user,change_type,effective_date,new_department\ndan@firm.tw,departure,2026-10-01,\n")
    sink = KeepSink()
    result, _ = scan_fleet(FleetScanOptions(paths=(export,), as_of=AS_OF, workers=1, workspace=workspace.root,
                                            staff_changes=staff), sinks=[sink], ruleset=fleet_rules)
    index = _index(fleet_rules, "DEV-015")
    assert {d: sink.results[d].outcomes[index][:2] for d in ("dev-left", "dev-stay")} == {
        "dev-left": ("not_applicable", "no_staff_change"), "dev-stay": ("fail", "departed_not_wiped")}
    assert result.stats["register_sources"]["staff-changes"] == str(staff)
    # The BYOD agreements still come from the workspace.
    assert sink.results["byod-ok"].outcomes[_index(fleet_rules, "DEV-016")][:2] == ("pass", "agreement_valid")


def test_empty_workspace_registers_count_as_absent(tmp_path: Path, export: Path, fleet_rules: RuleSet) -> None:
    ws = init_workspace(tmp_path / "empty")
    sink = KeepSink()
    result, _ = scan_fleet(FleetScanOptions(paths=(export,), as_of=AS_OF, workers=1, workspace=ws.root),
                           sinks=[sink], ruleset=fleet_rules)
    assert sink.results["dev-left"].outcomes[_index(fleet_rules, "DEV-015")][:2] == ("unknown", "no_staff_register")
    assert sink.results["byod-ok"].outcomes[_index(fleet_rules, "DEV-016")][:2] == ("unknown", "no_byod_register")
    assert result.stats["register_sources"] == {}


def test_cli_records_the_scan_in_the_workspace(workspace: Workspace, export: Path) -> None:
    out = CliRunner().invoke(app, ["scan", "fleet", str(export), "--workspace", str(workspace.root), "--as-of",
                                   AS_OF.isoformat(), "--format", "json", "--quiet"])
    assert out.exit_code == 1, out.output  # shall-level failures: departed staff, BYOD without agreement
    data = json.loads(out.stdout)
    assert data["stats"]["registers"]["staff_changes"] is True
    scans = list_scans(workspace)
    assert [s["scanner"] for s in scans] == ["fleet"]
    recorded = {(f.rule_id, f.location.device_id if f.location else None, f.status.value)
                for f in latest_findings(workspace) if f.target.kind == "device"}
    assert {("DEV-015", "dev-left", "fail"), ("DEV-016", "byod-none", "fail"),
            ("DEV-017", "byod-ivy", "fail")} <= recorded
    assert ("DEV-015", "dev-moved", "fail") not in recorded
