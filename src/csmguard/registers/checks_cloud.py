"""Register checks of the cloud registers (REG-001 … REG-006): pure functions of the records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from csmguard.domain import Finding
from csmguard.registers import models as m
from csmguard.registers.check_helpers import (
    RegisterCheckContext,
    fail,
    iso,
    message,
    out_of_scope,
    passed,
    undetermined,
)
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.registers.cloud_scope import provider_in_scope, service_scope
from csmguard.registers.facts import RegisterFacts
from csmguard.registers.fields import period_bounds
from csmguard.rules.model import Rule

P = "cloud-providers"
S = "cloud-services"


def _label(p: m.CloudProvider, s: m.CloudService) -> tuple[str, str]:
    return f"{p.name}（服務 {s.name}）", f"{p.name} (service {s.name})"


Judge = Callable[[m.CloudService, m.CloudProvider], Finding]


def _per_service(rule: Rule, facts: RegisterFacts, judge: Judge) -> list[Finding]:
    """Judge every active in-scope cloud service by its provider's record (articles 4–7 apply per service: 3.1);
    a service out of scope is not applicable with the reason; a service whose provider is not recorded, and a
    provider with no recorded service (its criticality unknown), are undetermined."""
    out: list[Finding] = []
    providers = {p.name: p for p in facts.providers}
    for s in facts.services:
        if s.status is not m.ServiceStatus.ACTIVE:
            out.append(out_of_scope(rule, S, s, f"{s.name} 已終止", f"{s.name} is terminated"))
            continue
        scope = service_scope(s, facts)
        if not scope.in_scope:
            out.append(out_of_scope(rule, S, s, scope.reason_zh, scope.reason_en))
            continue
        provider = providers.get(s.provider)
        if provider is None:
            out.append(undetermined(rule, S, s, f"{s.name} 之業者 {s.provider} 未登錄於雲端服務業者清冊",
                                    f"{s.name}: its provider {s.provider} is not in the cloud-providers register"))
            continue
        out.append(judge(s, provider))
    served = {s.provider for s in facts.services}
    for p in facts.providers:
        if p.name not in served:
            out.append(undetermined(
                rule, P, p, f"業者 {p.name} 未登錄任何雲端服務，無法判斷是否涉及關鍵性系統、資料或服務（第3條第1項）",
                f"provider {p.name} has no recorded cloud service, so whether it involves critical systems, data or "
                "services (article 3.1) is unknown"))
    return out


def provider_audit_overdue(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-001: the next audit date passed (with grace), or no audit within the interval when none is set."""
    cfg = context.settings
    today = context.today
    def judge(s: m.CloudService, p: m.CloudProvider) -> Finding:
        if p.next_audit_due is not None:
            overdue = today > p.next_audit_due + timedelta(days=cfg.audit_grace_days)
            zh = f"下次稽核期限 {iso(p.next_audit_due)} 已過"
            en = f"the next audit was due on {iso(p.next_audit_due)}"
        elif p.last_audit_on is not None:
            overdue = (today - p.last_audit_on).days > cfg.provider_audit_interval_days
            zh = f"最近稽核 {iso(p.last_audit_on)} 已逾 {cfg.provider_audit_interval_days} 天"
            en = f"the last audit on {iso(p.last_audit_on)} is over {cfg.provider_audit_interval_days} days old"
        else:
            overdue, zh, en = True, "未曾稽核且未訂下次稽核期限", "never audited and no next audit date"
        label_zh, label_en = _label(p, s)
        if overdue:
            return fail(rule, S, s, message(rule, {"provider": label_zh, "detail": zh},
                                            {"provider": label_en, "detail": en}),
                        {"provider": p.name, "last_audit_on": iso(p.last_audit_on),
                         "next_audit_due": iso(p.next_audit_due)})
        return passed(rule, S, s, f"{label_zh} 稽核未逾期（最近 {iso(p.last_audit_on)}）",
                      f"{label_en}: audit not overdue (last {iso(p.last_audit_on)})")
    return _per_service(rule, facts, judge)


