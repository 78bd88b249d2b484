"""What the fleet scanner reads: one normalised Device per MDM record, policy settings, register entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

# Platforms, ownership values and verdicts as plain strings: compact and fast for a million devices.
IOS = "ios"
ANDROID = "android"
WINDOWS = "windows"
MACOS = "macos"
OTHER = "other"

COMPANY = "company"
PERSONAL = "personal"
UNKNOWN_OWNER = "unknown"

PASS = "pass"  # noqa: S105 - a verdict, not a password
FAIL = "fail"
NOT_ENFORCEABLE = "not_enforceable"
UNKNOWN = "unknown"
NOT_APPLICABLE = "not_applicable"

VERDICTS = (PASS, FAIL, NOT_ENFORCEABLE, UNKNOWN, NOT_APPLICABLE)

# Management states that mean the device was wiped, retired or is being so.
RETIRED_STATES = frozenset({
    "retirepending", "retireissued", "retired", "wipepending", "wipeissued", "wiped", "deletepending",
    "enterprisewipe", "enterprisewipepending", "unenrolled", "deleted",
})


class Device(NamedTuple):
    """One device as the MDM export describes it, whatever the product; ``None`` means "not reported".

    Immutable like the other facts, but a NamedTuple rather than a frozen dataclass: a million of them are
    built per scan, and a frozen dataclass of 38 fields costs several microseconds more per device to build."""

    id: str
    source: str
    row: int
    platform: str = OTHER
    serial: str | None = None
    name: str | None = None
    user: str | None = None
    department: str | None = None
    os_version: str | None = None
    security_patch: date | None = None
    ownership: str = UNKNOWN_OWNER
    enrollment: str | None = None
    user_enrollment: bool = False
    work_profile: bool = False
    supervised: bool | None = None
    managed: bool | None = None
    management_agent: str | None = None
    management_state: str | None = None
    encrypted: bool | None = None
    jailbroken: bool | None = None
    passcode_present: bool | None = None
    passcode_compliant: bool | None = None
    passcode_min_length: int | None = None
    simple_passcode_blocked: bool | None = None
    auto_lock_minutes: int | None = None
    wipe_after_failures: int | None = None
    nfc_blocked: bool | None = None
    bluetooth_restricted: bool | None = None
    airdrop_blocked: bool | None = None
    tethering_blocked: bool | None = None
    last_checkin: datetime | None = None
    threat_state: str | None = None
    compliance_state: str | None = None
    apps: tuple[str, ...] | None = None
    groups: tuple[str, ...] = ()
    holds_sensitive_data: bool | None = None
    aad_device_id: str | None = None


@dataclass(frozen=True, slots=True)
class PolicySettings:
    """The settings that compliance and configuration policies enforce; ``None`` means "not configured"."""

    passcode_required: bool | None = None
    passcode_min_length: int | None = None
    simple_passcode_blocked: bool | None = None
    auto_lock_minutes: int | None = None
    wipe_after_failures: int | None = None
    os_minimum_version: str | None = None
    min_security_patch: date | None = None
    block_jailbroken: bool | None = None
    encryption_required: bool | None = None
    threat_protection_level: str | None = None
    nfc_blocked: bool | None = None
    bluetooth_restricted: bool | None = None
    airdrop_blocked: bool | None = None
    tethering_blocked: bool | None = None
    allowed_apps: tuple[str, ...] = ()
    policy_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Policy:
    """One Intune compliance or configuration policy with the groups it is assigned to."""

    id: str
    name: str
    odata_type: str
    platform: str
    kind: str  # "device_owner", "work_profile", "any"
    settings: PolicySettings
    groups: frozenset[str] = field(default_factory=frozenset)
    excluded_groups: frozenset[str] = field(default_factory=frozenset)
    all_devices: bool = False
    source: str = ""


@dataclass(frozen=True, slots=True)
class StaffChange:
    """One staff change from the register: a departure or a transfer, effective on a date."""

    user: str
    change_type: str  # "departure" or "transfer"
    effective: date
    new_department: str | None
    source: str
    row: int


@dataclass(frozen=True, slots=True)
class ByodAgreement:
    """One signed BYOD agreement from the register."""

    user: str
    device_serial: str | None
    signed_on: date | None
    expires_on: date | None
    last_reviewed_on: date | None
    permitted_data_types: tuple[str, ...]
    purposes: str | None
    status: str
    source: str
    row: int
    valid_from: date | None = None  # the workspace register's start of validity (the CSV has none)


@dataclass(frozen=True, slots=True)
class RegisteredDevice:
    """One device of the workspace's devices register: who holds it and whether it holds sensitive data."""

    device_id: str
    owner: str | None
    department: str | None
    ownership: str  # COMPANY or PERSONAL
    holds_sensitive_data: bool
    source: str
    row: int
