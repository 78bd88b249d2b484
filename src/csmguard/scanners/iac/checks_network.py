"""Checks on security groups, network security groups and firewalls open to the internet (CSM-7.3, 7.4)."""

from __future__ import annotations

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, PASS, UNKNOWN, resources, rule_types, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions
from csmguard.scanners.iac.network import OPEN_SOURCES, SECURITY_GROUP_TYPES, Ingress, ingress_rules, is_wide_public
from csmguard.scanners.iac.values import blocks, dig, first, is_expression

ADMIN_PORTS = {22: "SSH", 23: "Telnet", 3389: "RDP", 5985: "WinRM", 5986: "WinRM-TLS"}
DATABASE_PORTS = {
    1433: "SQL Server", 1434: "SQL Server browser", 1521: "Oracle", 2483: "Oracle", 2484: "Oracle TLS",
    3306: "MySQL", 5432: "PostgreSQL", 5984: "CouchDB", 6379: "Redis", 7000: "Cassandra", 7001: "Cassandra",
    9042: "Cassandra CQL", 9200: "Elasticsearch", 9300: "Elasticsearch transport", 11211: "Memcached",
    27017: "MongoDB", 27018: "MongoDB",
}

# Services that should not face the internet directly, besides the administrative and database ports.
RISKY_PORTS = {
    20: "FTP data", 21: "FTP", 25: "SMTP", 53: "DNS", 69: "TFTP", 110: "POP3", 111: "RPC portmapper",
    135: "MS RPC", 137: "NetBIOS", 138: "NetBIOS", 139: "NetBIOS", 143: "IMAP", 161: "SNMP", 162: "SNMP trap",
    389: "LDAP", 445: "SMB", 514: "syslog/rsh", 873: "rsync", 2049: "NFS", 2375: "Docker API",
    2376: "Docker API", 2379: "etcd", 2380: "etcd", 5601: "Kibana", 5900: "VNC", 6443: "Kubernetes API",
    8500: "Consul", 10250: "kubelet",
}


def _port_check(rule: Rule, facts: IacFacts, ports: dict[int, str]) -> list[Finding]:
    """Security groups and rules exposing ``ports`` to the internet (the rule's message ``ports_kind``
    names what kind of ports they are)."""
    what = rule.render("ports_kind", {})
    out: list[Finding] = []
    for resource in resources(rule, facts, *SECURITY_GROUP_TYPES):
        rules = ingress_rules(resource)
        if not rules and resource.type in {"aws_security_group_rule", "azurerm_network_security_rule"}:
            continue  # an egress or deny rule: nothing to judge
        exposed: list[str] = []
        undecided: list[Ingress] = []
        for ingress in rules:
            relevant = [f"{port}/{name} ({ingress.label})" for port, name in sorted(ports.items())
                        if ingress.exposes(port)]
            if ingress.source_unknown and (relevant or ingress.undecided):
                undecided.append(ingress)
            elif not ingress.from_internet:
                continue
            elif ingress.undecided:
                undecided.append(ingress)
            else:
                exposed += relevant
        if exposed:
            out.append(verdict(rule, resource, FAIL, "open_internet", {"what": what, "exposed": ", ".join(exposed)},
                               evidence={"exposed": exposed[:20]}))
        elif undecided:
            out.append(verdict(rule, resource, UNKNOWN,
                               "expression_that_cannot_be",
                               {"label": undecided[0].label,
                                "source": undecided[0].undecided or rule.render("the_source", {})},
                               key=undecided[0].label))
        else:
            out.append(verdict(rule, resource, PASS, "no_open_internet", {"what": what}))
    return out


