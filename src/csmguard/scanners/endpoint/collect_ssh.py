"""SSH: read the server's banner and KEXINIT by speaking the transport protocol (RFC 4253), no authentication."""

from __future__ import annotations

import asyncio
import struct

from csmguard import __version__
from csmguard.scanners.endpoint.facts import SshFacts

CLIENT_BANNER = f"SSH-2.0-csmguard_{__version__}\r\n".encode("ascii")
SSH_MSG_KEXINIT = 20
_MAX_PRE_BANNER_LINES = 20
_MAX_LINE = 255  # RFC 4253 4.2: the identification string is at most 255 characters
_MAX_PACKET = 35000  # RFC 4253 6.1: implementations must handle packets of at least 35000 bytes


class SshProtocolError(ValueError):
    """The server did not speak SSH as expected."""


async def read_banner(reader: asyncio.StreamReader) -> str:
    """The ``SSH-…`` identification line; servers may send other lines before it (RFC 4253 4.2)."""
    for _ in range(_MAX_PRE_BANNER_LINES):
        line = await reader.readuntil(b"\n")
        text = line.rstrip(b"\r\n").decode("utf-8", "replace")
        if text.startswith("SSH-"):
            if len(text) > _MAX_LINE:
                raise SshProtocolError("the SSH identification line is longer than 255 characters")
            return text
    raise SshProtocolError("no SSH identification line among the first lines the server sent")


def parse_kexinit(payload: bytes) -> tuple[tuple[str, ...], ...]:
    """The ten name-lists of an SSH_MSG_KEXINIT payload (message byte, 16-byte cookie, name-lists …)."""
    if not payload or payload[0] != SSH_MSG_KEXINIT:
        code = payload[0] if payload else None
        raise SshProtocolError(f"expected SSH_MSG_KEXINIT (20), got message {code}")
    offset = 17
    lists: list[tuple[str, ...]] = []
    for _ in range(10):
        if offset + 4 > len(payload):
            raise SshProtocolError("KEXINIT ends inside a name-list length")
        (length,) = struct.unpack_from(">I", payload, offset)
        offset += 4
        if offset + length > len(payload):
            raise SshProtocolError("KEXINIT name-list runs past the end of the packet")
        raw = payload[offset:offset + length].decode("ascii", "replace")
        offset += length
        lists.append(tuple(name for name in raw.split(",") if name))
    return tuple(lists)


async def read_packet(reader: asyncio.StreamReader) -> bytes:
    """The payload of one unencrypted binary packet (RFC 4253 6)."""
    header = await reader.readexactly(5)
    packet_length, padding_length = struct.unpack(">IB", header)
    if packet_length < 5 or packet_length > _MAX_PACKET:
        raise SshProtocolError(f"implausible SSH packet length {packet_length}")
    rest = await reader.readexactly(packet_length - 1)
    payload_length = packet_length - padding_length - 1
    if payload_length <= 0:
        raise SshProtocolError("SSH packet without payload")
    return rest[:payload_length]


async def collect_ssh(address: str, port: int, timeout: float) -> SshFacts:
    """Connect, exchange identification lines and read the server's KEXINIT; then hang up.

    Raises OSError/TimeoutError when the server cannot be reached, SshProtocolError when it does not
    speak SSH 2.
    """
    reader, writer = await asyncio.wait_for(asyncio.open_connection(address, port, limit=64 * 1024), timeout)
    try:
        banner = await asyncio.wait_for(read_banner(reader), timeout)
        writer.write(CLIENT_BANNER)
        await asyncio.wait_for(writer.drain(), timeout)
        if banner.startswith(("SSH-1.", "SSH-1-")) and not banner.startswith("SSH-1.99"):
            return SshFacts(banner=banner[:255], kex=(), host_key=(), ciphers_c2s=(), ciphers_s2c=(),
                            macs_c2s=(), macs_s2c=())
        payload = await asyncio.wait_for(read_packet(reader), timeout)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        raise SshProtocolError(f"the server closed or overran the connection: {exc}") from exc
    finally:
        writer.transport.abort()
    lists = parse_kexinit(payload)
    return SshFacts(banner=banner[:255], kex=lists[0], host_key=lists[1], ciphers_c2s=lists[2],
                    ciphers_s2c=lists[3], macs_c2s=lists[4], macs_s2c=lists[5])
