"""Checks on hosts reachable from the internet: public IP addresses on instances, NICs and subnets,
serial-console access, and database firewall rules that admit every address (CSM-7.3)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, MANUAL, PASS, UNKNOWN, rule_types, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.network import OPEN_SOURCES
from csmguard.scanners.iac.values import as_bool, as_list, blocks, dig, is_expression, reference

_SUBNET_ATTRIBUTE = {"aws_subnet": "map_public_ip_on_launch", "AWS::EC2::Subnet": "MapPublicIpOnLaunch"}


def _aws_interfaces(r: Resource) -> list[tuple[str, Any]]:
    """(label, associate-public-IP value) of every network interface an AWS resource declares."""
    a = r.attributes
    if r.type in {"aws_instance", "aws_launch_configuration"}:
        return [("associate_public_ip_address", a.get("associate_public_ip_address"))]
    if r.type == "aws_launch_template":
        return [(f"network_interfaces[{i}].associate_public_ip_address", n.get("associate_public_ip_address"))
                for i, n in enumerate(blocks(a.get("network_interfaces")))]
    interfaces = dig(a, "LaunchTemplateData", "NetworkInterfaces") if r.type == "AWS::EC2::LaunchTemplate" \
        else a.get("NetworkInterfaces")
    return [(f"NetworkInterfaces[{i}].AssociatePublicIpAddress", n.get("AssociatePublicIpAddress"))
            for i, n in enumerate(blocks(interfaces))]


def _instance_subnet(facts: IacFacts, r: Resource) -> Resource | None:
    ref = reference(r, r.attributes.get("subnet_id"))
    return facts.lookup(r.scope, ref) if ref else None


def _aws_host(rule: Rule, facts: IacFacts, r: Resource) -> Finding | None:
    interfaces = _aws_interfaces(r)
    if not interfaces and r.type.startswith("AWS::"):
        return None  # no interface declared: the subnet's setting decides (IAC-015 judges the subnet)
    public = [label for label, value in interfaces if as_bool(value) is True]
    if public:
        return verdict(rule, r, FAIL, "assigns_public_ip_address",
                       {"public": ', '.join(public)}, evidence={"attributes": public})
    undecided = [(label, value) for label, value in interfaces if is_expression(value)]
    if undecided:
        return unresolved(rule, r, undecided[0][0], undecided[0][1])
    if r.type == "aws_instance" and r.attributes.get("associate_public_ip_address") is None:
        subnet = _instance_subnet(facts, r)
        if subnet is None:
            return verdict(rule, r, UNKNOWN, "associate_public_ip_address",
                           key="subnet_id")
        if as_bool(subnet.attributes.get("map_public_ip_on_launch")) is True:
            return verdict(rule, r, FAIL, "gets_public_ip_address", {"subnet_address": subnet.address},
                           evidence={"subnet": subnet.address})
    return verdict(rule, r, PASS, "no_public_ip_address")


def _azure_nic(rule: Rule, r: Resource) -> Finding:
    public = [str(c.get("name", i)) for i, c in enumerate(blocks(r.attributes.get("ip_configuration")))
              if c.get("public_ip_address_id") not in (None, "")]
    if public:
        return verdict(rule, r, FAIL, "public_ip_attached_ip",
                       {"public": ', '.join(public)}, evidence={"ip_configurations": public})
    return verdict(rule, r, PASS, "no_public_ip_attached")


def _gcp_instance(rule: Rule, r: Resource) -> Finding:
    public = [str(n.get("network") or n.get("subnetwork") or i) for i, n in
              enumerate(blocks(r.attributes.get("network_interface"))) if blocks(n.get("access_config"))]
    if public:
        return verdict(rule, r, FAIL, "access_config_gives_external", {"public": ', '.join(public)},
                       evidence={"interfaces": public})
    return verdict(rule, r, PASS, "no_external_ip_no")


def public_ip_hosts(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-014: instances, launch templates and NICs given a public IP address."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        if r.type.startswith("azurerm_"):
            out.append(_azure_nic(rule, r))
        elif r.type.startswith("google_"):
            out.append(_gcp_instance(rule, r))
        else:
            found = _aws_host(rule, facts, r)
            if found is not None:
                out.append(found)
    return out


def public_ip_subnets(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-015: subnets that give every instance launched in them a public IP address."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        attribute = _SUBNET_ATTRIBUTE.get(r.type, "map_public_ip_on_launch")
        value = r.attributes.get(attribute)
        if is_expression(value):
            out.append(unresolved(rule, r, attribute, value))
        elif as_bool(value) is True:
            out.append(verdict(rule, r, FAIL, "true_every_instance_launched", {"attribute": attribute}, key=attribute))
        else:
            out.append(verdict(rule, r, PASS, "off", {"attribute": attribute}))
    return out


def _metadata_flag(metadata: object, key: str) -> Any:
    return metadata.get(key) if isinstance(metadata, Mapping) else None


def serial_port_access(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-016: interactive serial-console access enabled (GCP ``serial-port-enable``, the AWS EC2 serial
    console for the account)."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        if r.type == "aws_ec2_serial_console_access":
            attribute, value = "enabled", r.attributes.get("enabled", True)
        else:
            attribute, value = "metadata.serial-port-enable", _metadata_flag(r.attributes.get("metadata"),
                                                                            "serial-port-enable")
        if is_expression(value):
            out.append(unresolved(rule, r, attribute, value))
        elif as_bool(value) is True:
            out.append(verdict(rule, r, FAIL, "serial_console_access_enabled", {"attribute": attribute}, key=attribute))
        else:
            out.append(verdict(rule, r, PASS, "serial_console_access_not"))
    return out


def _range_size(start: object, end: object) -> int | None:
    try:
        return int(ipaddress.IPv4Address(str(end))) - int(ipaddress.IPv4Address(str(start))) + 1
    except ValueError:
        return None


_WIDE = 2 ** 24  # a range larger than a /8 admits a large part of the internet


def _firewall_rule(rule: Rule, r: Resource) -> Finding:
    start, end = r.attributes.get("start_ip_address"), r.attributes.get("end_ip_address")
    if is_expression(start) or is_expression(end):
        return unresolved(rule, r, "start_ip_address/end_ip_address", f"{start} – {end}")
    size = _range_size(start, end)
    if size is None:
        return verdict(rule, r, UNKNOWN, "start_end_address_not", {"start": start, "end": end}, key="range")
    if str(start) == "0.0.0.0" and str(end) == "0.0.0.0":  # noqa: S104 - an address, not a bind
        return verdict(rule, r, MANUAL, "0_0_0_0",
                       key="range")
    if size >= _WIDE:
        return verdict(rule, r, FAIL, "admits_addresses",
                       {"start": start, "end": end, "size": size}, evidence={"start": start, "end": end})
    return verdict(rule, r, PASS, "admits_only", {"start": start, "end": end})


def _cloud_sql(rule: Rule, r: Resource) -> Finding:
    networks = blocks(dig(r.attributes, "settings", "ip_configuration", "authorized_networks"))
    values = [n.get("value") for n in networks]
    if any(str(v).strip().lower() in OPEN_SOURCES for v in values):
        return verdict(rule, r, FAIL, "authorized_networks_admits_0",
                       evidence={"networks": [str(v) for v in values]})
    undecided = [v for v in values if is_expression(v)]
    if undecided:
        return unresolved(rule, r, "authorized_networks.value", undecided[0])
    return verdict(rule, r, PASS, "no_authorized_network_admits")


def database_firewall_open(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-017: database firewall rules admitting every address (0.0.0.0 – 255.255.255.255) and Cloud SQL
    authorised networks of 0.0.0.0/0."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        if r.type == "google_sql_database_instance":
            out.append(_cloud_sql(rule, r))
        elif "start_ip_address" in r.attributes or "end_ip_address" in r.attributes:
            out.append(_firewall_rule(rule, r))
        else:
            out.append(verdict(rule, r, UNKNOWN, "no_start_ip_address",
                               key="range", evidence={"attributes": as_list(list(r.attributes))}))
    return out


# Where ``publicly_accessible`` is absent: the API's documented default, or None when it depends on
# something outside the resource (the provider version, or the VPC a CloudFormation instance lands in).
_PUBLIC_DEFAULTS: dict[str, bool | None] = {
    "aws_db_instance": False, "aws_mq_broker": False, "AWS::AmazonMQ::Broker": False,
    "aws_dms_replication_instance": True, "AWS::DMS::ReplicationInstance": True,
    "aws_redshift_cluster": None, "AWS::Redshift::Cluster": None, "AWS::RDS::DBInstance": None,
}


def publicly_accessible_services(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-018: managed databases, warehouses, brokers and replication instances given a public endpoint."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        attribute = "PubliclyAccessible" if r.type.startswith("AWS::") else "publicly_accessible"
        value = r.attributes.get(attribute)
        if value is None and r.type == "AWS::RDS::DBInstance" and r.attributes.get("DBSubnetGroupName"):
            value = False  # in a subnet group of the firm's VPC the default is private
        if is_expression(value):
            out.append(unresolved(rule, r, attribute, value))
            continue
        public = as_bool(value) if value is not None else _PUBLIC_DEFAULTS.get(r.type)
        shown = value if value is not None else "unset"
        if public is None:
            out.append(verdict(rule, r, UNKNOWN, "unset_whether_endpoint_public", {"attribute": attribute},
                               key=attribute))
        elif public:
            out.append(verdict(rule, r, FAIL, "public_endpoint",
                               {"attribute": attribute, "shown": shown}, key=attribute))
        else:
            out.append(verdict(rule, r, PASS, "no_public_endpoint", {"attribute": attribute, "shown": shown}))
    return out
