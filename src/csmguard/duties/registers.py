"""Duties computed from the registers: pure functions of the records and the firm-policy settings.

Each duty names the provision that asks for it and the register row it comes from; an interval is a firm-policy
setting (:mod:`csmguard.registers.check_settings`, the same values the REG- checks use), never a number of this
module's own. A duty with no recorded anchor date (never audited, never reviewed) is due on the earliest date the
row gives (the contract start, the day the account was first operated, the agreement's start) or today.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

from csmguard.domain import text
from csmguard.duties.model import Duty, DutyKind
from csmguard.registers import models as m
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.registers.cloud_scope import provider_in_scope
from csmguard.registers.facts import RegisterFacts
from csmguard.registers.fields import period_bounds

RegisterDuties = Callable[[RegisterFacts, RegisterCheckSettings, date], Iterator[Duty]]


def _iso(value: date | None) -> str:
    return value.isoformat() if value else "-"


def _in_scope_providers(facts: RegisterFacts) -> list[m.CloudProvider]:
    """Providers with an in-scope active service, or whose scope is unknown (no recorded service): a reminder
    for a provider the firm has not placed in or out of scope errs on the side of the duty."""
    return [p for p in facts.providers if provider_in_scope(p.name, facts) is not False]


def provider_audits(facts: RegisterFacts, cfg: RegisterCheckSettings, today: date) -> Iterator[Duty]:
    """CSM-4.3: each in-scope provider's next audit (the recorded date plus grace, else the last audit plus the
    firm's interval, else due now)."""
    for p in _in_scope_providers(facts):
        source = f"cloud-providers/{p.name}"
        if p.next_audit_due is not None:
            due = p.next_audit_due + timedelta(days=cfg.audit_grace_days)
            basis = "record" if cfg.audit_grace_days == 0 else "setting:audit_grace_days"
            detail = text(f"下次查核期限 {_iso(p.next_audit_due)}", f"next audit due {_iso(p.next_audit_due)}")
        elif p.last_audit_on is not None:
            due = p.last_audit_on + timedelta(days=cfg.provider_audit_interval_days)
            basis = "setting:provider_audit_interval_days"
            detail = text(f"最近查核 {_iso(p.last_audit_on)}，間隔 {cfg.provider_audit_interval_days} 天",
                          f"last audit {_iso(p.last_audit_on)}, interval {cfg.provider_audit_interval_days} days")
        else:
            due, basis = p.contract_start or today, "text"
            detail = text("未曾查核且未訂下次查核期限", "never audited and no next audit date")
        yield Duty(DutyKind.PROVIDER_AUDIT, due, "CSM-4.3", source,
                   text(f"查核雲端服務業者 {p.name}", f"Audit cloud provider {p.name}"), detail, basis)


def _period_name(day: date, period: str) -> str:
    return f"{day.year}-{day.month:02d}" if period == "month" else f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _recent_periods(today: date, cfg: RegisterCheckSettings) -> list[str]:
    """The current period and the ``sla_lookback_periods`` before it, oldest first."""
    names: list[str] = []
    day = today
    for _ in range(cfg.sla_lookback_periods + 1):
        name = _period_name(day, cfg.sla_period)
        names.append(name)
        day = period_bounds(name)[0] - timedelta(days=1)
    return names[::-1]