def star_below_bronze_without_onsite_audit(rule: Rule, facts: RegisterFacts,
                                           context: RegisterCheckContext) -> list[Finding]:
    """REG-002: no valid STAR Certification award of bronze or above, and the last audit was not on site."""
    today = context.today
    def judge(s: m.CloudService, p: m.CloudProvider) -> Finding:
        expired = p.star_expiry is not None and p.star_expiry < today
        has_award = p.star_award is not m.StarAward.NONE and not expired
        onsite = p.last_audit_kind is m.AuditKind.ON_SITE
        award = f"{p.star_award.value}{' expired ' + iso(p.star_expiry) if expired else ''}"
        label_zh, label_en = _label(p, s)
        if not has_award and not onsite:
            return fail(rule, S, s, message(rule, {"provider": label_zh, "award": award},
                                            {"provider": label_en, "award": award}),
                        {"provider": p.name, "star_level": p.star_level.value, "star_award": p.star_award.value,
                         "star_expiry": iso(p.star_expiry),
                         "last_audit_kind": p.last_audit_kind.value if p.last_audit_kind else None})
        star = f"STAR {p.star_award.value}"
        why = (star, star) if has_award else ("實地稽核", "on-site audit")
        return passed(rule, S, s, f"{label_zh}：{why[0]}", f"{label_en}: {why[1]}")
    return _per_service(rule, facts, judge)


