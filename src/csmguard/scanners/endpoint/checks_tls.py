"""Pure checks of TLS facts: protocol versions, key exchange, suites, certificate, HSTS."""

from __future__ import annotations

from csmguard.domain import Finding, FindingStatus, text
from csmguard.domain.finding import JsonValue
from csmguard.rules.model import Rule
from csmguard.scanners.endpoint.check_base import CheckContext, CheckFn, make, names
from csmguard.scanners.endpoint.facts import CertificateFacts, CipherInfo, EndpointFacts, ProbeVerdict
from csmguard.scanners.endpoint.tls_judge import hostname_matches, hsts_max_age, weak_cipher_suites, weak_kex_suites

PASS = FindingStatus.PASS
FAIL = FindingStatus.FAIL
UNKNOWN = FindingStatus.UNKNOWN


def _legacy_version(version: str) -> CheckFn:
    def check(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
        tls = facts.tls
        if tls is None:
            return []
        probe = next((p for p in tls.versions if p.version == version), None)
        if probe is None or probe.verdict is ProbeVerdict.UNKNOWN:
            reason = probe.reason if probe else "not probed"
            return [make(rule, facts, UNKNOWN, message=text(f"無法判定是否接受 {version}：{reason}",
                                                          f"Cannot tell whether {version} is accepted: {reason}"),
                         evidence={"version": version, "reason": reason})]
        allowed = version in ctx.policy.tls.allowed_versions
        if probe.verdict is ProbeVerdict.ACCEPTED and not allowed:
            return [make(rule, facts, FAIL, values={"version": version, "cipher": probe.cipher or "?"},
                         evidence={"version": version, "cipher": probe.cipher})]
        return [make(rule, facts, PASS, message=text(f"伺服器拒絕 {version} 交握。",
                                                     f"The server refused a {version} handshake."),
                     evidence={"version": version, "verdict": probe.verdict.value, "reason": probe.reason})]
    return check


tls10 = _legacy_version("TLSv1")
tls11 = _legacy_version("TLSv1.1")


def tls_modern_version(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail when the server accepts none of the policy's versions (TLS 1.2, 1.3)."""
    tls = facts.tls
    if tls is None:
        return []
    allowed = [p for p in tls.versions if p.version in ctx.policy.tls.allowed_versions]
    accepted = [p.version for p in allowed if p.verdict is ProbeVerdict.ACCEPTED]
    evidence: dict[str, JsonValue] = {p.version: p.verdict.value for p in tls.versions}
    if accepted:
        return [make(rule, facts, PASS, message=text(f"伺服器支援 {', '.join(accepted)}。",
                                                     f"The server supports {', '.join(accepted)}."),
                     evidence=evidence)]
    if any(p.verdict is ProbeVerdict.UNKNOWN for p in allowed):
        reasons = "; ".join(f"{p.version}: {p.reason}" for p in allowed if p.verdict is ProbeVerdict.UNKNOWN)
        return [make(rule, facts, UNKNOWN, message=text(f"無法判定：{reasons}", f"Cannot tell: {reasons}"),
                     evidence=evidence)]
    return [make(rule, facts, FAIL, values={"versions": ", ".join(ctx.policy.tls.allowed_versions)},
                 evidence=evidence)]


def _suite_check(rule: Rule, facts: EndpointFacts, bad: list[CipherInfo]) -> list[Finding]:
    tls = facts.tls
    assert tls is not None
    evidence: dict[str, JsonValue] = {"negotiated": tls.negotiated_cipher.name if tls.negotiated_cipher else None,
                                   "accepted_outside_policy": [s.name for s in bad][:20]}
    if bad:
        return [make(rule, facts, FAIL, values={"suites": names([s.name for s in bad], 8)},
                     evidence=evidence)]
    if tls.negotiated_cipher is None or not tls.weak_suites_complete:
        return [make(rule, facts, UNKNOWN,
                     message=text("無法完整列舉伺服器接受的加密套件（未能完成交握或列舉中斷）。",
                                  "Could not enumerate the accepted suites (no handshake, or enumeration stopped)."),
                     evidence=evidence)]
    return [make(rule, facts, PASS, message=text("伺服器只接受政策允許的套件。",
                                                 "The server accepts only suites the policy allows."),
                 evidence=evidence)]


def tls_kex(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail when the server accepts a suite without ECDHE (plain RSA or DHE key exchange)."""
    if facts.tls is None:
        return []
    return _suite_check(rule, facts, weak_kex_suites(facts.tls, ctx.policy.tls))


def tls_cipher_strength(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail when the server accepts a non-AEAD or short bulk cipher (CBC, 3DES, RC4, NULL, < 128 bits)."""
    if facts.tls is None:
        return []
    return _suite_check(rule, facts, weak_cipher_suites(facts.tls, ctx.policy.tls))


def _cert_or_unknown(rule: Rule, facts: EndpointFacts) -> tuple[CertificateFacts | None, list[Finding]]:
    tls = facts.tls
    if tls is None:
        return None, []
    if tls.certificate is None:
        reason = tls.certificate_error or "no certificate"
        return None, [make(rule, facts, UNKNOWN, message=text(f"無法取得憑證：{reason}",
                                                            f"No certificate to judge: {reason}"),
                           evidence={"reason": reason})]
    return tls.certificate, []


def _cert_evidence(cert: CertificateFacts) -> dict[str, JsonValue]:
    return {"subject": cert.subject, "issuer": cert.issuer, "sha256": cert.sha256}


def cert_chain(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail when the chain does not verify against the trust store (self-signed, unknown CA …)."""
    cert, early = _cert_or_unknown(rule, facts)
    if cert is None:
        return early
    evidence: dict[str, JsonValue] = {**_cert_evidence(cert), "trust_store": cert.trust_store,
                                      "self_signed": cert.self_signed}
    if cert.chain_trusted is None:
        return [make(rule, facts, UNKNOWN, message=text(f"無法驗證憑證鏈：{cert.chain_error}",
                                                      f"Cannot verify the chain: {cert.chain_error}"),
                     evidence=evidence)]
    if not cert.chain_trusted:
        return [make(rule, facts, FAIL, values={"reason": cert.chain_error, "store": cert.trust_store},
                     evidence={**evidence, "error": cert.chain_error})]
    return [make(rule, facts, PASS, message=text("憑證鏈可由信任儲存區驗證。",
                                                 "The chain verifies against the trust store."),
                 evidence=evidence)]


def cert_hostname(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail when the certificate does not name the host that was asked for."""
    cert, early = _cert_or_unknown(rule, facts)
    if cert is None:
        return early
    host = facts.target.host
    evidence: dict[str, JsonValue] = {"host": host, "dns_names": list(cert.dns_names[:10]),
                                      "ip_addresses": list(cert.ip_addresses[:10]),
                "common_names": list(cert.common_names)}
    if hostname_matches(host, cert):
        return [make(rule, facts, PASS, message=text(f"憑證涵蓋主機名稱 {host}。", f"The certificate covers {host}."),
                     evidence=evidence)]
    listed = names(list(cert.dns_names) + list(cert.ip_addresses), 5) or "—"
    return [make(rule, facts, FAIL, values={"host": host, "names": listed}, evidence=evidence)]


def cert_validity(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail when the certificate has expired or is not yet valid."""
    cert, early = _cert_or_unknown(rule, facts)
    if cert is None:
        return early
    evidence: dict[str, JsonValue] = {"not_before": cert.not_before.isoformat(),
                                      "not_after": cert.not_after.isoformat()}
    if ctx.now > cert.not_after:
        return [make(rule, facts, FAIL, values={"state_zh": f"已於 {cert.not_after.date().isoformat()} 過期",
                                                "state_en": f"expired on {cert.not_after.date().isoformat()}"},
                     evidence=evidence)]
    if ctx.now < cert.not_before:
        return [make(rule, facts, FAIL, values={"state_zh": f"要到 {cert.not_before.date().isoformat()} 才生效",
                                                "state_en": f"is not valid before {cert.not_before.date()}"},
                     evidence=evidence)]
    days = (cert.not_after - ctx.now).days
    return [make(rule, facts, PASS, message=text(f"憑證有效，尚餘 {days} 天。",
                                                 f"The certificate is valid for {days} more days."),
                 evidence={**evidence, "days_left": days})]


def cert_expiry_warning(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail when a currently valid certificate expires within the policy's warning period."""
    cert, early = _cert_or_unknown(rule, facts)
    if cert is None:
        return early
    days = (cert.not_after - ctx.now).days
    warn = ctx.policy.tls.expiry_warning_days
    evidence: dict[str, JsonValue] = {"not_after": cert.not_after.isoformat(), "days_left": days, "warning_days": warn}
    if ctx.now > cert.not_after:
        return [make(rule, facts, FindingStatus.NOT_APPLICABLE,
                     message=text("憑證已過期（見有效期間規則）。",
                                  "The certificate has already expired (see the validity rule)."),
                     evidence=evidence)]
    if days < warn:
        return [make(rule, facts, FAIL, values={"days": days, "warn": warn}, evidence=evidence)]
    return [make(rule, facts, PASS, message=text(f"憑證尚餘 {days} 天，超過 {warn} 天的預警期。",
                                                 f"{days} days left, more than the {warn}-day warning period."),
                 evidence=evidence)]


def cert_key(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail on RSA keys below the policy's size, EC keys below its size, and DSA or unknown key types."""
    cert, early = _cert_or_unknown(rule, facts)
    if cert is None:
        return early
    policy = ctx.policy.tls
    evidence: dict[str, JsonValue] = {"key_type": cert.key_type, "key_bits": cert.key_bits}
    minimum = {"RSA": policy.min_rsa_bits, "EC": policy.min_ec_bits, "Ed25519": policy.min_ec_bits,
               "Ed448": policy.min_ec_bits}.get(cert.key_type)
    if minimum is None or cert.key_bits < minimum:
        need = f"RSA ≥ {policy.min_rsa_bits}, EC ≥ {policy.min_ec_bits}"
        return [make(rule, facts, FAIL, values={"key": f"{cert.key_type}-{cert.key_bits}", "need": need},
                     evidence=evidence)]
    return [make(rule, facts, PASS, message=text(f"憑證金鑰 {cert.key_type}-{cert.key_bits} 符合政策。",
                                                 f"Key {cert.key_type}-{cert.key_bits} meets the policy."),
                 evidence=evidence)]


def cert_signature(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail when the certificate is signed with a hash weaker than the policy allows (MD5, SHA-1)."""
    cert, early = _cert_or_unknown(rule, facts)
    if cert is None:
        return early
    evidence: dict[str, JsonValue] = {"signature_algorithm": cert.signature_algorithm, "hash": cert.signature_hash}
    if cert.signature_hash is None and cert.key_type in {"Ed25519", "Ed448"}:
        ok = True  # EdDSA signs without a separate digest and is at least as strong as SHA-256
    else:
        ok = cert.signature_hash in ctx.policy.tls.allowed_signature_hashes
    if ok:
        return [make(rule, facts, PASS, message=text(f"簽章演算法 {cert.signature_algorithm} 符合政策。",
                                                     f"Signature {cert.signature_algorithm} meets the policy."),
                     evidence=evidence)]
    return [make(rule, facts, FAIL, values={"algorithm": cert.signature_algorithm}, evidence=evidence)]


def cert_lifetime(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail when the certificate's validity period is longer than the policy's maximum."""
    cert, early = _cert_or_unknown(rule, facts)
    if cert is None:
        return early
    days = (cert.not_after - cert.not_before).days
    limit = ctx.policy.tls.max_certificate_lifetime_days
    evidence: dict[str, JsonValue] = {"lifetime_days": days, "max_days": limit}
    if days > limit:
        return [make(rule, facts, FAIL, values={"days": days, "limit": limit}, evidence=evidence)]
    return [make(rule, facts, PASS, message=text(f"憑證效期 {days} 天，未超過 {limit} 天。",
                                                 f"Lifetime {days} days, within {limit}."),
                 evidence=evidence)]


def https_hsts(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail when an HTTPS response has no HSTS header or its max-age is below the policy's minimum."""
    tls = facts.tls
    if tls is None or tls.hsts is None:
        return []
    hsts = tls.hsts
    minimum = ctx.policy.tls.hsts_min_max_age
    evidence: dict[str, JsonValue] = {"status_line": hsts.status_line, "header": hsts.header, "min_max_age": minimum}
    if hsts.status_line is None:
        return [make(rule, facts, UNKNOWN, message=text(f"無法取得 HTTP 回應：{hsts.error}",
                                                      f"No HTTP response to judge: {hsts.error}"),
                     evidence={**evidence, "error": hsts.error})]
    max_age = hsts_max_age(hsts.header) if hsts.header is not None else None
    if max_age is None or max_age < minimum:
        found = "—" if hsts.header is None else (f"max-age={max_age}" if max_age is not None else hsts.header[:80])
        return [make(rule, facts, FAIL, values={"found": found, "minimum": minimum},
                     evidence={**evidence, "max_age": max_age})]
    return [make(rule, facts, PASS, message=text(f"HSTS max-age={max_age}，符合至少 {minimum} 秒。",
                                                 f"HSTS max-age={max_age}, at least {minimum} seconds."),
                 evidence={**evidence, "max_age": max_age})]
