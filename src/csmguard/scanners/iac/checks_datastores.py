"""Checks on managed data stores beyond disks: databases (RDS, Aurora, Neptune, DocumentDB), search
domains (Elasticsearch, OpenSearch), file systems (EFS), caches (DAX) and WorkSpaces volumes not
encrypted at rest (CSM-7.5)."""

from __future__ import annotations

from typing import Any

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import PASS, UNKNOWN, by_sensitivity, rule_types, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.values import as_bool, criticality, dig, is_expression, reference

_SEARCH = {"aws_elasticsearch_domain", "aws_opensearch_domain"}
_OTHER: dict[str, tuple[str, ...]] = {
    "aws_efs_file_system": ("encrypted",), "AWS::EFS::FileSystem": ("Encrypted",),
    "aws_dax_cluster": ("server_side_encryption", "enabled"), "AWS::DAX::Cluster": ("SSESpecification", "SSEEnabled"),
}
_CFN_SEARCH = {"AWS::Elasticsearch::Domain", "AWS::OpenSearchService::Domain"}


def _encryption(r: Resource) -> tuple[str, Any] | None:
    """(attribute, value) deciding encryption at rest; None when the resource takes it from elsewhere."""
    a = r.attributes
    if r.type in _OTHER:
        path = _OTHER[r.type]
        return ".".join(path), dig(a, *path)
    if r.type in {"aws_workspaces_workspace", "AWS::WorkSpaces::Workspace"}:
        keys = ("root_volume_encryption_enabled", "user_volume_encryption_enabled") if r.type.startswith("aws_") \
            else ("RootVolumeEncryptionEnabled", "UserVolumeEncryptionEnabled")
        values = [a.get(k) for k in keys]
        undecided = next((v for v in values if is_expression(v)), None)
        return " and ".join(keys), undecided if undecided is not None else all(as_bool(v) is True for v in values)
    if r.type in _SEARCH:
        return "encrypt_at_rest.enabled", dig(a, "encrypt_at_rest", "enabled")
    if r.type in _CFN_SEARCH:
        return "EncryptionAtRestOptions.Enabled", dig(a, "EncryptionAtRestOptions", "Enabled")
    if r.type == "aws_db_instance" and (a.get("replicate_source_db") or a.get("snapshot_identifier")):
        return None  # a replica or restore takes the source's encryption
    if r.type == "AWS::RDS::DBInstance" and (a.get("DBClusterIdentifier") or a.get("SourceDBInstanceIdentifier")
                                              or a.get("DBSnapshotIdentifier")):
        return None  # encryption is the cluster's, the source's or the snapshot's
    if r.type == "aws_rds_cluster" and str(a.get("engine_mode", "")).lower() == "serverless":
        return "engine_mode", True  # Aurora Serverless v1 storage is always encrypted
    if r.type.startswith("AWS::"):
        return "StorageEncrypted", a.get("StorageEncrypted")
    return "storage_encrypted", a.get("storage_encrypted")


_REDSHIFT = {"aws_redshift_cluster": "encrypted", "AWS::Redshift::Cluster": "Encrypted"}


def _snapshot_source(facts: IacFacts, r: Resource) -> Resource | None:
    """The database instance or cluster an RDS snapshot is taken of, when the scanned code defines it."""
    a = r.attributes
    value = a.get("db_instance_identifier", a.get("db_cluster_identifier"))
    ref = reference(r, value)
    return facts.lookup(r.scope, ref) if ref else None


def database_encryption(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-006: databases, warehouses and search domains with storage not encrypted at rest, and snapshots
    of such databases; fail when tagged sensitive or critical, unknown when no tag says (article 7.5 asks it
    for disks holding sensitive data)."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        if r.type in {"aws_db_snapshot", "aws_db_cluster_snapshot"}:
            source = _snapshot_source(facts, r)
            if source is None:
                out.append(verdict(rule, r, UNKNOWN, "snapshot_source_unknown"))
                continue
            found = _encryption(source)
            if found is None or is_expression(found[1]) or as_bool(found[1]) is True:
                out.append(verdict(rule, r, PASS if found and as_bool(found[1]) is True else UNKNOWN,
                                   "snapshot_of" if found and as_bool(found[1]) is True else "snapshot_source_unknown",
                                   {"source": source.address}))
                continue
            out.append(by_sensitivity(rule, r, criticality(source) if criticality(r) is None else criticality(r),
                                      "snapshot_of_unencrypted", {"source": source.address}, key="source"))
            continue
        found = (_REDSHIFT[r.type], r.attributes.get(_REDSHIFT[r.type])) if r.type in _REDSHIFT else _encryption(r)
        if found is None:
            continue
        attribute, value = found
        if is_expression(value):
            out.append(unresolved(rule, r, attribute, value))
        elif as_bool(value) is True:
            out.append(verdict(rule, r, PASS, "encrypted_at_rest", {"attribute": attribute}))
        else:
            shown = value if value is not None else rule.render("unset_default_false", {})
            out.append(by_sensitivity(rule, r, criticality(r), "storage_not_encrypted_at",
                                      {"attribute": attribute, "shown": shown}, key=attribute))
    return out
