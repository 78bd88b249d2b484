"""Checks on managed Kubernetes control planes (EKS, AKS, GKE): API endpoints open to the internet,
RBAC off or legacy ABAC on, and control-plane audit logs off (CSM-7.4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, MANUAL, PASS, resources, rule_types, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.network import OPEN_SOURCES
from csmguard.scanners.iac.values import as_bool, as_list, blocks, dig, first, is_expression, reference

EKS_REQUIRED_LOGS = ("api", "audit", "authenticator")
AKS_AUDIT_CATEGORIES = {"kube-audit", "kube-audit-admin", "kube-apiserver"}


def _open(ranges: list[Any]) -> bool:
    return any(str(x).strip().lower() in OPEN_SOURCES for x in ranges)


def _endpoint(r: Resource) -> tuple[bool | None, str, Any]:
    """(exposed?, reason, undecided value): whether the cluster's API endpoint is reachable from anywhere."""
    a = r.attributes
    if r.type == "aws_eks_cluster" or r.type == "AWS::EKS::Cluster":
        cfn = r.type.startswith("AWS::")
        vpc = first(a.get("ResourcesVpcConfig" if cfn else "vpc_config"))
        public = vpc.get("EndpointPublicAccess" if cfn else "endpoint_public_access", True)
        cidrs = as_list(vpc.get("PublicAccessCidrs" if cfn else "public_access_cidrs")) or ["0.0.0.0/0"]
        if is_expression(public):
            return None, "endpoint_public_access", public
        if as_bool(public) is False:
            return False, "public endpoint off", None
        if any(is_expression(c) for c in cidrs):
            return None, "public_access_cidrs", cidrs
        if _open(cidrs):
            return True, "public endpoint open to 0.0.0.0/0", None
        return False, f"public endpoint limited to {', '.join(map(str, cidrs))}", None
    if r.type == "azurerm_kubernetes_cluster":
        if as_bool(a.get("private_cluster_enabled")) is True:
            return False, "private cluster", None
        ranges = as_list(dig(a, "api_server_access_profile", "authorized_ip_ranges")) or as_list(
            a.get("api_server_authorized_ip_ranges"))
        if any(is_expression(x) for x in ranges):
            return None, "authorized_ip_ranges", ranges
        if not ranges or _open(ranges):
            return True, "API server without authorised IP ranges", None
        return False, f"API server limited to {', '.join(map(str, ranges))}", None
    # google_container_cluster
    if as_bool(dig(a, "private_cluster_config", "enable_private_endpoint")) is True:
        return False, "private endpoint only", None
    authorised = blocks(a.get("master_authorized_networks_config"))
    if not authorised:
        return True, "no master_authorized_networks_config: the endpoint answers every address", None
    cidrs = [c.get("cidr_block") for c in blocks(authorised[0].get("cidr_blocks"))]
    if any(is_expression(c) for c in cidrs):
        return None, "master_authorized_networks_config.cidr_blocks", cidrs
    if _open(cidrs):
        return True, "master authorised networks include 0.0.0.0/0", None
    return False, "endpoint limited to authorised networks", None


def public_k8s_endpoint(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-027: EKS, AKS and GKE API endpoints reachable from 0.0.0.0/0 or without authorised ranges."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        exposed, reason, undecided = _endpoint(r)
        if exposed is None:
            out.append(unresolved(rule, r, reason, undecided))
        elif exposed:
            out.append(verdict(rule, r, FAIL, "kubernetes_api_endpoint_exposed", {"reason": reason}, key="endpoint"))
        else:
            out.append(verdict(rule, r, PASS, "kubernetes_api_endpoint_restricted", {"reason": reason}))
    return out


def k8s_authorization_weak(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-028: AKS clusters with RBAC turned off and GKE clusters with legacy ABAC turned on."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        a = r.attributes
        if r.type == "azurerm_kubernetes_cluster":
            attribute = "role_based_access_control_enabled"
            value = a.get(attribute, dig(a, "role_based_access_control", "enabled"))
            bad = as_bool(value) is False
            what = "rbac_disabled"
        else:
            attribute, value = "enable_legacy_abac", a.get("enable_legacy_abac")
            bad = as_bool(value) is True
            what = "legacy_abac_enabled"
        if is_expression(value):
            out.append(unresolved(rule, r, attribute, value))
        elif bad:
            out.append(verdict(rule, r, FAIL, "weak_authorization",
                               {"what": rule.render(what, {}), "attribute": attribute, "value": value}, key=attribute))
        else:
            out.append(verdict(rule, r, PASS, "rbac_authorisation_force"))
    return out


def _eks_logs(r: Resource) -> list[str] | None:
    a = r.attributes
    if r.type == "AWS::EKS::Cluster":
        return [str(t.get("Type")) for t in blocks(dig(a, "Logging", "ClusterLogging", "EnabledTypes"))]
    value = a.get("enabled_cluster_log_types")
    return None if is_expression(value) else [str(x) for x in as_list(value)]


def _aks_diagnostics(rule: Rule, facts: IacFacts, cluster: Resource) -> list[Mapping[str, Any]]:
    found = []
    for setting in resources(rule, facts, "azurerm_monitor_diagnostic_setting"):
        if setting.scope == cluster.scope and reference(setting, setting.attributes.get(
                "target_resource_id")) == cluster.address:
            found.append(setting.attributes)
    return found


def _categories(setting: Mapping[str, Any]) -> set[str]:
    out = set()
    for key in ("enabled_log", "log"):
        for block in blocks(setting.get(key)):
            if key == "log" and as_bool(block.get("enabled", True)) is False:
                continue
            out.add(str(block.get("category") or block.get("category_group") or "").lower())
    return out


def k8s_control_plane_logs(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-032: EKS without api/audit/authenticator logs, GKE with logging off, AKS without a diagnostic
    setting sending kube-audit logs (manual when none is in the scanned code: it may be set elsewhere)."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        if r.type in {"aws_eks_cluster", "AWS::EKS::Cluster"}:
            logs = _eks_logs(r)
            if logs is None:
                out.append(unresolved(rule, r, "enabled_cluster_log_types",
                                      r.attributes.get("enabled_cluster_log_types")))
                continue
            missing = [t for t in EKS_REQUIRED_LOGS if t not in logs]
            if missing:
                out.append(verdict(rule, r, FAIL, "control_plane_logs_off",
                                   {"missing": ', '.join(missing)}, evidence={"missing": missing}))
            else:
                out.append(verdict(rule, r, PASS, "api_audit_authenticator_logs"))
        elif r.type == "google_container_cluster":
            service = r.attributes.get("logging_service")
            components = as_list(dig(r.attributes, "logging_config", "enable_components"))
            if (service is not None and str(service).lower() == "none") or (
                    components == [] and "logging_config" in r.attributes):
                out.append(verdict(rule, r, FAIL, "cluster_logging_turned_off", key="logging"))
            else:
                out.append(verdict(rule, r, PASS, "cluster_logging"))
        elif r.type == "azurerm_kubernetes_cluster":
            settings = _aks_diagnostics(rule, facts, r)
            categories = set().union(*(_categories(s) for s in settings)) if settings else set()
            if categories & (AKS_AUDIT_CATEGORIES | {"audit", "alllogs"}):
                out.append(verdict(rule, r, PASS, "diagnostic_setting_sends_kube"))
            elif settings:
                out.append(verdict(rule, r, FAIL, "diagnostic_settings_do_not", key="diagnostics"))
            else:
                out.append(verdict(rule, r, MANUAL, "no_diagnostic_setting_this", key="diagnostics"))
    return out
