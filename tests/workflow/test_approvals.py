"""Four-eyes approvals (issue #17.2): an exception or accepted risk is requested by one user and decided by
another holding the approve permission, never the requester; it counts only once approved; renewal needs a
new approval and replaces the old one; attestations that require review count once their reviewer accepts
them. Every step is in the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from csmguard.auth.roles import Role
from csmguard.domain.attestation import AttestedStatus
from csmguard.domain.errors import InputError
from csmguard.services import approvals, audit
from csmguard.services.approvals import ApprovalRefused
from csmguard.services.workspace import add_attestation, list_attestations, list_exceptions
from csmguard.store.db import session_scope
from csmguard.workspace import Workspace


def _request(ws: Workspace, by: str, days: int = 90) -> approvals.ExceptionView:
    return approvals.request_exception(ws, requirement="CSM-4.1", rationale="legacy host until migration",
                                       compensating_controls="network isolation and daily log review",
                                       expires_on=date.today() + timedelta(days=days), requested_by=by,
                                       rule_ids=["IAC-AWS-001"])


def test_an_exception_counts_only_once_a_second_user_approves_it(
        ws: Workspace, users: Callable[[str, Role], str]) -> None:
    users("lin", Role.COMPLIANCE_OFFICER)
    users("wang", Role.APPROVER)
    users("chen", Role.COMPLIANCE_OFFICER)
    requested = _request(ws, "lin")
    assert requested.state == "requested" and list_exceptions(ws) == []
    with pytest.raises(ApprovalRefused, match="lacks the approve permission"):
        approvals.decide(ws, requested.id, approve=True, decided_by="chen")
    with pytest.raises(ApprovalRefused, match="not an active user"):
        approvals.decide(ws, requested.id, approve=True, decided_by="ghost")
    approved = approvals.decide(ws, requested.id, approve=True, decided_by="wang", note="until Q2")
    assert (approved.state, approved.approver) == ("approved", "wang")
    [record] = list_exceptions(ws)
    assert record.id == requested.id and record.approver == "wang" and record.rule_ids == ("IAC-AWS-001",)
    with pytest.raises(ApprovalRefused, match="already decided"):
        approvals.decide(ws, requested.id, approve=False, decided_by="wang", note="changed my mind")


def test_the_requester_never_decides_even_as_an_approver(ws: Workspace, users: Callable[[str, Role], str]) -> None:
    users("wang", Role.APPROVER)
    users("admin", Role.ADMINISTRATOR)
    requested = _request(ws, "wang")
    with pytest.raises(ApprovalRefused, match="four-eyes"):
        approvals.decide(ws, requested.id, approve=True, decided_by="WANG")
    with pytest.raises(InputError, match="states its reason"):
        approvals.decide(ws, requested.id, approve=False, decided_by="admin")
    rejected = approvals.decide(ws, requested.id, approve=False, decided_by="admin", note="controls too weak")
    assert rejected.state == "rejected" and rejected.approver is None and list_exceptions(ws) == []
    with session_scope(ws.engine()) as session:
        steps = [(e.action, e.actor) for e in audit.iter_entries(session) if e.object_type == "exception"]
    assert steps == [("exception.request", "wang"), ("exception.reject", "admin")]


def test_renewal_needs_its_own_approval_and_replaces_the_old_exception(
        ws: Workspace, users: Callable[[str, Role], str]) -> None:
    users("lin", Role.COMPLIANCE_OFFICER)
    users("wang", Role.APPROVER)
    first = approvals.decide(ws, _request(ws, "lin", days=5).id, approve=True, decided_by="wang")
    assert [v.id for v in approvals.expiring(ws, within_days=30)] == [first.id]
    renewal = approvals.request_renewal(ws, first.id, expires_on=date.today() + timedelta(days=180),
                                        requested_by="lin")
    assert renewal.renews == first.id and approvals.expiring(ws, within_days=30) == []
    assert [r.id for r in list_exceptions(ws)] == [first.id]  # the old one counts until the renewal is approved
    approvals.decide(ws, renewal.id, approve=True, decided_by="wang")
    assert [r.id for r in list_exceptions(ws)] == [renewal.id]
    assert {v.id: v.state for v in approvals.list_all(ws)} == {first.id: "renewed", renewal.id: "approved"}
    with pytest.raises(ApprovalRefused, match="only an approved exception"):
        approvals.request_renewal(ws, first.id, expires_on=date.today() + timedelta(days=9), requested_by="lin")


def test_an_attestation_that_requires_review_counts_once_its_reviewer_accepts(
        ws: Workspace, users: Callable[[str, Role], str]) -> None:
    users("lin", Role.COMPLIANCE_OFFICER)
    users("chen", Role.COMPLIANCE_OFFICER)
    with pytest.raises(InputError, match="names its reviewer"):
        add_attestation(ws, requirement="CSM-4.3", status=AttestedStatus.IMPLEMENTED, statement="done",
                        attested_by="lin", review_required=True)
    pending = add_attestation(ws, requirement="CSM-4.3", status=AttestedStatus.IMPLEMENTED, statement="done",
                              attested_by="lin", reviewer="chen", review_required=True, actor="lin")
    assert list_attestations(ws) == []
    assert [p.id for p in approvals.pending_attestations(ws, reviewer="chen")] == [pending.id]
    with pytest.raises(ApprovalRefused, match="own attestation"):
        approvals.review_attestation(ws, pending.id, accept=True, reviewer="lin")
    approvals.review_attestation(ws, pending.id, accept=True, reviewer="chen")
    assert [a.id for a in list_attestations(ws)] == [pending.id]
    assert approvals.pending_attestations(ws) == []


def test_the_command_line_records_an_attestation_that_awaits_review(ws: Workspace) -> None:
    from typer.testing import CliRunner

    from csmguard.cli.main import app

    result = CliRunner().invoke(app, ["attest", "add", "CSM-4.3", "--status", "implemented", "--statement", "done",
                                      "--by", "lin", "--reviewer", "chen", "--review-required", "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    assert list_attestations(ws) == [] and [p.reviewer for p in approvals.pending_attestations(ws)] == ["chen"]
    refused = CliRunner().invoke(app, ["attest", "add", "CSM-4.3", "--status", "implemented", "--statement", "x",
                                       "--by", "lin", "--review-required", "-w", str(ws.root)])
    assert refused.exit_code == 2 and "names its reviewer" in " ".join(refused.stderr.split())


def test_a_request_can_be_deleted_with_its_audit_entry(ws: Workspace) -> None:
    from csmguard.services.workspace import delete_exception

    requested = _request(ws, "lin")
    delete_exception(ws, requested.id, actor="lin")
    assert approvals.list_all(ws) == []
    with session_scope(ws.engine()) as session:
        [entry] = [e for e in audit.iter_entries(session) if e.action == "exception.delete"]
    assert entry.before is not None and '"state":"requested"' in entry.before
