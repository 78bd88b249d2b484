"""``csmguard scan messages`` end to end: formats, exit codes, language, settings."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from csmguard.cli.main import app

runner = CliRunner()


def _sample(tmp_path: Path) -> Path:
    path = tmp_path / "sms.txt"
    path.write_text("手機 0912345678 已綁定\n遮蔽後 0912-***-678\n", encoding="utf-8")
    return path


def test_json_output_and_exit_code(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", "messages", str(_sample(tmp_path)), "-f", "json", "-q"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["scanner"] == "messages"
    assert [(f["rule_id"], f["status"], f["location"]["line"]) for f in data["findings"]] == [
        ("MSG-003", "fail", 1), ("MSG-003", "pass", 2)]
    assert "0912345678" not in result.stdout
    assert data["stats"]["records_read"] == 2 and data["stats"]["records_evaluated"] == 2


def test_fail_on_never_and_english_table(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", "messages", str(_sample(tmp_path)), "--fail-on", "never", "--lang", "en"])
    assert result.exit_code == 0
    assert "Unmasked mobile number" in result.stdout


def test_sarif_and_csv_outputs(tmp_path: Path) -> None:
    sarif_path = tmp_path / "out.sarif"
    result = runner.invoke(app, ["scan", "messages", str(_sample(tmp_path)), "-f", "sarif", "-o", str(sarif_path),
                                 "-q"])
    assert result.exit_code == 1
    sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"][0]["ruleId"] == "MSG-003"
    csv_result = runner.invoke(app, ["scan", "messages", str(_sample(tmp_path)), "-f", "csv", "-q"])
    rows = list(csv.reader(io.StringIO(csv_result.stdout)))
    assert any("MSG-003" in row for row in rows[1:])


def test_settings_file_adds_an_account_format(tmp_path: Path) -> None:
    settings = tmp_path / "settings.yaml"
    settings.write_text("accounts:\n  - {name: futures, pattern: 'F[0-9]{6}'}\n", encoding="utf-8")
    path = tmp_path / "m.txt"
    path.write_text("期貨帳號 F123456 已開立\n", encoding="utf-8")
    default = runner.invoke(app, ["scan", "messages", str(path), "-f", "json", "-q"])
    assert json.loads(default.stdout)["findings"] == []
    custom = runner.invoke(app, ["scan", "messages", str(path), "--settings", str(settings), "-f", "json", "-q"])
    findings = json.loads(custom.stdout)["findings"]
    assert [(f["rule_id"], f["evidence"]["subtype"]) for f in findings] == [("MSG-006", "futures")]


def test_bad_settings_exit_2_naming_the_field(tmp_path: Path) -> None:
    settings = tmp_path / "settings.yaml"
    settings.write_text("accounts:\n  - {name: x, pattern: '([0-9'}\n", encoding="utf-8")
    result = runner.invoke(app, ["scan", "messages", str(_sample(tmp_path)), "--settings", str(settings)])
    assert result.exit_code == 2
    assert "accounts[0].pattern" in result.output
