"""``csmguard register``: changes are audited (actor = OS user or --actor); ``register profile load`` keeps
blank answers unanswered and names the file and key in errors (issues #11.4, #11.5)."""

from __future__ import annotations

import getpass
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from csmguard.assessment.model import ComplianceStatus
from csmguard.catalog.loader import load_catalog
from csmguard.cli.main import app
from csmguard.domain import Lang
from csmguard.reports.model import build_report
from csmguard.services import audit
from csmguard.services.assessment import assess_workspace
from csmguard.store.db import session_scope
from csmguard.workspace import open_workspace

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "400"})
    return result.exit_code, " ".join(result.output.split())


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert _run("init", str(root))[0] == 0
    return root


def _trail(root: Path) -> list[tuple[str, str, str, str]]:
    workspace = open_workspace(root)
    try:
        with session_scope(workspace.engine()) as db:
            return [(e.actor, e.action, e.object_type, e.object_id) for e in audit.iter_entries(db)]
    finally:
        workspace.close()


def test_every_cli_register_change_is_audited(ws: Path, tmp_path: Path) -> None:
    me = getpass.getuser()
    assert _run("register", "devices", "add", "device_id=D1", "owner=Amy", "-w", str(ws))[0] == 0
    assert _run("register", "devices", "update", "D1", "owner=Bob", "--actor", "alice", "-w", str(ws))[0] == 0
    csv_path = tmp_path / "devices.csv"
    csv_path.write_text("device_id,owner\nD2,Cid\nD1,Dan\n", encoding="utf-8")
    assert _run("register", "devices", "import", str(csv_path), "-w", str(ws))[0] == 0
    assert _run("register", "devices", "delete", "D2", "-w", str(ws))[0] == 0
    assert _trail(ws) == [(me, "register.create", "devices", "D1"), ("alice", "register.update", "devices", "D1"),
                          (me, "register.import", "devices", str(csv_path)), (me, "register.delete", "devices", "D2")]
    workspace = open_workspace(ws)
    try:
        with session_scope(workspace.engine()) as db:
            entries = list(audit.iter_entries(db))
            assert audit.verify(db)[1] == []
    finally:
        workspace.close()
    assert orjson.loads(entries[1].before or "null")["owner"] == "Amy"
    assert orjson.loads(entries[1].after or "null")["owner"] == "Bob"
    imported = orjson.loads(entries[2].after or "null")
    assert (imported["rows"], imported["created"], imported["updated"]) == (2, 1, 1) and len(imported["sha256"]) == 64


def test_refused_changes_leave_no_audit_entry(ws: Path, tmp_path: Path) -> None:
    assert _run("register", "devices", "add", "device_id=D1", "-w", str(ws))[0] == 2  # owner missing
    bad = tmp_path / "bad.csv"
    bad.write_text("device_id,owner\nD1,\n", encoding="utf-8")
    assert _run("register", "devices", "import", str(bad), "-w", str(ws))[0] == 2
    assert _trail(ws) == []


def test_unedited_template_loads_as_undetermined_everywhere(ws: Path, tmp_path: Path) -> None:
    """Loaded unedited, the template answers nothing: every requirement that depends on a question is
    待判斷 (not assessed, applicability unknown), none is 不適用."""
    profile = tmp_path / "profile.yaml"
    assert _run("scope", "template", "-o", str(profile))[0] == 0
    code, out = _run("register", "profile", "load", str(profile), "-w", str(ws))
    assert code == 0, out
    workspace = open_workspace(ws)
    try:
        result = assess_workspace(workspace)
        catalog = load_catalog(workspace.settings.edition)
    finally:
        workspace.close()
    scoped = [r for r in result.requirements if catalog.node(r.id).applies_when]
    assert len(scoped) > 40
    assert {(r.status, r.applies) for r in scoped} == {(ComplianceStatus.NOT_ASSESSED, None)}
    levels = {r.id: catalog.node(r.id).level for r in result.requirements}
    assert not [r.id for r in result.requirements if r.status is ComplianceStatus.NOT_APPLICABLE
                and (level := levels[r.id]) is not None and level.assessable]
    report = build_report(result, catalog, Lang.ZH_TW)
    labels = {q.id: q.applies_label for q in report.requirements}
    assert {labels[r.id] for r in scoped} == {"待判斷"}
    assert _trail(ws)[-1][1:] == ("register.profile_load", "profile", str(profile))


@pytest.mark.parametrize(("content", "fragment"), [
    ("answers:\n  no_such_question:\n", "field answers.no_such_question: unknown scope question"),
    ("answers:\n  allows_byod: maybe\n", "field answers"),
    ("edition: csm-99\nanswers: {}\n", "field edition"),
])
def test_profile_load_errors_name_the_file_and_the_key(ws: Path, tmp_path: Path, content: str,
                                                       fragment: str) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(content, encoding="utf-8")
    code, out = _run("register", "profile", "load", str(profile), "-w", str(ws))
    assert code == 2
    assert f"{profile}, {fragment}" in out, out
    assert _trail(ws) == []
