"""Checks on protocols in transit: HTTP listeners, TLS below 1.2, HTTP allowed on app services, storage
and CDNs, databases that do not enforce TLS, and FTP (CSM-5.3, 7.4)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, PASS, UNKNOWN, resources, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.values import as_bool, as_int, as_list, blocks, dig, first, is_expression, reference

APP_SERVICES = ("azurerm_app_service", "azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_function_app",
                "azurerm_linux_function_app", "azurerm_windows_function_app", "azurerm_app_service_slot",
                "azurerm_linux_web_app_slot", "azurerm_windows_web_app_slot")
LEGACY_APP_SERVICES = {"azurerm_app_service", "azurerm_function_app", "azurerm_app_service_slot"}


def _ok(rule: Rule, r: Resource, message: str, values: Mapping[str, object] | None = None) -> Finding:
    return verdict(rule, r, PASS, message, values)


def _bad(rule: Rule, r: Resource, message: str, values: Mapping[str, object] | None = None,
         **evidence: Any) -> Finding:
    return verdict(rule, r, FAIL, message, values, evidence=evidence)


def http_listeners(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-040: load balancer listeners that serve plain HTTP without redirecting to HTTPS."""
    out: list[Finding] = []
    for r in resources(rule, facts, "aws_lb_listener", "aws_alb_listener", "AWS::ElasticLoadBalancingV2::Listener"):
        a = r.attributes
        cfn = r.type.startswith("AWS::")
        protocol = a.get("Protocol" if cfn else "protocol")
        if is_expression(protocol):
            out.append(unresolved(rule, r, "protocol", protocol))
            continue
        port = as_int(a.get("Port" if cfn else "port"))
        if str(protocol).upper() != "HTTP" and not (protocol is None and port == 80):
            if str(protocol).upper() in {"HTTPS", "TLS"}:
                out.append(_ok(rule, r, "listener_uses", {"protocol": protocol}))
            continue
        actions = blocks(a.get("DefaultActions" if cfn else "default_action"))
        redirects = [x for x in actions if str(x.get("Type" if cfn else "type", "")).lower() == "redirect"]
        target = [str(dig(x, "RedirectConfig", "Protocol") if cfn else dig(x, "redirect", "protocol")).upper()
                  for x in redirects]
        if redirects and all(t == "HTTPS" for t in target):
            out.append(_ok(rule, r, "http_listener_redirects_https"))
        else:
            out.append(_bad(rule, r, "http_listener_port_without", {"port": port}, port=port))
    for r in resources(rule, facts, "aws_elb", "AWS::ElasticLoadBalancing::LoadBalancer"):
        cfn = r.type.startswith("AWS::")
        listeners = blocks(r.attributes.get("Listeners" if cfn else "listener"))
        plain = [str(x.get("LoadBalancerPort" if cfn else "lb_port")) for x in listeners
                 if str(x.get("Protocol" if cfn else "lb_protocol", "")).upper() in {"HTTP", "TCP"}]
        if plain:
            out.append(_bad(rule, r, "classic_load_balancer_listens", {"plain": ', '.join(plain)}, ports=plain))
        elif listeners:
            out.append(_ok(rule, r, "all_listeners_use_tls"))
    for r in resources(rule, facts, "google_compute_target_http_proxy"):
        ref = reference(r, r.attributes.get("url_map"))
        url_map = facts.lookup(r.scope, ref) if ref else None
        if url_map is not None and as_bool(dig(url_map.attributes, "default_url_redirect", "https_redirect")):
            out.append(_ok(rule, r, "http_proxy_redirects_https"))
        else:
            out.append(_bad(rule, r, "http_proxy_without_https"))
    return out


_MODERN_AWS_POLICY = re.compile(r"TLS13|TLS-1-2|FS-1-2|TLS-1-3|PQ-TLS", re.IGNORECASE)
_TLS_VERSION = re.compile(r"(\d)[._](\d)")


def _tls_at_least_12(value: object) -> bool | None:
    """Whether a minimum-TLS setting such as ``1.2``, ``TLS1_2``, ``TLS_1_0``, ``TLSv1.2_2021`` is ≥ 1.2."""
    text = str(value)
    match = _TLS_VERSION.search(text)
    if match is None:
        return None if text.lower() not in {"tlsv1", "sslv3", "tls1", "tlsenforcementdisabled"} else False
    return (int(match.group(1)), int(match.group(2))) >= (1, 2)


