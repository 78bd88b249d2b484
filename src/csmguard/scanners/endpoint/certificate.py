"""Reading a DER certificate into :class:`CertificateFacts` (parsing only, no judgement)."""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID

from csmguard.scanners.endpoint.facts import CertificateFacts


def _key_facts(cert: x509.Certificate) -> tuple[str, int]:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size
    return type(key).__name__, 0


def _self_signed(cert: x509.Certificate) -> bool:
    if cert.subject != cert.issuer:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True


def certificate_facts(der: bytes, *, chain_trusted: bool | None, chain_error: str,
                      trust_store: str) -> CertificateFacts:
    """The facts of a leaf certificate given as DER, with the verdict of the verifying handshake."""
    cert = x509.load_der_x509_certificate(der)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns_names = tuple(san.get_values_for_type(x509.DNSName))
        ip_addresses = tuple(str(ip) for ip in san.get_values_for_type(x509.IPAddress))
    except x509.ExtensionNotFound:
        dns_names, ip_addresses = (), ()
    common_names = tuple(str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME))
    try:
        hash_algorithm = cert.signature_hash_algorithm
        signature_hash = hash_algorithm.name if hash_algorithm is not None else None
    except UnsupportedAlgorithm:
        signature_hash = "unsupported"
    oid = cert.signature_algorithm_oid
    key_type, key_bits = _key_facts(cert)
    return CertificateFacts(
        subject=cert.subject.rfc4514_string()[:300],
        issuer=cert.issuer.rfc4514_string()[:300],
        dns_names=dns_names[:100],
        ip_addresses=ip_addresses[:100],
        common_names=common_names,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        key_type=key_type,
        key_bits=key_bits,
        signature_hash=signature_hash,
        signature_algorithm=getattr(oid, "_name", None) or oid.dotted_string,
        self_signed=_self_signed(cert),
        sha256=cert.fingerprint(hashes.SHA256()).hex(),
        chain_trusted=chain_trusted,
        chain_error=chain_error,
        trust_store=trust_store,
    )
