"""Pure checks: one function per DEV rule, Device × DeviceContext → (verdict, reason code, detail).

Unknown is never a pass: a fact the export does not give is ``unknown`` with the reason, unless a
policy file was given and no assigned policy enforces the setting, which is a ``fail``.
"""

from __future__ import annotations

from collections.abc import Callable

from csmguard.scanners.fleet.context import DeviceContext, Outcome
from csmguard.scanners.fleet.facts import (
    ANDROID,
    FAIL,
    IOS,
    MACOS,
    NOT_APPLICABLE,
    NOT_ENFORCEABLE,
    PASS,
    PERSONAL,
    UNKNOWN,
    WINDOWS,
    Device,
)
from csmguard.scanners.fleet.people import check_byod_agreement, check_byod_review, check_departure
from csmguard.scanners.fleet.values import version_tuple

CheckFn = Callable[[Device, DeviceContext], Outcome]


def _not_configured(c: DeviceContext, what: str) -> Outcome:
    if c.policies_loaded:
        return FAIL, "not_enforced", what
    return UNKNOWN, "setting_unknown", what


def check_managed(d: Device, c: DeviceContext) -> Outcome:
    """DEV-001: the device is managed by an MDM (not only Exchange ActiveSync)."""
    if d.managed is True:
        return PASS, "managed", d.management_agent or ""
    if d.managed is False:
        return FAIL, "not_managed", d.management_agent or ""
    return UNKNOWN, "managed_unknown", ""


def check_compliance(d: Device, c: DeviceContext) -> Outcome:
    """DEV-002: the MDM reports the device compliant with its compliance policies."""
    state = d.compliance_state
    if state == "compliant":
        return PASS, "compliant", state
    if state in ("noncompliant", "ingraceperiod"):
        return FAIL, "noncompliant", state
    return UNKNOWN, "compliance_unknown", state or ""


def check_encryption(d: Device, c: DeviceContext) -> Outcome:
    """DEV-003: storage is encrypted (or a compliance policy requiring encryption reports the device compliant)."""
    if d.encrypted is True:
        return PASS, "encrypted", ""
    if d.encrypted is False:
        return FAIL, "not_encrypted", ""
    if c.settings.encryption_required and d.compliance_state == "compliant":
        return PASS, "encryption_by_policy", ", ".join(c.settings.policy_names)
    return UNKNOWN, "encryption_unknown", ""


def check_passcode_length(d: Device, c: DeviceContext) -> Outcome:
    """DEV-004: a passcode is required with at least the baseline's minimum length."""
    if d.user_enrollment:
        return NOT_ENFORCEABLE, "ios_user_enrollment_passcode", ""
    if d.passcode_present is False:
        return FAIL, "no_passcode", ""
    if d.passcode_compliant is False:
        return FAIL, "passcode_noncompliant", ""
    minimum = c.baseline.passcode.min_length
    length = d.passcode_min_length if d.passcode_min_length is not None else c.settings.passcode_min_length
    if c.settings.passcode_required is False and length is None:
        return FAIL, "passcode_not_required", ""
    if length is not None:
        if length >= minimum:
            return PASS, "passcode_length_ok", str(length)
        return FAIL, "passcode_too_short", f"{length} < {minimum}"
    return _not_configured(c, "passcode minimum length")


def check_simple_passcode(d: Device, c: DeviceContext) -> Outcome:
    """DEV-005: simple passcodes (repeating, ascending, descending) are blocked."""
    if d.user_enrollment:
        return NOT_ENFORCEABLE, "ios_user_enrollment_passcode", ""
    if not c.baseline.passcode.block_simple:
        return NOT_APPLICABLE, "baseline_allows", "simple passcodes"
    blocked = d.simple_passcode_blocked if d.simple_passcode_blocked is not None \
        else c.settings.simple_passcode_blocked
    if blocked is True:
        return PASS, "simple_blocked", ""
    if blocked is False:
        return FAIL, "simple_allowed", ""
    return _not_configured(c, "simple passcode blocking")


def check_auto_lock(d: Device, c: DeviceContext) -> Outcome:
    """DEV-006: the screen locks after at most N minutes of inactivity (fewer on sensitive devices)."""
    if d.user_enrollment:
        return NOT_ENFORCEABLE, "ios_user_enrollment_passcode", ""
    base = c.baseline.passcode
    limit = base.auto_lock_minutes_sensitive if c.sensitive else base.auto_lock_minutes
    minutes = d.auto_lock_minutes if d.auto_lock_minutes is not None else c.settings.auto_lock_minutes
    if minutes is None:
        return _not_configured(c, "auto-lock")
    if minutes <= limit:
        return PASS, "auto_lock_ok", f"{minutes} ≤ {limit}"
    return FAIL, "auto_lock_too_long", f"{minutes} > {limit}"


