"""Further register checks (REG-013 … REG-016): account control, social media risk assessments,
isolation statements, and MDM for devices that hold sensitive data."""

from __future__ import annotations

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
from csmguard.registers.cloud_scope import service_scope
from csmguard.registers.facts import RegisterFacts
from csmguard.rules.model import Rule


def official_account_access_control(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-013: an official account with no recorded administrators or no content approval (11.4's account
    permission management and content control; MFA is good practice, SOC-003)."""
    out: list[Finding] = []
    for account in facts.social_accounts:
        if not account.official:
            continue
        label = f"{account.platform} {account.handle}"
        controls = ((bool(account.administrators), "管理者與角色", "administrators and roles"),
                    (account.content_approval, "內容發布審核", "content approval"))
        missing = [(zh, en) for ok, zh, en in controls if not ok]
        if missing:
            out.append(fail(rule, "social-accounts", account, message(
                rule, {"account": label, "missing": "、".join(z for z, _ in missing)},
                {"account": label, "missing": ", ".join(e for _, e in missing)})))
        else:
            out.append(passed(rule, "social-accounts", account, f"{label} 已有管理者及發文審核",
                              f"{label}: administrators and content approval in place"))
    return out


def social_platform_risk_not_assessed(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-014: staff may use social media but no type is assessed, or an allowed type's assessment is stale."""
    cfg = context.settings
    today = context.today
    allowed = [a for a in facts.social_risk_assessments if a.allowed_to_staff]
    if not allowed:
        if facts.answers.get("staff_use_social_media"):
            return [fail(rule, "social-risk-assessments", "*", message(
                rule, {"detail": "已開放員工使用社群媒體，但無任何類型之風險評估"},
                {"detail": "staff may use social media but no type has been risk-assessed"}))]
        return []
    out: list[Finding] = []
    for item in allowed:
        if item.next_review is not None:
            stale = item.next_review < today
        else:
            stale = (today - item.assessed_on).days > cfg.social_risk_review_days
        if stale:
            out.append(fail(rule, "social-risk-assessments", item, message(
                rule, {"detail": f"{item.platform_type} 之評估（{iso(item.assessed_on)}）已逾檢視期限"},
                {"detail": f"the assessment of {item.platform_type} ({iso(item.assessed_on)}) is past its review"})))
        else:
            out.append(passed(rule, "social-risk-assessments", item, f"{item.platform_type} 風險評估有效",
                              f"{item.platform_type}: risk assessment current"))
    return out


def iaas_without_isolation_statement(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-015: an active external IaaS service with no isolation statement from its provider."""
    out: list[Finding] = []
    statements = {s.service for s in facts.isolation_statements}
    for service in facts.services:
        if not (service.model is m.ServiceModel.IAAS and service.deployment is m.Deployment.EXTERNAL
                and service.status is m.ServiceStatus.ACTIVE):
            continue
        scope = service_scope(service, facts)
        if not scope.in_scope:
            out.append(out_of_scope(rule, "cloud-services", service, scope.reason_zh, scope.reason_en))
            continue
        if service.name in statements:
            out.append(passed(rule, "cloud-services", service, f"{service.name} 已取得隔離說明",
                              f"{service.name}: isolation statement received"))
        else:
            values = {"service": service.name}
            out.append(fail(rule, "cloud-services", service, message(rule, values, values)))
    return out


def sensitive_device_not_mdm_managed(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-016: a device in use that holds sensitive data and is not MDM-managed."""
    out: list[Finding] = []
    for device in facts.devices:
        if not device.holds_sensitive_data or device.status is not m.DeviceStatus.IN_USE:
            continue
        if device.mdm_managed:
            out.append(passed(rule, "devices", device, f"{device.device_id} 已納管 MDM",
                              f"{device.device_id}: MDM-managed"))
        else:
            values = {"device": device.device_id, "owner": device.owner}
            out.append(fail(rule, "devices", device, message(rule, values, values)))
    return out


def vm_image_change_record_missing(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-017: a significant VM image change whose change record was not received from the provider."""
    out: list[Finding] = []
    services = {s.name: s for s in facts.services}
    for change in facts.vm_image_changes:
        service = services.get(change.service)
        if service is None:
            out.append(undetermined(rule, "vm-image-changes", change,
                                    f"服務 {change.service} 未登錄於雲端服務清冊，無法判斷第7條是否適用",
                                    f"service {change.service} is not in the cloud-services register, so whether "
                                    "article 7 applies is unknown"))
            continue
        scope = service_scope(service, facts)
        if not scope.in_scope:
            out.append(out_of_scope(rule, "vm-image-changes", change, scope.reason_zh, scope.reason_en))
            continue
        if change.log_received_on is not None:
            out.append(passed(rule, "vm-image-changes", change,
                              f"{change.image} 變更紀錄已於 {iso(change.log_received_on)} 取得",
                              f"{change.image}: change record received on {iso(change.log_received_on)}"))
            continue
        values = {"service": change.service, "image": change.image, "changed_on": iso(change.changed_on),
                  "change": change.change}
        out.append(fail(rule, "vm-image-changes", change, message(rule, values, values)))
    return out


def byod_use_not_restricted(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-019: a BYOD device in use whose agreement in force does not restrict its purposes or data types (15.1;
    the period is the agreement's validity, which every agreement has)."""
    today = context.today
    out: list[Finding] = []
    for device in facts.devices:
        if device.ownership is not m.Ownership.BYOD or device.status is not m.DeviceStatus.IN_USE:
            continue
        current = [a for a in facts.byod_agreements
                   if a.device_id == device.device_id and a.valid_from <= today <= a.valid_until]
        if not current:
            continue  # no agreement in force: REG-011's finding
        agreement = max(current, key=lambda a: a.valid_until)
        missing = [(zh, en) for values, zh, en in ((agreement.permitted_purposes, "使用用途", "purposes"),
                                                   (agreement.data_types, "資料種類", "data types")) if not values]
        values = {"device": device.device_id, "holder": device.owner}
        if missing:
            out.append(fail(rule, "devices", device, message(
                rule, {**values, "missing": "、".join(z for z, _ in missing)},
                {**values, "missing": ", ".join(e for _, e in missing)})))
        else:
            purposes, types, until = agreement.permitted_purposes, agreement.data_types, iso(agreement.valid_until)
            out.append(passed(rule, "devices", device,
                              f"{device.device_id} 之協議限制用途（{'、'.join(purposes)}）、期間（至 {until}）"
                              f"及資料種類（{'、'.join(types)}）",
                              f"{device.device_id}: the agreement limits purposes ({', '.join(purposes)}), period "
                              f"(until {until}) and data types ({', '.join(types)})"))
    return out
