"""TLS probing with Python's ssl module: versions, suites, the certificate, and the HSTS header.

Each probe is one TCP connection and one handshake with a client context pinned to what is being asked
(one protocol version, or only the suites outside the policy). Legacy versions are offered at OpenSSL
security level 0 so that the local library's defaults do not hide what the server accepts; when the local
OpenSSL cannot offer a version at all, the verdict for that version is ``unknown`` with the reason.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from csmguard.scanners.endpoint.certificate import certificate_facts
from csmguard.scanners.endpoint.facts import (
    CipherInfo,
    HstsFacts,
    ProbeVerdict,
    TlsFacts,
    VersionProbe,
)
from csmguard.scanners.endpoint.policy import TLS_VERSIONS, TlsPolicy

# Starts the application protocol before TLS on a plain connection (explicit FTPS: 220, AUTH TLS, 234).
Prelude = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]

_VERSION_ENUM: dict[str, ssl.TLSVersion] = {
    "TLSv1": ssl.TLSVersion.TLSv1,
    "TLSv1.1": ssl.TLSVersion.TLSv1_1,
    "TLSv1.2": ssl.TLSVersion.TLSv1_2,
    "TLSv1.3": ssl.TLSVersion.TLSv1_3,
}
_ALL_CIPHERS = "ALL:COMPLEMENTOFALL:@SECLEVEL=0"
_X509_V_FLAG_NO_CHECK_TIME = 0x200000  # validity dates are judged by their own rule
MAX_WEAK_SUITE_PROBES = 24
_MAX_HEADER_BYTES = 64 * 1024


class ConnectError(Exception):
    """The TCP connection (or the plain-text prelude) failed: the server's TLS was never asked."""


_MAX_CACHED_CONTEXTS = 64


@dataclass(frozen=True)
class TlsToolkit:
    """What the local OpenSSL can do, worked out once per run: the suites it knows and the versions it can offer.

    It also keeps the client contexts of the run, so that the trust store is loaded once and not per target.
    """

    suites: dict[str, CipherInfo]
    version_support: dict[str, str]  # version → "" when it can be offered, else the reason it cannot
    ca_file: Path | None
    _contexts: dict[tuple[object, ...], ssl.SSLContext] = field(default_factory=dict, compare=False, repr=False)

    def context(self, minimum: ssl.TLSVersion, maximum: ssl.TLSVersion, ciphers: str = "ALL:@SECLEVEL=0", *,
                verify: bool = False, alpn: bool = False) -> ssl.SSLContext:
        """A client context for these settings, made once per run (a few are kept, the rest made per use)."""
        key = (minimum, maximum, ciphers, verify, alpn)
        ctx = self._contexts.get(key)
        if ctx is None:
            ctx = _client_context(minimum, maximum, ciphers, verify=verify, ca_file=self.ca_file)
            if alpn:
                ctx.set_alpn_protocols(["http/1.1"])
            if len(self._contexts) < _MAX_CACHED_CONTEXTS:
                self._contexts[key] = ctx
        return ctx


def _client_context(minimum: ssl.TLSVersion, maximum: ssl.TLSVersion, ciphers: str = "ALL:@SECLEVEL=0",
                    *, verify: bool = False, ca_file: Path | None = None) -> ssl.SSLContext:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        if verify:
            ctx.verify_mode = ssl.CERT_REQUIRED
            if ca_file is not None:
                ctx.load_verify_locations(cafile=str(ca_file))
            else:
                ctx.load_default_certs()
            ctx.verify_flags |= _X509_V_FLAG_NO_CHECK_TIME
        else:
            ctx.verify_mode = ssl.CERT_NONE
        ctx.minimum_version = minimum
        ctx.maximum_version = maximum
        ctx.set_ciphers(ciphers)
    return ctx


def _kex_of(kea: str) -> str:
    kex = kea.removeprefix("kx-")
    return kex if kex in {"ecdhe", "dhe", "rsa", "any", "psk", "ecdhe-psk", "dhe-psk", "rsa-psk", "srp"} else "unknown"


