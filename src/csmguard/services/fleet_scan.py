"""Fleet scan use case: read MDM exports, policies and registers, judge every device on the DEV rules,
and summarise the fleet (the only API the CLI and the web app call for ``scan fleet``)."""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Finding, ScanError, ScanResult
from csmguard.domain.coverage import Coverage
from csmguard.domain.errors import InputError
from csmguard.registers.fields import RegisterRecord
from csmguard.rules.loader import RuleSet, load_rules
from csmguard.scanners.fleet.baseline import load_baseline
from csmguard.scanners.fleet.checks import CHECKS
from csmguard.scanners.fleet.collect_policies import read_policies
from csmguard.scanners.fleet.collect_registers import (
    Registers,
    read_byod_agreements,
    read_group_members,
    read_staff_changes,
)
from csmguard.scanners.fleet.collect_workspace import (
    BYOD_REGISTER,
    DEVICES_REGISTER,
    STAFF_REGISTER,
    byod_agreements_from_register,
    devices_from_register,
    source_name,
    staff_changes_from_register,
)
from csmguard.scanners.fleet.detect import Detected, InputFormat, detect, has_next_link, read_devices
from csmguard.scanners.fleet.evaluate import FleetEvaluator, FleetTally
from csmguard.scanners.fleet.facts import FAIL, PASS, Policy
from csmguard.scanners.fleet.findings import device_findings, fleet_finding
from csmguard.scanners.fleet.parallel import Setup, Unit, expand, plan_units, run_unit
from csmguard.scanners.fleet.report import DeviceSink
from csmguard.scanning.progress import NoProgress, Progress
from csmguard.scanning.sniff import found_instead, unrecognised_error
from csmguard.scanning.walk import SkippedFile, files_below
from csmguard.services.registers import list_records
from csmguard.workspace import open_workspace

SCANNER = "fleet"
EXPORT_SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv")
MAX_ERRORS = 100_000
PROGRESS_STEP = 1000
PARALLEL_MIN_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class FleetScanOptions:
    """What to read and how to judge it."""

    paths: tuple[Path, ...]
    format_in: InputFormat = InputFormat.AUTO
    policy_paths: tuple[Path, ...] = ()
    baseline_file: Path | None = None
    staff_changes: Path | None = None
    byod_agreements: Path | None = None
    group_members: Path | None = None
    target_pass_rate: float = 0.95
    include_passes: bool = False
    max_device_findings: int = 20_000
    as_of: date | None = None
    workers: int = 0  # 0: up to 2 processes for large exports; 1: one process
    parallel_min_bytes: int = PARALLEL_MIN_BYTES  # exports smaller than this are read in one process
    workspace: Path | None = None  # read its staff-changes, byod-agreements and devices registers when present


@dataclass
class _Run:
    errors: list[ScanError] = field(default_factory=list)
    errors_omitted: int = 0
    read: int = 0
    rejected: int = 0
    file_errors: int = 0
    per_file: Counter[str] = field(default_factory=Counter)

    def error(self, error: ScanError) -> None:
        """Record an error (beyond MAX_ERRORS only counted)."""
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        else:
            self.errors_omitted += 1


