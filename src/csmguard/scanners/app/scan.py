"""Runs the app rules on one target: collects items one at a time, applies every rule, assembles findings.

Everything that can be compiled (regexes, detectors) is compiled once in :class:`AppScanner`; each text unit
is visited once per applicable rule and then dropped, so memory stays bounded by the largest single entry.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from csmguard.domain import Finding, FindingStatus, LocalizedText, Location, ScanError, Target
from csmguard.rules.model import Rule
from csmguard.scanners.app.checks import CONFIG_CHECKS, TEXT_CHECKS, TextCheckContext
from csmguard.scanners.app.collect import CollectStats, Item, read_source_file, source_files
from csmguard.scanners.app.collect_archive import archive_kind, collect_archive
from csmguard.scanners.app.facts import (
    SOURCE_KINDS,
    AtsFacts,
    ManifestFacts,
    NetworkConfigFacts,
    TargetConfig,
    TextUnit,
)
from csmguard.scanners.app.flow import Resolver
from csmguard.scanners.app.flowchecks import FLOW_CHECKS, FLOW_TRIGGERS, FlowHit, triggered
from csmguard.scanners.app.lower.frontends import FRONTENDS, lower_unit
from csmguard.scanners.app.patterns import Hit, PatternRule, compile_condition, unit_hits
from csmguard.scanners.app.program import ProgramFile
from csmguard.scanning.budget import BudgetExceeded
from csmguard.scanning.progress import NoProgress, Progress
from csmguard.scanning.safezip import ZipLimits
from csmguard.scanning.walk import DEFAULT_MAX_FILE_BYTES, WalkedFile


@dataclass(frozen=True)
class AppScanOptions:
    """What to leave out of source trees, the per-file size cap, and the archive caps."""

    excludes: tuple[str, ...] = ()
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    zip_limits: ZipLimits = field(default_factory=ZipLimits)
    jobs: int = 1  # worker processes for large source trees: 1 = none (default), 0 = one per CPU


@dataclass
class Partial:
    """What scanning some of a target's items produced; partials of parallel workers merge into one."""

    stats: CollectStats = field(default_factory=CollectStats)
    errors: list[ScanError] = field(default_factory=list)
    findings: dict[str, Finding] = field(default_factory=dict)
    manifests: list[ManifestFacts] = field(default_factory=list)
    networks: list[NetworkConfigFacts] = field(default_factory=list)
    ats: list[AtsFacts] = field(default_factory=list)
    applied: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)
    present: dict[str, str] = field(default_factory=dict)
    # (rule, path, method) → the kind of bytecode text that found it first: the DEX text and the bytecode view
    # of one method may show one weakness twice, and it is reported once
    located: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def merge(self, other: Partial) -> None:
        """Add ``other`` to this partial."""
        for name in ("files_read", "files_scanned", "files_rejected", "files_ignored", "bytes_scanned", "app_files",
                     "script_files", "hybrid_markers"):
            setattr(self.stats, name, getattr(self.stats, name) + getattr(other.stats, name))
        self.stats.platforms |= other.stats.platforms
        self.errors.extend(other.errors)
        for key, finding in other.findings.items():
            self.findings.setdefault(key, finding)
        self.manifests.extend(other.manifests)
        self.networks.extend(other.networks)
        self.ats.extend(other.ats)
        self.applied |= other.applied
        self.failed |= other.failed
        for key, where in other.present.items():
            self.present.setdefault(key, where)
        for site, kind in other.located.items():
            self.located.setdefault(site, kind)


@dataclass(frozen=True)
class TargetOutcome:
    """The findings, errors and counts of one target."""

    findings: tuple[Finding, ...]
    errors: tuple[ScanError, ...]
    stats: dict[str, object]
    target: Target | None = None  # None when the input was not recognised as an app
    examined: tuple[str, ...] = ()  # the rules that examined the target


