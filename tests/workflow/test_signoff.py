"""Sign-off (issue #17.3): submitted, reviewed and approved by three different people with the roles'
permissions, in order; a signed-off assessment is frozen; the HTML and PDF reports carry the block, with
Asia/Taipei times and, on request, 民國 dates."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from csmguard.auth.roles import Role
from csmguard.dates import DateStyle, format_date
from csmguard.domain import Lang
from csmguard.domain.signoff import SignoffStep
from csmguard.reports import ReportFormat
from csmguard.services import audit, signoff
from csmguard.services.assessment import run_assessment
from csmguard.services.reports import workspace_report
from csmguard.services.signoff import SignoffRefused
from csmguard.store.db import session_scope
from csmguard.workspace import Workspace


def test_three_people_sign_in_order_and_the_assessment_is_then_frozen(
        ws: Workspace, users: Callable[[str, Role], str]) -> None:
    users("lin", Role.COMPLIANCE_OFFICER)
    users("chen", Role.COMPLIANCE_OFFICER)
    users("wang", Role.APPROVER)
    users("mei", Role.ENGINEER)
    saved = run_assessment(ws)
    assert saved.id is not None
    with pytest.raises(SignoffRefused, match=r"next step .* is submitted"):
        signoff.sign(ws, "latest", SignoffStep.REVIEWED, username="chen")
    with pytest.raises(SignoffRefused, match="may not sign"):
        signoff.sign(ws, "latest", SignoffStep.SUBMITTED, username="mei")
    signoff.sign(ws, saved.id[:8], SignoffStep.SUBMITTED, username="lin")
    with pytest.raises(SignoffRefused, match="three different people"):
        signoff.sign(ws, "latest", SignoffStep.REVIEWED, username="lin")
    signoff.sign(ws, "latest", SignoffStep.REVIEWED, username="chen")
    with pytest.raises(SignoffRefused, match="may not sign"):
        signoff.sign(ws, "latest", SignoffStep.APPROVED, username="mei")
    signoff.sign(ws, "latest", SignoffStep.APPROVED, username="wang", note="核准")
    done = signoff.signatures(ws, "latest")
    assert [(s.step, s.username) for s in done] == [(SignoffStep.SUBMITTED, "lin"), (SignoffStep.REVIEWED, "chen"),
                                                     (SignoffStep.APPROVED, "wang")]
    with pytest.raises(SignoffRefused, match="frozen"):
        signoff.withdraw(ws, "latest", username="chen", reason="again")
    later = run_assessment(ws)  # a later change makes a new assessment, with no signature yet
    assert later.id != saved.id and signoff.signatures(ws, "latest") == []
    assert len(signoff.signatures(ws, saved.id)) == 3
    with session_scope(ws.engine()) as session:
        actions = [e.action for e in audit.iter_entries(session) if e.object_type == "assessment"]
    assert actions == ["assessment.submitted", "assessment.reviewed", "assessment.approved"]


def test_a_returned_assessment_starts_again(ws: Workspace, users: Callable[[str, Role], str]) -> None:
    users("lin", Role.COMPLIANCE_OFFICER)
    users("chen", Role.COMPLIANCE_OFFICER)
    run_assessment(ws)
    signoff.sign(ws, "latest", SignoffStep.SUBMITTED, username="lin")
    signoff.withdraw(ws, "latest", username="chen", reason="CSM-4.3 evidence missing")
    assert signoff.signatures(ws, "latest") == []


def test_the_reports_carry_the_signoff_block(ws: Workspace, users: Callable[[str, Role], str],
                                             tmp_path: Path) -> None:
    users("lin", Role.COMPLIANCE_OFFICER)
    users("chen", Role.COMPLIANCE_OFFICER)
    users("wang", Role.APPROVER)
    run_assessment(ws)
    for step, name in ((SignoffStep.SUBMITTED, "lin"), (SignoffStep.REVIEWED, "chen"), (SignoffStep.APPROVED, "wang")):
        signoff.sign(ws, "latest", step, username=name)
    html = workspace_report(ws, ReportFormat.HTML, Lang.ZH_TW).decode("utf-8")
    assert 'id="signoff"' in html
    for label, display in (("評估人員", "Lin"), ("覆核人員", "Chen"), ("核准人員", "Wang")):
        assert label in html and display in html
    assert "(UTC+8)" in html
    roc = workspace_report(ws, ReportFormat.HTML, Lang.ZH_TW, date_style=DateStyle.ROC).decode("utf-8")
    assert format_date(date.today(), DateStyle.ROC).split("年")[0] in roc
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(workspace_report(ws, ReportFormat.PDF, Lang.ZH_TW, date_style=DateStyle.ROC))
    extracted = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout
    assert "簽核" in extracted and "核准人員" in extracted and "Wang" in extracted and "民國" in extracted


def test_roc_dates() -> None:
    assert format_date(date(2026, 12, 8), DateStyle.ROC) == "民國115年12月8日"
    assert format_date(date(2026, 12, 8)) == "2026-12-08"
