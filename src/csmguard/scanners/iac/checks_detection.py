"""Checks on detecting and notifying security events: threat detection (GuardDuty, Defender for Cloud
plans) off, security contacts, alarms and SQL threat-detection alerts that notify nobody (CSM-6.3)."""

from __future__ import annotations

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, MANUAL, PASS, rule_types, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.values import as_bool, as_list, blocks, is_expression

# Which detector types answer for which provider (the rule's resource_types list them all).
_PROVIDER_OF = {"aws_guardduty_detector": "aws", "AWS::GuardDuty::Detector": "aws",
                "azurerm_security_center_subscription_pricing": "azurerm"}


def _detector(rule: Rule, r: Resource) -> Finding:
    a = r.attributes
    if r.type == "azurerm_security_center_subscription_pricing":
        tier = a.get("tier")
        plan = a.get("resource_type") or "VirtualMachines"
        if is_expression(tier):
            return unresolved(rule, r, "tier", tier)
        if str(tier).lower() == "free":
            return verdict(rule, r, FAIL, f"Defender for Cloud plan {plan} on the Free tier (no threat detection)",
                           f"Defender for Cloud 方案 {plan} 為 Free 層級（無威脅偵測）", key="tier")
        return verdict(rule, r, PASS, f"Defender for Cloud plan {plan}: {tier}",
                       f"Defender for Cloud 方案 {plan}：{tier}")
    attribute = "Enable" if r.type.startswith("AWS::") else "enable"
    value = a.get(attribute, True)
    if is_expression(value):
        return unresolved(rule, r, attribute, value)
    if as_bool(value) is False:
        return verdict(rule, r, FAIL, f"GuardDuty detector disabled ({attribute} = false)",
                       f"GuardDuty 偵測器已停用（{attribute} = false）", key=attribute)
    return verdict(rule, r, PASS, "GuardDuty detector enabled", "GuardDuty 偵測器已啟用")


def threat_detection_off(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-033: GuardDuty detectors and Defender for Cloud plans turned off; for a cloud with resources in
    the scanned code but no detector at all, a person must confirm (it is often enabled organisation-wide)."""
    types = rule_types(rule)
    out = [_detector(rule, r) for r in facts.of_types(*types)]
    for provider in sorted({_PROVIDER_OF[t] for t in types if t in _PROVIDER_OF}):
        if any(_PROVIDER_OF.get(r.type) == provider for r in facts.of_types(*types)):
            continue
        resources = [r for r in facts.resources if r.provider == provider and not r.is_data]
        if resources:
            name = "GuardDuty" if provider == "aws" else "Defender for Cloud"
            out.append(verdict(rule, resources[0], MANUAL,
                               f"{provider}: {len(resources)} resources but no {name} configuration in the scanned "
                               "code; confirm threat detection is enabled for the account or subscription",
                               f"{provider}：有 {len(resources)} 個資源但受檢程式碼未設定 {name}，"
                               "請確認帳號或訂閱已啟用威脅偵測",
                               key=f"{provider}-detector"))
    return out


def _contact(rule: Rule, r: Resource) -> Finding:
    a = r.attributes
    off = [k for k in ("alert_notifications", "alerts_to_admins") if as_bool(a.get(k)) is False]
    if not a.get("email") and not a.get("phone"):
        off.append("email")
    if off:
        return verdict(rule, r, FAIL, f"security alerts not sent: {', '.join(off)}",
                       f"未寄送安全警示：{', '.join(off)}", evidence={"off": off})
    return verdict(rule, r, PASS, "security alerts notify the contact", "安全警示會通知聯絡人")


def _alarm(rule: Rule, r: Resource) -> Finding:
    cfn = r.type.startswith("AWS::")
    a = r.attributes
    enabled = a.get("ActionsEnabled" if cfn else "actions_enabled", True)
    actions = as_list(a.get("AlarmActions" if cfn else "alarm_actions"))
    if is_expression(enabled):
        return unresolved(rule, r, "actions_enabled", enabled)
    if as_bool(enabled) is False:
        return verdict(rule, r, FAIL, "alarm actions disabled (actions_enabled = false)",
                       "警示動作已停用（actions_enabled = false）", key="actions_enabled")
    if not actions:
        return verdict(rule, r, FAIL, "alarm has no alarm action: nobody is notified",
                       "警示未設定通知動作：無人會收到通知", key="alarm_actions")
    return verdict(rule, r, PASS, "alarm notifies its actions", "警示會通知其動作對象")


def _sql_alerts(rule: Rule, r: Resource) -> Finding | None:
    a = r.attributes
    if r.type == "azurerm_mssql_server_security_alert_policy":
        policy = a
    else:  # a database or server with an inline threat_detection_policy block
        found = blocks(a.get("threat_detection_policy"))
        if not found:
            return None
        policy = found[0]
    state = str(policy.get("state", "Enabled"))
    emails = as_list(policy.get("email_addresses"))
    admins = as_bool(policy.get("email_account_admins")) is True or str(policy.get("email_account_admins")) == "Enabled"
    if state.lower() == "disabled":
        return verdict(rule, r, FAIL, "SQL threat detection disabled", "SQL 威脅偵測已停用", key="state")
    if not emails and not admins:
        return verdict(rule, r, FAIL, "SQL threat-detection alerts go to nobody (no email_addresses, "
                       "email_account_admins off)", "SQL 威脅偵測警示無收件者（未設定 email_addresses 且未通知管理員）",
                       key="recipients")
    return verdict(rule, r, PASS, "SQL threat-detection alerts have recipients", "SQL 威脅偵測警示已設定收件者")


def _gcp_alert(rule: Rule, r: Resource) -> Finding:
    a = r.attributes
    if as_bool(a.get("enabled", True)) is False:
        return verdict(rule, r, FAIL, "alert policy disabled", "警示政策已停用", key="enabled")
    if not as_list(a.get("notification_channels")):
        return verdict(rule, r, FAIL, "alert policy has no notification channel", "警示政策未設定通知管道",
                       key="notification_channels")
    return verdict(rule, r, PASS, "alert policy notifies its channels", "警示政策會通知其管道")


def security_alerts_unsent(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-034: security contacts with notifications off, alarms with actions disabled or absent, SQL
    threat-detection alerts without recipients, GCP alert policies disabled or without channels."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        if r.type == "azurerm_security_center_contact":
            out.append(_contact(rule, r))
        elif r.type in {"aws_cloudwatch_metric_alarm", "AWS::CloudWatch::Alarm"}:
            out.append(_alarm(rule, r))
        elif r.type == "google_monitoring_alert_policy":
            out.append(_gcp_alert(rule, r))
        else:
            sql = _sql_alerts(rule, r)
            if sql is not None:
                out.append(sql)
    return out
