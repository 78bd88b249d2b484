"""Loopback servers for the endpoint tests: TLS/HTTPS, implicit FTPS, raw SSH (banner + KEXINIT), FTP.

Certificates are generated here with ``cryptography``; every server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import os
import ssl
import struct
import threading
import warnings
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

MOZILLA_SUITES = ("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                  "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305")
NOW = dt.datetime.now(dt.UTC)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@dataclass
class CertFactory:
    """Makes a test CA and leaf certificates into ``folder``."""

    folder: Path
    _keys: dict[str, Any] = field(default_factory=dict)

    def key(self, kind: str) -> Any:
        """A private key of ``kind`` (rsa2048, rsa1024, ec256), made once."""
        if kind not in self._keys:
            if kind.startswith("rsa"):
                self._keys[kind] = rsa.generate_private_key(public_exponent=65537, key_size=int(kind[3:]))
            else:
                self._keys[kind] = ec.generate_private_key(ec.SECP256R1())
        return self._keys[kind]

    def __post_init__(self) -> None:
        self.ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ca_cert = (
            x509.CertificateBuilder().subject_name(_name("CSM Guard Test CA")).issuer_name(_name("CSM Guard Test CA"))
            .public_key(self.ca_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(self.ca_key, hashes.SHA256())
        )
        self.ca_file = self.folder / "ca.pem"
        self.ca_file.write_bytes(self.ca_cert.public_bytes(serialization.Encoding.PEM))

    def leaf(self, name: str, *, key: str = "rsa2048", dns: tuple[str, ...] = ("localhost",),
             ips: tuple[str, ...] = ("127.0.0.1",), start_days: int = -1, end_days: int = 90,
             self_signed: bool = False) -> tuple[Path, Path]:
        """(certificate file, key file) of a leaf for the given names and validity (days from now)."""
        private = self.key(key)
        sans: list[x509.GeneralName] = [x509.DNSName(d) for d in dns]
        sans += [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
        subject = _name(dns[0] if dns else name)
        builder = (
            x509.CertificateBuilder().subject_name(subject)
            .issuer_name(subject if self_signed else self.ca_cert.subject)
            .public_key(private.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW + dt.timedelta(days=start_days)).not_valid_after(NOW + dt.timedelta(days=end_days))
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        )
        cert = builder.sign(private if self_signed else self.ca_key, hashes.SHA256())
        cert_file = self.folder / f"{name}.crt"
        key_file = self.folder / f"{name}.key"
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
        return cert_file, key_file


def server_context(cert: Path, key: Path, *, versions: tuple[str, str] = ("TLSv1.2", "TLSv1.3"),
                   ciphers: str = MOZILLA_SUITES, dh_params: Path | None = None) -> ssl.SSLContext:
    """A server context pinned to a version range and a cipher string (at security level 0 so that legacy
    settings can be served)."""
    enum = {"TLSv1": ssl.TLSVersion.TLSv1, "TLSv1.1": ssl.TLSVersion.TLSv1_1, "TLSv1.2": ssl.TLSVersion.TLSv1_2,
            "TLSv1.3": ssl.TLSVersion.TLSv1_3}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = enum[versions[0]]
        ctx.maximum_version = enum[versions[1]]
        ctx.set_ciphers(ciphers + ":@SECLEVEL=0")
        ctx.load_cert_chain(str(cert), str(key))
        if dh_params is not None:
            ctx.load_dh_params(str(dh_params))
    return ctx


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _mpint(value: int) -> bytes:
    raw = value.to_bytes((value.bit_length() + 8) // 8, "big")  # a leading zero byte keeps it positive
    return _string(raw)


def host_key_blobs(rsa_bits: int = 2048) -> dict[str, bytes]:
    """Public host key blobs (RFC 4253 6.6, RFC 8709) by key family: RSA of ``rsa_bits``, Ed25519, DSA-1024."""
    from cryptography.hazmat.primitives.asymmetric import dsa, ed25519

    rsa_numbers = rsa.generate_private_key(public_exponent=65537, key_size=rsa_bits).public_key().public_numbers()
    ed = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(serialization.Encoding.Raw,
                                                                       serialization.PublicFormat.Raw)
    dsa_numbers = dsa.generate_private_key(key_size=1024).public_key().public_numbers()
    params = dsa_numbers.parameter_numbers
    return {
        "RSA": _string(b"ssh-rsa") + _mpint(rsa_numbers.e) + _mpint(rsa_numbers.n),
        "Ed25519": _string(b"ssh-ed25519") + _string(ed),
        "DSA": _string(b"ssh-dss") + _mpint(params.p) + _mpint(params.q) + _mpint(params.g) + _mpint(dsa_numbers.y),
    }


_FAMILY = {"ssh-rsa": "RSA", "rsa-sha2-256": "RSA", "rsa-sha2-512": "RSA", "ssh-ed25519": "Ed25519", "ssh-dss": "DSA"}


async def _read_ssh_packet(reader: asyncio.StreamReader) -> bytes:
    length, padding = struct.unpack(">IB", await reader.readexactly(5))
    return (await reader.readexactly(length - 1))[:length - padding - 1]


def _packet(payload: bytes) -> bytes:
    padding = 8 - ((len(payload) + 5) % 8)
    padding += 8 if padding < 4 else 0
    return struct.pack(">IB", len(payload) + padding + 1, padding) + payload + os.urandom(padding)


def _requested_host_key(kexinit: bytes) -> str:
    offset = 17
    (length,) = struct.unpack_from(">I", kexinit, offset)  # the kex list
    offset += 4 + length
    (length,) = struct.unpack_from(">I", kexinit, offset)  # the host key list
    return kexinit[offset + 4:offset + 4 + length].decode().split(",")[0]


def kexinit_packet(kex: list[str], host_key: list[str], ciphers: list[str], macs: list[str]) -> bytes:
    """An SSH binary packet carrying SSH_MSG_KEXINIT with the given name-lists (RFC 4253 7.1)."""
    def name_list(items: list[str]) -> bytes:
        raw = ",".join(items).encode("ascii")
        return struct.pack(">I", len(raw)) + raw
    payload = bytes([20]) + os.urandom(16)
    for items in (kex, host_key, ciphers, ciphers, macs, macs, ["none"], ["none"], [], []):
        payload += name_list(items)
    payload += b"\x00" + struct.pack(">I", 0)
    padding = 8 - ((len(payload) + 5) % 8)
    padding += 8 if padding < 4 else 0
    return struct.pack(">IB", len(payload) + padding + 1, padding) + payload + os.urandom(padding)


class ServerHost:
    """One asyncio loop in a background thread that hosts any number of small loopback servers."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.loop.set_exception_handler(lambda _loop, _context: None)
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.servers: list[asyncio.Server] = []

    def _run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    def _serve(self, handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Coroutine[Any, Any, None]],
               ctx: ssl.SSLContext | None) -> int:
        async def start() -> asyncio.Server:
            return await asyncio.start_server(handler, "127.0.0.1", 0, ssl=ctx,
                                              ssl_handshake_timeout=5 if ctx else None)
        server = self._run(start())
        self.servers.append(server)
        return int(server.sockets[0].getsockname()[1])

    def https(self, ctx: ssl.SSLContext, *, hsts: str | None = "max-age=63072000; includeSubDomains") -> int:
        """An HTTPS server answering every request with 200 and the given HSTS header."""
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
                header = f"Strict-Transport-Security: {hsts}\r\n" if hsts else ""
                writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n{header}Connection: close\r\n\r\nok".encode())
                await writer.drain()
            writer.transport.abort()
        return self._serve(handle, ctx)

    def implicit_ftps(self, ctx: ssl.SSLContext) -> int:
        """A TLS-first server that greets like FTP (implicit FTPS) and hangs up on QUIT or EOF."""
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                writer.write(b"220 implicit FTPS test server\r\n")
                await writer.drain()
                await asyncio.wait_for(reader.readline(), 5)
            writer.transport.abort()
        return self._serve(handle, ctx)

    def raw_ssh(self, banner: str, kex: list[str], host_key: list[str], ciphers: list[str], macs: list[str],
                keys: dict[str, bytes] | None = None) -> int:
        """A server that sends an SSH banner and a KEXINIT with the chosen algorithms; when the client goes on
        with its KEXINIT and KEX_ECDH_INIT, it answers KEX_ECDH_REPLY with the host key of the family asked
        for (the exchange value and signature are filler: the scanner reads only the key)."""
        packet = kexinit_packet(kex, host_key, ciphers, macs)

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                writer.write(f"{banner}\r\n".encode())
                if banner.startswith("SSH-1.5"):
                    await writer.drain()
                    await asyncio.wait_for(reader.read(1024), 5)
                    return
                writer.write(packet)
                await writer.drain()
                await asyncio.wait_for(reader.readuntil(b"\n"), 5)
                client_kexinit = await asyncio.wait_for(_read_ssh_packet(reader), 5)
                ecdh_init = await asyncio.wait_for(_read_ssh_packet(reader), 5)
                blob = (keys or {}).get(_FAMILY.get(_requested_host_key(client_kexinit), ""))
                if blob is not None and ecdh_init[0] == 30:
                    reply = bytes([31]) + _string(blob) + _string(os.urandom(32)) + _string(b"filler-signature")
                    writer.write(_packet(reply))
                    await writer.drain()
                    await asyncio.wait_for(reader.read(1024), 5)
            writer.transport.abort()
        return self._serve(handle, None)

    def silent(self) -> int:
        """A server that accepts connections and never says anything (until the client hangs up)."""
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(reader.read(), 30)
            writer.transport.abort()
        return self._serve(handle, None)

    def close(self) -> None:
        """Stop every server and the loop."""
        async def stop() -> None:
            for server in self.servers:
                server.close()
        with contextlib.suppress(Exception):
            self._run(stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


def start_ftp(folder: Path, *, tls: tuple[Path, Path] | None, tls_control_required: bool = False) -> tuple[Any, int]:
    """A pyftpdlib server on loopback (FTPS with AUTH TLS when ``tls`` is given); returns (server, port)."""
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
    from pyftpdlib.ioloop import IOLoop
    from pyftpdlib.servers import FTPServer

    authorizer = DummyAuthorizer()
    authorizer.add_user("alice", "correct-horse", str(folder), perm="elr")
    handler: Any
    if tls is None:
        handler = type("PlainHandler", (FTPHandler,), {})
    else:
        handler = type("TlsHandler", (TLS_FTPHandler,), {})
        handler.certfile = str(tls[0])
        handler.keyfile = str(tls[1])
        handler.tls_control_required = tls_control_required
    handler.authorizer = authorizer
    handler.auth_failed_timeout = 0.05  # pyftpdlib waits 3 s after a failed login by default
    server = FTPServer(("127.0.0.1", 0), handler, ioloop=IOLoop())  # one loop per server: they run in threads
    threading.Thread(target=server.serve_forever, kwargs={"timeout": 0.2, "blocking": True}, daemon=True).start()
    return server, int(server.socket.getsockname()[1])
