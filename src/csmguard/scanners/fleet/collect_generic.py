"""The documented generic CSV: one row per device, for any MDM that can export a spreadsheet.

Columns (case-insensitive; only ``device_id`` is required, an empty cell means "not reported"):
device_id, serial, name, user, department, platform, os_version, security_patch (YYYY-MM-DD),
ownership (company/personal), enrollment, user_enrollment, work_profile, supervised, managed,
management_state, encrypted, jailbroken, passcode_present, passcode_compliant, passcode_min_length,
simple_passcode_blocked, auto_lock_minutes, wipe_after_failures, nfc_blocked, bluetooth_restricted,
airdrop_blocked, tethering_blocked, last_checkin (ISO 8601), threat_state, compliance_state,
apps (``;``-separated bundle or package IDs), groups (``;``-separated), holds_sensitive_data.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from csmguard.scanners.fleet.collect_common import DeviceStream, header_key, iter_csv, require_id, to_devices
from csmguard.scanners.fleet.facts import Device
from csmguard.scanners.fleet.values import (
    compliance,
    day,
    int_or_none,
    ownership,
    platform,
    reduced,
    split_list,
    text_or_none,
    timestamp,
    tri,
    user_name,
)

GENERIC_COLUMNS = (
    "device_id", "serial", "name", "user", "department", "platform", "os_version", "security_patch", "ownership",
    "enrollment", "user_enrollment", "work_profile", "supervised", "managed", "management_state", "encrypted",
    "jailbroken", "passcode_present", "passcode_compliant", "passcode_min_length", "simple_passcode_blocked",
    "auto_lock_minutes", "wipe_after_failures", "nfc_blocked", "bluetooth_restricted", "airdrop_blocked",
    "tethering_blocked", "last_checkin", "threat_state", "compliance_state", "apps", "groups", "holds_sensitive_data",
)
ALIASES: dict[str, str] = {header_key(name): name for name in GENERIC_COLUMNS}


def generic_device(raw: Mapping[str, Any], source: str, row: int) -> Device:
    """One generic CSV row as a Device; every cell is checked and a bad one names its column."""
    get = raw.get

    def flag(name: str) -> bool | None:
        return tri(get(name), name)

    apps = get("apps")
    return Device(
        id=require_id(get("device_id"), "device_id"),
        source=source,
        row=row,
        platform=platform(get("platform")),
        serial=text_or_none(get("serial")),
        name=text_or_none(get("name")),
        user=user_name(get("user")),
        department=text_or_none(get("department")),
        os_version=text_or_none(get("os_version")),
        security_patch=day(get("security_patch"), "security_patch"),
        ownership=ownership(get("ownership")),
        enrollment=text_or_none(get("enrollment")),
        user_enrollment=flag("user_enrollment") is True,
        work_profile=flag("work_profile") is True,
        supervised=flag("supervised"),
        managed=flag("managed"),
        management_state=reduced(get("management_state")),
        encrypted=flag("encrypted"),
        jailbroken=flag("jailbroken"),
        passcode_present=flag("passcode_present"),
        passcode_compliant=flag("passcode_compliant"),
        passcode_min_length=int_or_none(get("passcode_min_length"), "passcode_min_length"),
        simple_passcode_blocked=flag("simple_passcode_blocked"),
        auto_lock_minutes=int_or_none(get("auto_lock_minutes"), "auto_lock_minutes"),
        wipe_after_failures=int_or_none(get("wipe_after_failures"), "wipe_after_failures"),
        nfc_blocked=flag("nfc_blocked"),
        bluetooth_restricted=flag("bluetooth_restricted"),
        airdrop_blocked=flag("airdrop_blocked"),
        tethering_blocked=flag("tethering_blocked"),
        last_checkin=timestamp(get("last_checkin"), "last_checkin"),
        threat_state=reduced(get("threat_state")),
        compliance_state=compliance(get("compliance_state")),
        apps=split_list(apps) if apps not in (None, "") else None,
        groups=split_list(get("groups")),
        holds_sensitive_data=flag("holds_sensitive_data"),
    )


def read_generic_csv(path: Path) -> DeviceStream:
    """A generic device CSV (see the module docstring for its columns)."""
    return to_devices(str(path), iter_csv(path, ALIASES, ("device_id",)), generic_device)
