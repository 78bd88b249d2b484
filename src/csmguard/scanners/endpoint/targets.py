"""Targets: parsing what the user wrote, and refusing addresses that are not on the public internet."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from csmguard.scanners.endpoint.facts import EndpointTarget, Protocol

_SCHEMES: dict[str, tuple[Protocol, int]] = {
    "https": (Protocol.HTTPS, 443),
    "tls": (Protocol.TLS, 443),
    "sftp": (Protocol.SFTP, 22),
    "ssh": (Protocol.SFTP, 22),
    "ftp": (Protocol.FTP, 21),
    "ftps": (Protocol.FTPS, 990),
}
# A bare host:port is spoken to by its well-known port; any other port is taken to be TLS with HTTP.
_BARE_PORTS: dict[int, Protocol] = {22: Protocol.SFTP, 21: Protocol.FTP, 990: Protocol.FTPS}


class TargetError(ValueError):
    """A target that cannot be parsed or may not be scanned."""


@dataclass(frozen=True)
class TargetLine:
    """One target as read, with the file and line it came from (None for the command line)."""

    text: str
    source: str | None = None
    line: int | None = None


def parse_target(raw: str, *, app_backend: bool = False) -> EndpointTarget:
    """Parse ``host[:port]``, ``[v6]:port`` or a URL with scheme https, tls, sftp, ssh, ftp or ftps."""
    value = raw.strip()
    if not value:
        raise TargetError("empty target")
    if "://" not in value:
        value = "bare://" + value
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise TargetError(f"cannot parse {raw!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    host = parts.hostname
    if not host:
        raise TargetError(f"no host in {raw!r}")
    if parts.username or parts.password:
        raise TargetError(f"{raw!r} carries credentials; give the endpoint without user name or password")
    if scheme == "bare":
        if parts.path not in ("", "/"):
            raise TargetError(f"{raw!r}: a target without a scheme is host[:port]; use https://… for a path")
        port = port or 443
        protocol = _BARE_PORTS.get(port, Protocol.HTTPS)
        return EndpointTarget(raw=raw.strip(), protocol=protocol, host=host, port=port, app_backend=app_backend)
    if scheme == "http":
        raise TargetError(f"{raw!r} is cleartext HTTP; give the https:// address to check its TLS")
    if scheme not in _SCHEMES:
        raise TargetError(f"unsupported scheme {scheme!r} in {raw!r}; use one of: {', '.join(_SCHEMES)}")
    protocol, default_port = _SCHEMES[scheme]
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return EndpointTarget(raw=raw.strip(), protocol=protocol, host=host, port=port or default_port,
                          path=path, app_backend=app_backend)


def read_targets_file(path: Path) -> list[TargetLine]:
    """The targets in a file, one a line; blank lines and ``#`` comments (whole or trailing) are skipped."""
    lines: list[TargetLine] = []
    content = path.read_text(encoding="utf-8")
    for number, line in enumerate(content.splitlines(), start=1):
        text = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if text:
            lines.append(TargetLine(text, str(path), number))
    return lines
