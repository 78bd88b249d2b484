"""Instances of definitions: Terraform count/for_each with literal values expand to addressed instances,
unknown ones stay one instance with a note in every finding; CloudFormation resources whose Condition is
literally false are not created; registry and git modules are read from .terraform/modules/modules.json."""

from __future__ import annotations

from pathlib import Path

from csmguard.scanners.iac.collect import collect
from csmguard.scanners.iac.facts import IacFacts, IacOptions
from csmguard.scanners.iac.instances import condition_value, terraform_instances
from csmguard.scanning.progress import NoProgress
from csmguard.services.iac_scan import evaluate, load_iac_rules


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def _facts(root: Path) -> IacFacts:
    facts = collect([root], progress=NoProgress())
    assert not facts.errors, [e.describe() for e in facts.errors]
    return facts


def test_literal_count_expands_with_count_index(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": '''
variable "replicas" {
  default = 2
}
resource "aws_ecr_repository" "svc" {
  count = var.replicas
  name  = "svc-${count.index}"
}
resource "aws_ecr_repository" "none" {
  count = 0
  name  = "none"
}
'''})
    facts = _facts(tmp_path)
    assert {r.address: r.attributes["name"] for r in facts.resources} == {
        "aws_ecr_repository.svc[0]": "svc-0", "aws_ecr_repository.svc[1]": "svc-1"}
    assert all(r.note == "" for r in facts.resources)


def test_literal_for_each_expands_with_each_value(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": '''
resource "aws_ecr_repository" "by_team" {
  for_each             = { trading = "IMMUTABLE", batch = "MUTABLE" }
  name                 = each.key
  image_tag_mutability = each.value
}
resource "aws_subnet" "zones" {
  for_each                = toset(["a", "b"])
  cidr_block              = "10.0.0.0/24"
  map_public_ip_on_launch = true
}
'''})
    facts = _facts(tmp_path)
    by_address = {r.address: dict(r.attributes) for r in facts.resources}
    assert by_address['aws_ecr_repository.by_team["trading"]']["image_tag_mutability"] == "IMMUTABLE"
    assert by_address['aws_ecr_repository.by_team["batch"]']["name"] == "batch"
    assert {'aws_subnet.zones["a"]', 'aws_subnet.zones["b"]'} <= set(by_address)
    findings = evaluate(facts, load_iac_rules(), IacOptions())
    assert not [f for f in findings if f.status.value == "error"]
    ecr = {f.location.resource: f.status.value for f in findings if f.rule_id == "IAC-054"}
    assert ecr == {'aws_ecr_repository.by_team["trading"]': "pass", 'aws_ecr_repository.by_team["batch"]': "fail"}


def test_unknown_count_is_one_instance_and_every_finding_says_so(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": '''
resource "aws_ecr_repository" "svc" {
  count = length(var.names)
  name  = "svc"
}
'''})
    facts = _facts(tmp_path)
    assert [r.address for r in facts.resources] == ["aws_ecr_repository.svc"]
    findings = evaluate(facts, load_iac_rules(), IacOptions())
    ecr = [f for f in findings if f.rule_id == "IAC-054"]
    assert len(ecr) == 1 and ecr[0].status.value == "fail"
    assert "judged as one instance" in ecr[0].message.en
    assert "以單一執行個體判斷" in ecr[0].message.zh_tw
    assert "instances" in ecr[0].evidence


def test_instances_helper_limits() -> None:
    assert terraform_instances({"count": "${var.n}"})[1].startswith("count")
    assert terraform_instances({"for_each": "${var.m}"})[0] == [("", {})]
    assert len(terraform_instances({"count": 3})[0]) == 3


def test_cloudformation_condition_false_is_not_created(tmp_path: Path) -> None:
    _write(tmp_path, {"stack.yaml": '''
Parameters:
  Env:
    Type: String
    Default: dev
  Other:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Depends: !Equals [!Ref Other, x]
Resources:
  ProdRepo:
    Type: AWS::ECR::Repository
    Condition: IsProd
  DevRepo:
    Type: AWS::ECR::Repository
    Condition: IsDev
  MaybeRepo:
    Type: AWS::ECR::Repository
    Condition: Depends
'''})
    assert {r.address for r in _facts(tmp_path).resources} == {"DevRepo", "MaybeRepo"}


def test_condition_functions() -> None:
    conditions = {"A": {"Fn::Equals": ["x", "x"]}, "B": {"Fn::Equals": [{"Ref": "P"}, "y"]},
                  "AandB": {"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]},
                  "AorB": {"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]}}
    assert condition_value("A", conditions, {}) is True
    assert condition_value("B", conditions, {}) is None
    assert condition_value("AandB", conditions, {}) is None
    assert condition_value("AorB", conditions, {}) is True
    assert condition_value("AandB", conditions, {"P": "n"}) is False


def test_registry_module_is_read_from_modules_json(tmp_path: Path) -> None:
    _write(tmp_path, {
        "main.tf": 'module "registry" {\n  source  = "terraform-aws-modules/ecr/aws"\n  version = "2.0.0"\n'
                   '  mutability = "MUTABLE"\n}\n'
                   'module "missing" {\n  source = "git::https://example.invalid/x.git"\n}\n',
        ".terraform/modules/modules.json": '{"Modules":[{"Key":"","Source":"","Dir":"."},'
                                           '{"Key":"registry","Source":"registry.terraform.io/terraform-aws-modules/'
                                           'ecr/aws","Version":"2.0.0","Dir":".terraform/modules/registry"}]}',
        ".terraform/modules/registry/main.tf": 'variable "mutability" {\n  default = "IMMUTABLE"\n}\n'
                                               'resource "aws_ecr_repository" "this" {\n  name = "x"\n'
                                               '  image_tag_mutability = var.mutability\n}\n',
    })
    facts = _facts(tmp_path)
    assert {r.address: r.attributes["image_tag_mutability"] for r in facts.resources} == {
        "module.registry.aws_ecr_repository.this": "MUTABLE"}
