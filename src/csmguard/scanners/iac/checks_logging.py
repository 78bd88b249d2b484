"""Checks on audit logging: CloudTrail, Azure activity logs and GCP audit configuration (CSM-7.4, 6.3)."""

from __future__ import annotations

import re

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, MANUAL, PASS, resources, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.values import as_bool, as_list, blocks, first, is_expression

AZURE_ACTIVITY_CATEGORIES = {"administrative", "security", "policy", "alert"}
REQUIRED_AZURE_CATEGORIES = {"administrative", "security"}
AUDIT_TYPES = {
    "aws": ("aws_cloudtrail", "AWS::CloudTrail::Trail"),
    "azure": ("azurerm_monitor_log_profile", "azurerm_monitor_diagnostic_setting",
              "azurerm_monitor_aad_diagnostic_setting"),
    "gcp": ("google_project_iam_audit_config", "google_organization_iam_audit_config",
            "google_folder_iam_audit_config"),
}


def _trail_problems(resource: Resource) -> tuple[list[str], str | None]:
    a = resource.attributes
    cfn = resource.type.startswith("AWS::")
    settings = (("IsLogging", "logging is off", True), ("IsMultiRegionTrail", "not multi-region", False),
                ("EnableLogFileValidation", "log file validation off", False)) if cfn else (
        ("enable_logging", "logging is off", True), ("is_multi_region_trail", "not multi-region", False),
        ("enable_log_file_validation", "log file validation off", False))
    problems = []
    for attribute, problem, default in settings:
        value = a.get(attribute)
        if is_expression(value):
            return [], attribute
        if (as_bool(value) if value is not None else default) is not True:
            problems.append(problem)
    return problems, None


def _azure_problems(resource: Resource) -> list[str]:
    a = resource.attributes
    if resource.type == "azurerm_monitor_log_profile":
        categories = {str(c).lower() for c in as_list(a.get("categories"))}
        problems = [f"category {c} not captured" for c in ("action", "delete", "write") if c not in categories]
        if "global" not in {str(loc).lower() for loc in as_list(a.get("locations"))}:
            problems.append("global location not captured")
        retention = first(a.get("retention_policy"))
        days = retention.get("days")
        if as_bool(retention.get("enabled")) is True and isinstance(days, int) and 0 < days < 365:
            problems.append(f"retention {days} days (< 365)")
        return problems
    if resource.type == "azurerm_monitor_diagnostic_setting":
        enabled = {str(b.get("category", "")).lower() for b in blocks(a.get("enabled_log"))}
        enabled |= {str(b.get("category", "")).lower() for b in blocks(a.get("log"))
                    if as_bool(b.get("enabled", True)) is not False}
        groups = {str(b.get("category_group", "")).lower() for b in blocks(a.get("enabled_log"))}
        if "alllogs" in groups or "audit" in groups:
            return []
        if not enabled & AZURE_ACTIVITY_CATEGORIES:
            return []  # a resource's diagnostic setting, not the subscription's activity log
        return [f"activity log category {c} not exported" for c in sorted(REQUIRED_AZURE_CATEGORIES - enabled)]
    return []


def _is_activity_log(resource: Resource) -> bool:
    """Whether a diagnostic setting exports the subscription's activity log."""
    target = str(resource.attributes.get("target_resource_id", ""))
    if re.fullmatch(r"/subscriptions/[^/]+/?", target) or "azurerm_subscription" in target:
        return True
    categories = {str(b.get("category", "")).lower() for key in ("enabled_log", "log")
                  for b in blocks(resource.attributes.get(key))}
    return bool(categories & AZURE_ACTIVITY_CATEGORIES)


def _gcp_problems(resource: Resource) -> list[str]:
    a = resource.attributes
    configs = blocks(a.get("audit_log_config"))
    problems = [f"{c.get('log_type')} exempts {', '.join(map(str, as_list(c.get('exempted_members'))))}"
                for c in configs if as_list(c.get("exempted_members"))]
    if str(a.get("service")) == "allServices":
        types = {str(c.get("log_type")).upper() for c in configs}
        problems += [f"{t} not logged for allServices" for t in ("DATA_READ", "DATA_WRITE") if t not in types]
    return problems


def audit_logging_incomplete(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-030: trails that are off, single-region or unvalidated; activity log profiles and diagnostic
    settings that miss categories; GCP audit configs that exempt members or skip data access."""
    out: list[Finding] = []
    for resource in resources(rule, facts, *AUDIT_TYPES["aws"]):
        problems, undecided = _trail_problems(resource)
        if undecided:
            out.append(unresolved(rule, resource, undecided, resource.attributes.get(undecided)))
            continue
        out.append(_result(rule, resource, problems))
    for resource in resources(rule, facts, "azurerm_monitor_log_profile", "azurerm_monitor_diagnostic_setting"):
        if resource.type == "azurerm_monitor_diagnostic_setting" and not _is_activity_log(resource):
            continue  # a resource's own diagnostic setting (Key Vault, SQL …), not the subscription's activity log
        out.append(_result(rule, resource, _azure_problems(resource)))
    for resource in resources(rule, facts, *AUDIT_TYPES["gcp"]):
        out.append(_result(rule, resource, _gcp_problems(resource)))
    return out


def _result(rule: Rule, resource: Resource, problems: list[str]) -> Finding:
    if problems:
        return verdict(rule, resource, FAIL, "audit_logging_incomplete", {"problems": "; ".join(problems)},
                       evidence={"problems": problems})
    return verdict(rule, resource, PASS, "audit_logging_complete")


def audit_logging_missing(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-031: for each cloud with resources in the scanned code, whether any audit trail is defined
    there; when none is, the trail may live elsewhere (an organization trail), so a person must confirm."""
    out: list[Finding] = []
    for provider, types in AUDIT_TYPES.items():
        present = [r for r in facts.resources if r.provider == provider and not r.is_data]
        if not present:
            continue
        trails = resources(rule, facts, *types)
        anchor = trails[0] if trails else present[0]
        if trails:
            out.append(verdict(rule, anchor, PASS, "audit_logging_defined",
                               {"provider": provider, "anchor_address": anchor.address}, key=provider))
        else:
            out.append(verdict(rule, anchor, MANUAL,
                               "resources_but_no_audit", {"provider": provider, "resources_count": len(present)},
                               key=provider))
    return out
