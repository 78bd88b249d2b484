"""Evidence integrity: a file that failed verification does not count as evidence, and the reasons and
reports say which SHA-256 failed and why — in the pure engine and over a real workspace."""

from __future__ import annotations

import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from csmguard.assessment import (
    AssessmentResult,
    ComplianceStatus,
    EvidenceProblemKind,
    FailedEvidence,
    ReasonKind,
    assess,
)
from csmguard.catalog.loader import load_catalog
from csmguard.catalog.scope import ScopeProfile
from csmguard.domain import FindingStatus, Lang
from csmguard.domain.attestation import Attestation, AttestedStatus
from csmguard.evidence import blob_path
from csmguard.reports import ReportFormat, build_report, render
from csmguard.services.assessment import run_assessment
from csmguard.services.registers import add_record
from csmguard.services.reports import write_reports
from csmguard.services.workspace import add_attestation, add_evidence, add_exception, init_workspace, set_profile
from csmguard.workspace import Workspace
from tests.assessment.factory import ALL_YES, TODAY, attestation, evidence, exception, finding

C = ComplianceStatus
POLICY = evidence()  # the evidence of the factory's attestations
MODIFIED = FailedEvidence(sha256=POLICY.sha256, problem=EvidenceProblemKind.MODIFIED, name=POLICY.name)
MISSING = FailedEvidence(sha256=POLICY.sha256, problem=EvidenceProblemKind.MISSING, name=POLICY.name)


def _assess(atts: list[Attestation], failed: list[FailedEvidence] | None, **kw: object) -> AssessmentResult:
    return assess(load_catalog(), ALL_YES, kw.get("findings", []), atts, kw.get("excs", []),  # type: ignore[arg-type]
                  TODAY, failed_evidence=failed)


def test_intact_evidence_counts() -> None:
    result = _assess([attestation("CSM-14.1")], [])
    req = result.requirement("CSM-14.1")
    assert req.status is C.COMPLIANT
    assert ReasonKind.EVIDENCE_FAILED not in [r.kind for r in req.reasons]
    assert result.evidence_checked and result.evidence_integrity == () and result.inputs["evidence_problems"] == 0


def test_changed_evidence_does_not_count_and_the_reason_names_its_hash() -> None:
    result = _assess([attestation("CSM-14.1")], [MODIFIED])
    req = result.requirement("CSM-14.1")
    assert req.status is C.PARTIALLY_COMPLIANT
    assert req.reasons[0].text.en == "Attested as implemented, but none of its evidence passed the integrity check"
    failed = [r for r in req.reasons if r.kind is ReasonKind.EVIDENCE_FAILED]
    assert len(failed) == 1 and failed[0].evidence_sha256 == (POLICY.sha256,) and failed[0].attestation_id == "ATT-1"
    assert f"SHA-256 {POLICY.sha256} (policy.pdf) was changed on disk" in failed[0].text.en
    assert f"SHA-256 {POLICY.sha256}（policy.pdf）檔案內容已遭變更" in failed[0].text.zh_tw
    assert [(e.sha256, e.problem) for e in req.evidence] == [(POLICY.sha256, EvidenceProblemKind.MODIFIED)]
    [item] = result.evidence_integrity
    assert (item.sha256, item.problem, item.attestation_ids, item.requirements) == (
        POLICY.sha256, EvidenceProblemKind.MODIFIED, ("ATT-1",), ("CSM-14.1",))


def test_missing_evidence_is_named_as_missing() -> None:
    req = _assess([attestation("CSM-14.1")], [MISSING]).requirement("CSM-14.1")
    assert req.status is C.PARTIALLY_COMPLIANT
    assert any(f"SHA-256 {POLICY.sha256} (policy.pdf) is missing from the evidence store" in r.text.en
               for r in req.reasons if r.kind is ReasonKind.EVIDENCE_FAILED)


def test_one_intact_file_of_two_still_counts() -> None:
    other = evidence("minutes.pdf")
    att = attestation("CSM-14.1").model_copy(update={"evidence": (POLICY, other)})
    req = _assess([att], [MODIFIED]).requirement("CSM-14.1")
    assert req.status is C.COMPLIANT
    [failed] = [r for r in req.reasons if r.kind is ReasonKind.EVIDENCE_FAILED]
    assert failed.evidence_sha256 == (POLICY.sha256,) and other.sha256 not in failed.text.en


