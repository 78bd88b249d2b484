"""Exported live cloud configuration judged by the IaC rules: for each provider, exports with known
misconfigurations give the expected failing rules, clean exports give passes, what the export does not
carry stays unknown, and a JSON file that is no export is exit 2. The files and their provenance are in
``data/SOURCES.md``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.domain import Finding, ScanResult
from csmguard.rules.loader import RuleSet
from csmguard.scanners.iac.facts import IacOptions
from csmguard.services.iac_scan import load_iac_rules, scan_iac

DATA = Path(__file__).parent / "data"
runner = CliRunner()


@cache
def _rules() -> RuleSet:
    return load_iac_rules()


@cache
def _scan(path: str, options: IacOptions | None = None) -> ScanResult:
    """The scan of one export file (kept: every test only reads the result)."""
    result, _ = scan_iac([DATA / path], options=options, rules=_rules())
    assert not result.errors, result.errors
    return result


def _verdicts(result: ScanResult) -> set[tuple[str, str, str]]:
    """(rule, status, live ID) of every finding."""
    return {(f.rule_id, f.status.value, f.location.resource or "") for f in result.findings}


def _finding(result: ScanResult, rule: str, resource: str) -> Finding:
    return next(f for f in result.findings if f.rule_id == rule and f.location.resource == resource)


SG = "arn:aws:ec2:ap-northeast-1:370219845561:security-group/sg-0a4c81f2d9e3b6071"
BUCKET = "arn:aws:s3:::khsec-trade-confirmations"
EKS_PUBLIC = "arn:aws:eks:ap-northeast-1:370219845561:cluster/khsec-quant-lab"
EKS_PRIVATE = "arn:aws:eks:ap-northeast-1:370219845561:cluster/khsec-order-platform"

AWS_FAILS = [
    ("aws/config-notification-sg-open-ssh.json", "IAC-010", SG),
    ("aws/variants/config-s3-bucket-public.json", "IAC-007", BUCKET),
    ("aws/variants/config-s3-bucket-public.json", "IAC-007", f"{BUCKET}#aws_s3_bucket_public_access_block"),
    ("aws/variants/config-s3-bucket-public.json", "IAC-007", f"{BUCKET}#aws_s3_bucket_policy"),
    ("aws/variants/config-s3-bucket-public.json", "IAC-070", BUCKET),
    ("aws/variants/config-s3-bucket-public.json", "IAC-071", BUCKET),
    ("aws/variants/describe-volumes-sensitive.json", "IAC-001", "vol-0f3a5c7e9b1d24680"),
    ("aws/variants/config-history-volumes-keys.json", "IAC-002", "vol-0d4b8f2a6c1e39572"),
    ("aws/cli/describe-db-instances.json", "IAC-018", "arn:aws:rds:ap-northeast-1:370219845561:db:khsec-promo-site"),
    ("aws/cli/describe-cluster-public.json", "IAC-027", EKS_PUBLIC),
    ("aws/cli/describe-cluster-public.json", "IAC-032", EKS_PUBLIC),
    ("aws/cli/describe-configuration-recorders-partial.json", "IAC-053",
     "arn:aws:config:ap-northeast-1:370219845561:configuration-recorder/khsec-network-only/1a2b3c4d5e6f7a8b"),
    ("aws/cli/describe-configuration-recorder-status-stopped.json", "IAC-053", "default"),
    ("aws/cli/get-account-authorization-details.json", "IAC-022",
     "arn:aws:iam::370219845561:policy/khsec-ops-ec2-admin"),
    ("aws/cli/get-account-authorization-details.json", "IAC-029",
     "arn:aws:iam::370219845561:policy/khsec-policy-publisher"),
    ("aws/cli/get-account-authorization-details.json", "IAC-023",
     "arn:aws:iam::370219845561:user/lin.yuting#aws_iam_user_policy[AllowReportUpload]"),
    ("aws/cli/describe-subnets.json", "IAC-015",
     "arn:aws:ec2:ap-northeast-1:370219845561:subnet/subnet-0a8c2e4f6b1d37590"),
    ("aws/cli/describe-alarms.json", "IAC-034",
     "arn:aws:cloudwatch:ap-northeast-1:370219845561:alarm:khsec-root-account-usage"),
    ("aws/variants/config-select-ecr.json", "IAC-054", "khsec/order-gateway"),
    ("aws/cli/describe-instances.json", "IAC-014", "i-0a7c9e1b3d5f24680"),
    ("aws/cli/describe-instances-imdsv1.json", "IAC-013", "i-0f1b3d5a7c9e24685"),
    ("aws/variants/config-item-guardduty-disabled.json", "IAC-033",
     "arn:aws:guardduty:ap-northeast-1:370219845561:detector/4e8b2a6c0d9f13e57a2c4b6d8e0f1a35"),
]


@pytest.mark.parametrize(("path", "rule", "resource"), AWS_FAILS)
def test_aws_exports_with_misconfigurations_fail(path: str, rule: str, resource: str) -> None:
    assert (rule, "fail", resource) in _verdicts(_scan(path))


AWS_PASSES = [
    ("aws/variants/config-notification-sg-ssh-internal.json", ["IAC-010", "IAC-011", "IAC-012"], SG),
    ("aws/variants/config-s3-bucket-private.json", ["IAC-007", "IAC-070", "IAC-071"], BUCKET),
    ("aws/variants/config-history-volumes-keys.json", ["IAC-001", "IAC-002"], "vol-0a6e2c8f4b1d35791"),
    ("aws/cli/describe-cluster-private.json", ["IAC-027", "IAC-032"], EKS_PRIVATE),
    ("aws/cli/describe-configuration-recorder-status-running.json", ["IAC-053"], "default"),
    ("aws/config-rds-cluster.json", ["IAC-006", "IAC-070"],
     "arn:aws:rds:ap-northeast-1:370219845561:cluster:khsec-ledger"),
    ("aws/cli/describe-subnets.json", ["IAC-015"],
     "arn:aws:ec2:ap-northeast-1:370219845561:subnet/subnet-0d2b6f9e1a7c43850"),
    ("aws/variants/config-select-ecr.json", ["IAC-054"], "khsec/quote-feed"),
    ("aws/cli/describe-instances.json", ["IAC-013", "IAC-050"], "i-0e4a6c8b2d1f35790"),
    ("aws/cli/describe-db-clusters.json", ["IAC-006", "IAC-070"],
     "arn:aws:rds:ap-northeast-1:370219845561:cluster:khsec-margin-calc"),
    ("aws/config-items-guardduty-volume.json", ["IAC-033"],
     "arn:aws:guardduty:ap-northeast-1:370219845561:detector/4e8b2a6c0d9f13e57a2c4b6d8e0f1a35"),
]


@pytest.mark.parametrize(("path", "rules", "resource"), AWS_PASSES)
def test_aws_clean_exports_pass(path: str, rules: list[str], resource: str) -> None:
    result = _scan(path)
    verdicts = _verdicts(result)
    assert all((rule, "pass", resource) in verdicts for rule in rules), verdicts
    assert not [f for f in result.findings
                if f.status.value == "fail" and f.location.resource == resource and f.rule_id in rules]


def test_aws_values_the_export_lacks_are_unknown_never_pass() -> None:
    """AWS Config's EKS item carries neither the endpoint access nor the logging: unknown, not the code
    default; an instance whose volumes are not in the export is unknown for IAC-001."""
    eks = _scan("aws/config-history-eks.json")
    arn = "arn:aws:eks:ap-northeast-1:370219845561:cluster/khsec-risk-engine"
    assert {("IAC-027", "unknown", arn), ("IAC-032", "unknown", arn)} <= _verdicts(eks)
    message = _finding(eks, "IAC-027", arn).message
    assert "endpoint_public_access is not in the exported configuration" in message.en
    assert "匯出之組態未包含" in message.zh_tw
    instance = _scan("aws/config-notification-instance.json")
    arn = "arn:aws:ec2:ap-northeast-1:370219845561:instance/i-0c3e5a7b9d1f24680"
    assert {("IAC-001", "unknown", arn), ("IAC-013", "unknown", arn), ("IAC-014", "pass", arn)} <= _verdicts(instance)


def test_aws_cli_outputs_without_the_deciding_value_are_unknown() -> None:
    """describe-trails does not say whether a trail is logging (get-trail-status does, naming no trail) and
    describe-table does not carry point-in-time recovery: unknown, never the code default."""
    trails = _scan("aws/cli/describe-trails.json")
    assert {f.status.value for f in trails.findings if f.rule_id == "IAC-030"} == {"unknown"}
    table = _scan("aws/cli/describe-table.json")
    assert {f.status.value for f in table.findings if f.rule_id == "IAC-070"} == {"unknown"}


def test_instances_take_disk_encryption_from_volumes_of_another_file() -> None:
    """describe-instances and describe-volumes exported to two files: the instance's devices are judged by
    its volumes (looked up across the export files of the scan)."""
    result, _ = scan_iac([DATA / "aws/cli/joined"], options=IacOptions(all_disks_sensitive=True), rules=_rules())
    instance = _finding(result, "IAC-001", "i-0b3d5f7a9c1e24682")
    assert instance.status.value == "fail"
    assert "root_block_device.encrypted, ebs_block_device[/dev/sdc].encrypted" in instance.message.en
    alone = _scan("aws/cli/joined/describe-instances.json", options=IacOptions(all_disks_sensitive=True))
    assert _finding(alone, "IAC-001", "i-0b3d5f7a9c1e24682").status.value == "unknown"


def test_aws_managed_key_is_not_a_customer_managed_key() -> None:
    """describe-volumes gives the key of every encrypted volume, the AWS-managed one included: without the
    key's description a volume does not pass IAC-002."""
    result = _scan("aws/cli/describe-volumes.json")
    assert ("IAC-002", "pass", "vol-08c1e3a5b7d9f2460") not in _verdicts(result)
    assert ("IAC-002", "unknown", "vol-08c1e3a5b7d9f2460") in _verdicts(result)