def expand_paths(paths: Sequence[Path], skipped: list[SkippedFile] | None = None) -> list[Path]:
    """Files named, and the export files (json, jsonl, ndjson, csv) inside folders named, in name order;
    symbolic links out of a folder are not followed (they go to ``skipped``)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(files_below(path, EXPORT_SUFFIXES, [] if skipped is None else skipped))
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(str(path), "no such file or folder")
    if not out:
        raise InputError(None, "no MDM export found in the paths given")
    return out


def load_fleet_rules() -> RuleSet:
    """The DEV rules, validated against the catalog and the registered checks."""
    return load_rules(load_catalog("csm-17"), [SCANNER], known_checks={SCANNER: CHECKS.keys()})


def _workspace_registers(path: Path) -> dict[str, list[tuple[int, RegisterRecord]]]:
    """The records of the registers the fleet rules use, from the workspace (InputError if not a workspace)."""
    ws = open_workspace(path)
    return {kind: [(r.id, r.record) for r in list_records(ws, kind)]
            for kind in (STAFF_REGISTER, BYOD_REGISTER, DEVICES_REGISTER)}


def _registers(options: FleetScanOptions, run: _Run) -> tuple[Registers, dict[str, str]]:
    """The registers and where each came from: a CSV option wins over the workspace register of the same kind;
    an empty workspace register counts as absent."""
    staff = byod = members = devices = None
    sources: dict[str, str] = {}
    if options.staff_changes is not None:
        staff, errs = read_staff_changes(options.staff_changes)
        sources[STAFF_REGISTER] = str(options.staff_changes)
        for e in errs:
            run.error(e)
    if options.byod_agreements is not None:
        byod, errs = read_byod_agreements(options.byod_agreements)
        sources[BYOD_REGISTER] = str(options.byod_agreements)
        for e in errs:
            run.error(e)
    if options.group_members is not None:
        members, errs = read_group_members(options.group_members)
        sources["group-members"] = str(options.group_members)
        for e in errs:
            run.error(e)
    if options.workspace is not None:
        records = _workspace_registers(options.workspace)
        if staff is None and records[STAFF_REGISTER]:
            staff = staff_changes_from_register(records[STAFF_REGISTER])
            sources[STAFF_REGISTER] = source_name(STAFF_REGISTER)
        if byod is None and records[BYOD_REGISTER]:
            byod = byod_agreements_from_register(records[BYOD_REGISTER])
            sources[BYOD_REGISTER] = source_name(BYOD_REGISTER)
        if records[DEVICES_REGISTER]:
            devices = devices_from_register(records[DEVICES_REGISTER])
            sources[DEVICES_REGISTER] = source_name(DEVICES_REGISTER)
    return Registers(staff_changes=staff, byod_agreements=byod, group_members=members, devices=devices), sources


def _policies(paths: Sequence[Path], run: _Run) -> list[Policy]:
    out: list[Policy] = []
    for path in paths:
        try:
            items = list(read_policies(path))
        except InputError as exc:  # an unreadable policy file: reported, and its devices judged without it
            run.error(ScanError(target=str(path), path=str(path), message=exc.message))
            run.file_errors += 1
            continue
        for item in items:
            if isinstance(item, ScanError):
                run.error(item)
            else:
                out.append(item)
    return out


def _check_pages(pages: Sequence[Detected], run: _Run) -> None:
    if not pages:
        return
    last_pages = [d.path for d in pages if not has_next_link(d.path)]
    if not last_pages:
        run.error(ScanError(target=str(pages[-1].path), path=str(pages[-1].path),
                            message=f"all {len(pages)} Graph page(s) have @odata.nextLink: the last page is missing, "
                                    "so the export is incomplete"))
        run.file_errors += 1
    elif len(last_pages) > 1:
        run.error(ScanError(target=str(last_pages[1]), path=str(last_pages[1]),
                            message=f"{len(last_pages)} Graph pages have no @odata.nextLink: they come from more "
                                    "than one export (" + ", ".join(p.name for p in last_pages[:5]) + ")"))
        run.file_errors += 1


def scan_fleet(options: FleetScanOptions, *, progress: Progress | None = None,
               sinks: Sequence[DeviceSink] = (), ruleset: RuleSet | None = None) -> tuple[ScanResult, RuleSet]:
    """Judge every device in the exports; InputError (exit 2) only when nothing can be read at all."""
    progress = progress or NoProgress()
    started = datetime.now(UTC)
    if not 0 < options.target_pass_rate <= 1:
        raise InputError(None, f"the target pass rate must be in (0, 1], got {options.target_pass_rate}",
                         field="--target-pass-rate")
    ruleset = ruleset or load_fleet_rules()
    rules = tuple(ruleset.for_scanner(SCANNER))
    baseline = load_baseline(options.baseline_file)
    skipped: list[SkippedFile] = []
    files = expand_paths(options.paths, skipped)
    run = _Run()
    for item in skipped:
        run.error(ScanError(target=str(item.path), path=str(item.path), message=f"skipped: {item.reason}"))
    detected: list[Detected] = []
    policy_files = list(options.policy_paths)
    for path in files:
        try:
            found = detect(path, options.format_in)
        except InputError as exc:
            run.error(ScanError(target=str(path), path=str(path), message=exc.message, field=exc.field))
            run.file_errors += 1
            continue
        if found.format is InputFormat.INTUNE_POLICY:
            policy_files.append(path)
        else:
            detected.append(found)
    policies = _policies(policy_files, run)
    registers, register_sources = _registers(options, run)
    _check_pages([d for d in detected if d.is_graph_page], run)
    today = options.as_of or datetime.now(UTC).date()
    tally = FleetTally(rules)
    findings: list[Finding] = []
    progress.start("devices")
    workers = options.workers or min(2, os.cpu_count() or 1)
    big = sum(d.path.stat().st_size for d in detected) >= options.parallel_min_bytes
    if workers > 1 and not sinks and big:
        setup = Setup(rules, baseline, tuple(policies), registers, today, options.include_passes,
                      options.max_device_findings)
        _run_parallel(plan_units(detected, workers * 2), setup, workers, run, tally, findings, progress)
    else:
        evaluator = FleetEvaluator(rules, CHECKS, baseline, policies, registers, today)
        seen: set[str] = set()
        for item in _stream(detected, run):
            if item.id in seen:
                _duplicate(run, item.source, item.row, item.id)
                continue
            seen.add(item.id)
            judged = evaluator.evaluate(item)
            tally.add(judged)
            for sink in sinks:
                sink.write(judged)
            if len(findings) < options.max_device_findings:
                findings.extend(device_findings(rules, judged, include_passes=options.include_passes))
            if len(seen) % PROGRESS_STEP == 0:
                progress.advance(PROGRESS_STEP)
    progress.finish()
    failed_files = {e.path for e in run.errors if e.row is None}
    for found in detected:
        if run.per_file[str(found.path)] == 0 and str(found.path) not in failed_files:
            run.error(ScanError(target=str(found.path), path=str(found.path),
                                message=f"no device records found (read as {found.format.value})"))
            run.file_errors += 1
    del findings[options.max_device_findings:]
    emitted = sum(1 for f in findings if f.status.value != PASS)
    omitted = max(0, tally.reportable() - emitted)
    fleet = [fleet_finding(tally, i, options.target_pass_rate) for i in range(len(rules))]
    stats = _stats(options, run, tally, detected, policies, registers, baseline_source=options.baseline_file,
                   omitted=omitted, today=today, fleet=fleet)
    stats["register_sources"] = register_sources
    instead = {} if tally.devices else found_instead(tuple(files))
    if not tally.devices:
        # No device judged: the fleet-level verdicts would rest on nothing (a 0-device fleet "passes").
        fleet = []
        if not run.errors:
            run.error(unrecognised_error(SCANNER, instead))
    result = ScanResult(scanner=SCANNER, targets=tuple(str(p) for p in files), findings=(*fleet, *findings),
                        errors=tuple(run.errors), stats=stats,
                        coverage=Coverage(recognised={"device": tally.devices}, found=instead),
                        started_at=started, finished_at=datetime.now(UTC))
    return result, ruleset


def _duplicate(run: _Run, source: str, row: int, device_id: str) -> None:
    run.rejected += 1
    run.error(ScanError(target=source, path=source, row=row, field="id",
                        message=f"duplicate device ID {device_id}: already read, this record is skipped"))


def _run_parallel(units: Sequence[Unit], setup: Setup, workers: int, run: _Run, tally: FleetTally,
                  findings: list[Finding], progress: Progress) -> None:
    """Judge the units in worker processes and merge their tallies in unit order (rows made absolute)."""
    seen: set[str] = set()
    line_offsets: dict[str, int] = {}
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for unit, part in zip(units, pool.map(run_unit, units, [setup] * len(units)), strict=True):
            offset = line_offsets.get(part.source, 0) if unit.end >= 0 else 0
            if unit.end >= 0:
                line_offsets[part.source] = offset + part.lines
            run.read += part.read
            run.per_file[part.source] += part.read
            run.rejected += part.rejected
            run.file_errors += part.file_errors
            for error in part.errors:
                run.error(error.model_copy(update={"row": error.row + offset}) if offset and error.row else error)
            duplicates: set[int] = set()
            if part.unique and seen.isdisjoint(part.ids):  # the usual case: no device ID read twice
                seen.update(part.ids)
                for key, count in zip(part.keys, part.counts, strict=True):
                    tally.add_signature(key, count)
                part.ids = []
            for position, device_id in enumerate(part.ids):
                if device_id in seen:
                    duplicates.add(part.rows[position])
                    _duplicate(run, part.source, part.rows[position] + offset, device_id)
                    continue
                seen.add(device_id)
                tally.add_signature(part.keys[part.sig_index[position]])
            for item in part.results:
                if len(findings) >= setup.keep_results:
                    break
                if item[8] in duplicates:
                    continue
                judged = expand(part.source, item, offset)
                findings.extend(device_findings(setup.rules, judged, include_passes=setup.include_passes))
            progress.advance(len(part.rows))


def _stream(detected: Sequence[Detected], run: _Run) -> Iterator[Any]:
    for found in detected:
        for item in read_devices(found):
            if isinstance(item, ScanError):
                run.error(item)
                if item.row is not None:
                    run.read += 1
                    run.per_file[item.target] += 1
                    run.rejected += 1
                else:
                    run.file_errors += 1
                continue
            run.read += 1
            run.per_file[item.source] += 1
            yield item


def _stats(options: FleetScanOptions, run: _Run, tally: FleetTally, detected: Sequence[Detected],
           policies: Sequence[Policy], registers: Registers, *, baseline_source: Path | None, omitted: int,
           today: date, fleet: Sequence[Finding]) -> dict[str, Any]:
    evaluated = tally.devices
    platforms: Counter[str] = Counter()
    ownership: Counter[str] = Counter()
    for sig, n in tally.signatures.items():
        platforms[sig[0]] += n
        ownership[sig[1]] += n
    return {
        "records_read": run.read,
        "evaluated": evaluated,
        "rejected": run.rejected,
        "reconciled": run.read == evaluated + run.rejected,
        "file_errors": run.file_errors,
        "errors_omitted": run.errors_omitted,
        "device_findings_omitted": omitted,
        "inputs": {str(d.path): d.format.value for d in detected},
        "policies": len(policies),
        "registers": {"staff_changes": registers.staff_changes is not None,
                      "byod_agreements": registers.byod_agreements is not None,
                      "group_members": registers.group_members is not None,
                      "devices": registers.devices is not None},
        "baseline": str(baseline_source) if baseline_source else "default",
        "as_of": today.isoformat(),
        "target_pass_rate": options.target_pass_rate,
        "devices_by_platform": dict(platforms),
        "devices_by_ownership": dict(ownership),
        "fleet": {f.rule_id: {"status": f.status.value, **f.evidence.get("counts", {})}  # type: ignore[dict-item]
                  for f in fleet},
        "fleet_failing_rules": [f.rule_id for f in fleet if f.status.value == FAIL],
    }
