"""The check of a mobile app's back end (CSM-16.3): it fails when any transport or certificate check of
the endpoint fails."""

from __future__ import annotations

from csmguard.domain import Finding, FindingStatus, text
from csmguard.domain.finding import JsonValue
from csmguard.rules.model import Rule
from csmguard.scanners.endpoint.check_base import CheckContext, CheckFn, make
from csmguard.scanners.endpoint.checks_tls import (
    cert_chain,
    cert_hostname,
    cert_key,
    cert_signature,
    cert_validity,
    tls10,
    tls11,
    tls_cipher_strength,
    tls_kex,
    tls_modern_version,
)
from csmguard.scanners.endpoint.facts import EndpointFacts

# The TLS checks whose failure means an app's back end does not protect what the app sends (CSM-16.3).
_BACKEND_CHECKS: tuple[tuple[str, CheckFn], ...] = (
    ("tls10", tls10),
    ("tls11", tls11),
    ("tls_modern_version", tls_modern_version),
    ("tls_kex", tls_kex),
    ("tls_cipher_strength", tls_cipher_strength),
    ("cert_chain", cert_chain),
    ("cert_hostname", cert_hostname),
    ("cert_validity", cert_validity),
    ("cert_key", cert_key),
    ("cert_signature", cert_signature),
)


def app_backend_transport(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """For a target marked as a mobile app's back end: fail when any transport or certificate check fails."""
    if not facts.target.app_backend or facts.tls is None:
        return []
    failed: list[str] = []
    unknown: list[str] = []
    probe_rule = rule.model_copy(update={"message": None})  # the sub-checks' own message values are not used
    for name, fn in _BACKEND_CHECKS:
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