def hit_finding(hit: Hit, target: Target, occurrence: int = 0) -> Finding:
    """The failing finding of a hit, located by path and (in source files) line; ``occurrence`` tells apart
    identical matches in one file (the n-th repeat) without putting the line into the fingerprint."""
    unit = hit.unit
    site = unit.sites.at(hit.start) if unit.sites is not None else None
    if unit.sites is not None:
        line = site.line if site is not None else None
    else:
        line = unit.line_of(hit.start) if unit.kind in SOURCE_KINDS else None
    values: dict[str, object] = {"snippet": "", "detail": "", "kind": "", "redacted": "", "url": "", "context": "",
                                 "context_zh": "", "host": "", **hit.values, "path": unit.path, "line": line or "-"}
    evidence: dict[str, object] = dict(hit.evidence)
    if site is not None:
        values["method"] = evidence["method"] = site.method
        values["class"] = evidence["class"] = site.cls
    location = Location(path=unit.path, line=line, resource=site.symbol if site is not None else None)
    return hit.rule.finding(FindingStatus.FAIL, target, location, values=values,
                            evidence=evidence,  # type: ignore[arg-type]
                            key=hit.key if not occurrence else f"{hit.key}#{occurrence}")


def flow_finding(hit: FlowHit, target: Target, bytecode: bool = False) -> Finding:
    """The failing finding of a program-model hit, located by path, line, class and method; a source→sink hit
    carries its flow (source first) in the evidence, which the SARIF writer turns into ``codeFlows``."""
    where = f"{hit.cls}.{hit.method}"
    snippet = f"{hit.detail} — {where}"
    values: dict[str, object] = {"snippet": snippet, "detail": snippet, "kind": "", "redacted": snippet, "url": "",
                                 "context": "key or password", "context_zh": "金鑰或密碼", "host": "",
                                 "path": hit.path, "line": hit.line or "-"}
    evidence: dict[str, object] = {"snippet": snippet, "class": hit.cls, "method": hit.method}
    if hit.steps:
        evidence["flow"] = [{"line": s.line, "label": s.label[:120]} for s in hit.steps]
        evidence["source"] = hit.steps[0].label[:120]
    location = Location(path=hit.path, line=hit.line or None, resource=where if bytecode else None)
    return hit.rule.finding(FindingStatus.FAIL, target, location, values=values,
                            evidence=evidence,  # type: ignore[arg-type]
                            key=f"flow:{where}:{hit.key}")


PARALLEL_MIN_FILES = 400


def _counted_errors(errors: list[ScanError], stats: CollectStats) -> Iterator[Item]:
    for error in errors:
        stats.files_read += 1
        stats.files_rejected += 1
        yield error


def scan_chunk(rules: tuple[Rule, ...], files: list[WalkedFile], target: Target) -> Partial:
    """Scan some files of a source tree in a worker process (rules are compiled in the worker)."""
    scanner = AppScanner(rules)
    part = Partial()
    items = (item for walked in files for item in read_source_file(walked, target.id, part.stats))
    scanner.consume(items, target, part, NoProgress())
    return part


