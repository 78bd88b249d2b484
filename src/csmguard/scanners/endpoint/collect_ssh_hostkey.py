"""SSH host keys: start an (EC)DH key exchange for one host key algorithm and read the key the server sends.

After the KEXINIT exchange the client sends SSH_MSG_KEX_ECDH_INIT (RFC 5656 4, RFC 8731); the server answers
with SSH_MSG_KEX_ECDH_REPLY carrying its host key blob K_S, which is all that is read. Nothing is verified and
no keys are derived: the connection is dropped before SSH_MSG_NEWKEYS.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import struct

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, x25519

from csmguard.scanners.endpoint.collect_ssh import (
    CLIENT_BANNER,
    SSH_MSG_KEXINIT,
    SshProtocolError,
    parse_kexinit,
    read_banner,
    read_packet,
)
from csmguard.scanners.endpoint.facts import SshHostKey

SSH_MSG_KEX_ECDH_INIT = 30
SSH_MSG_KEX_ECDH_REPLY = 31
_SKIPPED_MESSAGES = {2, 4}  # SSH_MSG_IGNORE, SSH_MSG_DEBUG
# The key exchange methods this probe can start (client's preference order).
PROBE_KEX = ("curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384")
# Host key algorithm → key family; one probe per family (rsa-sha2-* and ssh-rsa share the RSA key).
HOST_KEY_FAMILIES: dict[str, str] = {
    "ssh-ed25519": "Ed25519", "ssh-ed448": "Ed448",
    "ecdsa-sha2-nistp256": "EC", "ecdsa-sha2-nistp384": "EC", "ecdsa-sha2-nistp521": "EC",
    "rsa-sha2-512": "RSA", "rsa-sha2-256": "RSA", "ssh-rsa": "RSA", "ssh-dss": "DSA",
}


def ssh_string(data: bytes) -> bytes:
    """An SSH ``string``: uint32 length and the bytes."""
    return struct.pack(">I", len(data)) + data


def ssh_packet(payload: bytes) -> bytes:
    """An unencrypted binary packet (RFC 4253 6) with 4 to 11 bytes of padding to a multiple of 8."""
    padding = 8 - ((len(payload) + 5) % 8)
    if padding < 4:
        padding += 8
    return struct.pack(">IB", len(payload) + padding + 1, padding) + payload + os.urandom(padding)


def client_kexinit(kex: str, host_key: str, server_lists: tuple[tuple[str, ...], ...]) -> bytes:
    """Our KEXINIT: one kex method, one host key algorithm, and the server's own cipher/MAC/compression lists."""
    lists = [[kex], [host_key], *[list(items) for items in server_lists[2:8]], [], []]
    payload = bytes([SSH_MSG_KEXINIT]) + os.urandom(16)
    for items in lists:
        payload += ssh_string(",".join(items).encode("ascii"))
    return payload + b"\x00" + struct.pack(">I", 0)


def _ecdh_public(kex: str) -> bytes:
    if kex.startswith("curve25519"):
        return x25519.X25519PrivateKey.generate().public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    curve: ec.EllipticCurve = ec.SECP256R1() if kex.endswith("256") else ec.SECP384R1()
    return ec.generate_private_key(curve).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def string(self) -> bytes:
        if self.offset + 4 > len(self.data):
            raise SshProtocolError("SSH data ends inside a length")
        (length,) = struct.unpack_from(">I", self.data, self.offset)
        start = self.offset + 4
        if start + length > len(self.data):
            raise SshProtocolError("SSH string runs past the end of its data")
        self.offset = start + length
        return self.data[start:self.offset]


def parse_host_key(blob: bytes, algorithm: str) -> SshHostKey:
    """The type and size of a host key blob (RFC 4253 6.6, RFC 5656 3.1, RFC 8709)."""
    reader = _Reader(blob)
    key_type = reader.string().decode("ascii", "replace")
    family = HOST_KEY_FAMILIES.get(key_type, key_type)
    if key_type == "ssh-rsa":
        reader.string()  # e
        bits = int.from_bytes(reader.string(), "big").bit_length()
    elif key_type == "ssh-dss":
        bits = int.from_bytes(reader.string(), "big").bit_length()  # p
    elif key_type.startswith("ecdsa-sha2-nistp"):
        bits = int(key_type.removeprefix("ecdsa-sha2-nistp"))
    elif key_type == "ssh-ed25519":
        bits = 256
    elif key_type == "ssh-ed448":
        bits = 456
    else:
        bits = 0
    fingerprint = "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")
    return SshHostKey(algorithm=algorithm, key_type=family, bits=bits, fingerprint=fingerprint)


async def _probe(address: str, port: int, timeout: float, kex: str, algorithm: str) -> SshHostKey:
    reader, writer = await asyncio.wait_for(asyncio.open_connection(address, port, limit=64 * 1024), timeout)
    try:
        await asyncio.wait_for(read_banner(reader), timeout)
        writer.write(CLIENT_BANNER)
        server_lists = parse_kexinit(await asyncio.wait_for(read_packet(reader), timeout))
        writer.write(ssh_packet(client_kexinit(kex, algorithm, server_lists)))
        writer.write(ssh_packet(bytes([SSH_MSG_KEX_ECDH_INIT]) + ssh_string(_ecdh_public(kex))))
        await asyncio.wait_for(writer.drain(), timeout)
        for _ in range(16):
            payload = await asyncio.wait_for(read_packet(reader), timeout)
            if payload[0] in _SKIPPED_MESSAGES:
                continue
            if payload[0] != SSH_MSG_KEX_ECDH_REPLY:
                raise SshProtocolError(f"expected SSH_MSG_KEX_ECDH_REPLY (31), got message {payload[0]}")
            return parse_host_key(_Reader(payload[1:]).string(), algorithm)
        raise SshProtocolError("no key exchange reply among the first packets")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        raise SshProtocolError(f"the server closed the connection during the key exchange for {algorithm}") from exc
    finally:
        writer.transport.abort()


async def collect_host_keys(address: str, port: int, timeout: float, kex_offered: tuple[str, ...],
                            host_key_offered: tuple[str, ...]) -> tuple[tuple[SshHostKey, ...], str]:
    """One host key per key family the server offers, and what could not be read (empty when all were)."""
    kex = next((k for k in PROBE_KEX if k in kex_offered), None)
    if kex is None:
        return (), f"the server offers none of the key exchange methods this probe speaks ({', '.join(PROBE_KEX)})"
    keys: list[SshHostKey] = []
    problems: list[str] = []
    seen: set[str] = set()
    for algorithm in host_key_offered:
        family = HOST_KEY_FAMILIES.get(algorithm)
        if family is None or family in seen:
            continue
        seen.add(family)
        try:
            keys.append(await _probe(address, port, timeout, kex, algorithm))
        except (OSError, TimeoutError, SshProtocolError) as exc:
            problems.append(f"{algorithm}: {exc or type(exc).__name__}")
    return tuple(keys), "; ".join(problems)[:300]
