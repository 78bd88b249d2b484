"""Google Workspace mobile devices JSON (Directory API ``mobiledevices.list``: ``{"mobiledevices": [...]}``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from csmguard.scanners.fleet.collect_common import DeviceStream, iter_json_items, require_id, to_devices
from csmguard.scanners.fleet.facts import Device
from csmguard.scanners.fleet.values import (
    FieldError,
    day,
    ownership,
    platform,
    reduced,
    text_or_none,
    timestamp,
    tri,
    user_name,
)


def _compromised(value: object) -> bool | None:
    word = reduced(value)
    if word in {"compromised", "compromisedsuspected", "compromisedetected"}:
        return True
    if word in {"nocompromisedetected", "notcompromised", "nocompromise", "undetected"}:
        return False
    return None


def _encryption(value: object) -> bool | None:
    word = reduced(value)
    if word in {"encrypted"}:
        return True
    if word in {"notencrypted", "unencrypted"}:
        return False
    return None


def google_device(raw: Mapping[str, Any], source: str, row: int) -> Device:
    """One Directory API MobileDevice resource as a Device."""
    get = raw.get
    kind = reduced(get("type")) or ""
    os_label = text_or_none(get("os"))
    plat = platform(kind if kind.startswith(("android", "ios")) else os_label)
    os_version = os_label.split(" ", 1)[1] if os_label and " " in os_label else os_label
    apps = get("applications")
    if apps is not None and not isinstance(apps, list):
        raise FieldError("applications", "expected a list of applications")
    status = reduced(get("status"))
    management = reduced(get("managementType"))
    managed = None if management is None else management in {"advanced", "endpointverification", "fullymanaged"}
    return Device(
        id=require_id(get("resourceId") or get("deviceId"), "resourceId"),
        source=source,
        row=row,
        platform=plat,
        serial=text_or_none(get("serialNumber")),
        name=text_or_none(get("model")),
        user=user_name(get("email")),
        department=text_or_none(get("department")),
        os_version=os_version,
        security_patch=day(get("securityPatchLevel"), "securityPatchLevel") if get("securityPatchLevel") not in
        (None, "", "0") else None,
        ownership=ownership(get("ownerType")),
        enrollment=text_or_none(get("managementType")),
        work_profile=plat == "android" and reduced(get("ownerType")) == "userowned"
        and tri(get("supportsWorkProfile"), "supportsWorkProfile") is True,
        managed=managed,
        management_agent="google",
        management_state=status,
        encrypted=_encryption(get("encryptionStatus")),
        jailbroken=_compromised(get("deviceCompromisedStatus")),
        passcode_present=tri(get("devicePasswordStatus"), "devicePasswordStatus"),
        last_checkin=timestamp(get("lastSync"), "lastSync"),
        apps=tuple(str(a.get("packageName") or a.get("displayName")) for a in apps if isinstance(a, dict))
        if apps is not None else None,
        holds_sensitive_data=tri(get("holdsSensitiveData"), "holdsSensitiveData"),
    )


def read_google(path: Path, prefix: str = "mobiledevices.item") -> DeviceStream:
    """A Google Workspace mobile devices export (one ``mobiledevices.list`` page, or an array)."""
    return to_devices(str(path), iter_json_items(path, prefix), google_device)