def test_passing_checks_still_decide_and_the_failed_evidence_is_reported() -> None:
    passing = finding("APP-002", "CSM-16.1", FindingStatus.PASS)
    result = _assess([attestation("CSM-16.1")], [MODIFIED], findings=[passing])
    req = result.requirement("CSM-16.1")
    assert req.status is C.COMPLIANT  # the automated check passes on its own
    assert ReasonKind.EVIDENCE_FAILED in [r.kind for r in req.reasons]


def test_an_exception_whose_evidence_failed_still_covers_but_says_so() -> None:
    exc = exception("CSM-4.3")
    bad = FailedEvidence(sha256=exc.evidence[0].sha256, problem=EvidenceProblemKind.MODIFIED)
    result = _assess([], [bad], findings=[finding("REG-001", "CSM-4.3")], excs=[exc])
    req = result.requirement("CSM-4.3")
    assert req.status is C.PARTIALLY_COMPLIANT and req.open_findings[0].covered_by == "EXC-1"
    [failed] = [r for r in req.reasons if r.kind is ReasonKind.EVIDENCE_FAILED]
    assert failed.exception_id == "EXC-1" and exc.evidence[0].sha256 in failed.text.en
    [item] = result.evidence_integrity
    assert item.name == "exception.pdf" and item.exception_ids == ("EXC-1",) and item.requirements == ("CSM-4.3",)


def test_not_verified_is_recorded() -> None:
    result = _assess([attestation("CSM-14.1")], None)
    assert not result.evidence_checked and result.requirement("CSM-14.1").status is C.COMPLIANT
    report = build_report(result, load_catalog(), Lang.EN)
    assert report.integrity_note == "The evidence files were not verified for this assessment."


# --- a real workspace ----------------------------------------------------------------------------------


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = init_workspace(tmp_path / "ws")
    set_profile(workspace, ScopeProfile(organization="測試證券", answers=ALL_YES.answers))
    yield workspace  # type: ignore[misc]
    workspace.close()


def _tamper(ws: Workspace, sha256: str) -> Path:
    path = blob_path(ws.evidence_dir, sha256)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    path.write_text("行動裝置管理規範（已被改寫）", encoding="utf-8")
    return path


