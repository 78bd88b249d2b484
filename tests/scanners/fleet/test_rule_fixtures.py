"""Each DEV rule on its fixture folder (tests/rules/DEV-NNN/): every device in failing.csv fails the rule,
every device in passing.csv passes it, and each device in undecided.csv gets the verdict its ID starts with
(manual- = not enforceable, unknown-, na- = not applicable). Devices are generic CSV rows; a folder may add
baseline.yaml, staff_changes.csv or byod_agreements.csv."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from csmguard.domain import FindingStatus
from csmguard.rules.loader import RuleSet
from csmguard.services.fleet_scan import FleetScanOptions, scan_fleet
from tests.scanners.fleet.conftest import AS_OF, KeepSink

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
FOLDERS = sorted(p for p in RULES_DIR.glob("DEV-*") if p.is_dir())
PREFIX_VERDICT = {"fail": "fail", "pass": "pass", "manual": "not_enforceable", "unknown": "unknown",
                  "na": "not_applicable"}
STATUS = {"fail": FindingStatus.FAIL, "not_enforceable": FindingStatus.MANUAL, "unknown": FindingStatus.UNKNOWN}


def _ids(path: Path) -> list[str]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return [row["device_id"] for row in csv.DictReader(handle)]


def test_every_rule_has_a_fixture_folder(fleet_rules: RuleSet) -> None:
    rule_ids = {r.id for r in fleet_rules.for_scanner("fleet")}
    assert {p.name for p in FOLDERS} == rule_ids


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_rule_fixtures(folder: Path, fleet_rules: RuleSet) -> None:
    rule_id = folder.name
    failing, passing, undecided = (_ids(folder / n) for n in ("failing.csv", "passing.csv", "undecided.csv"))
    assert failing and passing, "a rule needs failing and passing fixtures"
    sink = KeepSink()
    options = FleetScanOptions(
        paths=tuple(folder / n for n in ("failing.csv", "passing.csv", "undecided.csv") if (folder / n).is_file()),
        baseline_file=folder / "baseline.yaml" if (folder / "baseline.yaml").is_file() else None,
        staff_changes=folder / "staff_changes.csv" if (folder / "staff_changes.csv").is_file() else None,
        byod_agreements=folder / "byod_agreements.csv" if (folder / "byod_agreements.csv").is_file() else None,
        as_of=AS_OF, workers=1)
    result, ruleset = scan_fleet(options, sinks=[sink], ruleset=fleet_rules)
    assert result.errors == ()
    index = [r.id for r in ruleset.for_scanner("fleet")].index(rule_id)
    verdicts = {device_id: sink.results[device_id].outcomes[index][0] for device_id in sink.results}
    expected = {device_id: PREFIX_VERDICT[device_id.split("-", 1)[0]] for device_id in failing + passing + undecided}
    assert verdicts == expected
    assert all(expected[d] == "fail" for d in failing)
    assert all(expected[d] == "pass" for d in passing)
    device_statuses = {f.location.device_id: f.status for f in result.findings
                       if f.rule_id == rule_id and f.target.kind == "device"}
    assert device_statuses == {d: STATUS[v] for d, v in expected.items() if v in STATUS}
    fleet = next(f for f in result.findings if f.rule_id == rule_id and f.target.kind == "fleet")
    assert fleet.evidence["warnings"] == (1 if rule_id == "DEV-010" else 0)  # pass-warning in DEV-010
