"""Issue #11.5: evidence, attestations and exceptions are audited in the transaction of the change, from the
CLI (the operating-system user) and the web (the logged-in user): both commit or neither does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.services import audit
from csmguard.services.workspace import add_attestation, add_exception, list_attestations, list_exceptions
from csmguard.store.db import session_scope
from csmguard.workspace import Workspace, init_workspace
from tests.registers.test_change_audit_atomic import refuse_audit


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = init_workspace(tmp_path / "ws")
    yield workspace  # type: ignore[misc]
    workspace.close()


def _actions(ws: Workspace) -> list[tuple[str, str, str]]:
    with session_scope(ws.engine()) as session:
        return [(e.actor, e.action, e.object_id) for e in audit.iter_entries(session)]


def test_cli_changes_are_audited_with_the_os_user(ws: Workspace, tmp_path: Path) -> None:
    runner = CliRunner()
    evidence = tmp_path / "rules.txt"
    evidence.write_text("行動裝置管理規範", encoding="utf-8")
    added = runner.invoke(app, ["attest", "add", "CSM-14.1", "--status", "implemented", "--statement", "已訂定",
                                "--by", "王法遵", "--evidence", str(evidence), "-w", str(ws.root)])
    assert added.exit_code == 0, added.output
    attestation_id = added.stdout.strip()
    assert runner.invoke(app, ["attest", "delete", attestation_id, "-w", str(ws.root)]).exit_code == 0
    actions = _actions(ws)
    assert [a for _, a, _ in actions] == ["evidence.add", "attestation.add", "attestation.delete"]
    assert all(actor == audit.os_actor() for actor, _, _ in actions)
    with session_scope(ws.engine()) as session:
        assert audit.verify(session)[1] == []


def test_a_change_whose_audit_fails_is_not_kept(ws: Workspace) -> None:
    refuse_audit(ws)
    with pytest.raises(Exception, match="audit refused"):
        add_attestation(ws, requirement="CSM-14.1", status="implemented", statement="已訂定", attested_by="甲",
                        actor="alice")
    with pytest.raises(Exception, match="audit refused"):
        add_exception(ws, requirement="CSM-4.3", rationale="r", compensating_controls="c", approver="乙",
                      expires_on=date(2027, 1, 1), actor="alice")
    assert list_attestations(ws) == [] and list_exceptions(ws) == []
