"""``csmguard task`` (issue #17.1): open from a finding and from every non-compliant requirement, assign,
move, list (zh-TW by default, English with --lang en, JSON), close with a file of evidence; bad input is exit 2
with a message, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import orjson
from typer.testing import CliRunner

from csmguard.auth.roles import Role
from csmguard.cli.main import app
from csmguard.services.workspace import latest_findings
from csmguard.workspace import Workspace

runner = CliRunner()


def _run(ws: Workspace, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "-w", str(ws.root)])
    return result.exit_code, result.stdout, result.stderr


def test_the_task_commands(ws: Workspace, infra: Path, users: Callable[[str, Role], str], tmp_path: Path) -> None:
    users("mei", Role.ENGINEER)
    assert _run(ws, "scan", "iac", str(infra), "--fail-on", "never", "-q")[0] == 0
    fingerprint = next(f.fingerprint for f in latest_findings(ws) if f.status.value == "fail")
    due = (date.today() - timedelta(days=1)).isoformat()
    code, out, err = _run(ws, "task", "open", "--finding", fingerprint, "--owner", "mei", "--due", due, "--by", "lead")
    assert code == 0, err
    task_id = out.strip()
    assert "已建立任務" in err
    assert _run(ws, "assess")[0] == 0
    code, out, err = _run(ws, "task", "sync", "--lang", "en")
    assert code == 0 and "Opened" in err and len(out.split()) >= 1
    code, out, _ = _run(ws, "task", "list", "--owner", "mei")
    assert code == 0 and "改善任務 (1)" in out and "已逾期" in out and "待處理" in out
    code, out, _ = _run(ws, "task", "list", "--owner", "mei", "--lang", "en")
    assert "Remediation tasks (1)" in out and "overdue" in out and "open" in out
    assert _run(ws, "task", "move", task_id[:8], "in_progress")[0] == 0
    code, _, err = _run(ws, "task", "move", task_id, "closed")
    assert code == 2 and "closes with evidence" in " ".join(err.split())
    proof = tmp_path / "fix.txt"
    proof.write_text("security group narrowed to the office range\n", encoding="utf-8")
    code, _, err = _run(ws, "task", "close", task_id, "--evidence", str(proof), "--note", "fixed")
    assert code == 0 and "已結案" in err
    [listed] = orjson.loads(_run(ws, "task", "list", "--owner", "mei", "--closed", "--json")[1])
    assert listed["state"] == "closed" and listed["closure"] == "evidence" and listed["overdue"] is False
    code, _, err = _run(ws, "task", "open", "--requirement", "CSM-4.1", "--owner", "nobody")
    assert code == 2 and "not an active user account" in " ".join(err.split()) and "Traceback" not in err
    code, _, err = _run(ws, "task", "open")
    assert code == 2
