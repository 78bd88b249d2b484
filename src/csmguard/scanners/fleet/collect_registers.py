"""The registers the fleet rules need, read from CSV files (the workspace registers: collect_workspace):

- staff changes (``--staff-changes``): ``user, change_type, effective_date, new_department``;
  change_type is ``departure`` (離職) or ``transfer`` (調職);
- BYOD agreements (``--byod-agreements``): ``user, device_serial, signed_on, expires_on, last_reviewed_on,
  permitted_data_types, purposes, status``; permitted_data_types ``;``-separated (e.g. ``email;calendar;
  sensitive``), status ``active`` (default) or ``revoked``;
- group members (``--group-members``): ``group_id, member``; member is a device ID, Entra device ID,
  serial number or user principal name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csmguard.domain import ScanError
from csmguard.domain.errors import InputError
from csmguard.scanners.fleet.collect_common import header_key, iter_csv, reject
from csmguard.scanners.fleet.facts import ByodAgreement, RegisteredDevice, StaffChange
from csmguard.scanners.fleet.values import FieldError, day, reduced, split_list, text_or_none, user_name

STAFF_COLUMNS = {header_key(k): v for k, v in {
    "user": "user", "upn": "user", "email": "user", "user_principal_name": "user",
    "change_type": "change_type", "type": "change_type", "change": "change_type",
    "effective_date": "effective", "effective": "effective", "date": "effective", "departure_date": "effective",
    "new_department": "new_department", "to_department": "new_department",
}.items()}
BYOD_COLUMNS = {header_key(k): v for k, v in {
    "user": "user", "upn": "user", "email": "user", "device_serial": "device_serial", "serial": "device_serial",
    "signed_on": "signed_on", "signed": "signed_on", "expires_on": "expires_on", "expires": "expires_on",
    "last_reviewed_on": "last_reviewed_on", "reviewed_on": "last_reviewed_on", "last_review": "last_reviewed_on",
    "permitted_data_types": "permitted_data_types", "data_types": "permitted_data_types",
    "purposes": "purposes", "purpose": "purposes", "status": "status",
}.items()}
GROUP_COLUMNS = {header_key(k): v for k, v in {
    "group_id": "group_id", "group": "group_id", "groupid": "group_id",
    "member": "member", "device_id": "member", "member_id": "member",
}.items()}

DEPARTURE_WORDS = frozenset({"departure", "leave", "left", "resigned", "terminated", "離職", "offboarding"})
TRANSFER_WORDS = frozenset({"transfer", "transferred", "move", "調職", "reassignment"})


@dataclass(frozen=True)
class Registers:
    """What the optional register files said: None where a register was not given."""

    staff_changes: Mapping[str, StaffChange] | None = None
    byod_agreements: Mapping[str, tuple[ByodAgreement, ...]] | None = None
    group_members: Mapping[str, frozenset[str]] | None = None
    devices: Mapping[str, RegisteredDevice] | None = None  # the workspace's devices register, by device ID
    errors: tuple[ScanError, ...] = ()


def _rows(path: Path, aliases: Mapping[str, str], required: tuple[str, ...]) -> list[tuple[int, Any] | ScanError]:
    if not path.is_file():
        raise InputError(str(path), "no such file")
    return list(iter_csv(path, aliases, required))


def read_staff_changes(path: Path) -> tuple[dict[str, StaffChange], list[ScanError]]:
    """Staff changes by user (lower case); when a user has several, the latest effective one counts."""
    out: dict[str, StaffChange] = {}
    errors: list[ScanError] = []
    source = str(path)
    for entry in _rows(path, STAFF_COLUMNS, ("user", "change_type", "effective")):
        if isinstance(entry, ScanError):
            errors.append(entry)
            continue
        row, raw = entry
        try:
            user = user_name(raw.get("user"))
            if not user:
                raise FieldError("user", "no user")
            word = (text_or_none(raw.get("change_type")) or "").lower()
            kind = "departure" if word in DEPARTURE_WORDS else "transfer" if word in TRANSFER_WORDS else None
            if kind is None:
                raise FieldError("change_type", f"expected departure or transfer, got {word[:40]!r}")
            effective = day(raw.get("effective"), "effective_date")
            if effective is None:
                raise FieldError("effective_date", "no effective date")
        except FieldError as exc:
            errors.append(reject(source, exc.message, row=row, field=exc.field))
            continue
        change = StaffChange(user=user, change_type=kind, effective=effective,
                             new_department=text_or_none(raw.get("new_department")), source=source, row=row)
        if user not in out or out[user].effective <= effective:
            out[user] = change
    return out, errors


def read_byod_agreements(path: Path) -> tuple[dict[str, tuple[ByodAgreement, ...]], list[ScanError]]:
    """BYOD agreements by user (lower case)."""
    out: dict[str, list[ByodAgreement]] = {}
    errors: list[ScanError] = []
    source = str(path)
    for entry in _rows(path, BYOD_COLUMNS, ("user", "signed_on")):
        if isinstance(entry, ScanError):
            errors.append(entry)
            continue
        row, raw = entry
        try:
            user = user_name(raw.get("user"))
            if not user:
                raise FieldError("user", "no user")
            agreement = ByodAgreement(
                user=user, device_serial=text_or_none(raw.get("device_serial")),
                signed_on=day(raw.get("signed_on"), "signed_on"), expires_on=day(raw.get("expires_on"), "expires_on"),
                last_reviewed_on=day(raw.get("last_reviewed_on"), "last_reviewed_on"),
                permitted_data_types=tuple(t.lower() for t in split_list(raw.get("permitted_data_types"))),
                purposes=text_or_none(raw.get("purposes")), status=reduced(raw.get("status")) or "active",
                source=source, row=row)
        except FieldError as exc:
            errors.append(reject(source, exc.message, row=row, field=exc.field))
            continue
        out.setdefault(user, []).append(agreement)
    return {user: tuple(items) for user, items in out.items()}, errors


def read_group_members(path: Path) -> tuple[dict[str, frozenset[str]], list[ScanError]]:
    """Member (device ID, serial or user, lower case) → the groups it belongs to."""
    out: dict[str, set[str]] = {}
    errors: list[ScanError] = []
    source = str(path)
    for entry in _rows(path, GROUP_COLUMNS, ("group_id", "member")):
        if isinstance(entry, ScanError):
            errors.append(entry)
            continue
        row, raw = entry
        group, member = text_or_none(raw.get("group_id")), text_or_none(raw.get("member"))
        if not group or not member:
            errors.append(reject(source, "a membership needs a group_id and a member", row=row,
                                 field="group_id" if not group else "member"))
            continue
        out.setdefault(member.lower(), set()).add(group)
    return {member: frozenset(groups) for member, groups in out.items()}, errors
