"""Register checks of the cloud registers (REG-001 … REG-006): pure functions of the records."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from csmguard.domain import Finding
from csmguard.registers import models as m
from csmguard.registers.check_helpers import fail, iso, message, passed
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.registers.facts import RegisterFacts
from csmguard.registers.fields import period_bounds
from csmguard.rules.model import Rule

P = "cloud-providers"


def provider_audit_overdue(rule: Rule, facts: RegisterFacts, cfg: RegisterCheckSettings, today: date) -> list[Finding]:
    """REG-001: the next audit date passed (with grace), or no audit within the interval when none is set."""
    out: list[Finding] = []
    for p in facts.providers:
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
        if overdue:
            out.append(fail(rule, P, p, message(rule, {"provider": p.name, "detail": zh},
                                                {"provider": p.name, "detail": en}),
                            {"last_audit_on": iso(p.last_audit_on), "next_audit_due": iso(p.next_audit_due)}))
        else:
            out.append(passed(rule, P, p, f"{p.name} 稽核未逾期（最近 {iso(p.last_audit_on)}）",
                              f"{p.name}: audit not overdue (last {iso(p.last_audit_on)})"))
    return out


def star_below_bronze_without_onsite_audit(rule: Rule, facts: RegisterFacts, cfg: RegisterCheckSettings,
                                           today: date) -> list[Finding]:
    """REG-002: no valid STAR Certification award of bronze or above, and the last audit was not on site."""
    out: list[Finding] = []
    for p in facts.providers:
        expired = p.star_expiry is not None and p.star_expiry < today
        has_award = p.star_award is not m.StarAward.NONE and not expired
        onsite = p.last_audit_kind is m.AuditKind.ON_SITE
        award = f"{p.star_award.value}{' expired ' + iso(p.star_expiry) if expired else ''}"
        if not has_award and not onsite:
            out.append(fail(rule, P, p, message(rule, {"provider": p.name, "award": award},
                                                {"provider": p.name, "award": award}),
                            {"star_level": p.star_level.value, "star_award": p.star_award.value,
                             "star_expiry": iso(p.star_expiry),
                             "last_audit_kind": p.last_audit_kind.value if p.last_audit_kind else None}))
        else:
            star = f"STAR {p.star_award.value}"
            why = (star, star) if has_award else ("實地稽核", "on-site audit")
            out.append(passed(rule, P, p, f"{p.name}：{why[0]}", f"{p.name}: {why[1]}"))
    return out


def no_contractual_recovery_time(rule: Rule, facts: RegisterFacts, cfg: RegisterCheckSettings,
                                 today: date) -> list[Finding]:
    """REG-003: the provider's contract states no recovery time."""
    out: list[Finding] = []
    for p in facts.providers:
        if p.recovery_time_hours is None:
            out.append(fail(rule, P, p, message(rule, {"provider": p.name}, {"provider": p.name})))
        else:
            out.append(passed(rule, P, p, f"{p.name} 契約復原時間 {p.recovery_time_hours:g} 小時",
                              f"{p.name}: contractual recovery time {p.recovery_time_hours:g} h"))
    return out


def _months(start: date, end: date) -> set[tuple[int, int]]:
    months: set[tuple[int, int]] = set()
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.add((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def closed_periods(today: date, cfg: RegisterCheckSettings, since: date | None) -> list[str]:
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


def missing_sla_report(rule: Rule, facts: RegisterFacts, cfg: RegisterCheckSettings, today: date) -> list[Finding]:
    """REG-004: a provider of an active external service sent no SLA report for a closed period."""
    out: list[Finding] = []
    active = {s.provider for s in facts.services
              if s.status is m.ServiceStatus.ACTIVE and s.deployment is m.Deployment.EXTERNAL}
    for p in facts.providers:
        if p.name not in active:
            continue
        covered: set[tuple[int, int]] = set()
        for report in facts.sla_reports:
            if report.provider == p.name:
                covered |= _months(*period_bounds(report.period))
        missing = [period for period in closed_periods(today, cfg, p.contract_start)
                   if not _months(*period_bounds(period)) <= covered]
        if missing:
            joined = ", ".join(missing)
            out.append(fail(rule, P, p, message(rule, {"provider": p.name, "periods": joined},
                                                {"provider": p.name, "periods": joined}),
                            {"missing_periods": missing}))
        else:
            out.append(passed(rule, P, p, f"{p.name} 已結束期間之 SLA 報告齊全",
                              f"{p.name}: SLA reports present for every closed period"))
    return out


def incident_notified_late(rule: Rule, facts: RegisterFacts, cfg: RegisterCheckSettings,
                           today: date) -> list[Finding]:
    """REG-005: the provider notified an incident later than the agreed hours (or not at all when due)."""
    out: list[Finding] = []
    now = datetime.combine(today, time.max)
    for incident in facts.incidents:
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


def iaas_terminated_without_deletion_certificate(rule: Rule, facts: RegisterFacts, cfg: RegisterCheckSettings,
                                                 today: date) -> list[Finding]:
    """REG-006: an external IaaS service ended without a deletion certificate covering its backups."""
    out: list[Finding] = []
    certificates = {c.service: c for c in facts.deletion_certificates}
    for s in facts.services:
        if not (s.model is m.ServiceModel.IAAS and s.deployment is m.Deployment.EXTERNAL
                and (s.status is m.ServiceStatus.TERMINATED or (s.terminated_on and s.terminated_on <= today))):
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
