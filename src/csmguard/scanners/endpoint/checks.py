"""The endpoint checks, registered explicitly by name, and the evaluation of rules on facts (pure)."""

from __future__ import annotations

from collections.abc import Iterable

from csmguard.domain import Finding, FindingStatus, text
from csmguard.domain.finding import JsonValue
from csmguard.rules.model import Rule
from csmguard.scanners.endpoint.check_base import CheckContext, CheckFn, make
from csmguard.scanners.endpoint.checks_tls import (
    check_chain,
    check_cipher_strength,
    check_expiry_warning,
    check_hostname,
    check_hsts,
    check_kex,
    check_key,
    check_lifetime,
    check_modern_version,
    check_signature,
    check_tls10,
    check_tls11,
    check_validity,
)
from csmguard.scanners.endpoint.checks_transfer import (
    check_ftp_auth_tls,
    check_ftp_cleartext_login,
    check_ssh_ciphers,
    check_ssh_host_key,
    check_ssh_host_key_size,
    check_ssh_kex,
    check_ssh_macs,
    check_ssh_version,
)
from csmguard.scanners.endpoint.facts import EndpointFacts

# The TLS checks whose failure means an app's back end does not protect what the app sends (CSM-16.3).
APP_BACKEND_CHECKS: tuple[tuple[str, CheckFn], ...] = (
    ("tls10", check_tls10),
    ("tls11", check_tls11),
    ("tls_modern_version", check_modern_version),
    ("tls_kex", check_kex),
    ("tls_cipher_strength", check_cipher_strength),
    ("cert_chain", check_chain),
    ("cert_hostname", check_hostname),
    ("cert_validity", check_validity),
    ("cert_key", check_key),
    ("cert_signature", check_signature),
)


def check_app_backend(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """For a target marked as a mobile app's back end: fail when any transport or certificate check fails."""
    if not facts.target.app_backend or facts.tls is None:
        return []
    failed: list[str] = []
    unknown: list[str] = []
    probe_rule = rule.model_copy(update={"message": None})  # the sub-checks' own message values are not used
    for name, fn in APP_BACKEND_CHECKS:
        for finding in fn(probe_rule, facts, ctx):
            if finding.status is FindingStatus.FAIL:
                failed.append(name)
            elif finding.status is FindingStatus.UNKNOWN:
                unknown.append(name)
    evidence: dict[str, JsonValue] = {"failed_checks": failed, "unknown_checks": unknown}
    if failed:
        return [make(rule, facts, FindingStatus.FAIL, values={"checks": ", ".join(failed)}, evidence=evidence)]
    if unknown:
        return [make(rule, facts, FindingStatus.UNKNOWN,
                     message=text(f"部分傳輸檢查無法判定：{', '.join(unknown)}。",
                                  f"Some transport checks could not be judged: {', '.join(unknown)}."),
                     evidence=evidence)]
    return [make(rule, facts, FindingStatus.PASS,
                 message=text("App 後端的 TLS 與憑證檢查皆通過。",
                              "Every TLS and certificate check of the app back end passes."),
                 evidence=evidence)]


CHECKS: dict[str, CheckFn] = {
    "tls10": check_tls10,
    "tls11": check_tls11,
    "tls_modern_version": check_modern_version,
    "tls_kex": check_kex,
    "tls_cipher_strength": check_cipher_strength,
    "cert_chain": check_chain,
    "cert_hostname": check_hostname,
    "cert_validity": check_validity,
    "cert_expiry_warning": check_expiry_warning,
    "cert_key": check_key,
    "cert_signature": check_signature,
    "cert_lifetime": check_lifetime,
    "https_hsts": check_hsts,
    "ssh_version": check_ssh_version,
    "ssh_kex": check_ssh_kex,
    "ssh_ciphers": check_ssh_ciphers,
    "ssh_macs": check_ssh_macs,
    "ssh_host_key": check_ssh_host_key,
    "ssh_host_key_size": check_ssh_host_key_size,
    "ftp_auth_tls": check_ftp_auth_tls,
    "ftp_cleartext_login": check_ftp_cleartext_login,
    "app_backend_transport": check_app_backend,
}


def evaluate(rules: Iterable[Rule], facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Every rule's findings on one endpoint; a rule whose protocol does not apply yields none."""
    findings: list[Finding] = []
    for rule in rules:
        if rule.check is None:
            continue
        findings.extend(CHECKS[rule.check](rule, facts, ctx))
    return findings