def local_toolkit(ca_file: Path | None = None) -> TlsToolkit:
    """Inspect the local OpenSSL: its cipher table and which protocol versions a client can offer."""
    ctx = _client_context(ssl.TLSVersion.MINIMUM_SUPPORTED, ssl.TLSVersion.MAXIMUM_SUPPORTED, _ALL_CIPHERS)
    suites = {
        c["name"]: CipherInfo(name=c["name"], protocol=c["protocol"], kex=_kex_of(c["kea"]),
                              symmetric=c["symmetric"], bits=int(c["alg_bits"]), aead=bool(c["aead"]))
        for c in ctx.get_ciphers()
    }
    support: dict[str, str] = {}
    for name, version in _VERSION_ENUM.items():
        support[name] = _can_offer(name, version)
    return TlsToolkit(suites=suites, version_support=support, ca_file=ca_file)


def _can_offer(name: str, version: ssl.TLSVersion) -> str:
    """"" when a ClientHello pinned to ``version`` can be produced, else why not (in memory, no network)."""
    flag = {"TLSv1": "HAS_TLSv1", "TLSv1.1": "HAS_TLSv1_1", "TLSv1.2": "HAS_TLSv1_2", "TLSv1.3": "HAS_TLSv1_3"}[name]
    if not getattr(ssl, flag, False):
        return f"the local OpenSSL ({ssl.OPENSSL_VERSION}) was built without {name}"
    try:
        ctx = _client_context(version, version)
        client = ctx.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO())
        client.do_handshake()
    except ssl.SSLWantReadError:
        return ""
    except (ssl.SSLError, ValueError) as exc:
        return f"the local OpenSSL ({ssl.OPENSSL_VERSION}) cannot offer {name}: {exc}"
    return ""