def test_a_key_the_export_does_not_describe_is_unknown_even_for_sensitive_disks() -> None:
    """The volume's key is not in the export, so whether it is customer-managed cannot be told: unknown (with
    the export wording), never a failure of a sensitive disk."""
    result = _scan("aws/cli/describe-volumes.json", options=IacOptions(all_disks_sensitive=True))
    finding = _finding(result, "IAC-002", "vol-08c1e3a5b7d9f2460")
    assert finding.status.value == "unknown"
    assert "not in the exported configuration" in finding.message.en


def test_all_disks_sensitive_option_applies_to_exports() -> None:
    result = _scan("aws/cli/describe-volumes.json", options=IacOptions(all_disks_sensitive=True))
    assert ("IAC-001", "fail", "vol-0f3a5c7e9b1d24680") in _verdicts(result)


def test_deleted_configuration_items_are_not_judged() -> None:
    result = _scan("aws/config-history-volume.json")
    assert {f.location.resource for f in result.findings} == {"vol-0e1d2c3b4a5968778"}
    assert result.stats["export_items"] == 1


AZURE = "azure/resource-graph.json"
KHSEC_SUBSCRIPTION = "/subscriptions/6f1c2e8a-3b47-4d92-a0e5-91c7d2b4f318"
TRADING = f"{KHSEC_SUBSCRIPTION}/resourceGroups/rg-khsec-trading/providers"
NSG = f"{TRADING}/Microsoft.Network/networkSecurityGroups/nsg-khsec-web"
NIC = f"{TRADING}/Microsoft.Network/networkInterfaces/nic-khsec-jump01"
STORAGE = f"{TRADING}/Microsoft.Storage/storageAccounts/stkhsecstatements01"
AKS = f"{TRADING}/Microsoft.ContainerService/managedClusters/aks-khsec-risk"
ROLE = f"{KHSEC_SUBSCRIPTION}/providers/Microsoft.Authorization/roleAssignments/3d7e1f0a-92b4-4c58-b6a1-e0f4c2d8a975"
APP_SERVICES_PLAN = f"{KHSEC_SUBSCRIPTION}/providers/Microsoft.Security/pricings/AppServices"