def test_tampered_file_in_a_workspace_is_no_longer_evidence(ws: Workspace, tmp_path: Path) -> None:
    rules = tmp_path / "device-rules.txt"
    rules.write_text("行動裝置管理規範", encoding="utf-8")
    memo = tmp_path / "memo.txt"
    memo.write_text("補償性控制核准簽呈", encoding="utf-8")
    att = add_attestation(ws, requirement="CSM-14.1", status="implemented", statement="已訂定", attested_by="甲",
                          attested_on=date(2026, 1, 5), expires_on=date(2026, 12, 31), evidence=[rules])
    sha = att.evidence[0].sha256
    memo_sha = add_evidence(ws, memo).sha256
    add_exception(ws, requirement="CSM-6.1", rationale="過渡期", compensating_controls="每週檢視", approver="資安長",
                  approved_on=date(2026, 10, 1), expires_on=date(2026, 12, 31), evidence=[memo_sha])
    before = run_assessment(ws, today=TODAY).result
    assert before.requirement("CSM-14.1").status is C.COMPLIANT and before.evidence_integrity == ()

    _tamper(ws, sha)
    blob_path(ws.evidence_dir, memo_sha).unlink()
    saved = run_assessment(ws, today=TODAY)
    req = saved.result.requirement("CSM-14.1")
    assert req.status is C.PARTIALLY_COMPLIANT
    assert any(f"SHA-256 {sha} (device-rules.txt) was changed on disk" in r.text.en for r in req.reasons)
    problems = {(p.sha256, p.problem) for p in saved.result.evidence_integrity}
    assert problems == {(sha, EvidenceProblemKind.MODIFIED), (memo_sha, EvidenceProblemKind.MISSING)}
    assert any(f"SHA-256 {memo_sha} (memo.txt) is missing" in r.text.en
               for r in saved.result.requirement("CSM-6.1").reasons)

    paths = write_reports(saved, tmp_path / "out", Lang.EN,
                          formats=[ReportFormat.HTML, ReportFormat.JSON, ReportFormat.XLSX])
    html = paths[ReportFormat.HTML].read_text(encoding="utf-8")
    section = html.split('<h2 id="integrity">Evidence integrity</h2>')[1].split("<h2 ")[0]
    assert f'<td class="hash">{sha}</td><td>device-rules.txt</td><td><strong>changed on disk (hash mismatch)' in section
    assert f'<td class="hash">{memo_sha}</td><td>memo.txt</td><td><strong>missing from the evidence store' in section
    assert "CSM-14.1" in section and "CSM-6.1" in section
    summary = html.split('<h2 id="summary">')[1].split("<h2 ")[0]
    assert "Evidence integrity: 2 evidence file(s) failed verification (1 changed on disk (hash mismatch), " \
           "1 missing from the evidence store); affected requirements: CSM-6.1, CSM-14.1" in summary
    data = json.loads(paths[ReportFormat.JSON].read_text(encoding="utf-8"))
    integrity = data["report"]["evidence_integrity"]
    assert integrity["checked"] is True
    assert {(p["sha256"], p["problem"]) for p in integrity["problems"]} == {(sha, "modified"), (memo_sha, "missing")}
    assert "failed verification" in data["report"]["summary"]
    assert AssessmentResult.model_validate(data["assessment"]) == saved.result
    sheet = load_workbook(paths[ReportFormat.XLSX])["Evidence integrity"]
    assert {(row[0], row[2]) for row in sheet.iter_rows(min_row=2, values_only=True)} == {
        (sha, "changed on disk (hash mismatch)"), (memo_sha, "missing from the evidence store")}

    zh = render(build_report(saved.result, load_catalog(), Lang.ZH_TW), ReportFormat.HTML).decode()
    assert ">佐證完整性</h2>" in zh and "佐證完整性：2 件佐證檔案驗證失敗" in zh

    add_evidence(ws, rules)  # adding the original again restores the stored copy
    restored = run_assessment(ws, today=TODAY, save=False).result
    assert restored.requirement("CSM-14.1").status is C.COMPLIANT


def test_oscal_lists_the_failed_evidence(tmp_path: Path) -> None:
    from trestle.oscal.assessment_results import Model

    result = _assess([attestation("CSM-14.1", AttestedStatus.IMPLEMENTED)], [MODIFIED])
    data = json.loads(render(build_report(result, load_catalog(), Lang.EN), ReportFormat.OSCAL))
    Model.model_validate(data)
    observations = data["assessment-results"]["results"][0]["observations"]
    titles = [o["title"] for o in observations]
    assert f"Evidence integrity: {POLICY.sha256}" in titles
    resources = data["assessment-results"]["back-matter"]["resources"]
    [res] = [r for r in resources if r.get("title") == "policy.pdf"]
    assert {"name": "integrity", "ns": res["props"][0]["ns"], "value": "modified"} in res["props"]


def test_register_records_citing_a_failed_file_are_named(ws: Workspace, tmp_path: Path) -> None:
    policy = tmp_path / "social-media-policy.txt"
    policy.write_text("社群媒體使用管理辦法", encoding="utf-8")
    sha = add_evidence(ws, policy).sha256
    add_record(ws, "policies", {"kind": "social_media_use", "title": "社群媒體使用管理辦法", "version": "3",
                                "approved": True, "document": sha})
    assert run_assessment(ws, today=TODAY, save=False).result.evidence_integrity == ()
    _tamper(ws, sha)
    result = run_assessment(ws, today=TODAY, save=False).result
    [item] = result.evidence_integrity
    assert (item.sha256, item.problem, item.name) == (sha, EvidenceProblemKind.MODIFIED, "social-media-policy.txt")
    assert item.register_records == ("policies/social_media_use/3 (document)",)
    assert item.attestation_ids == () and item.requirements == ()
    report = build_report(result, load_catalog(), Lang.ZH_TW)
    assert report.integrity[0].records == ("清冊 policies/social_media_use/3 (document)",)
