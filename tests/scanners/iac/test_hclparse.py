"""The fast HCL reader gives what python-hcl2 gives on the subset it handles, and refuses the rest."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csmguard.scanners.iac.hclparse import HclSyntaxError, parse_hcl, parse_hcl_expression
from csmguard.scanners.iac.tfexpr import decode_document, hcl2_loads

RULE_FIXTURES = sorted(Path(__file__).parents[2].joinpath("rules").glob("IAC-*/**/*.tf"))

EDGE_CASES = r'''
# hash comment
// slash comment
/* block
   comment */
terraform {
  required_version = ">= 1.5"
}
locals { one_line = "x" }
variable "ports" {
  type    = list(number)
  default = [22, 3389,
    443]
}
resource "aws_instance" "web" {
  ami           = "ami-0abc"   # trailing comment
  count         = var.enabled ? 1 : 0
  user_data     = <<-EOT
    #!/bin/bash
    echo "${var.name}" > /tmp/x
  EOT
  tags = {
    Name                 = "web-${var.env}"
    "kubernetes.io/role" = "node"
    Quoted               = "say \"hi\"\tthere"
    Ref                  = join(",", ["a", "b"])
    Number               = 1.5
    Negative             = -3
    Null                 = null
  }
  list_index = ["a", "b"][0]
  cond       = "a" == var.x ? "y" : "z"
  nested_obj = { inner = { deep = [1, { x = true }] } }
  dynamic "ebs_block_device" {
    for_each = var.disks
    content {
      device_name = ebs_block_device.value.name
    }
  }
  ingress { from_port = 22 }
}
'''


def _normalised(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        if "jsonencode" in value:
            return ["jsonencode", json.dumps(decode_document(value), sort_keys=True)]
        return re.sub(r"\s+", "", value)
    return value


@pytest.mark.parametrize("path", RULE_FIXTURES, ids=[str(p.parent.parent.name) for p in RULE_FIXTURES])
def test_same_result_as_python_hcl2_on_every_rule_fixture(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = hcl2_loads(text)
    assert _normalised(parse_hcl(text)) == _normalised(expected)


def test_same_result_as_python_hcl2_on_edge_cases() -> None:
    expected = hcl2_loads(EDGE_CASES)
    got = parse_hcl(EDGE_CASES)
    assert _normalised(got) == _normalised(expected)
    tags = got["resource"][0]["aws_instance"]["web"]["tags"]
    assert tags["Quoted"] == 'say "hi"\tthere' and tags["Negative"] == -3 and tags["Null"] is None


def test_real_world_syntax_for_expressions_splats_templates_and_comments() -> None:
    text = (Path(__file__).parent / "real_world.tf").read_text(encoding="utf-8")
    assert _normalised(parse_hcl(text)) == _normalised(hcl2_loads(text))
    resource = parse_hcl(text)["resource"][0]["aws_instance"]["x"]
    assert " ".join(resource["tags"].split()) == '${merge(var.tags, { Name = "x-${each.key}" })}'
    assert resource["items"] == "${[for s in var.list : upper(s)]}"


@pytest.mark.parametrize("text", [
    'resource "a" "b" {\n  x = = 1\n}\n',
    'resource "a" "b" {\n  x = "unterminated\n}\n',
    'resource "a" "b" {\n  x = 1\n',
    'x = [for s in var.list : upper(s)] junk junk = 1\n',
    'x = <<EOT\nno end\n',
])
def test_refuses_what_it_does_not_handle(text: str) -> None:
    with pytest.raises(HclSyntaxError):
        parse_hcl(text)


def test_jsonencode_argument_in_hcl_object_syntax() -> None:
    value = parse_hcl_expression('{\n  Version = "2012-10-17"\n  Statement = [{ Action = "*", Resource = ["*"] }]\n}')
    assert value == {"Version": "2012-10-17", "Statement": [{"Action": "*", "Resource": ["*"]}]}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='abc_ ="{}[](),.:#/*\n<-1$%\\', max_size=80))
def test_any_text_is_read_or_refused_never_crashes(text: str) -> None:
    try:
        result = parse_hcl(text)
    except HclSyntaxError:
        return
    assert isinstance(result, dict)
