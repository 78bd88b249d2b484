"""The app-scan use case: load the APP rules, scan every target, and return one result."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Finding, ScanError, ScanResult
from csmguard.domain.coverage import Coverage, CoverageGroup, examined, target_key
from csmguard.rules.loader import RuleSet, load_rules
from csmguard.scanners.app.checks import CHECKS
from csmguard.scanners.app.scan import AppScanner, AppScanOptions
from csmguard.scanning.progress import NoProgress, Progress
from csmguard.scanning.sniff import found_instead, unrecognised_error


def load_app_rules(edition: str = "csm-17") -> RuleSet:
    """The active APP rules, validated against the catalog and the registered checks."""
    catalog = load_catalog(edition)
    return load_rules(catalog, ["app"], known_checks={"app": CHECKS.keys()})


def scan_app(
    targets: Sequence[Path],
    *,
    options: AppScanOptions | None = None,
    progress: Progress | None = None,
    rules: RuleSet | None = None,
) -> tuple[ScanResult, RuleSet]:
    """Scan APK/AAB/IPA files and source trees; unreadable inputs become errors and the others are still scanned."""
    rules = rules or load_app_rules()
    scanner = AppScanner(rules.for_scanner("app"))
    options = options or AppScanOptions()
    progress = progress or NoProgress()
    started = datetime.now(UTC)
    findings: list[Finding] = []
    errors: list[ScanError] = []
    per_target: dict[str, object] = {}
    groups: list[CoverageGroup] = []
    recognised: dict[str, int] = {}
    unrecognised: list[Path] = []
    for path in targets:
        outcome = scanner.scan_target(path, options, progress)
        findings.extend(outcome.findings)
        errors.extend(outcome.errors)
        per_target[str(path)] = outcome.stats
        if outcome.target is None:
            if not outcome.errors:  # an input that failed to read has already said why
                unrecognised.append(path)
        else:
            recognised[outcome.target.kind] = recognised.get(outcome.target.kind, 0) + 1
            groups.append(examined(outcome.examined, [target_key(outcome.target.kind, outcome.target.id)]))
    found = found_instead(unrecognised)
    if unrecognised:
        errors.append(unrecognised_error("app", found))
    totals = {key: sum(int(s.get(key, 0)) for s in per_target.values() if isinstance(s, dict))
              for key in ("files_read", "files_scanned", "files_rejected", "files_ignored", "bytes_scanned")}
    result = ScanResult(scanner="app", targets=tuple(str(t) for t in targets), findings=tuple(findings),
                        errors=tuple(errors), stats={**totals, "targets": per_target, "rules": len(rules.rules)},
                        coverage=Coverage(recognised=recognised, found=found, examined=tuple(groups)),
                        started_at=started, finished_at=datetime.now(UTC))
    return result, rules
