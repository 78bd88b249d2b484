"""The IaC scanner's checks, registered explicitly by the name rule files give in ``check:``."""

from __future__ import annotations

from csmguard.scanners.iac import (
    checks_identity,
    checks_images,
    checks_k8s,
    checks_logging,
    checks_network,
    checks_resilience,
    checks_storage,
    checks_transport,
)
from csmguard.scanners.iac.checkbase import CheckFn

CHECKS: dict[str, CheckFn] = {
    "unencrypted_disks": checks_storage.unencrypted_disks,
    "sensitive_disks_without_cmk": checks_storage.sensitive_disks_without_cmk,
    "shared_snapshots": checks_storage.shared_snapshots,
    "shared_images": checks_storage.shared_images,
    "public_disks": checks_storage.public_disks,
    "open_admin_ports": checks_network.open_admin_ports,
    "open_database_ports": checks_network.open_database_ports,
    "open_all_ports": checks_network.open_all_ports,
    "instance_metadata_v1": checks_network.instance_metadata_v1,
    "wildcard_admin_policies": checks_identity.wildcard_admin_policies,
    "privileged_without_mfa": checks_identity.privileged_without_mfa,
    "audit_logging_incomplete": checks_logging.audit_logging_incomplete,
    "audit_logging_missing": checks_logging.audit_logging_missing,
    "http_listeners": checks_transport.http_listeners,
    "weak_tls": checks_transport.weak_tls,
    "http_allowed": checks_transport.http_allowed,
    "database_tls": checks_transport.database_tls,
    "ftp_enabled": checks_transport.ftp_enabled,
    "vm_image_not_pinned": checks_images.vm_image_not_pinned,
    "k8s_image_latest": checks_images.k8s_image_latest,
    "k8s_image_no_digest": checks_images.k8s_image_no_digest,
    "privileged_containers": checks_k8s.privileged_containers,
    "host_network": checks_k8s.host_network,
    "exposed_admin_services": checks_k8s.exposed_admin_services,
    "critical_store_backups": checks_resilience.critical_store_backups,
    "critical_store_redundancy": checks_resilience.critical_store_redundancy,
}
