"""Checks on critical data stores (tagged critical or sensitive): backups and versioning, and
redundancy across zones or regions (CSM-4.2)."""

from __future__ import annotations

from collections.abc import Callable

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import PASS, by_sensitivity, resources, rule_types, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.values import as_bool, as_int, criticality, dig, first, is_expression, reference

_MULTI_REGION_GCS = {"US", "EU", "ASIA", "NAM4", "EUR4", "ASIA1", "EUR5", "EUR7", "EUR8", "US-CENTRAL1+US-EAST1"}


def _companion(rule: Rule, facts: IacFacts, bucket: Resource, companion_type: str) -> Resource | None:
    """A separate resource (e.g. ``aws_s3_bucket_versioning``) that configures ``bucket``."""
    name = bucket.attributes.get("bucket")
    for other in resources(rule, facts, companion_type):
        if other.scope != bucket.scope:
            continue
        value = other.attributes.get("bucket")
        if reference(other, value) == bucket.address or (name is not None and value == name):
            return other
    return None


def _backup(rule: Rule, facts: IacFacts, r: Resource) -> tuple[bool, str] | None:
    a = r.attributes
    t = r.type
    if t in {"aws_db_instance", "AWS::RDS::DBInstance", "aws_rds_cluster", "AWS::RDS::DBCluster"}:
        days = as_int(a.get("BackupRetentionPeriod" if t.startswith("AWS::") else "backup_retention_period"))
        days = 1 if days is None else days
        return days > 0, f"backup retention {days} day(s)"
    if t == "aws_s3_bucket":
        inline = as_bool(dig(a, "versioning", "enabled"))
        companion = _companion(rule, facts, r, "aws_s3_bucket_versioning")
        status = dig(companion.attributes, "versioning_configuration", "status") if companion else None
        enabled = inline is True or str(status) == "Enabled"
        return enabled, "versioning enabled" if enabled else "versioning not enabled"
    if t == "AWS::S3::Bucket":
        enabled = str(dig(a, "VersioningConfiguration", "Status")) == "Enabled"
        return enabled, "versioning enabled" if enabled else "versioning not enabled"
    if t in {"aws_dynamodb_table", "AWS::DynamoDB::Table"}:
        value = dig(a, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled") if t.startswith(
            "AWS::") else dig(a, "point_in_time_recovery", "enabled")
        enabled = as_bool(value) is True
        return enabled, "point-in-time recovery " + ("on" if enabled else "off")
    if t == "azurerm_storage_account":
        enabled = as_bool(dig(a, "blob_properties", "versioning_enabled")) is True
        return enabled, "blob versioning " + ("on" if enabled else "off")
    if t == "google_storage_bucket":
        enabled = as_bool(dig(a, "versioning", "enabled")) is True
        return enabled, "versioning " + ("on" if enabled else "off")
    if t == "google_sql_database_instance":
        enabled = as_bool(dig(a, "settings", "backup_configuration", "enabled")) is True
        return enabled, "automated backups " + ("on" if enabled else "off")
    if t == "azurerm_mssql_database":
        days = as_int(dig(a, "short_term_retention_policy", "retention_days"))
        return (days is None or days > 0), f"short-term backup retention {days if days is not None else 7} day(s)"
    return None


