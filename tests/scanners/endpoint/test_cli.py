"""``csmguard scan endpoint`` end to end: formats, exit codes, refusal, baseline, bad options."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from csmguard.cli.main import app
from tests.scanners.endpoint.lab import Lab

runner = CliRunner()


def _base(lab: Lab) -> list[str]:
    return ["scan", "endpoint", "--allow-private", "--ca-file", str(lab.certs.ca_file), "--timeout", "5", "-q"]


def test_json_output_names_the_failing_rule_per_target(lab: Lab) -> None:
    good, wrong = lab.target("good"), lab.target("wrong-host")
    result = runner.invoke(app, [*_base(lab), good, wrong, "--format", "json"])
    assert result.exit_code == 0, result.output  # EP-007 bears on article 5.3's recommendation (宜), not a shall
    result = runner.invoke(app, [*_base(lab), good, wrong, "--format", "json", "--fail-on", "should"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["scanner"] == "endpoint" and data["errors"] == []
    failing = {(f["target"]["id"], f["rule_id"]) for f in data["findings"] if f["status"] == "fail"}
    assert failing == {(wrong.removesuffix("/"), "EP-007")}
    ep007 = next(f for f in data["findings"] if f["rule_id"] == "EP-007" and f["status"] == "fail")
    assert ep007["requirements"] == ["CSM-5.3"] and ep007["location"]["host"] == "127.0.0.1"
    assert "wrong.example" in ep007["message"]["en"] and "wrong.example" in ep007["message"]["zh-TW"]
    assert data["stats"]["targets_read"] == 2 and data["stats"]["targets_evaluated"] == 2


def test_fail_on_never_exits_zero_and_sarif_carries_rule_ids(lab: Lab) -> None:
    result = runner.invoke(app, [*_base(lab), lab.target("wrong-host"), "-f", "sarif", "--fail-on", "never",
                                 "--lang", "en", "--app-backend"])
    assert result.exit_code == 0, result.output
    sarif = json.loads(result.stdout)
    run = sarif["runs"][0]
    assert {"EP-007", "EP-040"} <= {r["id"] for r in run["tool"]["driver"]["rules"]}
    failing = {r["ruleId"] for r in run["results"] if r["kind"] == "fail"}
    assert {"EP-007", "EP-040"} <= failing


def test_csv_output_to_file_and_targets_file(lab: Lab, tmp_path: Path) -> None:
    targets = tmp_path / "targets.txt"
    targets.write_text(f"# lab\n{lab.target('ssh-weak')}\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, [*_base(lab), "--targets-file", str(targets), "-f", "csv", "-o", str(out),
                                 "--lang", "en", "--fail-on", "should"])
    assert result.exit_code == 1, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {(r["rule_id"], r["status"]) for r in rows} == {
        ("EP-020", "pass"), ("EP-021", "fail"), ("EP-022", "fail"), ("EP-023", "fail"), ("EP-024", "fail"),
        ("EP-025", "fail")}


def test_loopback_is_refused_without_allow_private(lab: Lab) -> None:
    result = runner.invoke(app, ["scan", "endpoint", lab.target("good"), "-f", "json", "-q"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["findings"] == []
    assert "loopback" in data["errors"][0]["message"] and "--allow-private" in data["errors"][0]["message"]


def test_baseline_suppresses_an_accepted_finding(lab: Lab, tmp_path: Path) -> None:
    wrong = lab.target("wrong-host")
    first = json.loads(runner.invoke(app, [*_base(lab), wrong, "-f", "json"]).stdout)
    fingerprint = next(f["fingerprint"] for f in first["findings"] if f["status"] == "fail")
    baseline = tmp_path / "baseline.yaml"
    baseline.write_text(f"suppressions:\n  - fingerprint: {fingerprint}\n    rule_id: EP-007\n"
                        "    reason: internal test host\n    owner: secops\n    expires: 2999-01-01\n",
                        encoding="utf-8")
    result = runner.invoke(app, [*_base(lab), wrong, "-f", "json", "--baseline", str(baseline)])
    assert result.exit_code == 0, result.output
    assert not [f for f in json.loads(result.stdout)["findings"] if f["status"] == "fail"]


def _unwrapped(text: str) -> str:
    """Standard error without the line breaks the console inserts at its width."""
    return text.replace("\n", "")


def test_bad_options_exit_2_naming_the_file(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("id: x\ntitle: {zh-TW: x, en: x}\ntls: {allowed_versions: [TLSv9]}\nssh: {}\n",
                       encoding="utf-8")
    result = runner.invoke(app, ["scan", "endpoint", "example.invalid", "--profile", str(profile)])
    assert result.exit_code == 2 and "profile.yaml" in _unwrapped(result.stderr)
    ca = tmp_path / "ca.pem"
    ca.write_text("not a certificate", encoding="utf-8")
    result = runner.invoke(app, ["scan", "endpoint", "example.invalid", "--ca-file", str(ca)])
    assert result.exit_code == 2 and "ca.pem" in _unwrapped(result.stderr)
    result = runner.invoke(app, ["scan", "endpoint"])
    assert result.exit_code == 2 and "no targets" in _unwrapped(result.stderr)
    result = runner.invoke(app, ["scan", "endpoint", "--targets-file", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2 and "missing.txt" in _unwrapped(result.stderr)


def test_table_output_in_english(lab: Lab) -> None:
    result = runner.invoke(app, [*_base(lab), lab.target("ftp-plain"), "--lang", "en", "--fail-on", "should"])
    assert result.exit_code == 1, result.output
    assert "EP-030" in result.stdout and "EP-031" in result.stdout
