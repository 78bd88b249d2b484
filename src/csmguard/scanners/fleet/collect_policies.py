"""Intune compliance and configuration policy JSON (Graph ``deviceCompliancePolicies`` /
``deviceConfigurations`` with ``$expand=assignments``): the settings each policy enforces and its groups."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from csmguard.domain import ScanError
from csmguard.domain.errors import InputError
from csmguard.scanners.fleet.collect_common import reject
from csmguard.scanners.fleet.facts import ANDROID, IOS, MACOS, OTHER, WINDOWS, Policy, PolicySettings
from csmguard.scanners.fleet.values import FieldError, day, int_or_none, text_or_none, tri

# Android password types that rule out simple (repeating or sequential) passcodes.
ANDROID_COMPLEX = frozenset({"numericcomplex", "alphabetic", "alphanumeric", "alphanumericwithsymbols",
                             "complex", "atleastalphabetic", "atleastalphanumeric"})
ANDROID_SIMPLE_OK = frozenset({"numeric", "atleastnumeric", "lowsecuritybiometric", "required", "devicedefault"})

_PLATFORM_PREFIXES = (("ios", IOS), ("androiddeviceowner", ANDROID), ("androidworkprofile", ANDROID),
                      ("androidforwork", ANDROID), ("aosp", ANDROID), ("android", ANDROID), ("windows", WINDOWS),
                      ("macos", MACOS))


def policy_platform(odata_type: str) -> tuple[str, str]:
    """(platform, kind) of a policy from its ``@odata.type``; kind is device_owner, work_profile or any."""
    name = odata_type.rsplit(".", 1)[-1].lower()
    for prefix, plat in _PLATFORM_PREFIXES:
        if name.startswith(prefix):
            if prefix == "androiddeviceowner":
                return plat, "device_owner"
            if prefix in {"androidworkprofile", "androidforwork"}:
                return plat, "work_profile"
            return plat, "any"
    return OTHER, "any"


def _first(raw: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        value = raw.get(name)
        if value is not None:
            return value
    return None


def _min_int(raw: Mapping[str, Any], *names: str) -> int | None:
    values = [v for v in (int_or_none(raw.get(n), n) for n in names) if v is not None and v > 0]
    return min(values) if values else None


def _flag_any(raw: Mapping[str, Any], *names: str) -> bool | None:
    values = [tri(raw.get(n), n) for n in names if n in raw]
    known = [v for v in values if v is not None]
    if not known:
        return None
    return any(known)


def _apps(raw: Mapping[str, Any]) -> tuple[str, ...]:
    out: list[str] = []
    for list_name, type_name in (("compliantAppsList", "compliantAppListType"),
                                 ("appsVisibilityList", "appsVisibilityListType")):
        if str(raw.get(type_name, "")).lower() != "appsinlistcompliant":
            continue
        for item in raw.get(list_name) or []:
            if isinstance(item, dict):
                ident = item.get("appId") or item.get("bundleId") or item.get("packageId") or item.get("name")
                if ident:
                    out.append(str(ident))
    return tuple(out)


def policy_settings(raw: Mapping[str, Any]) -> PolicySettings:
    """The settings of one policy that the DEV rules judge, under Graph's several property names."""
    password_type = str(raw.get("passwordRequiredType") or "").lower()
    required = _flag_any(raw, "passcodeRequired", "passwordRequired", "passwordRequiredToUnlockFromIdle")
    simple = _flag_any(raw, "passcodeBlockSimple", "passwordBlockSimple")
    if password_type:
        if password_type != "devicedefault":  # noqa: S105 - a setting value, not a password
            required = True
        if password_type in ANDROID_COMPLEX:
            simple = True
        elif password_type in ANDROID_SIMPLE_OK and simple is None:
            simple = False
    return PolicySettings(
        passcode_required=required,
        passcode_min_length=_min_int(raw, "passcodeMinimumLength", "passwordMinimumLength"),
        simple_passcode_blocked=simple,
        auto_lock_minutes=_min_int(raw, "passcodeMinutesOfInactivityBeforeLock",
                                   "passcodeMinutesOfInactivityBeforeScreenTimeout",
                                   "passwordMinutesOfInactivityBeforeLock",
                                   "passwordMinutesOfInactivityBeforeScreenTimeout"),
        wipe_after_failures=_min_int(raw, "passcodeSignInFailureCountBeforeWipe",
                                     "passwordSignInFailureCountBeforeFactoryReset",
                                     "passwordSignInFailureCountBeforeWipe"),
        os_minimum_version=text_or_none(raw.get("osMinimumVersion")),
        min_security_patch=day(raw.get("minAndroidSecurityPatchLevel"), "minAndroidSecurityPatchLevel"),
        block_jailbroken=_flag_any(raw, "securityBlockJailbrokenDevices"),
        encryption_required=_flag_any(raw, "storageRequireEncryption", "bitLockerEnabled",
                                      "storageRequireDeviceEncryption"),
        threat_protection_level=text_or_none(raw.get("deviceThreatProtectionRequiredSecurityLevel"))
        if tri(raw.get("deviceThreatProtectionEnabled"), "deviceThreatProtectionEnabled") else None,
        nfc_blocked=_flag_any(raw, "nfcBlocked", "nfcBlockOutgoingBeam"),
        bluetooth_restricted=_flag_any(raw, "bluetoothBlocked", "bluetoothBlockModification",
                                       "bluetoothBlockConfiguration"),
        airdrop_blocked=_flag_any(raw, "airDropBlocked"),
        tethering_blocked=_flag_any(raw, "cellularBlockPersonalHotspot", "cellularBlockWiFiTethering",
                                    "tetheringBlocked"),
        allowed_apps=_apps(raw),
        policy_names=(str(raw.get("displayName") or raw.get("id") or "?"),),
    )


