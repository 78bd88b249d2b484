"""Pure checks that join devices with the registers: departed staff (CSM-14.2) and BYOD agreements
(CSM-15.1, 15.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csmguard.scanners.fleet.facts import (
    COMPANY,
    FAIL,
    NOT_APPLICABLE,
    PASS,
    RETIRED_STATES,
    UNKNOWN,
    UNKNOWN_OWNER,
    ByodAgreement,
    Device,
)

if TYPE_CHECKING:
    from csmguard.scanners.fleet.context import DeviceContext, Outcome


def check_departure(d: Device, c: DeviceContext) -> Outcome:
    """DEV-015: devices of departed staff are wiped or retired, of transferred staff reconfigured, in N days."""
    if not c.staff_register:
        return UNKNOWN, "no_staff_register", ""
    if d.user is None:
        return UNKNOWN, "no_user", ""
    change = c.staff_change
    if change is None or change.effective > c.today:
        return NOT_APPLICABLE, "no_staff_change", ""
    days = (c.today - change.effective).days
    grace = c.baseline.departures.grace_days
    if d.management_state in RETIRED_STATES:
        return PASS, "device_retired", d.management_state or ""
    if (change.change_type == "transfer" and change.new_department and d.department
            and change.new_department.lower() == d.department.lower()):
        return PASS, "reconfigured", d.department
    if days <= grace:
        return PASS, "within_grace", f"{change.effective.isoformat()} ({days} ≤ {grace})"
    if change.change_type == "departure":
        return FAIL, "departed_not_wiped", f"{change.effective.isoformat()} ({days} > {grace})"
    if change.new_department is None:
        return UNKNOWN, "transfer_no_department", change.effective.isoformat()
    if d.department is None:
        return UNKNOWN, "device_department_unknown", change.new_department
    return FAIL, "transfer_not_reconfigured", f"{d.department} ≠ {change.new_department}"


def _byod_gate(d: Device, c: DeviceContext) -> Outcome | None:
    if d.ownership == COMPANY:
        return NOT_APPLICABLE, "company_device", ""
    if d.ownership == UNKNOWN_OWNER:
        return UNKNOWN, "ownership_unknown", ""
    if c.agreements is None:
        return UNKNOWN, "no_byod_register", ""
    if d.user is None:
        return UNKNOWN, "no_user", ""
    return None


def _matching(d: Device, agreements: tuple[ByodAgreement, ...]) -> list[ByodAgreement]:
    """The agreements that cover the device: those naming no device, or naming its serial number, MDM
    device ID or Entra device ID (case-insensitive)."""
    names = {n.lower() for n in (d.serial, d.id, d.aad_device_id) if n}
    return [a for a in agreements if a.device_serial is None or a.device_serial.strip().lower() in names]


def _valid(agreement: ByodAgreement, c: DeviceContext) -> bool:
    return (agreement.status == "active" and agreement.signed_on is not None and agreement.signed_on <= c.today
            and (agreement.valid_from is None or agreement.valid_from <= c.today)
            and (agreement.expires_on is None or agreement.expires_on >= c.today))


def check_byod_agreement(d: Device, c: DeviceContext) -> Outcome:
    """DEV-016: a personal device is covered by a signed, current BYOD agreement of its user."""
    gate = _byod_gate(d, c)
    if gate is not None:
        return gate
    found = _matching(d, c.agreements or ())
    if not found:
        return FAIL, "no_agreement", d.user or ""
    valid = [a for a in found if _valid(a, c)]
    if valid:
        best = max(valid, key=lambda a: a.signed_on or c.today)
        return PASS, "agreement_valid", best.signed_on.isoformat() if best.signed_on else ""
    latest = found[-1]
    if latest.status != "active":
        return FAIL, "agreement_revoked", latest.status
    if latest.signed_on is None or latest.signed_on > c.today:
        return FAIL, "agreement_unsigned", ""
    if latest.valid_from is not None and latest.valid_from > c.today:
        return FAIL, "agreement_not_yet_valid", latest.valid_from.isoformat()
    return FAIL, "agreement_expired", latest.expires_on.isoformat() if latest.expires_on else ""


def check_byod_review(d: Device, c: DeviceContext) -> Outcome:
    """DEV-017: the BYOD agreement was reviewed within the interval and permits the data the device holds."""
    gate = _byod_gate(d, c)
    if gate is not None:
        return gate
    valid = [a for a in _matching(d, c.agreements or ()) if _valid(a, c)]
    if not valid:
        return FAIL, "no_valid_agreement", d.user or ""
    agreement = max(valid, key=lambda a: a.last_reviewed_on or a.signed_on or c.today)
    reviewed = agreement.last_reviewed_on or agreement.signed_on
    interval = c.baseline.byod.review_interval_days
    if reviewed is not None:
        age = (c.today - reviewed).days
        if age > interval:
            return FAIL, "review_overdue", f"{reviewed.isoformat()} ({age} > {interval})"
    if not agreement.permitted_data_types:
        return FAIL, "no_data_types", ""
    wanted = c.baseline.byod.sensitive_data_type.lower()
    types = "; ".join(agreement.permitted_data_types)
    if c.sensitive and d.holds_sensitive_data is True and wanted not in agreement.permitted_data_types:
        return FAIL, "sensitive_not_permitted", types
    return PASS, "agreement_reviewed", f"{reviewed.isoformat() if reviewed else ''}; {types}"
