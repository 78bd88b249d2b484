"""Fuzz harnesses of the MDM export readers (JSON arrays, Graph pages, JSON lines, CSV): a reader yields
devices or ScanErrors naming the file, never raises."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from hypothesis import example, given

from csmguard.domain import ScanError
from csmguard.scanners.fleet.collect_generic import read_generic_csv
from csmguard.scanners.fleet.collect_intune import read_graph_json, read_graph_lines, read_intune_csv
from csmguard.scanners.fleet.facts import Device
from tests.fuzz.strategies import inputs
from tests.hostile import payloads

DEVICE = {"id": "dev-1", "deviceName": "iPhone", "operatingSystem": "iOS", "osVersion": "17.1",
          "complianceState": "compliant", "isEncrypted": True, "jailBroken": "False",
          "managedDeviceOwnerType": "company",
          "lastSyncDateTime": "2026-11-01T00:00:00Z", "detectedApps": [{"displayName": "LINE"}]}
GRAPH = json.dumps([DEVICE, {**DEVICE, "id": "dev-2", "isEncrypted": False}]).encode()
LINES = b"\n".join(json.dumps({**DEVICE, "id": f"d{i}"}).encode() for i in range(3))
INTUNE_CSV = (b"Device ID,Device name,OS,OS version,Compliance,Encrypted,Jailbroken,Ownership,Last check-in\n"
              b"d1,iPhone,iOS,17.1,Compliant,Yes,No,Corporate,2026-11-01\n")
GENERIC_CSV = b"device_id,platform,os_version,encrypted,passcode,owner\nd1,ios,17.1,true,true,a@example.com\n"


def _read(reader: Callable[[Path], Iterable[Device | ScanError]], data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "export" + suffix)
        path.write_bytes(data)
        for item in reader(path):
            assert isinstance(item, Device | ScanError)
            if isinstance(item, ScanError):
                assert item.path == str(path) and item.message


@given(inputs(GRAPH))
@example(payloads.deep_mdm_json(20_000))  # memory grew with the square of the depth before the gauge
def test_graph_json(data: bytes) -> None:
    _read(read_graph_json, data, ".json")


@given(inputs(LINES))
@example(b'{"id": "a", "x": ' + payloads.deep_json(5000) + b"}")
def test_graph_lines(data: bytes) -> None:
    _read(read_graph_lines, data, ".jsonl")


@given(inputs(INTUNE_CSV))
@example(INTUNE_CSV + b"d2," + b"x" * (11 * 1024 * 1024) + b"\n")  # a field past the CSV field cap
def test_intune_csv(data: bytes) -> None:
    _read(read_intune_csv, data, ".csv")


@given(inputs(GENERIC_CSV))
def test_generic_csv(data: bytes) -> None:
    _read(read_generic_csv, data, ".csv")
