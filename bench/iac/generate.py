"""A Terraform + CloudFormation corpus with planted misconfigurations, each recorded with the CSM Guard
rule and the Checkov checks (if any) that should find it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Planted:
    """One deliberate misconfiguration: where it is and which rules of each tool are meant to catch it."""

    kind: str
    resource: str  # Terraform address or CloudFormation logical ID (unique across the corpus)
    ours: tuple[str, ...]
    checkov: tuple[str, ...]


# kind → (CSM Guard rules, Checkov checks that cover the same misconfiguration)
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ebs_unencrypted": (("IAC-001",), ("CKV_AWS_3",)),
    "sg_ssh_open": (("IAC-010",), ("CKV_AWS_24",)),
    "sg_rdp_range_open": (("IAC-010",), ("CKV_AWS_25",)),
    "sg_postgres_open": (("IAC-011",), ()),
    "sg_all_open": (("IAC-012",), ("CKV_AWS_277",)),
    "iam_admin_policy": (("IAC-020",), ("CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_1", "CKV_AWS_109", "CKV_AWS_110")),
    "admin_role_no_mfa": (("IAC-021",), ()),
    "trail_single_region": (("IAC-030",), ("CKV_AWS_67",)),
    "alb_http_no_redirect": (("IAC-040",), ("CKV_AWS_2",)),
    "alb_tls11": (("IAC-041",), ("CKV_AWS_103",)),
    "snapshot_shared_unknown": (("IAC-003",), ()),
    "ami_public": (("IAC-004",), ("CKV_AWS_205",)),
    "azure_snapshot_public": (("IAC-003",), ()),
    "azure_nsg_ssh_open": (("IAC-010",), ("CKV_AZURE_10",)),
    "azure_app_http": (("IAC-042",), ("CKV_AZURE_14",)),
    "azure_app_ftp": (("IAC-044",), ("CKV_AZURE_78",)),
    "azure_storage_tls10": (("IAC-041",), ("CKV_AZURE_44",)),
    "gcp_firewall_ssh_open": (("IAC-010",), ("CKV_GCP_2",)),
    "gcp_image_public": (("IAC-004",), ()),
    "rds_critical_single_az": (("IAC-071",), ("CKV_AWS_157",)),
    "cfn_volume_unencrypted": (("IAC-001",), ("CKV_AWS_3",)),
    "cfn_sg_ssh_open": (("IAC-010",), ("CKV_AWS_24",)),
    "cfn_admin_policy": (("IAC-020",), ("CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_1", "CKV_AWS_109", "CKV_AWS_110")),
    "cfn_trail_single_region": (("IAC-030",), ("CKV_AWS_67",)),
    "cfn_http_listener": (("IAC-040",), ("CKV_AWS_2",)),
}


def _tf_module(i: int) -> tuple[str, list[Planted]]:
    """One Terraform folder: 14 resources, a few of them misconfigured (which ones rotates with ``i``)."""
    n = f"m{i:02d}"
    planted: list[Planted] = []

    def plant(kind: str, resource: str) -> None:
        ours, checkov = KINDS[kind]
        planted.append(Planted(kind, resource, ours, checkov))

    bad = {kind for j, kind in enumerate(k for k in KINDS if not k.startswith("cfn_")) if (j + i) % 6 == 0}
    blocks: list[str] = []
    enc = "false" if "ebs_unencrypted" in bad else "true"
    blocks.append(f'resource "aws_ebs_volume" "data_{n}" {{\n  availability_zone = "ap-northeast-1a"\n'
                  f'  size = 50\n  encrypted = {enc}\n}}\n')
    if enc == "false":
        plant("ebs_unencrypted", f"aws_ebs_volume.data_{n}")
    ssh = "0.0.0.0/0" if "sg_ssh_open" in bad else "10.0.0.0/8"
    blocks.append(f'resource "aws_security_group" "ssh_{n}" {{\n  name = "ssh-{n}"\n  description = "ssh"\n'
                  f'  ingress {{\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n'
                  f'    cidr_blocks = ["{ssh}"]\n  }}\n}}\n')
    if "sg_ssh_open" in bad:
        plant("sg_ssh_open", f"aws_security_group.ssh_{n}")
    rdp = "0.0.0.0/0" if "sg_rdp_range_open" in bad else "10.1.0.0/16"
    blocks.append(f'resource "aws_security_group" "rdp_{n}" {{\n  name = "rdp-{n}"\n  description = "rdp"\n'
                  f'  ingress {{\n    from_port = 3380\n    to_port = 3390\n    protocol = "tcp"\n'
                  f'    cidr_blocks = ["{rdp}"]\n  }}\n}}\n')
    if "sg_rdp_range_open" in bad:
        plant("sg_rdp_range_open", f"aws_security_group.rdp_{n}")
    pg = "0.0.0.0/0" if "sg_postgres_open" in bad else "10.2.0.0/16"
    blocks.append(f'resource "aws_security_group_rule" "pg_{n}" {{\n  type = "ingress"\n  from_port = 5432\n'
                  f'  to_port = 5432\n  protocol = "tcp"\n  cidr_blocks = ["{pg}"]\n  security_group_id = "sg-1"\n}}\n')
    if "sg_postgres_open" in bad:
        plant("sg_postgres_open", f"aws_security_group_rule.pg_{n}")
    everything = '"-1"' if "sg_all_open" in bad else '"tcp"'
    to_port = 0 if "sg_all_open" in bad else 443
    from_port = 0 if "sg_all_open" in bad else 443
    blocks.append(f'resource "aws_security_group" "web_{n}" {{\n  name = "web-{n}"\n  description = "web"\n'
                  f'  ingress {{\n    from_port = {from_port}\n    to_port = {to_port}\n    protocol = {everything}\n'
                  f'    cidr_blocks = ["0.0.0.0/0"]\n  }}\n}}\n')
    if "sg_all_open" in bad:
        plant("sg_all_open", f"aws_security_group.web_{n}")
    action = '"*"' if "iam_admin_policy" in bad else '["s3:GetObject"]'
    resource = '"*"' if "iam_admin_policy" in bad else f'"arn:aws:s3:::bucket-{n}/*"'
    blocks.append(f'resource "aws_iam_policy" "policy_{n}" {{\n  name = "policy-{n}"\n  policy = jsonencode({{\n'
                  f'    Version = "2012-10-17"\n    Statement = [{{ Effect = "Allow", Action = {action}, '
                  f'Resource = {resource} }}]\n  }})\n}}\n')
    if "iam_admin_policy" in bad:
        plant("iam_admin_policy", f"aws_iam_policy.policy_{n}")
    condition = "" if "admin_role_no_mfa" in bad else \
        ', Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }'
    blocks.append(f'resource "aws_iam_role" "admin_{n}" {{\n  name = "admin-{n}"\n'
                  f'  assume_role_policy = jsonencode({{\n'
                  f'    Version = "2012-10-17"\n    Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", '
                  f'Principal = {{ AWS = "arn:aws:iam::111122223333:root" }}{condition} }}]\n  }})\n}}\n'
                  f'resource "aws_iam_role_policy_attachment" "admin_{n}" {{\n  role = aws_iam_role.admin_{n}.name\n'
                  f'  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}}\n')
    if "admin_role_no_mfa" in bad:
        plant("admin_role_no_mfa", f"aws_iam_role.admin_{n}")
    multi = "false" if "trail_single_region" in bad else "true"
    blocks.append(f'resource "aws_cloudtrail" "trail_{n}" {{\n  name = "trail-{n}"\n  s3_bucket_name = "trail"\n'
                  f'  is_multi_region_trail = {multi}\n  enable_log_file_validation = true\n'
                  f'  kms_key_id = "arn:aws:kms:ap-northeast-1:111122223333:key/k"\n}}\n')
    if multi == "false":
        plant("trail_single_region", f"aws_cloudtrail.trail_{n}")
    if "alb_http_no_redirect" in bad:
        blocks.append(f'resource "aws_lb_listener" "http_{n}" {{\n  load_balancer_arn = "arn:lb"\n  port = 80\n'
                      f'  protocol = "HTTP"\n  default_action {{\n    type = "forward"\n'
                      f'    target_group_arn = "arn:tg"\n  }}\n}}\n')
        plant("alb_http_no_redirect", f"aws_lb_listener.http_{n}")
    policy = "ELBSecurityPolicy-TLS-1-1-2017-01" if "alb_tls11" in bad else "ELBSecurityPolicy-TLS13-1-2-2021-06"
    blocks.append(f'resource "aws_lb_listener" "https_{n}" {{\n  load_balancer_arn = "arn:lb"\n  port = 443\n'
                  f'  protocol = "HTTPS"\n  ssl_policy = "{policy}"\n  certificate_arn = "arn:cert"\n'
                  f'  default_action {{\n    type = "forward"\n    target_group_arn = "arn:tg"\n  }}\n}}\n')
    if "alb_tls11" in bad:
        plant("alb_tls11", f"aws_lb_listener.https_{n}")
    if "snapshot_shared_unknown" in bad:
        blocks.append(f'resource "aws_snapshot_create_volume_permission" "share_{n}" {{\n  snapshot_id = "snap-1"\n'
                      f'  account_id = "999988887777"\n}}\n')
        plant("snapshot_shared_unknown", f"aws_snapshot_create_volume_permission.share_{n}")
    if "ami_public" in bad:
        blocks.append(f'resource "aws_ami_launch_permission" "ami_{n}" {{\n  image_id = "ami-12345678"\n'
                      f'  group = "all"\n}}\n')
        plant("ami_public", f"aws_ami_launch_permission.ami_{n}")
    public = "true" if "azure_snapshot_public" in bad else "false"
    policy_line = "" if "azure_snapshot_public" in bad else '\n  network_access_policy = "DenyAll"'
    blocks.append(f'resource "azurerm_snapshot" "snap_{n}" {{\n  name = "snap-{n}"\n  location = "eastasia"\n'
                  f'  resource_group_name = "rg"\n  create_option = "Copy"\n  source_uri = "/disk"\n'
                  f'  public_network_access_enabled = {public}{policy_line}\n}}\n')
    if public == "true":
        plant("azure_snapshot_public", f"azurerm_snapshot.snap_{n}")
    source = "*" if "azure_nsg_ssh_open" in bad else "10.0.0.0/8"
    blocks.append(f'resource "azurerm_network_security_rule" "nsg_{n}" {{\n  name = "ssh-{n}"\n  priority = 100\n'
                  f'  direction = "Inbound"\n  access = "Allow"\n  protocol = "Tcp"\n  source_port_range = "*"\n'
                  f'  destination_port_range = "22"\n  source_address_prefix = "{source}"\n'
                  f'  destination_address_prefix = "*"\n  resource_group_name = "rg"\n'
                  f'  network_security_group_name = "nsg"\n}}\n')
    if source == "*":
        plant("azure_nsg_ssh_open", f"azurerm_network_security_rule.nsg_{n}")
    https = "false" if "azure_app_http" in bad else "true"
    ftps = "AllAllowed" if "azure_app_ftp" in bad else "Disabled"
    blocks.append(f'resource "azurerm_app_service" "app_{n}" {{\n  name = "app-{n}"\n  location = "eastasia"\n'
                  f'  resource_group_name = "rg"\n  app_service_plan_id = "plan"\n  https_only = {https}\n'
                  f'  site_config {{\n    ftps_state = "{ftps}"\n    min_tls_version = "1.2"\n  }}\n}}\n')
    if https == "false":
        plant("azure_app_http", f"azurerm_app_service.app_{n}")
    if ftps == "AllAllowed":
        plant("azure_app_ftp", f"azurerm_app_service.app_{n}")
    tls = "TLS1_0" if "azure_storage_tls10" in bad else "TLS1_2"
    blocks.append(f'resource "azurerm_storage_account" "st{n}" {{\n  name = "st{n}"\n  resource_group_name = "rg"\n'
                  f'  location = "eastasia"\n  account_tier = "Standard"\n  account_replication_type = "GRS"\n'
                  f'  min_tls_version = "{tls}"\n}}\n')
    if tls == "TLS1_0":
        plant("azure_storage_tls10", f"azurerm_storage_account.st{n}")
    ranges = "0.0.0.0/0" if "gcp_firewall_ssh_open" in bad else "35.235.240.0/20"
    blocks.append(f'resource "google_compute_firewall" "fw_{n}" {{\n  name = "fw-{n}"\n  network = "default"\n'
                  f'  allow {{\n    protocol = "tcp"\n    ports = ["22"]\n  }}\n  source_ranges = ["{ranges}"]\n}}\n')
    if "gcp_firewall_ssh_open" in bad:
        plant("gcp_firewall_ssh_open", f"google_compute_firewall.fw_{n}")
    if "gcp_image_public" in bad:
        blocks.append(f'resource "google_compute_image_iam_member" "img_{n}" {{\n  image = "golden"\n'
                      f'  role = "roles/compute.imageUser"\n  member = "allUsers"\n}}\n')
        plant("gcp_image_public", f"google_compute_image_iam_member.img_{n}")
    multi_az = "false" if "rds_critical_single_az" in bad else "true"
    blocks.append(f'resource "aws_db_instance" "db_{n}" {{\n  engine = "postgres"\n  engine_version = "16.3"\n'
                  f'  instance_class = "db.r6g.large"\n  storage_encrypted = true\n  backup_retention_period = 14\n'
                  f'  multi_az = {multi_az}\n  tags = {{\n    Critical = "true"\n  }}\n}}\n')
    if multi_az == "false":
        plant("rds_critical_single_az", f"aws_db_instance.db_{n}")
    return "\n".join(blocks), planted


def _cfn_template(i: int) -> tuple[str, list[Planted]]:
    """One CloudFormation template (YAML with short-form tags): 6 resources, some misconfigured."""
    n = f"T{i:02d}"
    planted: list[Planted] = []
    bad = {kind for j, kind in enumerate(k for k in KINDS if k.startswith("cfn_")) if (j + i) % 3 == 0}

    def plant(kind: str, resource: str) -> None:
        ours, checkov = KINDS[kind]
        planted.append(Planted(kind, resource, ours, checkov))

    enc = "false" if "cfn_volume_unencrypted" in bad else "true"
    cidr = "0.0.0.0/0" if "cfn_sg_ssh_open" in bad else "10.0.0.0/8"
    action = '"*"' if "cfn_admin_policy" in bad else '"s3:GetObject"'
    resource = '"*"' if "cfn_admin_policy" in bad else '!Sub "arn:aws:s3:::${Bucket' + n + '}/*"'
    multi = "false" if "cfn_trail_single_region" in bad else "true"
    protocol = "HTTP" if "cfn_http_listener" in bad else "HTTPS"
    extra = "" if protocol == "HTTP" else (
        "\n      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06"
        "\n      Certificates:\n        - CertificateArn: arn:cert")
    text = f"""AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env{n}:
    Type: String
    Default: prod
