"""The IaC-scan use case: load the IAC rules, read Terraform, plans, CloudFormation and Kubernetes
manifests and exported live cloud configuration below the targets, evaluate every rule, and return one
result."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Finding, ScanResult
from csmguard.domain.coverage import Coverage
from csmguard.rules.contract import registry, run_checks
from csmguard.rules.loader import RuleSet, load_rules
from csmguard.scanners.iac.collect import collect
from csmguard.scanners.iac.facts import IacFacts, IacOptions
from csmguard.scanning.progress import NoProgress, Progress
from csmguard.scanning.sniff import found_instead, unrecognised_error


def load_iac_rules(edition: str = "csm-17") -> RuleSet:
    """The active IAC rules, validated against the catalog and the registered checks."""
    catalog = load_catalog(edition)
    return load_rules(catalog, ["iac"])


def evaluate(facts: IacFacts, rules: RuleSet, options: IacOptions) -> list[Finding]:
    """Every active IAC rule on the facts, each isolated: a check that fails on unexpected input becomes
    that rule's ``error`` finding, and the other rules still run."""
    return run_checks(rules.for_scanner("iac"), registry("iac", IacFacts, IacOptions), facts, options)


def scan_iac(
    targets: Sequence[Path],
    *,
    options: IacOptions | None = None,
    excludes: Sequence[str] = (),
    progress: Progress | None = None,
    rules: RuleSet | None = None,
) -> tuple[ScanResult, RuleSet]:
    """Scan IaC folders and files; malformed files become errors and the rest is scanned."""
    rules = rules or load_iac_rules()
    options = options or IacOptions()
    started = datetime.now(UTC)
    facts = collect(targets, excludes=excludes, progress=progress or NoProgress())
    findings = evaluate(facts, rules, options)
    file_errors = [e for e in facts.errors if not e.message.startswith("skipped:")]
    stats = {
        "files_read": facts.files_read,
        "files_evaluated": facts.files_parsed,
        "files_not_iac": facts.files_skipped,
        "files_rejected": facts.files_read - facts.files_parsed - facts.files_skipped,
        "file_errors": len(file_errors),
        "resources": len(facts.resources),
        "resources_by_source": dict(Counter(r.source for r in facts.resources)),
        "export_items": facts.export_items,
        "export_unmapped_types": dict(sorted(facts.export_unmapped.items())),
        "rules": len(rules.for_scanner("iac")),
    }
    found = {} if facts.files_parsed else found_instead(tuple(targets))
    unrecognised = [unrecognised_error("iac", found)] if found and not facts.errors else []
    recognised = {"iac-file": facts.files_parsed, "iac-resource": len(facts.resources)}
    if facts.export_items:  # exported live configuration: items read, and those of types no rule reads
        unmapped = sum(facts.export_unmapped.values())
        recognised |= {"export-item": facts.export_items - unmapped, "export-item-unmapped": unmapped}
    coverage = Coverage(recognised=recognised, found=found)
    result = ScanResult(scanner="iac", targets=tuple(str(t) for t in targets), findings=tuple(findings),
                        errors=(*facts.errors, *unrecognised), stats=stats, coverage=coverage,
                        started_at=started, finished_at=datetime.now(UTC))
    return result, rules