def test_azure_resource_graph_misconfigurations_fail() -> None:
    verdicts = _verdicts(_scan("azure/variants/resource-graph-misconfigured.json"))
    expected = {("IAC-010", NSG), ("IAC-014", NIC), ("IAC-042", STORAGE), ("IAC-027", AKS), ("IAC-028", AKS),
                ("IAC-024", ROLE), ("IAC-033", APP_SERVICES_PLAN)}
    assert {(rule, "fail", resource) for rule, resource in expected} <= verdicts
    assert ("IAC-024", "pass", ROLE) in _verdicts(_scan(AZURE))  # Reader is not Owner


def test_azure_clean_resource_graph_passes() -> None:
    result = _scan("azure/variants/resource-graph-clean.json")
    assert not [f for f in result.findings if f.status.value == "fail"]
    verdicts = _verdicts(result)
    for rule, resource in [("IAC-010", NSG), ("IAC-014", NIC), ("IAC-041", STORAGE), ("IAC-042", STORAGE),
                           ("IAC-027", AKS), ("IAC-028", AKS), ("IAC-024", ROLE), ("IAC-033", APP_SERVICES_PLAN)]:
        assert (rule, "pass", resource) in verdicts, (rule, resource)


WEB_SUBSCRIPTION = "/subscriptions/2a9f6c13-e8d4-4b07-95c1-6e3b0a7d2f48"
WEB_APP = f"{WEB_SUBSCRIPTION}/resourceGroups/rg-khsec-web/providers/Microsoft.Web/sites/app-khsec-ipo-portal"
SQL_SERVER = f"{WEB_SUBSCRIPTION}/resourceGroups/rg-khsec-data/providers/Microsoft.Sql/servers/sql-khsec-crm"
POSTGRES = (f"{WEB_SUBSCRIPTION}/resourceGroups/rg-khsec-data/providers/Microsoft.DBforPostgreSQL/servers/"
            "psql-khsec-research")


