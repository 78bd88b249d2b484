"""Which network addresses a check may contact: public ones, unless the user allows private ones."""

from __future__ import annotations

import ipaddress
import socket


class AddressRefused(Exception):
    """A host that resolves to an address the check may not contact."""


def refusal_reason(address: str) -> str | None:
    """Why an address may not be contacted without ``--allow-private``, or None for a public address."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_reserved, "reserved"),
        (ip.is_private, "private"),
    )
    for flag, label in checks:
        if flag:
            return f"{address} is a {label} address"
    if not ip.is_global:
        return f"{address} is not a globally routable address (e.g. shared or documentation range)"
    return None


def resolve_addresses(host: str, port: int) -> list[str]:
    """Every IPv4/IPv6 address of ``host`` (IPv4 first); AddressRefused when it has none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise AddressRefused(f"cannot resolve {host}: {exc.strerror}") from exc
    addresses: list[str] = []
    for family, _type, _proto, _name, sockaddr in sorted(infos, key=lambda i: i[0] != socket.AF_INET):
        address = str(sockaddr[0])
        if family in (socket.AF_INET, socket.AF_INET6) and address not in addresses:
            addresses.append(address)
    if not addresses:
        raise AddressRefused(f"{host} has no IPv4 or IPv6 address")
    return addresses


def check_host(host: str, port: int, *, allow_private: bool) -> list[str]:
    """Resolve ``host`` and refuse it when any of its addresses is not public (unless ``allow_private``)."""
    addresses = resolve_addresses(host, port)
    if not allow_private:
        for address in addresses:
            reason = refusal_reason(address)
            if reason is not None:
                via = "" if address == host else f" ({host} resolves to it)"
                raise AddressRefused(f"refused: {reason}{via}; pass --allow-private to allow it")
    return addresses
