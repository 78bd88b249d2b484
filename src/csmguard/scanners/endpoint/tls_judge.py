"""Pure judgements on TLS facts that the TLS checks share: which accepted suites fall outside the
policy, whether a certificate names a host, and the max-age of an HSTS header."""

from __future__ import annotations

import ipaddress
import re

from csmguard.scanners.endpoint.facts import CertificateFacts, CipherInfo, TlsFacts
from csmguard.scanners.endpoint.policy import TlsPolicy


def accepted_suites(tls: TlsFacts) -> list[CipherInfo]:
    """The suites the server accepted: the negotiated one first, then the weak ones enumerated."""
    suites = list(tls.weak_suites)
    if tls.negotiated_cipher is not None and tls.negotiated_cipher.name not in {s.name for s in suites}:
        suites.insert(0, tls.negotiated_cipher)
    return suites


def weak_kex_suites(tls: TlsFacts, policy: TlsPolicy) -> list[CipherInfo]:
    """Accepted suites whose key exchange is not in the policy (plain RSA, DHE, PSK …)."""
    return [s for s in accepted_suites(tls) if s.kex not in policy.allowed_kex]


def weak_cipher_suites(tls: TlsFacts, policy: TlsPolicy) -> list[CipherInfo]:
    """Accepted suites with a bulk cipher outside the policy or fewer bits than it asks."""
    return [s for s in accepted_suites(tls)
            if s.symmetric not in policy.allowed_symmetric or s.bits < policy.min_cipher_bits]


_LABEL = re.compile(r"^[a-z0-9-]+$")


def hostname_matches(host: str, cert: CertificateFacts) -> bool:
    """RFC 6125 matching: IP addresses against iPAddress SANs; names against dNSName SANs, with a wildcard
    allowed only as the whole left-most label. The subject CN is not used (as in browsers)."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        return any(ipaddress.ip_address(a) == ip for a in cert.ip_addresses)
    wanted = host.rstrip(".").lower().split(".")
    for name in cert.dns_names:
        labels = name.rstrip(".").lower().split(".")
        if len(labels) != len(wanted):
            continue
        if labels[0] == "*" and len(labels) >= 3 and labels[1:] == wanted[1:] and _LABEL.match(wanted[0]):
            return True
        if labels == wanted:
            return True
    return False


_MAX_AGE = re.compile(r"(?:^|;)\s*max-age\s*=\s*\"?(\d+)\"?\s*(?:;|$)", re.IGNORECASE)


def hsts_max_age(header: str) -> int | None:
    """The max-age directive of a Strict-Transport-Security header value (RFC 6797 6.1.1), or None."""
    match = _MAX_AGE.search(header)
    return int(match.group(1)) if match else None