def test_azure_web_apps_and_databases() -> None:
    verdicts = _verdicts(_scan("azure/resource-graph-web-sql-postgres.json"))
    assert {("IAC-042", "fail", WEB_APP), ("IAC-044", "fail", WEB_APP), ("IAC-041", "pass", WEB_APP),
            ("IAC-043", "pass", POSTGRES), ("IAC-041", "unknown", SQL_SERVER), ("IAC-041", "unknown", POSTGRES),
            ("IAC-071", "unknown", POSTGRES)} <= verdicts


def test_azure_rows_without_properties_are_counted_not_judged() -> None:
    """A query that projected `properties` away leaves nothing to judge: no finding, and counted."""
    result = _scan("azure/variants/resource-graph-projected.json")
    assert not [f for f in result.findings if f.status.value in {"pass", "fail"}]
    assert sum(result.stats["export_unmapped_types"].values()) == 3


def test_azure_values_resource_graph_lacks_are_unknown() -> None:
    """Resource Graph rows of storage accounts carry no blob versioning and, on older accounts, no minimum
    TLS version: unknown rather than the Terraform default."""
    verdicts = _verdicts(_scan(AZURE))
    assert {("IAC-070", "unknown", STORAGE), ("IAC-041", "unknown", STORAGE)} <= verdicts


GKE = "//container.googleapis.com/projects/khsec-research/zones/asia-east1-b/clusters/gke-khsec-backtest"
FIREWALL = "//compute.googleapis.com/projects/khsec-trading-prod/global/firewalls/{}"
COMPUTE = "//compute.googleapis.com/projects/khsec-trading-prod"
INSTANCE = f"{COMPUTE}/zones/asia-east1-b/instances/vm-khsec-jumphost"
WORLD_BUCKET = ("//storage.googleapis.com/khsec-research-notes-public#google_storage_bucket_iam_binding"
                "[roles/storage.legacyBucketReader]")

