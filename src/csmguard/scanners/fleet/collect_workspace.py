"""The workspace registers as the fleet scanner's own facts (the service reads them with
``csmguard.services.registers.list_records`` and hands the records here; this module never opens the store).

- ``staff-changes`` (person, change join/move/depart, effective_on, to_department) → ``StaffChange`` by user:
  ``depart`` is a departure, ``move`` a transfer to ``to_department``, ``join`` is not a change the rules
  judge; when a person has several, the latest effective one counts (as with ``--staff-changes``).
- ``byod-agreements`` (holder, device_id, data_types, permitted_purposes, valid_from, valid_until, signed_on,
  last_review) → ``ByodAgreement`` by holder; ``device_id`` names the one device the agreement covers,
  matched against the device's serial number, MDM device ID or Entra device ID.
- ``devices`` (device_id, owner, department, ownership company/byod, holds_sensitive_data) →
  ``RegisteredDevice`` by device ID in lower case; the evaluator matches a device of the export whose
  MDM device ID, Entra device ID or serial number equals it.

``person``, ``holder`` and ``owner`` are compared with the export's user (the user principal name)
case-insensitively, so the registers should name people by their UPN or e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable

from csmguard.registers import models as m
from csmguard.registers.fields import RegisterRecord
from csmguard.scanners.fleet.facts import COMPANY, PERSONAL, ByodAgreement, RegisteredDevice, StaffChange
from csmguard.scanners.fleet.values import user_name

STAFF_REGISTER = "staff-changes"
BYOD_REGISTER = "byod-agreements"
DEVICES_REGISTER = "devices"

# What a register's records look like when handed over: (row number in the register, record).
Entries = Iterable[tuple[int, RegisterRecord]]

_CHANGE_KIND = {m.StaffChangeKind.DEPART: "departure", m.StaffChangeKind.MOVE: "transfer"}


def source_name(kind: str) -> str:
    """How errors and evidence name a workspace register."""
    return f"workspace register {kind}"


def staff_changes_from_register(entries: Entries) -> dict[str, StaffChange]:
    """Departures and transfers by user (lower case); joins are skipped; the latest effective change counts."""
    out: dict[str, StaffChange] = {}
    source = source_name(STAFF_REGISTER)
    for row, record in entries:
        if not isinstance(record, m.StaffChange):
            continue
        kind = _CHANGE_KIND.get(record.change)
        user = user_name(record.person)
        if kind is None or not user:
            continue
        change = StaffChange(user=user, change_type=kind, effective=record.effective_on,
                             new_department=record.to_department, source=source, row=row)
        if user not in out or out[user].effective <= change.effective:
            out[user] = change
    return out


def byod_agreements_from_register(entries: Entries) -> dict[str, tuple[ByodAgreement, ...]]:
    """BYOD agreements by holder (lower case), each covering the one device its ``device_id`` names."""
    out: dict[str, list[ByodAgreement]] = {}
    source = source_name(BYOD_REGISTER)
    for row, record in entries:
        if not isinstance(record, m.ByodAgreement):
            continue
        user = user_name(record.holder)
        if not user:
            continue
        out.setdefault(user, []).append(ByodAgreement(
            user=user, device_serial=record.device_id, signed_on=record.signed_on, expires_on=record.valid_until,
            last_reviewed_on=record.last_review, permitted_data_types=tuple(t.lower() for t in record.data_types),
            purposes="; ".join(record.permitted_purposes) or None, status="active", source=source, row=row,
            valid_from=record.valid_from))
    return {user: tuple(items) for user, items in out.items()}


def devices_from_register(entries: Entries) -> dict[str, RegisteredDevice]:
    """Registered devices by device ID (lower case)."""
    out: dict[str, RegisteredDevice] = {}
    source = source_name(DEVICES_REGISTER)
    for row, record in entries:
        if not isinstance(record, m.MobileDevice):
            continue
        out[record.device_id.strip().lower()] = RegisteredDevice(
            device_id=record.device_id, owner=user_name(record.owner), department=record.department,
            ownership=PERSONAL if record.ownership is m.Ownership.BYOD else COMPANY,
            holds_sensitive_data=record.holds_sensitive_data, source=source, row=row)
    return out