def open_admin_ports(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-010: administrative ports (SSH, RDP, Telnet, WinRM) reachable from 0.0.0.0/0 or ::/0."""
    return _port_check(rule, facts, ADMIN_PORTS)


def open_database_ports(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-011: database ports reachable from the internet, also through the retired RDS DB security
    groups (``AWS::RDS::DBSecurityGroup``, ``aws_db_security_group``), which open the database's own port."""
    return _port_check(rule, facts, DATABASE_PORTS) + _db_security_groups(rule, facts)


def _db_security_groups(rule: Rule, facts: IacFacts) -> list[Finding]:
    out: list[Finding] = []
    for resource in resources(rule, facts, "AWS::RDS::DBSecurityGroup", "aws_db_security_group"):
        cfn = resource.type.startswith("AWS::")
        entries = blocks(resource.attributes.get("DBSecurityGroupIngress" if cfn else "ingress"))
        sources = [(f"{'DBSecurityGroupIngress' if cfn else 'ingress'}[{i}]", e.get("CIDRIP" if cfn else "cidr"))
                   for i, e in enumerate(entries)]
        undecided = [(label, value) for label, value in sources if is_expression(value)]
        opened = [label for label, value in sources if isinstance(value, str) and not is_expression(value)
                  and (value.strip().lower() in OPEN_SOURCES or is_wide_public(value))]
        if opened:
            out.append(verdict(rule, resource, FAIL, "db_security_group_open", {"entries": ", ".join(opened)},
                               evidence={"exposed": opened}))
        elif undecided:
            out.append(unresolved(rule, resource, undecided[0][0], undecided[0][1]))
        else:
            out.append(verdict(rule, resource, PASS, "db_security_group_closed"))
    return out


def open_risky_ports(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-019: file-sharing, mail, name, directory, RPC, SNMP, VNC, container and Kubernetes management
    ports reachable from the internet (article 7.3: only necessary ports)."""
    return _port_check(rule, facts, RISKY_PORTS)


def open_all_ports(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-012: every port (protocol all, 0-65535 or ``*``) reachable from the internet."""
    out: list[Finding] = []
    for resource in resources(rule, facts, *SECURITY_GROUP_TYPES):
        rules = ingress_rules(resource)
        if not rules and resource.type in {"aws_security_group_rule", "azurerm_network_security_rule"}:
            continue
        wide = [i.label for i in rules if i.from_internet and not i.undecided and i.all_ports]
        undecided = [i for i in rules if (i.from_internet and i.undecided) or (
            i.source_unknown and (i.undecided or i.all_ports))]
        if wide:
            out.append(verdict(rule, resource, FAIL, "all_ports_open_internet",
                               {"wide": ', '.join(wide)}, evidence={"rules": wide}))
        elif undecided:
            what = undecided[0].undecided or "source"
            out.append(verdict(rule, resource, UNKNOWN, "cannot_be_evaluated",
                               {"undecided_label": undecided[0].label, "what": what},
                               key=undecided[0].label))
        else:
            out.append(verdict(rule, resource, PASS, "no_rule_opens_all"))
    return out


def instance_metadata_v1(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-013: EC2 instances and launch templates that still answer IMDSv1 (no session token required)."""
    out: list[Finding] = []
    for resource in facts.of_types(*rule_types(rule)):
        if resource.type == "AWS::EC2::LaunchTemplate":
            metadata = dig(resource.attributes, "LaunchTemplateData", "MetadataOptions") or {}
            tokens, endpoint = metadata.get("HttpTokens"), metadata.get("HttpEndpoint")
        else:
            metadata = first(resource.attributes.get("metadata_options"))
            tokens, endpoint = metadata.get("http_tokens"), metadata.get("http_endpoint")
        if is_expression(tokens):
            out.append(unresolved(rule, resource, "http_tokens", tokens))
        elif str(endpoint).lower() == "disabled" or str(tokens).lower() == "required":
            out.append(verdict(rule, resource, PASS, "imdsv2_required_metadata_endpoint"))
        else:
            out.append(verdict(rule, resource, FAIL, "http_tokens_imdsv1_answers",
                               {"tokens": tokens or rule.render("optional_default", {})}, key="http_tokens"))
    return out