GCP_FAILS = [
    ("gcp/gke-legacy-abac.json", "IAC-028", GKE),
    ("gcp/gke-legacy-abac.json", "IAC-027", GKE),
    ("gcp/firewall-rules.json", "IAC-010", FIREWALL.format("allow-vendor-rdp")),
    ("gcp/firewall-rules.json", "IAC-011", FIREWALL.format("allow-all-uat")),
    ("gcp/firewall-rules.json", "IAC-012", FIREWALL.format("allow-tcp-quote-partners")),
    ("gcp/storage-bucket-world-readable.json", "IAC-007", WORLD_BUCKET),
    ("gcp/project-iam.json", "IAC-024", "//cloudresourcemanager.googleapis.com/projects/418275930264"
     "#google_project_iam_binding[roles/owner]"),
    ("gcp/project-audit-configs.json", "IAC-030", "//cloudresourcemanager.googleapis.com/projects/khsec-settlement"
     "#google_project_iam_audit_config[bigquery.googleapis.com]"),
    ("gcp/project-audit-configs.json", "IAC-030", "//cloudresourcemanager.googleapis.com/projects/khsec-sandbox"
     "#google_project_iam_audit_config[allServices]"),
    ("gcp/compute-instance-metadata.json", "IAC-014", INSTANCE),
    ("gcp/variants/compute-instance-serial-port.json", "IAC-016", INSTANCE),
    ("gcp/variants/compute-instance-serial-port.json", "IAC-002", INSTANCE),
    ("gcp/variants/compute-disks-cmek.json", "IAC-002", f"{COMPUTE}/regions/asia-east1/disks/rdisk-khsec-ledger-ha"),
    ("gcp/variants/compute-image-snapshot-iam.json", "IAC-004",
     f"{COMPUTE}/global/images/img-khsec-hardened-base#google_compute_image_iam_binding[roles/compute.imageUser]"),
    ("gcp/variants/compute-image-snapshot-iam.json", "IAC-003",
     f"{COMPUTE}/global/snapshots/snap-khsec-ledger-daily#google_compute_snapshot_iam_binding[roles/compute.storageAdmin]"),
    ("gcp/cloudsql-backup.json", "IAC-043",
     "//cloudsql.googleapis.com/projects/khsec-trading-prod/instances/sql-khsec-promo"),
]


@pytest.mark.parametrize(("path", "rule", "resource"), GCP_FAILS)
def test_gcp_asset_exports_with_misconfigurations_fail(path: str, rule: str, resource: str) -> None:
    assert (rule, "fail", resource) in _verdicts(_scan(path))


def test_gcp_clean_assets_pass() -> None:
    result = _scan("gcp/variants/clean.json")
    assert not [f for f in result.findings if f.status.value in {"fail", "unknown"}]
    passed = {f.rule_id for f in result.findings if f.status.value == "pass"}
    assert {"IAC-007", "IAC-010", "IAC-011", "IAC-012", "IAC-027", "IAC-028", "IAC-030"} <= passed
    disks = _verdicts(_scan("gcp/variants/compute-disks-cmek.json"))
    assert ("IAC-002", "pass", f"{COMPUTE}/zones/asia-east1-a/disks/disk-khsec-ledger-data") in disks


def test_gcp_network_exposure_of_clusters_instances_and_databases() -> None:
    """Authorised networks open to 0.0.0.0/0 (GKE control plane, Cloud SQL) fail, a named office range passes;
    an external NAT address fails IAC-014; a boot disk with a Cloud KMS key passes IAC-002."""
    clusters = _verdicts(_scan("gcp/gke-master-authorized-networks.json"))
    gke = "//container.googleapis.com/projects/khsec-trading-prod/zones/asia-east1-a/clusters/{}"
    assert {("IAC-027", "fail", gke.format("gke-khsec-marketdata")), ("IAC-027", "fail", gke.format("gke-khsec-batch")),
            ("IAC-027", "pass", gke.format("gke-khsec-orders"))} <= clusters
    databases = _verdicts(_scan("gcp/cloudsql-authorized-networks.json"))
    sql = "//cloudsql.googleapis.com/projects/khsec-trading-prod/instances/{}"
    assert {("IAC-017", "fail", sql.format("sql-khsec-partner-feed")),
            ("IAC-017", "pass", sql.format("sql-khsec-branch-sync"))} <= databases
    instances = _verdicts(_scan("gcp/compute-instances-network.json"))
    vm = f"{COMPUTE}/zones/asia-east1-{{}}/instances/{{}}"
    assert {("IAC-014", "fail", vm.format("a", "vm-khsec-web-01")),
            ("IAC-014", "pass", vm.format("a", "vm-khsec-fix-engine")),
            ("IAC-014", "pass", vm.format("c", "vm-khsec-multi-nic")),
            ("IAC-002", "pass", vm.format("a", "vm-khsec-fix-engine"))} <= instances


