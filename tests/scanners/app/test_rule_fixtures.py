"""Every APP rule on its fixture folder: each input under fail/ is reported by the rule, each under pass/ is not
(and the rule records a pass there, or not-applicable for a library manifest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmguard.domain import FindingStatus
from csmguard.rules.loader import RuleSet
from csmguard.scanners.app.scan import AppScanner, AppScanOptions
from csmguard.services.app_scan import load_app_rules

FIXTURES = Path(__file__).resolve().parents[2] / "rules"
REPORTED = {FindingStatus.FAIL, FindingStatus.MANUAL}


def _cases() -> list[tuple[str, str, Path]]:
    cases = []
    for rule_dir in sorted(FIXTURES.glob("APP-*")):
        for verdict in ("fail", "pass"):
            for entry in sorted((rule_dir / verdict).iterdir()):
                cases.append((rule_dir.name, verdict, entry))
    return cases


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_app_rules()


@pytest.fixture(scope="module")
def scanner(rules: RuleSet) -> AppScanner:
    return AppScanner(rules.for_scanner("app"))


def test_every_rule_has_failing_and_passing_fixtures(rules: RuleSet) -> None:
    for rule in rules.for_scanner("app"):
        for verdict in ("fail", "pass"):
            folder = FIXTURES / rule.id / verdict
            assert folder.is_dir() and any(folder.iterdir()), f"{rule.id} has no {verdict} fixtures"


@pytest.mark.parametrize(("rule_id", "verdict", "path"), _cases(),
                         ids=[f"{r}-{v}-{p.name}" for r, v, p in _cases()])
def test_rule_on_fixture(scanner: AppScanner, rule_id: str, verdict: str, path: Path) -> None:
    outcome = scanner.scan_target(path, AppScanOptions())
    assert outcome.errors == (), outcome.errors
    mine = [f for f in outcome.findings if f.rule_id == rule_id]
    reported = [f for f in mine if f.status in REPORTED]
    if verdict == "fail":
        assert reported, f"{rule_id} did not report {path.name}"
        for finding in reported:
            assert finding.requirements and finding.message.en and finding.message.zh_tw
    else:
        assert not reported, f"{rule_id} wrongly reported {path.name}: {[f.message.en for f in reported]}"
        assert any(f.status in (FindingStatus.PASS, FindingStatus.NOT_APPLICABLE) for f in mine), \
            f"{rule_id} recorded no pass on {path.name}"
