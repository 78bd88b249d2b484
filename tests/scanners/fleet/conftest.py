"""Helpers for the fleet scanner tests: the sample exports folder and a sink that keeps device results."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from csmguard.rules.loader import RuleSet
from csmguard.scanners.fleet.evaluate import DeviceResult
from csmguard.services.fleet_scan import load_fleet_rules

SAMPLES = Path(__file__).parent / "samples"
AS_OF = date(2026, 11, 30)


class KeepSink:
    """Keeps every device result, keyed by device ID (tests only: a real run streams them to a file)."""

    def __init__(self) -> None:
        self.results: dict[str, DeviceResult] = {}

    def write(self, result: DeviceResult) -> None:
        self.results[result.device.id] = result

    def close(self) -> None:
        pass


@pytest.fixture()
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def fleet_rules() -> RuleSet:
    """The DEV rules, loaded once for the session."""
    return load_fleet_rules()
