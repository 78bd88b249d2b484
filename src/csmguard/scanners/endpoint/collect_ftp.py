"""FTP: the greeting, FEAT, AUTH TLS (RFC 4217) and, when asked, a throwaway login attempt before TLS."""

from __future__ import annotations

import asyncio
import secrets

from csmguard.scanners.endpoint.facts import FtpFacts, LoginProbe

_MAX_REPLY_LINES = 200


class FtpProtocolError(ValueError):
    """The server did not speak FTP as expected."""


async def read_reply(reader: asyncio.StreamReader) -> tuple[int, str]:
    """One FTP reply (RFC 959 4.2): ``ddd text`` or ``ddd-`` … up to the line ``ddd text``."""
    first = (await reader.readuntil(b"\n")).decode("utf-8", "replace").rstrip("\r\n")
    if len(first) < 3 or not first[:3].isdigit():
        raise FtpProtocolError(f"not an FTP reply: {first[:80]!r}")
    code = int(first[:3])
    lines = [first[4:]]
    if first[3:4] == "-":
        for _ in range(_MAX_REPLY_LINES):
            line = (await reader.readuntil(b"\n")).decode("utf-8", "replace").rstrip("\r\n")
            if line.startswith(f"{code} "):
                lines.append(line[4:])
                break
            lines.append(line.strip())
        else:
            raise FtpProtocolError("multi-line FTP reply without an end line")
    return code, "\n".join(lines)


async def send_command(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, command: str) -> tuple[int, str]:
    """Send one command line and read its reply."""
    writer.write(command.encode("ascii") + b"\r\n")
    await writer.drain()
    return await read_reply(reader)


async def auth_tls_prelude(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Read the greeting and ask for TLS; an OSError when the server does not agree (the TLS probe is then off)."""
    code, _ = await read_reply(reader)
    if code != 220:
        raise OSError(f"FTP greeting was {code}, not 220")
    code, reply = await send_command(reader, writer, "AUTH TLS")
    if code != 234:
        raise OSError(f"AUTH TLS refused: {code} {reply[:80]}")


async def collect_ftp(address: str, port: int, timeout: float, *, try_login: bool) -> FtpFacts:
    """Greeting, FEAT and AUTH TLS on one connection; the login attempt (if asked) on a second one."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(address, port), timeout)
    try:
        code, greeting = await asyncio.wait_for(read_reply(reader), timeout)
        if code != 220:
            raise FtpProtocolError(f"FTP greeting was {code}, not 220: {greeting[:80]}")
        feat_code, feat_text = await asyncio.wait_for(send_command(reader, writer, "FEAT"), timeout)
        features = tuple(line.strip() for line in feat_text.split("\n")[1:] if line.strip()) if feat_code == 211 else ()
        auth_code, auth_text = await asyncio.wait_for(send_command(reader, writer, "AUTH TLS"), timeout)
    except asyncio.IncompleteReadError as exc:
        raise FtpProtocolError("the server closed the FTP control connection") from exc
    finally:
        writer.transport.abort()
    login, login_reply = LoginProbe.NOT_TRIED, ""
    if try_login:
        login, login_reply = await _try_login(address, port, timeout)
    return FtpFacts(greeting=greeting.split("\n", 1)[0][:120], features=features[:50], auth_tls=auth_code == 234,
                    auth_reply=f"{auth_code} {auth_text.splitlines()[0] if auth_text else ''}"[:120],
                    login=login, login_reply=login_reply)


async def _try_login(address: str, port: int, timeout: float) -> tuple[LoginProbe, str]:
    """Send USER (and PASS if asked) with a random throwaway name before any TLS, then QUIT."""
    user = f"csmguard-probe-{secrets.token_hex(4)}"
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(address, port), timeout)
    except (OSError, TimeoutError) as exc:
        return LoginProbe.ERROR, f"cannot connect for the login attempt: {exc or type(exc).__name__}"[:120]
    try:
        await asyncio.wait_for(read_reply(reader), timeout)
        code, text = await asyncio.wait_for(send_command(reader, writer, f"USER {user}"), timeout)
        reply = f"USER → {code} {text.splitlines()[0] if text else ''}"[:120]
        if code == 230:
            return LoginProbe.LOGGED_IN, reply
        if code != 331:
            return (LoginProbe.REFUSED if 400 <= code < 600 else LoginProbe.ERROR), reply
        code, text = await asyncio.wait_for(send_command(reader, writer, f"PASS {secrets.token_hex(8)}"), timeout)
        reply += f"; PASS → {code}"
        return (LoginProbe.LOGGED_IN if code == 230 else LoginProbe.PASSWORD_REQUESTED), reply[:120]
    except (OSError, TimeoutError, FtpProtocolError, asyncio.IncompleteReadError) as exc:
        return LoginProbe.ERROR, f"login attempt failed: {exc or type(exc).__name__}"[:120]
    finally:
        writer.transport.abort()
