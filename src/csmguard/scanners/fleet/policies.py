"""Which policies apply to a device, and the effective settings when several do (the strictest wins)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import Any

from csmguard.scanners.fleet.facts import ANDROID, Device, Policy, PolicySettings
from csmguard.scanners.fleet.values import version_tuple

# For these settings a smaller number is stricter; for flags True is stricter.
_SMALLER_IS_STRICTER = frozenset({"auto_lock_minutes", "wipe_after_failures"})
_LARGER_IS_STRICTER = frozenset({"passcode_min_length"})


def _applies(policy: Policy, device: Device, groups: frozenset[str]) -> bool:
    if policy.platform != device.platform:
        return False
    if device.platform == ANDROID and policy.kind != "any":
        if policy.kind == "work_profile" and not device.work_profile:
            return False
        if policy.kind == "device_owner" and device.work_profile:
            return False
    if groups & policy.excluded_groups:
        return False
    return policy.all_devices or bool(groups & policy.groups)


def applicable(policies: Sequence[Policy], device: Device, groups: frozenset[str]) -> list[Policy]:
    """The policies assigned to ``device`` through ``groups`` (or to all devices), for its platform."""
    return [p for p in policies if _applies(p, device, groups)]


def merge(settings: Iterable[PolicySettings]) -> PolicySettings:
    """One set of settings from several policies: for each setting the strictest configured value."""
    merged: dict[str, Any] = {}
    for item in settings:
        for spec in fields(PolicySettings):
            name = spec.name
            value = getattr(item, name)
            if value is None or value == ():
                continue
            current = merged.get(name)
            if current is None:
                merged[name] = value
            elif name in ("allowed_apps", "policy_names"):
                merged[name] = tuple(dict.fromkeys((*current, *value)))
            elif name in _SMALLER_IS_STRICTER:
                merged[name] = min(current, value)
            elif name in _LARGER_IS_STRICTER:
                merged[name] = max(current, value)
            elif isinstance(value, bool):
                merged[name] = bool(current) or value
            elif name == "os_minimum_version":
                merged[name] = max(str(current), str(value), key=version_tuple)
            elif name == "min_security_patch":
                merged[name] = max(current, value)
            else:
                merged[name] = current
    return PolicySettings(**merged)