def _months(start: date, end: date) -> set[tuple[int, int]]:
    """The (year, month) pairs from ``start`` to ``end``."""
    months: set[tuple[int, int]] = set()
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.add((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def sla_reports(facts: RegisterFacts, cfg: RegisterCheckSettings, today: date) -> Iterator[Duty]:
    """CSM-6.1: for each in-scope provider, every recent period (the current one and the firm's look-back)
    without a received report, due when the period closes plus the firm's grace days."""
    for p in _in_scope_providers(facts):
        covered: set[tuple[int, int]] = set()
        for report in facts.sla_reports:
            if report.provider == p.name:
                covered |= _months(*period_bounds(report.period))
        for period in _recent_periods(today, cfg):
            start, end = period_bounds(period)
            if p.contract_start is not None and end < p.contract_start:
                continue
            if _months(start, end) <= covered:  # monthly reports may cover a quarter, and the reverse
                continue
            yield Duty(DutyKind.SLA_REPORT, end + timedelta(days=cfg.sla_report_grace_days), "CSM-6.1",
                       f"cloud-providers/{p.name}",
                       text(f"收取 {p.name} {period} 服務水準報告", f"Receive {p.name}'s SLA report for {period}"),
                       text(f"期間 {period} 結束後 {cfg.sla_report_grace_days} 天內",
                            f"within {cfg.sla_report_grace_days} days after {period} closes"),
                       "setting:sla_report_grace_days")


def incident_updates(facts: RegisterFacts, cfg: RegisterCheckSettings, today: date) -> Iterator[Duty]:
    """CSM-6.3: each open, notified incident of an in-scope provider expects its next update within the firm's
    interval after the last one (or the notice)."""
    for incident in facts.incidents:
        if incident.resolved or incident.notified_at is None:
            continue
        if provider_in_scope(incident.provider, facts) is False:
            continue
        last = incident.last_update_on or incident.notified_at.date()
        yield Duty(DutyKind.INCIDENT_UPDATE, last + timedelta(days=cfg.incident_update_days), "CSM-6.3",
                   f"provider-incidents/{incident.key()}",
                   text(f"{incident.provider} 事件 {incident.reference} 之更新通知",
                        f"Update from {incident.provider} on incident {incident.reference}"),
                   text(f"最近更新 {_iso(last)}，間隔 {cfg.incident_update_days} 天",
                        f"last update {_iso(last)}, interval {cfg.incident_update_days} days"),
                   "setting:incident_update_days")


def privacy_reviews(facts: RegisterFacts, cfg: RegisterCheckSettings, today: date) -> Iterator[Duty]:
    """CSM-11.1: each official account's platform privacy policy, reviewed again within the firm's interval."""
    for account in facts.social_accounts:
        if not account.official:
            continue
        reviewed = account.privacy_policy_reviewed_on
        if reviewed is None:
            due, basis = account.operated_since or today, "text"
            detail = text("從未檢視", "never reviewed")
        else:
            due, basis = reviewed + timedelta(days=cfg.privacy_review_days), "setting:privacy_review_days"
            detail = text(f"最近檢視 {_iso(reviewed)}，間隔 {cfg.privacy_review_days} 天",
                          f"last reviewed {_iso(reviewed)}, interval {cfg.privacy_review_days} days")
        label = f"{account.platform} {account.handle}"
        yield Duty(DutyKind.PRIVACY_REVIEW, due, "CSM-11.1", f"social-accounts/{account.key()}",
                   text(f"檢視 {label} 之平台隱私政策", f"Review the platform privacy policy of {label}"),
                   detail, basis)


def byod_agreements(facts: RegisterFacts, cfg: RegisterCheckSettings, today: date) -> Iterator[Duty]:
    """CSM-15.1: for each BYOD device in use, its latest agreement is reviewed within the firm's interval and
    renewed before it ends; a device with no agreement at all needs one now."""
    for device in facts.devices:
        if device.ownership is not m.Ownership.BYOD or device.status is not m.DeviceStatus.IN_USE:
            continue
        label = f"{device.owner} {device.device_id}"
        agreements = [a for a in facts.byod_agreements if a.device_id == device.device_id]
        if not agreements:
            yield Duty(DutyKind.BYOD_REVIEW, today, "CSM-15.1", f"devices/{device.key()}",
                       text(f"與 {label} 簽訂 BYOD 協議", f"Sign a BYOD agreement for {label}"),
                       text("使用中之自攜裝置無協議", "a BYOD device in use has no agreement"), "text")
            continue
        a = max(agreements, key=lambda x: (x.valid_until, x.valid_from))
        source = f"byod-agreements/{a.key()}"
        if a.last_review is None:
            due, basis = a.valid_from, "text"
            detail = text("協議從未審核", "the agreement was never reviewed")
        else:
            due, basis = a.last_review + timedelta(days=cfg.byod_review_days), "setting:byod_review_days"
            detail = text(f"最近審核 {_iso(a.last_review)}，間隔 {cfg.byod_review_days} 天",
                          f"last reviewed {_iso(a.last_review)}, interval {cfg.byod_review_days} days")
        if due <= a.valid_until:
            yield Duty(DutyKind.BYOD_REVIEW, due, "CSM-15.1", source,
                       text(f"審核 {label} 之 BYOD 協議", f"Review the BYOD agreement of {label}"), detail, basis)
        yield Duty(DutyKind.BYOD_RENEWAL, a.valid_until, "CSM-15.1", source,
                   text(f"{label} 之 BYOD 協議到期", f"BYOD agreement of {label} ends"),
                   text(f"期間 {_iso(a.valid_from)} 至 {_iso(a.valid_until)}",
                        f"valid {_iso(a.valid_from)} to {_iso(a.valid_until)}"), "record")


_HANDLED = {m.DeviceStatus.WIPED, m.DeviceStatus.REASSIGNED, m.DeviceStatus.RETURNED, m.DeviceStatus.RETIRED}


def departed_devices(facts: RegisterFacts, cfg: RegisterCheckSettings, today: date) -> Iterator[Duty]:
    """CSM-14.2: the devices of a person who left or moved, not yet wiped, returned, reassigned or (after a move)
    reconfigured, are due the firm's number of days after the change."""
    for change in facts.staff_changes:
        if change.change not in (m.StaffChangeKind.DEPART, m.StaffChangeKind.MOVE):
            continue
        if change.change is m.StaffChangeKind.MOVE and change.devices_reconfigured_on is not None:
            continue
        due = change.effective_on + timedelta(days=cfg.device_wipe_days)
        what = ("離職", "departure") if change.change is m.StaffChangeKind.DEPART else ("調動", "move")
        for device in facts.devices:
            if device.owner != change.person or device.status in _HANDLED:
                continue
            if device.status_changed_on and device.status_changed_on < change.effective_on - timedelta(days=365):
                continue
            yield Duty(DutyKind.DEPARTED_DEVICE, due, "CSM-14.2", f"staff-changes/{change.key()}",
                       text(f"清除或重新配置 {change.person} 之裝置 {device.device_id}",
                            f"Wipe or reconfigure {change.person}'s device {device.device_id}"),
                       text(f"{what[0]}生效 {_iso(change.effective_on)}，{cfg.device_wipe_days} 天內；裝置狀態 "
                            f"{device.status.value}",
                            f"{what[1]} effective {_iso(change.effective_on)}, within {cfg.device_wipe_days} days; "
                            f"device {device.status.value}"),
                       "setting:device_wipe_days")


REGISTER_DUTIES: tuple[RegisterDuties, ...] = (
    provider_audits, sla_reports, incident_updates, privacy_reviews, byod_agreements, departed_devices)


def register_duties(facts: RegisterFacts, cfg: RegisterCheckSettings, today: date) -> list[Duty]:
    """Every duty the registers imply as of ``today``."""
    return [duty for compute in REGISTER_DUTIES for duty in compute(facts, cfg, today)]