def test_gcp_ndjson_export_gives_lines_and_asset_list_form_is_read() -> None:
    ndjson = _scan("gcp/variants/firewall-rules.ndjson")
    found = _finding(ndjson, "IAC-010", FIREWALL.format("allow-all-uat"))
    assert found.status.value == "fail" and found.location.line == 6
    assert found.location.path is not None and found.location.path.endswith("firewall-rules.ndjson")
    listed = _scan("gcp/variants/storage-buckets-asset-list.json")
    assert ("IAC-007", "fail", WORLD_BUCKET) in _verdicts(listed)


def test_unmapped_types_are_counted_in_stats_and_coverage() -> None:
    result = _scan("gcp/project-iam.json")
    assert result.stats["export_unmapped_types"] == {"bigquery.googleapis.com/Dataset": 4}
    assert result.coverage is not None
    assert result.coverage.recognised["export-item-unmapped"] == 4
    assert result.coverage.recognised["export-item"] == 2


def test_cli_says_which_exported_types_were_not_checked() -> None:
    result = runner.invoke(app, ["scan", "iac", str(DATA / "gcp/project-iam.json"), "--lang", "en"])
    assert "4 exported item(s) not checked" in result.stderr and "bigquery.googleapis.com/Dataset ×4" in result.stderr


def test_items_without_the_configuration_the_rules_read_are_counted_not_guessed() -> None:
    """An S3 item selected without its supplementary configuration says nothing of ACL, versioning or
    replication: not judged (no pass, no fail) and counted."""
    result = _scan("aws/variants/config-select-s3.json")
    judged = {f.location.record for f in result.findings if f.rule_id in {"IAC-007", "IAC-070", "IAC-071"}}
    assert judged == {"/Results/0"}
    assert result.stats["export_unmapped_types"] == {
        "AWS::S3::Bucket (item without the configuration the rules read)": 1}
    assert {f.location.resource for f in result.findings if f.rule_id == "IAC-070"} == {"khsec-build-artifacts"}


def test_location_names_the_file_the_item_and_the_live_id() -> None:
    found = _finding(_scan("aws/cli/describe-db-instances.json"), "IAC-018",
                     "arn:aws:rds:ap-northeast-1:370219845561:db:khsec-promo-site")
    assert found.location.path is not None and found.location.path.endswith("describe-db-instances.json")
    assert found.location.record == "/DBInstances/1"
    assert found.target.id == "arn:aws:rds:ap-northeast-1:370219845561:db:khsec-promo-site"
    assert found.evidence["source"] == "aws-cli"


def test_cli_scans_an_export_and_rejects_json_that_is_no_export(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", "iac", str(DATA / "aws/config-notification-sg-open-ssh.json"),
                                 "--format", "json", "--quiet"])
    assert result.exit_code == 1, result.output
    assert any(f["rule_id"] == "IAC-010" and f["status"] == "fail" for f in json.loads(result.stdout)["findings"])
    random = tmp_path / "inventory.json"
    random.write_text(json.dumps({"items": [{"id": 1, "name": "printer"}], "next": None}), encoding="utf-8")
    lines = tmp_path / "events.ndjson"
    lines.write_text('{"event": "login"}\n{"event": "logout"}\n', encoding="utf-8")
    for path in (random, lines):
        rejected = runner.invoke(app, ["scan", "iac", str(path), "--format", "json", "--quiet"])
        assert rejected.exit_code == 2, rejected.output
        assert json.loads(rejected.stdout)["state"] == "failed"
