"""The scanners the demo runs on its small inputs, as an explicit registry.

The inputs are shipped under ``data/<scanner>/`` and copied into the demo workspace's ``inputs/``
folder, which each step reads (no network); it returns a scan result to record in the workspace.
Scanners that need live targets are listed in :data:`SKIPPED` with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from csmguard.domain import ScanResult
from csmguard.services.app_scan import scan_app
from csmguard.services.fleet_scan import FleetScanOptions, scan_fleet
from csmguard.services.iac_scan import scan_iac
from csmguard.services.messages_scan import load_messages_rules, scan_messages

ScanStepFn = Callable[[Path, date], ScanResult]  # (inputs folder, day) → result


def scan_demo_iac(inputs: Path, today: date) -> ScanResult:
    """The Terraform of the 行情備援系統 (IaaS)."""
    result, _ = scan_iac([inputs / "iac"])
    return result


def scan_demo_app(inputs: Path, today: date) -> ScanResult:
    """A slice of the trading app's Android source tree."""
    result, _ = scan_app([inputs / "app"])
    return result


def scan_demo_fleet(inputs: Path, today: date) -> ScanResult:
    """An Intune (Microsoft Graph) export of the firm's managed devices."""
    result, _ = scan_fleet(FleetScanOptions(paths=(inputs / "fleet",), as_of=today, workers=1))
    return result


def scan_demo_messages(inputs: Path, today: date) -> ScanResult:
    """The SMS and push message templates."""
    return scan_messages([inputs / "messages"], load_messages_rules())


DEMO_SCANS: dict[str, ScanStepFn] = {
    "iac": scan_demo_iac,
    "app": scan_demo_app,
    "fleet": scan_demo_fleet,
    "messages": scan_demo_messages,
}

SKIPPED: dict[str, tuple[str, str]] = {
    "endpoint": ("需連線至實際主機（TLS/SSH/FTP），示範不連網",
                 "needs live hosts (TLS/SSH/FTP); the demo stays offline"),
}
