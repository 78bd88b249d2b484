"""Fuzz harnesses of the IaC readers: HCL (fast reader and the python-hcl2 fallback), CloudFormation and
Kubernetes YAML and JSON. Each may only give resources or one of the readers' own errors."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import example, given

from csmguard.scanners.iac.collect import yaml_resources
from csmguard.scanners.iac.collect_documents import NotIac, json_resources
from csmguard.scanners.iac.collect_terraform import TerraformReader
from csmguard.scanning.budget import BudgetExceeded
from tests.fuzz.strategies import inputs
from tests.hostile import payloads

HCL = b'''resource "aws_s3_bucket" "b" {
  bucket = "logs-${var.env}"
  tags   = { Name = "x", list = [1, 2, [3, { a = true }]] }
  policy = <<POLICY
{"Statement": [{"Effect": "Allow"}]}
POLICY
  dynamic "rule" {
    for_each = var.rules
    content { id = rule.value }
  }
}
'''
CFN = b'''AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
x: &anchor [a, b]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "logs-${Env}"
      Tags: *anchor
      Encryption: !If [IsProd, !Ref Key, !Ref "AWS::NoValue"]
'''
K8S = b'''apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers: [{name: a, image: "nginx:1.25", securityContext: {privileged: true}}]
---
apiVersion: v1
kind: List
items: [{apiVersion: v1, kind: Service, metadata: {name: s}}]
'''
CFN_JSON = json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
    "B": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [{"Key": "a", "Value": "b"}]}}}}).encode()


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


@given(inputs(HCL))
@example(payloads.deep_tf(2000))  # RecursionError in the fast reader, rc 1 before the budget
@example(payloads.deep_tf_blocks(300))
def test_hcl(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "main.tf")
        path.write_bytes(data)
        reader = TerraformReader(display=lambda p: p.name, target=folder)
        parsed = reader.load_dir(Path(folder))
    assert reader.files_read == 1
    assert len(parsed) + len(reader.errors) == 1
    assert all(e.path == "main.tf" and e.message for e in reader.errors)


@given(inputs(CFN))
@example(payloads.cfn_alias_bomb())  # grew scan iac to 4 GB before the YAML budget
def test_cloudformation_yaml(data: bytes) -> None:
    try:
        resources = yaml_resources(_text(data), "t.yaml")
    except (NotIac, yaml.YAMLError, BudgetExceeded):
        return
    assert all(r.address for r in resources)


@given(inputs(K8S))
@example(payloads.k8s_alias_bomb())
@example(payloads.deep_block_yaml(300))
def test_kubernetes_yaml(data: bytes) -> None:
    try:
        resources = yaml_resources(_text(data), "k.yaml")
    except (NotIac, yaml.YAMLError, BudgetExceeded):
        return
    assert all(r.address for r in resources)


@given(inputs(CFN_JSON))
@example(payloads.deep_cfn_json(2000))  # RecursionError in json.loads, rc 1 before the budget
def test_iac_json(data: bytes) -> None:
    try:
        resources = json_resources(_text(data), "t.json")
    except (NotIac, ValueError):  # json.JSONDecodeError and BudgetExceeded are ValueErrors
        return
    assert all(r.address for r in resources)
