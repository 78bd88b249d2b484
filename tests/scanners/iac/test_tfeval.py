"""Terraform expressions evaluated when every part is known: conditionals, logic, comparisons, a few pure
functions and file(); anything only Terraform knows at apply time stays text (so checks say unknown)."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmguard.scanners.iac.collect import collect
from csmguard.scanners.iac.tfeval import UNKNOWN, FileAccess, Opaque, evaluate, single_interpolation
from csmguard.scanners.iac.tfexpr import resolve
from csmguard.scanning.progress import NoProgress

CONTEXT = {"var": {"off": False, "on": True, "text": "false", "n": 3, "name": "svc", "subnets": ["a", "b"]},
           "local": {}, "count": {"index": 1}}


@pytest.mark.parametrize(("body", "expected"), [
    ("false || var.off || var.on", True),
    ("var.off ? 1 : 0", 0),
    ("(var.on && !var.off) ? 1 : 0", 1),
    ("!var.on", False),
    ("var.text || var.off", False),  # "false" converts to bool in a logical operator
    ("var.off ? [] : tolist([var.off])", [False]),
    ("var.n >= 3 ? \"big\" : \"small\"", "big"),
    ("var.on ? \"${var.name}-a\" : \"b\"", "svc-a"),
    ("count.index == 1 ? var.subnets[1] : var.subnets[0]", "b"),
    ("concat(var.subnets, [\"c\"])", ["a", "b", "c"]),
    ("length(var.subnets) * 2 - 1", 3),
    ("var.on ? null : 5", None),
    ("var.off && aws_vpc.main.enable_dns", False),  # decided by its known side
])
def test_known_expressions_evaluate(body: str, expected: object) -> None:
    assert evaluate(body, CONTEXT) == expected


@pytest.mark.parametrize("body", [
    "var.missing ? 1 : 0",                # a variable without value
    "aws_vpc.main.enable_dns ? 1 : 0",    # a resource attribute known only after apply
    "var.text == true",                   # comparing string and bool: Terraform's conversion not modelled
    "[for s in var.subnets : upper(s)]",  # for expressions are not evaluated
    "jsonencode({a = 1})",                # objects are left to the document decoder
    "timestamp()",                        # functions outside the small pure set
    "var.on ? 1",                         # malformed
])
def test_undecidable_expressions_stay_unknown(body: str) -> None:
    assert evaluate(body, CONTEXT) is UNKNOWN


def test_a_condition_can_pick_a_reference_which_stays_text() -> None:
    picked = evaluate("var.off ? null : aws_s3_bucket.logs[0].bucket", CONTEXT)
    assert picked == Opaque("${aws_s3_bucket.logs[0].bucket}")
    assert resolve("${var.off ? null : aws_s3_bucket.logs[0].bucket}", CONTEXT) == "${aws_s3_bucket.logs[0].bucket}"
    assert resolve("${var.missing ? 1 : 0}", CONTEXT) == "${var.missing ? 1 : 0}"


def test_single_interpolation_only_matches_one_whole_expression() -> None:
    assert single_interpolation("${var.a ? \"}\" : var.b}") == "var.a ? \"}\" : var.b"
    assert single_interpolation("${var.a}-${var.b}") is None
    assert single_interpolation("prefix-${var.a}") is None


def test_file_reads_inside_the_scanned_folder_only(tmp_path: Path) -> None:
    root = tmp_path / "scan" / "root"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "v1.json").write_text('{"Statement": []}', encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    files = FileAccess(module=root, root=root, boundary=tmp_path / "scan")
    assert evaluate('file("policies/v1.json")', CONTEXT, files) == '{"Statement": []}'
    assert evaluate('file("${path.module}/policies/v1.json")', CONTEXT, files) == '{"Statement": []}'
    assert evaluate('file("../../secret.txt")', CONTEXT, files) is UNKNOWN
    assert evaluate('file("missing.json")', CONTEXT, files) is UNKNOWN
    assert evaluate('file("policies/v1.json")', CONTEXT) is UNKNOWN  # no access given: nothing is read


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def test_module_flags_decide_count_and_attributes(tmp_path: Path) -> None:
    """The pattern of projects that switch findings on by variables: ``flag = false || var.all`` in the
    root module, ``count = var.flag ? 1 : 0`` and ``encrypted = !var.flag`` in the child."""
    _write(tmp_path, {
        "root/main.tf": '''
variable "all" {
  default = false
}
module "ebs" {
  source       = "../modules/ebs"
  unencrypted  = false || var.all
}
''',
        "root/terraform.tfvars": "all = true\n",
        "modules/ebs/main.tf": '''
variable "unencrypted" {
  default = false
}
resource "aws_ebs_volume" "flagged" {
  count             = var.unencrypted ? 1 : 0
  availability_zone = "us-east-1a"
  encrypted         = !var.unencrypted
}
resource "aws_ebs_volume" "not_created" {
  count             = var.unencrypted ? 0 : 1
  availability_zone = "us-east-1a"
}
''',
    })
    facts = collect([tmp_path], progress=NoProgress())
    assert not facts.errors
    volumes = {r.address: r for r in facts.resources if r.type == "aws_ebs_volume"}
    assert list(volumes) == ["module.ebs.aws_ebs_volume.flagged[0]"]
    assert volumes["module.ebs.aws_ebs_volume.flagged[0]"].attributes["encrypted"] is False
    assert volumes["module.ebs.aws_ebs_volume.flagged[0]"].note == ""


def test_policy_read_with_file_is_judged(tmp_path: Path) -> None:
    _write(tmp_path, {
        "main.tf": '''
resource "aws_iam_policy" "from_file" {
  name   = "p"
  policy = file("policies/v1.json")
}
''',
        "policies/v1.json": '{"Version": "2012-10-17",'
                            ' "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}',
    })
    facts = collect([tmp_path], progress=NoProgress())
    policy = next(r for r in facts.resources if r.type == "aws_iam_policy")
    assert policy.attributes["policy"].startswith('{"Version"')
