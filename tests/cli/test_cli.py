from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from csmguard.cli.main import app

runner = CliRunner()


def test_catalog_export_json_prints_every_node() -> None:
    result = runner.invoke(app, ["catalog", "export", "--format", "json"])
    assert result.exit_code == 0, result.output
    nodes = json.loads(result.stdout)
    assert any(n["id"] == "CSM-14.4.3" for n in nodes)


def test_catalog_show_and_list() -> None:
    shown = runner.invoke(app, ["catalog", "show", "csm-14.4.3", "--lang", "en"])
    assert shown.exit_code == 0 and "jailbreak" in shown.stdout.lower()
    listed = runner.invoke(app, ["catalog", "list", "--domain", "mobile", "--level", "shall"])
    assert listed.exit_code == 0 and "CSM-14.5" in listed.stdout and "CSM-4.1" not in listed.stdout
    missing = runner.invoke(app, ["catalog", "show", "CSM-99"])
    assert missing.exit_code == 2


def test_catalog_verify_passes() -> None:
    result = runner.invoke(app, ["catalog", "verify"])
    assert result.exit_code == 0, result.output


def test_catalog_export_oscal_to_file(tmp_path: Path) -> None:
    out = tmp_path / "oscal-en.json"
    result = runner.invoke(app, ["catalog", "export", "-f", "oscal", "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text())["catalog"]["metadata"]["oscal-version"].startswith("1.")


def test_scope_check_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("answers:\n  allows_byod: true\n", encoding="utf-8")
    result = runner.invoke(app, ["scope", "check", str(good), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    applies = {p["id"]: p["applies"] for p in data["provisions"]}
    assert applies["CSM-15.2"] is True and applies["CSM-16.3"] is None

    bad = tmp_path / "bad.yaml"
    bad.write_text("answers:\n  allows_byod: perhaps\n", encoding="utf-8")
    result = runner.invoke(app, ["scope", "check", str(bad)])
    assert result.exit_code == 2
    assert "bad.yaml" in result.stderr and "answers" in result.stderr


def test_scope_template_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "profile.yaml"
    assert runner.invoke(app, ["scope", "template", "-o", str(out)]).exit_code == 0
    assert runner.invoke(app, ["scope", "check", str(out)]).exit_code == 0


def test_every_lazily_loaded_command_loads_and_shows_help() -> None:
    from csmguard.cli.lazy import load_command
    from csmguard.cli.main import COMMANDS
    from csmguard.cli.scan import SCANNERS

    for name, spec in {**COMMANDS, **SCANNERS}.items():
        assert load_command(name, spec).name == name
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0 and all(name in top.stdout for name in COMMANDS)
    for name in SCANNERS:
        result = runner.invoke(app, ["scan", name, "--help"])
        assert result.exit_code == 0 and "--workspace" in result.stdout, name