class AppScanner:
    """The app rules compiled for a run."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self.ctx = TextCheckContext()
        self.pattern_rules: list[PatternRule] = []
        self.absent_rules: list[PatternRule] = []
        self.text_rules: list[Rule] = []
        self.config_rules: list[Rule] = []
        self.flow_rules: list[Rule] = []
        for rule in rules:
            unknown = [name for name in rule.flow if name not in FLOW_CHECKS]
            if unknown:
                raise ValueError(f"rule {rule.id} names unknown flow checks: {', '.join(unknown)}")
            if rule.flow:
                self.flow_rules.append(rule)
            if rule.condition is not None:
                compiled = compile_condition(rule)
                (self.absent_rules if compiled.absent else self.pattern_rules).append(compiled)
            elif rule.check in TEXT_CHECKS:
                self.text_rules.append(rule)
            elif rule.check in CONFIG_CHECKS:
                self.config_rules.append(rule)
        self.trigger_groups = tuple(dict.fromkeys(FLOW_TRIGGERS[name] for r in self.flow_rules for name in r.flow))

    def _text_hits(self, unit: TextUnit, applied: set[str]) -> Iterator[Hit]:
        # (the bytecode view counts as parsed: the DEX file's program model went through the flow checks)
        parsed = unit.kind in FRONTENDS
        for prule in self.pattern_rules:
            if parsed and prule.rule.flow:
                continue  # the rule's program-model checks replace its patterns for parsed languages
            if any(unit.kind in block.kinds for block in prule.blocks):
                applied.add(prule.rule.id)
                yield from unit_hits(prule, unit)
        for rule in self.text_rules:
            if unit.sites is not None and parsed and rule.flow:
                continue  # on the bytecode view, a rule's program-model checks replace its text check too
            applied.add(rule.id)
            yield from TEXT_CHECKS[rule.check or ""](rule, unit, self.ctx)

    def consume(self, items: Iterable[Item], target: Target, part: Partial, progress: Progress) -> None:
        """Apply the rules to collected items, one at a time, accumulating into ``part``."""
        for item in items:
            if isinstance(item, ScanError):
                part.errors.append(item)
            elif isinstance(item, ManifestFacts):
                part.manifests.append(item)
            elif isinstance(item, NetworkConfigFacts):
                part.networks.append(item)
            elif isinstance(item, AtsFacts):
                part.ats.append(item)
            elif isinstance(item, ProgramFile):
                part.applied.update(rule.id for rule in self.flow_rules)
                self._run_model(item, target, part, bytecode=True)
            else:
                repeats: dict[tuple[str, str], int] = {}
                flow_lines = self._flow(item, target, part)
                for hit in self._text_hits(item, part.applied):
                    if item.sites is not None:
                        if self._seen_elsewhere(hit, item, part):
                            continue
                    elif (hit.rule.id, item.line_of(hit.start) if item.kind in SOURCE_KINDS else -1) in flow_lines:
                        continue  # the same line already reported by the rule's program-model check
                    seen = repeats.get((hit.rule.id, hit.key), 0)
                    repeats[(hit.rule.id, hit.key)] = seen + 1
                    finding = hit_finding(hit, target, seen)
                    part.findings.setdefault(finding.fingerprint, finding)
                    part.failed.add(hit.rule.id)
                for prule in self.absent_rules:
                    if prule.rule.id not in part.present:
                        for hit in unit_hits(prule, item, first_only=True):
                            part.present[prule.rule.id] = f"{item.path}: {hit.values['snippet'][:100]}"
                            break
                progress.advance()

    @staticmethod
    def _seen_elsewhere(hit: Hit, unit: TextUnit, part: Partial) -> bool:
        """Whether the other bytecode text of the same method already gave this rule a hit."""
        site = unit.sites.at(hit.start) if unit.sites is not None else None
        if site is None:
            return False
        first = part.located.setdefault((hit.rule.id, unit.path, site.symbol.split("(", 1)[0]), unit.kind)
        return first != unit.kind

    def _flow(self, unit: TextUnit, target: Target, part: Partial) -> set[tuple[str, int]]:
        """Run the program-model checks on a source unit that a frontend reads; the (rule, line) pairs found."""
        if not self.flow_rules or unit.kind not in FRONTENDS or unit.sites is not None:
            return set()  # (text made from bytecode is not source to parse)
        part.applied.update(rule.id for rule in self.flow_rules)  # the trigger test is part of every check
        lowered = unit.text.lower()
        if not any(triggered(lowered, groups) for groups in self.trigger_groups):
            return set()
        try:
            model = lower_unit(unit.kind, unit.path, unit.text, self.trigger_groups)
        except (BudgetExceeded, RecursionError) as exc:
            part.errors.append(ScanError(target=target.id, path=unit.path,
                                         message=f"not analysed as a program: {exc}"))
            return set()
        if model is None:
            return set()
        return self._run_model(model, target, part)

    def _run_model(self, model: ProgramFile, target: Target, part: Partial, bytecode: bool = False
                   ) -> set[tuple[str, int]]:
        """Run the program-model checks on a lowered file; the (rule, line) pairs found. For bytecode each hit
        also marks its (rule, method), so that the DEX text and bytecode view do not report it again."""
        resolver = Resolver(model)
        found: set[tuple[str, int]] = set()
        repeats: dict[str, int] = {}
        for rule in self.flow_rules:
            for name in rule.flow:
                for hit in FLOW_CHECKS[name](rule, model, resolver):
                    finding = flow_finding(hit, target, bytecode)
                    seen = repeats.get(finding.fingerprint, 0)
                    repeats[finding.fingerprint] = seen + 1
                    if seen:
                        finding = flow_finding(hit._replace_key(f"{hit.key}#{seen}"), target, bytecode)
                    if bytecode:
                        part.located.setdefault((rule.id, model.path, f"{hit.cls}.{hit.method}"), "flow")
                    part.findings.setdefault(finding.fingerprint, finding)
                    part.failed.add(rule.id)
                    found.add((rule.id, hit.line))
        return found

    def _consume_parallel(self, files: list[WalkedFile], target: Target, options: AppScanOptions, part: Partial,
                          progress: Progress) -> None:
        jobs = options.jobs if options.jobs > 0 else max(1, os.cpu_count() or 1)
        size = max(32, len(files) // (jobs * 6) + 1)
        chunks = [files[i:i + size] for i in range(0, len(files), size)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(scan_chunk, self.rules, chunk, target) for chunk in chunks]
            for future in futures:
                other = future.result()
                part.merge(other)
                progress.advance(other.stats.files_read)

    def scan_target(self, path: Path, options: AppScanOptions, progress: Progress | None = None) -> TargetOutcome:
        """Scan one package file or source tree (or single source file)."""
        progress = progress or NoProgress()
        label = str(path)
        stats = CollectStats()
        errors: list[ScanError] = []
        if not path.exists():
            return TargetOutcome((), (ScanError(target=label, message="no such file or folder"),), {})
        kind = archive_kind(path) if path.is_file() else None
        target = Target(kind=kind or "source", id=label, name=path.name)
        part = Partial(stats=stats, errors=errors)
        if kind is not None:
            progress.start(f"{path.name}", None)
            self.consume(collect_archive(path, kind, label, stats, options.zip_limits), target, part, progress)
        else:
            files, walk_errors, ignored = source_files(path, options.excludes, options.max_file_bytes, label)
            stats.files_ignored += ignored
            progress.start(f"{path.name}", len(files))
            self.consume(_counted_errors(walk_errors, stats), target, part, progress)
            if options.jobs != 1 and len(files) >= PARALLEL_MIN_FILES:
                self._consume_parallel(files, target, options, part, progress)
            else:
                items = (item for walked in files for item in read_source_file(walked, label, stats))
                self.consume(items, target, part, progress)
        progress.finish()
        if kind is not None:
            recognised = bool(stats.platforms) or stats.app_files > 0
        elif path.is_file():
            # a file named on its own is app code when it is code, a manifest or an Android resource; a lone
            # configuration file (JSON, YAML, PEM …) is no app, and rules passing on it would be a false 符合
            recognised = stats.app_files > 0 or stats.script_files > 0
        else:
            recognised = stats.app_units > 0
        counts: dict[str, object] = {
            "kind": target.kind, "files_read": stats.files_read, "files_scanned": stats.files_scanned,
            "files_rejected": stats.files_rejected, "files_ignored": stats.files_ignored,
            "bytes_scanned": stats.bytes_scanned, "platforms": sorted(stats.platforms), "recognised": recognised,
            "app_files": stats.app_units}
        if not recognised:
            # Nothing of an app here: no rule examined anything, so no verdict, not even a pass.
            return TargetOutcome((), tuple(errors), counts)
        out = list(part.findings.values())
        for rule_id in sorted(part.applied - part.failed):
            rule = next(r for r in (*[p.rule for p in self.pattern_rules], *self.text_rules, *self.flow_rules)
                        if r.id == rule_id)
            out.append(rule.finding(FindingStatus.PASS, target, message=LocalizedText.model_validate(
                {"zh-TW": f"{rule.title.zh_tw}：未發現", "en": f"{rule.title.en}: none found"}), key="pass"))
        config = TargetConfig(tuple(part.manifests), tuple(part.networks), tuple(part.ats))
        for rule in self.config_rules:
            out.extend(CONFIG_CHECKS[rule.check or ""](rule, config, target))
        if stats.files_scanned:
            out.extend(self._absent_findings(target, stats.platforms, part.present))
        ran = part.applied | {f.rule_id for f in out}
        return TargetOutcome(tuple(out), tuple(errors), counts, target, tuple(sorted(ran)))

    def _absent_findings(self, target: Target, platforms: set[str], present: dict[str, str]) -> list[Finding]:
        out: list[Finding] = []
        for prule in self.absent_rules:
            if prule.platform != "any" and platforms and prule.platform not in platforms:
                continue
            rule = prule.rule
            where = present.get(rule.id)
            if where is not None:
                out.append(rule.finding(FindingStatus.PASS, target, message=LocalizedText.model_validate(
                    {"zh-TW": f"已發現相關控制：{where}", "en": f"Control found: {where}"}),
                    evidence={"found": where[:300]}, key="present"))
            else:
                out.append(rule.finding(FindingStatus.MANUAL, target, key="absent"))
        return out
