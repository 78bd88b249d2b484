"""Inbound rules of AWS security groups, Azure network security groups and GCP firewalls in one
shape, and port-range parsing (``from_port``/``to_port``, ``"*"``, ``"22-25"``, port lists)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from csmguard.scanners.iac.facts import Resource
from csmguard.scanners.iac.values import as_bool, as_int, as_list, blocks, is_expression

ALL_PORTS = (0, 65535)
OPEN_SOURCES = {"0.0.0.0/0", "::/0", "*", "internet", "any", "0.0.0.0", "0/0"}  # noqa: S104 - sources, not a bind
WIDE_PUBLIC_PREFIX = {4: 16, 6: 32}  # a public range this wide (65,536 IPv4 addresses or more) counts as the internet


def is_wide_public(source: str) -> bool:
    """Whether ``source`` is a public (globally routable) CIDR of /16 or wider (IPv6 /32 or wider): a range
    of a cloud region or a large network that anyone can rent or sit in, treated like the internet (compare
    Prowler ``ec2_securitygroup_allow_wide_open_public_ipv4``). Private, loopback, link-local and reserved
    ranges, and narrower public ranges (a partner's /24, one host) are not."""
    try:
        network = ipaddress.ip_network(source.strip(), strict=False)
    except ValueError:
        return False
    if network.prefixlen == 0:
        return True
    return network.is_global and network.prefixlen <= WIDE_PUBLIC_PREFIX[network.version]


@dataclass(frozen=True)
class Ingress:
    """One inbound allow rule: protocol, port ranges (inclusive), sources; ``undecided`` names a part
    that is an unevaluated expression."""

    label: str
    protocol: str
    ports: tuple[tuple[int, int], ...]
    sources: tuple[str, ...]
    undecided: str | None = None

    @property
    def from_internet(self) -> bool:
        """Whether any source is the whole internet, or a public range of /16 or wider (:func:`is_wide_public`)."""
        return any(s.strip().lower() in OPEN_SOURCES or is_wide_public(s) for s in self.sources)

    @property
    def source_unknown(self) -> bool:
        """Whether a source is an expression the scanner could not evaluate."""
        return any(is_expression(s) for s in self.sources)

    def exposes(self, port: int) -> bool:
        """Whether ``port`` is inside one of the rule's ranges."""
        return any(lo <= port <= hi for lo, hi in self.ports)

    @property
    def all_ports(self) -> bool:
        """Whether the rule opens every port."""
        return any(lo <= 1 and hi >= 65535 for lo, hi in self.ports)


def parse_port_spec(spec: object) -> list[tuple[int, int]] | None:
    """Port ranges from ``22``, ``"22"``, ``"22-25"``, ``"*"``, ``"0-65535"`` or a list of those;
    None when a part is not a port specification."""
    out: list[tuple[int, int]] = []
    for item in as_list(spec):
        if isinstance(item, int) and not isinstance(item, bool):
            out.append((item, item))
            continue
        text = str(item).strip()
        if text in {"*", "any", "Any"}:
            out.append(ALL_PORTS)
            continue
        if "-" in text[1:]:
            lo_text, hi_text = text.split("-", 1)
            lo, hi = as_int(lo_text), as_int(hi_text)
        else:
            lo = hi = as_int(text)
        if lo is None or hi is None:
            return None
        out.append((min(lo, hi), max(lo, hi)))
    return out


def _aws_rule(label: str, protocol: object, from_port: object, to_port: object, sources: list[Any]) -> Ingress | None:
    for name, value in (("protocol", protocol), ("from_port", from_port), ("to_port", to_port)):
        if is_expression(value):
            return Ingress(label, "?", (), tuple(str(s) for s in sources), undecided=name)
    proto = str(protocol if protocol is not None else "tcp").lower()
    if proto in {"-1", "all"}:
        return Ingress(label, "all", (ALL_PORTS,), tuple(str(s) for s in sources))
    if proto in {"icmp", "1", "icmpv6", "58"}:
        return None
    lo, hi = as_int(from_port), as_int(to_port)
    if lo is None and hi is None:
        ports: tuple[tuple[int, int], ...] = (ALL_PORTS,)
    else:
        lo = lo if lo is not None else hi
        hi = hi if hi is not None else lo
        assert lo is not None and hi is not None
        ports = ((0, 65535),) if lo == -1 or hi == -1 else ((min(lo, hi), max(lo, hi)),)
    return Ingress(label, proto, ports, tuple(str(s) for s in sources))


def _sources(*values: object) -> list[Any]:
    out: list[Any] = []
    for value in values:
        out += [v for v in as_list(value) if v is not None]
    return out


def _azure_rule(label: str, rule: Mapping[str, Any]) -> Ingress | None:
    direction = str(rule.get("direction", "Inbound")).lower()
    access = str(rule.get("access", "Allow")).lower()
    if direction != "inbound" or access != "allow":
        return None
    sources = _sources(rule.get("source_address_prefix"), rule.get("source_address_prefixes"))
    port_spec = _sources(rule.get("destination_port_range"), rule.get("destination_port_ranges"))
    if any(is_expression(p) for p in port_spec):
        return Ingress(label, "?", (), tuple(str(s) for s in sources), undecided="destination_port_range")
    ports = parse_port_spec(port_spec) if port_spec else [ALL_PORTS]
    protocol = str(rule.get("protocol", "*")).lower()
    if protocol in {"icmp"}:
        return None
    if ports is None:
        return Ingress(label, protocol, (), tuple(str(s) for s in sources), undecided="destination_port_range")
    return Ingress(label, protocol, tuple(ports), tuple(str(s) for s in sources))


def _gcp_rules(resource: Resource) -> list[Ingress]:
    a = resource.attributes
    if str(a.get("direction", "INGRESS")).upper() != "INGRESS" or as_bool(a.get("disabled")) is True:
        return []
    sources = _sources(a.get("source_ranges"))
    if not sources and not a.get("source_tags") and not a.get("source_service_accounts"):
        sources = ["0.0.0.0/0"]  # GCP's default source range for an ingress rule without sources
    out = []
    for index, allow in enumerate(blocks(a.get("allow"))):
        protocol = str(allow.get("protocol", "")).lower()
        if protocol in {"icmp", "ipip", "esp", "ah", "sctp"}:
            continue
        ports = allow.get("ports")
        if ports is None or protocol == "all":
            parsed: list[tuple[int, int]] | None = [ALL_PORTS]
        else:
            parsed = parse_port_spec(ports)
        if parsed is None:
            out.append(Ingress(f"allow[{index}]", protocol, (), tuple(map(str, sources)), undecided="ports"))
        else:
            out.append(Ingress(f"allow[{index}]", protocol, tuple(parsed), tuple(map(str, sources))))
    return out


SECURITY_GROUP_TYPES = (
    "aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
    "aws_default_security_group",
    "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "azurerm_network_security_group",
    "azurerm_network_security_rule", "google_compute_firewall",
)


def ingress_rules(resource: Resource) -> list[Ingress]:
    """The inbound allow rules a security group, rule, NSG or firewall resource declares."""
    a = resource.attributes
    t = resource.type
    out: list[Ingress | None] = []
    if t in {"aws_security_group", "aws_default_security_group"}:
        for i, rule in enumerate(blocks(a.get("ingress"))):
            out.append(_aws_rule(f"ingress[{i}]", rule.get("protocol"), rule.get("from_port"), rule.get("to_port"),
                                 _sources(rule.get("cidr_blocks"), rule.get("ipv6_cidr_blocks"))))
    elif t == "aws_security_group_rule":
        if str(a.get("type", "")).lower() == "ingress":
            out.append(_aws_rule("rule", a.get("protocol"), a.get("from_port"), a.get("to_port"),
                                 _sources(a.get("cidr_blocks"), a.get("ipv6_cidr_blocks"))))
    elif t == "aws_vpc_security_group_ingress_rule":
        out.append(_aws_rule("rule", a.get("ip_protocol"), a.get("from_port"), a.get("to_port"),
                             _sources(a.get("cidr_ipv4"), a.get("cidr_ipv6"))))
    elif t == "AWS::EC2::SecurityGroup":
        for i, rule in enumerate(blocks(a.get("SecurityGroupIngress"))):
            out.append(_aws_rule(f"SecurityGroupIngress[{i}]", rule.get("IpProtocol"), rule.get("FromPort"),
                                 rule.get("ToPort"), _sources(rule.get("CidrIp"), rule.get("CidrIpv6"))))
    elif t == "AWS::EC2::SecurityGroupIngress":
        out.append(_aws_rule("rule", a.get("IpProtocol"), a.get("FromPort"), a.get("ToPort"),
                             _sources(a.get("CidrIp"), a.get("CidrIpv6"))))
    elif t == "azurerm_network_security_group":
        for i, rule in enumerate(blocks(a.get("security_rule"))):
            out.append(_azure_rule(f"security_rule[{rule.get('name', i)}]", rule))
    elif t == "azurerm_network_security_rule":
        out.append(_azure_rule("rule", a))
    elif t == "google_compute_firewall":
        out.extend(_gcp_rules(resource))
    for block in blocks(a.get("dynamic")):  # dynamic blocks whose for_each could not be evaluated
        for label in block:
            if label in {"ingress", "security_rule", "allow", "SecurityGroupIngress"}:
                out.append(Ingress(f"dynamic {label}", "?", (), ("*",), undecided="for_each"))
    return [rule for rule in out if rule is not None]