def _min_tls_setting(r: Resource) -> tuple[str, Any, Any] | None:
    """(attribute, value, default when absent) of the resource's minimum TLS version setting."""
    a = r.attributes
    t = r.type
    if t in APP_SERVICES:
        legacy = dig(a, "site_config", "min_tls_version")
        if legacy is not None:
            return "site_config.min_tls_version", legacy, "1.2"
        return "site_config.minimum_tls_version", dig(a, "site_config", "minimum_tls_version"), "1.2"
    if t == "azurerm_storage_account":
        return "min_tls_version", a.get("min_tls_version"), "TLS1_2"
    if t == "azurerm_mssql_server":
        return "minimum_tls_version", a.get("minimum_tls_version"), "1.2"
    if t in {"azurerm_postgresql_server", "azurerm_mysql_server"}:
        return "ssl_minimal_tls_version_enforced", a.get("ssl_minimal_tls_version_enforced"), "TLS1_2"
    if t == "azurerm_redis_cache":
        return "minimum_tls_version", a.get("minimum_tls_version"), "1.2"
    if t == "google_compute_ssl_policy":
        return "min_tls_version", a.get("min_tls_version"), "TLS_1_0"
    if t == "aws_cloudfront_distribution":
        viewer = first(a.get("viewer_certificate"))
        default = "TLSv1" if as_bool(viewer.get("cloudfront_default_certificate")) else "TLSv1.2_2021"
        return "viewer_certificate.minimum_protocol_version", viewer.get("minimum_protocol_version"), default
    if t == "AWS::CloudFront::Distribution":
        viewer = dig(a, "DistributionConfig", "ViewerCertificate") or {}
        default = "TLSv1" if as_bool(viewer.get("CloudFrontDefaultCertificate")) else "TLSv1.2_2021"
        return "ViewerCertificate.MinimumProtocolVersion", viewer.get("MinimumProtocolVersion"), default
    return None


TLS_TYPES = (*APP_SERVICES, "azurerm_storage_account", "azurerm_mssql_server", "azurerm_postgresql_server",
             "azurerm_mysql_server", "azurerm_redis_cache", "google_compute_ssl_policy", "aws_cloudfront_distribution",
             "AWS::CloudFront::Distribution")