async def _open_tls(address: str, port: int, sni: str, ctx: ssl.SSLContext, timeout: float,
                    prelude: Prelude | None) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Connect, run the prelude, then start TLS. ConnectError before TLS; ssl/OS errors during it.

    Without a prelude, TLS starts on the freshly connected socket, so that nothing the server sends first
    (a banner of a service that is not TLS) is swallowed by a plain-text reader.
    """
    if prelude is None:
        return await _open_implicit_tls(address, port, sni, ctx, timeout)
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(address, port), timeout)
    except (OSError, TimeoutError) as exc:
        raise ConnectError(f"cannot connect to {address}:{port}: {exc or type(exc).__name__}") from exc
    try:
        try:
            await asyncio.wait_for(prelude(reader, writer), timeout)
        except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
            raise ConnectError(f"the plain-text start before TLS failed: {exc or type(exc).__name__}") from exc
        # wait_for gives a TimeoutError; asyncio's own handshake timeout (a little later) only backs it up.
        await asyncio.wait_for(writer.start_tls(ctx, server_hostname=sni or None, ssl_handshake_timeout=timeout + 1),
                               timeout)
    except BaseException:
        writer.transport.abort()
        raise
    return reader, writer


async def _open_implicit_tls(address: str, port: int, sni: str, ctx: ssl.SSLContext,
                             timeout: float) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    family = socket.AF_INET6 if ipaddress.ip_address(address).version == 6 else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setblocking(False)
    try:
        await asyncio.wait_for(asyncio.get_running_loop().sock_connect(sock, (address, port)), timeout)
    except (OSError, TimeoutError) as exc:
        sock.close()
        raise ConnectError(f"cannot connect to {address}:{port}: {exc or type(exc).__name__}") from exc
    try:
        return await asyncio.wait_for(
            asyncio.open_connection(sock=sock, ssl=ctx, server_hostname=sni or None,
                                    ssl_handshake_timeout=timeout + 1), timeout)
    except BaseException:
        sock.close()
        raise


def _close(writer: asyncio.StreamWriter) -> None:
    writer.transport.abort()


async def _handshake(address: str, port: int, sni: str, ctx: ssl.SSLContext, timeout: float,
                     prelude: Prelude | None) -> tuple[str | None, str | None]:
    """(version, cipher) on success; ssl/OS errors propagate; ConnectError when TLS was never reached."""
    _reader, writer = await _open_tls(address, port, sni, ctx, timeout, prelude)
    try:
        obj = writer.get_extra_info("ssl_object")
        cipher = obj.cipher() if obj is not None else None
        return (obj.version() if obj is not None else None), (cipher[0] if cipher else None)
    finally:
        _close(writer)


async def _probe_version(name: str, toolkit: TlsToolkit, address: str, port: int, sni: str, timeout: float,
                         prelude: Prelude | None) -> VersionProbe:
    reason = toolkit.version_support.get(name, "unknown version")
    if reason:
        return VersionProbe(name, ProbeVerdict.UNKNOWN, reason)
    version = _VERSION_ENUM[name]
    try:
        negotiated, cipher = await _handshake(address, port, sni, toolkit.context(version, version), timeout, prelude)
    except ConnectError as exc:
        return VersionProbe(name, ProbeVerdict.UNKNOWN, str(exc))
    except (ssl.SSLError, OSError, TimeoutError, EOFError) as exc:
        return VersionProbe(name, ProbeVerdict.REJECTED, _describe(exc))
    if negotiated != name:
        return VersionProbe(name, ProbeVerdict.UNKNOWN, f"asked for {name}, got {negotiated}")
    return VersionProbe(name, ProbeVerdict.ACCEPTED, "", cipher)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError):
        return (exc.reason or str(exc))[:200]
    return (str(exc) or type(exc).__name__)[:200]


async def _weak_suites(toolkit: TlsToolkit, policy: TlsPolicy, address: str, port: int, sni: str, timeout: float,
                       prelude: Prelude | None) -> tuple[tuple[CipherInfo, ...], bool]:
    """The suites outside the policy that the server accepts (TLS 1.2 and below), by elimination."""
    allowed = set(policy.allowed_suites)
    remaining = [s.name for s in toolkit.suites.values() if s.protocol != "TLSv1.3" and s.name not in allowed]
    accepted: list[CipherInfo] = []
    for _ in range(MAX_WEAK_SUITE_PROBES):
        if not remaining:
            return tuple(accepted), True
        try:
            ctx = toolkit.context(ssl.TLSVersion.MINIMUM_SUPPORTED, ssl.TLSVersion.TLSv1_2,
                                  ":".join(remaining) + ":@SECLEVEL=0")
        except ssl.SSLError:
            return tuple(accepted), True  # none of the remaining suites can be offered by this OpenSSL
        try:
            _version, cipher = await _handshake(address, port, sni, ctx, timeout, prelude)
        except ConnectError:
            return tuple(accepted), False
        except (ssl.SSLError, OSError, TimeoutError, EOFError):
            return tuple(accepted), True
        if cipher is None or cipher not in remaining:
            return tuple(accepted), False
        accepted.append(toolkit.suites[cipher])
        remaining.remove(cipher)
    return tuple(accepted), False


@dataclass(frozen=True)
class _FirstContact:
    """What the first, unpinned handshake (and the HTTP GET over it) gave."""

    version: str | None
    cipher: str | None
    der: bytes | None
    hsts: HstsFacts | None


async def _main_handshake(toolkit: TlsToolkit, address: str, port: int, sni: str, timeout: float,
                          prelude: Prelude | None, http_path: str | None, *, verify: bool) -> _FirstContact:
    ctx = toolkit.context(ssl.TLSVersion.MINIMUM_SUPPORTED, ssl.TLSVersion.MAXIMUM_SUPPORTED, verify=verify,
                          alpn=http_path is not None)
    reader, writer = await _open_tls(address, port, sni, ctx, timeout, prelude)
    try:
        obj = writer.get_extra_info("ssl_object")
        version = obj.version() if obj is not None else None
        cipher = obj.cipher() if obj is not None else None
        der = obj.getpeercert(binary_form=True) if obj is not None else None
        hsts = await _read_hsts(reader, writer, sni, port, http_path, timeout) if http_path is not None else None
        return _FirstContact(version, cipher[0] if cipher else None, der, hsts)
    finally:
        _close(writer)


def _no_answer(timeout: float) -> ConnectError:
    return ConnectError(f"the server accepted the connection but did not answer a TLS handshake within {timeout:g} s")


async def _first_contact(toolkit: TlsToolkit, address: str, port: int, sni: str, timeout: float,
                         prelude: Prelude | None, http_path: str | None,
                         ) -> tuple[_FirstContact | None, str, bool | None, str]:
    """(first contact or None, why none, chain trusted, chain error): the first handshake verifies the chain
    against the trust store; only when that fails is a second one made without verification."""
    try:
        verified = await _main_handshake(toolkit, address, port, sni, timeout, prelude, http_path, verify=True)
        return verified, "", True, ""
    except TimeoutError as exc:
        raise _no_answer(timeout) from exc
    except ssl.SSLCertVerificationError as exc:
        trusted, chain_error = False, (exc.verify_message or _describe(exc))[:200]
    except (ssl.SSLError, OSError, EOFError) as exc:
        trusted, chain_error = None, f"the verifying handshake failed: {_describe(exc)}"
    try:
        contact = await _main_handshake(toolkit, address, port, sni, timeout, prelude, http_path, verify=False)
    except TimeoutError as exc:
        raise _no_answer(timeout) from exc
    except (ssl.SSLError, OSError, EOFError) as exc:
        return None, _describe(exc), trusted, chain_error
    return contact, "", trusted, chain_error


async def _read_hsts(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, port: int, path: str,
                     timeout: float) -> HstsFacts:
    host_header = host if port == 443 else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        host_header = f"[{host}]" if port == 443 else f"[{host}]:{port}"
    request = (f"GET {path} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: csmguard-endpoint-scan\r\n"
               "Accept: */*\r\nConnection: close\r\n\r\n")
    try:
        writer.write(request.encode("ascii", "replace"))
        await asyncio.wait_for(writer.drain(), timeout)
        head = await asyncio.wait_for(_read_head(reader), timeout)
    except (OSError, TimeoutError, ssl.SSLError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        return HstsFacts(None, None, f"no HTTP response: {_describe(exc)}")
    return parse_http_head(head)


async def _read_head(reader: asyncio.StreamReader) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < _MAX_HEADER_BYTES:
        chunk = await reader.read(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n\r\n", 1)[0]


def parse_http_head(head: bytes) -> HstsFacts:
    """The status line and the first Strict-Transport-Security header of an HTTP/1.x response head."""
    lines = head.decode("latin-1").split("\r\n")
    status = lines[0][:200] if lines and lines[0] else None
    if status is None or not status.startswith("HTTP/"):
        return HstsFacts(None, None, "the server did not answer with HTTP/1.x")
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() == "strict-transport-security":
            return HstsFacts(status, value.strip()[:300])
    return HstsFacts(status, None)


async def collect_tls(toolkit: TlsToolkit, policy: TlsPolicy, address: str, port: int, sni: str, timeout: float,
                      *, prelude: Prelude | None = None, http_path: str | None = None) -> TlsFacts:
    """Probe one TLS endpoint. Raises ConnectError when the server cannot be reached at all."""
    contact, main_error, trusted, chain_error = await _first_contact(toolkit, address, port, sni, timeout, prelude,
                                                                     http_path)
    versions: list[VersionProbe] = []
    for version in TLS_VERSIONS:
        if contact is not None and contact.version == version:  # already seen: no need to ask again
            versions.append(VersionProbe(version, ProbeVerdict.ACCEPTED, "", contact.cipher))
        else:
            versions.append(await _probe_version(version, toolkit, address, port, sni, timeout, prelude))
    weak, complete = await _weak_suites(toolkit, policy, address, port, sni, timeout, prelude)
    certificate = None
    certificate_error = ""
    if contact is not None and contact.der:
        try:
            certificate = certificate_facts(contact.der, chain_trusted=trusted, chain_error=chain_error,
                                            trust_store=str(toolkit.ca_file) if toolkit.ca_file else "system")
        except ValueError as exc:
            certificate_error = f"the server's certificate cannot be parsed: {exc}"[:300]
    else:
        certificate_error = f"no certificate was received ({main_error or 'no handshake'})"
    return TlsFacts(
        negotiated_version=contact.version if contact else None,
        negotiated_cipher=toolkit.suites.get(contact.cipher) if contact and contact.cipher else None,
        versions=tuple(versions),
        weak_suites=weak,
        weak_suites_complete=complete,
        certificate=certificate,
        certificate_error=certificate_error,
        hsts=contact.hsts if contact is not None and http_path is not None else None,
    )
