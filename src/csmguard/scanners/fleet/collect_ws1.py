"""Workspace ONE UEM device search JSON (``/api/mdm/devices/search``: ``{"Devices": [...]}``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from csmguard.scanners.fleet.collect_common import DeviceStream, iter_json_items, require_id, to_devices
from csmguard.scanners.fleet.facts import Device
from csmguard.scanners.fleet.values import (
    compliance,
    ownership,
    platform,
    reduced,
    split_list,
    text_or_none,
    timestamp,
    tri,
    user_name,
)


def ws1_device(raw: Mapping[str, Any], source: str, row: int) -> Device:
    """One Workspace ONE device record as a Device (``Ownership`` C/E/S, ``CompromisedStatus`` bool)."""
    get = raw.get
    enrollment = reduced(get("EnrollmentStatus"))
    plat = platform(get("Platform"))
    enrolled = None if enrollment is None else enrollment == "enrolled"
    encrypted = get("DataEncryptionYN") if "DataEncryptionYN" in raw else get("IsDeviceEncrypted")
    return Device(
        id=require_id(get("Id") or get("Udid"), "Id"),
        source=source,
        row=row,
        platform=plat,
        serial=text_or_none(get("SerialNumber")),
        name=text_or_none(get("DeviceFriendlyName")),
        user=user_name(get("UserEmailAddress") or get("UserName")),
        department=text_or_none(get("Department") or get("LocationGroupName")),
        os_version=text_or_none(get("OperatingSystem")),
        ownership=ownership(get("Ownership")),
        enrollment=text_or_none(get("EnrollmentType") or get("EnrollmentStatus")),
        user_enrollment=reduced(get("EnrollmentType")) == "userenrollment",
        supervised=tri(get("IsSupervised"), "IsSupervised"),
        managed=enrolled,
        management_agent="workspaceone",
        management_state=enrollment,
        encrypted=tri(encrypted, "DataEncryptionYN"),
        jailbroken=tri(get("CompromisedStatus"), "CompromisedStatus"),
        passcode_present=tri(get("IsPasscodePresent"), "IsPasscodePresent"),
        passcode_compliant=tri(get("IsPasscodeCompliant"), "IsPasscodeCompliant"),
        last_checkin=timestamp(get("LastSeen"), "LastSeen"),
        compliance_state=compliance(get("ComplianceStatus")),
        groups=split_list(get("SmartGroups") or get("Groups")),
        holds_sensitive_data=tri(get("HoldsSensitiveData"), "HoldsSensitiveData"),
    )


def read_ws1(path: Path, prefix: str = "Devices.item") -> DeviceStream:
    """A Workspace ONE device search response (or a plain array of its device objects)."""
    return to_devices(str(path), iter_json_items(path, prefix), ws1_device)