def check_wipe(d: Device, c: DeviceContext) -> Outcome:
    """DEV-007: the device wipes itself after at most N failed attempts, or can be wiped remotely."""
    if d.user_enrollment:
        return NOT_ENFORCEABLE, "ios_user_enrollment_wipe", ""
    base = c.baseline.passcode
    limit = base.wipe_after_failures_sensitive if c.sensitive else base.wipe_after_failures
    count = d.wipe_after_failures if d.wipe_after_failures is not None else c.settings.wipe_after_failures
    if count is not None and count <= limit:
        return PASS, "wipe_ok", f"{count} ≤ {limit}"
    remote_ok = base.remote_wipe_suffices and not c.sensitive
    if remote_ok and d.managed is True and not d.work_profile:
        return PASS, "remote_wipe", d.management_agent or "MDM"
    if count is not None:
        return FAIL, "wipe_too_many", f"{count} > {limit}"
    if remote_ok and d.managed is False:
        return FAIL, "no_wipe", ""
    return _not_configured(c, "wipe after failed attempts")


def check_jailbreak(d: Device, c: DeviceContext) -> Outcome:
    """DEV-008: the device is not jailbroken or rooted (Intune "Unknown" is not a pass)."""
    if d.jailbroken is True:
        return FAIL, "jailbroken", ""
    if d.jailbroken is False:
        return PASS, "not_jailbroken", ""
    return UNKNOWN, "jailbreak_unknown", ""


def check_os_current(d: Device, c: DeviceContext) -> Outcome:
    """DEV-009: the OS version is at least the baseline's minimum, and Android patches are recent."""
    if d.os_version is None:
        return UNKNOWN, "os_version_missing", ""
    minimum = c.baseline.os.minimum_versions.get(d.platform)
    policy_min = c.settings.os_minimum_version
    if policy_min and (minimum is None or version_tuple(policy_min) > version_tuple(minimum)):
        minimum = policy_min
    if minimum is None:
        return UNKNOWN, "no_minimum_version", d.platform
    if version_tuple(d.os_version) < version_tuple(minimum):
        return FAIL, "os_outdated", f"{d.os_version} < {minimum}"
    if d.platform == ANDROID:
        patch = d.security_patch
        if patch is None:
            return UNKNOWN, "patch_missing", d.os_version
        age = (c.today - patch).days
        if age > c.baseline.os.max_patch_age_days:
            return FAIL, "patch_old", f"{patch.isoformat()} ({age} > {c.baseline.os.max_patch_age_days})"
        if c.settings.min_security_patch and patch < c.settings.min_security_patch:
            return FAIL, "patch_old", f"{patch.isoformat()} < {c.settings.min_security_patch.isoformat()}"
        return PASS, "os_current", f"{d.os_version}, {patch.isoformat()}"
    return PASS, "os_current", d.os_version


def check_checkin(d: Device, c: DeviceContext) -> Outcome:
    """DEV-010: the device checked in with the MDM within the baseline's days (a warning earlier)."""
    if d.last_checkin is None:
        return UNKNOWN, "checkin_missing", ""
    age = (c.today - d.last_checkin.date()).days
    if age > c.baseline.checkin.max_days:
        return FAIL, "checkin_stale", f"{age} > {c.baseline.checkin.max_days}"
    if age > c.baseline.checkin.warn_days:
        return PASS, "checkin_warn", f"{age} > {c.baseline.checkin.warn_days}"
    return PASS, "checkin_ok", str(age)


def check_threat(d: Device, c: DeviceContext) -> Outcome:
    """DEV-011: mobile threat defence reports the device healthy."""
    if not c.baseline.threat.required:
        return NOT_APPLICABLE, "baseline_allows", "threat defence"
    state = d.threat_state
    if state is None or state in ("unknown", "notset", "unresponsive", "none"):
        return UNKNOWN, "threat_unknown", state or ""
    if state in c.baseline.threat.accepted_states:
        return PASS, "threat_ok", state
    return FAIL, "threat_bad", state


def _restrictions(c: DeviceContext, items: tuple[tuple[str, bool | None], ...], ok_detail: str) -> Outcome:
    open_ = [name for name, value in items if value is False]
    unknown = [name for name, value in items if value is None]
    if open_:
        return FAIL, "not_restricted", ", ".join(open_)
    if unknown:
        return _not_configured(c, ", ".join(unknown))
    return PASS, "restricted", ok_detail


