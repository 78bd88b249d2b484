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
            return verdict(rule, r, FAIL, "defender_cloud_plan_free", {"plan": plan}, key="tier")
        return verdict(rule, r, PASS, "defender_cloud_plan", {"plan": plan, "tier": tier})
    attribute = "Enable" if r.type.startswith("AWS::") else "enable"
    value = a.get(attribute, True)
    if is_expression(value):
        return unresolved(rule, r, attribute, value)
    if as_bool(value) is False:
        return verdict(rule, r, FAIL, "guardduty_detector_disabled_false", {"attribute": attribute}, key=attribute)
    return verdict(rule, r, PASS, "guardduty_detector_enabled")


def threat_detection_off(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-033: GuardDuty detectors and Defender for Cloud plans turned off; for a cloud with resources in
    the scanned code but no detector at all, a person must confirm (it is often enabled organisation-wide)."""
    types = rule_types(rule)
    out = [_detector(rule, r) for r in facts.of_types(*types)]
    for provider in sorted({_PROVIDER_OF[t] for t in types if t in _PROVIDER_OF}):
        if any(_PROVIDER_OF.get(r.type) == provider for r in facts.of_types(*types)):
            continue
        present = [r for r in facts.resources if r.provider == provider and not r.is_data]
        if present:
            name = "GuardDuty" if provider == "aws" else "Defender for Cloud"
            out.append(verdict(rule, present[0], MANUAL,
                               "resources_but_no_configuration",
                               {"provider": provider, "resources_count": len(present), "name": name},
                               key=f"{provider}-detector"))
    return out


def _contact(rule: Rule, r: Resource) -> Finding:
    a = r.attributes
    off = [k for k in ("alert_notifications", "alerts_to_admins") if as_bool(a.get(k)) is False]
    if not a.get("email") and not a.get("phone"):
        off.append("email")
    if off:
        return verdict(rule, r, FAIL, "security_alerts_not_sent", {"off": ', '.join(off)}, evidence={"off": off})
    return verdict(rule, r, PASS, "security_alerts_notify_contact")


def _alarm(rule: Rule, r: Resource) -> Finding:
    cfn = r.type.startswith("AWS::")
    a = r.attributes
    enabled = a.get("ActionsEnabled" if cfn else "actions_enabled", True)
    actions = as_list(a.get("AlarmActions" if cfn else "alarm_actions"))
    if is_expression(enabled):
        return unresolved(rule, r, "actions_enabled", enabled)
    if as_bool(enabled) is False:
        return verdict(rule, r, FAIL, "alarm_actions_disabled_actions", key="actions_enabled")
    if not actions:
        return verdict(rule, r, FAIL, "alarm_has_no_alarm", key="alarm_actions")
    return verdict(rule, r, PASS, "alarm_notifies_its_actions")


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
        return verdict(rule, r, FAIL, "sql_threat_detection_disabled", key="state")
    if not emails and not admins:
        return verdict(rule, r, FAIL, "sql_threat_detection_alerts_2",
                       key="recipients")
    return verdict(rule, r, PASS, "sql_threat_detection_alerts")


def _gcp_alert(rule: Rule, r: Resource) -> Finding:
    a = r.attributes
    if as_bool(a.get("enabled", True)) is False:
        return verdict(rule, r, FAIL, "alert_policy_disabled", key="enabled")
    if not as_list(a.get("notification_channels")):
        return verdict(rule, r, FAIL, "alert_policy_has_no",
                       key="notification_channels")
    return verdict(rule, r, PASS, "alert_policy_notifies_its")


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
