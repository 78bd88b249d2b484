"""The workspace commands end to end: init, register …, check, attest, exception, evidence."""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.evidence import blob_path

runner = CliRunner()


def run(*args: str, ws: Path | None = None) -> tuple[int, str, str]:
    argv = list(args) + (["--workspace", str(ws)] if ws is not None else [])
    result = runner.invoke(app, argv)
    return result.exit_code, result.stdout, " ".join(result.stderr.split())  # stderr unwrapped


def test_init_and_register_commands(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    code, _, err = run("init", str(ws), "--lang", "en")
    assert code == 0 and "Created workspace" in err
    assert run("init", str(ws))[0] == 2
    code, _, err = run("register", "devices", "add", "device_id=PH-1", "owner=Amy", "ownership=byod", ws=ws)
    assert code == 0 and "PH-1" in err
    code, _, err = run("register", "devices", "add", "device_id=PH-2", "ownership=rented", ws=ws)
    assert code == 2 and "owner" in err and "ownership" in err
    code, out, _ = run("register", "devices", "list", "--json", ws=ws)
    assert [d["device_id"] for d in json.loads(out)] == ["PH-1"]
    assert run("register", "devices", "update", "PH-1", "department=IT", "platform=iOS", ws=ws)[0] == 0
    code, out, _ = run("register", "devices", "show", "1", "--json", ws=ws)
    assert json.loads(out)[0]["department"] == "IT"
    code, out, _ = run("register", "devices", "show", "PH-1", "--lang", "en", ws=ws)
    assert code == 0 and "Department (department)" in out
    exported = tmp_path / "devices.xlsx"
    assert run("register", "devices", "export", "-f", "xlsx", "-o", str(exported), ws=ws)[0] == 0
    assert run("register", "devices", "delete", "PH-1", ws=ws)[0] == 0
    assert run("register", "devices", "show", "PH-1", ws=ws)[0] == 2
    code, _, err = run("register", "devices", "import", str(exported), ws=ws)
    assert code == 0 and "created 新增 1" in err
    code, out, _ = run("register", "summary", "--lang", "en", ws=ws)
    assert code == 0 and "Mobile devices" in out and "│ 1 " in out.split("Mobile devices")[1]
    template = tmp_path / "t.csv"
    assert run("register", "byod-agreements", "template", "-f", "csv", "--lang", "en", "-o", str(template))[0] == 0
    assert template.read_text(encoding="utf-8-sig").startswith("Holder,Device ID,Permitted purposes")


def test_import_with_bad_rows_exits_2_and_lists_every_row(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run("init", str(ws))
    bad = tmp_path / "bad.csv"
    bad.write_text("Device ID,Owner,Ownership\nA,Amy,company\nB,,company\nC,Cid,rented\n", encoding="utf-8")
    code, _, err = run("register", "devices", "import", str(bad), ws=ws)
    assert code == 2
    assert "2 error(s)" in err and "row 3, column Owner" in err and "row 4, column Ownership" in err
    assert json.loads(run("register", "devices", "list", "--json", ws=ws)[1]) == []


def test_profile_load_and_check(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run("init", str(ws))
    profile = tmp_path / "profile.yaml"
    profile.write_text("organization: 範例證券\nanswers:\n  staff_use_social_media: true\n", encoding="utf-8")
    assert run("register", "profile", "load", str(profile), ws=ws)[0] == 0
    code, out, _ = run("check", "--format", "json", "--as-of", "2026-06-30", ws=ws)
    assert code == 1
    doc = json.loads(out)
    assert doc["scanner"] == "register"
    assert [(f["rule_id"], f["status"]) for f in doc["findings"]] == [("REG-009", "fail"), ("REG-014", "fail"),
                                                                     ("REG-018", "fail")]
    code, out, _ = run("check", "--format", "json", "--fail-on", "never", ws=ws)
    assert code == 0


def test_attest_exception_and_evidence(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run("init", str(ws))
    file = tmp_path / "policy.pdf"
    file.write_bytes(b"%PDF-1.4 policy")
    code, out, _ = run("evidence", "add", str(file), ws=ws)
    sha = out.split()[0]
    assert code == 0 and len(sha) == 64
    code, out, _ = run("attest", "add", "CSM-10.1", "--status", "implemented", "--statement", "Approved",
                       "--by", "Amy", "--expires", "2020-01-01", "-e", sha, ws=ws)
    assert code == 0
    code, out, _ = run("attest", "list", "--lang", "en", ws=ws)
    assert "CSM-10.1" in out and "(expired)" in out
    assert run("attest", "add", "CSM-99", "--status", "implemented", "--statement", "x", "--by", "a", ws=ws)[0] == 2
    code, out, _ = run("exception", "add", "CSM-4.3", "--rationale", "No on-site audits", "--controls",
                       "SOC 2 report", "--approver", "CISO", "--expires", "2030-12-31", "--rule", "REG-002", ws=ws)
    assert code == 0
    code, out, _ = run("exception", "list", "--json", ws=ws)
    assert json.loads(out)[0]["rule_ids"] == ["REG-002"]
    code, out, _ = run("evidence", "cat", sha[:12], ws=ws)
    assert code == 0 and out == "%PDF-1.4 policy"
    assert run("evidence", "verify", ws=ws)[0] == 0
    stored = blob_path(ws / "evidence", sha)
    os.chmod(stored, 0o644)
    stored.write_bytes(b"%PDF-1.4 forged")
    code, _, err = run("evidence", "verify", "--lang", "en", ws=ws)
    assert code == 1 and "modified" in err and "policy.pdf" in err
    code, _, err = run("evidence", "cat", sha, ws=ws)
    assert code == 2 and "altered on disk" in err


def test_commands_refuse_a_folder_that_is_not_a_workspace(tmp_path: Path) -> None:
    code, _, err = run("register", "devices", "list", ws=tmp_path)
    assert code == 2 and "not a CSM Guard workspace" in err