def _wireless(c: DeviceContext, items: tuple[tuple[str, bool | None], ...], ok_detail: str) -> Outcome:
    # 14.4.5 asks to restrict the *unneeded* (不需要之) functions: an open one fails only when the firm has
    # declared what it needs and this one is not on the list.
    needed = c.baseline.wireless.needed
    if needed is None:
        open_ = [name for name, value in items if value is False]
        if open_:
            return UNKNOWN, "wireless_need_undeclared", ", ".join(open_)
        return _restrictions(c, items, ok_detail)
    wanted = {name.casefold() for name in needed}
    unneeded = tuple((name, value) for name, value in items if name.casefold() not in wanted)
    if not unneeded:
        return PASS, "wireless_needed", ", ".join(name for name, _ in items)
    return _restrictions(c, unneeded, ", ".join(name for name, _ in unneeded))


def _pick(device_value: bool | None, policy_value: bool | None) -> bool | None:
    return device_value if device_value is not None else policy_value


def check_wireless(d: Device, c: DeviceContext) -> Outcome:
    """DEV-012: the unneeded ones of NFC, Bluetooth and AirDrop are restricted on sensitive devices where the
    platform can (which are needed is the firm's policy: ``wireless.needed`` in the baseline)."""
    if not c.sensitive:
        return NOT_APPLICABLE, "not_sensitive", ""
    s = c.settings
    if d.platform == IOS:
        if d.user_enrollment or d.supervised is False:
            return NOT_ENFORCEABLE, "ios_unsupervised_wireless", ""
        if d.supervised is None:
            return UNKNOWN, "supervision_unknown", ""
        return _wireless(c, (("AirDrop", _pick(d.airdrop_blocked, s.airdrop_blocked)),
                                 ("Bluetooth", _pick(d.bluetooth_restricted, s.bluetooth_restricted))),
                             "AirDrop, Bluetooth")
    if d.platform == ANDROID:
        if d.work_profile:
            return NOT_ENFORCEABLE, "android_work_profile", ""
        return _wireless(c, (("NFC", _pick(d.nfc_blocked, s.nfc_blocked)),
                                 ("Bluetooth", _pick(d.bluetooth_restricted, s.bluetooth_restricted))),
                             "NFC, Bluetooth")
    if d.platform in (WINDOWS, MACOS):
        return _wireless(c, (("Bluetooth", _pick(d.bluetooth_restricted, s.bluetooth_restricted)),), "Bluetooth")
    return UNKNOWN, "platform_unknown", d.platform


def check_tethering(d: Device, c: DeviceContext) -> Outcome:
    """DEV-013: personal hotspot / tethering is blocked on sensitive devices where the platform can."""
    if not c.sensitive:
        return NOT_APPLICABLE, "not_sensitive", ""
    blocked = _pick(d.tethering_blocked, c.settings.tethering_blocked)
    if d.platform == IOS:
        if d.user_enrollment or d.supervised is False:
            return NOT_ENFORCEABLE, "ios_unsupervised_hotspot", ""
        if d.supervised is None:
            return UNKNOWN, "supervision_unknown", ""
    elif d.platform == ANDROID:
        if d.work_profile:
            return NOT_ENFORCEABLE, "android_work_profile", ""
    elif d.platform not in (WINDOWS, MACOS):
        return UNKNOWN, "platform_unknown", d.platform
    return _restrictions(c, (("tethering", blocked),), "tethering")


def check_apps(d: Device, c: DeviceContext) -> Outcome:
    """DEV-014: only allowed apps are installed (personal devices show only managed apps)."""
    if d.ownership == PERSONAL or d.user_enrollment or d.work_profile:
        return NOT_ENFORCEABLE, "personal_apps_invisible", ""
    if d.apps is None:
        return UNKNOWN, "no_app_inventory", ""
    if not c.allowed_apps:
        return UNKNOWN, "no_allowlist", ""
    bad = [app for app in d.apps if not c.allowed_apps.allows(app)]
    if bad:
        more = f" (+{len(bad) - 5})" if len(bad) > 5 else ""
        return FAIL, "apps_not_allowed", ", ".join(bad[:5]) + more
    return PASS, "apps_allowed", str(len(d.apps))


# The registry of checks named by the rule files (check: <name>); explicit, no import side effects.
CHECKS: dict[str, CheckFn] = {
    "managed": check_managed,
    "compliance": check_compliance,
    "encryption": check_encryption,
    "passcode_length": check_passcode_length,
    "simple_passcode": check_simple_passcode,
    "auto_lock": check_auto_lock,
    "wipe": check_wipe,
    "jailbreak": check_jailbreak,
    "os_current": check_os_current,
    "checkin": check_checkin,
    "threat": check_threat,
    "wireless": check_wireless,
    "tethering": check_tethering,
    "apps": check_apps,
    "departure": check_departure,
    "byod_agreement": check_byod_agreement,
    "byod_review": check_byod_review,
}
