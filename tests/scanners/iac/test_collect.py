"""Reading IaC inputs: Terraform variables, tfvars, locals and local modules; plan JSON; CloudFormation
short-form tags; Kubernetes multi-document YAML; malformed files as errors; line numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from csmguard.scanners.iac.collect import collect
from csmguard.scanners.iac.facts import IacFacts
from csmguard.scanners.iac.network import Ingress, parse_port_spec
from csmguard.scanners.iac.yamlload import load_documents
from csmguard.scanning.progress import NoProgress


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def _by_address(facts: IacFacts) -> dict[str, dict[str, object]]:
    return {r.address: dict(r.attributes) for r in facts.resources}


def test_variables_tfvars_auto_tfvars_locals_and_modules(tmp_path: Path) -> None:
    _write(tmp_path, {
        "infra/main.tf": """
variable "env" { default = "dev" }
variable "size" { default = 10 }
variable "encrypt" { default = false }
locals {
  name = "${var.env}-data"
  tags = { Critical = "true", Env = var.env }
}
resource "aws_ebs_volume" "data" {
  availability_zone = "ap-northeast-1a"
  size      = var.size
  encrypted = var.encrypt
  tags      = local.tags
}
module "db" {
  source    = "./modules/db"
  multi_az  = var.encrypt
  db_name   = local.name
}
module "remote" {
  source = "terraform-aws-modules/vpc/aws"
}
""",
        "infra/terraform.tfvars": 'env = "prod"\nsize = 20\n',
        "infra/zz.auto.tfvars": "encrypt = true\n",
        "infra/modules/db/main.tf": """
variable "multi_az" { default = false }
variable "db_name" {}
resource "aws_db_instance" "this" {
  identifier = var.db_name
  multi_az   = var.multi_az
  engine     = "postgres"
}
""",
    })
    facts = collect([tmp_path / "infra"], progress=NoProgress())
    assert facts.errors == ()
    resources = _by_address(facts)
    assert set(resources) == {"aws_ebs_volume.data", "module.db.aws_db_instance.this"}
    volume = resources["aws_ebs_volume.data"]
    assert volume["size"] == 20 and volume["encrypted"] is True  # tfvars, then auto.tfvars override defaults
    assert volume["tags"] == {"Critical": "true", "Env": "prod"}
    db = resources["module.db.aws_db_instance.this"]
    assert db["identifier"] == "prod-data" and db["multi_az"] is True
    # the module folder is evaluated through its call only, not a second time as a root
    assert sum(1 for r in facts.resources if r.type == "aws_db_instance") == 1
    assert facts.files_read == 4 and facts.files_parsed == 4


def test_terraform_lines_and_paths_are_as_the_user_named_the_target(tmp_path: Path) -> None:
    _write(tmp_path, {"tf/a.tf": '\n\n# volume\nresource "aws_ebs_volume" "v" {\n  size = 1\n}\n'})
    facts = collect([tmp_path / "tf"], progress=NoProgress())
    (volume,) = facts.resources
    assert volume.line == 4
    assert volume.file == f"{tmp_path / 'tf'}/a.tf"


def test_plan_json_root_and_child_modules(tmp_path: Path) -> None:
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {
            "resources": [{"address": "aws_ebs_volume.root", "mode": "managed", "type": "aws_ebs_volume",
                           "name": "root", "values": {"encrypted": False}}],
            "child_modules": [{"address": "module.a", "resources": [], "child_modules": [{
                "address": "module.a.module.b",
                "resources": [{"address": "module.a.module.b.aws_ebs_volume.deep", "mode": "managed",
                               "type": "aws_ebs_volume", "name": "deep", "values": {"encrypted": True}}]}]}],
        }},
    }
    _write(tmp_path, {"plan.json": json.dumps(plan), "package.json": '{"name": "not iac"}'})
    facts = collect([tmp_path], progress=NoProgress())
    assert _by_address(facts) == {"aws_ebs_volume.root": {"encrypted": False},
                                  "module.a.module.b.aws_ebs_volume.deep": {"encrypted": True}}
    assert {r.source for r in facts.resources} == {"tfplan"}
    assert facts.files_skipped == 1 and facts.errors == ()


def test_plan_values_known_only_after_apply_are_expressions(tmp_path: Path) -> None:
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_ebs_volume.v", "mode": "managed", "type": "aws_ebs_volume", "name": "v",
             "values": {"size": 10, "tags": {"a": "b"}}}]}},
        "resource_changes": [{"address": "aws_ebs_volume.v", "change": {
            "after_unknown": {"encrypted": True, "id": True, "tags": {}}}}],
    }
    _write(tmp_path, {"plan.json": json.dumps(plan)})
    (volume,) = collect([tmp_path], progress=NoProgress()).resources
    assert volume.attributes["encrypted"] == "${(known after apply)}"
    assert volume.attributes["size"] == 10 and volume.attributes["tags"] == {"a": "b"}


def test_cloudformation_short_form_tags_without_touching_pyyaml(tmp_path: Path) -> None:
    _write(tmp_path, {"stack.yaml": """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Size: {Type: Number, Default: 30}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Vol:
    Type: AWS::EC2::Volume
    Properties:
      Size: !Ref Size
      AvailabilityZone: !Select [0, !GetAZs ""]
      KmsKeyId: !GetAtt Key.Arn
      Encrypted: !If [IsProd, true, false]
      Tags:
        - {Key: Name, Value: !Sub "${AWS::StackName}-vol"}
        - {Key: Joined, Value: !Join ["-", [a, !Ref Env]]}
  Key:
    Type: AWS::KMS::Key
    Properties: {}
