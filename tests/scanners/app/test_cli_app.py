"""``csmguard scan app`` end to end: formats, output file, fail-on gate, baseline, exclude, language, exit codes."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from csmguard.cli.main import app

runner = CliRunner()


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    src = tmp_path / "app"
    (src / "src").mkdir(parents=True)
    (src / "src" / "Login.java").write_text(
        'class Login {\n  static final String K = "AKIAZ7Q3XW2RT5YHBN4K";\n'
        '  void f(SQLiteDatabase db, String id) { db.rawQuery("SELECT * FROM t WHERE id=" + id, null); }\n}\n',
        encoding="utf-8")
    (src / "src" / "Enc.java").write_text('class Enc { Object c = Cipher.getInstance("AES"); }\n', encoding="utf-8")
    (src / "samples").mkdir()
    (src / "samples" / "Demo.java").write_text('String k = "AKIAQ3XW2RT5YHBN4KZ7";\n', encoding="utf-8")
    return src


def test_json_output_and_exit_code(project: Path) -> None:
    result = runner.invoke(app, ["scan", "app", str(project), "--format", "json", "--quiet"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    fails = sorted((f["rule_id"], f["location"]["path"], f["location"].get("line")) for f in data["findings"]
                   if f["status"] == "fail")
    assert fails == [("APP-001", "samples/Demo.java", 1), ("APP-001", "src/Login.java", 2),
                     ("APP-022", "src/Enc.java", 1), ("APP-040", "src/Login.java", 3)]
    secret = next(f for f in data["findings"] if f["location"].get("path") == "src/Login.java"
                  and f["rule_id"] == "APP-001")
    assert "AKIAZ7Q3XW2RT5YHBN4K" not in json.dumps(secret) and secret["evidence"]["secret"] == "AKIA…(20 chars)…BN4K"
    assert data["scanner"] == "app" and data["errors"] == []


def test_exclude_and_fail_on(project: Path) -> None:
    result = runner.invoke(app, ["scan", "app", str(project), "-f", "json", "-q", "--exclude", "samples/*"])
    paths = {f["location"].get("path") for f in json.loads(result.stdout)["findings"]}
    assert "samples/Demo.java" not in paths
    # APP-022 (CSM-16.4) is 'should'; the others are 'shall': with fail-on never nothing fails the run.
    never = runner.invoke(app, ["scan", "app", str(project), "-q", "--fail-on", "never"])
    assert never.exit_code == 0


def test_should_level_only_fails_with_fail_on_should(tmp_path: Path) -> None:
    (tmp_path / "Enc.java").write_text('class Enc { Object c = Cipher.getInstance("AES"); }\n', encoding="utf-8")
    assert runner.invoke(app, ["scan", "app", str(tmp_path), "-q"]).exit_code == 0
    assert runner.invoke(app, ["scan", "app", str(tmp_path), "-q", "--fail-on", "should"]).exit_code == 1


def test_sarif_and_csv_to_file(project: Path, tmp_path: Path) -> None:
    sarif_path = tmp_path / "out" / "app.sarif"
    result = runner.invoke(app, ["scan", "app", str(project), "-f", "sarif", "-o", str(sarif_path), "-q"])
    assert result.exit_code == 1
    sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
    rule_ids = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert {"APP-001", "APP-022", "APP-040"} <= rule_ids
    csv_out = runner.invoke(app, ["scan", "app", str(project), "-f", "csv", "-q", "--lang", "en"])
    rows = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert any("SQL built by concatenation" in " ".join(r.values()) for r in rows)


def test_table_in_both_languages(project: Path) -> None:
    zh = runner.invoke(app, ["scan", "app", str(project), "-q"])
    en = runner.invoke(app, ["scan", "app", str(project), "-q", "--lang", "en"])
    assert "SQL 以字串串接組成" in zh.stdout and "SQL built by concatenation" in en.stdout


def test_baseline_suppresses_and_expired_suppression_stops_working(project: Path, tmp_path: Path) -> None:
    data = json.loads(runner.invoke(app, ["scan", "app", str(project), "-f", "json", "-q"]).stdout)
    fails = [f for f in data["findings"] if f["status"] == "fail"]
    live = date.today() + timedelta(days=30)
    baseline = tmp_path / "baseline.yaml"
    baseline.write_text(yaml.safe_dump({"suppressions": [
        {"fingerprint": f["fingerprint"], "rule_id": f["rule_id"], "reason": "accepted for the test", "owner": "sec",
         "expires": live.isoformat()} for f in fails]}), encoding="utf-8")
    result = runner.invoke(app, ["scan", "app", str(project), "-f", "json", "-q", "--baseline", str(baseline)])
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert [f for f in out["findings"] if f["status"] == "fail"] == []
    assert len(out["stats"]["suppressed"]) == len(fails)
    expired = tmp_path / "expired.yaml"
    expired.write_text(yaml.safe_dump({"suppressions": [
        {"fingerprint": fails[0]["fingerprint"], "reason": "old acceptance", "owner": "sec",
         "expires": (date.today() - timedelta(days=1)).isoformat()}]}), encoding="utf-8")
    again = runner.invoke(app, ["scan", "app", str(project), "-f", "json", "-q", "--baseline", str(expired)])
    assert again.exit_code == 1
    assert json.loads(again.stdout)["stats"]["expired_suppressions"][0]["fingerprint"] == fails[0]["fingerprint"]


def test_fingerprint_survives_line_moves(project: Path) -> None:
    def fingerprints() -> set[str]:
        data = json.loads(runner.invoke(app, ["scan", "app", str(project), "-f", "json", "-q"]).stdout)
        return {f["fingerprint"] for f in data["findings"] if f["status"] == "fail"}

    before = fingerprints()
    login = project / "src" / "Login.java"
    login.write_text("// moved\n\n" + login.read_text(encoding="utf-8"), encoding="utf-8")
    assert fingerprints() == before


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "x.apk"
    bad.write_bytes(b"nope")
    result = runner.invoke(app, ["scan", "app", str(bad), "-f", "json", "-q"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["errors"][0]["target"] == str(bad)


def test_table_groups_code_findings_by_class_and_method(project: Path) -> None:
    result = runner.invoke(app, ["scan", "app", str(project), "--quiet", "--lang", "en"])
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "Findings in code, by class and method" in out
    assert "Login.f (src/Login.java)" in out  # the SQL built in Login.f, located by its method
    assert "Enc.<init> (src/Enc.java)" in out  # "AES" alone (ECB) in a field initialiser