Resources:
  Volume{n}:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: !Select [0, !GetAZs ""]
      Size: 20
      Encrypted: {enc}
  Sg{n}:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub "ssh ${{Env{n}}}"
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: {cidr}
  Policy{n}:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: {action}
            Resource: {resource}
  Bucket{n}:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
  Trail{n}:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref Bucket{n}
      IsMultiRegionTrail: {multi}
      EnableLogFileValidation: true
  Listener{n}:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: arn:lb
      Port: 443
      Protocol: {protocol}{extra}
      DefaultActions:
        - Type: forward
          TargetGroupArn: arn:tg
"""
    for kind, name in (("cfn_volume_unencrypted", f"Volume{n}"), ("cfn_sg_ssh_open", f"Sg{n}"),
                       ("cfn_admin_policy", f"Policy{n}"), ("cfn_trail_single_region", f"Trail{n}"),
                       ("cfn_http_listener", f"Listener{n}")):
        if kind in bad:
            plant(kind, name)
    return text, planted


def generate(root: Path, *, modules: int = 20, templates: int = 12) -> tuple[int, list[Planted]]:
    """Write the corpus below ``root``; return the number of resources and the planted misconfigurations."""
    planted: list[Planted] = []
    resources = 0
    for i in range(modules):
        text, found = _tf_module(i)
        folder = root / "terraform" / f"m{i:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "main.tf").write_text(text, encoding="utf-8")
        resources += text.count('\nresource "') + text.startswith('resource "')
        planted += found
    for i in range(templates):
        text, found = _cfn_template(i)
        folder = root / "cloudformation"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"stack{i:02d}.yaml").write_text(text, encoding="utf-8")
        resources += text.count("\n    Type: AWS::")
        planted += found
    (root / "planted.json").write_text(json.dumps([asdict(p) for p in planted], indent=1), encoding="utf-8")
    return resources, planted