def no_contractual_recovery_time(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-003: the provider's contract states no recovery time."""
    def judge(s: m.CloudService, p: m.CloudProvider) -> Finding:
        label_zh, label_en = _label(p, s)
        if p.recovery_time_hours is None:
            return fail(rule, S, s, message(rule, {"provider": label_zh}, {"provider": label_en}),
                        {"provider": p.name})
        return passed(rule, S, s, f"{label_zh} 契約復原時間 {p.recovery_time_hours:g} 小時",
                      f"{label_en}: contractual recovery time {p.recovery_time_hours:g} h")
    return _per_service(rule, facts, judge)


def _months(start: date, end: date) -> set[tuple[int, int]]:
    months: set[tuple[int, int]] = set()
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.add((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _closed_periods(today: date, cfg: RegisterCheckSettings, since: date | None) -> list[str]:
    """The last ``sla_lookback_periods`` periods whose report is due by ``today``, oldest first."""
    periods: list[str] = []
    year, index = today.year, (today.month if cfg.sla_period == "month" else (today.month - 1) // 3 + 1)
    for _ in range(cfg.sla_lookback_periods + 24):
        index -= 1
        if index == 0:
            year, index = year - 1, 12 if cfg.sla_period == "month" else 4
        name = f"{year}-{index:02d}" if cfg.sla_period == "month" else f"{year}-Q{index}"
        _, end = period_bounds(name)
        if since is not None and end < since:
            break
        if end + timedelta(days=cfg.sla_report_grace_days) < today:
            periods.append(name)
        if len(periods) == cfg.sla_lookback_periods:
            break
    return sorted(periods)


def missing_sla_report(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-004: the provider of an active in-scope service sent no SLA report for a closed period."""
    cfg = context.settings
    today = context.today
    def judge(s: m.CloudService, p: m.CloudProvider) -> Finding:
        covered: set[tuple[int, int]] = set()
        for report in facts.sla_reports:
            if report.provider == p.name:
                covered |= _months(*period_bounds(report.period))
        missing = [period for period in _closed_periods(today, cfg, p.contract_start)
                   if not _months(*period_bounds(period)) <= covered]
        label_zh, label_en = _label(p, s)
        if missing:
            joined = ", ".join(missing)
            return fail(rule, S, s, message(rule, {"provider": label_zh, "periods": joined},
                                            {"provider": label_en, "periods": joined}),
                        {"provider": p.name, "missing_periods": missing})
        return passed(rule, S, s, f"{label_zh} 已結束期間之 SLA 報告齊全",
                      f"{label_en}: SLA reports present for every closed period")
    return _per_service(rule, facts, judge)


def incident_notified_late(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-005: the provider notified an incident later than the agreed hours (or not at all when due)."""
    today = context.today
    out: list[Finding] = []
    now = datetime.combine(today, time.max)
    for incident in facts.incidents:
        in_scope = provider_in_scope(incident.provider, facts)
        if in_scope is False:
            out.append(out_of_scope(rule, "provider-incidents", incident,
                                    f"業者 {incident.provider} 之雲端服務均未涉及關鍵性系統、資料或服務（第3條第1項）",
                                    f"no service of {incident.provider} involves critical systems, data or services "
                                    "(article 3.1)"))
            continue
        if in_scope is None:
            out.append(undetermined(rule, "provider-incidents", incident,
                                    f"業者 {incident.provider} 未登錄使用中之雲端服務，無法判斷第6條是否適用",
                                    f"{incident.provider} has no recorded active cloud service, so whether article 6 "
                                    "applies is unknown"))
            continue
        deadline = incident.occurred_at + timedelta(hours=incident.agreed_notification_hours)
        values = {"provider": incident.provider, "reference": incident.reference}
        if incident.notified_at is None:
            if now <= deadline:
                continue
            zh = f"未通知（約定 {incident.agreed_notification_hours:g} 小時內）"
            en = f"not notified (agreed within {incident.agreed_notification_hours:g} h)"
        elif incident.notified_at > deadline:
            hours = (incident.notified_at - incident.occurred_at).total_seconds() / 3600
            zh = f"於發生後 {hours:.1f} 小時才通知，超過約定之 {incident.agreed_notification_hours:g} 小時"
            en = (f"notified {hours:.1f} h after it occurred, later than the agreed "
                  f"{incident.agreed_notification_hours:g} h")
        else:
            out.append(passed(rule, "provider-incidents", incident, f"{incident.reference} 於約定時限內通知",
                              f"{incident.reference}: notified within the agreed hours"))
            continue
        out.append(fail(rule, "provider-incidents", incident, message(rule, {**values, "detail": zh},
                                                                      {**values, "detail": en}),
                        {"occurred_at": incident.occurred_at.isoformat(),
                         "notified_at": incident.notified_at.isoformat() if incident.notified_at else None,
                         "agreed_notification_hours": incident.agreed_notification_hours}))
    return out


def iaas_terminated_without_deletion_certificate(rule: Rule, facts: RegisterFacts,
                                                 context: RegisterCheckContext) -> list[Finding]:
    """REG-006: an external IaaS service ended without a deletion certificate covering its backups."""
    today = context.today
    out: list[Finding] = []
    certificates = {c.service: c for c in facts.deletion_certificates}
    for s in facts.services:
        if not (s.model is m.ServiceModel.IAAS and s.deployment is m.Deployment.EXTERNAL
                and (s.status is m.ServiceStatus.TERMINATED or (s.terminated_on and s.terminated_on <= today))):
            continue
        scope = service_scope(s, facts)
        if not scope.in_scope:
            out.append(out_of_scope(rule, S, s, scope.reason_zh, scope.reason_en))
            continue
        certificate = certificates.get(s.name)
        if certificate is None:
            zh, en = "無資料刪除證明", "no deletion certificate"
        elif not certificate.covers_backups:
            zh, en = "刪除證明未涵蓋備份檔", "the deletion certificate does not cover the backups"
        else:
            out.append(passed(rule, "cloud-services", s, f"{s.name} 已取得刪除證明（{iso(certificate.issued_on)}）",
                              f"{s.name}: deletion certificate issued {iso(certificate.issued_on)}"))
            continue
        out.append(fail(rule, "cloud-services", s, message(rule, {"service": s.name, "detail": zh},
                                                           {"service": s.name, "detail": en}),
                        {"terminated_on": iso(s.terminated_on), "provider": s.provider}))
    return out


def backup_mechanism_not_evaluated(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-020: no evaluation of whether the provider of an in-scope service has a backup (redundancy)
    mechanism is recorded (the shall part of 4.2)."""
    def judge(s: m.CloudService, p: m.CloudProvider) -> Finding:
        label_zh, label_en = _label(p, s)
        if not (p.redundancy_backup or "").strip():
            return fail(rule, S, s, message(rule, {"provider": label_zh}, {"provider": label_en}),
                        {"provider": p.name})
        return passed(rule, S, s, f"{label_zh} 備援機制評估：{p.redundancy_backup}",
                      f"{label_en}: backup mechanism assessed: {p.redundancy_backup}")
    return _per_service(rule, facts, judge)


def incident_updates_overdue(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-021: after notifying an incident the provider did not update it regularly (6.3): an open incident
    whose last update (or notice) is older than the firm's interval; a closed one with no update recorded is
    undetermined."""
    cfg = context.settings
    today = context.today
    out: list[Finding] = []
    for incident in facts.incidents:
        if incident.notified_at is None or provider_in_scope(incident.provider, facts) is not True:
            continue  # not notified: REG-005; out of scope or unknown scope: REG-005 says so
        label = f"{incident.provider} {incident.reference}"
        last = incident.last_update_on or incident.notified_at.date()
        if incident.resolved:
            if incident.last_update_on is None:
                out.append(undetermined(rule, "provider-incidents", incident,
                                        f"{label} 已結案，但未記錄業者之更新通知，無法判斷是否定期更新",
                                        f"{label} is closed but no update from the provider is recorded, so whether "
                                        "it was updated regularly is unknown"))
            else:
                out.append(passed(rule, "provider-incidents", incident, f"{label} 已結案，最近更新 {iso(last)}",
                                  f"{label}: closed, last update {iso(last)}"))
            continue
        age = (today - last).days
        values = {"provider": incident.provider, "reference": incident.reference}
        if age > cfg.incident_update_days:
            out.append(fail(rule, "provider-incidents", incident, message(
                rule, {**values,
                       "detail": f"最近更新為 {iso(last)}，已 {age} 天（間隔 {cfg.incident_update_days} 天）"},
                {**values, "detail": f"last update {iso(last)}, {age} days ago (interval {cfg.incident_update_days})"}),
                {"last_update": iso(last), "days": age}))
        else:
            out.append(passed(rule, "provider-incidents", incident, f"{label} 最近更新 {iso(last)}",
                              f"{label}: last update {iso(last)}"))
    return out


def isolation_failure_notified_late(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-022: an isolation failure the provider did not notify immediately (7.2): not notified, or later than
    the firm's limit for "immediately" after it occurred."""
    cfg = context.settings
    out: list[Finding] = []
    for incident in facts.incidents:
        if not incident.isolation_failure:
            continue
        in_scope = provider_in_scope(incident.provider, facts)
        if in_scope is not True:
            continue  # out of scope or unknown scope: REG-005 says so for every incident of the provider
        label = f"{incident.provider} {incident.reference}"
        values = {"provider": incident.provider, "reference": incident.reference}
        if incident.notified_at is None:
            zh, en = "未通知", "not notified"
        else:
            hours = (incident.notified_at - incident.occurred_at).total_seconds() / 3600
            if hours <= cfg.isolation_notice_hours:
                out.append(passed(rule, "provider-incidents", incident, f"{label} 於發生後 {hours:.1f} 小時內通知",
                                  f"{label}: notified {hours:.1f} h after it occurred"))
                continue
            zh = f"於發生後 {hours:.1f} 小時才通知（立即：{cfg.isolation_notice_hours:g} 小時內）"
            en = f"notified {hours:.1f} h after it occurred (immediately: within {cfg.isolation_notice_hours:g} h)"
        out.append(fail(rule, "provider-incidents", incident, message(rule, {**values, "detail": zh},
                                                                      {**values, "detail": en}),
                        {"occurred_at": incident.occurred_at.isoformat(),
                         "notified_at": incident.notified_at.isoformat() if incident.notified_at else None}))
    return out
