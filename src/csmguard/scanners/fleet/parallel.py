"""Evaluating a large export on several cores: JSON-lines files split at line boundaries and other
files taken whole, each unit read, normalised and judged in a worker process that returns only a compact
tally (distinct signatures + one index per device), its rejected records and the first non-passing results."""

from __future__ import annotations

import gc
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import orjson

from csmguard.domain import ScanError
from csmguard.rules.model import Rule
from csmguard.scanners.fleet.baseline import FleetBaseline
from csmguard.scanners.fleet.checks import CHECKS
from csmguard.scanners.fleet.collect_common import Record, reject, to_devices
from csmguard.scanners.fleet.collect_intune import graph_device
from csmguard.scanners.fleet.collect_registers import Registers
from csmguard.scanners.fleet.detect import Detected, InputFormat, read_devices
from csmguard.scanners.fleet.evaluate import (
    FLEET_ONLY_REASONS,
    DeviceResult,
    FleetEvaluator,
    Signature,
    signature,
    small_key,
)
from csmguard.scanners.fleet.facts import NOT_APPLICABLE, PASS, Device, Policy
from csmguard.scanning.budget import BudgetExceeded, load_json_line

BLOCK = 8 * 1024 * 1024

# What a worker sends back of a device with findings: the facts findings show, and the outcomes. Plain
# tuples pickle an order of magnitude faster than frozen slotted dataclasses.
Compact = tuple[str, str | None, str | None, str, str, str | None, str | None, str | None, int, bool,
                tuple[tuple[str, str, str], ...]]


def compact(result: DeviceResult) -> Compact:
    """The part of a device result that findings need, as plain tuples."""
    d = result.device
    return (d.id, d.name, d.serial, d.platform, d.ownership, d.user, d.department, d.os_version, d.row,
            result.sensitive, result.outcomes)


def expand(source: str, item: Compact, row_offset: int = 0) -> DeviceResult:
    """A device result again from its compact form (rows made absolute with ``row_offset``)."""
    ident, name, serial, plat, owner, user, department, os_version, row, sensitive, outcomes = item
    device = Device(id=ident, source=source, row=row + row_offset, platform=plat, serial=serial, name=name,
                    user=user, department=department, os_version=os_version, ownership=owner)
    return DeviceResult(device, sensitive, outcomes)


@dataclass(frozen=True)
class Setup:
    """What every worker needs to judge devices (pickled to the worker with each unit)."""

    rules: tuple[Rule, ...]
    baseline: FleetBaseline
    policies: tuple[Policy, ...]
    registers: Registers
    today: date
    include_passes: bool
    keep_results: int


@dataclass(frozen=True)
class Unit:
    """A piece of work: a whole file, or the byte range [start, end) of a JSON-lines file."""

    detected: Detected
    start: int = 0
    end: int = -1


@dataclass
class UnitResult:
    """A worker's answer for one unit; rows are relative to the unit's first line for JSON-lines ranges."""

    source: str
    lines: int = 0
    read: int = 0
    rejected: int = 0
    file_errors: int = 0
    keys: list[Signature] = field(default_factory=list)
    sig_index: array[int] = field(default_factory=lambda: array("I"))
    counts: list[int] = field(default_factory=list)  # devices per signature in ``keys``
    unique: bool = True  # no device ID twice within the unit
    ids: list[str] = field(default_factory=list)
    rows: array[int] = field(default_factory=lambda: array("I"))
    results: list[Compact] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)


def plan_units(detected: Sequence[Detected], pieces: int) -> list[Unit]:
    """Units of work: each JSON-lines file cut into ``pieces`` ranges at line starts, other files whole."""
    units: list[Unit] = []
    for found in detected:
        if found.format is not InputFormat.INTUNE_JSONL or pieces < 2:
            units.append(Unit(found))
            continue
        size = found.path.stat().st_size
        cuts = [0]
        with found.path.open("rb") as handle:
            for i in range(1, pieces):
                handle.seek(size * i // pieces)
                handle.readline()
                position = handle.tell()
                if cuts[-1] < position < size:
                    cuts.append(position)
        cuts.append(size)
        units.extend(Unit(found, start, end) for start, end in pairwise(cuts) if end > start)
    return units


def iter_line_range(path: Path, start: int, end: int, counter: list[int]) -> Iterator[Record | ScanError]:
    """JSON objects of the lines in [start, end); ``counter[0]`` ends as the number of lines read."""
    source = str(path)
    row = 0
    rest = b""
    with path.open("rb") as handle:
        handle.seek(start)
        remaining = end - start
        while remaining > 0:
            block = handle.read(min(BLOCK, remaining))
            if not block:
                break
            remaining -= len(block)
            lines = (rest + block).split(b"\n")
            rest = lines.pop()
            for line in lines:
                row += 1
                if not line or line.isspace():  # (no copy of the line, unlike strip)
                    continue
                try:
                    yield row, load_json_line(line)
                except orjson.JSONDecodeError as exc:
                    yield reject(source, f"line is not valid JSON: {str(exc)[:120]}", row=row)
                except BudgetExceeded as exc:
                    yield reject(source, f"line not read: {exc}", row=row)
        if rest.strip():
            row += 1
            try:
                yield row, load_json_line(rest)
            except orjson.JSONDecodeError as exc:
                yield reject(source, f"line is not valid JSON: {str(exc)[:120]}", row=row)
            except BudgetExceeded as exc:
                yield reject(source, f"line not read: {exc}", row=row)
    counter[0] = row


def finding_count(result: DeviceResult, include_passes: bool) -> int:
    """How many findings ``findings.device_findings`` makes of the result (not applicable, passes unless asked,
    and register gaps reported once for the fleet make none)."""
    return sum(1 for verdict, code, _ in result.outcomes
               if verdict != NOT_APPLICABLE and (verdict != PASS or include_passes) and code not in FLEET_ONLY_REASONS)


def run_unit(unit: Unit, setup: Setup) -> UnitResult:
    """Read, normalise and judge one unit (runs in a worker process)."""
    path = unit.detected.path
    out = UnitResult(source=str(path))
    evaluator = FleetEvaluator(setup.rules, CHECKS, setup.baseline, setup.policies, setup.registers, setup.today)
    counter = [0]
    if unit.end >= 0:
        stream = to_devices(out.source, iter_line_range(path, unit.start, unit.end, counter), graph_device)
    else:
        stream = read_devices(unit.detected)
    index: dict[tuple[Any, ...], int] = {}
    counts = out.counts
    findings = 0  # the main process stops at keep_results findings, so no unit needs to send more
    local: set[str] = set()
    gc.freeze()  # the worker's inherited objects (rules, catalog) need no more garbage-collector passes
    for item in stream:
        if isinstance(item, ScanError):
            out.errors.append(item)
            if item.row is not None:
                out.read += 1
                out.rejected += 1
            else:
                out.file_errors += 1
            continue
        out.read += 1
        judged = evaluator.evaluate(item)
        key = small_key(judged)
        position = index.get(key)
        if position is None:
            position = index[key] = len(out.keys)
            out.keys.append(signature(judged))
            counts.append(0)
        counts[position] += 1
        out.sig_index.append(position)
        out.ids.append(item.id)
        out.rows.append(item.row)
        repeated = item.id in local
        local.add(item.id)
        if findings < setup.keep_results and not repeated:  # (a repeat across units can leave the cap short)
            made = finding_count(judged, setup.include_passes)
            if made:
                findings += made
                out.results.append(compact(judged))
    out.lines = counter[0]
    out.unique = len(local) == len(out.ids)
    return out
