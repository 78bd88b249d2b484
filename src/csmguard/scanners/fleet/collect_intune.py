"""Intune exports: Microsoft Graph ``managedDevice`` JSON (array, ``value`` pages, JSON lines) and the
admin-center CSV export (old and new column names)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from csmguard.scanners.fleet.collect_common import (
    DeviceStream,
    iter_csv,
    iter_json_items,
    iter_json_lines,
    require_id,
    to_devices,
)
from csmguard.scanners.fleet.facts import ANDROID, IOS, PERSONAL, Device
from csmguard.scanners.fleet.values import (
    FieldError,
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

MDM_AGENTS = frozenset({"mdm", "easmdm", "intuneclient", "easintuneclient", "configurationmanagerclient",
                        "configurationmanagerclientmdm", "configurationmanagerclientmdmeas", "jamf",
                        "googleclouddevicepolicycontroller", "microsoft365managedmdm", "intuneaosp", "intune",
                        "comanaged", "msintune"})
APPLE_USER_ENROLLMENT = frozenset({"appleuserenrollment", "appleuserenrollmentwithserviceaccount",
                                   "accountdrivenuserenrollment", "iosuserenrollment"})


@lru_cache(maxsize=1024)
def managed_flag(agent: str | None, state: str | None) -> bool | None:
    """Whether an MDM manages the device: by its management agent, else by its management state."""
    if agent:
        if agent in MDM_AGENTS or "mdm" in agent or "intune" in agent:
            return True
        if agent == "eas":
            return False
    if state == "managed":
        return True
    return None


@lru_cache(maxsize=4096)
def enrollment_facts(plat: str, enrollment: str | None, owner: str, os_label: str | None) -> tuple[bool, bool]:
    """(iOS user enrollment, Android work profile) from the enrollment type and the OS label."""
    key = reduced(enrollment) or ""
    label = reduced(os_label) or ""
    user_enrollment = plat == IOS and (key in APPLE_USER_ENROLLMENT or "userenrollment" in label)
    work_profile = plat == ANDROID and (
        "personallyownedworkprofile" in label or "personalworkprofile" in key
        or (owner == PERSONAL and "fullymanaged" not in key and "dedicated" not in key and "fullymanaged" not in label)
    )
    return user_enrollment, work_profile


# The Graph fields with few distinct values, normalised together and memoised (see graph_states).
_STATE_FIELDS = ("operatingSystem", "managedDeviceOwnerType", "ownerType", "deviceEnrollmentType", "managementAgent",
                 "managementState", "isSupervised", "isEncrypted", "jailBroken", "partnerReportedThreatState",
                 "complianceState", "holdsSensitiveData")
StateFacts = tuple[str, str, str | None, bool, bool, bool | None, bool | None, str | None, str | None, bool | None,
                   bool | None, str | None, str | None, bool | None]


def _states(os_name: object, owner_type: object, owner_alt: object, enrollment_raw: object, agent_raw: object,
            state_raw: object, supervised: object, encrypted: object, jailbroken: object, threat: object,
            compliance_raw: object, sensitive: object) -> StateFacts:
    plat = platform(os_name)
    owner = ownership(owner_type or owner_alt)
    enrollment = text_or_none(enrollment_raw)
    user_enrollment, work_profile = enrollment_facts(plat, enrollment, owner, None)
    agent = reduced(agent_raw)
    state = reduced(state_raw)
    return (plat, owner, enrollment, user_enrollment, work_profile, tri(supervised, "isSupervised"),
            managed_flag(agent, state), agent, state, tri(encrypted, "isEncrypted"), tri(jailbroken, "jailBroken"),
            reduced(threat), compliance(compliance_raw), tri(sensitive, "holdsSensitiveData"))


_states_memo = lru_cache(maxsize=65536)(_states)


def graph_states(raw: Mapping[str, Any]) -> StateFacts:
    """The low-cardinality facts of a managedDevice (platform, ownership, enrollment, management, flags, states),
    memoised by their raw values: a fleet repeats the same few combinations. A bad value raises FieldError as
    usual (errors are not memoised); unhashable values (lists) are normalised without the memo."""
    values = [raw.get(name) for name in _STATE_FIELDS]
    try:
        return _states_memo(*values)
    except TypeError:
        return _states(*values)


def graph_device(raw: Mapping[str, Any], source: str, row: int) -> Device:
    """One Graph ``managedDevice`` object as a Device."""
    get = raw.get
    ident = require_id(get("id"), "id")
    serial = text_or_none(get("serialNumber"))
    name = text_or_none(get("deviceName"))
    user = user_name(get("userPrincipalName") or get("emailAddress"))
    department = text_or_none(get("department"))
    os_version = text_or_none(get("osVersion"))
    patch = day(get("androidSecurityPatchLevel"), "androidSecurityPatchLevel")
    (plat, owner, enrollment, user_enrollment, work_profile, supervised, managed, agent, state, encrypted,
     jailbroken, threat, compliance_state, sensitive) = graph_states(raw)
    apps = get("detectedApps")
    return Device(
        id=ident,
        source=source,
        row=row,
        platform=plat,
        serial=serial,
        name=name,
        user=user,
        department=department,
        os_version=os_version,
        security_patch=patch,
        ownership=owner,
        enrollment=enrollment,
        user_enrollment=user_enrollment,
        work_profile=work_profile,
        supervised=supervised,
        managed=managed,
        management_agent=agent,
        management_state=state,
        encrypted=encrypted,
        jailbroken=jailbroken,
        last_checkin=timestamp(get("lastSyncDateTime"), "lastSyncDateTime"),
        threat_state=threat,
        compliance_state=compliance_state,
        apps=_graph_apps(apps) if apps is not None else None,
        groups=split_list(get("groups") or get("groupIds")),
        holds_sensitive_data=sensitive,
        aad_device_id=text_or_none(get("azureADDeviceId")),
    )


def _graph_apps(apps: object) -> tuple[str, ...]:
    if not isinstance(apps, list):
        raise FieldError("detectedApps", "expected a list of apps")
    out: list[str] = []
    for app in apps:
        if isinstance(app, dict):
            ident = app.get("bundleId") or app.get("packageId") or app.get("displayName")
            if ident:
                out.append(str(ident))
        elif isinstance(app, str):
            out.append(app)
    return tuple(out)


def read_graph_json(path: Path, prefix: str = "item") -> DeviceStream:
    """A Graph export saved as a JSON array of managedDevice objects (``prefix`` "" for a single object)."""
    return to_devices(str(path), iter_json_items(path, prefix), graph_device)


def read_graph_page(path: Path) -> DeviceStream:
    """One Graph response page ``{"value": [...], "@odata.nextLink": …}``."""
    return to_devices(str(path), iter_json_items(path, "value.item"), graph_device)


def read_graph_lines(path: Path) -> DeviceStream:
    """A Graph export written as JSON lines, one managedDevice per line."""
    return to_devices(str(path), iter_json_lines(path), graph_device)


# Reduced column header → field. New names (2024+, Microsoft Entra) and old ones (Azure AD, earlier exports).
CSV_ALIASES: dict[str, str] = {
    "deviceid": "id", "intunedeviceid": "id", "id": "id", "manageddeviceid": "id",
    "devicename": "name", "managementname": "name",
    "primaryuserupn": "user", "userprincipalname": "user", "upn": "user", "primaryuser": "user",
    "primaryuseremailaddress": "email", "emailaddress": "email", "email": "email",
    "serialnumber": "serial", "serial": "serial",
    "os": "os", "operatingsystem": "os", "platform": "os",
    "osversion": "os_version", "operatingsystemversion": "os_version",
    "securitypatchlevel": "patch", "androidsecuritypatchlevel": "patch",
    "ownership": "ownership", "ownertype": "ownership", "deviceownership": "ownership",
    "manageddeviceownertype": "ownership",
    "lastcheckin": "last_checkin", "lastcheckintime": "last_checkin", "lastsync": "last_checkin",
    "lastsyncdatetime": "last_checkin", "lastcontact": "last_checkin",
    "compliance": "compliance", "compliancestate": "compliance", "compliancestatus": "compliance",
    "supervised": "supervised", "issupervised": "supervised",
    "encrypted": "encrypted", "isencrypted": "encrypted", "encryption": "encrypted",
    "jailbroken": "jailbroken", "jailbreak": "jailbroken", "jailbreakstatus": "jailbroken",
    "enrollmenttype": "enrollment", "deviceenrollmenttype": "enrollment",
    "managementagent": "agent", "managedby": "managed_by",
    "devicestate": "state", "managementstate": "state",
    "azureaddeviceid": "aad", "aaddeviceid": "aad", "microsoftentradeviceid": "aad", "entradeviceid": "aad",
    "partnerreportedthreatstate": "threat", "threatstate": "threat", "threatagentstatus": "threat",
    "department": "department", "primaryuserdepartment": "department",
    "groups": "groups", "groupids": "groups",
    "holdssensitivedata": "sensitive", "sensitivedata": "sensitive",
}


def csv_device(raw: Mapping[str, Any], source: str, row: int) -> Device:
    """One row of the Intune admin-center device export as a Device."""
    get = raw.get
    os_label = text_or_none(get("os"))
    plat = platform(os_label)
    owner = ownership(get("ownership"))
    enrollment = text_or_none(get("enrollment"))
    user_enrollment, work_profile = enrollment_facts(plat, enrollment, owner, os_label)
    agent = reduced(get("agent")) or reduced(get("managed_by"))
    state = reduced(get("state"))
    return Device(
        id=require_id(get("id"), "Device ID"),
        source=source,
        row=row,
        platform=plat,
        serial=text_or_none(get("serial")),
        name=text_or_none(get("name")),
        user=user_name(get("user") or get("email")),
        department=text_or_none(get("department")),
        os_version=text_or_none(get("os_version")),
        security_patch=day(get("patch"), "Security patch level"),
        ownership=owner,
        enrollment=enrollment,
        user_enrollment=user_enrollment,
        work_profile=work_profile,
        supervised=tri(get("supervised"), "Supervised"),
        managed=managed_flag(agent, state),
        management_agent=agent,
        management_state=state,
        encrypted=tri(get("encrypted"), "Encrypted"),
        jailbroken=tri(get("jailbroken"), "Jailbroken"),
        last_checkin=timestamp(get("last_checkin"), "Last check-in"),
        threat_state=reduced(get("threat")),
        compliance_state=compliance(get("compliance")),
        groups=split_list(get("groups")),
        holds_sensitive_data=tri(get("sensitive"), "holds_sensitive_data"),
        aad_device_id=text_or_none(get("aad")),
        passcode_min_length=int_or_none(get("passcode_min_length"), "passcode_min_length"),
    )


def read_intune_csv(path: Path) -> DeviceStream:
    """The Intune admin-center CSV export of devices."""
    return to_devices(str(path), iter_csv(path, CSV_ALIASES, ("id",)), csv_device)
