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
        return verdict(rule, r, FAIL, f"assigns a public IP address ({', '.join(public)})",
                       f"指派公用 IP 位址（{', '.join(public)}）", evidence={"attributes": public})
    undecided = [(label, value) for label, value in interfaces if is_expression(value)]
    if undecided:
        return unresolved(rule, r, undecided[0][0], undecided[0][1])
    if r.type == "aws_instance" and r.attributes.get("associate_public_ip_address") is None:
        subnet = _instance_subnet(facts, r)
        if subnet is None:
            return verdict(rule, r, UNKNOWN, "associate_public_ip_address is unset and the subnet is not in the "
                           "scanned code: the subnet's map_public_ip_on_launch decides",
                           "未設定 associate_public_ip_address 且子網路不在受檢程式碼中："
                           "是否取得公用 IP 由子網路設定決定",
                           key="subnet_id")
        if as_bool(subnet.attributes.get("map_public_ip_on_launch")) is True:
            return verdict(rule, r, FAIL, f"gets a public IP address from subnet {subnet.address} "
                           "(map_public_ip_on_launch)",
                           f"經由子網路 {subnet.address}（map_public_ip_on_launch）取得公用 IP",
                           evidence={"subnet": subnet.address})
    return verdict(rule, r, PASS, "no public IP address assigned", "未指派公用 IP 位址")


def _azure_nic(rule: Rule, r: Resource) -> Finding:
    public = [str(c.get("name", i)) for i, c in enumerate(blocks(r.attributes.get("ip_configuration")))
              if c.get("public_ip_address_id") not in (None, "")]
    if public:
        return verdict(rule, r, FAIL, f"public IP attached to ip_configuration {', '.join(public)}",
                       f"ip_configuration {', '.join(public)} 附加公用 IP", evidence={"ip_configurations": public})
    return verdict(rule, r, PASS, "no public IP attached", "未附加公用 IP")


def _gcp_instance(rule: Rule, r: Resource) -> Finding:
    public = [str(n.get("network") or n.get("subnetwork") or i) for i, n in
              enumerate(blocks(r.attributes.get("network_interface"))) if blocks(n.get("access_config"))]
    if public:
        return verdict(rule, r, FAIL, f"access_config gives an external IP on network_interface {', '.join(public)}",
                       f"network_interface {', '.join(public)} 之 access_config 指派外部 IP",
                       evidence={"interfaces": public})
    return verdict(rule, r, PASS, "no external IP (no access_config)", "未指派外部 IP（無 access_config）")


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
            out.append(verdict(rule, r, FAIL, f"{attribute} = true: every instance launched here gets a public IP",
                               f"{attribute} = true：於此啟動之執行個體皆取得公用 IP", key=attribute))
        else:
            out.append(verdict(rule, r, PASS, f"{attribute} is off", f"{attribute} 未啟用"))
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
            out.append(verdict(rule, r, FAIL, f"serial console access enabled ({attribute})",
                               f"已啟用序列埠主控台存取（{attribute}）", key=attribute))
        else:
            out.append(verdict(rule, r, PASS, "serial console access not enabled", "未啟用序列埠主控台存取"))
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
        return verdict(rule, r, UNKNOWN, f"start/end address not readable: {start} – {end}",
                       f"起訖位址無法解讀：{start} – {end}", key="range")
    if str(start) == "0.0.0.0" and str(end) == "0.0.0.0":  # noqa: S104 - an address, not a bind
        return verdict(rule, r, MANUAL, "0.0.0.0 – 0.0.0.0 admits every Azure service, including other tenants': "
                       "confirm it is needed",
                       "0.0.0.0 – 0.0.0.0 允許所有 Azure 服務（含其他租用戶）連線：請確認確有必要",
                       key="range")
    if size >= _WIDE:
        return verdict(rule, r, FAIL, f"admits {start} – {end} ({size:,} addresses)",
                       f"允許 {start} – {end}（{size:,} 個位址）連線", evidence={"start": start, "end": end})
    return verdict(rule, r, PASS, f"admits {start} – {end} only", f"僅允許 {start} – {end}")


def _cloud_sql(rule: Rule, r: Resource) -> Finding:
    networks = blocks(dig(r.attributes, "settings", "ip_configuration", "authorized_networks"))
    values = [n.get("value") for n in networks]
    if any(str(v).strip().lower() in OPEN_SOURCES for v in values):
        return verdict(rule, r, FAIL, "authorized_networks admits 0.0.0.0/0", "authorized_networks 允許 0.0.0.0/0",
                       evidence={"networks": [str(v) for v in values]})
    undecided = [v for v in values if is_expression(v)]
    if undecided:
        return unresolved(rule, r, "authorized_networks.value", undecided[0])
    return verdict(rule, r, PASS, "no authorized network admits the whole internet", "授權網路未包含整個網際網路")


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
            out.append(verdict(rule, r, UNKNOWN, "no start_ip_address/end_ip_address", "未設定起訖位址",
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
            out.append(verdict(rule, r, UNKNOWN, f"{attribute} unset: whether the endpoint is public depends on "
                               "defaults outside this resource",
                               f"未設定 {attribute}：端點是否公開取決於此資源以外的預設值",
                               key=attribute))
        elif public:
            out.append(verdict(rule, r, FAIL, f"public endpoint ({attribute} = {shown})",
                               f"具公開端點（{attribute} = {shown}）", key=attribute))
        else:
            out.append(verdict(rule, r, PASS, f"no public endpoint ({attribute} = {shown})",
                               f"無公開端點（{attribute} = {shown}）"))
    return out