"""})
    facts = collect([tmp_path], progress=NoProgress())
    vol = facts.lookup(f"{tmp_path}/stack.yaml", "Vol")
    assert vol is not None and vol.line == 7 and vol.type == "AWS::EC2::Volume"
    assert vol.attributes["Size"] == 30  # a parameter's default replaces !Ref
    assert vol.attributes["KmsKeyId"] == {"Fn::GetAtt": ["Key", "Arn"]}
    assert vol.attributes["Encrypted"] == {"Fn::If": ["IsProd", True, False]}
    assert vol.attributes["AvailabilityZone"] == {"Fn::Select": [0, {"Fn::GetAZs": ""}]}
    assert vol.attributes["Tags"][1]["Value"] == {"Fn::Join": ["-", ["a", {"Ref": "Env"}]]}
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.safe_load("a: !Ref b")  # PyYAML's own SafeLoader is unchanged


def test_kubernetes_multi_document_with_lines() -> None:
    docs = list(load_documents("a: 1\n---\n# c\nkind: Pod\n"))
    assert docs == [(1, {"a": 1}), (4, {"kind": "Pod"})]


def test_malformed_files_become_errors_and_the_rest_is_scanned(tmp_path: Path) -> None:
    _write(tmp_path, {
        "good/main.tf": 'resource "aws_ebs_volume" "ok" {\n  size = 1\n}\n',
        "good/broken.tf": 'resource "aws_ebs_volume" "bad" {\n  size = \n',
        "bad.yaml": "Resources:\n  X: [unclosed\n",
        "bad.json": "{\"Resources\": ",
        "k8s.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n",
        "notes.yaml": "just: a config file\n",
        "good/terraform.tfvars": "x = = 1\n",
    })
    facts = collect([tmp_path], progress=NoProgress())
    assert {r.address for r in facts.resources} == {"aws_ebs_volume.ok", "Pod/default/p"}
    bad = {Path(e.path or "").name: e.message for e in facts.errors}
    assert set(bad) == {"broken.tf", "bad.yaml", "bad.json", "terraform.tfvars"}
    assert bad["broken.tf"].startswith("not valid HCL")
    assert bad["bad.yaml"].startswith("not valid YAML")
    assert bad["bad.json"].startswith("not valid JSON")
    # read = evaluated + not IaC + rejected
    assert facts.files_read == 7
    assert facts.files_parsed == 2 and facts.files_skipped == 1
    assert facts.files_read - facts.files_parsed - facts.files_skipped == len(facts.errors)


def test_excludes_and_missing_targets(tmp_path: Path) -> None:
    _write(tmp_path, {"a/main.tf": 'resource "aws_s3_bucket" "a" {}\n',
                      "b/main.tf": 'resource "aws_s3_bucket" "b" {}\n'})
    facts = collect([tmp_path, tmp_path / "nope"], excludes=["b/*"], progress=NoProgress())
    assert [r.address for r in facts.resources] == ["aws_s3_bucket.a"]
    assert [e.message for e in facts.errors] == ["no such file or folder"]


@pytest.mark.parametrize(("spec", "ranges"), [
    (22, [(22, 22)]), ("22", [(22, 22)]), ("22-25", [(22, 25)]), ("*", [(0, 65535)]),
    (["80", "443", "8000-8080"], [(80, 80), (443, 443), (8000, 8080)]), ("25-22", [(22, 25)]),
    ("ssh", None), (["22", "${var.port}"], None),
])
def test_port_specifications(spec: object, ranges: list[tuple[int, int]] | None) -> None:
    assert parse_port_spec(spec) == ranges


def test_ingress_range_membership() -> None:
    rule = Ingress("r", "tcp", ((20, 25), (3000, 4000)), ("::/0",))
    assert rule.from_internet and rule.exposes(22) and rule.exposes(3389) and not rule.exposes(443)
    assert not rule.all_ports
    assert Ingress("r", "all", ((0, 65535),), ("10.0.0.0/8",)).all_ports


def test_terraform_json_configuration(tmp_path: Path) -> None:
    config = {
        "variable": {"enc": {"default": False}},
        "resource": {"aws_ebs_volume": {"cdk": {"size": 5, "encrypted": "${var.enc}"}},
                     "aws_security_group": {"sg": {"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp",
                                                                "cidr_blocks": ["0.0.0.0/0"]}]}}},
    }
    _write(tmp_path, {"stack/main.tf.json": json.dumps(config)})
    facts = collect([tmp_path], progress=NoProgress())
    assert facts.errors == ()
    resources = _by_address(facts)
    assert resources["aws_ebs_volume.cdk"] == {"size": 5, "encrypted": False}
    assert resources["aws_security_group.sg"]["ingress"][0]["from_port"] == 22
    assert {r.source for r in facts.resources} == {"terraform"}
