"""Checks on Kubernetes workloads and services: privileged containers, host networking, and
administrative or database ports exposed through LoadBalancer/NodePort services (CSM-7.3, 7.4)."""

from __future__ import annotations

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, PASS, resources, verdict
from csmguard.scanners.iac.checks_network import ADMIN_PORTS, DATABASE_PORTS
from csmguard.scanners.iac.facts import IacFacts, IacOptions
from csmguard.scanners.iac.k8s import SERVICE_TYPES, WORKLOAD_TYPES, containers, services, workloads
from csmguard.scanners.iac.network import OPEN_SOURCES
from csmguard.scanners.iac.values import as_bool, as_int, as_list, blocks, dig

CLUSTER_ADMIN_PORTS = {2379: "etcd", 2380: "etcd peer", 6443: "Kubernetes API", 10250: "kubelet", 10255: "kubelet"}


def privileged_containers(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-060: containers running privileged."""
    out = []
    for r, spec in workloads(resources(rule, facts, *WORKLOAD_TYPES)):
        bad = [str(c.get("name")) for c in containers(spec)
               if as_bool(dig(c, "securityContext", "privileged")) is True]
        if bad:
            out.append(verdict(rule, r, FAIL, "privileged_container",
                               {"bad": ', '.join(bad)}, evidence={"containers": bad}))
        else:
            out.append(verdict(rule, r, PASS, "no_privileged_container"))
    return out


def host_network(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-061: pods sharing the node's network namespace."""
    out = []
    for r, spec in workloads(resources(rule, facts, *WORKLOAD_TYPES)):
        if as_bool(spec.get("hostNetwork")) is True:
            out.append(verdict(rule, r, FAIL, "hostnetwork_true"))
        else:
            out.append(verdict(rule, r, PASS, "pod_network_isolated_from"))
    return out


def exposed_admin_services(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-062: LoadBalancer or NodePort services exposing administrative or database ports to any source."""
    sensitive = {**ADMIN_PORTS, **DATABASE_PORTS, **CLUSTER_ADMIN_PORTS}
    out = []
    for r, service in services(resources(rule, facts, *SERVICE_TYPES)):
        kind = str(dig(service, "spec", "type") or "ClusterIP")
        if kind not in {"LoadBalancer", "NodePort"}:
            continue
        ranges = [str(x) for x in as_list(dig(service, "spec", "loadBalancerSourceRanges"))]
        open_to_all = kind == "NodePort" or not ranges or any(x.lower() in OPEN_SOURCES for x in ranges)
        exposed = []
        for port in blocks(dig(service, "spec", "ports")):
            for key in ("port", "targetPort"):
                number = as_int(port.get(key))
                if number in sensitive:
                    exposed.append(f"{number}/{sensitive[number]}")
        exposed = sorted(set(exposed))
        if exposed and open_to_all:
            out.append(verdict(rule, r, FAIL, "service_exposes_any_source",
                               {"kind": kind, "exposed": ', '.join(exposed)}, evidence={"ports": exposed}))
        else:
            out.append(verdict(rule, r, PASS, "service_exposes_no_administrative", {"kind": kind}))
    return out
