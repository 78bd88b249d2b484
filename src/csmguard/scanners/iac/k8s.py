"""Kubernetes workloads and services in one shape, from manifests and from the Terraform Kubernetes
provider (``kubernetes_deployment``, ``kubernetes_pod_v1``, ``kubernetes_service`` …)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from csmguard.scanners.iac.facts import KUBERNETES, Resource
from csmguard.scanners.iac.values import blocks, dig, first

_MANIFEST_TEMPLATES = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}
_TERRAFORM_TEMPLATES = {"kubernetes_deployment", "kubernetes_stateful_set", "kubernetes_daemonset",
                        "kubernetes_daemon_set", "kubernetes_job", "kubernetes_replication_controller"}


WORKLOAD_TYPES: tuple[str, ...] = (
    "Pod", "CronJob", *sorted(_MANIFEST_TEMPLATES),
    *(f"{base}{suffix}" for base in ("kubernetes_pod", "kubernetes_cron_job", *sorted(_TERRAFORM_TEMPLATES))
      for suffix in ("", "_v1")))
"""The types whose pod spec :func:`pod_spec` reads (manifest kinds and Terraform types)."""
SERVICE_TYPES: tuple[str, ...] = ("Service", "kubernetes_service", "kubernetes_service_v1")
"""The types :func:`services` reads."""


def _terraform_container(block: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": block.get("name"), "image": block.get("image"),
            "securityContext": {"privileged": dig(block, "security_context", "privileged")}}


def _terraform_pod(spec: Mapping[str, Any]) -> dict[str, Any]:
    return {"containers": [_terraform_container(c) for c in blocks(spec.get("container"))],
            "initContainers": [_terraform_container(c) for c in blocks(spec.get("init_container"))],
            "hostNetwork": spec.get("host_network")}


def pod_spec(r: Resource) -> Mapping[str, Any] | None:
    """The pod template of a workload (Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob …) in manifest
    shape; None when the resource is not a workload."""
    a = r.attributes
    if r.source == KUBERNETES:
        if r.type == "Pod":
            spec = a.get("spec")
        elif r.type == "CronJob":
            spec = dig(a, "spec", "jobTemplate", "spec", "template", "spec")
        elif r.type in _MANIFEST_TEMPLATES:
            spec = dig(a, "spec", "template", "spec")
        else:
            return None
        return spec if isinstance(spec, Mapping) else {}
    base = r.type.removesuffix("_v1")
    if base == "kubernetes_pod":
        return _terraform_pod(first(a.get("spec")))
    if base == "kubernetes_cron_job":
        return _terraform_pod(first(dig(a, "spec", "job_template", "spec", "template", "spec")))
    if base in _TERRAFORM_TEMPLATES:
        return _terraform_pod(first(dig(a, "spec", "template", "spec")))
    return None


def containers(spec: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Containers, init containers and ephemeral containers of a pod spec."""
    for key in ("initContainers", "containers", "ephemeralContainers"):
        yield from blocks(spec.get(key))


def workloads(found: Iterable[Resource]) -> Iterator[tuple[Resource, Mapping[str, Any]]]:
    """The Kubernetes workloads among ``found`` with their pod specs."""
    for r in found:
        if r.provider == "kubernetes" and not r.is_data:
            spec = pod_spec(r)
            if spec is not None:
                yield r, spec


def services(found: Iterable[Resource]) -> Iterator[tuple[Resource, Mapping[str, Any]]]:
    """The Kubernetes Services among ``found`` in manifest shape (``spec.type``, ``spec.ports``,
    ``loadBalancerSourceRanges``)."""
    for r in found:
        if r.source == KUBERNETES and r.type == "Service":
            yield r, r.attributes
        elif r.type.removesuffix("_v1") == "kubernetes_service" and not r.is_data:
            spec = first(r.attributes.get("spec"))
            yield r, {"spec": {
                "type": spec.get("type"),
                "ports": [{"port": p.get("port"), "targetPort": p.get("target_port")}
                          for p in blocks(spec.get("port"))],
                "loadBalancerSourceRanges": spec.get("load_balancer_source_ranges"),
            }}
