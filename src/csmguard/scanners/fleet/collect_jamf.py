"""Jamf Pro mobile device inventory JSON (API ``/v2/mobile-devices/detail`` results or Classic API
``mobile_devices``), camelCase or snake_case."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from csmguard.scanners.fleet.collect_common import DeviceStream, iter_json_items, require_id, to_devices
from csmguard.scanners.fleet.facts import Device
from csmguard.scanners.fleet.values import (
    day,
    ownership,
    platform,
    reduced,
    split_list,
    text_or_none,
    timestamp,
    tri,
    user_name,
)


def _pick(section: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        if name in section:
            return section[name]
    return None


def _section(raw: Mapping[str, Any], *names: str) -> Mapping[str, Any]:
    for name in names:
        value = raw.get(name)
        if isinstance(value, dict):
            return value
    return {}


def _jailbreak(value: object) -> bool | None:
    word = reduced(value)
    if word in {"jailbroken", "yes", "true", "detected"}:
        return True
    if word in {"normal", "no", "false", "notjailbroken", "notdetected"}:
        return False
    return tri(value, "security.jailbreakStatus") if word not in {None, "unknown"} else None


def jamf_device(raw: Mapping[str, Any], source: str, row: int) -> Device:
    """One Jamf Pro mobile device record as a Device."""
    general = _section(raw, "general")
    hardware = _section(raw, "hardware")
    user = _section(raw, "userAndLocation", "location")
    security = _section(raw, "security")
    ident = _pick(raw, "mobileDeviceId", "id") or _pick(general, "id", "udid")
    owner_word = _pick(general, "deviceOwnershipType", "deviceOwnershipLevel", "device_ownership_level",
                       "ownershipType") or raw.get("deviceOwnershipType")
    enrollment = text_or_none(_pick(general, "enrollmentMethod", "enrollmentType", "enrollment_method") or owner_word)
    plat = platform(raw.get("deviceType") or _pick(general, "platform", "os_type") or "iOS")
    user_enrollment = reduced(owner_word) == "userenrollment" or "userenrollment" in (reduced(enrollment) or "")
    apps_raw = raw.get("applications")
    apps: tuple[str, ...] | None = None
    if isinstance(apps_raw, list):
        apps = tuple(str(a.get("identifier") or a.get("bundleId") or a.get("application_identifier") or a.get("name"))
                     for a in apps_raw if isinstance(a, dict))
    elif isinstance(apps_raw, dict) and isinstance(apps_raw.get("application"), list):
        apps = tuple(str(a.get("identifier") or a.get("application_identifier")) for a in apps_raw["application"])
    groups_raw = raw.get("groups") or raw.get("mobileDeviceGroups") or raw.get("mobile_device_groups")
    groups = tuple(str(g.get("id") or g.get("name")) for g in groups_raw if isinstance(g, dict)) \
        if isinstance(groups_raw, list) else split_list(groups_raw)
    return Device(
        id=require_id(ident, "mobileDeviceId"),
        source=source,
        row=row,
        platform=plat,
        serial=text_or_none(_pick(hardware, "serialNumber", "serial_number") or _pick(general, "serial_number")),
        name=text_or_none(_pick(general, "displayName", "name", "device_name")),
        user=user_name(_pick(user, "emailAddress", "email_address", "username")),
        department=text_or_none(_pick(user, "department")),
        os_version=text_or_none(_pick(general, "osVersion", "os_version")),
        ownership=ownership(owner_word),
        enrollment=enrollment,
        user_enrollment=user_enrollment,
        supervised=tri(_pick(general, "supervised"), "general.supervised"),
        managed=tri(_pick(general, "managed"), "general.managed"),
        management_agent="jamf",
        encrypted=tri(_pick(security, "dataProtected", "dataProtection", "data_protection", "hardwareEncryption"),
                      "security.dataProtection"),
        jailbroken=_jailbreak(_pick(security, "jailbreakStatus", "jailBreakDetected", "jailbreak_detected")),
        passcode_present=tri(_pick(security, "passcodePresent", "passcode_present"), "security.passcodePresent"),
        passcode_compliant=tri(_pick(security, "passcodeCompliant", "passcodeCompliantWithProfile",
                                     "passcode_compliant"), "security.passcodeCompliant"),
        last_checkin=timestamp(_pick(general, "lastInventoryUpdateDate", "lastInventoryUpdateTimestamp",
                                     "last_inventory_update_utc", "lastInventoryUpdate"),
                               "general.lastInventoryUpdate"),
        apps=apps,
        groups=groups,
        security_patch=day(_pick(general, "securityPatchLevel"), "general.securityPatchLevel"),
        holds_sensitive_data=tri(raw.get("holdsSensitiveData"), "holdsSensitiveData"),
    )


def read_jamf(path: Path, prefix: str = "results.item") -> DeviceStream:
    """A Jamf Pro inventory file; ``prefix`` is where the device list is (``results``, ``mobile_devices``, …)."""
    return to_devices(str(path), iter_json_items(path, prefix), jamf_device)
