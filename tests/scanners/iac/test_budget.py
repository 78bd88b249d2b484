"""The IaC readers within budget: bombs and deep files are errors naming the limit, links are not followed."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmguard.scanners.iac.collect import collect
from csmguard.scanning.progress import NoProgress
from tests.hostile import payloads


@pytest.mark.parametrize(("name", "content", "limit"), [
    ("stack.yaml", payloads.cfn_alias_bomb(), "MAX_YAML_EXPANDED_NODES"),
    ("k8s.yaml", payloads.k8s_alias_bomb(), "MAX_YAML_EXPANDED_NODES"),
    ("stack.json", payloads.deep_cfn_json(2000), "MAX_NESTING_DEPTH"),
    ("main.tf", payloads.deep_tf(2000), "MAX_NESTING_DEPTH"),
    ("main.tf.json", b'{"resource": {"x": ' + payloads.deep_json(2000) + b"}}", "MAX_NESTING_DEPTH"),
])
def test_bombs_and_deep_files_are_errors_and_the_other_files_are_read(tmp_path: Path, name: str, content: bytes,
                                                                       limit: str) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / name).write_bytes(content)
    (tmp_path / "good.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n", encoding="utf-8")
    facts = collect([tmp_path], progress=NoProgress())
    assert [e.path.rsplit("/", 1)[-1] for e in facts.errors if e.path] == [name]
    assert limit in facts.errors[0].message
    assert [r.address for r in facts.resources] == ["ConfigMap/default/ok"]


def test_module_folders_and_tfvars_are_not_read_through_links(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.tf").write_text('resource "aws_s3_bucket" "evil" {\n  bucket = "x"\n}\n', encoding="utf-8")
    (outside / "vars.tfvars").write_text('name = "from-outside"\n', encoding="utf-8")
    root = tmp_path / "root"
    (root / "mod").mkdir(parents=True)
    (root / "main.tf").write_text('variable "name" {\n  default = "d"\n}\nmodule "m" {\n  source = "./mod"\n}\n'
                                  'resource "aws_s3_bucket" "b" {\n  bucket = var.name\n}\n', encoding="utf-8")
    (root / "mod" / "real.tf").write_text('resource "aws_s3_bucket" "inner" {\n  bucket = "i"\n}\n', encoding="utf-8")
    (root / "mod" / "evil.tf").symlink_to(outside / "evil.tf")
    (root / "terraform.tfvars").symlink_to(outside / "vars.tfvars")
    facts = collect([root], progress=NoProgress())
    addresses = sorted(r.address for r in facts.resources)
    assert addresses == ["aws_s3_bucket.b", "module.m.aws_s3_bucket.inner"]
    bucket = next(r for r in facts.resources if r.address == "aws_s3_bucket.b")
    assert bucket.attributes["bucket"] == "d"
    assert sorted(e.message.split(";")[0] for e in facts.errors) == [
        "skipped: symbolic link to outside the scanned folder"] * 2
