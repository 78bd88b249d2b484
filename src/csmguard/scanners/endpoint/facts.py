"""What the endpoint scanner read from a server: frozen records, no judgement (that is in checks.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Protocol(StrEnum):
    """How a target is spoken to."""

    HTTPS = "https"  # TLS first, then an HTTP/1.1 GET for the HSTS header
    TLS = "tls"  # TLS first, no application protocol (e.g. a management port)
    SFTP = "sftp"  # SSH transport: banner and KEXINIT
    FTP = "ftp"  # cleartext FTP control channel, then AUTH TLS (explicit FTPS) when offered
    FTPS = "ftps"  # implicit FTPS: TLS first on the control channel (port 990)


@dataclass(frozen=True)
class EndpointTarget:
    """One parsed target: what the user wrote, the protocol, host and port."""

    raw: str
    protocol: Protocol
    host: str
    port: int
    path: str = "/"
    app_backend: bool = False

    @property
    def display(self) -> str:
        """``scheme://host:port`` as shown in output."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.protocol.value}://{host}:{self.port}"


class ProbeVerdict(StrEnum):
    """The answer of a server to one probe."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class VersionProbe:
    """Whether the server completed a handshake pinned to one protocol version."""

    version: str  # "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"
    verdict: ProbeVerdict
    reason: str = ""
    cipher: str | None = None


@dataclass(frozen=True)
class CipherInfo:
    """A cipher suite as the local OpenSSL describes it."""

    name: str
    protocol: str  # "TLSv1.2", "TLSv1.3", "TLSv1.0", "SSLv3"
    kex: str  # "ecdhe", "dhe", "rsa", "psk", "any" (TLS 1.3: (EC)DHE always) or "unknown"
    symmetric: str  # e.g. "aes-128-gcm", "chacha20-poly1305", "aes-256-cbc", "des-ede3-cbc"
    bits: int
    aead: bool


@dataclass(frozen=True)
class CertificateFacts:
    """The server's leaf certificate and what the local trust store said about its chain."""

    subject: str
    issuer: str
    dns_names: tuple[str, ...]
    ip_addresses: tuple[str, ...]
    common_names: tuple[str, ...]
    not_before: datetime
    not_after: datetime
    key_type: str  # "RSA", "EC", "Ed25519", "Ed448", "DSA", other
    key_bits: int
    signature_hash: str | None  # "sha256", "sha1", … None for Ed25519/Ed448 (no separate hash)
    signature_algorithm: str
    self_signed: bool
    sha256: str
    chain_trusted: bool | None  # None when the verifying handshake could not be made
    chain_error: str = ""
    trust_store: str = "system"


@dataclass(frozen=True)
class HstsFacts:
    """What the HTTP/1.1 GET over TLS returned about Strict-Transport-Security."""

    status_line: str | None
    header: str | None  # None when absent
    error: str = ""


@dataclass(frozen=True)
class TlsFacts:
    """The TLS side of one endpoint."""

    negotiated_version: str | None
    negotiated_cipher: CipherInfo | None
    versions: tuple[VersionProbe, ...]
    weak_suites: tuple[CipherInfo, ...]  # accepted suites outside the policy's list (TLS 1.2 and below)
    weak_suites_complete: bool  # False when enumeration stopped early (limit or error)
    certificate: CertificateFacts | None
    certificate_error: str = ""
    hsts: HstsFacts | None = None  # only for HTTPS targets


@dataclass(frozen=True)
class SshHostKey:
    """A host key the server sent in a key exchange for one host key algorithm."""

    algorithm: str
    key_type: str  # "RSA", "EC", "Ed25519", "Ed448", "DSA", or the blob's own type name
    bits: int
    fingerprint: str  # "SHA256:…" as ssh-keygen prints it


@dataclass(frozen=True)
class SshFacts:
    """The server side of the SSH transport negotiation (RFC 4253 section 7.1) and its host keys."""

    banner: str
    kex: tuple[str, ...]
    host_key: tuple[str, ...]
    ciphers_c2s: tuple[str, ...]
    ciphers_s2c: tuple[str, ...]
    macs_c2s: tuple[str, ...]
    macs_s2c: tuple[str, ...]
    host_keys: tuple[SshHostKey, ...] = ()
    host_keys_error: str = ""

    @property
    def protocol_version(self) -> str:
        """``2.0``, ``1.99`` or ``1.5`` from the banner ``SSH-<version>-<software>``."""
        parts = self.banner.split("-", 2)
        return parts[1] if len(parts) >= 2 else ""


class LoginProbe(StrEnum):
    """What the FTP server did with a throwaway USER/PASS sent before TLS."""

    NOT_TRIED = "not_tried"
    REFUSED = "refused"  # USER rejected before TLS (e.g. 530/534/550 "TLS required")
    PASSWORD_REQUESTED = "password_requested"  # noqa: S105 - a probe outcome; 331 to USER: credentials travel in cleartext
    LOGGED_IN = "logged_in"  # 230: a cleartext login succeeded
    ERROR = "error"


@dataclass(frozen=True)
class FtpFacts:
    """The FTP control channel before and after AUTH TLS."""

    greeting: str
    features: tuple[str, ...]
    auth_tls: bool
    auth_reply: str
    login: LoginProbe = LoginProbe.NOT_TRIED
    login_reply: str = ""


@dataclass(frozen=True)
class EndpointFacts:
    """Everything read from one target; the parts that do not apply to its protocol are None."""

    target: EndpointTarget
    address: str
    tls: TlsFacts | None = None
    ssh: SshFacts | None = None
    ftp: FtpFacts | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
