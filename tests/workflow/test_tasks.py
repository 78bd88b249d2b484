"""Remediation tasks (issue #17.1): a failing finding or a non-compliant requirement becomes a task with an
owner and a due date; a person moves it but cannot close it by hand; evidence or a later complete scan in
which the fingerprint no longer fails closes it; voiding that scan reopens it; every step is audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csmguard.auth.roles import Role
from csmguard.cli.main import app
from csmguard.domain.errors import InputError
from csmguard.services import audit, tasks
from csmguard.services.tasks import TaskFilter, TaskState
from csmguard.services.workspace import add_evidence, latest_findings, list_scans
from csmguard.store.db import session_scope
from csmguard.workspace import Workspace
from tests.workflow.conftest import CLEAN_TF

runner = CliRunner()


def _scan(ws: Workspace, infra: Path) -> None:
    result = runner.invoke(app, ["scan", "iac", str(infra), "-w", str(ws.root), "--fail-on", "never", "-q"])
    assert result.exit_code == 0, result.output


def _failing(ws: Workspace) -> list[str]:
    return sorted({f.fingerprint for f in latest_findings(ws) if f.status.value == "fail"})


def test_a_rescan_that_no_longer_fails_closes_the_task_and_voiding_it_reopens(
        ws: Workspace, infra: Path, users: Callable[[str, Role], str]) -> None:
    owner = users("mei", Role.ENGINEER)
    _scan(ws, infra)
    fingerprint = _failing(ws)[0]
    due = date.today() + timedelta(days=14)
    task = tasks.open_for_finding(ws, fingerprint, actor="lead", owner=owner, due_on=due)
    assert (task.state, task.owner, task.due_on, task.fingerprint) == (TaskState.OPEN, "mei", due, fingerprint)
    with pytest.raises(InputError, match="already has task"):
        tasks.open_for_finding(ws, fingerprint, actor="lead")
    with pytest.raises(InputError, match="closes with evidence"):
        tasks.move(ws, task.id, TaskState.CLOSED, actor="mei")
    tasks.move(ws, task.id, TaskState.IN_PROGRESS, actor="mei")
    tasks.move(ws, task.id, TaskState.AWAITING_VERIFICATION, actor="mei")

    _scan(ws, infra)  # the same misconfiguration scanned again: still failing, the task stays open
    assert tasks.get_task(ws, task.id).state is TaskState.AWAITING_VERIFICATION

    (infra / "main.tf").write_text(CLEAN_TF, encoding="utf-8")
    _scan(ws, infra)  # a complete scan of the same subject in which the fingerprint no longer fails
    closed = tasks.get_task(ws, task.id)
    resolving = list_scans(ws)[0]["id"]
    assert (closed.state, closed.closure, closed.closure_scan) == (TaskState.CLOSED, "rescan", resolving)

    result = runner.invoke(app, ["scan", "void", resolving, "--reason", "wrong branch", "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    reopened = tasks.get_task(ws, task.id)
    assert reopened.state is TaskState.AWAITING_VERIFICATION and reopened.closure is None
    with session_scope(ws.engine()) as session:
        actions = [e.action for e in audit.iter_entries(session) if e.object_type == "task"]
    assert actions == ["task.open", "task.move", "task.move", "task.close", "task.reopen"]


def test_a_failed_scan_resolves_no_task(ws: Workspace, infra: Path) -> None:
    _scan(ws, infra)
    task = tasks.open_for_finding(ws, _failing(ws)[0], actor="lead")
    (infra / "main.tf").write_text("this is { not terraform", encoding="utf-8")
    runner.invoke(app, ["scan", "iac", str(infra), "-w", str(ws.root), "--fail-on", "never", "-q"])
    assert tasks.get_task(ws, task.id).state is TaskState.OPEN


def test_evidence_closes_a_requirement_task_and_owners_must_be_accounts(
        ws: Workspace, tmp_path: Path, users: Callable[[str, Role], str]) -> None:
    users("lin", Role.COMPLIANCE_OFFICER)
    users("audrey", Role.AUDITOR)
    with pytest.raises(InputError, match="not an active user"):
        tasks.open_for_requirement(ws, "CSM-4.1", actor="lead", owner="nobody")
    with pytest.raises(InputError, match="read-only"):
        tasks.open_for_requirement(ws, "CSM-4.1", actor="lead", owner="audrey")
    task = tasks.open_for_requirement(ws, "CSM-4.1", actor="lead", owner="LIN",
                                      due_on=date.today() - timedelta(days=1))
    assert task.owner == "lin" and task.article == "CSM-4" and task.overdue(date.today())
    with pytest.raises(InputError, match="no evidence file"):
        tasks.close_with_evidence(ws, task.id, "ab" * 32, actor="lin")
    proof = tmp_path / "exception-register.pdf"
    proof.write_bytes(b"%PDF-1.4\n% register of approved exceptions\n%%EOF\n")
    ref = add_evidence(ws, proof)
    closed = tasks.close_with_evidence(ws, task.id[:8], ref.sha256[:12], actor="lin", note="register kept")
    assert (closed.state, closed.closure_evidence, closed.closure_note) == (TaskState.CLOSED, ref.sha256,
                                                                           "register kept")
    assert not closed.overdue(date.today())
    with pytest.raises(InputError, match="closed"):
        tasks.assign(ws, task.id, actor="lin", owner="lin")


def test_filters_and_order(ws: Workspace, infra: Path, users: Callable[[str, Role], str]) -> None:
    users("mei", Role.ENGINEER)
    _scan(ws, infra)
    findings = {f.fingerprint: f for f in latest_findings(ws) if f.status.value == "fail"}
    by_severity = sorted(findings.values(), key=lambda f: f.severity.rank)
    late = tasks.open_for_finding(ws, by_severity[-1].fingerprint, actor="lead", owner="mei",
                                  due_on=date.today() - timedelta(days=3))
    soon = tasks.open_for_finding(ws, by_severity[0].fingerprint, actor="lead", owner="mei",
                                  due_on=date.today() + timedelta(days=3))
    unowned = tasks.open_for_requirement(ws, "CSM-4.1", actor="lead")
    listed = tasks.list_tasks(ws, TaskFilter(owner="mei"))
    assert [t.id for t in listed] == [late.id, soon.id]  # overdue first
    assert [t.id for t in tasks.list_tasks(ws, TaskFilter(overdue_on=date.today()))] == [late.id]
    assert next(t.id for t in tasks.list_tasks(ws, TaskFilter(severity=by_severity[0].severity.value))) == soon.id
    assert unowned.id in {t.id for t in tasks.list_tasks(ws, TaskFilter(article="CSM-4"))}
