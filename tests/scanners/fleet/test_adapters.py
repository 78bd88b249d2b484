"""Each adapter on a realistic sample export: the devices it reads (exact facts) and the records it rejects
(file, row and field named)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from csmguard.domain import ScanError
from csmguard.scanners.fleet.collect_common import DeviceStream
from csmguard.scanners.fleet.collect_generic import read_generic_csv
from csmguard.scanners.fleet.collect_google import read_google
from csmguard.scanners.fleet.collect_intune import read_graph_lines, read_graph_page, read_intune_csv
from csmguard.scanners.fleet.collect_jamf import read_jamf
from csmguard.scanners.fleet.collect_ws1 import read_ws1
from csmguard.scanners.fleet.facts import Device


def split(stream: DeviceStream) -> tuple[dict[str, Device], list[ScanError]]:
    devices: dict[str, Device] = {}
    errors: list[ScanError] = []
    for item in stream:
        if isinstance(item, ScanError):
            errors.append(item)
        else:
            devices[item.id] = item
    return devices, errors


def test_graph_pages(samples: Path) -> None:
    page1, errors1 = split(read_graph_page(samples / "intune-pages" / "managedDevices-page1.json"))
    assert errors1 == []
    alice = page1["0f3a5b7c-1111-4c2e-9a10-000000000001"]
    assert (alice.platform, alice.ownership, alice.user, alice.serial, alice.os_version) == (
        "ios", "company", "alice.lin@firm.com.tw", "F2LXK1AAA1", "18.1")
    assert (alice.supervised, alice.encrypted, alice.jailbroken, alice.managed) == (True, True, False, True)
    assert alice.last_checkin == datetime(2026, 11, 29, 8, 15, 22, 123456, tzinfo=UTC)
    assert (alice.threat_state, alice.compliance_state, alice.user_enrollment) == ("secured", "compliant", False)
    bob = page1["0f3a5b7c-1111-4c2e-9a10-000000000002"]
    assert (bob.ownership, bob.user_enrollment, bob.jailbroken, bob.serial) == ("personal", True, None, None)
    assert bob.compliance_state == "ingraceperiod"
    carol = page1["0f3a5b7c-1111-4c2e-9a10-000000000003"]
    assert (carol.platform, carol.jailbroken, carol.encrypted, carol.work_profile) == ("android", True, False, False)
    assert carol.security_patch == date(2026, 10, 1)
    page2, errors2 = split(read_graph_page(samples / "intune-pages" / "managedDevices-page2.json"))
    assert list(page2) == ["0f3a5b7c-1111-4c2e-9a10-000000000004"]
    assert page2["0f3a5b7c-1111-4c2e-9a10-000000000004"].platform == "windows"
    assert [(e.row, e.field) for e in errors2] == [(2, "jailBroken"), (3, "id")]
    assert "Maybe" in errors2[0].message
    assert all(e.path and e.path.endswith("managedDevices-page2.json") for e in errors2)


def test_graph_json_lines(samples: Path) -> None:
    devices, errors = split(read_graph_lines(samples / "intune-devices.jsonl"))
    assert list(devices) == ["jl-001", "jl-002", "jl-003", "jl-005"]
    assert devices["jl-001"].platform == "ios"  # iPadOS counts as iOS
    assert devices["jl-002"].work_profile is True  # personal Android, Intune user enrollment
    assert devices["jl-003"].managed is False  # Exchange ActiveSync only
    assert devices["jl-005"].management_state == "retirepending"
    assert [(e.row, e.field) for e in errors] == [(5, None)]
    assert "not valid JSON" in errors[0].message


def test_intune_csv_new_and_old_headers_read_the_same(samples: Path) -> None:
    new, new_errors = split(read_intune_csv(samples / "intune-export-new.csv"))
    old, old_errors = split(read_intune_csv(samples / "intune-export-old.csv"))
    assert list(new) == ["csv-001", "csv-002", "csv-003", "csv-004"]
    assert list(old) == ["csv-001", "csv-002", "csv-003"]
    for key in ("csv-001", "csv-002", "csv-003"):
        a, b = new[key], old[key]
        assert (a.platform, a.ownership, a.user, a.encrypted, a.jailbroken, a.supervised, a.managed,
                a.compliance_state, a.os_version, a.last_checkin) == (
                b.platform, b.ownership, b.user, b.encrypted, b.jailbroken, b.supervised, b.managed,
                b.compliance_state, b.os_version, b.last_checkin)
    assert new["csv-002"].user_enrollment is True  # "Account driven user enrollment"
    assert new["csv-004"].work_profile is True  # "Android (personally-owned work profile)"
    assert new["csv-001"].department is None  # "Category" is a device category, not the user's department
    assert new["csv-003"].compliance_state == "noncompliant"
    assert [(e.row, e.field) for e in new_errors] == [(6, "Last check-in")]
    assert [(e.row, e.field) for e in old_errors] == [(4, "Device ID"), (6, None)]
    assert "cells" in old_errors[1].message


def test_jamf(samples: Path) -> None:
    devices, errors = split(read_jamf(samples / "jamf-inventory.json"))
    assert list(devices) == ["101", "102"]
    kate, leo = devices["101"], devices["102"]
    assert (kate.user, kate.department, kate.serial, kate.ownership) == (
        "kate@firm.com.tw", "Trading", "JAMF-SER-101", "company")
    assert (kate.encrypted, kate.jailbroken, kate.passcode_present, kate.apps) == (
        True, False, True, ("com.microsoft.Office.Outlook",))
    assert (leo.user_enrollment, leo.ownership, leo.jailbroken, leo.passcode_present) == (
        True, "personal", True, False)
    assert [(e.row, e.field) for e in errors] == [(3, "general.lastInventoryUpdate")]


def test_workspace_one(samples: Path) -> None:
    devices, errors = split(read_ws1(samples / "ws1-devices.json"))
    assert list(devices) == ["5001", "5002"]
    assert (devices["5001"].ownership, devices["5001"].platform, devices["5001"].encrypted,
            devices["5001"].jailbroken, devices["5001"].department) == ("company", "ios", True, False, "Brokerage")
    assert (devices["5002"].ownership, devices["5002"].managed, devices["5002"].jailbroken,
            devices["5002"].compliance_state) == ("personal", False, True, "noncompliant")
    assert [(e.row, e.field) for e in errors] == [(3, "CompromisedStatus")]


def test_google(samples: Path) -> None:
    devices, errors = split(read_google(samples / "google-devices.json"))
    assert list(devices) == ["AFiQxQ8aaa", "AFiQxQ8bbb"]
    olivia, peter = devices["AFiQxQ8aaa"], devices["AFiQxQ8bbb"]
    assert (olivia.platform, olivia.os_version, olivia.ownership, olivia.encrypted, olivia.jailbroken) == (
        "android", "14", "company", True, False)
    assert olivia.security_patch == date(2025, 11, 1)
    assert olivia.apps == ("com.google.android.gm",)
    assert (peter.platform, peter.ownership, peter.encrypted, peter.jailbroken, peter.passcode_present,
            peter.managed) == ("ios", "personal", None, True, False, False)
    assert [(e.row, e.field) for e in errors] == [(3, "resourceId")]


def test_generic_csv(samples: Path) -> None:
    devices, errors = split(read_generic_csv(samples / "generic.csv"))
    assert list(devices) == ["gen-001", "gen-002"]
    gen1 = devices["gen-001"]
    assert (gen1.holds_sensitive_data, gen1.groups, gen1.apps, gen1.auto_lock_minutes, gen1.wipe_after_failures) == (
        True, ("grp-sensitive",), ("com.microsoft.Office.Outlook", "tw.com.firm.trade"), 2, 6)
    assert devices["gen-002"].nfc_blocked is False
    assert [(e.row, e.field) for e in errors] == [(4, "passcode_min_length")]