def weak_tls(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-041: TLS policies and minimum versions that accept TLS below 1.2."""
    out: list[Finding] = []
    for r in resources(rule, facts, "aws_lb_listener", "aws_alb_listener", "AWS::ElasticLoadBalancingV2::Listener"):
        cfn = r.type.startswith("AWS::")
        a = r.attributes
        if str(a.get("Protocol" if cfn else "protocol", "")).upper() not in {"HTTPS", "TLS"}:
            continue
        policy = a.get("SslPolicy" if cfn else "ssl_policy")
        if is_expression(policy):
            out.append(unresolved(rule, r, "ssl_policy", policy))
        elif policy is not None and _MODERN_AWS_POLICY.search(str(policy)):
            out.append(_ok(rule, r, "tls_policy_requires_tls", {"policy": policy}))
        else:
            shown = policy or "default ELBSecurityPolicy-2016-08"
            out.append(_bad(rule, r, "tls_policy_accepts_tls", {"shown": shown},
                            ssl_policy=str(shown)))
    for r in resources(rule, facts, *TLS_TYPES):
        setting = _min_tls_setting(r)
        assert setting is not None
        attribute, value, default = setting
        if is_expression(value):
            out.append(unresolved(rule, r, attribute, value))
            continue
        effective = value if value is not None else default
        good = _tls_at_least_12(effective)
        if good is None:
            out.append(verdict(rule, r, UNKNOWN, "not_known_tls_version",
                               {"attribute": attribute, "effective": effective}, key=attribute))
        elif good:
            out.append(_ok(rule, r, "tls_minimum_met", {"attribute": attribute, "effective": effective}))
        else:
            note = "" if value is not None else " (default)"
            out.append(_bad(rule, r, "tls_below_1_2",
                            {"attribute": attribute, "effective": effective, "note": note},
                            **{attribute: str(effective)}))
    return out


def http_allowed(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-042: app services without HTTPS-only, storage accounts accepting HTTP, CDNs serving HTTP."""
    out: list[Finding] = []
    for r in resources(rule, facts, *APP_SERVICES):
        value = r.attributes.get("https_only")
        if is_expression(value):
            out.append(unresolved(rule, r, "https_only", value))
        elif as_bool(value) is True:
            out.append(_ok(rule, r, "https_only_true"))
        else:
            out.append(_bad(rule, r, "https_only",
                            {"value": value if value is not None else rule.render("false_default", {})}))
    for r in resources(rule, facts, "azurerm_storage_account"):
        a = r.attributes
        value = a.get("https_traffic_only_enabled", a.get("enable_https_traffic_only"))
        if is_expression(value):
            out.append(unresolved(rule, r, "https_traffic_only_enabled", value))
        elif as_bool(value) is False:
            out.append(_bad(rule, r, "https_only_traffic_disabled"))
        else:
            out.append(_ok(rule, r, "https_only_traffic"))
    for r in resources(rule, facts, "aws_cloudfront_distribution", "AWS::CloudFront::Distribution"):
        cfn = r.type.startswith("AWS::")
        a = dig(r.attributes, "DistributionConfig") if cfn else r.attributes
        behaviours = blocks((a or {}).get("DefaultCacheBehavior" if cfn else "default_cache_behavior"))
        behaviours += blocks((a or {}).get("CacheBehaviors" if cfn else "ordered_cache_behavior"))
        key = "ViewerProtocolPolicy" if cfn else "viewer_protocol_policy"
        loose = [str(b.get("PathPattern" if cfn else "path_pattern", "default")) for b in behaviours
                 if str(b.get(key, "")).lower() == "allow-all"]
        if loose:
            out.append(_bad(rule, r, "viewer_protocol_policy_allow", {"loose": ', '.join(loose)}))
        else:
            out.append(_ok(rule, r, "viewers_redirected_required_use"))
    return out + _search_domains_plaintext(rule, facts)


_SEARCH_DOMAINS = {"aws_elasticsearch_domain", "aws_opensearch_domain", "AWS::Elasticsearch::Domain",
                   "AWS::OpenSearchService::Domain"}


def _search_domain_plaintext(r: Resource) -> tuple[list[str], Any]:
    """The transport settings a search domain leaves off (HTTPS enforcement, node-to-node encryption;
    both off by default), and an undecided value if any."""
    cfn = r.type.startswith("AWS::")
    settings = ((("DomainEndpointOptions", "EnforceHTTPS"), ("NodeToNodeEncryptionOptions", "Enabled")) if cfn else
                (("domain_endpoint_options", "enforce_https"), ("node_to_node_encryption", "enabled")))
    off: list[str] = []
    for path in settings:
        value = dig(r.attributes, *path)
        if is_expression(value):
            return [], value
        if as_bool(value) is not True:
            off.append(".".join(path))
    return off, None


def _search_domains_plaintext(rule: Rule, facts: IacFacts) -> list[Finding]:
    """IAC-042 on Elasticsearch/OpenSearch domains: HTTP accepted or node-to-node traffic in clear."""
    out: list[Finding] = []
    for r in resources(rule, facts, *_SEARCH_DOMAINS):
        off, undecided = _search_domain_plaintext(r)
        if undecided is not None:
            out.append(unresolved(rule, r, "domain_endpoint_options", undecided))
        elif off:
            out.append(_bad(rule, r, "search_domain_plaintext", {"off": ", ".join(off)}))
        else:
            out.append(_ok(rule, r, "search_domain_encrypted_transport"))
    return out


def _param(parameters: object, name: str) -> Any:
    for p in blocks(parameters):
        if str(p.get("name")) == name:
            return p.get("value")
    return None


def database_tls(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-043: databases that accept unencrypted client connections."""
    out: list[Finding] = []
    for r in resources(rule, facts, "azurerm_postgresql_server", "azurerm_mysql_server"):
        value = r.attributes.get("ssl_enforcement_enabled")
        if as_bool(value) is False:
            out.append(_bad(rule, r, "ssl_enforcement_enabled_false"))
        elif is_expression(value):
            out.append(unresolved(rule, r, "ssl_enforcement_enabled", value))
        else:
            out.append(_ok(rule, r, "tls_enforced"))
    for r in resources(rule, facts, "azurerm_postgresql_flexible_server_configuration",
                            "azurerm_mysql_flexible_server_configuration"):
        a = r.attributes
        if str(a.get("name")) == "require_secure_transport":
            if str(a.get("value")).lower() in {"off", "false", "0"}:
                out.append(_bad(rule, r, "require_secure_transport_off"))
            else:
                out.append(_ok(rule, r, "require_secure_transport"))
    for r in resources(rule, facts, "google_sql_database_instance"):
        ip = first(first(r.attributes.get("settings")).get("ip_configuration"))
        mode = str(ip.get("ssl_mode", "")).upper()
        if mode in {"ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"} or as_bool(ip.get("require_ssl")):
            out.append(_ok(rule, r, "cloud_sql_requires_tls"))
        else:
            out.append(_bad(rule, r, "cloud_sql_accepts_unencrypted", {"mode": mode or "unset"}))
    out += _rds_tls(rule, facts)
    out += _redshift_tls(rule, facts)
    return out


def _redshift_tls(rule: Rule, facts: IacFacts) -> list[Finding]:
    """Redshift parameter groups: ``require_ssl`` unset or false lets clients connect without TLS."""
    out: list[Finding] = []
    for r in resources(rule, facts, "aws_redshift_parameter_group", "AWS::Redshift::ClusterParameterGroup"):
        if r.type.startswith("AWS::"):
            value = next((p.get("ParameterValue") for p in blocks(r.attributes.get("Parameters"))
                          if str(p.get("ParameterName")) == "require_ssl"), None)
        else:
            value = _param(r.attributes.get("parameter"), "require_ssl")
        if is_expression(value):
            out.append(unresolved(rule, r, "require_ssl", value))
        elif as_bool(value) is True:
            out.append(_ok(rule, r, "redshift_requires_ssl"))
        else:
            out.append(_bad(rule, r, "redshift_ssl_not_required",
                            {"value": value if value is not None else rule.render("false_default", {})}))
    return out


def _rds_tls(rule: Rule, facts: IacFacts) -> list[Finding]:
    out: list[Finding] = []
    for r in resources(rule, facts, "aws_db_instance", "AWS::RDS::DBInstance"):
        a = r.attributes
        cfn = r.type.startswith("AWS::")
        engine = str(a.get("Engine" if cfn else "engine", "")).lower()
        if not any(e in engine for e in ("postgres", "mysql", "mariadb", "sqlserver")):
            continue
        group_value = a.get("DBParameterGroupName" if cfn else "parameter_group_name")
        ref = reference(r, group_value)
        group = facts.lookup(r.scope, ref) if ref else None
        aws_default = isinstance(group_value, str) and group_value.lower().startswith("default.")
        if group is None and (group_value is None or aws_default):  # default.<family>: AWS's own, not editable
            major = as_int(str(a.get("EngineVersion" if cfn else "engine_version", "0")).split(".")[0]) or 0
            if "postgres" in engine and major >= 15:
                out.append(_ok(rule, r, "postgresql_15_default_parameter"))
            else:
                out.append(_bad(rule, r, "default_parameter_group_tls", {"engine": engine}))
            continue
        if group is None:
            out.append(verdict(rule, r, UNKNOWN, "parameter_group_not_scanned",
                               {"group_value": group_value}, key="parameter_group"))
            continue
        params = group.attributes.get("Parameters") if cfn else group.attributes.get("parameter")
        if cfn and isinstance(params, dict):
            force, secure = params.get("rds.force_ssl"), params.get("require_secure_transport")
        else:
            force, secure = _param(params, "rds.force_ssl"), _param(params, "require_secure_transport")
        if str(force) == "1" or str(secure).upper() in {"ON", "1", "TRUE"}:
            out.append(_ok(rule, r, "parameter_group_forces_tls", {"group_address": group.address}))
        else:
            out.append(_bad(rule, r, "parameter_group_does_not", {"group_address": group.address}))
    return out


def ftp_enabled(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-044: FTP (without TLS) allowed for deployment to app services or by transfer servers."""
    out: list[Finding] = []
    for r in resources(rule, facts, *APP_SERVICES):
        state = dig(r.attributes, "site_config", "ftps_state")
        effective = state if state is not None else ("AllAllowed" if r.type in LEGACY_APP_SERVICES else "Disabled")
        if is_expression(state):
            out.append(unresolved(rule, r, "site_config.ftps_state", state))
        elif str(effective) == "AllAllowed":
            note = "" if state is not None else " (default)"
            out.append(_bad(rule, r, "ftps_state_allallowed_plain", {"note": note}))
        else:
            out.append(_ok(rule, r, "ftps_state", {"effective": effective}))
    for r in resources(rule, facts, "aws_transfer_server", "AWS::Transfer::Server"):
        protocols = [str(p).upper() for p in as_list(r.attributes.get("protocols", r.attributes.get("Protocols")))]
        if "FTP" in protocols:
            out.append(_bad(rule, r, "transfer_server_offers_plain"))
        else:
            out.append(_ok(rule, r, "protocols",
                            {"protocols": ", ".join(protocols) or rule.render("sftp_default", {})}))
    return out