def _redundancy(rule: Rule, facts: IacFacts, r: Resource) -> tuple[bool, str] | None:
    a = r.attributes
    t = r.type
    if t in {"aws_db_instance", "AWS::RDS::DBInstance"}:
        enabled = as_bool(a.get("MultiAZ" if t.startswith("AWS::") else "multi_az")) is True
        return enabled, "Multi-AZ " + ("on" if enabled else "off")
    if t == "aws_s3_bucket":
        enabled = bool(a.get("replication_configuration")) or _companion(
            rule, facts, r, "aws_s3_bucket_replication_configuration") is not None
        return enabled, "replication " + ("configured" if enabled else "not configured")
    if t == "AWS::S3::Bucket":
        enabled = bool(a.get("ReplicationConfiguration"))
        return enabled, "replication " + ("configured" if enabled else "not configured")
    if t == "azurerm_storage_account":
        kind = str(a.get("account_replication_type", "LRS")).upper()
        return kind != "LRS", f"replication {kind}"
    if t == "google_sql_database_instance":
        kind = str(dig(a, "settings", "availability_type") or "ZONAL").upper()
        return kind == "REGIONAL", f"availability {kind}"
    if t in _GEO_BACKUP_TYPES:
        enabled = as_bool(a.get("geo_redundant_backup_enabled")) is True
        return enabled, "geo-redundant backup " + ("on" if enabled else "off")
    if t == "google_storage_bucket":
        location = str(a.get("location", "")).upper()
        enabled = location in _MULTI_REGION_GCS or bool(first(a.get("custom_placement_config")))
        return enabled, f"location {location or 'unset'}"
    return None


_GEO_BACKUP_TYPES = {"azurerm_postgresql_server", "azurerm_postgresql_flexible_server", "azurerm_mysql_server",
                     "azurerm_mysql_flexible_server", "azurerm_mariadb_server"}

BACKUP_ATTRIBUTES: dict[str, tuple[tuple[str, ...], ...]] = {
    "aws_db_instance": (("backup_retention_period",),), "AWS::RDS::DBInstance": (("BackupRetentionPeriod",),),
    "aws_rds_cluster": (("backup_retention_period",),), "AWS::RDS::DBCluster": (("BackupRetentionPeriod",),),
    "azurerm_mssql_database": (("short_term_retention_policy", "retention_days"),),
    "aws_s3_bucket": (("versioning", "enabled"),), "AWS::S3::Bucket": (("VersioningConfiguration", "Status"),),
    "aws_dynamodb_table": (("point_in_time_recovery", "enabled"),),
    "AWS::DynamoDB::Table": (("PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"),),
    "azurerm_storage_account": (("blob_properties", "versioning_enabled"),),
    "google_storage_bucket": (("versioning", "enabled"),),
    "google_sql_database_instance": (("settings", "backup_configuration", "enabled"),),
}
REDUNDANCY_ATTRIBUTES: dict[str, tuple[tuple[str, ...], ...]] = {
    "aws_db_instance": (("multi_az",),), "AWS::RDS::DBInstance": (("MultiAZ",),),
    "azurerm_storage_account": (("account_replication_type",),),
    "google_sql_database_instance": (("settings", "availability_type"),), "google_storage_bucket": (("location",),),
    **{t: (("geo_redundant_backup_enabled",),) for t in _GEO_BACKUP_TYPES},
}


def _critical_check(rule: Rule, facts: IacFacts, judge: Callable[[Rule, IacFacts, Resource], tuple[bool, str] | None],
                    deciding: dict[str, tuple[tuple[str, ...], ...]]) -> list[Finding]:
    out = []
    for r in facts.of_types(*rule_types(rule)):
        undecided = [(path, dig(r.attributes, *path)) for path in deciding.get(r.type, ())
                     if is_expression(dig(r.attributes, *path))]
        if undecided:
            out.append(unresolved(rule, r, ".".join(undecided[0][0]), undecided[0][1]))
            continue
        result = judge(rule, facts, r)
        if result is None:
            continue
        ok, detail = result
        if ok:
            out.append(verdict(rule, r, PASS, "data_store", {"detail": detail}))
        else:
            out.append(by_sensitivity(rule, r, criticality(r), "data_store", {"detail": detail},
                                      evidence={"detail": detail}))
    return out


def critical_store_backups(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-070: critical databases without automated backups, critical buckets without versioning."""
    return _critical_check(rule, facts, _backup, BACKUP_ATTRIBUTES)


def critical_store_redundancy(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-071: critical databases not Multi-AZ/regional, critical storage without replication."""
    return _critical_check(rule, facts, _redundancy, REDUNDANCY_ATTRIBUTES)
