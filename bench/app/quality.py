"""Per-rule precision and recall of the APP rules on the labelled fixture corpus."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from csmguard.domain import FindingStatus
from csmguard.scanners.app.scan import AppScanner, AppScanOptions
from csmguard.services.app_scan import load_app_rules

REPORTED = {FindingStatus.FAIL, FindingStatus.MANUAL}


@dataclass
class RuleQuality:
    """Confusion counts of one rule on its own fixtures, and its hits on the fixtures of other rules."""

    rule_id: str
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    other_hits: int = 0
    target_level: bool = False

    @property
    def precision(self) -> float:
        """TP / (TP + FP)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def rule_quality(fixtures: Path) -> list[RuleQuality]:
    """Scan every fixture once and count, per rule, hits on its fail/pass samples and on other rules' samples."""
    rules = load_app_rules().for_scanner("app")
    scanner = AppScanner(rules)
    rows = {rule.id: RuleQuality(rule.id, target_level=bool((rule.condition or {}).get("absent")))
            for rule in rules}
    for rule_dir in sorted(fixtures.glob("APP-*")):
        for verdict in ("fail", "pass"):
            for entry in sorted((rule_dir / verdict).iterdir()):
                reported = {f.rule_id for f in scanner.scan_target(entry, AppScanOptions(jobs=1)).findings
                            if f.status in REPORTED}
                for rule_id, row in rows.items():
                    hit = rule_id in reported
                    if rule_id != rule_dir.name:
                        row.other_hits += hit
                    elif verdict == "fail":
                        row.tp += hit
                        row.fn += not hit
                    else:
                        row.fp += hit
                        row.tn += not hit
    return list(rows.values())
