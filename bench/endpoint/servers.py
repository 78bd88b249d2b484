"""Loopback HTTPS servers for the benchmark, run as a separate process so that they do not share the scanner's CPU.

``python -m bench.endpoint.servers --count N --cert C --key K --weak-every M`` listens on N ports of 127.0.0.1
in one asyncio loop, prints the ports (and which are planted weak) as one JSON line, and serves until its
standard input closes. Every M-th server also accepts a CBC suite and sends no HSTS header.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import ssl
import sys

MOZILLA = ("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
           "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305")


def _context(cert: str, key: str, ciphers: str) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers(ciphers)
    ctx.load_cert_chain(cert, key)
    return ctx


def _handler(hsts: bool):  # type: ignore[no-untyped-def]
    header = b"Strict-Transport-Security: max-age=63072000\r\n" if hsts else b""
    response = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + header + b"Connection: close\r\n\r\nok"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            writer.write(response)
            await writer.drain()
        writer.transport.abort()
    return handle


async def main(count: int, cert: str, key: str, weak_every: int) -> None:
    """Start the servers, print their ports, serve until stdin closes."""
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, _context: None)
    good = _context(cert, key, MOZILLA)
    weak = _context(cert, key, MOZILLA + ":ECDHE-ECDSA-AES128-SHA")
    ports: list[int] = []
    planted: list[int] = []
    for index in range(count):
        is_weak = weak_every > 0 and index % weak_every == 0
        server = await asyncio.start_server(_handler(not is_weak), "127.0.0.1", 0, ssl=weak if is_weak else good,
                                            backlog=256, ssl_handshake_timeout=10)
        port = server.sockets[0].getsockname()[1]
        ports.append(port)
        if is_weak:
            planted.append(port)
    print(json.dumps({"ports": ports, "weak": planted}), flush=True)
    await loop.run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--weak-every", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.count, args.cert, args.key, args.weak_every))
