"""Use case: scan message templates and exported SMS / push logs for unmasked sensitive data (CSM-16.2)."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Finding, ScanError, ScanResult, Target
from csmguard.domain.coverage import Coverage
from csmguard.rules.contract import registry, run_checks
from csmguard.rules.loader import RuleSet, load_rules
from csmguard.scanners.messages.checks import Listing, MessageCheckContext
from csmguard.scanners.messages.collect import (
    CSV_SUFFIXES,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    TEXT_SUFFIXES,
    collect_file,
)
from csmguard.scanners.messages.config import MessagesSettings
from csmguard.scanners.messages.detect import Detector
from csmguard.scanners.messages.facts import FileFacts
from csmguard.scanning.progress import NoProgress, Progress
from csmguard.scanning.sniff import found_instead, unrecognised_error
from csmguard.scanning.walk import SkippedFile, WalkOptions, walk_files

SCANNER = "messages"
_SUFFIXES = TEXT_SUFFIXES + CSV_SUFFIXES + JSON_SUFFIXES + JSONL_SUFFIXES


@dataclass(frozen=True)
class MessagesOptions:
    """How to read the inputs: a forced format, the CSV columns and JSON fields holding the text."""

    format: str | None = None
    columns: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    settings: MessagesSettings = field(default_factory=MessagesSettings)


def load_messages_rules(edition: str = "csm-17") -> RuleSet:
    """The message rules, validated against the catalog and the registered checks."""
    return load_rules(load_catalog(edition), [SCANNER])


def _inputs(paths: Sequence[Path], errors: list[ScanError]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            skipped: list[SkippedFile] = []
            options = WalkOptions(max_file_bytes=512 * 1024 * 1024)
            files.extend(w.path for w in walk_files(path, options, skipped)
                         if w.path.suffix.lower() in _SUFFIXES)
            errors.extend(ScanError(target=str(path), path=str(s.path), message=s.reason) for s in skipped)
        elif path.is_file():
            files.append(path)
        else:
            errors.append(ScanError(target=str(path), path=str(path), message="no such file or folder"))
    return files


def scan_messages(paths: Sequence[Path], rules: RuleSet, options: MessagesOptions | None = None,
                  progress: Progress | None = None) -> ScanResult:
    """Scan every file (folders are walked for text, CSV and JSON files) with every message rule."""
    options = options or MessagesOptions()
    progress = progress or NoProgress()
    started = datetime.now(UTC)
    clock = time.perf_counter()
    detector = Detector.from_settings(options.settings)
    workers = options.settings.workers or os.cpu_count() or 1
    listing = Listing(fails=options.settings.max_findings_per_rule, passes=options.settings.max_passes_per_rule)
    active = rules.for_scanner(SCANNER)
    errors: list[ScanError] = []
    files = _inputs(paths, errors)
    findings: list[Finding] = []
    counts: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    omitted: Counter[str] = Counter()
    progress.start("messages", total=len(files))
    for path in files:
        facts = collect_file(path, detector, fmt=options.format, columns=options.columns, fields=options.fields,
                             workers=workers, keep_masked=options.settings.max_passes_per_rule)
        counts["files"] += 1
        counts["bytes"] += facts.bytes_read
        counts["records_read"] += facts.records_read
        counts["records_rejected"] += facts.records_rejected
        counts["records_evaluated"] += facts.records_evaluated
        errors.extend(ScanError(target=str(path), path=facts.path, row=line, field=where, message=message)
                      for line, where, message in facts.problems)
        kinds.update(facts.counts)
        if not facts.records_evaluated:
            # Nothing here reads as a message: no rule examined anything, so no verdict, not even a pass.
            if not facts.problems:
                errors.append(ScanError(target=str(path), path=facts.path, message="no message or template recognised "
                                        "in this file (no text line, CSV message column or JSON message field)"))
            progress.advance()
            continue
        counts["files_with_messages"] += 1
        context = MessageCheckContext(Target(kind="messages", id=str(path)), listing, omitted)
        findings.extend(run_checks(active, registry(SCANNER, FileFacts, MessageCheckContext), facts, context,
                                   where=str(path)))
        progress.advance()
    progress.finish()
    elapsed = time.perf_counter() - clock
    stats: dict[str, object] = {
        **dict(counts), "detections": dict(sorted(kinds.items())), "omitted_findings": dict(omitted),
        "elapsed_seconds": round(elapsed, 3),
    }
    found = {} if counts["records_evaluated"] else found_instead(tuple(paths))
    if found and not errors:
        errors.append(unrecognised_error(SCANNER, found))
    coverage = Coverage(recognised={"messages": counts["records_evaluated"], "files": counts["files_with_messages"]},
                        found=found)
    return ScanResult(scanner=SCANNER, targets=tuple(str(p) for p in paths), findings=tuple(findings),
                      errors=tuple(errors), stats=stats, coverage=coverage, started_at=started,
                      finished_at=datetime.now(UTC))
