"""Issue #11, done when: for random sequences of complete, partial, failed and voided scans, the assessed
status of every requirement equals the one computed from the complete scans alone.

The world (which resource passes which rule) changes only right before a complete scan; a partial scan
observes the world for some resources and cannot read the rest; a failed scan recognised nothing (what it
carries is garbage); a voided scan is a complete scan of garbage that someone voided afterwards. Each
sequence is recorded in one real SQLite workspace, the complete scans alone in another."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csmguard.assessment import assess
from csmguard.catalog.loader import load_catalog
from csmguard.catalog.scope import ScopeProfile
from csmguard.domain import Finding, FindingStatus, ScanError, ScanResult, Target
from csmguard.domain.coverage import Coverage
from csmguard.rules.loader import load_rules
from csmguard.services.records import latest_findings, record_scan, void_scan
from csmguard.workspace import Workspace, init_workspace

CATALOG = load_catalog()
RULES = load_rules(CATALOG, ["iac"])
RULE_IDS = ("IAC-001", "IAC-010", "IAC-020")
RESOURCES = ("aws_ebs_volume.a", "aws_ebs_volume.b", "aws_security_group.c")
PROFILE = ScopeProfile(answers={"uses_external_cloud": True, "cloud_involves_critical": True, "uses_iaas": True})
SUBJECT = "infra"

World = dict[tuple[str, str], bool]  # (resource, rule) → passes


@dataclass(frozen=True)
class Step:
    """One scan to record: its kind, the world it sees (complete: a new world), the resources it reads."""

    kind: str  # complete | partial | failed | voided
    world: tuple[bool, ...]
    read: tuple[bool, ...]


def _findings(world: World, resources: tuple[str, ...]) -> tuple[Finding, ...]:
    out = []
    for resource in resources:
        target = Target(kind="iac-resource", id=resource, name=resource.split(".")[0])
        for rule_id in RULE_IDS:
            passes = world[(resource, rule_id)]
            out.append(RULES.get(rule_id).finding(FindingStatus.PASS if passes else FindingStatus.FAIL, target,
                                                  message="on_resource", values={"resource": resource, "detail": "-"},
                                                  key="ok" if passes else "bad"))
    return tuple(out)


def _world(bits: tuple[bool, ...]) -> World:
    pairs = [(r, rule) for r in RESOURCES for rule in RULE_IDS]
    return dict(zip(pairs, bits, strict=True))


def _result(findings: tuple[Finding, ...], *, errors: int = 0, recognised: int | None = None) -> ScanResult:
    count = len({f.target.id for f in findings}) if recognised is None else recognised
    return ScanResult(scanner="iac", targets=(SUBJECT,), findings=findings,
                      errors=tuple(ScanError(target=SUBJECT, path=f"bad{n}.tf", message="unreadable")
                                   for n in range(errors)),
                      coverage=Coverage(recognised={"iac-resource": count}))


def _statuses(ws: Workspace) -> dict[str, str]:
    result = assess(CATALOG, PROFILE, latest_findings(ws), [], [], date(2026, 12, 1))
    return {r.id: r.status.value for r in result.requirements}


bits = st.tuples(*[st.booleans() for _ in range(len(RESOURCES) * len(RULE_IDS))])
steps = st.lists(st.builds(Step, st.sampled_from(["complete", "partial", "failed", "voided"]), bits,
                           st.tuples(*[st.booleans() for _ in RESOURCES])), min_size=1, max_size=7)


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(first=bits, sequence=steps)
def test_status_equals_the_one_from_complete_scans_alone(first: tuple[bool, ...], sequence: list[Step]) -> None:
    with TemporaryDirectory() as folder:
        everything = init_workspace(Path(folder) / "all")
        complete_only = init_workspace(Path(folder) / "complete")
        try:
            world = _world(first)
            opening = _result(_findings(world, RESOURCES))
            record_scan(everything, opening, subject=SUBJECT)
            record_scan(complete_only, opening, subject=SUBJECT)
            for step in sequence:
                if step.kind == "complete":
                    world = _world(step.world)
                    result = _result(_findings(world, RESOURCES))
                    record_scan(everything, result, subject=SUBJECT)
                    record_scan(complete_only, result, subject=SUBJECT)
                elif step.kind == "partial":
                    read = tuple(r for r, ok in zip(RESOURCES, step.read, strict=True) if ok)
                    record_scan(everything, _result(_findings(world, read), errors=len(RESOURCES) - len(read),
                                                    recognised=len(read)), subject=SUBJECT)
                elif step.kind == "failed":
                    garbage = _findings(_world(step.world), RESOURCES)
                    record_scan(everything, _result(garbage, errors=1, recognised=0), subject=SUBJECT)
                else:
                    garbage = _findings(_world(step.world), RESOURCES)
                    scan_id = record_scan(everything, _result(garbage), subject=SUBJECT)
                    void_scan(everything, scan_id, reason="scanned the wrong branch", actor="tester")
            assert _statuses(everything) == _statuses(complete_only)
        finally:
            everything.close()
            complete_only.close()
