"""The fleet use case end to end: counts reconcile, Graph page chains, fleet summaries against the target,
registers missing, per-device tables, and the parallel path giving the same answer as one process."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import orjson
from bench.fleet.generate import write_jsonl
from openpyxl import load_workbook

from csmguard.domain import Finding, FindingStatus, Lang
from csmguard.rules.loader import RuleSet
from csmguard.scanners.fleet.report import CsvDeviceSink, XlsxDeviceSink
from csmguard.services.fleet_scan import FleetScanOptions, scan_fleet
from tests.scanners.fleet.conftest import AS_OF

GENERIC_HEADER = "device_id,platform,os_version,ownership,managed,encrypted,holds_sensitive_data\n"


def _fleet(findings: tuple[Finding, ...], rule_id: str) -> Finding:
    return next(f for f in findings if f.rule_id == rule_id and f.target.kind == "fleet")


def test_counts_reconcile_and_rejected_rows_are_named(samples: Path, fleet_rules: RuleSet) -> None:
    paths = (samples / "intune-pages", samples / "intune-devices.jsonl", samples / "intune-export-new.csv",
             samples / "jamf-inventory.json", samples / "ws1-devices.json", samples / "google-devices.json",
             samples / "generic.csv")
    result, _ = scan_fleet(FleetScanOptions(paths=paths, as_of=AS_OF, workers=1), ruleset=fleet_rules)
    s = result.stats
    # 6 + 5 + 5 + 3 + 3 + 3 + 3 records, one bad record in each file
    assert (s["records_read"], s["evaluated"], s["rejected"], s["reconciled"]) == (28, 20, 8, True)
    named = sorted((Path(e.path or "").name, e.row, e.field) for e in result.errors)
    assert named == sorted([
        ("managedDevices-page2.json", 2, "jailBroken"), ("managedDevices-page2.json", 3, "id"),
        ("intune-devices.jsonl", 5, None), ("intune-export-new.csv", 6, "Last check-in"),
        ("jamf-inventory.json", 3, "general.lastInventoryUpdate"), ("ws1-devices.json", 3, "CompromisedStatus"),
        ("google-devices.json", 3, "resourceId"), ("generic.csv", 4, "passcode_min_length"),
    ])
    assert s["devices_by_platform"] == {"ios": 12, "android": 7, "windows": 1}
    assert s["inputs"][str(samples / "ws1-devices.json")] == "workspace-one"


def test_duplicate_device_ids_are_rejected(tmp_path: Path, fleet_rules: RuleSet) -> None:
    export = tmp_path / "devices.csv"
    export.write_text(GENERIC_HEADER + "d1,iOS,18.1,company,yes,yes,no\nd1,iOS,18.1,company,yes,yes,no\n")
    result, _ = scan_fleet(FleetScanOptions(paths=(export,), as_of=AS_OF, workers=1), ruleset=fleet_rules)
    assert (result.stats["records_read"], result.stats["evaluated"], result.stats["rejected"]) == (2, 1, 1)
    assert [(e.row, e.field) for e in result.errors] == [(3, "id")]
    assert "duplicate device ID d1" in result.errors[0].message


def test_graph_page_chain_must_end(tmp_path: Path, samples: Path, fleet_rules: RuleSet) -> None:
    shutil.copy(samples / "intune-pages" / "managedDevices-page1.json", tmp_path / "page1.json")
    result, _ = scan_fleet(FleetScanOptions(paths=(tmp_path,), as_of=AS_OF, workers=1), ruleset=fleet_rules)
    assert any("the last page is missing" in e.message for e in result.errors)
    complete, _ = scan_fleet(FleetScanOptions(paths=(samples / "intune-pages",), as_of=AS_OF, workers=1),
                             ruleset=fleet_rules)
    assert not any("page" in e.message for e in complete.errors)


def _encryption_fleet(tmp_path: Path, bad_sensitive: bool) -> Path:
    rows = [f"ok-{i},iOS,18.1,company,yes,yes,no" for i in range(19)]
    rows.append(f"bad-1,iOS,18.1,company,yes,no,{'yes' if bad_sensitive else 'no'}")
    path = tmp_path / f"fleet-{bad_sensitive}.csv"
    path.write_text(GENERIC_HEADER + "\n".join(rows) + "\n")
    return path


def test_fleet_summary_against_the_target_and_sensitive_failures(tmp_path: Path, fleet_rules: RuleSet) -> None:
    path = _encryption_fleet(tmp_path, bad_sensitive=False)
    result, _ = scan_fleet(FleetScanOptions(paths=(path,), as_of=AS_OF, workers=1), ruleset=fleet_rules)
    fleet = _fleet(result.findings, "DEV-003")
    assert fleet.status is FindingStatus.PASS  # 19/20 = 95% meets the default target
    assert fleet.evidence["counts"] == {"pass": 19, "fail": 1, "manual": 0, "unknown": 0, "not_applicable": 0}
    assert fleet.evidence["by_ownership"] == {"company": {"pass": 19, "fail": 1, "not_enforceable": 0,
                                                          "unknown": 0, "not_applicable": 0}}
    stricter, _ = scan_fleet(FleetScanOptions(paths=(path,), as_of=AS_OF, workers=1, target_pass_rate=0.99),
                             ruleset=fleet_rules)
    assert _fleet(stricter.findings, "DEV-003").status is FindingStatus.FAIL
    sensitive, _ = scan_fleet(FleetScanOptions(paths=(_encryption_fleet(tmp_path, True),), as_of=AS_OF, workers=1),
                              ruleset=fleet_rules)
    fleet = _fleet(sensitive.findings, "DEV-003")
    assert fleet.status is FindingStatus.FAIL and fleet.evidence["sensitive_failures"] == 1
    device = [f for f in sensitive.findings if f.rule_id == "DEV-003" and f.target.kind == "device"]
    assert [(f.location.device_id, f.status) for f in device] == [("bad-1", FindingStatus.FAIL)]


def test_missing_registers_give_one_fleet_unknown_not_one_per_device(samples: Path, fleet_rules: RuleSet) -> None:
    result, _ = scan_fleet(FleetScanOptions(paths=(samples / "intune-pages",), as_of=AS_OF, workers=1),
                           ruleset=fleet_rules)
    assert _fleet(result.findings, "DEV-015").status is FindingStatus.UNKNOWN
    assert _fleet(result.findings, "DEV-016").status is FindingStatus.UNKNOWN
    assert not [f for f in result.findings if f.rule_id in {"DEV-015", "DEV-016", "DEV-017"}
                and f.target.kind == "device"]


def test_manual_findings_carry_the_reason_and_passes_on_request(samples: Path, fleet_rules: RuleSet) -> None:
    options = FleetScanOptions(paths=(samples / "intune-pages",), as_of=AS_OF, workers=1)
    result, _ = scan_fleet(options, ruleset=fleet_rules)
    bob = [f for f in result.findings if f.location.device_id == "0f3a5b7c-1111-4c2e-9a10-000000000002"
           and f.rule_id == "DEV-004"]
    assert [(f.status, f.evidence["verdict"], f.evidence["reason"]) for f in bob] == [
        (FindingStatus.MANUAL, "not_enforceable", "ios_user_enrollment_passcode")]
    assert "user enrollment" in bob[0].message.en
    assert not [f for f in result.findings if f.status is FindingStatus.PASS and f.target.kind == "device"]
    with_passes, _ = scan_fleet(FleetScanOptions(paths=options.paths, as_of=AS_OF, workers=1, include_passes=True),
                                ruleset=fleet_rules)
    alice_passes = {f.rule_id for f in with_passes.findings if f.status is FindingStatus.PASS
                    and f.location.device_id == "0f3a5b7c-1111-4c2e-9a10-000000000001"}
    assert {"DEV-001", "DEV-003", "DEV-008"} <= alice_passes


def test_device_tables_csv_and_xlsx(tmp_path: Path, samples: Path, fleet_rules: RuleSet) -> None:
    rules = tuple(fleet_rules.for_scanner("fleet"))
    sinks = [CsvDeviceSink(tmp_path / "d.csv", rules, Lang.EN), XlsxDeviceSink(tmp_path / "d.xlsx", rules, Lang.EN)]
    scan_fleet(FleetScanOptions(paths=(samples / "intune-pages",), as_of=AS_OF, workers=1), sinks=sinks,
               ruleset=fleet_rules)
    for sink in sinks:
        sink.close()
    with (tmp_path / "d.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["device_id"][-3:] for r in rows] == ["001", "002", "003", "004"]
    assert (rows[2]["DEV-008"], rows[1]["DEV-004"], rows[0]["DEV-001"]) == ("fail", "not_enforceable", "pass")
    assert "DEV-008: the device is jailbroken or rooted" in rows[2]["reasons"]
    sheet = load_workbook(tmp_path / "d.xlsx", read_only=True).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][:3] == ("device_id", "name", "serial") and len(table) == 5
    assert table[3][table[0].index("DEV-008")] == "fail"


def test_parallel_run_matches_one_process(tmp_path: Path, fleet_rules: RuleSet) -> None:
    export = write_jsonl(tmp_path / "devices.jsonl", 1500, seed=7)
    with export.open("ab") as handle:  # a duplicate of the first device and a broken line at the end
        first = export.read_bytes().split(b"\n", 1)[0]
        handle.write(first + b"\n{broken\n")
    one, _ = scan_fleet(FleetScanOptions(paths=(export,), as_of=AS_OF, workers=1), ruleset=fleet_rules)
    two, _ = scan_fleet(FleetScanOptions(paths=(export,), as_of=AS_OF, workers=2, parallel_min_bytes=0),
                        ruleset=fleet_rules)
    for key in ("records_read", "evaluated", "rejected", "fleet", "devices_by_platform"):
        assert one.stats[key] == two.stats[key], key
    assert (one.stats["records_read"], one.stats["evaluated"], one.stats["rejected"]) == (1502, 1500, 2)
    assert sorted((e.row, e.field) for e in one.errors) == sorted((e.row, e.field) for e in two.errors) == [
        (1501, "id"), (1502, None)]
    assert sorted(f.fingerprint for f in one.findings) == sorted(f.fingerprint for f in two.findings)
    assert orjson.loads(orjson.dumps([f.evidence for f in one.findings if f.target.kind == "fleet"])) == \
        orjson.loads(orjson.dumps([f.evidence for f in two.findings if f.target.kind == "fleet"]))


def test_single_object_and_empty_exports(tmp_path: Path, fleet_rules: RuleSet) -> None:
    single = tmp_path / "one.json"
    single.write_text('{\n  "id": "single-1",\n  "operatingSystem": "iOS",\n  "jailBroken": "False"\n}\n')
    empty = tmp_path / "empty.json"
    empty.write_text('{"@odata.context": "x", "value": []}')
    result, _ = scan_fleet(FleetScanOptions(paths=(single, empty), as_of=AS_OF, workers=1), ruleset=fleet_rules)
    assert (result.stats["records_read"], result.stats["evaluated"]) == (1, 1)
    assert [(Path(e.path or "").name, e.message) for e in result.errors] == [
        ("empty.json", "no device records found (read as intune-graph)")]


def test_device_tables_neutralise_formulas_from_the_mdm(tmp_path: Path, fleet_rules: RuleSet) -> None:
    export = tmp_path / "devices.csv"
    export.write_text("device_id,name,serial,os,os_version,managed,encrypted,compromised,owner,last_sync\n"
                      '1,"=HYPERLINK(""http://127.0.0.1/x"",""click"")",S1,ios,17.5,true,true,false,company,'
                      "2026-11-20\n", encoding="utf-8")
    rules = tuple(fleet_rules.for_scanner("fleet"))
    sinks = [CsvDeviceSink(tmp_path / "d.csv", rules, Lang.EN), XlsxDeviceSink(tmp_path / "d.xlsx", rules, Lang.EN)]
    scan_fleet(FleetScanOptions(paths=(export,), as_of=AS_OF, workers=1), sinks=sinks, ruleset=fleet_rules)
    for sink in sinks:
        sink.close()
    with (tmp_path / "d.csv").open(encoding="utf-8-sig") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["name"].startswith("'=HYPERLINK")
    sheet = load_workbook(tmp_path / "d.xlsx").active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and str(cell.value).startswith("'=")
