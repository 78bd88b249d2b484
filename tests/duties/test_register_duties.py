"""Duties from the registers: each names its clause, its source row and a date from the row or a firm-policy
setting; intervals follow the workspace's settings."""

from __future__ import annotations

from datetime import date

from csmguard.duties.model import DutyKind, DutyState
from csmguard.duties.registers import register_duties
from csmguard.registers.check_settings import RegisterCheckSettings
from tests.registers.facts import facts_from

TODAY = date(2026, 6, 15)
CRITICAL = {"name": "核心交易", "provider": "甲雲", "model": "iaas", "critical": True}


def _by_kind(registers: dict[str, list[dict[str, object]]], cfg: RegisterCheckSettings | None = None,
             today: date = TODAY) -> dict[DutyKind, list[tuple[date, str, str]]]:
    out: dict[DutyKind, list[tuple[date, str, str]]] = {}
    for duty in register_duties(facts_from(registers), cfg or RegisterCheckSettings(), today):
        out.setdefault(duty.kind, []).append((duty.due, duty.requirement, duty.source))
    return out


def test_provider_audit_dates() -> None:
    providers = [
        {"name": "甲雲", "next_audit_due": "2026-07-01"},
        {"name": "乙雲", "last_audit_on": "2025-06-01"},
        {"name": "丙雲", "contract_start": "2026-01-10"},
        {"name": "丁雲", "last_audit_on": "2026-01-01"},
    ]
    services = [CRITICAL, {**CRITICAL, "name": "帳務", "provider": "乙雲"},
                {**CRITICAL, "name": "客服", "provider": "丙雲"},
                {**CRITICAL, "name": "內部文件", "provider": "丁雲", "critical": False}]
    got = _by_kind({"cloud-providers": providers, "cloud-services": services})[DutyKind.PROVIDER_AUDIT]
    assert sorted(got) == [(date(2026, 1, 10), "CSM-4.3", "cloud-providers/丙雲"),
                           (date(2026, 6, 1), "CSM-4.3", "cloud-providers/乙雲"),
                           (date(2026, 7, 1), "CSM-4.3", "cloud-providers/甲雲")]  # 丁雲: not critical, out of scope
    # the interval is the firm's setting
    cfg = RegisterCheckSettings(provider_audit_interval_days=180, audit_grace_days=5)
    got = _by_kind({"cloud-providers": providers, "cloud-services": services}, cfg)[DutyKind.PROVIDER_AUDIT]
    assert (date(2025, 11, 28), "CSM-4.3", "cloud-providers/乙雲") in got
    assert (date(2026, 7, 6), "CSM-4.3", "cloud-providers/甲雲") in got


def test_sla_report_periods_missing_and_upcoming() -> None:
    registers = {"cloud-providers": [{"name": "甲雲", "contract_start": "2026-03-01"}], "cloud-services": [CRITICAL],
                 "sla-reports": [{"provider": "甲雲", "period": "2026-03", "received_on": "2026-04-10"},
                                 {"provider": "甲雲", "period": "2026-05", "received_on": "2026-06-05"}]}
    got = _by_kind(registers)[DutyKind.SLA_REPORT]
    # April is missing (overdue: 30 days after it closed), June is the current period; March and May were received,
    # periods before the contract are not due
    assert got == [(date(2026, 5, 30), "CSM-6.1", "cloud-providers/甲雲"),
                   (date(2026, 7, 30), "CSM-6.1", "cloud-providers/甲雲")]
    quarterly = RegisterCheckSettings(sla_period="quarter", sla_report_grace_days=10)
    got = _by_kind(registers, quarterly)[DutyKind.SLA_REPORT]
    assert (date(2026, 7, 10), "CSM-6.1", "cloud-providers/甲雲") in got  # Q2 closes 06-30


def test_incident_update_interval() -> None:
    registers = {"cloud-providers": [{"name": "甲雲"}], "cloud-services": [CRITICAL], "provider-incidents": [
        {"provider": "甲雲", "reference": "INC-1", "occurred_at": "2026-06-01T09:00", "notified_at": "2026-06-01T10:00",
         "agreed_notification_hours": 2, "last_update_on": "2026-06-10"},
        {"provider": "甲雲", "reference": "INC-2", "occurred_at": "2026-06-01T09:00", "notified_at": "2026-06-02T10:00",
         "agreed_notification_hours": 2},
        {"provider": "甲雲", "reference": "INC-3", "occurred_at": "2026-05-01T09:00", "notified_at": "2026-05-01T10:00",
         "agreed_notification_hours": 2, "resolved": True}]}
    got = _by_kind(registers)[DutyKind.INCIDENT_UPDATE]
    assert got == [(date(2026, 6, 17), "CSM-6.3", "provider-incidents/甲雲/INC-1"),
                   (date(2026, 6, 9), "CSM-6.3", "provider-incidents/甲雲/INC-2")]