def parse_policy(raw: Mapping[str, Any], source: str) -> Policy:
    """One policy object with its assignments (group, exclusion group, all devices, all users)."""
    odata_type = str(_first(raw, "@odata.type", "odataType") or "")
    if not odata_type:
        raise FieldError("@odata.type", "the policy has no @odata.type, so its platform is not known")
    plat, kind = policy_platform(odata_type)
    groups: set[str] = set()
    excluded: set[str] = set()
    everyone = False
    for assignment in raw.get("assignments") or []:
        target = assignment.get("target") if isinstance(assignment, dict) else None
        if not isinstance(target, dict):
            continue
        target_type = str(target.get("@odata.type", "")).lower()
        group = target.get("groupId")
        if "exclusion" in target_type and group:
            excluded.add(str(group))
        elif "alldevices" in target_type or "alllicensedusers" in target_type:
            everyone = True
        elif group:
            groups.add(str(group))
    return Policy(id=str(raw.get("id") or raw.get("displayName") or "?"), name=str(raw.get("displayName") or "?"),
                  odata_type=odata_type, platform=plat, kind=kind, settings=policy_settings(raw),
                  groups=frozenset(groups), excluded_groups=frozenset(excluded), all_devices=everyone, source=source)


def read_policies(path: Path) -> Iterator[Policy | ScanError]:
    """The policies of one file: an array, a Graph page ``{"value": [...]}``, or a single policy object."""
    source = str(path)
    try:
        data: Any = orjson.loads(path.read_bytes())
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror}") from exc
    except orjson.JSONDecodeError as exc:
        raise InputError(source, f"not valid JSON: {exc}") from exc
    items = data.get("value") if isinstance(data, dict) and "value" in data else data
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise InputError(source, "expected a policy, a list of policies or {\"value\": [...]}")
    for row, raw in enumerate(items, start=1):
        if not isinstance(raw, dict):
            yield reject(source, "expected a policy object", row=row)
            continue
        try:
            yield parse_policy(raw, source)
        except FieldError as exc:
            yield reject(source, exc.message, row=row, field=exc.field)
