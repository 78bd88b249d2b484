"""The workspace read paths over many findings: ``latest_findings`` keeps exactly the current findings among
20,000 recorded across scans and re-scans (a complete re-scan of a subject replaces it; a partial one only
what it covered), in recording order and unchanged; ``list_scans`` reports each scan's own counts; a stored
finding that is not valid is still refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select, update

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Finding, FindingStatus, Location, ScanError, ScanResult, Target
from csmguard.domain.coverage import Coverage
from csmguard.rules.loader import load_rules
from csmguard.services import workspace as services
from csmguard.services.records import latest_scan_ids
from csmguard.store.db import session_scope
from csmguard.store.models import FindingRow
from csmguard.workspace import Workspace, init_workspace

pytestmark = pytest.mark.slow

STATUSES = (FindingStatus.FAIL, FindingStatus.PASS, FindingStatus.MANUAL, FindingStatus.UNKNOWN)


@dataclass(frozen=True)
class PlannedScan:
    """One scan to record: a label naming it in every target id, its scanner, targets and finding count."""

    label: str
    scanner: str
    targets: tuple[str, ...]
    count: int
    errors: int = 0


# recorded in this order; 20,000 findings in all. Same subject under two scanners (app and iac on a.apk)
# are different pairs; c.apk's complete re-scan found nothing, so none of its first scan's findings are
# current; the iac scans are partial (errors) and cover different targets, so both stay current.
PLAN = (
    PlannedScan("app-a-1", "app", ("a.apk",), 3500),
    PlannedScan("app-b-1", "app", ("b.apk",), 3000),
    PlannedScan("iac-a-1", "iac", ("a.apk",), 3000, errors=2),
    PlannedScan("app-c-1", "app", ("c.apk",), 500),
    PlannedScan("app-a-2", "app", ("a.apk",), 3500),
    PlannedScan("reg-1", "register", ("registers",), 2000),
    PlannedScan("iac-a-2", "iac", ("a.apk",), 2500, errors=1),
    PlannedScan("app-c-2", "app", ("c.apk",), 0),
    PlannedScan("reg-2", "register", ("registers",), 1000),
    PlannedScan("app-a-3", "app", ("a.apk",), 1000),
)
LATEST = ("app-b-1", "iac-a-1", "iac-a-2", "reg-2", "app-a-3")


def _results() -> list[ScanResult]:
    rules = load_rules(load_catalog(), ["register"])
    shared_text, own_text = rules.get("REG-001"), rules.get("REG-003")
    results = []
    for plan in PLAN:
        findings: list[Finding] = []
        for i in range(plan.count):
            target = Target(kind="file", id=f"{plan.label}/{i}")
            status = STATUSES[(i + len(plan.label)) % len(STATUSES)]
            if i % 2:  # a message of its own (template filled per finding) and a location
                findings.append(own_text.finding(status, target, Location(path=f"src/m{i % 97}.py", line=i + 1),
                                                 values={"provider": f"P{i}"}, evidence={"n": i, "ok": i % 3 == 0},
                                                 key=str(i)))
            else:  # the rule's message, shared by every finding of the rule
                findings.append(shared_text.finding(status, target, key=str(i)))
        errors = tuple(ScanError(target=plan.targets[0], path=f"bad{n}.txt", message="unreadable")
                       for n in range(plan.errors))
        results.append(ScanResult(scanner=plan.scanner, targets=plan.targets, findings=tuple(findings),
                                  errors=errors, coverage=Coverage(recognised={"file": max(plan.count, 1)})))
    return results


@pytest.fixture(scope="module")
def results() -> list[ScanResult]:
    """The scan results of the plan, built once for both databases."""
    return _results()


@pytest.fixture
def recorded(tmp_path: Path, db_url: str, results: list[ScanResult]) -> Iterator[tuple[Workspace, dict[str, str]]]:
    """A workspace with every planned scan recorded, and the scan id of each label."""
    ws = init_workspace(tmp_path / "ws", db_url=db_url)
    try:
        ids = {plan.label: services.record_scan(ws, result) for plan, result in zip(PLAN, results, strict=True)}
        yield ws, ids
    finally:
        ws.close()


def test_latest_findings_are_exactly_the_current_ones(
        recorded: tuple[Workspace, dict[str, str]], results: list[ScanResult]) -> None:
    ws, ids = recorded
    assert sum(plan.count for plan in PLAN) == 20_000
    by_label = {plan.label: result for plan, result in zip(PLAN, results, strict=True)}
    expected = [finding for label in LATEST for finding in by_label[label].findings]

    got = services.latest_findings(ws)

    assert len(got) == 3000 + 3000 + 2500 + 1000 + 1000
    # every field round-trips, in the order the findings were recorded
    assert got == expected
    assert {f.target.id.split("/")[0] for f in got} == {"app-b-1", "iac-a-1", "iac-a-2", "reg-2", "app-a-3"}
    assert got[0].target.id == "app-b-1/0" and got[-1].target.id == "app-a-3/999"
    messages = {f.target.id: f.message.en for f in got}
    assert "P1 states no recovery time" in messages["app-a-3/1"] and "P3 " in messages["app-a-3/3"]
    assert messages["app-a-3/0"] == messages["reg-2/0"]
    with session_scope(ws.engine()) as session:
        assert latest_scan_ids(session) == [ids[label] for label in LATEST]


def test_list_scans_reports_each_scans_own_counts_newest_first(
        recorded: tuple[Workspace, dict[str, str]], results: list[ScanResult]) -> None:
    ws, ids = recorded
    listed = services.list_scans(ws)
    assert [(s["id"], s["scanner"], s["subject"]) for s in listed] == [
        (ids[plan.label], plan.scanner, plan.targets[0]) for plan in reversed(PLAN)]
    by_id = {s["id"]: s for s in listed}
    for plan, result in zip(PLAN, results, strict=True):
        scan = by_id[ids[plan.label]]
        assert scan["status_counts"] == result.status_counts()
        assert scan["errors"] == plan.errors
    assert by_id[ids["iac-a-1"]]["status_counts"] == {"fail": 750, "pass": 750, "manual": 750, "unknown": 750,
                                                      "error": 0, "not_applicable": 0}
    assert by_id[ids["app-c-2"]]["status_counts"] == {s.value: 0 for s in FindingStatus}
    assert all(s["recorded_at"].tzinfo is not None for s in listed)


def test_a_stored_finding_that_is_not_valid_is_refused(tmp_path: Path, db_url: str,
                                                      results: list[ScanResult]) -> None:
    ws = init_workspace(tmp_path / "ws", db_url=db_url)
    try:
        services.record_scan(ws, results[3])
        assert len(services.latest_findings(ws)) == 500
        with session_scope(ws.engine()) as session:
            row = session.execute(select(FindingRow).order_by(FindingRow.id.desc()).limit(1)).scalar_one()
            data = dict(row.data)
            data["message"] = {"zh-TW": "訊息", "en": ""}
            session.execute(update(FindingRow).where(FindingRow.id == row.id).values(data=data))
        with pytest.raises(ValidationError):
            services.latest_findings(ws)
    finally:
        ws.close()