def test_privacy_byod_and_departed_devices() -> None:
    registers = {
        "social-accounts": [{"platform": "facebook", "handle": "範例證券", "privacy_policy_reviewed_on": "2025-09-01"},
                            {"platform": "line", "handle": "範例", "operated_since": "2026-02-01"},
                            {"platform": "x", "handle": "員工個人", "official": False}],
        "devices": [{"device_id": "B-1", "owner": "王小明", "ownership": "byod"},
                    {"device_id": "B-2", "owner": "陳大文", "ownership": "byod"},
                    {"device_id": "C-1", "owner": "林離職"},
                    {"device_id": "C-2", "owner": "林離職", "status": "wiped", "status_changed_on": "2026-06-02"}],
        "byod-agreements": [{"holder": "王小明", "device_id": "B-1", "valid_from": "2025-01-01",
                             "valid_until": "2025-12-31", "signed_on": "2025-01-01", "last_review": "2025-01-01"},
                            {"holder": "王小明", "device_id": "B-1", "valid_from": "2026-01-01",
                             "valid_until": "2026-12-31", "signed_on": "2026-01-01", "last_review": "2026-01-05"}],
        "staff-changes": [{"person": "林離職", "change": "depart", "effective_on": "2026-06-01"}],
    }
    got = _by_kind(registers)
    assert got[DutyKind.PRIVACY_REVIEW] == [(date(2026, 9, 1), "CSM-11.1", "social-accounts/facebook/範例證券"),
                                            (date(2026, 2, 1), "CSM-11.1", "social-accounts/line/範例")]
    # only the latest agreement of B-1 counts; B-2 has none: due now
    # B-1's next review (2027-01-05) falls after its agreement ends: the renewal is the duty
    assert got[DutyKind.BYOD_REVIEW] == [(TODAY, "CSM-15.1", "devices/B-2")]
    assert got[DutyKind.BYOD_RENEWAL] == [(date(2026, 12, 31), "CSM-15.1", "byod-agreements/王小明/B-1")]
    # C-1 is still in use 7 days after the departure; C-2 was wiped
    assert got[DutyKind.DEPARTED_DEVICE] == [(date(2026, 6, 8), "CSM-14.2", "staff-changes/林離職/depart/2026-06-01")]


def test_states_as_of_today() -> None:
    registers = {"cloud-providers": [{"name": "甲雲", "next_audit_due": "2026-06-20"},
                                     {"name": "乙雲", "next_audit_due": "2026-06-01"},
                                     {"name": "丙雲", "next_audit_due": "2026-12-01"}],
                 "cloud-services": [CRITICAL, {**CRITICAL, "name": "b", "provider": "乙雲"},
                                    {**CRITICAL, "name": "c", "provider": "丙雲"}]}
    duties = register_duties(facts_from(registers), RegisterCheckSettings(), TODAY)
    states = {d.source: d.state(TODAY) for d in duties if d.kind is DutyKind.PROVIDER_AUDIT}
    assert states == {"cloud-providers/甲雲": DutyState.DUE_SOON, "cloud-providers/乙雲": DutyState.OVERDUE,
                      "cloud-providers/丙雲": DutyState.UPCOMING}


def test_monthly_reports_cover_a_quarter_only_when_all_three_are_there() -> None:
    quarterly = RegisterCheckSettings(sla_period="quarter")
    reports = [{"provider": "甲雲", "period": f"2026-0{m}", "received_on": "2026-04-10"} for m in (1, 3)]
    registers = {"cloud-providers": [{"name": "甲雲", "contract_start": "2026-01-01"}], "cloud-services": [CRITICAL],
                 "sla-reports": reports}
    got = _by_kind(registers, quarterly)[DutyKind.SLA_REPORT]
    assert (date(2026, 4, 30), "CSM-6.1", "cloud-providers/甲雲") in got  # Q1: February is missing
    reports.append({"provider": "甲雲", "period": "2026-02", "received_on": "2026-04-10"})
    got = _by_kind(registers, quarterly)[DutyKind.SLA_REPORT]
    assert (date(2026, 4, 30), "CSM-6.1", "cloud-providers/甲雲") not in got
