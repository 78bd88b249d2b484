"""Fill a workspace with the benchmark's data: 10,000 devices and 100,000 findings, then a saved assessment."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from csmguard.domain import Finding, FindingStatus, ScanResult, Target, make_fingerprint
from csmguard.domain.finding import Location
from csmguard.registers.models import MobileDevice
from csmguard.registers.specs import get_spec
from csmguard.services.assessment import run_assessment
from csmguard.services.fleet_scan import load_fleet_rules
from csmguard.services.workspace import record_scan
from csmguard.store import registers_repo
from csmguard.store.db import session_scope
from csmguard.workspace import Workspace

DEVICES = 10_000
FINDINGS_PER_DEVICE = 10


def fill(ws: Workspace) -> dict[str, float]:
    """Insert the devices and one fleet scan with 100,000 findings; save an assessment. Seconds per step."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    spec = get_spec("devices")
    with session_scope(ws.engine()) as session:
        for n in range(DEVICES):
            registers_repo.upsert(session, spec, MobileDevice(device_id=f"D{n:05d}", owner=f"user{n % 700}",
                                                              platform="iOS" if n % 2 else "Android",
                                                              mdm_managed=n % 13 != 0, holds_sensitive_data=True))
    timings["devices"] = time.perf_counter() - start
    start = time.perf_counter()
    rules = sorted(load_fleet_rules().for_scanner("fleet"), key=lambda r: r.id)[:FINDINGS_PER_DEVICE]
    findings = []
    now = datetime.now(UTC)
    for n in range(DEVICES):
        target = Target(kind="device", id=f"D{n:05d}")
        for index, rule in enumerate(rules):
            status = FindingStatus.FAIL if (n + index) % 7 == 0 else FindingStatus.PASS
            location = Location(device_id=target.id)
            findings.append(Finding(rule_id=rule.id, status=status, severity=rule.severity,
                                    requirements=tuple(rule.requirements), title=rule.title,
                                    message=rule.title, target=target, location=location,
                                    fingerprint=make_fingerprint(rule.id, target, location), observed_at=now))
    result = ScanResult(scanner="fleet", targets=("bench-intune.json",), findings=tuple(findings),
                        finished_at=datetime.now(UTC))
    record_scan(ws, result, subject="bench-intune.json")
    timings["findings"] = time.perf_counter() - start
    start = time.perf_counter()
    run_assessment(ws)
    timings["assessment"] = time.perf_counter() - start
    return timings
